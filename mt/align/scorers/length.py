"""Gale–Church length: target length is the source length times a ratio, with noise growing with length."""

from __future__ import annotations

import numpy as np
from scipy.special import log_ndtr

from mt.align.scorers.base import DocPair, Scorer, block_sums


def char_lengths(segments: list[str]) -> np.ndarray:
    return np.array([len("".join(s.split())) for s in segments], dtype=float)


class LengthScorer(Scorer):
    """log P(|δ|) of Gale and Church, with the Arabic–English ratio and the variance taken from the data.

    The log-probability has no floor of its own; long runs of short segments would otherwise turn
    into deletions, so it is floored and meant to be given a small weight.
    """

    name = "length"

    def __init__(self, ratio: float | None = None, variance: float | None = None, floor: float = -12.0):
        self.ratio, self.variance, self.floor = ratio, variance, floor

    def prepare(self, doc: DocPair) -> None:
        super().prepare(doc)
        self.ls = char_lengths(doc.src)
        self.lt = char_lengths(doc.tgt)
        self.ps = np.concatenate([[0.0], np.cumsum(self.ls)])
        self.pt = np.concatenate([[0.0], np.cumsum(self.lt)])
        # medians, not totals: extra segments on one side (an article with more text) must not bend the ratio
        med_s = float(np.median(self.ls)) if len(self.ls) else 1.0
        self.c = self.ratio or (float(np.median(self.lt)) / max(1.0, med_s) if len(self.lt) else 1.0)
        self.s2 = self.variance or 6.8 * max(self.c, 0.1)  # Gale–Church's 6.8, on the target's scale

    def fit(self, pairs: list[tuple[float, float]]) -> None:
        """Re-estimate ratio and variance from confident 1-1 beads: (source chars, target chars)."""
        if len(pairs) < 5:
            return
        ls, lt = np.array(pairs, dtype=float).T
        self.ratio = self.c = float(lt.sum() / max(1.0, ls.sum()))
        resid = (lt - self.c * ls) / np.sqrt(np.maximum(ls, 1.0))
        self.variance = self.s2 = float(max(np.median(resid**2) / 0.455, 0.5))  # the median of a chi-square(1) is 0.455

    def score(self, a, b, I, J):
        ls = block_sums(self.ps, I, a)
        lt = block_sums(self.pt, J, b)
        delta = (lt - self.c * ls) / np.sqrt(self.s2 * np.maximum(ls, 1.0))
        return np.maximum(np.log(2.0) + log_ndtr(-np.abs(delta)), self.floor)
