"""``mt export``."""

from __future__ import annotations

from pathlib import Path

import typer

from mt.cli.common import DbOption, missing_store, say


def export(
    out: Path = typer.Argument(..., help="Folder to write the export into."),
    formats: list[str] = typer.Option(["hf"], "--format", "-f", help="jsonl, hf, moses, tmx, xliff or csv (repeat for several)."),
    db: Path = DbOption,
    level: str = typer.Option("sentence", "--level", help="sentence or turn beads."),
    only_accepted: bool = typer.Option(False, "--only-accepted", help="Only beads a reviewer accepted (rejected ones are never exported)."),
    no_synthetic: bool = typer.Option(False, "--no-synthetic", help="Leave out the machine-translated English-only articles."),
    seed: int = typer.Option(12345, "--seed", help="Seed of the article-level splits."),
) -> None:
    """Export the corpus with splits by article, filters and de-duplication, and a dataset card."""
    from mt.errors import InputError
    from mt.export import export_store
    from mt.store import Store

    if level not in ("sentence", "turn"):
        raise InputError(f"--level must be sentence or turn, not {level!r}")
    missing_store(db)
    with Store(db) as store:
        info, written = export_store(store, out, formats, seed=seed, level=level, only_accepted=only_accepted,
                                     synthetic=not no_synthetic)
    for name, paths in written.items():
        say(f"mt: {name}: {', '.join(p.name for p in paths)}")
    removed = ", ".join(f"{k} {v}" for k, v in info.removed.items() if v) or "nothing"
    say(f"mt: exported {', '.join(f'{s} {n}' for s, n in info.counts.items())} rows to {out} (removed: {removed})")
