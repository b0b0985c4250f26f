"""Bead files: JSON lines (``{"src": [0], "tgt": [0, 1], "score": 0.97}``), and Vecalign's ``[0]:[0, 1]:0.97`` lines."""

from __future__ import annotations

import json
from pathlib import Path

from mt.errors import InputError
from mt.records import Alignment

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]


def to_jsonl(al: Alignment) -> str:
    return "".join(json.dumps(b.to_dict()) + "\n" for b in al.beads)


def read_beads(path: str | Path) -> Beads:
    """Beads of one file, in either format; errors name the file and line."""
    p = Path(path)
    try:
        text = p.read_text("utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file", str(p)) from None
    except UnicodeDecodeError:
        raise InputError("not a UTF-8 text file of beads", str(p)) from None
    out: Beads = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        try:
            if line.startswith("{"):
                d = json.loads(line)
                src, tgt = d["src"], d["tgt"]
            else:
                parts = line.split(":")
                src, tgt = json.loads(parts[0]), json.loads(parts[1])
            if not all(isinstance(x, list) and all(type(i) is int and i >= 0 for i in x) for x in (src, tgt)):
                raise ValueError("ids must be lists of whole numbers")
            out.append((tuple(src), tuple(tgt)))
        except (ValueError, KeyError, IndexError, TypeError):
            raise InputError(f"line {n}: not a bead ({line[:60]!r}); expected {{\"src\": [...], \"tgt\": [...]}} or [i]:[j]", str(p)) from None
    return out
