"""Word-link counts the aligner learns from its own beads (Moore's bootstrap), with what it knew before as a prior.

IBM Model 1 in both directions, by EM over weighted sentence pairs: each pair counts as much as
the aligner believes it (a bead's posterior probability; a bead a translator accepted counts more),
so no share of "confident" beads has to be chosen. Counts from elsewhere (the store's corpus
lexicon, a lexicon file) enter as a Dirichlet prior: the M-step adds them to the pairs' expected
counts, ``t(e|f) = (prior(f, e) + c(f, e)) / (prior(f) + c(f))`` (MAP EM). A word the prior knows
well keeps its translations; a word it has never seen (a name new to this document) is learnt from
the document alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy import sparse

from mt.errors import InputError

NULL = "<null>"  # the empty word of IBM Model 1: target words that translate nothing link to it


@dataclass
class Counts:
    """Expected link counts ``c(from word, to word)`` of one direction, over named vocabularies.

    ``totals`` holds each from-word's count over *all* to-words, including those outside ``cols``
    (a prior restricted to one document's words must still normalise over everything it saw).
    """

    rows: list[str]
    cols: list[str]
    matrix: sparse.csr_matrix
    totals: np.ndarray

    @classmethod
    def from_triples(cls, triples: list[tuple[str, str, float]], totals: dict[str, float] | None = None) -> Counts:
        rows = sorted({f for f, _, _ in triples} | set(totals or {}))
        cols = sorted({e for _, e, _ in triples})
        ri = {w: k for k, w in enumerate(rows)}
        ci = {w: k for k, w in enumerate(cols)}
        m = sparse.csr_matrix(([c for _, _, c in triples], ([ri[f] for f, _, _ in triples], [ci[e] for _, e, _ in triples])),
                              shape=(len(rows), max(1, len(cols))))
        tot = np.asarray(m.sum(axis=1)).ravel()
        if totals:
            tot = np.array([max(totals.get(w, 0.0), t) for w, t in zip(rows, tot)])
        return cls(rows, cols, m, tot)

    @cached_property
    def _index(self) -> tuple[dict[str, int], dict[str, int], sparse.csr_matrix]:
        """Word → row and column, and the matrix in canonical CSR form: built once, not once per document."""
        m = self.matrix.tocsr()
        return {w: k for k, w in enumerate(self.rows)}, {w: k for k, w in enumerate(self.cols)}, m

    def restrict(self, rows: list[str], cols: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """The counts re-indexed onto other vocabularies (unknown words: zeros), and the row totals.

        Only the rows of the words asked for are read (a document has a few hundred words, the corpus lexicon
        many thousands), in the counts' own order, so the result is the one a pass over every entry gives."""
        shape = (len(rows), max(1, len(cols)))
        tot = np.zeros(len(rows))
        if not len(self.rows) or not rows:
            return sparse.csr_matrix(shape), tot
        row_at, col_at, m = self._index
        pairs = sorted((row_at[w], k) for k, w in enumerate(rows) if w in row_at)  # (row here, row there), in this order
        if not pairs:
            return sparse.csr_matrix(shape), tot
        here = np.array([i for i, _ in pairs], dtype=np.int64)
        there = np.array([k for _, k in pairs], dtype=np.int64)
        tot[there] = self.totals[here]
        cmap = np.full(max(1, len(self.cols)), -1, dtype=np.int64)
        for k, w in enumerate(cols):
            j = col_at.get(w)
            if j is not None:
                cmap[j] = k
        starts, ends = m.indptr[here], m.indptr[here + 1]
        lengths = ends - starts
        entries = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths) + np.arange(int(lengths.sum()))
        r = np.repeat(there, lengths)
        c = cmap[m.indices[entries]]
        keep = c >= 0
        return sparse.csr_matrix((m.data[entries][keep], (r[keep], c[keep])), shape=shape), tot

    def triples(self, min_count: float = 0.0) -> list[tuple[str, str, float]]:
        coo = self.matrix.tocoo()
        keep = coo.data > min_count
        return [(self.rows[r], self.cols[c], float(v)) for r, c, v in zip(coo.row[keep], coo.col[keep], coo.data[keep])]

    def __len__(self) -> int:
        return self.matrix.nnz


def merge_counts(parts: list[Counts | None]) -> Counts | None:
    """The sum of several counts of the same direction (None where there are none)."""
    some = [c for c in parts if c is not None and len(c)]
    if not some:
        return None
    if len(some) == 1:
        return some[0]
    rows = sorted({w for c in some for w in c.rows})
    cols = sorted({w for c in some for w in c.cols})
    m, tot = some[0].restrict(rows, cols)
    for c in some[1:]:
        cm, ct = c.restrict(rows, cols)
        m, tot = m + cm, tot + ct
    return Counts(rows, cols, m.tocsr(), tot)


def _common(sentences: list[list[str]], share: float = 0.5) -> set[str]:
    """Words found in more than half of the pairs: they tell no pair from another, and they are most of
    IBM-1's work (its time grows with the product of sentence lengths)."""
    if len(sentences) < 20:
        return set()
    df = Counter(w for s in sentences for w in set(s))
    return {w for w, c in df.items() if c > share * len(sentences)}


def _unique(flat: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(flat, return_inverse=True)``; over a small key space by marking, which needs no sort."""
    if space > min(4 * len(flat), 4_000_000):
        if space < 2**31:  # 32-bit keys sort about twice as fast
            small, inverse = np.unique(flat.astype(np.int32), return_inverse=True)
            return small.astype(np.int64), inverse
        return np.unique(flat, return_inverse=True)
    seen = np.zeros(space, dtype=bool)
    seen[flat] = True
    keys = np.flatnonzero(seen)
    index = np.zeros(space, dtype=np.int64)
    index[keys] = np.arange(len(keys))
    return keys, index[flat]


MAX_TOKENS = 150  # longer pairs are left out of EM, as GIZA++ does: their cost grows with the product of lengths, their links are diffuse


def em_counts(src: list[list[str]], tgt: list[list[str]], weights, prior: Counts | None = None,
              iterations: int = 5, start: Counts | None = None) -> Counts:
    """Expected counts ``c(f, e)`` of IBM Model 1 (source words f, with NULL, generate target words e) on weighted pairs.

    ``prior``: counts of the same direction learnt elsewhere, added in every M-step. The returned
    counts are the pairs' own (the prior is not in them), so that they can be stored and summed.
    ``start``: counts of an earlier run on much the same pairs, to start EM from instead of uniform
    links (then fewer iterations reach the same place).
    """
    weights = np.asarray(weights, dtype=float)
    common_s, common_t = _common(src), _common(tgt)
    s_vocab: dict[str, int] = {NULL: 0}
    t_vocab: dict[str, int] = {}
    keys_parts, sizes, gw_parts = [], [], []
    s_get, t_get = s_vocab.setdefault, t_vocab.setdefault
    for f, e, w in zip(src, tgt, weights):
        if w <= 0:
            continue
        fi = np.array([0] + [s_get(x, len(s_vocab)) for x in f if x not in common_s], dtype=np.int64)
        ei = np.array([t_get(x, len(t_vocab)) for x in e if x not in common_t], dtype=np.int64)
        if len(ei) == 0 or len(fi) == 1 or len(ei) > MAX_TOKENS or len(fi) > MAX_TOKENS + 1:
            continue
        keys_parts.append((fi[None, :], ei[:, None]))
        sizes.append(np.full(len(ei), len(fi)))  # each target token's block: one entry per source word
        gw_parts.append(np.full(len(ei), w))
    if not keys_parts:
        raise InputError("no sentence pair has words on both sides; nothing to learn from")
    n_t = max(1, len(t_vocab))
    flat = np.concatenate([(f * n_t + e).ravel() for f, e in keys_parts])
    keys, pair = _unique(flat, len(s_vocab) * n_t)
    size = np.concatenate(sizes)
    starts = np.concatenate([[0], np.cumsum(size)[:-1]])
    token_weight = np.concatenate(gw_parts)
    f_of, e_of = keys // n_t, keys % n_t
    rows, cols = list(s_vocab), list(t_vocab)
    if prior is not None and len(prior):
        pm, ptot = prior.restrict(rows, cols)
        p_key = _on_keys(pm, keys, n_t)
    else:
        p_key, ptot = np.zeros(len(keys)), np.zeros(len(rows))
    t = None
    if start is not None and len(start):
        sm, stot = start.restrict(rows, cols)
        t = (p_key + _on_keys(sm, keys, n_t)) / np.maximum((ptot + stot)[f_of], 1e-12)
        t = np.where(t > 0, t, 1e-6)  # links the earlier run never saw keep a chance
    counts = np.zeros(len(keys))
    for _ in range(iterations):
        if t is None:  # uniform links: each target token's mass spread evenly over its block
            post = np.repeat(token_weight / size, size)
        else:
            w = t[pair]
            post = w * np.repeat(token_weight / np.add.reduceat(w, starts), size)
        counts = np.bincount(pair, post, minlength=len(keys)).astype(float)
        row_total = np.bincount(f_of, counts, minlength=len(rows)) + ptot
        t = (p_key + counts) / np.maximum(row_total[f_of], 1e-12)
    m = sparse.csr_matrix((counts, (f_of, e_of)), shape=(len(rows), n_t))
    return Counts(rows, cols, m, np.bincount(f_of, counts, minlength=len(rows)))


def _on_keys(m: sparse.csr_matrix, keys: np.ndarray, n_t: int) -> np.ndarray:
    """The entries of ``m`` at the (sorted) flat keys ``row * n_t + col``; 0 where it has none."""
    coo = m.tocoo()
    k = coo.row.astype(np.int64) * n_t + coo.col
    pos = np.searchsorted(keys, k)
    ok = pos < len(keys)
    ok[ok] = keys[pos[ok]] == k[ok]
    out = np.zeros(len(keys))
    out[pos[ok]] = coo.data[ok]
    return out


@dataclass
class LinkModel:
    """p(target word | source word) and back, from a document's counts plus a prior, for the lexical scorer."""

    fwd: Counts | None
    bwd: Counts | None
    prior_fwd: Counts | None = None
    prior_bwd: Counts | None = None

    @staticmethod
    def _probs(own: Counts | None, prior: Counts | None, rows: list[str], cols: list[str]) -> sparse.csr_matrix:
        shape = (len(rows), max(1, len(cols)))
        m, tot = None, np.zeros(len(rows))
        for c in (own, prior):
            if c is not None and len(c):
                cm, ct = c.restrict(rows, cols)
                m, tot = (cm if m is None else m + cm), tot + ct
        if m is None:
            return sparse.csr_matrix(shape)
        inv = np.where(tot > 0, 1.0 / np.maximum(tot, 1e-12), 0.0)
        # each row scaled by its inverse total in place: the values a product with the diagonal gives, without
        # building it (small documents ask for these matrices once per pass, and the product's set-up was most of it)
        m = m.tocsr(copy=True)
        m.data = m.data * np.repeat(inv, np.diff(m.indptr))
        m.eliminate_zeros()
        return m

    def matrices(self, src_vocab: list[str], tgt_vocab: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """(p(e|f) as source × target, p(f|e) as target × source)."""
        fwd = self._probs(self.fwd, self.prior_fwd, src_vocab, tgt_vocab).tocsr()
        bwd = self._probs(self.bwd, self.prior_bwd, tgt_vocab, src_vocab).tocsr()
        return fwd, bwd

    @property
    def empty(self) -> bool:
        return not any(c is not None and len(c) for c in (self.fwd, self.bwd, self.prior_fwd, self.prior_bwd))


WARM_ITERATIONS = 1  # from an earlier model of much the same pairs, EM needs only a few more steps


def learn(src: list[list[str]], tgt: list[list[str]], weights, prior_fwd: Counts | None = None,
          prior_bwd: Counts | None = None, iterations: int = 4, start: LinkModel | None = None) -> LinkModel:
    """Both directions of IBM-1 on weighted pairs, each with its prior (``start``: an earlier model to begin from)."""
    s_fwd, s_bwd = (start.fwd, start.bwd) if start is not None and start.fwd is not None and start.bwd is not None else (None, None)
    if s_fwd is not None:
        iterations = WARM_ITERATIONS
    fwd = em_counts(src, tgt, weights, prior_fwd, iterations, s_fwd)
    bwd = em_counts(tgt, src, weights, prior_bwd, iterations, s_bwd)
    return LinkModel(fwd, bwd, prior_fwd, prior_bwd)


def prior_from_table(table, words: list[str], strength: float) -> Counts:
    """Pseudo-counts from a lexicon file's probability table, for the given source words: ``strength`` × p."""
    triples: list[tuple[str, str, float]] = []
    totals: dict[str, float] = {}
    for w in words:
        best = table.best(w, 30)
        if best:
            totals[w] = strength
            triples.extend((w, e, strength * p) for e, p in best)
    return Counts.from_triples(triples, totals)
