"""What the command modules share: global flags, consoles, atomic output."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import typer
from typer.core import TyperGroup

from mt.store import DEFAULT_DB


@dataclass
class State:
    debug: bool = False


state = State()

DbOption = typer.Option(DEFAULT_DB, "--db", help="Corpus store (SQLite file).", envvar="MT_DB")


class FilesByDefault(TyperGroup):
    """A command group whose first argument, when it names no subcommand, is a path for ``files``: ``mt align SRC TGT``
    is ``mt align files SRC TGT``, ``mt ingest PATH`` is ``mt ingest files PATH`` (a file named like a subcommand:
    ``./fit``)."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help"):
            args = ["files", *args]
        return super().parse_args(ctx, args)


def err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def missing_store(db: Path) -> None:
    """A one-line error for a store that is not there, pointing at the pipeline's store when it exists."""
    from mt.errors import InputError

    if Path(db).exists():
        return
    hint = "run `mt pipeline` first"
    if Path("out/corpus.db").exists() and Path(db) != Path("out/corpus.db"):
        hint = "`mt pipeline` keeps its store in out/corpus.db: pass --db out/corpus.db (or set MT_DB)"
    raise InputError(f"no such store; {hint}", str(db))


def say(line: str) -> None:
    """One plain line on stderr (never wrapped or styled: scripts grep these)."""
    print(line, file=sys.stderr, flush=True)


def write_output(text: str, out: Path | None) -> None:
    """Write to ``out`` atomically (a killed run never leaves half a file), or to stdout."""
    if out is None or str(out) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from mt.fileio import atomic_write

    atomic_write(out, text)


class _NoBar:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def progress_bar(console, quiet: bool):
    """A progress bar with segments per second and ETA on a terminal; nothing in pipes, logs and CI."""
    if quiet or not sys.stderr.isatty():
        return _NoBar()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    class Rate(TextColumn):
        def render(self, task):
            speed = task.finished_speed or task.speed
            return super().render(task) if speed is None else f"{speed:,.1f} seg/s"

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), Rate(""), TimeRemainingColumn(), console=console)
