"""Alignment scoring with Vecalign's definitions, on hand-checked examples."""

import pytest

from mt.evaluate.align_score import score_alignments

GOLD = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2,))]


def test_perfect():
    r = score_alignments([GOLD], [GOLD])
    assert (r.f1_strict, r.f1_lax) == (1.0, 1.0)


def test_hand_counted_example():
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,)), ((4,), ())]
    r = score_alignments([GOLD], [test])
    # precision: 1 of 5 exact; lax also (1)->(1), which overlaps the gold (1,2)->(1)
    assert r.precision_strict == pytest.approx(1 / 5) and r.precision_lax == pytest.approx(2 / 5)
    # recall ignores beads with an empty side: gold (0)(0), (1,2)(1), (4)(2) against test (0)(0), (1)(1), (3)(2)
    assert r.recall_strict == pytest.approx(1 / 3) and r.recall_lax == pytest.approx(2 / 3)
    assert r.f1_strict == pytest.approx(2 * 0.2 * (1 / 3) / (0.2 + 1 / 3))


def test_missed_deletion_costs_no_recall_but_spurious_deletion_costs_precision():
    test = [((0,), (0,)), ((1, 2), (1,)), ((3, 4), (2,))]  # the deletion of 3 missed
    r = score_alignments([GOLD], [test])
    assert r.recall_strict == pytest.approx(2 / 3)
    spurious = [((0,), ()), ((), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2,))]
    r2 = score_alignments([GOLD], [spurious])
    assert r2.recall_strict == pytest.approx(2 / 3) and r2.precision_strict == pytest.approx(3 / 5)


def test_counts_are_summed_over_documents():
    r = score_alignments([GOLD, GOLD], [GOLD, [((0,), (0,)), ((1, 2, 3), (1,)), ((4,), (2,))]])
    assert r.precision_strict == pytest.approx(6 / 7)


def test_mismatched_lists():
    with pytest.raises(ValueError):
        score_alignments([GOLD], [])
