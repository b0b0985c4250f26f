"""The DP core against brute force on small lattices: best path, log-sum-exp over all paths, posteriors, bands."""

import itertools
import math

import numpy as np
import pytest

from mt.align.dp import DEFAULT_TYPES, NEG, Band, backward, forward, log_partition_and_marginals, posteriors, sample, viterbi


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
    z, marg = log_partition_and_marginals(S, band)
    assert math.isclose(z, float(np.log(np.exp(np.array([path_score(p, S, band) for p in paths])).sum())), abs_tol=1e-9)
    beads = list(bead_p)
    got = posteriors(marg, band, beads)
    assert np.allclose(got, [bead_p[b] for b in beads], atol=1e-9)
    # every source segment is covered by exactly one bead of every path: the expected coverage is 1
    cover = np.zeros(n)
    for (a, b), P in marg.items():
        for i in range(n + 1):
            for w in range(band.width):
                for k in range(a):
                    cover[i - 1 - k] += P[i, w] if P[i, w] > 0 else 0.0
    assert np.allclose(cover, 1.0, atol=1e-9)


@pytest.mark.parametrize("n,m,seed", [(3, 4, 11), (6, 5, 12)])
def test_backward_matches_forward_and_bands(n, m, seed):
    path = [(i, min(m, round(i * m / n))) for i in range(n + 1)]
    for band in (Band.full(n, m), Band.around(path, n, m, radius=1)):
        S = random_scores(n, m, band, seed)
        D, _ = forward(S, band, soft=True)
        B = backward(S, band)
        assert math.isclose(B[0, 0], D[n, m - band.lo[n]], rel_tol=1e-9, abs_tol=1e-9)


def test_sampled_paths_follow_the_distribution():
    n, m = 2, 2
    band = Band.full(n, m)
    S = random_scores(n, m, band, 13)
    paths = all_paths(n, m)
    w = np.exp(np.array([path_score(p, S, band) for p in paths]))
    w /= w.sum()
    rng = np.random.default_rng(0)
    counts = {}
    draws = 4000
    for _ in range(draws):
        p = tuple(sample(S, band, rng))
        counts[p] = counts.get(p, 0) + 1
    best = int(np.argmax(w))
    assert abs(counts.get(tuple(paths[best]), 0) / draws - w[best]) < 0.03


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
    assert band.lo[0] == 0 and band.lo[n] + band.width - 1 >= m


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


# -- band geometry: what mutation testing found no test pinned ----------------------------------------------

def _cells(band: Band) -> set[tuple[int, int]]:
    return {(i, int(j)) for i in range(band.n + 1) for j in range(band.lo[i], band.lo[i] + band.width) if j <= band.m}


def test_a_band_from_ranges_is_the_narrowest_monotone_band_covering_them():
    band = Band.from_ranges(np.array([0, 2, 3]), np.array([1, 4, 5]), 2, 6)
    assert band.width == 4 and band.lo.tolist() == [0, 1, 3] and band.lo.dtype == np.int64
    # rows are widened to the monotone hull, the first row starts at 0 and the last reaches m
    band = Band.from_ranges(np.array([3, 1, 4, 2]), np.array([3, 2, 4, 3]), 3, 5)
    assert band.lo[0] == 0 and band.lo[-1] + band.width - 1 >= 5
    assert all(band.lo[i] <= band.lo[i + 1] for i in range(3))
    assert band.width == 4 and band.lo.tolist() == [0, 0, 1, 2]  # the hull's widest row, 1..4, needs 4 columns
    # ranges beyond the lattice are clipped to it, never below 0 or past m
    band = Band.from_ranges(np.array([-5, 0, 2]), np.array([1, 9, 9]), 2, 4)
    assert band.lo.min() >= 0 and band.lo.max() + band.width - 1 <= 4 + band.width - 1 and band.width <= 5


@pytest.mark.parametrize("radius", [1, 2, 3])
def test_a_band_around_a_path_holds_every_cell_within_the_radius_and_little_more(radius):
    rng = np.random.default_rng(radius)
    for _ in range(20):
        n, m = int(rng.integers(5, 30)), int(rng.integers(5, 30))
        # a monotone path from (0, 0) to (n, m) with steps of 0..3 on each side
        path, i, j = [(0, 0)], 0, 0
        while (i, j) != (n, m):
            i, j = min(n, i + int(rng.integers(0, 4))), min(m, j + int(rng.integers(0, 4)))
            path.append((i, j))
        band = Band.around(path, n, m, radius)
        cells = _cells(band)
        for pi, pj in path:
            for di in range(-radius, radius + 1):
                for dj in range(-radius, radius + 1):
                    a, b = pi + di, pj + dj
                    if 0 <= a <= n and 0 <= b <= m:
                        assert (a, b) in cells, (path, radius, a, b)
        # and no more than the reference, written out row by row: each row's path columns (a row the path jumps
        # over takes its neighbours'), the rows within the radius, widened by the radius, then the monotone hull
        lo0, hi0 = {}, {}
        for a, b in path:
            lo0[a], hi0[a] = min(lo0.get(a, b), b), max(hi0.get(a, b), b)
        for r in range(n + 1):
            if r not in lo0:
                p, q = max(x for x in lo0 if x < r), min(x for x in lo0 if x > r)
                lo0[r], hi0[r] = min(lo0[p], lo0[q]), max(hi0[p], hi0[q])
        near = [range(max(0, r - radius), min(n, r + radius) + 1) for r in range(n + 1)]
        ref = Band.from_ranges(np.array([min(lo0[x] for x in w) - radius for w in near]),
                               np.array([max(hi0[x] for x in w) + radius for w in near]), n, m)
        assert band.width == ref.width and band.lo.tolist() == ref.lo.tolist()


@pytest.mark.parametrize("seed", [21, 22, 23])
def test_a_narrow_band_matches_brute_force_over_the_paths_inside_it(seed):
    """In band coordinates a row's columns start at lo[i] > 0: best path, its score, log Z and posteriors against
    every path that stays inside the band, so that no offset by lo can go wrong unnoticed."""
    n, m = 6, 7
    band = Band.around([(i, round(i * m / n)) for i in range(n + 1)], n, m, 1)
    assert band.lo[n] > 0 and band.width < m + 1  # a real band: its last row does not start at column 0
    S = random_scores(n, m, band, seed)

    def inside(i, j):
        return band.lo[i] <= j < band.lo[i] + band.width

    paths = [p for p in all_paths(n, m) if all(inside(i1, j1) and inside(i0, j0) for i0, i1, j0, j1 in p)]
    scores = np.array([path_score(p, S, band) for p in paths])
    best, value = viterbi(S, band)
    assert math.isclose(value, scores.max(), rel_tol=1e-9) and best == paths[int(scores.argmax())]
    z, marg = log_partition_and_marginals(S, band)
    assert math.isclose(z, float(np.logaddexp.reduce(scores)), rel_tol=1e-9)
    w = np.exp(scores - scores.max())
    w /= w.sum()
    want = [sum(wk for wk, p in zip(w, paths) if bead in p) for bead in best]
    assert np.allclose(posteriors(marg, band, best), want, atol=1e-9)


def test_small_bands_of_one_shape_share_their_plan_and_others_do_not():
    from mt.align.dp import DEFAULT_TYPES, Band, Plan

    a, b = (Band(np.clip(np.arange(13) - 1, 0, 9), 4, 12, 12) for _ in range(2))
    c = Band(np.clip(np.arange(13) - 2, 0, 9), 4, 12, 12)
    assert a is not b and a.plan(DEFAULT_TYPES) is b.plan(DEFAULT_TYPES)
    assert a.width == c.width and not np.array_equal(a.lo, c.lo)  # same size, another shape
    pc = c.plan(DEFAULT_TYPES)
    assert pc is not a.plan(DEFAULT_TYPES)
    fresh = Plan.build(c, DEFAULT_TYPES)
    assert np.array_equal(pc.prev, fresh.prev) and np.array_equal(pc.next, fresh.next)
    assert Band.full(4, 5).plan(DEFAULT_TYPES) is Band.full(4, 5).plan(DEFAULT_TYPES)
    assert Band.full(60, 50).plan(DEFAULT_TYPES) is not Band.full(60, 50).plan(DEFAULT_TYPES)  # large: not kept


def test_shared_plans_are_kept_within_their_budget(monkeypatch):
    from mt.align import dp

    monkeypatch.setattr(dp, "SHARED_PLANS_TOTAL", 500)
    monkeypatch.setattr(dp, "_shared_plans", {})
    monkeypatch.setattr(dp, "_shared_cells", 0)
    for n in range(2, 30):
        dp.Band.full(n, 5).plan(dp.DEFAULT_TYPES)
        assert dp._shared_cells <= 500 and sum((k[0] + 1) * k[2] for k in dp._shared_plans) == dp._shared_cells


def test_the_ends_of_a_bead_type_are_the_cells_it_can_end_at_kept_read_only():
    # the second band's last rows reach past the last target segment
    for band in (Band.around([(0, 0), (1, 1), (2, 1), (3, 3), (4, 4)], 4, 4, 1), Band(np.array([0, 1, 2]), 3, 2, 2)):
        rows, cols = band.grid()
        for a, b in DEFAULT_TYPES:
            ok, I, J = band.ends(a, b)
            want = [(i, j) for i, j in zip(rows.ravel(), cols.ravel()) if i >= a and j >= b and j <= band.m]
            assert list(zip(I.tolist(), J.tolist())) == want and ok.sum() == len(want)
            assert band.ends(a, b)[1] is I and not (ok.flags.writeable or I.flags.writeable or J.flags.writeable)
