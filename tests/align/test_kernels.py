"""The compiled dynamic programming (numba, when installed) against its NumPy twin: the Viterbi pass bit for bit, the
soft passes within rounding, and whole documents' beads the same either way."""

from __future__ import annotations

import numpy as np
import pytest

from mt.align import Aligner, align_many_texts, kernels
from mt.align.dp import DEFAULT_TYPES, NEG, Band, backward, forward, log_partition_and_marginals, viterbi
from tests.align.test_aligner import sample_pairs

needs_numba = pytest.mark.skipif(not kernels.numba_enabled(), reason="numba is not installed (pip install 'mt[fast]')")


def _lattice(rng, n, m, radius, types, holes):
    path = [(i, min(m, round(i * m / max(1, n)))) for i in range(n + 1)]
    band = Band.around(path, n, m, radius) if radius else Band.full(n, m)
    if holes < 0:  # every score equal: ties everywhere (the first type wins, log-sum-exp of equals)
        return {t: np.zeros((n + 1, band.width)) for t in types}, band
    scores = {t: rng.normal(-2.0, 3.0, (n + 1, band.width)) for t in types}
    for t in types:  # impossible cells, as the aligner leaves them where a bead cannot end
        if t != (0, 1):
            scores[t][rng.random(scores[t].shape) < holes] = NEG
    return scores, band


def _both(monkeypatch, fn, *args):
    """``fn(*args)`` compiled and with NumPy, each its result or the error it raised (both ways must agree on which)."""
    out = []
    for plain in (False, True):
        if plain:
            monkeypatch.setenv("MT_NUMBA", "0")
        try:
            out.append(fn(*args))
        except ValueError as e:
            out.append(("raised", str(e)))
    monkeypatch.delenv("MT_NUMBA")
    return out


CASES = [(12, 15, 0, DEFAULT_TYPES, 0.0), (30, 22, 3, DEFAULT_TYPES, 0.1), (9, 9, 2, ((1, 1), (1, 0), (2, 1)), 0.2),
         (1, 1, 0, DEFAULT_TYPES, 0.0), (5, 14, 0, ((0, 1), (1, 1), (1, 2)), 0.3), (20, 6, 2, DEFAULT_TYPES, 0.05),
         (8, 11, 0, DEFAULT_TYPES, -1), (14, 10, 2, DEFAULT_TYPES, -1)]


@needs_numba
@pytest.mark.parametrize("n,m,radius,types,holes", CASES)
def test_compiled_passes_are_the_numpy_ones(monkeypatch, n, m, radius, types, holes):
    rng = np.random.default_rng(n * 100 + m)
    scores, band = _lattice(rng, n, m, radius, types, holes)
    (D, back), (D0, back0) = _both(monkeypatch, forward, scores, band)
    assert np.array_equal(D, D0) and np.array_equal(back, back0)  # max and plus only: bit for bit
    (F, _), (F0, _) = _both(monkeypatch, forward, scores, band, True)
    assert np.allclose(F, F0, rtol=1e-12, atol=1e-9)
    B, B0 = _both(monkeypatch, backward, scores, band)
    assert np.allclose(B, B0, rtol=1e-12, atol=1e-9)
    (z, marg), (z0, marg0) = got = _both(monkeypatch, log_partition_and_marginals, scores, band)
    if z == "raised":  # no path through this lattice's holes: both ways say so
        assert got[0] == got[1]
    else:
        assert abs(z - z0) < 1e-9 and all(np.allclose(marg[t], marg0[t], atol=1e-12) for t in types)
    best, best0 = _both(monkeypatch, viterbi, scores, band)
    assert best == best0


@needs_numba
def test_documents_get_the_same_beads_with_or_without_numba(monkeypatch):
    docs, _ = sample_pairs()

    def run():
        return [[(b.src, b.tgt, b.score) for b in al.beads] for al in align_many_texts(docs, Aligner())]

    got, plain = _both(monkeypatch, run)
    assert [[(s, t) for s, t, _ in d] for d in got] == [[(s, t) for s, t, _ in d] for d in plain]
    assert max(abs(a[2] - b[2]) for x, y in zip(got, plain) for a, b in zip(x, y)) < 1e-9


def test_without_numba_nothing_is_compiled(monkeypatch):
    monkeypatch.setenv("MT_NUMBA", "0")
    assert not kernels.numba_enabled() and kernels.kernel("dp_forward") is None


def test_the_numpy_path_gives_the_pinned_output(monkeypatch):
    """The pinned beads and scores (tests/align/test_pinned.py) hold on the path machines without numba take."""
    from tests.align import test_pinned

    monkeypatch.setenv("MT_NUMBA", "0")
    pinned = test_pinned.PINNED.read_text("utf-8")
    import json

    want = json.loads(pinned)["sample"]
    now = test_pinned.sample_output()
    if now["params"] != want["params"]:
        pytest.skip("the aligner's values changed since the output was pinned")
    assert test_pinned.same(now["turns"], want["turns"])
    assert all(test_pinned.same(now["articles"][k], v) for k, v in want["articles"].items())


@needs_numba
def test_kernels_compile_without_a_place_to_keep_them(monkeypatch):
    """Where numba has nowhere writable to cache compiled code it refuses ``cache=True``: compiled each run instead."""
    numba = pytest.importorskip("numba")
    real = numba.njit

    def no_cache(*args, **kw):
        if kw.get("cache"):
            raise RuntimeError("cannot cache function: no locator available")
        return real(*args, **kw)

    monkeypatch.setattr(kernels, "_compiled", {})
    monkeypatch.setattr(kernels, "_logaddexp", kernels._logaddexp_py)
    monkeypatch.setattr(kernels, "_lse_cell", kernels._lse_cell_py)
    monkeypatch.setattr(kernels._numba, "njit", no_cache)
    compiled = kernels.kernel("dp_backward")
    assert compiled is not None
    scores, band = _lattice(np.random.default_rng(1), 6, 7, 0, DEFAULT_TYPES, 0.0)
    monkeypatch.setattr(kernels, "kernel", lambda name: None)
    plain = backward(scores, band)
    monkeypatch.setattr(kernels, "kernel", lambda name: compiled if name == "dp_backward" else None)
    assert np.allclose(backward(scores, band), plain, rtol=1e-12, atol=1e-9)


@needs_numba
@pytest.mark.parametrize("seed,n,k,v,density", [(1, 40, 30, 50, 0.2), (2, 7, 200, 90, 0.05), (3, 1, 5, 3, 1.0), (4, 25, 12, 1, 0.5)])
def test_compiled_sparse_product_is_scipys_bit_for_bit(seed, n, k, v, density):
    """Rows of A times a dictionary D as a dense array: the same sums as SciPy's product, added in the same order."""
    from scipy import sparse

    rng = np.random.default_rng(seed)
    A = sparse.random(n, k, density=0.3, format="csr", random_state=rng, data_rvs=lambda s: rng.integers(1, 4, s) * rng.random(s))
    D = sparse.random(k, v, density=density, format="csr", random_state=rng)
    D.data = rng.random(len(D.data)) ** 3  # probabilities of very different sizes: the order of the sums shows
    compiled = kernels.kernel("sparse_rows_dense")
    for r0, r1 in ((0, n), (n // 3, n), (0, max(1, n // 2)), (n - 1, n)):
        got = compiled(A.indptr, A.indices, A.data, D.indptr, D.indices, D.data, r0, r1, v)
        assert got.shape == (r1 - r0, v)
        assert np.array_equal(got, (A[r0:r1] @ D).toarray())


@needs_numba
@pytest.mark.parametrize("seed,longest,uniform,iterations", [(1, 12, True, 4), (2, 151, False, 3), (3, 700, False, 2),
                                                               (4, 2, True, 1), (5, 300, True, 0)])
def test_compiled_em_is_numpys_bit_for_bit(seed, longest, uniform, iterations):
    """IBM-1's EM steps compiled: the NumPy twin's counts exactly, blocks short and long (NumPy sums those of more
    than 128 links by halves, more than once past 256), from even links or from earlier ones, with a prior."""
    from mt.align.bootstrap import em_steps

    rng = np.random.default_rng(seed)
    rows, keys = 40, 300
    f_of = np.sort(rng.integers(0, rows, keys))
    size = rng.integers(1, longest + 1, 60)
    starts = np.concatenate([[0], np.cumsum(size)[:-1]])
    pair = rng.integers(0, keys, int(size.sum()))
    weight = rng.random(60) ** 2
    p_key, ptot = rng.random(keys) ** 4, rng.random(rows) * 3
    t = np.zeros(0) if uniform else rng.random(keys) ** 3 + 1e-6  # probabilities of very different sizes: the order shows
    want = em_steps(t, uniform, pair, starts, size, weight, f_of, p_key, ptot, rows, iterations)
    got = kernels.kernel("ibm1_em")(t, uniform, pair, starts, size, weight, f_of, p_key, ptot, rows, iterations)
    assert np.array_equal(got, want)
    assert iterations == 0 or want.sum() > 0


@needs_numba
@pytest.mark.parametrize("seed,n,m,width", [(1, 30, 40, 9), (2, 5, 3, 4), (3, 60, 55, 60), (4, 1, 1, 2)])
def test_the_compiled_match_similarity_is_numpys_bit_for_bit(monkeypatch, seed, n, m, width):
    """A match scorer's similarity of every candidate bead, compiled and with NumPy: the same numbers exactly, for every
    bead type, candidates inside the band, at its edges and past them, with and without token weight on a side."""
    from mt.align.scorers.match import Banded, NumberScorer

    rng = np.random.default_rng(seed)
    lo = np.minimum(np.maximum(np.arange(n) * m // max(1, n) - width // 2, 0), max(0, m - width)).astype(np.int64)
    scorer = object.__new__(NumberScorer)  # only the band's arrays and the prefix sums are read
    mass = lambda: rng.random((n, width)) ** 4 * 10.0 ** rng.integers(-6, 3, (n, width))  # noqa: E731 - sums' order shows
    scorer.V = Banded(lo, width, mass(), mass())
    weights_s, weights_t = rng.random(n) * (rng.random(n) < 0.7), rng.random(m) * (rng.random(m) < 0.7)
    scorer.pws = np.concatenate([[0.0], np.cumsum(weights_s)])
    scorer.pwt = np.concatenate([[0.0], np.cumsum(weights_t)])
    I = rng.integers(-2, n + 3, 400)
    J = rng.integers(-2, m + 3, 400)
    for a, b in DEFAULT_TYPES:
        if a and b:
            got = scorer._similarity(a, b, I, J)
            monkeypatch.setenv("MT_NUMBA", "0")
            want = scorer._similarity(a, b, I, J)
            monkeypatch.delenv("MT_NUMBA")
            assert all(np.array_equal(g, w) for g, w in zip(got, want)), (a, b)
            assert (got[0] > 0).any() or n * m < 4
