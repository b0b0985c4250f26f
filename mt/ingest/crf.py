"""A linear-chain conditional random field over a page's pieces: decoding and fitting on arrays.

Five tags: ``O`` (intro or furniture: in no question or answer), ``BQ``/``IQ`` (a question begins /
goes on), ``BA``/``IA`` (an answer begins / goes on). A piece's emission score for each tag is the
sum of its features' weights; transitions between tags are weights too, and the impossible ones
(a question going on after an answer, a page starting inside a turn) are never allowed. Fitting
maximises the penalised log-likelihood of gold tag sequences with L-BFGS (scipy); decoding is
Viterbi, optionally with some pieces' tags fixed (a declared layout). Nothing here knows what a
feature means: :mod:`mt.ingest.features` makes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # scipy loads only to fit: reading a page needs numpy alone
    from scipy import sparse


def logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    """log(sum(exp(a))) along an axis, shifted by the maximum (scipy's is many times slower on small arrays)."""
    m = a.max(axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    return np.squeeze(m, axis=axis) + np.log(np.exp(a - m).sum(axis=axis))

TAGS = ("O", "BQ", "IQ", "BA", "IA")
T = len(TAGS)
O, BQ, IQ, BA, IA = range(T)
NEG = -1e9  # the score of what is not allowed: finite, so that no arithmetic gives NaN


def allowed_transitions() -> np.ndarray:
    ok = np.ones((T, T), dtype=bool)
    ok[:, IQ] = False
    ok[[BQ, IQ], IQ] = True
    ok[:, IA] = False
    ok[[BA, IA], IA] = True
    return ok


ALLOWED = allowed_transitions()
START_ALLOWED = np.array([True, True, False, True, False])


@dataclass
class Weights:
    """Emission weights (features × tags), transitions (tags × tags), start and end scores."""

    emission: np.ndarray
    transition: np.ndarray
    start: np.ndarray
    end: np.ndarray

    def masked(self) -> tuple[np.ndarray, np.ndarray]:
        return np.where(ALLOWED, self.transition, NEG), np.where(START_ALLOWED, self.start, NEG)


def emissions(X: sparse.csr_matrix | list[list[int]], w: Weights, fixed: np.ndarray | None = None) -> np.ndarray:
    """Each piece's score for each tag, from its features (a matrix, or each piece's feature indices); ``fixed``
    (pieces × tags, bool) keeps only the tags each piece may take."""
    if isinstance(X, list):
        # one gather and one segmented sum over every piece (a zero row stands in for a piece with no known feature)
        em = np.vstack([w.emission, np.zeros((1, T))])
        zero = len(w.emission)
        cols = [c or [zero] for c in X]
        starts = np.cumsum([0] + [len(c) for c in cols[:-1]])
        flat = np.fromiter((i for c in cols for i in c), dtype=np.int64)
        E = np.add.reduceat(em[flat], starts, axis=0) if len(cols) else np.zeros((0, T))
    else:
        E = np.asarray(X @ w.emission)
    if fixed is not None:
        E = np.where(fixed, E, NEG)
    return E


def viterbi(E: np.ndarray, w: Weights) -> list[int]:
    """The best tag sequence for one page's emission scores (pieces × tags)."""
    n = E.shape[0]
    if n == 0:
        return []
    A, s = w.masked()
    score = s + E[0]
    back = np.zeros((n, T), dtype=int)
    for i in range(1, n):
        cand = score[:, None] + A
        back[i] = cand.argmax(axis=0)
        score = cand.max(axis=0) + E[i]
    tags = [int((score + w.end).argmax())]
    for i in range(n - 1, 0, -1):
        tags.append(int(back[i, tags[-1]]))
    return tags[::-1]


def marginals(E: np.ndarray, w: Weights) -> np.ndarray:
    """P(tag) of each piece of one page (pieces × tags)."""
    if E.shape[0] == 0:
        return np.zeros((0, T))
    _, post, _ = _forward_backward(E[None], np.array([E.shape[0]]), w)
    return post[0, : E.shape[0]]


def _forward_backward(E: np.ndarray, lengths: np.ndarray, w: Weights):
    """Pages padded to one array (pages × pieces × tags): log Z per page, node marginals, and pair marginals summed."""
    D, N, _ = E.shape
    A, s = w.masked()
    alpha = np.empty((D, N, T))
    alpha[:, 0] = s + E[:, 0]
    for i in range(1, N):
        alpha[:, i] = logsumexp(alpha[:, i - 1, :, None] + A[None], axis=1) + E[:, i]
    last = lengths - 1
    idx = np.arange(D)
    logz = logsumexp(alpha[idx, last] + w.end, axis=1)
    beta = np.zeros((D, N, T))
    beta[idx, last] = w.end
    for i in range(N - 2, -1, -1):
        new = logsumexp(A[None] + (E[:, i + 1] + beta[:, i + 1])[:, None, :], axis=2)
        inside = (i < last)[:, None]
        beta[:, i] = np.where(inside, new, beta[:, i])
    valid = (np.arange(N)[None, :] < lengths[:, None])[..., None]
    post = np.where(valid, np.exp(np.minimum(alpha + beta - logz[:, None, None], 0.0)), 0.0)
    pair = np.zeros((T, T))
    for i in range(1, N):
        on = (i < lengths)
        if not on.any():
            break
        lp = alpha[on, i - 1, :, None] + A[None] + (E[on, i] + beta[on, i])[:, None, :] - logz[on, None, None]
        pair += np.exp(np.minimum(lp, 0.0)).sum(axis=0)
    return logz, post, pair


@dataclass
class Page:
    """One page's training data: its feature matrix (pieces × features), gold tags, and the tags each piece may take."""

    X: sparse.csr_matrix
    y: np.ndarray
    allowed: np.ndarray | None = None  # pieces × tags, bool; None: every tag


# A piece going on with a turn weighs the same whichever turn it goes on with: a turn's role is decided where it
# begins and by what comes around it (the transitions), never by how long its answer-like paragraphs run on.
# Emission weights are fitted in four columns (O, BQ, BA, inside) and spread to the five tags.
SPREAD = np.zeros((4, T))
SPREAD[0, O] = SPREAD[1, BQ] = SPREAD[2, BA] = SPREAD[3, IQ] = SPREAD[3, IA] = 1.0


def fit(pages: list[Page], n_features: int, l2: float = 1.0, prior: Weights | None = None, max_iter: int = 400) -> Weights:
    """Weights maximising the gold tags' log-likelihood minus ``l2``/2 × the squared distance from ``prior`` (zero)."""
    from scipy.optimize import minimize

    objective, x0, unpack = objective_of(pages, n_features, l2, prior)
    res = minimize(objective, x0, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    return unpack(res.x)


def objective_of(pages: list[Page], n_features: int, l2: float, prior: Weights | None):
    """The penalised negative log-likelihood with its gradient, the starting point, and how to read weights from a vector."""
    from scipy import sparse

    pages = [p for p in pages if p.X.shape[0]]
    D = len(pages)
    lengths = np.array([p.X.shape[0] for p in pages])
    N = int(lengths.max())
    Xall = sparse.vstack([p.X for p in pages]).tocsr()
    rows = np.concatenate([np.arange(n) for n in lengths])
    pages_of = np.repeat(np.arange(D), lengths)
    yall = np.concatenate([p.y for p in pages])
    Y = np.zeros((len(yall), T))
    Y[np.arange(len(yall)), yall] = 1.0
    mask = np.concatenate([p.allowed if p.allowed is not None else np.ones((p.X.shape[0], T), dtype=bool) for p in pages])
    pair_gold = np.zeros((T, T))
    for p in pages:
        np.add.at(pair_gold, (p.y[:-1], p.y[1:]), 1.0)
    first = np.zeros(T)
    np.add.at(first, np.array([p.y[0] for p in pages]), 1.0)
    final = np.zeros(T)
    np.add.at(final, np.array([p.y[-1] for p in pages]), 1.0)
    F = n_features
    K = SPREAD.shape[0]
    sizes = (F * K, T * T, T, T)
    p0 = prior or Weights(np.zeros((F, T)), np.zeros((T, T)), np.zeros(T), np.zeros(T))
    em0 = p0.emission[:, [O, BQ, BA, IQ]]
    x0 = np.concatenate([em0.ravel(), p0.transition.ravel(), p0.start, p0.end])
    ref = x0.copy()
    # the impossible transitions and starts are fixed: no gradient flows into them
    free = np.concatenate([np.ones(F * K), ALLOWED.ravel().astype(float), START_ALLOWED.astype(float), np.ones(T)])

    def unpack(x):
        a, b, c, _ = np.cumsum(sizes)
        return Weights(x[:a].reshape(F, K) @ SPREAD, x[a:b].reshape(T, T), x[b:c], x[c:])

    def objective(x):
        w = unpack(x)
        Ev = np.where(mask, np.asarray(Xall @ w.emission), NEG)
        E = np.zeros((D, N, T))
        E[pages_of, rows] = Ev
        logz, post, pair = _forward_backward(E, lengths, w)
        A, s = w.masked()
        gold = (np.where(mask, Ev, 0.0) * Y).sum() + (A * pair_gold).sum() + (s * first).sum() + (w.end * final).sum()
        P = post[pages_of, rows]
        g_em = np.asarray(Xall.T @ (P - Y)) @ SPREAD.T
        g_tr = pair - pair_gold
        g_s = post[:, 0].sum(axis=0) - first
        g_e = post[np.arange(D), lengths - 1].sum(axis=0) - final
        diff = x - ref
        loss = logz.sum() - gold + 0.5 * l2 * float((diff * diff * free).sum())
        grad = np.concatenate([g_em.ravel(), g_tr.ravel(), g_s, g_e]) + l2 * diff
        return loss, grad * free

    return objective, x0, unpack
