"""Stage 1, ingest: the corpus folder's article files into the store."""

from __future__ import annotations

import re
from pathlib import Path

from mt.errors import InputError, NotFoundError
from mt.pipeline.base import StageContext, StageResult, fingerprint

NOT_ARTICLES = re.compile(r"(?i)^(readme|license|licence|copying|notice|changelog|authors|pairs|manifest)([._-].*)?$")


def corpus_inputs(corpus: Path) -> list[Path]:
    """The article files and folders of a corpus directory: everything but gold data, manifests and READMEs."""
    from mt.ingest.readers import SUPPORTED_EXTENSIONS

    out = []
    for p in sorted(corpus.iterdir()):
        if p.name.startswith(".") or p.name == "gold" or NOT_ARTICLES.match(p.name):
            continue
        if p.is_dir() or p.suffix.lower() in SUPPORTED_EXTENSIONS:
            out.append(p)
    return out


class Ingest:
    name = "ingest"

    def run(self, ctx: StageContext) -> StageResult:
        from mt.ingest import ReadOptions, ingest_paths, iter_files
        from mt.ingest.layouts import load_layouts
        from mt.ingest.params import default_params

        cfg = ctx.cfg
        files = [f for f, err in iter_files(corpus_inputs(cfg.corpus)) if err is None]
        if not files:
            raise InputError("no article files in this corpus directory", str(cfg.corpus))
        layouts = load_layouts(cfg.layouts) if cfg.layouts else None  # a bad file stops the run before anything is read
        options = ReadOptions(layouts=layouts)
        # the pages are read again when the reader's values or the declared layouts change (a new version of each
        # article whose turns change, reviewed work carried over by the align stage)
        reading = (default_params().digest, layouts.digest if layouts else "")
        fp = fingerprint("ingest", [(str(f), f.stat().st_size, f.stat().st_mtime_ns) for f in files] + [reading])
        prev = ctx.recorded(self.name)
        if prev and prev.fingerprint == fp:
            try:
                ctx.articles = [ctx.store.get_article(i) for i in prev.summary["ids"]]
                return self._done(ctx, fp, {**prev.summary, "new": 0}, skipped=True)
            except NotFoundError:  # an article removed from the store since: ingest again
                pass
        ctx.rep.stage(self.name, len(files))
        report = ingest_paths([str(f) for f in files], store=ctx.store, on_file=lambda _p: ctx.rep.advance(1), options=options)
        for path, why in report.failed:
            ctx.warn(f"{path}: {why}")
        if not report.articles:
            raise InputError("no file of this corpus could be ingested", str(cfg.corpus))
        ctx.articles = report.articles
        summary = {"ids": [a.id for a in report.articles], "new": len(report.new_ids), "failed": len(report.failed),
                   "reread": len(report.reread), "layouts": sum(a.source.layout is not None for a in report.articles)}
        for art_id, what in report.reread.items():
            ctx.rep.note(f"{art_id}: {what}")
        return self._done(ctx, fp, summary)

    def _done(self, ctx: StageContext, fp: str, summary: dict, skipped: bool = False) -> StageResult:
        for a in ctx.articles:
            for w in a.warnings:
                if w.startswith("roles uncertain"):
                    ctx.warn(f"{a.id}: {w}")
        en = sum(1 for a in ctx.articles if a.lang == "en")
        line = f"{len(ctx.articles)} articles ({en} English, {len(ctx.articles) - en} Arabic), {summary['new']} new"
        if summary.get("reread"):
            line += f" ({summary['reread']} read again: new or earlier versions)"
        if summary.get("layouts"):
            line += f", {summary['layouts']} read with a declared layout"
        return ctx.finish(self.name, fp, summary, line, skipped=skipped)
