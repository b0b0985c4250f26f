"""The alignment scorer plugin kind: one base class, one batch method over arrays of candidate beads."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np


@dataclass
class DocPair:
    """Two sides of one document to align: segments, their languages, and what else is known of them."""

    src: list[str]
    tgt: list[str]
    src_lang: str = "ar"
    tgt_lang: str = "en"
    src_roles: list[str] | None = None  # intro | question | answer | paragraph, when the segments are turns
    tgt_roles: list[str] | None = None
    src_mt: list[str] | None = None  # machine translation of each source segment into the target language
    cache: dict = field(default_factory=dict)  # what scorers compute once per document (tokens, prefix sums)

    @property
    def n(self) -> int:
        return len(self.src)

    @property
    def m(self) -> int:
        return len(self.tgt)

    def reversed(self) -> DocPair:
        """The same document read from the end; per-segment token lists in the cache come along, reversed."""
        rev = (lambda xs: None if xs is None else xs[::-1])  # noqa: E731
        cache = {k: (v[0][::-1], v[1][::-1]) for k, v in self.cache.items() if isinstance(k, tuple) and k[0].endswith("tokens")}
        return DocPair(self.src[::-1], self.tgt[::-1], self.src_lang, self.tgt_lang, rev(self.src_roles),
                       rev(self.tgt_roles), rev(self.src_mt), cache)


def block_sums(prefix: np.ndarray, end: np.ndarray, size: int) -> np.ndarray:
    """Sum of a per-segment quantity over ``[end - size, end)``, from its prefix sums (``prefix[0] == 0``)."""
    lo, hi = _block_bounds(end, size, len(prefix) - 1)
    return prefix[hi] - prefix[lo]


_shared = threading.local()


@contextmanager
def shared_bounds():
    """Inside, the bounds of blocks ending at the same array are worked out once: a lattice's scorers all ask them of
    the lattice's arrays, which nothing changes while it is built. Outside, nothing is kept."""
    _shared.bounds = []
    try:
        yield
    finally:
        _shared.bounds = None


def _block_bounds(end: np.ndarray, size: int, top: int) -> tuple[np.ndarray, np.ndarray]:
    kept = getattr(_shared, "bounds", None)
    if kept is not None:
        for e, s, t, bounds in kept:
            if e is end and s == size and t == top:
                return bounds
    # ufuncs rather than np.clip: the same integers, without clip's per-call overhead (this runs for every bead type of
    # every candidate cell of every pass)
    bounds = (np.minimum(np.maximum(end - size, 0), top), np.minimum(np.maximum(end, 0), top))
    if kept is not None:
        kept.insert(0, (end, size, top, bounds))  # the array is held, so its identity is not reused while here
        del kept[8:]
    return bounds


class Scorer(ABC):
    """Gives features of candidate beads of one document; the aligner weighs them with fitted weights.

    ``prepare`` sees the whole document once (to estimate ratios, build token tables);
    ``prepare_band`` is told which cells the lattice will ask about; ``score`` gets arrays of bead
    ends ``I`` (source) and ``J`` (target) for one bead type ``(a, b)`` with ``a, b >= 1`` and returns
    one row per name in ``features``, one column per candidate. A feature should be 0 where the
    scorer has no evidence, so that a weight says how much evidence for or against is worth.
    Deletions are scored by the aligner, not by scorers.
    """

    name: str = "scorer"
    features: tuple[str, ...] = ()
    static: bool = False  # features that depend on the document alone, not on a lexicon or a refitted model: the
    # aligner computes them once per band (the bootstrap's rounds align in the same band)

    @classmethod
    def for_document(cls, doc: DocPair, model=None) -> Scorer | None:
        """This scorer for ``doc`` (``model``: the lexicon the aligner bootstrapped, if any), or None when the
        document lacks what it reads (roles, a machine translation, a lexicon)."""
        return cls()

    def prepare(self, doc: DocPair) -> None:
        self.doc = doc

    def prepare_band(self, band) -> None:  # noqa: B027 - most scorers need nothing per band
        pass

    @abstractmethod
    def score(self, a: int, b: int, I: np.ndarray, J: np.ndarray) -> np.ndarray:
        """Features of the candidates: an array of shape ``(len(self.features), len(I))``."""
