"""Scorers that count matching tokens between the two sides: words through a lexicon, numbers, names.

All three share one machinery: each side's segments as sparse token matrices, a dictionary matrix
between the two vocabularies, and the single-pair match mass computed once for every cell the
bead blocks can reach (sparse products, row block by row block). A bead's score then comes from
sums over its single pairs, normalised by the token weight of the bead's two sides.
"""

from __future__ import annotations

import math
import re
from abc import abstractmethod
from collections import Counter
from functools import lru_cache
from itertools import chain

import numpy as np
from scipy import sparse

from mt.align import kernels
from mt.align.bootstrap import numbered
from mt.align.concurrent import both
from mt.align.dp import Band
from mt.align.scorers.base import DocPair, Scorer, block_sums
from mt.text.arabic import normalize_for_matching, to_western_digits
from mt.text.tokenize import word_tokens


class Banded:
    """Several arrays of values over the cells (r, c) with c in ``lo[r] .. lo[r] + width - 1``; 0 elsewhere."""

    def __init__(self, lo: np.ndarray, width: int, *values: np.ndarray):
        self.lo, self.width = lo, width
        # a zero row at each end and a zero column: every look-up lands in the arrays, so none needs a mask
        self.lo_padded = np.concatenate([[0], lo, [0]]).astype(np.int64)
        self.flat = []
        for v in values:
            padded = np.zeros((len(lo) + 2, width + 1))  # np.pad's generality costs more than the copy on small bands
            padded[1:-1, :-1] = v
            self.flat.append(padded.ravel())

    def get(self, r: np.ndarray, c: np.ndarray) -> list[np.ndarray]:
        rr = np.minimum(np.maximum(r + 1, 0), len(self.lo) + 1)
        idx = c - self.lo_padded[rr]
        idx = np.where((idx >= 0) & (idx < self.width), idx, self.width)
        at = rr * (self.width + 1) + idx
        return [v.take(at) for v in self.flat]


def reachable(band: Band, reach: int = 3) -> tuple[np.ndarray, int]:
    """For each source segment r, the target segments that a bead ending in the band can pair it with."""
    n = band.n
    lo_next = band.lo[np.minimum(np.arange(n) + 1, n)]
    lo_far = band.lo[np.minimum(np.arange(n) + reach, n)]
    lo = np.maximum(0, lo_next - reach)
    hi = np.minimum(band.m - 1, lo_far + band.width - 1)
    width = int(max(1, (hi - lo).max() + 1)) if n else 1
    return lo.astype(np.int64), width


def banded_product(A: sparse.csr_matrix, B: sparse.csr_matrix, lo: np.ndarray, width: int, rows_per_block: int = 64,
                   D: sparse.csr_matrix | None = None) -> np.ndarray:
    """``(A @ D @ B.T)[r, lo[r]:lo[r] + width]`` for every row r (``D``: none, or a dictionary between A's columns and
    B's), without forming the whole product: a block of rows at a time."""
    n = A.shape[0]
    m = B.shape[0]
    out = np.zeros((n, width))
    for r0 in range(0, n, rows_per_block):
        r1 = min(n, r0 + rows_per_block)
        c0 = int(lo[r0:r1].min())
        c1 = int(min(m, lo[r0:r1].max() + width))
        if c1 <= c0:
            continue
        # the block's rows dense (a lexicon's matches nearly fill a long document's rows), times the other side's sparse rows
        rows = _dense(A[r0:r1]) if D is None else _times(A, D, r0, r1)
        dense = np.asarray(B[c0:c1] @ rows.T).T
        for r in range(r0, r1):
            a = lo[r] - c0
            seg = dense[r - r0, a:a + width]
            out[r, :len(seg)] = seg
    return out


def _dense(x) -> np.ndarray:
    """A sparse matrix as an array; an array (a small vocabulary's dictionary, or a product with one) as it is."""
    return x if isinstance(x, np.ndarray) else x.toarray()


def _times(A: sparse.csr_matrix, D: sparse.csr_matrix | np.ndarray, r0: int = 0, r1: int | None = None) -> np.ndarray:
    """``A[r0:r1] @ D`` as an array: SciPy's product, or the compiled one that gives the same sums (see
    :func:`mt.align.kernels.sparse_rows_dense`) when numba is in use and ``D`` is sparse."""
    r1 = A.shape[0] if r1 is None else r1
    compiled = kernels.kernel("sparse_rows_dense")
    if compiled is None or isinstance(D, np.ndarray):
        return _dense(A[r0:r1] @ D)
    D = D.tocsr()
    return compiled(A.indptr, A.indices, A.data, D.indptr, D.indices, D.data, r0, r1, D.shape[1])


SMALL_CELLS = 4_096  # segments × segments up to which a document's match products are dense
SMALL_VOCAB = 250_000  # and words × words
MIDDLE_CELLS = 160_000  # segments × segments up to which the match mass is computed for every pair, then banded
MIDDLE_ENTRIES = 2_000_000  # and segments × the other side's words (the dense matches held at once)


def _band_of(full: np.ndarray, lo: np.ndarray, width: int) -> np.ndarray:
    """``full[r, lo[r]:lo[r] + width]`` for every row r, zeros past the last column (what banded_product gives)."""
    n, m = full.shape
    cols = lo[:, None] + np.arange(width)
    inside = cols < m
    out = np.zeros((n, width))
    rows = np.broadcast_to(np.arange(n)[:, None], cols.shape)
    out[inside] = full[rows[inside], cols[inside]]
    return out


class MatchScorer(Scorer):
    """Coverage of each side's token weight by matches on the other side, minus the document's baseline."""

    def __init__(self, baseline: float | None = None):
        self.baseline = baseline

    @abstractmethod
    def tokens(self, doc: DocPair) -> tuple[list[list[str]], list[list[str]]]:
        """Tokens of each source and each target segment (in whatever form they are matched)."""

    @abstractmethod
    def dictionary(self, src_vocab: list[str], tgt_vocab: list[str]) -> tuple[sparse.csr_matrix | np.ndarray,
                                                                              sparse.csr_matrix | np.ndarray]:
        """(forward, backward): weights in [0, 1] that a source token translates a target token, and back, as source ×
        target matrices (sparse, or arrays for small vocabularies)."""

    @staticmethod
    def _weights(segments: list[list[str]]) -> dict[str, float]:
        """Rarity within the document: a word in every segment tells nothing about which goes with which."""
        df = Counter(chain.from_iterable(map(set, segments)))
        n = max(1, len(segments))
        return {t: math.log((n + 1) / (d + 0.5)) for t, d in df.items()}

    def prepare(self, doc: DocPair) -> None:
        super().prepare(doc)
        key = ("match-matrices", self.name)
        if key not in doc.cache:  # the same for every pass over the document: only the dictionary changes
            src, tgt = self.tokens(doc)
            (src_vocab, src_ids, src_len), (tgt_vocab, tgt_ids, tgt_len) = self.numbered(doc)
            ws, wt = self._weights(src), self._weights(tgt)
            Ms, Ms_w, Ws = self._matrix(src_ids, src_len, src_vocab, ws)
            Mt, Mt_w, Wt = self._matrix(tgt_ids, tgt_len, tgt_vocab, wt)
            doc.cache[key] = (src_vocab, tgt_vocab, Ms, Ms_w, Ws, Mt, Mt_w, Wt)
        self.src_vocab, self.tgt_vocab, self.Ms, self.Ms_w, self.Ws, self.Mt, self.Mt_w, self.Wt = doc.cache[key]
        if self.static:  # the dictionary depends on the vocabularies alone: the same for every pass over the document
            if ("match-dictionary", self.name) not in doc.cache:
                doc.cache[("match-dictionary", self.name)] = self.dictionary(self.src_vocab, self.tgt_vocab)
            self.D_fwd, self.D_bwd = doc.cache[("match-dictionary", self.name)]
        else:
            self.D_fwd, self.D_bwd = self.dictionary(self.src_vocab, self.tgt_vocab)
        self.pws = np.concatenate([[0.0], np.cumsum(self.Ws)])
        self.pwt = np.concatenate([[0.0], np.cumsum(self.Wt)])
        self.V: Banded | None = None

    def numbered(self, doc: DocPair) -> tuple[tuple[list[str], np.ndarray, np.ndarray], tuple[list[str], np.ndarray, np.ndarray]]:
        """Each side's tokens numbered: (sorted vocabulary, ids laid end to end, each segment's length)."""
        src, tgt = self.tokens(doc)
        return numbered(src), numbered(tgt)

    @staticmethod
    def _matrix(ids, lengths, vocab, weights):
        """Token counts and weights of every segment (segments given as ids into ``vocab``, ``lengths`` long), and
        each segment's total weight."""
        v = max(1, len(vocab))
        # (segment, word) keys sorted and counted: each row's columns in order, the compressed form built directly
        # (thousands of small documents made the row-column constructor's checks a quarter of the pipeline's alignment)
        keys, counts = np.unique(np.repeat(np.arange(len(lengths)), lengths) * v + ids, return_counts=True)
        rows, cols = keys // v, keys % v
        w = np.array([weights[t] for t in vocab], dtype=float) if len(vocab) else np.zeros(1)
        shape = (len(lengths), v)
        ip = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(lengths)))]).astype(np.int32)
        ix = cols.astype(np.int32)
        m_counts = sparse.csr_matrix((counts.astype(float), ix, ip), shape=shape)
        m_weights = sparse.csr_matrix((counts * w[cols], ix.copy(), ip.copy()), shape=shape)
        total = np.asarray(m_weights.sum(axis=1)).ravel()
        return m_counts, m_weights, total

    def prepare_band(self, band: Band) -> None:
        """Single-pair match mass for every cell a bead in ``band`` can reach, and the document's baselines."""
        lo, width = reachable(band)
        n, m = self.Ms.shape[0], self.Mt.shape[0]
        vs, vt = self.Ms.shape[1], self.Mt.shape[1]
        if n * m <= SMALL_CELLS and vs * vt <= SMALL_VOCAB:
            # a small document (the sentences of one turn): dense products cost microseconds where sparse ones pay
            # their bookkeeping; the sums come out within rounding of the sparse ones (tests/align/test_pinned.py)
            fwd = _band_of((self.Ms.toarray() @ _dense(self.D_fwd)) @ self.Mt_w.toarray().T, lo, width)
            bwd = _band_of(self.Ms_w.toarray() @ (self.Mt.toarray() @ _dense(self.D_bwd).T).T, lo, width)
        else:
            # each source segment's matches in the target's words, counted (for the target weight matched by the source)
            # and weighted (for the source weight matched by the target): one product when both directions share
            # the dictionary, and none with its transpose
            if n * m <= MIDDLE_CELLS and n * vt <= MIDDLE_ENTRIES:
                # a chapter or an article: a lexicon's translations make each segment's matches nearly dense, and a
                # sparse product over them pays per entry; dense rows times the other side's sparse tokens do not
                def in_band(M: sparse.csr_matrix, X: np.ndarray) -> np.ndarray:
                    return _band_of(np.asarray(M @ X.T).T, lo, width)

                if self.D_fwd is self.D_bwd and kernels.kernel("sparse_rows_dense") is None:
                    dense = _dense(sparse.vstack([self.Ms, self.Ms_w], format="csr") @ self.D_fwd)
                    fwd, bwd = in_band(self.Mt_w, dense[:n]), in_band(self.Mt, dense[n:])
                else:  # the two directions at once (past SMALL_CELLS, worth a thread): the compiled product lets go of the interpreter
                    fwd, bwd = both(lambda: in_band(self.Mt_w, _times(self.Ms, self.D_fwd)),
                                    lambda: in_band(self.Mt, _times(self.Ms_w, self.D_bwd)))
            else:  # a long document: the matches of a block of rows at a time (all of them at once would not fit)
                fwd, bwd = both(lambda: banded_product(self.Ms, self.Mt_w, lo, width, D=self.D_fwd),
                                lambda: banded_product(self.Ms_w, self.Mt, lo, width, D=self.D_bwd))
        self.V = Banded(lo, width, fwd, bwd)
        if self.baseline is None:
            # the typical similarity of a pair in the band, most of which are not translations of each other
            wt = self.Wt[np.clip(lo[:, None] + np.arange(width), 0, max(0, len(self.Wt) - 1))] if len(self.Wt) else np.zeros(fwd.shape)
            ws = np.broadcast_to(self.Ws[:len(lo), None], fwd.shape)
            sims = _harmonic(_coverage(fwd, wt), _coverage(bwd, ws))
            has = (wt > 0) & (ws > 0)
            self.base = float(np.median(sims[has])) if has.any() else 0.0
        else:
            self.base = self.baseline

    def similarity(self, a, b, I, J) -> tuple[np.ndarray, np.ndarray]:
        """(the harmonic mean of the two sides' coverage, in [0, 1]; whether the bead has tokens on either side)."""
        sim, ws, wt = self._similarity(a, b, I, J)
        return sim, (ws > 0) | (wt > 0)

    def _similarity(self, a, b, I, J) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The similarity, and each side's token weight in the bead."""
        assert self.V is not None, "prepare_band comes first"
        compiled = kernels.kernel("match_similarity")
        if compiled is not None:
            return compiled(self.V.lo_padded, self.V.width, self.V.flat[0], self.V.flat[1], self.pws, self.pwt,
                            np.asarray(I, dtype=np.int64), np.asarray(J, dtype=np.int64), a, b)
        # every single pair of the bead at once (one look-up per band, not one per pair), summed pair by pair in order
        di, dj = _offsets(a, b)
        vf, vb = self.V.get(I[None, :] - di, J[None, :] - dj)
        fwd, bwd = vf[0].copy(), vb[0].copy()
        for k in range(1, a * b):
            fwd += vf[k]
            bwd += vb[k]
        ws = block_sums(self.pws, I, a)
        wt = block_sums(self.pwt, J, b)
        cov_t, cov_s = _coverage(fwd, wt), _coverage(bwd, ws)
        # the harmonic mean: an unrelated segment merged into a bead lowers one side's coverage, and that must cost
        return _harmonic(cov_t, cov_s), ws, wt

    def score(self, a, b, I, J):
        sim, has = self.similarity(a, b, I, J)
        return np.where(has, sim - self.base, 0.0)[None, :]


@lru_cache(maxsize=64)
def _offsets(a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each single pair of an (a, b) bead sits, from the bead's end: source and target offsets, as columns."""
    di = (1 + np.repeat(np.arange(a), b))[:, None]
    dj = (1 + np.tile(np.arange(b), a))[:, None]
    di.flags.writeable = dj.flags.writeable = False
    return di, dj


def _coverage(matched: np.ndarray, total: np.ndarray) -> np.ndarray:
    return np.where(total > 0, np.minimum(matched, total) / np.maximum(total, 1e-9), 0.0)


def _harmonic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return 2 * x * y / np.maximum(x + y, 1e-9)


@lru_cache(maxsize=50_000)
def _segment_tokens(text: str, lang: str) -> tuple[str, ...]:
    # the same segments come back: as the compact document the aligner sees, as the document the store learns from
    return tuple(word_tokens(text, lang))


def lexical_tokens(doc: DocPair) -> tuple[list[list[str]], list[list[str]]]:
    """The word tokens of every segment of both sides (cached on the document): what lexicons are learnt on."""
    key = ("lexical-tokens", doc.src_lang, doc.tgt_lang)
    if key not in doc.cache:
        joined = _joined(doc, lexical_tokens)
        doc.cache[key] = joined or ([list(_segment_tokens(s, doc.src_lang)) for s in doc.src],
                                    [list(_segment_tokens(t, doc.tgt_lang)) for t in doc.tgt])
    return doc.cache[key]


JOINED_FROM = "joined-from"  # a document whose segments are runs of another's joined by a space: (that one, run length)


def _joined(doc: DocPair, tokens) -> tuple[list[list[str]], list[list[str]]] | None:
    """``tokens(doc)`` for a document of joined runs of another's segments (see :data:`JOINED_FROM`), from that
    document's own, when no token can span the space that joins two segments (word tokens, name skeletons; not
    dates, which can); None for any other document."""
    if JOINED_FROM not in doc.cache:
        return None
    fine, k = doc.cache[JOINED_FROM]
    src, tgt = tokens(fine)
    return ([[w for seg in src[i:i + k] for w in seg] for i in range(0, len(src), k)],
            [[w for seg in tgt[i:i + k] for w in seg] for i in range(0, len(tgt), k)])


def lexical_ids(doc: DocPair) -> tuple[tuple[list[str], np.ndarray, np.ndarray], tuple[list[str], np.ndarray, np.ndarray]]:
    """Each side's :func:`lexical_tokens` as ids: its sorted vocabulary, every segment's word ids laid end to end,
    and where each segment starts (one more at the end), cached on the document: the bootstrap's pairs are runs of
    segments, so their words are slices of these."""
    key = ("lexical-ids", doc.src_lang, doc.tgt_lang)
    if key not in doc.cache:
        sides = []
        for segments in lexical_tokens(doc):
            vocab, ids, lengths = numbered(segments)
            sides.append((vocab, ids, np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)))
        doc.cache[key] = (sides[0], sides[1])
    return doc.cache[key]


class LexicalScorer(MatchScorer):
    """Words matched through a translation lexicon (IBM Model 1 probabilities, both directions).

    ``lexicon`` is anything with ``matrices(src_vocab, tgt_vocab)`` giving p(target word | source
    word) and p(source word | target word) as sparse matrices over the two vocabularies (a
    :class:`mt.align.bootstrap.LinkModel`).
    """

    name = "lexical"
    features = ("lexical",)

    @classmethod
    def for_document(cls, doc: DocPair, model=None) -> LexicalScorer | None:
        return cls(model) if model is not None and not model.empty else None

    def __init__(self, lexicon=None, baseline: float | None = None):
        super().__init__(baseline)
        self.lexicon = lexicon

    def tokens(self, doc):
        return lexical_tokens(doc)

    def numbered(self, doc):
        # the document's numbering, as the bootstrap made it: the same vocabularies, the very lists its counts know
        return tuple((vocab, ids, np.diff(starts)) for vocab, ids, starts in lexical_ids(doc))

    def dictionary(self, src_vocab, tgt_vocab):
        shape = (max(1, len(src_vocab)), max(1, len(tgt_vocab)))
        if self.lexicon is None:
            return sparse.csr_matrix(shape), sparse.csr_matrix(shape)
        if len(src_vocab) * len(tgt_vocab) <= SMALL_VOCAB and hasattr(self.lexicon, "dense_matrices"):
            # the sentences of one turn: a few dozen words a side, where sparse bookkeeping costs more than the numbers
            dfwd, dbwd = self.lexicon.dense_matrices(src_vocab, tgt_vocab)
            dense = np.sqrt(dfwd * dbwd.T)
            return dense, dense
        fwd, bwd = self.lexicon.matrices(src_vocab, tgt_vocab)
        bwd = bwd.T.tocsr()  # p(f|e), as source × target
        # both directions must agree: IBM-1's garbage collectors ("the" for any rare word) have a tiny
        # reverse probability, true translations a large one
        both = fwd.multiply(bwd).sqrt().tocsr()
        return both, both


def _identity(src_vocab, tgt_vocab):
    index = {t: k for k, t in enumerate(tgt_vocab)}
    shape = (max(1, len(src_vocab)), max(1, len(tgt_vocab)))
    found = [index.get(t, -1) for t in src_vocab]
    cols = np.array([c for c in found if c >= 0], dtype=np.int32)
    if not len(cols):
        return sparse.csr_matrix(shape), sparse.csr_matrix(shape)
    # at most one entry a row, rows in order: the compressed form directly (see MatchScorer._matrix)
    indptr = np.concatenate([[0], np.cumsum(np.array(found) >= 0)]).astype(np.int32)
    indptr = np.concatenate([indptr, np.full(shape[0] + 1 - len(indptr), indptr[-1], dtype=np.int32)])
    d = sparse.csr_matrix((np.ones(len(cols)), cols, indptr), shape=shape)
    return d, d


_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> list[str]:
    """Numbers as digits, whatever digits they were written in; thousands separators dropped."""
    out = []
    for m in _NUMBER.finditer(to_western_digits(text)):
        v = m.group(0)
        v = re.sub(r"[,.](?=\d{3}\b)", "", v)
        out.append(v.lstrip("0") or "0")
    return out


def anchors(text: str, lang: str | None = None, tokens: list[str] | None = None) -> list[str]:
    """Numbers (in digits, and in words when the language is given), and dates as ISO days (so that "23 March"
    and "23 آذار" agree beyond the digits they share). ``tokens``: the text's word tokens, if known."""
    from mt.text.dates import find_dates
    from mt.text.numbers import number_words

    return numbers(text) + (number_words(text, lang, tokens) if lang else []) + [f"date:{d}" for d in find_dates(text)]


class NumberScorer(MatchScorer):
    """Numbers and dates are the strongest cheap anchors: the same figures on both sides, in any digits."""

    name = "numbers"
    static = True
    features = ("numbers:match", "numbers:both", "numbers:one")

    def tokens(self, doc):
        key = ("number-tokens", doc.src_lang, doc.tgt_lang)
        if key not in doc.cache:
            ts, tt = lexical_tokens(doc)
            doc.cache[key] = ([anchors(s, doc.src_lang, k) for s, k in zip(doc.src, ts)],
                              [anchors(t, doc.tgt_lang, k) for t, k in zip(doc.tgt, tt)])
        return doc.cache[key]

    def dictionary(self, src_vocab, tgt_vocab):
        return _identity(src_vocab, tgt_vocab)

    def score(self, a, b, I, J):
        sim, ws, wt = self._similarity(a, b, I, J)
        both = (ws > 0) & (wt > 0)
        # the same figures on both sides, different ones, and figures on one side only (translators add dates
        # and references, or spell numbers out) are three kinds of evidence, each with its own weight
        out = np.empty((3, len(I)))
        out[0] = np.where(both, sim, 0.0)
        out[1] = both
        out[2] = ((ws > 0) | (wt > 0)) & ~both
        return out


# Arabic letters to the Latin consonant a transliteration writes; long vowels and glottals leave nothing
_AR2LAT = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "k", "د": "d", "ذ": "d", "ر": "r", "ز": "z", "س": "s",
    "ش": "s", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "غ": "g", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m",
    "ن": "n", "ه": "h", "ة": "", "ا": "", "أ": "", "إ": "", "آ": "", "ى": "", "ء": "", "ئ": "", "ؤ": "", "ع": "",
    "و": "", "ي": "",
}
_LAT_DIGRAPHS = [("sh", "s"), ("th", "t"), ("kh", "k"), ("gh", "g"), ("dh", "d"), ("ph", "f"), ("ch", "s"), ("q", "k"),
                 ("c", "k"), ("x", "ks"), ("j", "j"), ("v", "f"), ("p", "b"), ("e", ""), ("g", "g")]


@lru_cache(maxsize=200_000)
def arabic_skeleton(word: str) -> str:
    # diacritics and hamza seats folded, but ة kept apart from ه: the feminine ending is not written in Latin
    w = normalize_for_matching(word.replace("ة", "\u0001")).replace("\u0001", "ة")
    w = re.sub(r"^(?:و|ف)?(?:ب|ل|ك)?ال", "", w) if len(w) > 4 else w
    return "".join(_AR2LAT.get(ch, "") for ch in w)


@lru_cache(maxsize=200_000)
def latin_skeleton(word: str) -> str:
    w = re.sub(r"^(?:al|el|ad|an|ar|as|at|az|ash)[-']", "", word.lower())
    w = re.sub(r"a[h]?$", "", w) if len(w) > 4 else w  # Mughirah, Fatima: the feminine ending
    w = re.sub(r"[^a-z]", "", w)
    for a, b in _LAT_DIGRAPHS:
        w = w.replace(a, b)
    w = re.sub(r"[aiouwy]", "", w)
    return re.sub(r"(.)\1+", r"\1", w)  # doubled consonants (shadda) written once


_ARABIC_WORD = re.compile(r"[\u0621-\u064a\u0671]+")
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+")


class NameScorer(MatchScorer):
    """Names across scripts, on consonant skeletons: محمد / Muhammad, الأسد / al-Assad, شعبة / Shu'bah."""

    name = "names"
    static = True
    features = ("names",)

    def tokens(self, doc):
        key = ("name-tokens", doc.src_lang, doc.tgt_lang)
        if key not in doc.cache:
            # of joined segments, the skeletons of their segments: the one side's names are the same set either way
            doc.cache[key] = _joined(doc, self.tokens) or self._tokens(doc)
        return doc.cache[key]

    def _tokens(self, doc):
        def side(texts, lang):
            if lang == "ar":
                find, skeleton, texts = _ARABIC_WORD.findall, arabic_skeleton, map(normalize_for_matching, texts)
            else:
                find, skeleton = _CAPITALISED.findall, latin_skeleton
            return [[s for s in map(skeleton, find(t)) if len(s) >= 2] for t in texts]

        src = side(doc.src, doc.src_lang)
        tgt = side(doc.tgt, doc.tgt_lang)
        if doc.src_lang == "ar":  # every Arabic word is a candidate name: keep only skeletons the other side has
            names = {s for seg in tgt for s in seg}
            src = [[s for s in seg if s in names] for seg in src]
        elif doc.tgt_lang == "ar":
            names = {s for seg in src for s in seg}
            tgt = [[s for s in seg if s in names] for seg in tgt]
        return src, tgt

    def dictionary(self, src_vocab, tgt_vocab):
        return _identity(src_vocab, tgt_vocab)
