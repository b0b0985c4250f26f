"""The aligner's loops that must stay loops, compiled with numba when it is installed (``pip install 'mt[fast]'``).

The dynamic programming runs row by row: NumPy does each row in a few calls, but a document's lattice
has a row per segment and three passes over it per alignment pass, so the calls' overhead, not the
arithmetic, is most of its time. Each kernel is plain Python over arrays and has a NumPy twin in
:mod:`mt.align.dp`, the path taken without numba or with ``MT_NUMBA=0``. The Viterbi pass gives the
same numbers bit for bit; the soft passes agree to rounding (numba's ``exp`` and ``log`` are the C
library's, not NumPy's vectorised ones), which ``tests/align/test_kernels.py`` checks, with the
beads of whole documents.

numba is imported on first use, never at start-up, and compiled kernels are cached on disk: the first
run on a machine compiles them (seconds), later processes load them (about 0.3 s with numba's import).
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

NEG = -1e18  # as in mt.align.dp (not imported from there: dp imports this module)

_compiled: dict[str, Callable] = {}
_numba: Any = None


def numba_enabled() -> bool:
    """Whether numba is installed and not switched off with ``MT_NUMBA=0``."""
    global _numba
    if os.environ.get("MT_NUMBA", "1") == "0":
        return False
    if _numba is None:
        try:
            import numba
        except ImportError:
            _numba = False
        else:
            _numba = numba
    return _numba is not False


def kernel(name: str) -> Callable | None:
    """The compiled kernel ``name``, or None when numba is not in use."""
    if not numba_enabled():
        return None
    if name not in _compiled:
        found = globals()
        for helper, plain in _HELPERS.items():  # what the kernels call must be compiled before they are
            if found[helper] is plain:
                found[helper] = _jit(plain, inline="always")  # inlined: a call per cell would cost more than its sums
        _compiled[name] = _jit(_PLAIN[name])
    return _compiled[name]


def _jit(fn: Callable, **options) -> Callable:
    try:
        return _numba.njit(cache=True, nogil=True, **options)(fn)
    except RuntimeError:  # nowhere writable to keep compiled code (a read-only install, no home): compile each run
        return _numba.njit(nogil=True, **options)(fn)


def _logaddexp_py(x: float, y: float) -> float:
    # NumPy's npy_logaddexp for finite numbers (its x == y case gives y + log1p(1), the same ln 2)
    d = x - y
    if d > 0:
        return x + math.log1p(math.exp(-d))
    return y + math.log1p(math.exp(d))


_logaddexp: Callable = _logaddexp_py


def _lse_cell_py(buf, index, S, i, w):
    """log-sum-exp over the row types r of ``buf[index[r, i, w]] + S[r, i, w]`` (as :func:`mt.align.dp._lse`)."""
    mx = buf[index[0, i, w]] + S[0, i, w]
    for r in range(1, index.shape[0]):
        c = buf[index[r, i, w]] + S[r, i, w]
        if c > mx:
            mx = c
    acc = 0.0
    for r in range(index.shape[0]):
        acc += math.exp(buf[index[r, i, w]] + S[r, i, w] - mx)
    return mx + math.log(acc)


_lse_cell: Callable = _lse_cell_py


def _block_sum_py(t, pair, s, n):
    """``t[pair[s:s + n]]`` summed as NumPy sums at most 128 numbers: eight running sums, then the rest in turn."""
    if n < 8:
        res = 0.0
        for i in range(s, s + n):
            res += t[pair[i]]
        return res
    r0, r1, r2, r3 = t[pair[s]], t[pair[s + 1]], t[pair[s + 2]], t[pair[s + 3]]
    r4, r5, r6, r7 = t[pair[s + 4]], t[pair[s + 5]], t[pair[s + 6]], t[pair[s + 7]]
    whole = s + n - n % 8
    i = s + 8
    while i < whole:
        r0 += t[pair[i]]
        r1 += t[pair[i + 1]]
        r2 += t[pair[i + 2]]
        r3 += t[pair[i + 3]]
        r4 += t[pair[i + 4]]
        r5 += t[pair[i + 5]]
        r6 += t[pair[i + 6]]
        r7 += t[pair[i + 7]]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for k in range(whole, s + n):
        res += t[pair[k]]
    return res


def _pairwise_sum_py(t, pair, s, n):
    """``t[pair[s:s + n]]`` summed in NumPy's pairwise order (``numpy/_core/src/umath/loops_utils.h.src``): halves,
    cut at a multiple of eight, until blocks of 128; its recursion kept on a stack of tasks (kernels are inlined)."""
    if n <= 128:
        return _block_sum(t, pair, s, n)
    starts, sizes = np.empty(192, np.int64), np.empty(192, np.int64)  # 3 tasks a level, 64 levels
    values = np.empty(64)
    starts[0], sizes[0] = s, n
    tasks, kept = 1, 0
    while tasks:
        tasks -= 1
        a, m = starts[tasks], sizes[tasks]
        if m < 0:  # both halves done: their sum
            kept -= 1
            values[kept - 1] = values[kept - 1] + values[kept]
        elif m <= 128:
            values[kept] = _block_sum(t, pair, a, m)
            kept += 1
        else:
            half = m // 2
            half -= half % 8
            # done last to first: the left half, the right half, then their sum
            starts[tasks], sizes[tasks] = 0, -1
            starts[tasks + 1], sizes[tasks + 1] = a + half, m - half
            starts[tasks + 2], sizes[tasks + 2] = a, half
            tasks += 3
    return values[0]


_block_sum: Callable = _block_sum_py
_pairwise_sum: Callable = _pairwise_sum_py
_HELPERS: dict[str, Callable] = {"_logaddexp": _logaddexp_py, "_lse_cell": _lse_cell_py, "_block_sum": _block_sum_py,
                                 "_pairwise_sum": _pairwise_sum_py}


def dp_forward(G, S, row_ids, has_del, Sdel, del_id, soft, n, width):
    """:func:`mt.align.dp.forward` over a band: ``G`` the row types' predecessors, ``S`` their scores, ``Sdel`` the
    (0, 1) beads' scores (when ``has_del``)."""
    R = G.shape[0]
    size = (n + 1) * width
    D = np.full(size + 1, NEG)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    X = np.empty(width)
    Xb = np.empty(width, dtype=np.int8)
    for i in range(n + 1):
        for w in range(width):
            if R == 0:
                X[w] = NEG
                Xb[w] = -1
                continue
            if soft:
                X[w] = _lse_cell(D, G, S, i, w)
            else:
                best = 0
                x = D[G[0, i, w]] + S[0, i, w]
                for r in range(1, R):
                    c = D[G[r, i, w]] + S[r, i, w]
                    if c > x:
                        x = c
                        best = r
                X[w] = x
                Xb[w] = row_ids[best] if x > NEG / 2 else -1
        if i == 0:
            if soft:
                X[0] = _logaddexp(X[0], 0.0)
            else:
                X[0] = max(X[0], 0.0)
                if X[0] == 0.0:
                    Xb[0] = -1
        if has_del:
            # the deletion scan of dp._del_scan: cumulative deletion costs C, then a running max (or log-sum-exp)
            C = 0.0
            run = 0.0
            for w in range(width):
                if w > 0:
                    C += max(Sdel[i, w], NEG / 4)
                v = X[w] - C
                if soft:
                    run = v if w == 0 else _logaddexp(run, v)
                    X[w] = C + run
                else:
                    run = v if w == 0 else max(run, v)
                    total = run + C
                    if total > X[w] + 1e-9:
                        X[w] = total
                        Xb[w] = del_id
        for w in range(width):
            D[i * width + w] = max(X[w], NEG)
            if not soft:
                back[i, w] = Xb[w]
    return D[:size].copy().reshape(n + 1, width), back


def dp_backward(N, S_next, has_del, Sdel, n, width, w_end):
    """:func:`mt.align.dp.backward`: log-sum-exp of every way from each cell to the end."""
    R = N.shape[0]
    size = (n + 1) * width
    B = np.full(size + 1, NEG)
    X = np.empty(width)
    for i in range(n, -1, -1):
        for w in range(width):
            if R == 0:
                X[w] = NEG
                continue
            X[w] = _lse_cell(B, N, S_next, i, w)
        if i == n and 0 <= w_end < width:
            X[w_end] = _logaddexp(X[w_end], 0.0)
        if has_del:
            # from the right: the forward scan on the reversed row, a deletion at w + 1 costing Sdel[i, w + 1]
            C = 0.0
            run = 0.0
            for q in range(width):
                w = width - 1 - q
                if q > 0:
                    C += max(Sdel[i, w + 1], NEG / 4)
                v = X[w] - C
                run = v if q == 0 else _logaddexp(run, v)
                X[w] = C + run
        for w in range(width):
            B[i * width + w] = max(X[w], NEG)
    return B[:size].copy().reshape(n + 1, width)


def sparse_rows_dense(indptr, indices, data, d_indptr, d_indices, d_data, r0, r1, columns):
    """Rows ``r0:r1`` of one CSR matrix times another CSR matrix of ``columns`` columns, as a dense array.

    Each product is added in the order SciPy's sparse product adds it (the rows' entries as stored,
    then the other matrix's), so the sums are the same bit for bit, without the sparse result SciPy
    builds first: a lexicon's matches fill nearly every column, and building that was most of the cost."""
    out = np.zeros((r1 - r0, columns))
    for r in range(r0, r1):
        for jj in range(indptr[r], indptr[r + 1]):
            k = indices[jj]
            v = data[jj]
            for kk in range(d_indptr[k], d_indptr[k + 1]):
                out[r - r0, d_indices[kk]] += v * d_data[kk]
    return out


def ibm1_em(t, uniform, pair, starts, size, token_weight, f_of, p_key, ptot, rows, iterations):
    """IBM-1's EM iterations over flattened blocks (see :func:`mt.align.bootstrap._em`): the expected counts of the
    last one.

    The NumPy twin's numbers bit for bit, each step added in its order: a block's sum as ``np.add.reduceat``
    adds it (the first link, then the rest pairwise), each count and row total in token order as ``np.bincount``
    adds them; a token's links are spread and summed without the arrays the NumPy steps make for every link."""
    counts = np.zeros(len(f_of))
    for it in range(iterations):
        counts = np.zeros(len(f_of))
        for k in range(len(starts)):
            s0, n = starts[k], size[k]
            if uniform and it == 0:
                share = token_weight[k] / n
                for i in range(s0, s0 + n):
                    counts[pair[i]] += share
            else:
                scale = token_weight[k] / (t[pair[s0]] + _pairwise_sum(t, pair, s0 + 1, n - 1))
                for i in range(s0, s0 + n):
                    counts[pair[i]] += t[pair[i]] * scale
        row_total = np.zeros(rows)
        for k in range(len(f_of)):
            row_total[f_of[k]] += counts[k]
        row_total += ptot
        t = np.empty(len(f_of))
        for k in range(len(f_of)):
            t[k] = (p_key[k] + counts[k]) / max(row_total[f_of[k]], 1e-12)
    return counts


def match_similarity(lo_padded, width, fwd_flat, bwd_flat, pws, pwt, I, J, a, b):
    """A match scorer's similarity of every candidate bead of type (a, b) ending at (I, J), and each side's token weight
    (see :meth:`mt.align.scorers.match.MatchScorer._similarity`, its NumPy twin).

    The same numbers bit for bit: each single pair's match mass read from the padded band as ``Banded.get`` reads it
    and added pair by pair in the same order, the coverages and their harmonic mean computed as the arrays are; in one
    loop, without the dozen arrays of candidates' size the NumPy steps make for each bead type of each pass."""
    count = len(I)
    sim = np.empty(count)
    ws = np.empty(count)
    wt = np.empty(count)
    top_r = len(lo_padded) - 1
    top_s = len(pws) - 1
    top_t = len(pwt) - 1
    for x in range(count):
        f = 0.0
        g = 0.0
        for p in range(a):
            for q in range(b):
                rr = min(max(I[x] - p, 0), top_r)  # Banded.get's padded row: the pair's row, I - 1 - p, plus one
                idx = J[x] - 1 - q - lo_padded[rr]
                if idx < 0 or idx >= width:
                    idx = width
                at = rr * (width + 1) + idx
                if p == 0 and q == 0:
                    f = fwd_flat[at]
                    g = bwd_flat[at]
                else:
                    f += fwd_flat[at]
                    g += bwd_flat[at]
        s_hi = min(max(I[x], 0), top_s)
        s_lo = min(max(I[x] - a, 0), top_s)
        t_hi = min(max(J[x], 0), top_t)
        t_lo = min(max(J[x] - b, 0), top_t)
        w_s = pws[s_hi] - pws[s_lo]
        w_t = pwt[t_hi] - pwt[t_lo]
        cov_t = min(f, w_t) / max(w_t, 1e-9) if w_t > 0 else 0.0
        cov_s = min(g, w_s) / max(w_s, 1e-9) if w_s > 0 else 0.0
        sim[x] = 2 * cov_t * cov_s / max(cov_t + cov_s, 1e-9)
        ws[x] = w_s
        wt[x] = w_t
    return sim, ws, wt


_PLAIN: dict[str, Callable] = {"dp_forward": dp_forward, "dp_backward": dp_backward, "sparse_rows_dense": sparse_rows_dense,
                               "ibm1_em": ibm1_em, "match_similarity": match_similarity}
