"""Stage 6, evaluate: MT and alignment scores into a Markdown and an HTML report."""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from pathlib import Path

from mt.pipeline.base import StageContext, StageResult, fingerprint


def bead_state(store, ids: list[str]) -> str:
    """A fingerprint of everything the report and the exports read of these articles' beads."""
    rows = [(b.en_id, b.level, b.ordinal, b.ar, b.en, round(b.score, 6), b.status, b.version, b.mt)
            for i in ids for level in ("turn", "sentence") for b in store.beads(i, level=level)]
    return fingerprint(rows)


class Evaluate:
    name = "evaluate"

    def run(self, ctx: StageContext) -> StageResult:
        from mt.evaluate.report import collect, mt_heading, write_report

        cfg = ctx.cfg
        ids = [p.en_id for p in ctx.pairs]
        out_dir = cfg.out / "report"
        gold = sorted(str(p) for p in cfg.gold.glob("*.json")) if cfg.gold else []
        fp = fingerprint("evaluate", bead_state(ctx.store, ids),
                         [(g, hashlib.sha256(Path(g).read_bytes()).hexdigest()) for g in gold], str(out_dir.resolve()))
        prev = ctx.recorded(self.name)
        paths = {"markdown": out_dir / "report.md", "html": out_dir / "report.html"}
        if prev and prev.fingerprint == fp and all(p.exists() for p in paths.values()):
            ctx.result.report = paths
            ctx.evaluation = prev.summary
            return ctx.finish(self.name, fp, prev.summary, prev.summary.get("line", ""), skipped=True)
        ctx.rep.stage(self.name, None)
        aligned = ctx.recorded("align")
        data = collect(ctx.store, ctx.articles, ctx.pairs, cfg.gold, engines={k: asdict(v) for k, v in ctx.result.engines.items()},
                       similarity=aligned.summary.get("similarity") if aligned else None)
        ctx.result.report = write_report(data, out_dir)
        summary = data.summary()
        mt = summary.get("mt") or {}
        # word glosses are scored as a floor, and named as glosses: never as a translation
        summary["mt_label"] = "word glosses" if mt_heading(data.engines)[0].startswith("Word glosses") else "MT"
        line = (f"{summary['mt_label']} " + ", ".join(f"{k} {v}" for k, v in mt.items() if k != "segments") if mt else "no MT scores")
        if summary.get("alignment"):
            line += f"; alignment F1 {summary['alignment']['strict_f1']:.3f} against gold"
        summary["line"] = line
        ctx.evaluation = summary
        return ctx.finish(self.name, fp, summary, line)
