"""``mt pipeline``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from mt.cli.common import err_console, say, write_output

if TYPE_CHECKING:  # the pipeline's modules load only when the command runs, so that `mt --help` starts at once
    from mt.pipeline.base import Reporter as _ReporterBase
else:
    _ReporterBase = object


def default_corpus() -> Path:
    """The bundled sample corpus: next to the package in a checkout, else under the working directory."""
    here = Path(__file__).resolve().parents[2] / "corpora" / "sample"
    return here if here.is_dir() else Path("corpora") / "sample"


class CliReporter(_ReporterBase):
    """A bar per stage on a terminal; one plain line per finished stage everywhere."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.console = err_console()
        self.bar = None
        self.task = None
        if not quiet and sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("{task.description:<10}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                console=self.console, transient=True)
            self.bar.start()

    def stage(self, name, total=None):
        if self.bar:
            if self.task is not None:
                self.bar.remove_task(self.task)
            self.task = self.bar.add_task(name, total=total)

    def advance(self, n=1):
        if self.bar and self.task is not None:
            self.bar.advance(self.task, n)

    def done(self, result):
        if self.bar and self.task is not None:
            self.bar.remove_task(self.task)
            self.task = None
        if not self.quiet:
            say(f"mt: {result.name:<9} {result.line}")

    def note(self, line):
        if not self.quiet or line.startswith("warning"):
            say(f"mt: {line}")

    def close(self):
        if self.bar:
            self.bar.stop()


def pipeline(
    corpus: Path | None = typer.Argument(None, help="Corpus folder (article files or en/ and ar/ folders; optional"
        " pairs.tsv and gold/). Default: the bundled sample."),
    out: Path = typer.Option(Path("out"), "--out", "-o", help="Folder for the store, report, lexicons and exports."),
    engine: str = typer.Option("auto", "--engine", help="auto (a local neural model if there is one, else the lexicon), hf, ct2 or lexicon."),
    model: str | None = typer.Option(None, "--model", help="Arabic→English model: a hub id, a local folder, or a lexicon file."),
    reverse_model: str | None = typer.Option(None, "--reverse-model", help="English→Arabic model for the synthetic part."),
    db: Path | None = typer.Option(None, "--db", help="Corpus store. Default: OUT/corpus.db."),
    manifest: Path | None = typer.Option(None, "--manifest", help="Pairs (TSV/CSV). Default: CORPUS/pairs.tsv if present, else pairing by evidence."),
    gold: Path | None = typer.Option(None, "--gold", help="Gold alignments folder. Default: CORPUS/gold if present."),
    layouts: Path | None = typer.Option(None, "--layouts", help="Declared site layouts (TOML). Default: CORPUS/layouts.toml if present."),
    formats: list[str] = typer.Option(["jsonl", "hf", "moses", "tmx", "xliff", "csv"], "--format", "-f", help="Export formats (repeat)."),
    seed: int = typer.Option(12345, "--seed", help="Seed for splits and lexicon folds."),
    ray: str | None = typer.Option(None, "--ray", metavar="[ADDRESS]",
                                   help="Translate on Ray: a local instance (--ray alone), or a cluster (--ray auto, --ray ray://HOST:10001)."),
    as_json: bool = typer.Option(False, "--json", help="Print the run's totals as JSON on stdout."),
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress and no summary table."),
) -> None:
    """Ingest, pair, align (turns, then sentences), translate, evaluate and export in one resumable run."""
    from mt.export import EXPORTERS
    from mt.pipeline import PipelineConfig, run_pipeline

    for f in formats:
        EXPORTERS.get(f)  # an unknown name is an error that lists the available ones
    cfg = PipelineConfig(corpus or default_corpus(), out, db, engine, model, reverse_model, manifest, gold, tuple(formats), seed,
                         ray=ray, layouts=layouts)
    rep = CliReporter(quiet)
    try:
        result = run_pipeline(cfg, rep)
    finally:
        rep.close()
    if as_json:
        write_output(json.dumps(result.totals, ensure_ascii=False, indent=2) + "\n", None)
    if not quiet:
        _summary(result, cfg)


def _summary(result, cfg) -> None:
    from rich.table import Table

    t = result.totals
    ev = t.get("evaluation") or {}
    table = Table(title="mt pipeline", title_justify="left", show_header=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    table.add_row("articles", f"{t['articles']['en']} English, {t['articles']['ar']} Arabic")
    table.add_row("pairs", f"{t['pairs']} with an Arabic source, {t['english_only']} English-only (synthetic part)")
    table.add_row("turns aligned", f"{t['turns_aligned']} of {t['turns']} English turns")
    table.add_row("beads by type", " · ".join(f"{k}: {v}" for k, v in t["beads"].items()) or "none")
    table.add_row("synthetic beads", str(t["synthetic_beads"]))
    if ev.get("mt"):
        table.add_row(f"{ev.get('mt_label', 'MT')} (ar→en)", ", ".join(f"{k} {v}" for k, v in ev["mt"].items()))
    if ev.get("alignment"):
        al = ev["alignment"]
        table.add_row("alignment vs gold", f"strict F1 {al['strict_f1']:.3f}, lax F1 {al['lax_f1']:.3f}")
    export = next((s for s in result.stages if s.name == "export"), None)
    if export:
        table.add_row("exported", ", ".join(f"{k} {v}" for k, v in export.summary.get("counts", {}).items()))
    secs = t.get("seconds", {})
    table.add_row("seconds", " · ".join(f"{k} {v:.1f}" for k, v in secs.items()) + f" (total {sum(secs.values()):.1f})")
    table.add_row("report", str(result.report.get("html", "")))
    table.add_row("exports", str(cfg.out / "export"))
    err_console().print(table)
