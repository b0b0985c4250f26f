"""Stage 4, translate: the Arabic side of every human bead into English, for evaluation and for reviewers."""

from __future__ import annotations

from pathlib import Path

from mt.pipeline.base import StageContext, StageResult
from mt.pipeline.engines import engines_for


class Translate:
    name = "translate"

    def run(self, ctx: StageContext) -> StageResult:
        from mt.translate import Translator

        store = ctx.store
        ids = [p.en_id for p in ctx.pairs if p.ar_id]
        if not ids:
            return ctx.finish(self.name, "", {}, "no pairs to translate", skipped=True)
        engines = engines_for(ctx, ids, "ar", "en")
        # work already done is never done twice: beads translated by this very engine keep their translation
        todo = {i: [b for b in store.beads(i) if b.ar.strip() and not (b.mt is not None and b.mt_model == engines[i].tag)]
                for i in ids}
        total = sum(map(len, todo.values()))
        if not total:
            n = sum(len(store.beads(i)) for i in ids)
            return ctx.finish(self.name, "", {"translated": 0}, f"{n} beads already translated", skipped=True)
        ctx.rep.stage(self.name, total)
        done = cached = 0
        for i in ids:  # article by article, each stored at once: an interrupted run keeps what it finished
            if not todo[i]:
                continue
            out = Translator(engines[i], store, runner=ctx.runner).translate([b.ar for b in todo[i]], progress=ctx.rep.advance)
            eng = engines[i]
            model = eng.model_name
            if model and Path(model).exists():
                model = str(Path(model).resolve())  # the review app may run from another directory
            store.remember_engine(eng.tag, eng.name, model, eng.src, eng.tgt)
            store.set_bead_mt([(b.stored_id, t.text, eng.tag) for b, t in zip(todo[i], out)])
            done += len(out)
            cached += sum(t.cached for t in out)
        return ctx.finish(self.name, "", {"translated": done, "cached": cached}, f"{done} beads translated ({cached} from the cache)")
