"""Each scorer alone: it must prefer the right bead to its neighbours."""

import numpy as np
import pytest

from mt.align.dp import Band
from mt.align.scorers import DocPair, LengthScorer, NameScorer, NumberScorer, StructureScorer
from mt.align.scorers.match import arabic_skeleton, latin_skeleton, numbers


def prepared(scorer, doc):
    scorer.prepare(doc)
    if hasattr(scorer, "prepare_band"):
        scorer.prepare_band(Band.full(doc.n, doc.m))
    return scorer


def feats(scorer, a, b, i, j) -> dict[str, float]:
    """The scorer's features of one candidate bead, by name."""
    out = scorer.score(a, b, np.array([i]), np.array([j]))
    assert out.shape == (len(scorer.features), 1)
    return {n: float(v) for n, v in zip(scorer.features, out[:, 0])}


def one(scorer, a, b, i, j):
    """A scorer's only feature (or its first)."""
    return feats(scorer, a, b, i, j)[scorer.features[0]]


def test_length_ratio_is_estimated_from_the_data():
    doc = DocPair(["ا" * 100, "ب" * 40, "ت" * 70], ["x" * 130, "y" * 52, "z" * 91])
    s = prepared(LengthScorer(), doc)
    assert abs(s.c - 1.3) < 1e-9
    lp = lambda *bead: float(s.logprob(*bead[:2], np.array([bead[2]]), np.array([bead[3]]))[0])  # noqa: E731
    assert lp(1, 1, 1, 1) > lp(1, 1, 1, 2)
    assert lp(1, 1, 2, 2) > lp(2, 1, 2, 1)
    # the hinge features: log P itself above each knot, the knot below it, so the fitted weights shape the curve
    f = feats(s, 1, 1, 1, 3)
    assert list(f) == ["length@-1", "length@-3", "length@-6", "length@-12"]
    assert all(v == max(lp(1, 1, 1, 3), k) for v, k in zip(f.values(), (-1, -3, -6, -12)))


def test_length_fit_from_confident_beads():
    s = LengthScorer()
    s.prepare(DocPair(["ا" * 10], ["x" * 10]))
    s.fit([(100, 80, 1.0), (50, 41, 1.0), (70, 55, 1.0), (30, 25, 1.0), (90, 70, 1.0), (60, 49, 1.0)])
    assert 0.79 < s.c < 0.83 and s.ratio == s.c and s.s2 > 0
    # a bead the aligner doubts counts for little: a wild pair at weight 0.001 hardly moves the ratio
    s2 = LengthScorer()
    s2.fit([(100, 80, 1.0), (50, 41, 1.0), (70, 55, 1.0), (30, 25, 1.0), (90, 70, 1.0), (60, 49, 1.0), (10, 500, 0.001)])
    assert abs(s2.c - s.c) < 0.02


def test_numbers_in_any_digits():
    assert numbers("قتل ٤٥٠ شخصاً و1,000 جريح في 2015") == ["450", "1000", "2015"]
    doc = DocPair(["قتل ٤٥٠ شخصاً في ٢٠١٥", "لا أرقام هنا", "سعر اللتر ٦٠٠ ليرة"], ["450 killed in 2015", "no figures", "SYP 600 a liter"])
    s = prepared(NumberScorer(), doc)
    assert feats(s, 1, 1, 1, 1) == {"numbers:match": 1.0, "numbers:both": 1.0, "numbers:one": 0.0}
    assert feats(s, 1, 1, 3, 3)["numbers:match"] == 1.0
    assert feats(s, 1, 1, 1, 3) == {"numbers:match": 0.0, "numbers:both": 1.0, "numbers:one": 0.0}  # figures that differ
    assert feats(s, 1, 1, 2, 2) == {"numbers:match": 0.0, "numbers:both": 0.0, "numbers:one": 0.0}  # no figures: no evidence
    assert feats(s, 1, 1, 2, 1)["numbers:one"] == 1.0  # figures on one side only


def test_names_across_scripts():
    for ar, en in [("محمد", "Muhammad"), ("الأسد", "al-Assad"), ("شعبة", "Shu'bah"), ("المغيرة", "Mughirah"), ("درعا", "Daraa"), ("علوش", "Aloush")]:
        assert arabic_skeleton(ar) == latin_skeleton(en), (ar, arabic_skeleton(ar), en, latin_skeleton(en))
    doc = DocPair(["قال زهران علوش في دوما", "وصل المقاتلون إلى درعا"], ["Zahran Aloush said in Douma", "The fighters reached Daraa"])
    s = prepared(NameScorer(), doc)
    assert one(s, 1, 1, 1, 1) > one(s, 1, 1, 1, 2)
    assert one(s, 1, 1, 2, 2) > one(s, 1, 1, 2, 1)


def test_structure_pairs_questions_with_questions():
    doc = DocPair(["س", "ج", "س"], ["q", "a", "q"], src_roles=["question", "answer", "question"], tgt_roles=["question", "answer", "question"])
    s = prepared(StructureScorer(), doc)
    same, clash = {"structure:same": 1.0, "structure:clash": 0.0}, {"structure:same": 0.0, "structure:clash": 1.0}
    assert feats(s, 1, 1, 1, 1) == same and feats(s, 1, 1, 2, 2) == same
    assert feats(s, 1, 1, 1, 2) == clash
    assert feats(s, 2, 1, 2, 1) == clash  # a question and an answer merged against a question
    off = prepared(StructureScorer(), DocPair(["a"], ["b"]))
    assert feats(off, 1, 1, 1, 1) == {"structure:same": 0.0, "structure:clash": 0.0}


def test_dates_are_anchors_too():
    from mt.align.scorers.match import anchors

    assert anchors("قتل ٤٥٠ في 18 نيسان 2015") == ["450", "18", "2015", "date:2015-04-18"]
    doc = DocPair(["في 18 نيسان 2015 توقفت المحطة", "وفي 20 أيار 2015 عادت"], ["On April 18, 2015 the station stopped", "On May 20, 2015 it came back"])
    s = prepared(NumberScorer(), doc)
    assert one(s, 1, 1, 1, 1) == 1.0 and one(s, 1, 1, 1, 2) < 0.5


def test_numbers_written_as_words_are_figures_too():
    from mt.align.scorers.match import anchors
    from mt.text.numbers import number_words

    assert number_words("He was seven, and twenty-three men came with three hundred camels", "en") == ["7", "20", "3", "3", "100"]
    assert number_words("كان ابن سبع سنين وجاء ثلاث وعشرون رجلا بثلاثمائة بعير", "ar") == ["7", "3", "20", "3", "100"]
    assert number_words("no one came", "en") == []  # "one" is left out: far more often a pronoun than a count
    assert sorted(anchors("ثلاثة عشر رجلا", "ar")) == sorted(anchors("thirteen men", "en")) == ["10", "3"]


def test_quotations_are_anchors_only_when_both_sides_quote():
    from mt.align.scorers.quotes import QuoteScorer

    doc = DocPair(["قال: «نحن صامدون»", "ثم غادر المدينة"], ["He said: “We stand firm”", "Then he left the city"])
    s = prepared(QuoteScorer(), doc)
    assert one(s, 1, 1, 1, 1) == 1.0
    assert one(s, 1, 1, 2, 1) == 0.0  # one side only: no evidence either way
    assert one(s, 1, 1, 2, 2) == 0.0


def test_the_dense_band_of_a_small_document_is_the_sparse_one():
    """Small documents take dense products (faster there); the band they give is the sparse path's, within rounding."""
    import numpy as np
    from scipy import sparse

    from mt.align.scorers.match import _band_of, banded_product

    rng = np.random.default_rng(3)
    for n, m, v, width in ((7, 9, 30, 4), (20, 15, 80, 6), (3, 40, 10, 8)):
        A = sparse.random(n, v, density=0.2, random_state=rng, format="csr")
        B = sparse.random(m, v, density=0.2, random_state=rng, format="csr")
        lo = np.minimum(np.sort(rng.integers(0, m, n)), m - 1)
        want = banded_product(A, B, lo, width)
        got = _band_of(A.toarray() @ B.toarray().T, lo, width)
        assert got.shape == want.shape and np.allclose(got, want, rtol=0, atol=1e-12)


def test_token_matrices_built_directly_equal_those_of_the_row_column_constructor():
    import random
    from collections import Counter

    import numpy as np
    from scipy import sparse

    from mt.align.bootstrap import numbered
    from mt.align.scorers.match import MatchScorer, _identity

    rnd = random.Random(3)
    words = [f"w{k}" for k in range(30)]
    segments = [[rnd.choice(words) for _ in range(rnd.randint(0, 12))] for _ in range(40)]
    vocab, ids, lengths = numbered(segments)
    assert vocab == sorted({t for s in segments for t in s})
    weights = {t: rnd.random() for t in vocab}
    counts, wmat, total = MatchScorer._matrix(ids, lengths, vocab, weights)
    index = {t: k for k, t in enumerate(vocab)}
    rows, cols, cs, ws = [], [], [], []
    for r, seg in enumerate(segments):
        for t, c in Counter(seg).items():
            rows.append(r)
            cols.append(index[t])
            cs.append(float(c))
            ws.append(c * weights[t])
    for got, data in ((counts, cs), (wmat, ws)):
        want = sparse.csr_matrix((data, (rows, cols)), shape=(len(segments), len(vocab)))
        assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
        assert np.array_equal(got.data, want.data)
    assert np.array_equal(total, np.asarray(want.sum(axis=1)).ravel())
    src, tgt = ["a", "b", "c", "d"], ["b", "d", "e"]
    d, _ = _identity(src, tgt)
    assert d.toarray().tolist() == [[0, 0, 0], [1, 0, 0], [0, 0, 0], [0, 1, 0]]
    assert _identity([], ["x"])[0].shape == (1, 1) and _identity(["q"], ["x"])[0].nnz == 0


def test_link_probabilities_are_the_counts_over_their_totals_exactly():
    import random

    import numpy as np
    from scipy import sparse

    from mt.align.bootstrap import Counts, LinkModel

    rnd = random.Random(5)
    src, tgt = [f"s{k}" for k in range(12)], [f"t{k}" for k in range(9)]
    own = Counts.from_triples([(rnd.choice(src), rnd.choice(tgt), rnd.random()) for _ in range(40)])
    prior = Counts.from_triples([(rnd.choice(src), rnd.choice(tgt), rnd.random()) for _ in range(30)],
                                totals={"s0": 50.0, "s11": 3.0})
    rows, cols = src + ["unknown"], tgt[:7]
    got = LinkModel._probs(own, prior, rows, cols)
    m1, t1 = own.restrict(rows, cols)
    m2, t2 = prior.restrict(rows, cols)
    tot = t1 + t2
    inv = np.where(tot > 0, 1.0 / np.maximum(tot, 1e-12), 0.0)
    want = (sparse.diags(inv) @ (m1 + m2)).toarray()
    assert np.array_equal(got.toarray(), want)  # bit for bit
    assert LinkModel._probs(None, None, rows, cols).nnz == 0
    assert np.array_equal(LinkModel._probs(own, None, rows, cols).toarray(),
                          (sparse.diags(np.where(t1 > 0, 1.0 / np.maximum(t1, 1e-12), 0.0)) @ m1).toarray())


def test_banded_look_ups_are_the_cells_or_zero():
    """Every (row, column), inside the band, beside it, before the first row and after the last, against a plain loop."""
    from mt.align.scorers.match import Banded

    rng = np.random.default_rng(5)
    n, width = 9, 4
    lo = np.sort(rng.integers(0, 12, n))
    a, b = rng.random((n, width)), rng.random((n, width))
    r, c = np.meshgrid(np.arange(-3, n + 3), np.arange(-2, 20), indexing="ij")
    got_a, got_b = Banded(lo, width, a, b).get(r, c)
    for (i, j), x in np.ndenumerate(r):
        row, col = x, c[i, j]
        inside = 0 <= row < n and lo[row] <= col < lo[row] + width
        assert got_a[i, j] == (a[row, col - lo[row]] if inside else 0.0)
        assert got_b[i, j] == (b[row, col - lo[row]] if inside else 0.0)


def test_each_way_of_computing_the_match_band_gives_the_same_values(monkeypatch):
    """Dense (small documents), dense rows times sparse tokens (chapters and articles), sparse blocks (long ones): the
    lexical scorer's values over a band and its baseline agree within rounding, whichever is taken."""
    import numpy as np

    from mt.align import Aligner
    from mt.align.scorers.match import LexicalScorer
    from mt.align.scorers import match as M
    from tests.align.test_aligner import sample_pairs

    docs, _ = sample_pairs()
    aligner = Aligner()
    aligner.align_many(docs)
    doc = max(docs, key=lambda d: d.n * d.m)
    band = Band.around([(i, min(doc.m, i)) for i in range(doc.n + 1)], doc.n, doc.m, radius=3)
    out = {}
    # (small cells, small vocabulary: the dictionary dense, middle cells)
    ways = {"dense": (10**9, 10**9, 10**9), "middle": (0, 0, 10**9), "sparse": (0, 0, 0),
            "middle, dense dictionary": (0, 10**9, 10**9), "sparse, dense dictionary": (0, 10**9, 0)}
    for way, (cells, vocab, middle) in ways.items():
        monkeypatch.setattr(M, "SMALL_CELLS", cells)
        monkeypatch.setattr(M, "SMALL_VOCAB", vocab)
        monkeypatch.setattr(M, "MIDDLE_CELLS", middle)
        s = LexicalScorer(aligner.model)
        s.prepare(doc)
        s.prepare_band(band)
        out[way] = (s.V.flat, s.base)
    assert np.abs(out["sparse"][0][0]).max() > 0
    for way in ways:
        for got, want in zip(out[way][0], out["sparse"][0]):
            assert np.allclose(got, want, rtol=0, atol=1e-12)
        assert abs(out[way][1] - out["sparse"][1]) < 1e-12


def test_the_compiled_match_band_is_scipys_bit_for_bit(monkeypatch):
    """With numba, the lexicon's matches are multiplied out by a compiled loop that adds in SciPy's order: the band
    of a chapter (dense rows) and of a long document (blocks of rows) are the same numbers either way."""
    import numpy as np

    from mt.align import Aligner, kernels
    from mt.align.scorers import match as M
    from tests.align.test_aligner import sample_pairs

    if not kernels.numba_enabled():
        pytest.skip("numba is not installed")
    docs, _ = sample_pairs()
    aligner = Aligner()
    aligner.align_many(docs)
    doc = max(docs, key=lambda d: d.n * d.m)
    band = Band.around([(i, min(doc.m, i)) for i in range(doc.n + 1)], doc.n, doc.m, radius=3)
    monkeypatch.setattr(M, "SMALL_CELLS", 0)
    for middle in (10**9, 0):
        monkeypatch.setattr(M, "MIDDLE_CELLS", middle)
        out = []
        for plain in ("1", "0"):
            monkeypatch.setenv("MT_NUMBA", plain)
            s = M.LexicalScorer(aligner.model)
            s.prepare(doc)
            s.prepare_band(band)
            out.append((s.V.flat, s.base))
        assert np.abs(out[0][0][0]).max() > 0
        assert all(np.array_equal(a, b) for a, b in zip(out[0][0], out[1][0])) and out[0][1] == out[1][1]


def test_the_dense_dictionary_of_a_small_vocabulary_is_the_sparse_one(monkeypatch):
    """Small vocabularies take dense link probabilities: the same numbers, bit for bit, as the sparse path."""
    import numpy as np

    from mt.align import Aligner
    from mt.align.scorers import match as M
    from tests.align.test_aligner import sample_pairs

    docs, _ = sample_pairs()
    aligner = Aligner()
    aligner.align_many(docs)
    src, tgt = M.lexical_tokens(docs[0])
    sv, tv = sorted({w for s in src for w in s}), sorted({w for t in tgt for w in t})
    dense, _ = M.LexicalScorer(aligner.model).dictionary(sv, tv)
    monkeypatch.setattr(M, "SMALL_VOCAB", 0)
    sparse_, _ = M.LexicalScorer(aligner.model).dictionary(sv, tv)
    assert isinstance(dense, np.ndarray) and (dense > 0).any() and np.array_equal(dense, sparse_.toarray())


def test_block_sums_are_the_sums_whatever_was_asked_before():
    import numpy as np

    from mt.align.scorers.base import block_sums, shared_bounds

    prefix = np.concatenate([[0.0], np.cumsum(np.arange(1.0, 8.0))])  # segment k holds k + 1
    outside = np.array([3, 5])  # outside a lattice nothing is kept: an array changed in place is read again
    assert block_sums(prefix, outside, 1).tolist() == [3.0, 5.0]
    outside[:] = 7
    assert block_sums(prefix, outside, 1).tolist() == [7.0, 7.0]
    with shared_bounds():
        _block_sums_checks(block_sums)
    outside[:] = 3  # and after a lattice, nothing is kept either
    assert block_sums(prefix, outside, 1).tolist() == [3.0, 3.0]
    outside[:] = 5
    assert block_sums(prefix, outside, 1).tolist() == [5.0, 5.0]


def _block_sums_checks(block_sums):
    import numpy as np

    rng = np.random.default_rng(1)
    values = rng.random(30)
    prefix = np.concatenate([[0.0], np.cumsum(values)])
    other = np.concatenate([[0.0], np.cumsum(rng.random(12))])
    ends = [rng.integers(-2, 34, 50) for _ in range(4)]
    for k in range(48):  # the same arrays again and again, with other sizes and other prefixes in between
        end, size = ends[(k // 2) % 4], 1 + (k // 8) % 3  # each array with both prefixes, then with another size
        p = prefix if k % 2 else other
        top = len(p) - 1
        want = np.array([values[max(0, min(e - size, top)):max(0, min(e, top))].sum() if p is prefix
                         else p[max(0, min(e, top))] - p[max(0, min(e - size, top))] for e in end])
        assert np.allclose(block_sums(p, end, size), want)



def test_joined_segments_take_their_word_tokens_and_names_from_the_segments():
    """The coarse pass joins runs of k segments with a space: their word tokens and name skeletons, taken from the
    segments' own, are what tokenizing the joined text gives, whatever stands at the segments' edges."""
    import random

    from mt.align.scorers import DocPair
    from mt.align.scorers.match import JOINED_FROM, NameScorer, lexical_tokens

    ar_words = ["قال", "محمد", "بن", "عبد", "الله", "والكتاب", "ـ", "١٢", "3,5", "'", "«", "»", "حَدَّثَنَا", "ابو", "هريرة", ".", "،", "؟",
                "للمجلس", "فقال", "x"]
    en_words = ["Muhammad", "said", "Abu", "Hurairah", "O'Neil", "don’t", "3.5", "12", "'", "-", "Abd-Allah", "“", "”", ".", ",",
                "the", "Messenger", "al-Zuhri", "X"]
    rnd = random.Random(11)
    for _ in range(40):
        src = ["".join(rnd.choice(["", " "]) + rnd.choice(ar_words) for _ in range(rnd.randint(0, 6))) for _ in range(rnd.randint(1, 9))]
        tgt = ["".join(rnd.choice(["", " "]) + rnd.choice(en_words) for _ in range(rnd.randint(0, 6))) for _ in range(rnd.randint(1, 9))]
        k = rnd.randint(1, 4)
        fine = DocPair(src, tgt)
        group = (lambda xs: [" ".join(xs[i:i + k]) for i in range(0, len(xs), k)])  # noqa: E731 - as the aligner joins
        joined = DocPair(group(src), group(tgt))
        joined.cache[JOINED_FROM] = (fine, k)
        plain = DocPair(group(src), group(tgt))
        assert lexical_tokens(joined) == lexical_tokens(plain), (src, tgt, k)
        assert NameScorer().tokens(joined) == NameScorer().tokens(plain), (src, tgt, k)
        assert ("lexical-tokens", "ar", "en") in fine.cache  # taken from the segments, not tokenized again
