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
    from mt.errors import OutputError

    if out.is_dir():
        raise OutputError(f"cannot write {out}: it is a directory; give a file name")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    except OSError as e:
        raise OutputError(f"cannot write {out}: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes files only their owner can read
        os.replace(tmp, out)
    except OSError as e:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {out}: {e.strerror or e}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
