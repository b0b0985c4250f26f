"""The alignment core: dynamic programming over beads, on arrays of scores, inside a band.

It knows nothing about languages or text. A bead ``(a, b)`` takes ``a`` source and ``b`` target
segments; ``scores[(a, b)][i, w]`` is the score of the bead of that type that *ends* at source
position ``i`` and target position ``band.lo[i] + w``. Scores are log-potentials: higher is better,
``NEG`` means impossible. The forward pass runs row by row with NumPy over the band: where every
cell's predecessors sit is worked out once per band (a :class:`Plan` of gather indices), so a row
is one gather and one reduction over bead types. The deletion of target segments (``(0, 1)``
beads, which stay in the same row) is a max-plus (or log-sum-exp) scan done with an accumulate, so
no Python loop runs over cells. The backward pass mirrors it from the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mt.align import kernels

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
    _plans: dict = field(default_factory=dict, compare=False, repr=False)

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

    @property
    def cells(self) -> int:
        return (self.n + 1) * self.width

    def ends(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The cells where a bead of type (a, b) can end (a mask over :meth:`grid`) and their rows and columns, kept
        with the band: the bootstrap's rounds score every bead type in the same band."""
        key = ("ends", a, b)
        if key not in self._plans:
            rows, cols = self.grid()
            ok = (rows - a >= 0) & (cols - b >= 0) & (cols <= self.m)
            found = (ok, rows[ok], cols[ok])
            for x in found:
                x.flags.writeable = False  # shared by every lattice over the band: nobody may change them
            self._plans[key] = found
        return self._plans[key]

    def plan(self, types: tuple[BeadType, ...]) -> Plan:
        """Gather indices for these bead types (made once per band, and once per shape for small bands)."""
        if types not in self._plans:
            if self.cells <= SHARED_PLAN_CELLS:  # thousands of small documents come in a few shapes
                key = (self.n, self.m, self.width, self.lo.tobytes(), types)
                plan = _shared_plans.get(key)  # one look-up: another thread may clear the table between two
                if plan is None:
                    global _shared_cells
                    if _shared_cells + self.cells > SHARED_PLANS_TOTAL:
                        _shared_plans.clear()
                        _shared_cells = 0
                    plan = _shared_plans[key] = Plan.build(self, types)
                    _shared_cells += self.cells
                self._plans[types] = plan
            else:
                self._plans[types] = Plan.build(self, types)
        return self._plans[types]


SHARED_PLAN_CELLS = 2_500  # bands up to this size (a 50-turn article's full lattice) share plans by shape
SHARED_PLANS_TOTAL = 400_000  # cells of shared plans kept at most (16 bytes a cell and bead type: about 50 MB)
_shared_plans: dict[tuple, Plan] = {}
_shared_cells = 0


@dataclass
class Plan:
    """Where every cell's predecessor and successor sit, as flat indices into a (n + 1) * width buffer.

    ``prev[k, i, w]``: the cell a bead of type ``types[k]`` ending at (i, w) starts from;
    ``next[k, i, w]``: the cell it ends at when it starts at (i, w). ``size`` (one past the last
    cell) stands for "outside the band", a buffer slot that always holds ``NEG``.
    """

    types: tuple[BeadType, ...]
    prev: np.ndarray
    next: np.ndarray
    size: int

    @classmethod
    def build(cls, band: Band, types: tuple[BeadType, ...]) -> Plan:
        n, width = band.n, band.width
        rows, cols = band.grid()
        size = (n + 1) * width
        prev = np.full((len(types), n + 1, width), size, dtype=np.int64)
        nxt = np.full((len(types), n + 1, width), size, dtype=np.int64)
        for k, (a, b) in enumerate(types):
            for out, sign in ((prev, -1), (nxt, 1)):
                r, c = rows + sign * a, cols + sign * b
                rr = np.clip(r, 0, n)
                w = c - band.lo[rr]
                ok = (r >= 0) & (r <= n) & (c >= 0) & (c <= band.m) & (w >= 0) & (w < width) & (cols <= band.m)
                out[k][ok] = (rr * width + w)[ok]
        return cls(types, prev, nxt, size)


def _lse(C: np.ndarray) -> np.ndarray:
    """log-sum-exp over the first axis, exact for impossibles (all NEG stays about NEG)."""
    mx = C.max(axis=0)
    return mx + np.log(np.exp(C - mx).sum(axis=0))


def _del_scan(X: np.ndarray, c: np.ndarray, soft: bool) -> tuple[np.ndarray, np.ndarray]:
    """D[w] = X[w] ⊕ (c[w] + D[w - 1]) along a row (c[0] unused); also whether D[w] came from the left."""
    c = c.copy()
    c[0] = 0.0
    C = np.cumsum(np.maximum(c, NEG / 4))  # bounded, so cumsums of impossibles stay finite
    if soft:
        return C + np.logaddexp.accumulate(X - C), np.zeros(len(X), dtype=bool)
    run = np.maximum.accumulate(X - C) + C
    from_del = run > X + 1e-9
    return np.where(from_del, run, X), from_del


def _deletions(scores: dict[BeadType, np.ndarray], types: tuple[BeadType, ...], del_k: list[int], band: Band) -> np.ndarray:
    """The (0, 1) beads' scores for a compiled kernel (zeros, unread, when the lattice has none)."""
    if not del_k:
        return np.zeros((band.n + 1, band.width))
    return np.asarray(scores[types[del_k[0]]], dtype=float)


def forward(scores: dict[BeadType, np.ndarray], band: Band, soft: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Best (or log-sum-exp) score of reaching every cell, and for the hard pass the bead type taken there.

    Returns ``(D, back)``, both (n + 1, width); ``back`` holds indices into ``list(scores)``, -1 at the start.
    """
    types = tuple(scores)
    for a, b in types:
        if a == 0 and b != 1:
            raise ValueError("target-only beads must take one segment: (0, 1)")
    plan = band.plan(types)
    n, width = band.n, band.width
    row_k = [k for k, (a, _) in enumerate(types) if a > 0]
    del_k = [k for k, (a, _) in enumerate(types) if a == 0]
    G = plan.prev[row_k]
    S = np.stack([scores[types[k]] for k in row_k]) if row_k else np.zeros((0, n + 1, width))
    row_ids = np.array(row_k, dtype=np.int8)
    compiled = kernels.kernel("dp_forward")
    if compiled is not None:
        return compiled(G, S, row_ids, bool(del_k), _deletions(scores, types, del_k, band), del_k[0] if del_k else -1,
                        soft, n, width)
    D = np.full(plan.size + 1, NEG)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    ar = np.arange(width)
    for i in range(n + 1):
        if row_k:
            C = D[G[:, i]] + S[:, i]
            if soft:
                X = _lse(C)
            else:
                best = C.argmax(axis=0)
                X = C[best, ar]
                Xb = np.where(X > NEG / 2, row_ids[best], -1).astype(np.int8)
        else:
            X = np.full(width, NEG)
            Xb = np.full(width, -1, dtype=np.int8)
        if i == 0:
            X[0] = np.logaddexp(X[0], 0.0) if soft else max(X[0], 0.0)
            if not soft and X[0] == 0.0:
                Xb[0] = -1
        for k in del_k:
            X, from_del = _del_scan(X, scores[types[k]][i], soft)
            if not soft:
                Xb = np.where(from_del, k, Xb)
        D[i * width:(i + 1) * width] = np.maximum(X, NEG)
        if not soft:
            back[i] = Xb
    return D[:-1].reshape(n + 1, width), back


def backward(scores: dict[BeadType, np.ndarray], band: Band) -> np.ndarray:
    """log-sum-exp of all ways from every cell to the end, (n + 1, width)."""
    types = tuple(scores)
    plan = band.plan(types)
    n, width = band.n, band.width
    row_k = [k for k, (a, _) in enumerate(types) if a > 0]
    del_k = [k for k, (a, _) in enumerate(types) if a == 0]
    N = plan.next[row_k]
    flat_S = [np.append(scores[types[k]].ravel(), NEG) for k in row_k]
    # the score of the bead that starts at each cell: the successor cell's score for that type
    S_next = np.stack([fs[N[r]] for r, fs in enumerate(flat_S)]) if row_k else np.zeros((0, n + 1, width))
    w_end = int(band.m - band.lo[n])
    compiled = kernels.kernel("dp_backward")
    if compiled is not None:
        return compiled(N, S_next, bool(del_k), _deletions(scores, types, del_k, band), n, width, w_end)
    B = np.full(plan.size + 1, NEG)
    for i in range(n, -1, -1):
        if row_k:
            X = _lse(B[N[:, i]] + S_next[:, i])
        else:
            X = np.full(width, NEG)
        if i == n and 0 <= w_end < width:
            X[w_end] = np.logaddexp(X[w_end], 0.0)
        for k in del_k:
            # from the right: B[w] = X[w] ⊕ (s[w + 1] + B[w + 1]), the forward scan on the reversed row
            s_del = scores[types[k]][i]
            c = np.empty(width)
            c[0] = 0.0
            c[1:] = s_del[::-1][:-1]
            Y, _ = _del_scan(X[::-1], c, True)
            X = Y[::-1]
        B[i * width:(i + 1) * width] = np.maximum(X, NEG)
    return B[:-1].reshape(n + 1, width)


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


def log_partition_and_marginals(scores: dict[BeadType, np.ndarray], band: Band) -> tuple[float, dict[BeadType, np.ndarray]]:
    """log Z of the lattice and, for every bead type, P(a bead of that type ends at each cell) (arrays like ``scores``).

    These are the posterior marginals of a linear-chain CRF over bead paths, from a soft forward and
    a backward pass.
    """
    n, m = band.n, band.m
    fwd, _ = forward(scores, band, soft=True)
    w_end = m - band.lo[n]
    z = float(fwd[n, w_end]) if 0 <= w_end < band.width else NEG
    if z <= NEG / 2:
        raise ValueError("no path through the band")
    bwd = backward(scores, band)
    types = tuple(scores)
    plan = band.plan(types)
    flat_f = np.append(fwd.ravel(), NEG)
    out = {}
    for k, t in enumerate(types):
        S = scores[t]
        start = flat_f[plan.prev[k]]
        with np.errstate(under="ignore", over="ignore"):
            out[t] = np.where(S > NEG / 2, np.exp(np.minimum(0.0, start + S + bwd - z)), 0.0)
    return z, out


_FLOOR = -1e6  # batched scans floor impossible deletions here: padding must not pile up NEG/4s into overflow


class BatchPlan:
    """Several lattices laid side by side in one buffer, so that a row of every one is one NumPy step.

    Rows and columns are padded to the largest document; padded cells read a slot that always holds
    NEG and write to a slot nothing reads.
    """

    def __init__(self, bands: list[Band], types: tuple[BeadType, ...]):
        self.bands, self.types = bands, types
        self.row_k = [k for k, (a, _) in enumerate(types) if a > 0]
        self.del_k = [k for k, (a, _) in enumerate(types) if a == 0]
        self.B, self.R, self.W = len(bands), max(b.n for b in bands) + 1, max(b.width for b in bands)
        sizes = [(b.n + 1) * b.width for b in bands]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        total = int(sum(sizes))
        self.sentinel, self.trash = total, total + 1
        self.buffer_size = total + 2
        shape = (self.B, len(self.row_k), self.R, self.W)
        self.prev = np.full(shape, self.sentinel, dtype=np.int64)
        self.next = np.full(shape, self.sentinel, dtype=np.int64)
        self.write = np.full((self.B, self.R, self.W), self.trash, dtype=np.int64)
        for d, band in enumerate(bands):
            plan = band.plan(types)
            n1, w = band.n + 1, band.width
            for r, k in enumerate(self.row_k):
                for src, dst in ((plan.prev[k], self.prev), (plan.next[k], self.next)):
                    dst[d, r, :n1, :w] = np.where(src == plan.size, self.sentinel, src + self.offsets[d])
            self.write[d, :n1, :w] = self.offsets[d] + np.arange(n1 * w).reshape(n1, w)

    def stack(self, scores_list: list[dict]) -> tuple[np.ndarray, np.ndarray | None]:
        """Row-type scores (B, types, R, W) and deletion scores (B, R, W), padded with NEG."""
        S = np.full((self.B, len(self.row_k), self.R, self.W), NEG)
        Sdel = np.full((self.B, self.R, self.W), NEG) if self.del_k else None
        for d, (scores, band) in enumerate(zip(scores_list, self.bands)):
            n1, w = band.n + 1, band.width
            for r, k in enumerate(self.row_k):
                S[d, r, :n1, :w] = scores[self.types[k]]
            if Sdel is not None:
                Sdel[d, :n1, :w] = scores[self.types[self.del_k[0]]]
        return S, Sdel


def _scan_rows(X: np.ndarray, c: np.ndarray) -> np.ndarray:
    """The soft deletion scan of :func:`_del_scan` on each row of a (B, W) block at once."""
    c = np.maximum(c, _FLOOR)
    c[:, 0] = 0.0
    C = np.cumsum(c, axis=1)
    return C + np.logaddexp.accumulate(X - C, axis=1)


def batch_partition_and_marginals(scores_list: list[dict], bands: list[Band], plan: BatchPlan | None = None
                                  ) -> list[tuple[float, dict]]:
    """:func:`log_partition_and_marginals` of several lattices, their rows run together (``plan``: made once for them)."""
    types = tuple(scores_list[0])
    plan = plan or BatchPlan(bands, types)
    S, Sdel = plan.stack(scores_list)
    flat_S = S.reshape(plan.B, len(plan.row_k), -1)
    # forward
    D = np.full(plan.buffer_size, NEG)
    for i in range(plan.R):
        X = _lse(np.moveaxis(D[plan.prev[:, :, i, :]] + S[:, :, i, :], 1, 0))
        if i == 0:
            X[:, 0] = np.logaddexp(X[:, 0], 0.0)
        if Sdel is not None:
            X = _scan_rows(X, Sdel[:, i, :].copy())
        D[plan.write[:, i, :]] = np.maximum(X, NEG)
        D[plan.sentinel] = NEG
    # backward: the score of the bead starting at each cell is its end cell's score for that type
    Bf = np.full(plan.buffer_size, NEG)
    S_next = np.full(S.shape, NEG)
    for d, band in enumerate(bands):
        for r in range(len(plan.row_k)):
            nxt = plan.next[d, r]
            ok = nxt != plan.sentinel
            local = nxt[ok] - plan.offsets[d]  # a cell of this document, (i, w) in its own layout
            S_next[d, r][ok] = flat_S[d, r][(local // band.width) * plan.W + local % band.width]
    ends = [(d, b.n, b.m - b.lo[b.n]) for d, b in enumerate(bands)]
    for i in range(plan.R - 1, -1, -1):
        X = _lse(np.moveaxis(Bf[plan.next[:, :, i, :]] + S_next[:, :, i, :], 1, 0))
        for d, n, w_end in ends:
            if n == i:
                X[d, w_end] = np.logaddexp(X[d, w_end], 0.0)
        if Sdel is not None:
            c = np.full((plan.B, plan.W), NEG)
            c[:, 1:] = Sdel[:, i, :][:, ::-1][:, :-1]
            X = _scan_rows(X[:, ::-1].copy(), c)[:, ::-1]
        Bf[plan.write[:, i, :]] = np.maximum(X, NEG)
        Bf[plan.sentinel] = NEG
    out = []
    for d, (scores, band) in enumerate(zip(scores_list, bands)):
        size = (band.n + 1) * band.width
        fwd = D[plan.offsets[d]:plan.offsets[d] + size].reshape(band.n + 1, band.width)
        bwd = Bf[plan.offsets[d]:plan.offsets[d] + size].reshape(band.n + 1, band.width)
        z = float(fwd[band.n, band.m - band.lo[band.n]])
        if z <= NEG / 2:
            raise ValueError("no path through the band")
        single = band.plan(types)
        flat_f = np.append(fwd.ravel(), NEG)
        marg = {}
        for k, t in enumerate(types):
            St = scores[t]
            with np.errstate(under="ignore", over="ignore"):
                marg[t] = np.where(St > NEG / 2, np.exp(np.minimum(0.0, flat_f[single.prev[k]] + St + bwd - z)), 0.0)
        out.append((z, marg))
    return out


def path_score(scores: dict[BeadType, np.ndarray], band: Band, beads: list[tuple[int, int, int, int]]) -> float:
    """The score of a given path (beads ``(i0, i1, j0, j1)``): the sum of its beads' scores."""
    total = 0.0
    for i0, i1, j0, j1 in beads:
        w = j1 - band.lo[i1]
        if not 0 <= w < band.width:
            return NEG
        total += float(scores[(i1 - i0, j1 - j0)][i1, w])
    return total


def sample(scores: dict[BeadType, np.ndarray], band: Band, rng: np.random.Generator) -> list[tuple[int, int, int, int]]:
    """A path drawn from the lattice's distribution P(path) ∝ exp(score) (forward filtering, backward sampling)."""
    types = list(scores)
    fwd, _ = forward(scores, band, soft=True)
    i, j = band.n, band.m
    beads = []
    while i > 0 or j > 0:
        cand, logp = [], []
        for a, b in types:
            pi, pj = i - a, j - b
            if pi < 0 or pj < 0:
                continue
            w, w0 = j - band.lo[i], pj - band.lo[pi]
            if not (0 <= w < band.width and 0 <= w0 < band.width):
                continue
            s = scores[(a, b)][i, w] + fwd[pi, w0]
            if s > NEG / 2:
                cand.append((a, b))
                logp.append(s)
        p = np.exp(np.array(logp) - max(logp))
        a, b = cand[rng.choice(len(cand), p=p / p.sum())]
        beads.append((i - a, i, j - b, j))
        i, j = i - a, j - b
    beads.reverse()
    return beads


def posteriors(marginals: dict[BeadType, np.ndarray], band: Band, beads: list[tuple[int, int, int, int]]) -> np.ndarray:
    """P(bead on the path) for given beads ``(i0, i1, j0, j1)``, read off the marginals."""
    out = np.zeros(len(beads))
    for k, (i0, i1, j0, j1) in enumerate(beads):
        w = j1 - band.lo[i1]
        if 0 <= w < band.width:
            out[k] = marginals[(i1 - i0, j1 - j0)][i1, w]
    return np.clip(out, 0.0, 1.0)
