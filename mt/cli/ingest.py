"""``mt ingest`` (files or directories into the store) and ``mt ingest fit`` (the reader's values from gold pages)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path

import typer

from mt.cli.common import DbOption, FilesByDefault, err_console, say, state, write_output


class LangChoice(StrEnum):
    auto = "auto"
    en = "en"
    ar = "ar"


app = typer.Typer(
    cls=FilesByDefault,
    no_args_is_help=True,
    help="Read articles into the store: `mt ingest PATH...` (see `mt ingest files --help`); refit the reader from gold "
         "pages (`mt ingest fit`).",
)

ValuesOption = typer.Option(None, "--values", help="Reader values from `mt ingest fit`; default: $MT_INGEST_VALUES, else those "
                            "shipped with mt.")


def read_options(values: Path | None, layout: Path | None):
    from mt.ingest import ReadOptions
    from mt.ingest.layouts import load_layouts
    from mt.ingest.params import ReaderParams

    return ReadOptions(params=ReaderParams.load(values) if values else None, layouts=load_layouts(layout) if layout else None)


@app.command("files")
def ingest(
    paths: list[Path] = typer.Argument(..., help="Files (.txt .md .html .json) or directories of them."),
    lang: LangChoice = typer.Option(LangChoice.auto, "--lang", help="Language of the articles; auto detects each."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Write the articles as JSON here (stdout without it)."),
    db: Path = DbOption,
    max_mb: float = typer.Option(20.0, "--max-mb", help="Refuse files larger than this many megabytes."),
    strict: bool = typer.Option(False, "--strict", help="Exit non-zero when any file fails, not only when all do."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No summary table on stderr."),
    layout: Path | None = typer.Option(None, "--layout", help="Declared site layouts (TOML, see README): how the sites "
                                       "you name mark their turns, for every page of theirs."),
    values: Path | None = ValuesOption,
) -> None:
    """Read articles, clean their noise, split them into turns and store them (idempotent by content hash)."""
    from mt.ingest import ingest_paths
    from mt.store import Store

    options = read_options(values, layout)  # a bad layout or values file fails before anything is read
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
                catch_unexpected=not state.debug, options=options,
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
        status = "new" if a.id in report.new_ids else "already stored"
        if a.id in report.reread:
            status = report.reread[a.id]
        if a.source.layout:
            status += f"; layout {a.source.layout}"
        if any(w.startswith("roles uncertain") for w in a.warnings):
            status += "; roles uncertain"
        table.add_row(a.id, a.lang, str(len(a.turns)), str(sum(t.role == "question" for t in a.turns)), str(len(a.dropped)), status)
    console.print(table)


@app.command("fit")
def fit_cmd(
    out: Path = typer.Option(..., "-o", "--out", help="Where to write the values (JSON); use them with --values or "
                             "MT_INGEST_VALUES, or write mt/ingest/data/params.json to ship them."),
    pages: Path | None = typer.Option(None, "--pages", help="Real pages with gold turns (X.txt beside X.gold.json); "
                                      "default: ../shared/real-pages beside the checkout."),
    fixtures: Path | None = typer.Option(None, "--fixtures", help="Layout fixtures (a page beside its .json of turns); "
                                         "default: tests/data/layouts of the checkout."),
    no_pages: bool = typer.Option(False, "--no-pages", help="Fit on the fixtures alone."),
    no_fixtures: bool = typer.Option(False, "--no-fixtures", help="Fit on the real pages alone."),
    l2: float | None = typer.Option(None, "--l2", min=0.0, help="The L2 penalty; default: chosen by leaving each site out."),
    heldout: bool = typer.Option(True, "--heldout/--no-heldout", help="Measure the values on each real site left out of "
                                 "the fit (recorded in the file's meta; about a minute)."),
) -> None:
    """Fit the reader (a CRF over pieces and a title chooser, see mt/ingest/fit.py) on gold pages and write its values."""
    from mt.errors import InputError
    from mt.evaluate.turns import Summary, read_and_score
    from mt.ingest import fit

    real_default, fixtures_default = fit.default_sources()
    pages = None if no_pages else (pages or real_default)
    fixtures = None if no_fixtures else (fixtures or fixtures_default)
    for folder, what in ((pages, "--pages"), (fixtures, "--fixtures")):
        if folder is not None and not folder.is_dir():
            raise InputError(f"no such folder (give {what} DIR, or {what.replace('--', '--no-')})", str(folder))
    gold, sources = fit.load_pages(pages, fixtures)
    say(f"mt: fitting on {sum(p.group == 'real' for p in gold)} real pages and {sum(p.group == 'fixture' for p in gold)} fixtures")
    report = fit.fit_pages(gold, l2, sources, log=lambda line: say(f"mt: {line}"))
    values = report.values
    fitted = Summary.of([read_and_score(p, values) for p in gold if p.group == "real"])
    values.meta["fitted_on_real_pages"] = _figures(fitted)
    if heldout and fitted.pages:
        folds = fit.folds(report.examples, values.meta["l2"], "real")
        held = Summary.of([read_and_score(p, folds[p.site]) for p in gold if p.group == "real" and p.site in folds])
        if held.pages:
            values.meta["heldout_real_pages"] = _figures(held)
            say(f"mt: held out (each site left out of the fit): {_line(held)}")
        else:
            say("mt: no held-out figures: no site can be left out with anything left to fit on")
    if fitted.pages:
        say(f"mt: on the pages fitted on: {_line(fitted)}")
    values.save(out)
    say(f"mt: l2={values.meta['l2']}; {len(values.features)} features; fitted in {report.seconds:.0f} s; wrote {out}")


def _figures(s) -> dict:
    return {"pages": s.pages, "exact": s.exact, "turn_f1": round(s.f1, 4), "titles": f"{s.titles_ok}/{s.titles}"}


def _line(s) -> str:
    return f"exact {s.exact}/{s.pages} pages, turn F1 {s.f1:.3f}, titles {s.titles_ok}/{s.titles}"
