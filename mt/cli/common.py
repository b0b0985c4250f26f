"""What the command modules share: global flags, consoles, atomic output."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import typer

from mt.store import DEFAULT_DB


@dataclass
class State:
    debug: bool = False


state = State()

DbOption = typer.Option(DEFAULT_DB, "--db", help="Corpus store (SQLite file).", envvar="MT_DB")


def err_console():
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


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
