"""MT metrics agree with sacrebleu's own functions; comparisons are paired bootstrap tests."""

from __future__ import annotations

import json

import pytest
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF, TER

from mt.errors import InputError
from mt.evaluate.mt_metrics import SegmentStats, compare, corpus_scores, segment_scores

REFS = ["The council said schools will open next week.", "He added that 450 students have registered so far.",
        "Aid has not reached the town for three months.", "We need medicine and food before anything else.",
        "The regime shelled the city on Monday night.", "Residents fled to the northern countryside."]
GOOD = ["The council said the schools will open next week.", "He added 450 students registered so far.",
        "Aid has not reached the town for three months.", "We need medicine and food before everything.",
        "The regime shelled the city Monday night.", "Residents fled to the northern countryside."]
BAD = ["council schools week", "students 450", "aid town months", "medicine food", "regime city night", "residents fled"]


def test_corpus_scores_equal_sacrebleu():
    s = corpus_scores(GOOD, REFS, "en")
    assert s.bleu.value == pytest.approx(sacrebleu.corpus_bleu(GOOD, [REFS]).score)
    assert s.chrf.value == pytest.approx(sacrebleu.corpus_chrf(GOOD, [REFS], word_order=2).score)
    assert s.ter.value == pytest.approx(sacrebleu.corpus_ter(GOOD, [REFS]).score)
    assert "tok:13a" in s.bleu.signature and "nw:2" in s.chrf.signature and s.segments == 6


def test_arabic_targets_use_the_intl_tokenizer():
    refs = ["قال المجلس، إن المدارس ستفتح.", "وصلت المساعدات؟"]
    hyps = ["قال المجلس إن المدارس ستفتح.", "وصلت المساعدات؟"]
    s = corpus_scores(hyps, refs, "ar")
    assert "tok:intl" in s.bleu.signature
    assert s.bleu.value == pytest.approx(BLEU(tokenize="intl").corpus_score(hyps, [refs]).score)


def test_bad_inputs():
    with pytest.raises(InputError, match="line-aligned"):
        corpus_scores(GOOD[:2], REFS, "en")
    with pytest.raises(InputError, match="no segments"):
        corpus_scores([], [], "en")
    from mt.evaluate.mt_metrics import metrics

    with pytest.raises(InputError, match="network"):
        metrics("en", "flores200")


def test_segment_scores_equal_sentence_scores():
    rows = segment_scores(GOOD[:2], REFS[:2], "en")
    assert rows[0]["chrF++"] == pytest.approx(CHRF(word_order=2).sentence_score(GOOD[0], [REFS[0]]).score, abs=0.01)
    assert rows[1]["TER"] == pytest.approx(TER().sentence_score(GOOD[1], [REFS[1]]).score, abs=0.01)
    assert rows[0]["BLEU"] == pytest.approx(BLEU(effective_order=True).sentence_score(GOOD[0], [REFS[0]]).score, abs=0.01)


def test_summed_segment_statistics_equal_sacrebleus_corpus_scores():
    """Statistics extracted once per segment, summed for any subset: the same figures as sacrebleu on that subset."""
    stats = SegmentStats(GOOD + BAD, REFS + REFS, "en")
    for rows in (None, [0, 1, 2], [6, 7, 8, 9, 10, 11], [1, 7, 3]):
        hyps = [(GOOD + BAD)[i] for i in rows] if rows else GOOD + BAD
        refs = [(REFS + REFS)[i] for i in rows] if rows else REFS + REFS
        got = stats.scores(rows)
        assert got.bleu.value == pytest.approx(sacrebleu.corpus_bleu(hyps, [refs]).score)
        assert got.chrf.value == pytest.approx(sacrebleu.corpus_chrf(hyps, [refs], word_order=2).score)
        assert got.ter.value == pytest.approx(sacrebleu.corpus_ter(hyps, [refs]).score)
        assert got.segments == len(hyps) and got.signatures == corpus_scores(hyps, refs, "en").signatures
    # one segment's group score is its sentence score
    (one,) = stats.group_scores([[0]])
    assert one["BLEU"] == pytest.approx(BLEU(effective_order=True).sentence_score(GOOD[0], [REFS[0]]).score, abs=0.01)
    assert one["TER"] == pytest.approx(TER().sentence_score(GOOD[0], [REFS[0]]).score, abs=0.01)
    with pytest.raises(InputError, match="no segments"):
        stats.scores([])


def test_paired_bootstrap_against_sacrebleu():
    from sacrebleu.significance import PairedTest

    rows = compare(REFS, [("bad", BAD), ("good", GOOD)], "en", resamples=200)
    assert [r.metric for r in rows] == ["BLEU", "BLEU", "chrF++", "chrF++", "TER", "TER"]
    base, good = rows[0], rows[1]
    assert base.p_value is None and good.p_value is not None and good.significant
    assert good.score > base.score and good.ci > 0
    _, ref = PairedTest([("bad", BAD), ("good", GOOD)], {"BLEU": BLEU()}, [REFS], test_type="bs", n_samples=200)()
    assert good.mean == pytest.approx(float(ref["BLEU"][1].mean)) and good.p_value == pytest.approx(ref["BLEU"][1].p_value)
    with pytest.raises(InputError):
        compare(REFS, [("only", GOOD)], "en")
    with pytest.raises(InputError):
        compare(REFS, [("a", GOOD), ("b", BAD[:3])], "en")


def test_cli_scores_and_compares(tmp_path):
    ref, a, b = tmp_path / "ref.en", tmp_path / "a.en", tmp_path / "b.en"
    ref.write_text("\n".join(REFS) + "\n")
    a.write_text("\n".join(BAD) + "\n")
    b.write_text("\n".join(GOOD) + "\n")
    from tests.helpers import mt

    one = mt("evaluate", "mt", ref, b, "--json")
    assert one.returncode == 0, one.stderr
    scores = json.loads(one.stdout)["scores"]
    assert scores["BLEU"] == pytest.approx(round(sacrebleu.corpus_bleu(GOOD, [REFS]).score, 2))
    two = mt("evaluate", "mt", ref, a, b, "--resamples", "100")
    assert "baseline a.en" in two.stdout and "p = " in two.stdout
    short = tmp_path / "short.en"
    short.write_text("one line\n")
    bad = mt("evaluate", "mt", ref, short)
    assert bad.returncode == 2 and "line-aligned" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1


def test_a_system_identical_to_the_baseline_is_no_difference():
    rows = compare(REFS, [("a", GOOD), ("same", list(GOOD))], "en", resamples=100)
    assert all(r.p_value == 1.0 and not r.significant for r in rows if r.system == "same")


def test_resamples_must_be_positive(tmp_path):
    from tests.helpers import mt

    ref = tmp_path / "ref.en"
    ref.write_text("\n".join(REFS) + "\n")
    r = mt("evaluate", "mt", ref, ref, ref, "--resamples", "0")
    assert r.returncode == 2 and "--resamples must be at least 1" in r.stderr


def test_ter_beyond_its_bound_is_measured_on_a_seeded_sample_for_the_corpus_only():
    hyps, refs = GOOD + BAD, REFS + REFS
    stats = SegmentStats(hyps, refs, "en", ter_max=4)
    assert stats.ter_sampled and len(stats.ter_rows) == 4
    assert SegmentStats(hyps, refs, "en", ter_max=4).ter_rows == stats.ter_rows  # the same sample on every run
    corpus = stats.scores()
    sample_h, sample_r = [hyps[i] for i in stats.ter_rows], [refs[i] for i in stats.ter_rows]
    assert corpus.ter.value == pytest.approx(sacrebleu.corpus_ter(sample_h, [sample_r]).score)
    assert corpus.bleu.value == pytest.approx(sacrebleu.corpus_bleu(hyps, [refs]).score)  # BLEU on everything
    assert "TER" not in stats.scores([0, 1, 2]).as_dict()  # an article's few sampled segments give no TER
    assert "TER" not in stats.group_scores([[0, 1]])[0]
    assert not SegmentStats(hyps, refs, "en", ter_max=100).ter_sampled
