"""The alignment core: dynamic programming over beads, on arrays of scores, inside a band.

It knows nothing about languages or text. A bead ``(a, b)`` takes ``a`` source and ``b`` target
segments; ``scores[(a, b)][i, w]`` is the score of the bead of that type that *ends* at source
position ``i`` and target position ``band.lo[i] + w``. Scores are log-potentials: higher is better,
``NEG`` means impossible. The forward pass runs row by row with NumPy over the band; the deletion
of target segments (``(0, b)`` beads, which stay in the same row) is a max-plus (or log-sum-exp)
scan done with an accumulate, so no Python loop runs over cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEG = -1e18  # finite, so that sums of impossibles never become nan
BeadType = tuple[int, int]
DEFAULT_TYPES: tuple[BeadType, ...] = ((0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1))


@dataclass(frozen=True)
class Band:
    """For each source position ``i`` (0..n), the target positions ``lo[i] .. lo[i] + width - 1``."""

    lo: np.ndarray
    width: int
    n: int
    m: int

    @classmethod
    def full(cls, n: int, m: int) -> Band:
        return cls(np.zeros(n + 1, dtype=np.int64), m + 1, n, m)

    @classmethod
    def from_ranges(cls, lo: np.ndarray, hi: np.ndarray, n: int, m: int) -> Band:
        """A band covering ``lo[i]..hi[i]`` in every row, made monotone so every path inside stays inside."""
        lo = np.minimum.accumulate(np.clip(lo, 0, m)[::-1])[::-1]
        hi = np.maximum.accumulate(np.clip(hi, 0, m))
        lo[0], hi[-1] = 0, m
        width = int(min(m + 1, (hi - lo).max() + 1))
        lo = np.clip(np.minimum(lo, hi - width + 1), 0, m + 1 - width)
        return cls(lo.astype(np.int64), width, n, m)

    @classmethod
    def around(cls, path: list[tuple[int, int]], n: int, m: int, radius: int) -> Band:
        """A band of ``radius`` around the lattice points of a path (each (i, j) the path passes)."""
        lo = np.full(n + 1, m, dtype=np.int64)
        hi = np.zeros(n + 1, dtype=np.int64)
        for i, j in path:
            lo[i] = min(lo[i], j)
            hi[i] = max(hi[i], j)
        # rows a path jumps over (a 3-1 bead) take the range of their neighbours
        seen = hi >= lo
        idx = np.arange(n + 1)
        prev = np.maximum.accumulate(np.where(seen, idx, 0))
        nxt = np.minimum.accumulate(np.where(seen, idx, n)[::-1])[::-1]
        lo = np.minimum(lo[prev], lo[nxt])
        hi = np.maximum(hi[prev], hi[nxt])
        # the range of the rows within ``radius`` (edges padded, not wrapped around), widened by ``radius``
        lo_p = np.pad(lo, radius, mode="edge")
        hi_p = np.pad(hi, radius, mode="edge")
        windows = np.arange(2 * radius + 1)[:, None] + np.arange(n + 1)[None, :]
        lo_r = lo_p[windows].min(axis=0) - radius
        hi_r = hi_p[windows].max(axis=0) + radius
        return cls.from_ranges(lo_r, hi_r, n, m)

    def cols(self, i: int) -> np.ndarray:
        return self.lo[i] + np.arange(self.width)

    def grid(self) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of every cell, each of shape (n + 1, width)."""
        rows = np.repeat(np.arange(self.n + 1)[:, None], self.width, axis=1)
        return rows, self.lo[:, None] + np.arange(self.width)[None, :]

    def reversed(self) -> Band:
        """The band of the same lattice read from the end (source and target reversed)."""
        hi = self.lo + self.width - 1
        return Band((self.m - hi[::-1]).astype(np.int64), self.width, self.n, self.m)

    @property
    def cells(self) -> int:
        return (self.n + 1) * self.width


def _take(row: np.ndarray, lo: int, cols: np.ndarray, width: int) -> np.ndarray:
    idx = cols - lo
    ok = (idx >= 0) & (idx < width)
    out = np.full(cols.shape, NEG)
    out[ok] = row[idx[ok]]
    return out


def forward(scores: dict[BeadType, np.ndarray], band: Band, soft: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Best (or log-sum-exp) score of reaching every cell, and for the hard pass the bead type taken there.

    Returns ``(D, back)``, both (n + 1, width); ``back`` holds indices into ``list(scores)``, -1 at the start.
    """
    types = list(scores)
    n, width = band.n, band.width
    D = np.full((n + 1, width), NEG)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    combine = np.logaddexp if soft else np.maximum
    row_types = [(k, t) for k, t in enumerate(types) if t[0] > 0]
    del_types = [(k, t) for k, t in enumerate(types) if t[0] == 0]
    for i in range(n + 1):
        cols = band.cols(i)
        X = np.full(width, NEG)
        Xb = np.full(width, -1, dtype=np.int8)
        if i == 0:
            X[cols == 0] = 0.0
        for k, (a, b) in row_types:
            if i - a < 0:
                continue
            cand = _take(D[i - a], band.lo[i - a], cols - b, width) + scores[(a, b)][i]
            if soft:
                X = np.logaddexp(X, cand)
            else:
                better = cand > X
                X = np.where(better, cand, X)
                Xb = np.where(better, k, Xb)
        # deletions of target segments stay in this row: D[w] = X[w] ⊕ D[w - b] + s[w]
        for k, (_, b) in del_types:
            if b != 1:
                raise ValueError("target-only beads must take one segment: (0, 1)")
            c = scores[(0, 1)][i].copy()
            c[0] = 0.0
            C = np.cumsum(np.maximum(c, NEG / 4))  # bounded, so cumsums of impossibles stay finite
            if soft:
                X = C + np.logaddexp.accumulate(X - C)
            else:
                run = np.maximum.accumulate(X - C) + C
                from_del = run > X + 1e-9
                X = np.where(from_del, run, X)
                Xb = np.where(from_del, k, Xb)
        D[i] = np.maximum(combine(X, NEG), NEG)
        back[i] = Xb
    return D, back


def viterbi(scores: dict[BeadType, np.ndarray], band: Band) -> tuple[list[tuple[int, int, int, int]], float]:
    """The best path as beads ``(i0, i1, j0, j1)`` (source i0:i1, target j0:j1) in order, and its score."""
    types = list(scores)
    D, back = forward(scores, band)
    n, m = band.n, band.m
    w_end = m - band.lo[n]
    if not 0 <= w_end < band.width or D[n, w_end] <= NEG / 2:
        raise ValueError("no path through the band")
    beads = []
    i, j = n, m
    while i > 0 or j > 0:
        k = back[i, j - band.lo[i]]
        if k < 0:
            raise ValueError("broken back-pointer")
        a, b = types[k]
        if a == 0:
            # a run of target deletions: walk back one at a time
            beads.append((i, i, j - 1, j))
            j -= 1
            continue
        beads.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    beads.reverse()
    return beads, float(D[n, w_end])


def reverse_lattice(scores: dict[BeadType, np.ndarray], band: Band) -> tuple[dict[BeadType, np.ndarray], Band]:
    """The same lattice read from the end: the bead ending at (i, j) ends at (n - i + a, m - j + b) when reversed.

    Running :func:`forward` on it gives, for every cell, the score of all ways to finish from there.
    """
    n, m = band.n, band.m
    rband = band.reversed()
    rows, cols = band.grid()
    out = {}
    for (a, b), S in scores.items():
        R = np.full(S.shape, NEG)
        ri, rj = n - rows + a, m - cols + b
        w = rj - rband.lo[np.clip(ri, 0, n)]
        ok = (S > NEG / 2) & (ri >= 0) & (ri <= n) & (w >= 0) & (w < rband.width)
        R[ri[ok], w[ok]] = S[ok]
        out[(a, b)] = R
    return out, rband


def posteriors(fwd: np.ndarray, bwd_rev: np.ndarray, band: Band, beads: list[tuple[int, int, int, int]],
               scores: np.ndarray) -> np.ndarray:
    """P(bead on the path) for given beads with their scores, from a soft forward pass and one on the reversed lattice."""
    n, m = band.n, band.m
    rb = band.reversed()
    z = fwd[n, m - band.lo[n]]
    b = np.asarray(beads, dtype=np.int64).reshape(-1, 4)
    i0, i1, j0, j1 = b.T

    def at(D, bd, r, c):
        w = c - bd.lo[r]
        ok = (w >= 0) & (w < bd.width)
        out = np.full(r.shape, NEG)
        out[ok] = D[r[ok], w[ok]]
        return out

    f = at(fwd, band, i0, j0)
    back = at(bwd_rev, rb, n - i1, m - j1)
    return np.exp(np.minimum(0.0, f + np.asarray(scores) + back - z))
