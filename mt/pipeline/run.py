"""``mt pipeline``: the stages in order, over one store, and the totals of the run."""

from __future__ import annotations

import time
from collections import Counter

from mt.pipeline.align import Align
from mt.pipeline.base import PipelineConfig, PipelineResult, Reporter, Stage, StageContext
from mt.pipeline.evaluate import Evaluate
from mt.pipeline.export import Export
from mt.pipeline.ingest import Ingest
from mt.pipeline.pair import Pair
from mt.pipeline.synthetic import Synthetic
from mt.pipeline.translate import Translate

STAGES: tuple[Stage, ...] = (
    Ingest(),  # article files into the store
    Pair(),  # English articles with their Arabic sources
    Align(),  # turns, then sentences inside turns
    Translate(),  # the Arabic side of every bead into English
    Synthetic(),  # English-only articles into Arabic, kept apart
    Evaluate(),  # MT and alignment scores, the report
    Export(),  # the corpus in every format
)


def run_pipeline(cfg: PipelineConfig, reporter: Reporter | None = None) -> PipelineResult:
    from mt.store import Store

    result = PipelineResult()
    with Store(cfg.store_path) as store:
        ctx = StageContext(cfg, store, reporter or Reporter(), result)
        for stage in STAGES:
            t0 = time.perf_counter()
            res = stage.run(ctx)
            # a skipped stage did no work in this run: its seconds are 0 (checking that it may be skipped is not work)
            result.seconds[stage.name] = 0.0 if res.skipped else round(time.perf_counter() - t0, 3)
        result.totals = totals(ctx) | {"seconds": dict(result.seconds)}
    return result


def totals(ctx: StageContext) -> dict:
    """What the run's summary table shows."""
    store, pairs, articles = ctx.store, ctx.pairs, ctx.articles
    beads = [b for p in pairs for b in store.beads(p.en_id)]
    turn_beads = [b for p in pairs if p.ar_id for b in store.beads(p.en_id, level="turn")]
    return {
        "articles": {"en": sum(1 for a in articles if a.lang == "en"), "ar": sum(1 for a in articles if a.lang == "ar")},
        "pairs": sum(1 for p in pairs if p.ar_id),
        "english_only": sum(1 for p in pairs if not p.ar_id),
        "turns_aligned": sum(len(b.en_index) for b in turn_beads if b.complete),
        "turns": sum(len(b.en_index) for b in turn_beads),
        "beads": dict(sorted(Counter(b.kind for b in beads if b.origin == "human").items())),
        "synthetic_beads": sum(1 for b in beads if b.origin == "synthetic"),
        "evaluation": ctx.evaluation,
    }
