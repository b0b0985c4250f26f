"""``mt ingest``."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

from mt.cli.common import DbOption, err_console, say, state, write_output


class LangChoice(StrEnum):
    auto = "auto"
    en = "en"
    ar = "ar"


def ingest(
    paths: list[Path] = typer.Argument(..., help="Files (.txt .md .html .json) or directories of them."),
    lang: LangChoice = typer.Option(LangChoice.auto, "--lang", help="Language of the articles; auto detects each."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write the articles as JSON here (stdout without it)."),
    db: Path = DbOption,
    max_mb: float = typer.Option(20.0, "--max-mb", help="Refuse files larger than this many megabytes."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero when any file fails, not only when all do."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No summary table on stderr."),
) -> None:
    """Read articles, clean their noise, split them into turns and store them (idempotent by content hash)."""
    from mt.ingest import ingest_paths
    from mt.store import Store

    console = err_console()
    with Store(db) as store:
        progress = None
        if sys.stderr.isatty() and not quiet:
            from rich.progress import Progress

            progress = Progress(console=console, transient=True)
            task = progress.add_task("ingesting", total=None)
            progress.start()
        try:
            report = ingest_paths(
                [str(p) for p in paths], lang=lang.value, store=store, max_bytes=int(max_mb * 1024 * 1024),
                on_file=(lambda p: progress.update(task, advance=1, description=str(p.name))) if progress else None,
                catch_unexpected=not state.debug,
            )
        finally:
            if progress:
                progress.stop()
    if report.articles:
        dicts = [a.to_dict() for a in report.articles]
        payload = dicts[0] if len(dicts) == 1 else dicts
        write_output(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", out)
    if not quiet and report.articles:
        _summary(console, report, db)
    for a in report.articles:
        if a.id in report.new_ids:
            for w in a.warnings:
                say(f"mt: warning: {a.source.path}: {w}")
    for path, reason in report.failed:
        say(f"mt: skipped {path}: {reason}")
    if report.failed and (not report.articles or strict):
        raise typer.Exit(2)


def _summary(console, report, db: Path) -> None:
    from rich.table import Table

    table = Table(title=f"ingested into {db}", title_justify="left")
    for col in ("id", "lang", "turns", "questions", "dropped", "status"):
        table.add_column(col, overflow="fold")
    for a in report.articles:
        table.add_row(
            a.id, a.lang, str(len(a.turns)), str(sum(t.role == "question" for t in a.turns)), str(len(a.dropped)),
            ("new" if a.id in report.new_ids else "already stored")
            + ("; roles uncertain" if any(w.startswith("roles uncertain") for w in a.warnings) else ""),
        )
    console.print(table)
