"""The ``mt`` command. The only place that prints for people and decides exit codes."""

from __future__ import annotations

import sys

import typer

from mt import __version__
from mt.cli import align, corpus, evaluate, export, finetune, ingest, pair, pipeline, review, translate
from mt.cli.common import state
from mt.errors import MtError

app = typer.Typer(
    name="mt",
    help="Interview journalism into a reviewed Arabic–English parallel corpus.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"mt {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version and exit."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line errors."),
) -> None:
    state.debug = debug


app.add_typer(ingest.app, name="ingest")
app.add_typer(corpus.app, name="corpus")
app.command("translate")(translate.translate)
app.add_typer(translate.models_app, name="models")
app.add_typer(translate.lexicon_app, name="lexicon")
app.add_typer(pair.app, name="pair")
app.add_typer(align.app, name="align")
app.add_typer(align.eval_app, name="eval", hidden=True)  # the older name of `mt evaluate`
app.command("pipeline")(pipeline.pipeline)
app.add_typer(evaluate.app, name="evaluate")
app.command("export")(export.export)
app.command("review")(review.review)
app.command("finetune")(finetune.finetune)


def _is_ray_address(arg: str) -> bool:
    import os

    if os.path.exists(arg):  # an input file, even one named notes:v2.txt
        return False
    return arg in ("auto", "local") or ":" in arg  # ray://head:10001, head:6379


def _ray_flag(argv: list[str]) -> list[str]:
    """``--ray`` alone means a local Ray instance: give the option its value (an input file is not an address)."""
    out = []
    for k, arg in enumerate(argv):
        out.append(arg)
        if arg == "--ray" and (k + 1 == len(argv) or not _is_ray_address(argv[k + 1])):
            out.append("local")
    return out


def main() -> None:
    try:
        app(args=_ray_flag(sys.argv[1:]))
    except MtError as e:
        if state.debug:
            raise
        print(f"mt: error: {e}", file=sys.stderr)
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        print("mt: interrupted; work already stored is kept", file=sys.stderr)
        sys.exit(130)
