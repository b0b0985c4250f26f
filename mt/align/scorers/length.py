"""Gale–Church length: target length is the source length times a ratio, with noise growing with length."""

from __future__ import annotations

import numpy as np
from scipy.special import log_ndtr

from mt.align.scorers.base import DocPair, Scorer, block_sums


def char_lengths(segments: list[str]) -> np.ndarray:
    return np.array([len("".join(s.split())) for s in segments], dtype=float)


def segment_chars(doc: DocPair) -> tuple[np.ndarray, np.ndarray]:
    """:func:`char_lengths` of both sides, cached on the document (every pass and bootstrap round asks)."""
    if "segment-chars" not in doc.cache:
        doc.cache["segment-chars"] = (char_lengths(doc.src), char_lengths(doc.tgt))
    return doc.cache["segment-chars"]


KNOTS = (-1.0, -3.0, -6.0, -12.0)
_KNOTS = np.array(KNOTS, dtype=float)[:, None]


class LengthScorer(Scorer):
    """log P(|δ|) of Gale and Church, with the Arabic–English ratio and the variance taken from the data.

    The log-probability has no floor of its own, and used as it is, long runs of short segments turn
    into deletions. So it is given as hinge features ``max(log P, k)`` at a few knots ``k``: their
    fitted weights make a piecewise-linear function of it, flat below the lowest knot, and the
    fitting decides its slope on each piece and where it stops mattering.
    """

    name = "length"
    features = tuple(f"length@{k:g}" for k in KNOTS)

    def __init__(self, ratio: float | None = None, variance: float | None = None):
        self.ratio, self.variance = ratio, variance

    def prepare(self, doc: DocPair) -> None:
        super().prepare(doc)
        self.ls, self.lt = segment_chars(doc)
        self.ps = np.concatenate([[0.0], np.cumsum(self.ls)])
        self.pt = np.concatenate([[0.0], np.cumsum(self.lt)])
        # medians, not totals: extra segments on one side (an article with more text) must not bend the ratio
        med_s = float(np.median(self.ls)) if len(self.ls) else 1.0
        self.c = self.ratio or (float(np.median(self.lt)) / max(1.0, med_s) if len(self.lt) else 1.0)
        self.s2 = self.variance or 6.8 * max(self.c, 0.1)  # Gale–Church's 6.8, on the target's scale

    def fit(self, pairs: list[tuple[float, float, float]] | np.ndarray) -> None:
        """Re-estimate ratio and variance from 1-1 beads: (source chars, target chars, how sure the bead is), as
        tuples or as the rows of an array."""
        if len(pairs) < 5:
            return
        ls, lt, w = np.array(pairs, dtype=float).T
        if w.sum() <= 0:
            return
        self.ratio = self.c = float((w * lt).sum() / max(1.0, (w * ls).sum()))
        resid2 = ((lt - self.c * ls) / np.sqrt(np.maximum(ls, 1.0))) ** 2
        # a weighted median, robust to the wrong beads still among them; the median of a chi-square(1) is 0.455
        order = np.argsort(resid2)
        cum = np.cumsum(w[order])
        med = resid2[order][np.searchsorted(cum, cum[-1] / 2)]
        self.variance = self.s2 = float(max(med / 0.455, 0.5))

    def logprob(self, a, b, I, J) -> np.ndarray:
        ls = block_sums(self.ps, I, a)
        lt = block_sums(self.pt, J, b)
        delta = (lt - self.c * ls) / np.sqrt(self.s2 * np.maximum(ls, 1.0))
        return np.log(2.0) + log_ndtr(-np.abs(delta))

    def score(self, a, b, I, J):
        lp = self.logprob(a, b, I, J)
        return np.maximum(lp[None, :], _KNOTS)
