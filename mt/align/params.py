"""The aligner's fitted values: one versioned JSON file in the package, with how and on what they were fitted.

Every number the aligner weighs evidence with lives here, none in the code: each feature's weight
(:attr:`mt.align.scorers.Scorer.features`), the log-prior of each bead type relative to 1-1
(``type:a-b``), the score of a segment aligned to nothing (``delete:src``, ``delete:tgt``), in two
sets (the ``first`` pass, before any lexicon exists, and the ``second``, with one), two more for
interview turns (``turns``: documents whose segments have question/answer roles, fitted on
interview gold with the general sets as their prior), and the
``temperature`` of each pass that makes its bead posteriors calibrated probabilities (the first
pass's posteriors weigh the pairs the lexicon is learnt from; the last pass's are the scores users
filter on). ``mt align fit`` (see
:mod:`mt.align.fit`) writes them; ``meta`` says when, from what data, by which procedure, and what
they scored on held-out data.

File format (``format: mt-align-params``, ``version: 1``)::

    {"format": "mt-align-params", "version": 1,
     "first": {"type:1-2": -0.4, "delete:src": -3.1, "length@-1": 0.8, ...},
     "second": {...}, "temperature": {"first": 1.3, "second": 1.1}, "meta": {...}}
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from mt.errors import ModelError

FORMAT = "mt-align-params"
VERSION = 1
DEFAULT_PATH = Path(__file__).parent / "data" / "params.json"
PASSES = ("first", "second")


def type_name(a: int, b: int) -> str:
    """The weight name of a bead type's prior (1-1 is the reference, 0), or of a deletion."""
    if a == 0:
        return "delete:tgt"
    if b == 0:
        return "delete:src"
    return f"type:{a}-{b}"


@dataclass(frozen=True)
class AlignParams:
    first: dict[str, float]
    second: dict[str, float]
    temperatures: dict[str, float] = field(default_factory=lambda: {"first": 1.0, "second": 1.0})
    meta: dict = field(default_factory=dict, compare=False)
    turns: dict[str, dict[str, float]] | None = None  # the two sets for interview turns (documents with roles), if fitted

    def weights(self, with_lexicon: bool, turns: bool = False) -> dict[str, float]:
        sets = self.turns if turns and self.turns else {"first": self.first, "second": self.second}
        return sets["second" if with_lexicon else "first"]

    def temperature(self, with_lexicon: bool) -> float:
        return self.temperatures["second" if with_lexicon else "first"]

    @property
    def digest(self) -> str:
        """A short hash of the numbers (not of the notes): what a stored alignment says it was made with."""
        body = json.dumps({"first": self.first, "second": self.second, "temperature": self.temperatures, "turns": self.turns},
                          sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()[:12]

    def to_dict(self) -> dict:
        d = {"format": FORMAT, "version": VERSION, "first": dict(sorted(self.first.items())),
             "second": dict(sorted(self.second.items())), "temperature": dict(self.temperatures)}
        if self.turns:
            d["turns"] = {k: dict(sorted(v.items())) for k, v in self.turns.items()}
        d["meta"] = self.meta
        return d

    def save(self, path: str | Path) -> None:
        from mt.fileio import atomic_write

        atomic_write(Path(path), json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n")

    @classmethod
    def from_dict(cls, d: dict, where: str = "params") -> AlignParams:
        def bad(why: str) -> ModelError:
            return ModelError(f"{where}: not aligner parameters mt can use ({why}); refit with `mt align fit`")

        if not isinstance(d, dict) or d.get("format") != FORMAT:
            raise bad(f"expected format {FORMAT!r}")
        if not isinstance(d.get("version"), int) or d["version"] > VERSION:
            raise bad(f"version {d.get('version')!r}; this mt reads up to {VERSION}")
        def weights(w, name: str) -> dict[str, float]:
            if not isinstance(w, dict) or not w:
                raise bad(f"no {name!r} weights")
            for k, v in w.items():
                if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v):
                    raise bad(f"{name} weight {k!r} is {v!r}, not a number")
            return {str(k): float(v) for k, v in w.items()}

        sets = [weights(d.get(name), name) for name in PASSES]
        turns = None
        if d.get("turns") is not None:
            if not isinstance(d["turns"], dict):
                raise bad("'turns' is not a pair of weight sets")
            turns = {name: weights(d["turns"].get(name), f"turns {name}") for name in PASSES}
        t = d.get("temperature")
        if isinstance(t, (int, float)) and not isinstance(t, bool):
            t = {"first": t, "second": t}
        if not isinstance(t, dict) or set(t) != set(PASSES):
            raise bad(f"temperature {t!r}; expected {{\"first\": T, \"second\": T}}")
        for k, v in t.items():
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not math.isfinite(v) or v <= 0:
                raise bad(f"{k} temperature {v!r}")
        return cls(sets[0], sets[1], {k: float(v) for k, v in t.items()}, d.get("meta") or {}, turns)

    @classmethod
    def load(cls, path: str | Path) -> AlignParams:
        path = Path(path)
        try:
            d = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise ModelError(f"{path}: no aligner parameters file there; refit with `mt align fit -o {path}`") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise ModelError(f"{path}: cannot read aligner parameters ({type(e).__name__}: {e})") from None
        return cls.from_dict(d, str(path))


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> AlignParams:
    return AlignParams.load(path)


def load_params(path: str | Path | None = None) -> AlignParams:
    """The given file, else ``$MT_ALIGN_PARAMS``, else the fitted values shipped in the package."""
    p = Path(path or os.environ.get("MT_ALIGN_PARAMS") or DEFAULT_PATH)
    try:
        mtime = p.stat().st_mtime
    except OSError:
        return AlignParams.load(p)  # the one-line error
    return _load_cached(str(p), mtime)
