"""Stage 5, synthetic: English articles without an Arabic source, machine-translated sentence by sentence into a
marked part of the corpus that exports keep apart."""

from __future__ import annotations

from mt.errors import InputError
from mt.pipeline.base import StageContext, StageResult, fingerprint
from mt.pipeline.engines import engines_for
from mt.records import CorpusBead


class Synthetic:
    name = "synthetic"

    def run(self, ctx: StageContext) -> StageResult:
        from mt.align.corpus import sentences
        from mt.translate import Translator

        store = ctx.store
        by_id = {a.id: a for a in ctx.articles}
        ids = [p.en_id for p in ctx.pairs if not p.ar_id]
        if not ids:
            return ctx.finish(self.name, "", {}, "no English-only articles", scope="", skipped=True)
        try:
            engines = engines_for(ctx, ids, "en", "ar")
        except InputError as err:
            ctx.warn(f"English-only articles not translated: {err}")
            return ctx.finish(self.name, "", {}, "not translated", scope="", skipped=True)
        made, skipped = 0, 0
        plans = {}
        for i in ids:
            e = by_id[i]
            fp = fingerprint("synthetic", [t.text for t in e.turns], engines[i].name, engines[i].identity)
            prev = ctx.recorded(self.name, scope=i)  # per article: each is translated (and resumed) on its own
            if prev and prev.fingerprint == fp and store.beads(i, origin="synthetic"):
                skipped += 1
            elif store.reviewed(i):
                ctx.warn(f"{i}: reviewed beads kept; not translated again")
            else:
                plans[i] = (fp, [sentences(t.text) for t in e.turns])
        if not plans:
            return ctx.finish(self.name, "", {"articles": skipped}, f"{skipped} English-only articles", scope="", skipped=True)
        ctx.rep.stage(self.name, sum(len(s) for _, sents in plans.values() for s in sents))
        for i, (fp, sents) in plans.items():
            e, eng = by_id[i], engines[i]
            flat = [s for turn in sents for s in turn]
            mt = iter(t.text for t in Translator(eng, store, runner=ctx.runner).translate(flat, progress=ctx.rep.advance))
            beads, ordinal = [], 0
            for k, (turn, ss) in enumerate(zip(e.turns, sents)):
                ar = [next(mt) for _ in ss]
                beads.append(CorpusBead(en_id=i, ar_id=None, level="turn", ordinal=k, ar=" ".join(ar), en=turn.text,
                                        ar_index=(k,), en_index=(k,), parent=None, role=turn.role, score=1.0,
                                        origin="synthetic", mt_model=eng.tag))
                for j, (s, a) in enumerate(zip(ss, ar)):
                    beads.append(CorpusBead(en_id=i, ar_id=None, level="sentence", ordinal=ordinal, ar=a, en=s,
                                            ar_index=(j,), en_index=(j,), parent=k, role=turn.role, score=1.0, origin="synthetic",
                                            mt_model=eng.tag))
                    ordinal += 1
            store.replace_beads(i, beads)
            store.finish_stage(self.name, fp, {"beads": ordinal}, i)
            made += 1
        n = made + skipped
        glossed = all(getattr(e, "name", "") == "lexicon" for e in engines.values())
        how = "glossed word by word into Arabic (a lexicon: not a translation)" if glossed else "machine-translated into Arabic"
        line = f"{n} English-only article{'s' if n != 1 else ''} {how} ({made} now)"
        return ctx.finish(self.name, "", {"articles": n, "new": made}, line, scope="")
