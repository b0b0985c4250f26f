"""The aligner on the bundled corpus's gold turns, and on the awkward inputs users bring."""

import pytest

from mt.align import AlignConfig, Aligner, DocPair, align_many_texts, align_sentences, align_texts
from mt.evaluate.align_score import score_alignments
from tests.helpers import gold_documents


def sample_pairs():
    docs, golds = [], []
    for gold, ar, en in gold_documents():
        docs.append(DocPair([t.text for t in ar.turns], [t.text for t in en.turns], "ar", "en",
                            [t.role for t in ar.turns], [t.role for t in en.turns]))
        golds.append([(tuple(a), tuple(b)) for a, b in gold["beads"]])
    return docs, golds


def as_beads(al):
    return [(b.src, b.tgt) for b in al.beads]


def test_sample_corpus_turns_are_aligned_exactly():
    docs, golds = sample_pairs()
    assert len(docs) == 5
    als = align_many_texts(docs)
    res = score_alignments(golds, [as_beads(a) for a in als])
    assert res.f1_strict == 1.0, res
    for al in als:
        assert all(0.0 <= b.score <= 1.0 for b in al.beads)


def test_every_segment_exactly_once_in_order():
    docs, _ = sample_pairs()
    for d, al in zip(docs, align_many_texts(docs)):
        src = [i for b in al.beads for i in b.src]
        tgt = [j for b in al.beads for j in b.tgt]
        assert src == list(range(d.n)) and tgt == list(range(d.m))


def test_structure_makes_the_aligner_surer_of_interview_turns():
    docs, _ = sample_pairs()
    def mean_confidence(als):
        scores = [b.score for a in als for b in a.beads]
        return sum(scores) / len(scores)
    with_structure = align_many_texts(docs)
    without = align_many_texts(docs, Aligner(disabled=("structure",)))
    assert "structure" in with_structure[0].method and "structure" not in without[0].method
    assert mean_confidence(with_structure) > mean_confidence(without)


def test_empty_lines_become_unaligned_beads():
    src = ["اجتمع المجلس في درعا يوم الاثنين.", "", "قتل 450 شخصاً.", ""]
    tgt = ["", "The council met in Daraa on Monday.", "450 people were killed."]
    al = align_texts(src, tgt)
    assert as_beads(al) == [((), (0,)), ((0,), (1,)), ((1,), ()), ((2,), (2,)), ((3,), ())]


def test_one_side_empty_or_much_longer():
    al = align_texts(["واحد", "اثنان"], [])
    assert as_beads(al) == [((0,), ()), ((1,), ())]
    src = ["قتل 450 شخصاً في درعا."]
    tgt = [f"Line {k} about nothing in particular." for k in range(30)] + ["450 people were killed in Daraa."]
    al = align_texts(src, tgt)
    assert ((0,), (30,)) in as_beads(al)
    assert sum(len(b.tgt) for b in al.beads) == 31


def test_long_documents_use_a_band(monkeypatch):
    n = 600
    src = [f"قال المتحدث إن عدد القتلى بلغ {k} شخصاً في المدينة رقم {k * 7}." for k in range(n)]
    tgt = [f"The spokesman said {k} people were killed in city number {k * 7}." for k in range(n)]
    del tgt[100]
    al = align_texts(src, tgt, aligner=Aligner(config=AlignConfig(full_cells=20_000)))
    beads = as_beads(al)
    assert ((100,), ()) in beads
    assert sum(b == ((k,), (k if k < 100 else k - 1,)) for k, b in zip(range(n), [x for x in beads if x[0]])) > 0.95 * n


def test_sentences_inside_turns():
    pairs = [("قتل 450 شخصاً في درعا. وقال المجلس إن المياه مقطوعة منذ 18 نيسان.", "450 people were killed in Daraa. The council said the water has been cut since April 18.")]
    (src, tgt, al) = align_sentences(pairs)[0]
    assert len(src) == 2 and len(tgt) == 2
    assert as_beads(al) == [((0,), (0,)), ((1,), (1,))]


def test_a_given_lexicon_is_used_and_nothing_bootstrapped():
    from mt.translate.lexicon import train

    lex = train(["الماء مقطوع", "الخبز غال"], ["water is cut", "bread is expensive"], "ar", "en")
    al = align_texts(["الخبز غال جدا", "الماء مقطوع"], ["Bread is very expensive", "Water is cut"], aligner=Aligner(lexicon=lex))
    assert as_beads(al) == [((0,), (0,)), ((1,), (1,))] and "lexical" in al.method


@pytest.mark.parametrize("off", ["length", "names", "numbers", "lexical", "structure"])
def test_each_scorer_can_be_switched_off(off):
    docs, _ = sample_pairs()
    al = align_many_texts(docs[:1], Aligner(disabled=(off,)))[0]
    assert off not in al.method.split("+")


def test_the_rounds_reuse_static_features_over_their_shared_band(monkeypatch):
    """Numbers and names do not depend on the lexicon: the bootstrap's two rounds, in one band, score them once;
    the beads are those of scoring them again, and nothing is left in the document's cache afterwards."""
    from mt.align.scorers import match as M

    docs, _ = sample_pairs()
    doc = max(docs, key=lambda d: d.n * d.m)
    calls: dict[str, int] = {}
    orig = M.MatchScorer.prepare_band

    def counting(self, band):
        calls[self.name] = calls.get(self.name, 0) + 1
        return orig(self, band)

    monkeypatch.setattr(M.MatchScorer, "prepare_band", counting)
    reused = Aligner().align(doc)
    assert calls["lexical"] == 2 and calls["numbers"] == 2 and calls["names"] == 2  # the first pass, then one band
    assert not any(isinstance(k, tuple) and k[0] == "band-features" for k in doc.cache)
    monkeypatch.setattr(M.NumberScorer, "static", False)
    monkeypatch.setattr(M.NameScorer, "static", False)
    again = Aligner().align(doc)
    assert calls["numbers"] == 5 and calls["names"] == 5  # three more: the first pass and each round
    assert [(b.src, b.tgt) for b in reused.beads] == [(b.src, b.tgt) for b in again.beads]
    assert all(abs(a.score - b.score) < 1e-12 for a, b in zip(reused.beads, again.beads))


def test_static_features_are_reused_over_the_same_band_only():
    import numpy as np

    from mt.align.dp import Band

    docs, _ = sample_pairs()
    doc = max(docs, key=lambda d: d.n * d.m)
    al = Aligner()
    al._reuse_budget = 10**9  # as inside a batch's rounds
    weights = al._weights(al.scorers(doc, None), doc)
    one = Band.around([(i, min(doc.m, i)) for i in range(doc.n + 1)], doc.n, doc.m, 2)
    other = Band.full(doc.n, doc.m)
    al.lattice(al.scorers(doc, None), one, weights, reuse=True)
    got = al.lattice(al.scorers(doc, None), other, weights, reuse=True)
    fresh = al.lattice(al.scorers(doc, None), other, weights)
    assert all(np.array_equal(got.scores[t], fresh.scores[t]) for t in fresh.scores)


def test_similarity_is_the_full_lattices_one_to_one_scores():
    """Reports draw the 1-1 scores: computed alone, they are those of the lattice with every bead type."""
    import numpy as np

    from mt.align.dp import Band

    docs, _ = sample_pairs()
    al = Aligner()
    al.align_many(docs)
    doc = docs[0]
    scorers = al.scorers(doc, al.model)
    full = al.lattice(scorers, Band.full(doc.n, doc.m), al._weights(scorers, doc)).scores[(1, 1)][1:, 1:]
    got = al.similarity(doc)
    assert got.shape == (doc.n, doc.m) and np.array_equal(got, full)


def test_static_features_are_kept_only_in_the_rounds_and_within_their_budget(monkeypatch):
    """A pass over a given band outside the rounds (as fitting runs them) leaves nothing on the document; with no
    budget, the rounds keep nothing and the beads are the same."""
    from mt.align import aligner as A

    docs, _ = sample_pairs()
    doc = max(docs, key=lambda d: d.n * d.m)
    al = Aligner()
    first = al.run_pass(doc, None, None)
    al.run_pass(doc, None, al.band_around(doc, first.beads))
    assert not any(isinstance(k, tuple) and k[0] == A.BAND_FEATURES for k in doc.cache)
    kept = Aligner().align(doc)
    monkeypatch.setattr(A, "REUSE_CELLS", 0)
    counted: list[int] = []
    orig = A.Aligner.lattice

    def spy(self, *args, **kw):
        out = orig(self, *args, **kw)
        counted.append(sum(1 for k in doc.cache if isinstance(k, tuple) and k[0] == A.BAND_FEATURES))
        return out

    monkeypatch.setattr(A.Aligner, "lattice", spy)
    none = Aligner().align(doc)
    assert counted and max(counted) == 0
    assert [(b.src, b.tgt, b.score) for b in kept.beads] == [(b.src, b.tgt, b.score) for b in none.beads]
