"""The reader's fitted values: one versioned JSON file in the package, with how and on what they were fitted.

Every number the reader decides turns with lives here, none in the code: the weight of each feature
(:mod:`mt.ingest.features`) for each tag, the transition scores between tags (:mod:`mt.ingest.crf`),
and the weights of the title chooser (:mod:`mt.ingest.title`). ``mt ingest fit`` writes them
(:mod:`mt.ingest.fit`); ``meta`` says when, from which pages, with which penalty, and what they
scored held out.

File format (``format: mt-ingest-params``, ``version: 1``)::

    {"format": "mt-ingest-params", "version": 1, "tags": ["O", "BQ", "IQ", "BA", "IA"],
     "emission": {"mk=q": [-1.2, 3.4, ...], ...}, "transition": [[...], ...], "start": [...], "end": [...],
     "title": {"pos=0": 1.3, ...}, "meta": {...}}
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from mt.errors import InputError
from mt.ingest import crf

FORMAT = "mt-ingest-params"
VERSION = 1
DEFAULT_PATH = Path(__file__).parent / "data" / "params.json"


@dataclass(frozen=True)
class ReaderParams:
    features: tuple[str, ...]
    weights: crf.Weights
    title: dict[str, float] = field(default_factory=dict)
    meta: dict = field(default_factory=dict, compare=False)

    @cached_property
    def index(self) -> dict[str, int]:
        return {f: i for i, f in enumerate(self.features)}

    @cached_property
    def digest(self) -> str:
        """A short hash of the numbers (not of the notes): what a stored article says it was read with."""
        body = json.dumps({k: v for k, v in self.to_dict().items() if k != "meta"}, sort_keys=True)
        return hashlib.sha256(body.encode()).hexdigest()[:12]

    def to_dict(self) -> dict:
        w = self.weights
        r = lambda a: [round(float(x), 4) for x in a]  # noqa: E731 - four decimals keep the file stable and readable
        return {
            "format": FORMAT, "version": VERSION, "tags": list(crf.TAGS),
            "emission": {f: r(w.emission[i]) for i, f in sorted(enumerate(self.features), key=lambda t: t[1])},
            "transition": [r(row) for row in w.transition], "start": r(w.start), "end": r(w.end),
            "title": {k: round(v, 4) for k, v in sorted(self.title.items())}, "meta": self.meta,
        }

    @classmethod
    def from_dict(cls, d: dict, where: str = "values") -> ReaderParams:
        if d.get("format") != FORMAT or d.get("version") != VERSION:
            raise InputError(f"not a reader values file of version {VERSION} (format {d.get('format')!r}, version {d.get('version')!r})", where)
        if list(d.get("tags", [])) != list(crf.TAGS):
            raise InputError(f"tags {d.get('tags')} are not {list(crf.TAGS)}", where)
        try:
            names = tuple(d["emission"])
            em = np.array([d["emission"][f] for f in names], dtype=float).reshape(len(names), crf.T)
            w = crf.Weights(em, np.array(d["transition"], dtype=float).reshape(crf.T, crf.T),
                            np.array(d["start"], dtype=float).reshape(crf.T), np.array(d["end"], dtype=float).reshape(crf.T))
            title = {str(k): float(v) for k, v in d.get("title", {}).items()}
        except (KeyError, TypeError, ValueError) as e:
            raise InputError(f"malformed reader values ({type(e).__name__}: {e})", where) from None
        numbers = [em, w.transition, w.start, w.end, np.array(list(title.values()), dtype=float)]
        if not all(np.isfinite(a).all() for a in numbers):
            raise InputError("reader values hold a number that is not finite (NaN or infinity)", where)
        return cls(names, w, title, d.get("meta", {}))

    @classmethod
    def load(cls, path: str | Path) -> ReaderParams:
        try:
            d = json.loads(Path(path).read_text("utf-8"))
        except (OSError, ValueError) as e:
            raise InputError(f"cannot read reader values: {e}", str(path)) from None
        return cls.from_dict(d, str(path))

    def save(self, path: str | Path) -> None:
        from mt.fileio import atomic_write

        atomic_write(Path(path), json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n")


def empty() -> ReaderParams:
    """Values that weigh nothing: what fitting starts from."""
    return ReaderParams((), crf.Weights(np.zeros((0, crf.T)), np.zeros((crf.T, crf.T)), np.zeros(crf.T), np.zeros(crf.T)))


@lru_cache(maxsize=4)
def _load_cached(path: str, mtime: int) -> ReaderParams:
    return ReaderParams.load(path)


def default_params() -> ReaderParams:
    """``$MT_INGEST_VALUES`` when set, else the values shipped in the package (``mt ingest fit`` writes them)."""
    path = Path(os.environ.get("MT_INGEST_VALUES") or DEFAULT_PATH)
    if path == DEFAULT_PATH and not path.exists():
        return empty()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as e:
        raise InputError(f"cannot read reader values: {e.strerror or e}", str(path)) from None
    return _load_cached(str(path), mtime)
