"""Stage 7, export: the corpus in every chosen format, with its splits and data card."""

from __future__ import annotations

from pathlib import Path

from mt.errors import InputError
from mt.pipeline.base import StageContext, StageResult, fingerprint
from mt.pipeline.evaluate import bead_state


class Export:
    name = "export"

    def run(self, ctx: StageContext) -> StageResult:
        from mt.export import export_store

        cfg = ctx.cfg
        ids = sorted(p.en_id for p in ctx.pairs)
        out_dir = cfg.out / "export"
        fp = fingerprint("export", bead_state(ctx.store, ids), cfg.formats, cfg.seed, str(out_dir.resolve()))
        prev = ctx.recorded(self.name)
        if prev and prev.fingerprint == fp and all(Path(p).exists() for ps in prev.summary["files"].values() for p in ps):
            ctx.result.exports = {k: [Path(p) for p in v] for k, v in prev.summary["files"].items()}
            return ctx.finish(self.name, fp, prev.summary, prev.summary["line"], skipped=True)
        ctx.rep.stage(self.name, len(cfg.formats))
        try:
            info, written = export_store(ctx.store, out_dir, list(cfg.formats), seed=cfg.seed, en_ids=set(ids))
        except InputError as e:
            ctx.warn(e.reason)
            return ctx.finish(self.name, "", {}, "nothing exported", skipped=True)
        ctx.result.exports = written
        line = ", ".join(f"{s} {n}" for s, n in info.counts.items()) + f" rows in {len(cfg.formats)} formats"
        summary = {"counts": info.counts, "removed": info.removed, "line": line,
                   "files": {k: [str(p) for p in v] for k, v in written.items()}}
        return ctx.finish(self.name, fp, summary, line)
