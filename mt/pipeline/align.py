"""Stage 3, align: every pair turn by turn, then sentence by sentence inside aligned turns (``mt.align.corpus``)."""

from __future__ import annotations

from mt import __version__
from mt.errors import StoreError
from mt.pipeline.base import StageContext, StageResult, fingerprint
from mt.pipeline.engines import choose, load


class Align:
    name = "align"

    def run(self, ctx: StageContext) -> StageResult:
        from mt.align import Aligner
        from mt.align.corpus import align_corpus
        from mt.align.memory import CorpusLexicon
        from mt.align.params import load_params
        from mt.review.carry import carry_over
        from mt.review.realign import realign
        from mt.translate import Translator

        store = ctx.store
        by_id = {a.id: a for a in ctx.articles}
        human = [(by_id[p.en_id], by_id[p.ar_id]) for p in ctx.pairs if p.ar_id]
        # a neural translation of each Arabic turn is one more alignment signal (a lexicon's glosses add
        # nothing the aligner's own lexical scorer lacks, and the lexicon is trained on this alignment)
        choice = choose(ctx, "ar", "en") if human else None
        engine = load(ctx, choice.name, choice.model, "ar", "en") if choice and choice.neural else None
        params = load_params()
        version = fingerprint(params.digest, __version__, engine.identity if engine else None)
        fp = fingerprint("align", version, [(e.id, a.id, [(t.role, t.text) for t in e.turns], [(t.role, t.text) for t in a.turns])
                                            for e, a in human])
        prev = ctx.recorded(self.name)
        if prev and prev.fingerprint == fp:
            return ctx.finish(self.name, fp, prev.summary, prev.summary.get("line", ""), skipped=True)
        ctx.rep.stage(self.name, len(human) * 2)
        src_mt: list[list[str] | None] = [None] * len(human)
        if engine is not None:
            flat = [t.text for _, a in human for t in a.turns]
            out = iter(t.text for t in Translator(engine, store, runner=ctx.runner).translate(flat))
            src_mt = [[next(out) for _ in a.turns] for _, a in human]
        # the store's corpus lexicon (what earlier runs and translators' reviews taught) is the prior of this run's
        # bootstrap; the articles aligned now are left out of it, since they are learnt again below
        memory = CorpusLexicon(store, "ar", "en")
        memory.sync_reviews()
        prior = CorpusLexicon(store, "ar", "en", tuple(f"article:{e.id}" for e, _ in human))
        # with --ray, each document's passes run on the cluster; the bootstrap between them stays here
        mapper = ctx.runner.map if ctx.runner is not None else None
        aligned = align_corpus(human, lambda: Aligner(params, prior=prior, mapper=mapper), src_mt,
                               on_turns=lambda: ctx.rep.advance(len(human)))
        kept, n_sent = [], 0
        for art in aligned:
            try:
                store.replace_beads(art.en_id, art.beads)
            except StoreError:
                # reviewed beads stay; the rest of the article is aligned again around them (inside its stored turns,
                # which the reviewed beads belong to), with this run's values
                kept.append(art.en_id)
                plan, _ = realign(store, art.en_id, "mt pipeline", aligner=Aligner(params, prior=prior), every_turn=True)
                ctx.warn(f"{art.en_id}: reviewed beads kept, the rest {plan.line().removeprefix('re-aligned the ')}")
                ctx.rep.advance(1)
                continue
            n_sent += art.sentence_beads
            carried = carry_over(store, art.en_id)  # a corrected file: its reviewers' work moves with it
            if carried is not None:
                line = (f"{art.en_id} replaces an earlier version of its file ({carried.old_en_id}): "
                        f"{_pieces(len(carried.carried))} of reviewed work carried over")
                if carried.stranded:
                    line += (f", {len(carried.stranded)} could not be (listed in `mt review` to reapply or discard; "
                             "the earlier version keeps them)")
                ctx.warn(line)
                for s in carried.stranded:
                    ctx.warn(f"{art.en_id}: not carried: {s.work.describe()}: {s.reason}")
            memory.learn_article(art.en_id)
            ctx.rep.advance(1)
        n_turn = sum(a.turn_beads for a in aligned)
        line = f"{len(human)} pairs: {n_turn} turn beads, {n_sent} sentence beads"
        summary = {"pairs": len(human), "turn_beads": n_turn, "sentence_beads": n_sent, "kept_reviewed": kept, "line": line,
                   "similarity": {a.en_id: a.similarity for a in aligned}}  # what the report draws the paths over
        return ctx.finish(self.name, fp, summary, line)


def _pieces(n: int) -> str:
    return f"{n} piece" + ("" if n == 1 else "s")
