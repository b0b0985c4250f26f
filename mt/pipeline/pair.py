"""Stage 2, pair: each English article with its Arabic source, from the manifest or by evidence."""

from __future__ import annotations

from mt.errors import InputError
from mt.pipeline.base import StageContext, StageResult, fingerprint


class Pair:
    name = "pair"

    def run(self, ctx: StageContext) -> StageResult:
        from mt.align.pairing import load_pair_params, pair_articles, pair_from_manifest, store_lexicon

        cfg, store = ctx.cfg, ctx.store
        en = [a for a in ctx.articles if a.lang == "en"]
        ar = [a for a in ctx.articles if a.lang == "ar"]
        if not en:
            raise InputError("the corpus has no English articles", str(cfg.corpus))
        manifest = cfg.manifest.read_bytes().decode("utf-8", "replace") if cfg.manifest else None
        # what the store learnt from other work (never from this corpus's own alignments) is evidence in words
        lexicon = None if manifest is not None else store_lexicon(store, [a.id for a in en])
        fp = fingerprint("pair", sorted((a.id, a.source.sha256) for a in ctx.articles), manifest, cfg.threshold,
                         load_pair_params().digest, lexicon.digest if lexicon else None)
        prev = ctx.recorded(self.name)
        ids = {a.id for a in en}
        stored = [p for p in store.pairs() if p.en_id in ids]
        skipped = bool(prev and prev.fingerprint == fp and len(stored) == len(en))
        if skipped:
            pairs = stored
        else:
            ctx.rep.stage(self.name, None)
            pairs = pair_from_manifest(cfg.manifest, en, ar) if cfg.manifest else pair_articles(en, ar, threshold=cfg.threshold, lexicon=lexicon)
            listed = {p.en_id for p in pairs}
            if cfg.manifest and listed != ids:
                raise InputError(f"the manifest does not list {', '.join(sorted(ids - listed))}", str(cfg.manifest))
            store.save_pairs(pairs)
        ctx.pairs = sorted(pairs, key=lambda p: p.en_id)
        paired = sum(1 for p in pairs if p.ar_id)
        how = "manifest" if cfg.manifest else "evidence"
        alone = len(pairs) - paired
        linked = sum(1 for p in pairs if p.ar_id and "decisive" in p.evidence)
        if linked:
            how = f"the pages' own links ({linked}) and evidence ({paired - linked})" if linked < paired else "the pages' own links"
        line = f"{paired} pairs by {how}, {alone} English article{'s' if alone != 1 else ''} without an Arabic source"
        return ctx.finish(self.name, fp, {"pairs": paired, "english_only": alone, "method": "manifest" if cfg.manifest else "evidence",
                                          "linked": linked}, line, skipped=skipped)
