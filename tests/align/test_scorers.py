"""Each scorer alone: it must prefer the right bead to its neighbours."""

import numpy as np

from mt.align.dp import Band
from mt.align.scorers import DocPair, LengthScorer, NameScorer, NumberScorer, StructureScorer
from mt.align.scorers.match import arabic_skeleton, latin_skeleton, numbers


def prepared(scorer, doc):
    scorer.prepare(doc)
    if hasattr(scorer, "prepare_band"):
        scorer.prepare_band(Band.full(doc.n, doc.m))
    return scorer


def one(scorer, a, b, i, j):
    return float(scorer.score(a, b, np.array([i]), np.array([j]))[0])


def test_length_ratio_is_estimated_from_the_data():
    doc = DocPair(["ا" * 100, "ب" * 40, "ت" * 70], ["x" * 130, "y" * 52, "z" * 91])
    s = prepared(LengthScorer(), doc)
    assert abs(s.c - 1.3) < 1e-9
    assert one(s, 1, 1, 1, 1) > one(s, 1, 1, 1, 2)
    assert one(s, 1, 1, 2, 2) > one(s, 2, 1, 2, 1)
    assert one(s, 1, 1, 1, 3) >= s.floor


def test_length_fit_from_confident_beads():
    s = LengthScorer()
    s.prepare(DocPair(["ا" * 10], ["x" * 10]))
    s.fit([(100, 80), (50, 41), (70, 55), (30, 25), (90, 70), (60, 49)])
    assert 0.79 < s.c < 0.83 and s.ratio == s.c and s.s2 > 0


def test_numbers_in_any_digits():
    assert numbers("قتل ٤٥٠ شخصاً و1,000 جريح في 2015") == ["450", "1000", "2015"]
    doc = DocPair(["قتل ٤٥٠ شخصاً في ٢٠١٥", "لا أرقام هنا", "سعر اللتر ٦٠٠ ليرة"], ["450 killed in 2015", "no figures", "SYP 600 a liter"])
    s = prepared(NumberScorer(), doc)
    assert one(s, 1, 1, 1, 1) == 1.0 and one(s, 1, 1, 3, 3) == 1.0
    assert one(s, 1, 1, 1, 3) == -1.0  # figures that differ are evidence against
    assert one(s, 1, 1, 2, 2) == 0.0  # no figures: no evidence


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
    assert one(s, 1, 1, 1, 1) == 1.0 and one(s, 1, 1, 2, 2) == 1.0
    assert one(s, 1, 1, 1, 2) == -1.0
    assert one(s, 2, 1, 2, 1) == -1.0  # a question and an answer merged against a question
    off = prepared(StructureScorer(), DocPair(["a"], ["b"]))
    assert one(off, 1, 1, 1, 1) == 0.0


def test_dates_are_anchors_too():
    from mt.align.scorers.match import anchors

    assert anchors("قتل ٤٥٠ في 18 نيسان 2015") == ["450", "18", "2015", "date:2015-04-18"]
    doc = DocPair(["في 18 نيسان 2015 توقفت المحطة", "وفي 20 أيار 2015 عادت"], ["On April 18, 2015 the station stopped", "On May 20, 2015 it came back"])
    s = prepared(NumberScorer(), doc)
    assert one(s, 1, 1, 1, 1) == 1.0 and one(s, 1, 1, 1, 2) < 0


def test_quotations_are_anchors_only_when_both_sides_quote():
    from mt.align.scorers.quotes import QuoteScorer

    doc = DocPair(["قال: «نحن صامدون»", "ثم غادر المدينة"], ["He said: “We stand firm”", "Then he left the city"])
    s = prepared(QuoteScorer(), doc)
    assert one(s, 1, 1, 1, 1) == 1.0
    assert one(s, 1, 1, 2, 1) == 0.0  # one side only: no evidence either way
    assert one(s, 1, 1, 2, 2) == 0.0
