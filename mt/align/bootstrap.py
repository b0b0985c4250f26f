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

from dataclasses import dataclass
from functools import cached_property
from itertools import chain, repeat

import numpy as np
from scipy import sparse

from mt.align import kernels
from mt.align.concurrent import both
from mt.errors import InputError

NULL = "<null>"  # the empty word of IBM Model 1: target words that translate nothing link to it


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """``starts[k] .. starts[k] + lengths[k] - 1`` for every k, laid end to end."""
    return np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths) + np.arange(int(lengths.sum()))


def places(at: np.ndarray, size: int, first: int = 0) -> np.ndarray:
    """For each of ``size`` places, which of ``at`` sits there, counted from ``first`` (-1: none)."""
    out = np.full(size, -1, dtype=np.int64)
    out[at] = np.arange(first, first + len(at))
    return out


def numbered(sentences: list[list[str]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The sentences' sorted vocabulary, their words as ids into it laid end to end, and each sentence's length."""
    flat = list(chain.from_iterable(sentences))
    vocab = sorted(set(flat))
    index = {w: k for k, w in enumerate(vocab)}
    return (vocab, np.fromiter(map(index.__getitem__, flat), np.int64, len(flat)),
            np.fromiter(map(len, sentences), np.int64, len(sentences)))


@dataclass
class Counts:
    """Expected link counts ``c(from word, to word)`` of one direction, over named vocabularies.

    ``totals`` holds each from-word's count over *all* to-words, including those outside ``cols``
    (a prior restricted to one document's words must still normalise over everything it saw).
    ``within``: for counts IBM-1 learnt on encoded sides, the sorted vocabularies their words were drawn from and
    where each row and column sits in them (NULL at -1), so that re-indexing onto those vocabularies, or onto other
    words drawn from them, needs no look-up of a word.
    """

    rows: list[str]
    cols: list[str]
    matrix: sparse.csr_matrix
    totals: np.ndarray
    within: tuple[list[str], np.ndarray, list[str], np.ndarray] | None = None

    @classmethod
    def from_triples(cls, triples: list[tuple[str, str, float]], totals: dict[str, float] | None = None) -> Counts:
        fs, es, cs = zip(*triples) if triples else ((), (), ())  # in columns: each read by C, not tuple by tuple
        rows = sorted(set(fs).union(totals or ()))
        cols = sorted(set(es))
        ri = {w: k for k, w in enumerate(rows)}
        ci = {w: k for k, w in enumerate(cols)}
        n = len(fs)
        m = canonical_csr(np.fromiter(cs, float, n), np.fromiter(map(ri.__getitem__, fs), np.int64, n),
                          np.fromiter(map(ci.__getitem__, es), np.int64, n), (len(rows), max(1, len(cols))))
        tot = np.asarray(m.sum(axis=1)).ravel()
        if totals:
            tot = np.array([max(totals.get(w, 0.0), t) for w, t in zip(rows, tot)])
        return cls(rows, cols, m, tot)

    @cached_property
    def _index(self) -> tuple[dict[str, int], dict[str, int]]:
        """Word → row and column: built once, not once per document."""
        return {w: k for k, w in enumerate(self.rows)}, {w: k for k, w in enumerate(self.cols)}

    @cached_property
    def _canonical(self) -> sparse.csr_matrix:
        """The matrix in canonical CSR form (each row's columns sorted, once each)."""
        m = self.matrix
        if not (m.format == "csr" and m.has_canonical_format):  # IBM-1's own counts are built so: no copy needed
            m = m.tocsr(copy=True)
            m.sum_duplicates()
        return m

    def _positions(self, rows: list[str], cols: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """For each of ``rows`` and ``cols``, its row or column here (-1: none): through ``within`` when the lists are
        the vocabularies the counts were drawn from, else word by word."""
        if self.within is not None:
            vocab_r, row_at, vocab_c, col_at = self.within
            if (rows is vocab_r or rows == vocab_r) and (cols is vocab_c or cols == vocab_c):
                # every row but NULL's (the first) has a place in the vocabulary
                return places(row_at[1:], len(rows), first=1), places(col_at, len(cols))
        row_of, col_of = self._index
        return (np.fromiter(map(row_of.get, rows, repeat(-1)), np.int64, len(rows)),
                np.fromiter(map(col_of.get, cols, repeat(-1)), np.int64, len(cols)))

    @cached_property
    def _keys(self) -> np.ndarray:
        """``row * columns + column`` of every entry of the canonical matrix: sorted, for looking cells up."""
        m = self._canonical
        return np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr)) * max(1, len(self.cols)) + m.indices

    def restrict(self, rows: list[str], cols: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """The counts re-indexed onto other vocabularies (unknown words: zeros), and the row totals.

        Only the rows of the words asked for are read (a document has a few hundred words, the corpus lexicon
        many thousands), in the counts' own order, so the result is the one a pass over every entry gives.
        The last result is kept for the same two lists (each pass over a document asks again for the prior on
        its vocabularies): callers must not modify it, nor change the lists after asking."""
        last = self.__dict__.get("_last")
        if last is not None and last[0] is rows and last[1] is cols:
            return last[2]
        out = self._restrict(rows, cols)
        self.__dict__["_last"] = (rows, cols, out)  # the lists are held, so their identities cannot be reused
        return out

    def _restrict(self, rows: list[str], cols: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        r, c, data, tot = self._entries(rows, cols)
        return canonical_csr(data, r, c, (len(rows), max(1, len(cols)))), tot

    def dense(self, rows: list[str], cols: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`restrict` as a dense array: for small vocabularies, where sparse bookkeeping is most of the cost."""
        r, c, data, tot = self._entries(rows, cols)
        out = np.zeros((len(rows), max(1, len(cols))))
        out[r, c] = data
        return out, tot

    def _entries(self, rows: list[str], cols: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The counts' entries re-indexed onto ``rows`` × ``cols`` (row, column, value; rows in order), and the row totals."""
        tot = np.zeros(len(rows))
        none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
        if not len(self.rows) or not rows:
            return *none, tot
        m = self._canonical
        found, at = self._positions(rows, cols)
        there = np.flatnonzero(found >= 0)
        if not len(there):
            return *none, tot
        here = found[there]
        tot[there] = self.totals[here]
        ok = at >= 0
        starts, ends = m.indptr[here], m.indptr[here + 1]
        lengths = ends - starts
        asked = np.flatnonzero(ok)
        if len(there) * len(asked) < int(lengths.sum()):
            # a few words asked of a large lexicon (a small document): each asked cell looked up among the entries'
            # sorted keys, rather than every entry of the asked rows read; rows and columns come out in order
            q = (here[:, None] * max(1, len(self.cols)) + at[asked][None, :]).ravel()
            pos, hit = _find(self._keys, q)
            return np.repeat(there, len(asked))[hit], np.tile(asked, len(there))[hit], m.data[pos[hit]], tot
        entries = ranges(starts, lengths)
        r = np.repeat(there, lengths)
        big = m.indices[entries]
        if 8 * len(cols) < len(self.cols):
            # a few words asked of a large lexicon: the wanted columns looked up by binary search, not through a map
            # as long as the lexicon's vocabulary (made anew for every small document)
            order = np.argsort(at[ok], kind="stable")
            pos, hit = _find(at[ok][order], big)
            c = np.where(hit, np.flatnonzero(ok)[order][pos], -1) if ok.any() else np.full(len(big), -1)
        else:
            cmap = np.full(max(1, len(self.cols)), -1, dtype=np.int64)
            cmap[at[ok]] = np.flatnonzero(ok)
            c = cmap[big]
        keep = c >= 0
        return r[keep], c[keep], m.data[entries][keep], tot

    def triples(self, min_count: float = 0.0) -> list[tuple[str, str, float]]:
        coo = self.matrix.tocoo()
        keep = coo.data > min_count
        rows, cols = self.rows, self.cols
        # Python numbers first: iterating NumPy arrays makes a NumPy scalar of every entry
        return list(zip(map(rows.__getitem__, coo.row[keep].tolist()), map(cols.__getitem__, coo.col[keep].tolist()),
                        coo.data[keep].tolist()))

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


@dataclass
class _Side:
    """One side of the pairs IBM-1 learns from: its words as ids laid end to end, each live pair's length, the words."""

    ids: np.ndarray
    lengths: np.ndarray
    words: list[str]
    vocab: list[str] | None = None  # the sorted vocabulary the words were drawn from
    at: np.ndarray | None = None  # where each word sits in it


def _encode(sentences: list[list[str]], live: np.ndarray, share: float = 0.5) -> _Side:
    """The words of the ``live`` sentences as ids, less the words found in more than ``share`` of all the sentences
    (when there are 20 or more: they tell no pair from another, and they are most of IBM-1's work, whose time grows
    with the product of sentence lengths); the vocabulary is the kept words, sorted.

    Sorted, as every other vocabulary the counts meet is (a document's, the store's): re-indexing counts
    from one to another then keeps each row's columns in order, and nothing has to be sorted again."""
    words, ids, lengths = numbered(sentences)
    return encode_ids(ids, lengths, words, live, share)


def encode_ids(ids: np.ndarray, lengths: np.ndarray, vocab: list[str], live: np.ndarray, share: float = 0.5) -> _Side:
    """:func:`_encode` of sentences given as ids into a sorted ``vocab`` (which may hold words none of them has: a
    document's, for pairs of its segments), laid end to end, ``lengths`` long: the same sides."""
    v = max(1, len(vocab))
    of = np.repeat(np.arange(len(lengths)), lengths)
    keep = np.zeros(len(lengths), dtype=bool)
    keep[live] = True
    keep = keep[of]
    if len(lengths) >= 20:
        pairs, _ = _unique(of * v + ids, len(lengths) * v)  # each (sentence, word) once, however often it is there
        df = np.bincount(pairs % v, minlength=v)  # sentences each word is in
        keep &= ~(df > share * len(lengths))[ids]
    used = np.zeros(v, dtype=bool)
    used[ids[keep]] = True
    renumber = np.cumsum(used) - 1
    upto = np.concatenate([[0], np.cumsum(keep)])  # kept words before each position
    ends = np.cumsum(lengths)[live]
    at = np.flatnonzero(used)
    return _Side(renumber[ids[keep]], upto[ends] - upto[ends - lengths[live]], [vocab[k] for k in at], vocab, at)


def _unique(flat: np.ndarray, space: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(flat, return_inverse=True)`` (the inverse as 32-bit): by marking which keys occur when the key space
    is small, else by one sort of each key packed with its position."""
    n = len(flat)
    if n == 0 or space > 2**31 or n >= 2**31:
        return np.unique(flat, return_inverse=True)
    if space <= 12 * n:
        # no sort at all (a chapter's links, in a key space 5 times their number: 2 to 3 times faster); its
        # index is left unwritten where no key falls, and costs 5 bytes a key, so only while the space is small
        seen = np.zeros(space, dtype=bool)
        seen[flat] = True
        keys = np.flatnonzero(seen)
        index = np.empty(space, dtype=np.int32)
        index[keys] = np.arange(len(keys), dtype=np.int32)
        return keys, index[flat]
    # np.unique argsorts, and an indirect sort of millions of keys is cache-bound (IBM-1's links of a 1,000-segment
    # document: 58 ms); a plain sort of keys packed with their positions takes half that
    packed = np.sort((flat.astype(np.int64) << 32) | np.arange(n, dtype=np.int64))
    ordered = packed >> 32
    first = np.empty(n, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(n, dtype=np.int32)
    inverse[packed & 0xFFFFFFFF] = np.cumsum(first, dtype=np.int32) - 1
    return ordered[first], inverse


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
    live = np.flatnonzero(weights > 0)
    return _em(_encode(src, live), _encode(tgt, live), weights[live], prior, iterations, start)


def _em(source: _Side, target: _Side, weights: np.ndarray, prior: Counts | None, iterations: int, start: Counts | None) -> Counts:
    """:func:`em_counts` on encoded sides (``weights``: of the live pairs), NULL added to the source's words as id 0
    (the tokenizers never make "<null>" a word)."""
    s_ids, s_len, rows = source.ids + 1, source.lengths, [NULL, *source.words]
    t_ids, t_len, cols = target.ids, target.lengths, target.words
    # pairs IBM-1 learns from: words on both sides (NULL is not a word), neither side too long
    ok = (t_len > 0) & (s_len > 0) & (t_len <= MAX_TOKENS) & (s_len <= MAX_TOKENS)
    if not ok.any():
        raise InputError("no sentence pair has words on both sides; nothing to learn from")
    n_t = max(1, len(cols))
    # each pair's source block, NULL first, and its target tokens, laid end to end
    f_len = s_len[ok] + 1
    f_start = np.concatenate([[0], np.cumsum(f_len)[:-1]])
    F = np.zeros(int(f_len.sum()), dtype=np.int64)
    words = np.ones(len(F), dtype=bool)
    words[f_start] = False
    F[words] = s_ids[np.repeat(ok, s_len)]
    E = t_ids[np.repeat(ok, t_len)]
    pair_of_token = np.repeat(np.arange(int(ok.sum())), t_len[ok])
    size = f_len[pair_of_token]  # each target token's block: one entry per source word
    starts = np.concatenate([[0], np.cumsum(size)[:-1]])
    total = int(size.sum())
    at = np.repeat(f_start[pair_of_token] - starts, size) + np.arange(total)
    flat = F[at] * n_t + np.repeat(E, size)
    keys, pair = _unique(flat, len(rows) * n_t)
    token_weight = weights[ok][pair_of_token]
    f_of, e_of = keys // n_t, keys % n_t
    if prior is not None and len(prior):
        p_key, ptot = _on_keys(prior, rows, cols, keys, n_t)
    else:
        p_key, ptot = np.zeros(len(keys)), np.zeros(len(rows))
    t = None
    if start is not None and len(start):
        s_key, stot = _on_sides(start, source, target, keys, n_t) or _on_keys(start, rows, cols, keys, n_t)
        t = (p_key + s_key) / np.maximum((ptot + stot)[f_of], 1e-12)
        t = np.where(t > 0, t, 1e-6)  # links the earlier run never saw keep a chance
    steps = kernels.kernel("ibm1_em") or em_steps
    counts = steps(np.zeros(0) if t is None else t, t is None, pair, starts, size, token_weight, f_of, p_key, ptot,
                   len(rows), iterations)
    # the keys are sorted and unique, so (row, column) are in canonical order already
    indptr = np.concatenate([[0], np.cumsum(np.bincount(f_of, minlength=len(rows)))])
    m = sparse.csr_matrix((counts, e_of, indptr), shape=(len(rows), n_t))
    within = None
    if source.vocab is not None and source.at is not None and target.vocab is not None and target.at is not None:
        within = (source.vocab, np.concatenate([[-1], source.at]), target.vocab, target.at)
    return Counts(rows, cols, m, np.bincount(f_of, counts, minlength=len(rows)), within)


def em_steps(t: np.ndarray, uniform: bool, pair: np.ndarray, starts: np.ndarray, size: np.ndarray, token_weight: np.ndarray,
             f_of: np.ndarray, p_key: np.ndarray, ptot: np.ndarray, rows: int, iterations: int) -> np.ndarray:
    """IBM-1's EM iterations on target tokens' blocks of links (``pair``: each link's key; a block per token, from
    ``starts``, ``size`` long), from link probabilities ``t`` (or, ``uniform``, even ones): the last expected counts.
    The NumPy twin of :func:`mt.align.kernels.ibm1_em`."""
    counts = np.zeros(len(f_of))
    for _ in range(iterations):
        if uniform:  # each target token's mass spread evenly over its block
            post = np.repeat(token_weight / size, size)
            uniform = False
        else:
            w = t[pair]
            post = w * np.repeat(token_weight / np.add.reduceat(w, starts), size)
        counts = np.bincount(pair, post, minlength=len(f_of)).astype(float)
        row_total = np.bincount(f_of, counts, minlength=rows) + ptot
        t = (p_key + counts) / np.maximum(row_total[f_of], 1e-12)
    return counts


def canonical_csr(data: np.ndarray, r: np.ndarray, c: np.ndarray, shape: tuple[int, int]) -> sparse.csr_matrix:
    """The CSR matrix of entries at ``(r, c)``: rows in order, columns sorted in each, as the ``(data, (row, col))``
    constructor leaves it, without its conversions and checks when no two entries share a cell (a few
    documents' worth of small matrices made those a large part of the aligner's time)."""
    idx = np.int32 if max(shape) < 2**31 and len(data) < 2**31 else np.int64
    rs, cs, ds = r, c, data.copy()  # sorting the columns below reorders the data in place: the caller's stays as it was
    if len(r) > 1 and bool(np.any(r[1:] < r[:-1])):  # the callers' entries mostly come row by row already
        order = np.argsort(r, kind="stable")
        rs, cs, ds = r[order], c[order], data[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rs, minlength=shape[0]))]).astype(idx)
    m = sparse.csr_matrix((ds, cs.astype(idx), indptr), shape=shape)
    m.sort_indices()  # each row's columns, in C
    if m.nnz > 1:
        rows = np.repeat(np.arange(shape[0]), np.diff(m.indptr))
        if bool(np.any((rows[1:] == rows[:-1]) & (m.indices[1:] == m.indices[:-1]))):
            return sparse.csr_matrix((data, (r, c)), shape=shape)  # duplicates: summed by the constructor
    return m


def _on_keys(counts: Counts, rows: list[str], cols: list[str], keys: np.ndarray, n_t: int) -> tuple[np.ndarray, np.ndarray]:
    """``counts`` re-indexed onto ``rows`` × ``cols`` and read at the (sorted) flat keys ``row * n_t + col`` (0 where
    it has none), and the row totals: :meth:`Counts.restrict` without building the matrix it would be read from."""
    r, c, data, tot = counts._entries(rows, cols)
    pos, hit = _find(keys, r * n_t + c)
    out = np.zeros(len(keys))
    out[pos[hit]] = data[hit]
    return out, tot


def _on_sides(counts: Counts, source: _Side, target: _Side, keys: np.ndarray, n_t: int) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`_on_keys` onto the rows (NULL, then the source's words) and columns of two encoded sides, for counts
    learnt on sides drawn from the same vocabularies (an earlier bootstrap round's): each entry moved by the words'
    places in those vocabularies, no word looked up. None when the counts were not learnt so."""
    m = counts.matrix
    if counts.within is None or source.vocab is None or source.at is None or target.vocab is None or target.at is None:
        return None
    vocab_r, row_at, vocab_c, col_at = counts.within
    if not (vocab_r is source.vocab or vocab_r == source.vocab) or not (vocab_c is target.vocab or vocab_c == target.vocab):
        return None
    if not (m.format == "csr" and m.has_canonical_format):  # a cell held twice would have to be summed: the long way
        return None
    moved_rows = np.where(row_at >= 0, places(source.at, len(vocab_r), first=1)[np.maximum(row_at, 0)], 0)  # NULL stays first
    r = np.repeat(moved_rows, np.diff(m.indptr))
    c = places(target.at, len(vocab_c))[col_at][m.indices]
    keep = (r >= 0) & (c >= 0)
    pos, hit = _find(keys, (r * n_t + c)[keep])
    out = np.zeros(len(keys))
    out[pos[hit]] = m.data[keep][hit]
    tot = np.zeros(len(source.at) + 1)
    there = moved_rows >= 0
    tot[moved_rows[there]] = counts.totals[there]
    return out, tot


def _find(sorted_keys: np.ndarray, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``q`` sits in ``sorted_keys`` (an index always inside it, 0 when it is empty), and whether it is there."""
    if not len(sorted_keys):
        return np.zeros(len(q), dtype=np.int64), np.zeros(len(q), dtype=bool)
    pos = np.minimum(np.searchsorted(sorted_keys, q), len(sorted_keys) - 1)
    return pos, sorted_keys[pos] == q


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

    @staticmethod
    def _dense_probs(own: Counts | None, prior: Counts | None, rows: list[str], cols: list[str]) -> np.ndarray:
        """:meth:`_probs` as a dense array, the same numbers (own and prior summed, each row over its total)."""
        m, tot = np.zeros((len(rows), max(1, len(cols)))), np.zeros(len(rows))
        for c in (own, prior):
            if c is not None and len(c):
                cm, ct = c.dense(rows, cols)
                m, tot = m + cm, tot + ct
        inv = np.where(tot > 0, 1.0 / np.maximum(tot, 1e-12), 0.0)
        return m * inv[:, None]

    def dense_matrices(self, src_vocab: list[str], tgt_vocab: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`matrices` as dense arrays, for small vocabularies."""
        return (self._dense_probs(self.fwd, self.prior_fwd, src_vocab, tgt_vocab),
                self._dense_probs(self.bwd, self.prior_bwd, tgt_vocab, src_vocab))

    def matrices(self, src_vocab: list[str], tgt_vocab: list[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
        """(p(e|f) as source × target, p(f|e) as target × source)."""
        return both(lambda: self._probs(self.fwd, self.prior_fwd, src_vocab, tgt_vocab).tocsr(),
                    lambda: self._probs(self.bwd, self.prior_bwd, tgt_vocab, src_vocab).tocsr(),
                    worth=len(src_vocab) + len(tgt_vocab) >= PARALLEL_WORDS)

    @property
    def empty(self) -> bool:
        return not any(c is not None and len(c) for c in (self.fwd, self.bwd, self.prior_fwd, self.prior_bwd))


PARALLEL_TOKENS = 1_000  # both directions at once from this many tokens (measured: a tenth faster at 1,000, a quarter from 4,000; below, no gain)
PARALLEL_WORDS = 1_500  # both directions' matrices at once from this many words (measured: slower below, a tenth faster from 2,000)
WARM_ITERATIONS = 1  # from an earlier model of much the same pairs, EM needs only a few more steps


def learn(src: list[list[str]], tgt: list[list[str]], weights, prior_fwd: Counts | None = None,
          prior_bwd: Counts | None = None, iterations: int = 4, start: LinkModel | None = None) -> LinkModel:
    """Both directions of IBM-1 on weighted pairs, each with its prior (``start``: an earlier model to begin from)."""
    weights = np.asarray(weights, dtype=float)
    live = np.flatnonzero(weights > 0)
    # each side encoded once, for both directions
    return learn_encoded(_encode(src, live), _encode(tgt, live), weights[live], prior_fwd, prior_bwd, iterations, start)


def learn_encoded(source: _Side, target: _Side, weights: np.ndarray, prior_fwd: Counts | None = None,
                  prior_bwd: Counts | None = None, iterations: int = 4, start: LinkModel | None = None) -> LinkModel:
    """:func:`learn` on encoded sides (``weights``: of their live pairs)."""
    s_fwd, s_bwd = (start.fwd, start.bwd) if start is not None and start.fwd is not None and start.bwd is not None else (None, None)
    if s_fwd is not None:
        iterations = WARM_ITERATIONS
    fwd, bwd = both(lambda: _em(source, target, weights, prior_fwd, iterations, s_fwd),
                    lambda: _em(target, source, weights, prior_bwd, iterations, s_bwd),
                    worth=len(source.ids) + len(target.ids) >= PARALLEL_TOKENS)
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
