"""The DP core against brute force on small lattices: best path, log-sum-exp over all paths, posteriors, bands."""

import itertools
import math

import numpy as np
import pytest

from mt.align.dp import DEFAULT_TYPES, NEG, Band, forward, posteriors, viterbi


def random_scores(n, m, band, seed):
    rng = np.random.default_rng(seed)
    rows, cols = band.grid()
    out = {}
    for a, b in DEFAULT_TYPES:
        S = rng.normal(0, 2, rows.shape)
        ok = (rows - a >= 0) & (cols - b >= 0) & (cols <= m)
        out[(a, b)] = np.where(ok, S, NEG)
    return out


def all_paths(n, m):
    """Every monotone path of beads from (0, 0) to (n, m)."""
    def rec(i, j):
        if (i, j) == (n, m):
            yield []
            return
        for a, b in DEFAULT_TYPES:
            if i + a <= n and j + b <= m:
                for rest in rec(i + a, j + b):
                    yield [(i, i + a, j, j + b)] + rest
    return list(rec(0, 0))


def path_score(path, S, band):
    return sum(S[(i1 - i0, j1 - j0)][i1, j1 - band.lo[i1]] for i0, i1, j0, j1 in path)


@pytest.mark.parametrize("n,m,seed", [(1, 1, 0), (2, 3, 1), (3, 3, 2), (4, 2, 3), (4, 5, 4), (0, 3, 5), (3, 0, 6)])
def test_viterbi_and_forward_match_brute_force(n, m, seed):
    band = Band.full(n, m)
    S = random_scores(n, m, band, seed)
    paths = all_paths(n, m)
    scores = [path_score(p, S, band) for p in paths]
    best, value = viterbi(S, band)
    assert math.isclose(value, max(scores), rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(path_score(best, S, band), max(scores), abs_tol=1e-9)
    D, _ = forward(S, band, soft=True)
    z = D[n, m - band.lo[n]]
    assert math.isclose(z, float(np.logaddexp.reduce(scores)), rel_tol=1e-9, abs_tol=1e-9)


@pytest.mark.parametrize("n,m,seed", [(3, 3, 7), (4, 5, 8), (5, 3, 9)])
def test_posteriors_match_brute_force(n, m, seed):
    band = Band.full(n, m)
    S = random_scores(n, m, band, seed)
    paths = all_paths(n, m)
    weights = np.exp(np.array([path_score(p, S, band) for p in paths]))
    weights /= weights.sum()
    bead_p = {}
    for p, w in zip(paths, weights):
        for bead in p:
            bead_p[bead] = bead_p.get(bead, 0.0) + w
    fwd, _ = forward(S, band, soft=True)
    rS = {}
    rband = band.reversed()
    # the reversed lattice: the bead ending at (i, j) covering (a, b) ends at (n - i + a, m - j + b) when reversed
    for (a, b), arr in S.items():
        R = np.full(arr.shape, NEG)
        for i in range(n + 1):
            for j in range(m + 1):
                ri, rj = n - i + a, m - j + b
                if 0 <= ri <= n and 0 <= rj <= m and i - a >= 0 and j - b >= 0:
                    R[ri, rj - rband.lo[ri]] = arr[i, j - band.lo[i]]
        rS[(a, b)] = R
    bwd, _ = forward(rS, rband, soft=True)
    from mt.align.dp import reverse_lattice

    rS2, rband2 = reverse_lattice(S, band)
    assert all(np.array_equal(rS[t], rS2[t]) for t in rS) and np.array_equal(rband.lo, rband2.lo)
    beads = list(bead_p)
    scores = np.array([S[(i1 - i0, j1 - j0)][i1, j1 - band.lo[i1]] for i0, i1, j0, j1 in beads])
    got = posteriors(fwd, bwd, band, beads, scores)
    assert np.allclose(got, [bead_p[b] for b in beads], atol=1e-9)


def test_deletion_runs_in_a_row():
    n, m = 1, 4
    band = Band.full(n, m)
    S = {t: np.full((n + 1, m + 1), -5.0) for t in DEFAULT_TYPES}
    S[(0, 1)][:] = -0.1  # deleting a target segment is cheap
    S[(1, 1)][1, 4] = 3.0  # the source pairs with the last target
    for (a, b), arr in S.items():
        rows, cols = band.grid()
        arr[(rows - a < 0) | (cols - b < 0)] = NEG
    path, _ = viterbi(S, band)
    assert path == [(0, 0, 0, 1), (0, 0, 1, 2), (0, 0, 2, 3), (0, 1, 3, 4)]


def test_band_around_a_path_is_monotone_and_contains_it():
    n, m = 50, 70
    path = [(i, min(m, int(i * 1.4))) for i in range(n + 1)] + [(n, m)]
    band = Band.around(path, n, m, radius=3)
    assert band.width < 20  # a band, not the whole lattice
    assert np.all(np.diff(band.lo) >= 0)
    for i, j in path:
        assert band.lo[i] <= j < band.lo[i] + band.width
    rev = band.reversed()
    assert rev.lo[0] == 0 and rev.lo[n] + rev.width - 1 >= m


def test_no_path_outside_a_band_is_an_error():
    band = Band(np.zeros(3, dtype=np.int64), 1, 2, 2)  # only column 0: (2, 2) is unreachable
    S = {t: np.zeros((3, 1)) for t in DEFAULT_TYPES}
    with pytest.raises(ValueError, match="no path"):
        viterbi(S, band)


def test_all_paths_helper_counts():
    assert len(all_paths(1, 1)) == 3  # 1-1, or 1-0 then 0-1, or 0-1 then 1-0
    assert all(p[-1][1] == 2 and p[-1][3] == 2 for p in all_paths(2, 2))
    assert len(set(map(tuple, all_paths(2, 2)))) == len(all_paths(2, 2))
    assert list(itertools.islice(all_paths(0, 0), 1)) == [[]]
