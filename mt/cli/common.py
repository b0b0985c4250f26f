"""What the command modules share: global flags, consoles, atomic output."""

from __future__ import annotations

import os
import sys
import tempfile
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

    return Console(stderr=True, highlight=False)


def write_output(text: str, out: Path | None) -> None:
    """Write to ``out`` atomically (a killed run never leaves half a file), or to stdout."""
    if out is None or str(out) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
