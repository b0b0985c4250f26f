"""The simulated reviewer of eval/bench_effort.py: the fewest actions per wrong bead, and what is left after a fix."""

import importlib.util
from pathlib import Path

import pytest

spec = importlib.util.spec_from_file_location("bench_effort", Path(__file__).parents[2] / "eval" / "bench_effort.py")
B = importlib.util.module_from_spec(spec)
spec.loader.exec_module(B)


@pytest.mark.parametrize("current, gold, cost", [
    # the aligner split a 2-2 gold bead in two 1-1 beads: one merge
    ([(0, 1, 0, 1), (1, 2, 1, 2)], (0, 2, 0, 2), 1),
    # the aligner made one 2-2 bead of two 1-1 gold beads: one split
    ([(0, 2, 0, 2)], (0, 1, 0, 1), 1),
    # one English sentence too many in the bead: one move out
    ([(0, 1, 0, 2), (1, 2, 2, 2)], (0, 1, 0, 1), 1),
    # three beads to join: two merges
    ([(0, 1, 0, 1), (1, 2, 1, 1), (2, 3, 1, 3)], (0, 3, 0, 3), 2),
    # short on one side by two sentences, the next bead long: two moves beat merging and splitting (1 + 1)? no: 2 = 2
    ([(0, 1, 0, 1), (1, 2, 1, 4)], (0, 1, 0, 3), 2),
])
def test_the_fewest_actions_for_one_wrong_bead(current, gold, cost):
    got, after = B.fix(current, 0, gold)
    assert got == cost
    assert after[0] == gold
    n, m = max(c[1] for c in current), max(c[3] for c in current)
    # what follows covers the rest of both sides once, in order
    assert [i for a in after[1:] for i in range(a[0], a[1])] == list(range(gold[1], n))
    assert [j for a in after[1:] for j in range(a[2], a[3])] == list(range(gold[3], m))


def test_a_reviewer_accepts_right_beads_and_fixes_wrong_ones_until_the_document_is_gold():
    gold = [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3)]
    first = [(0, 1, 0, 2), (1, 2, 2, 2), (2, 3, 2, 3)]  # one English sentence in the wrong bead: drags the next wrong
    assert B.review(None, gold, first) == (2, 0)  # a move, then the bead it left is short: another move
    calls = []

    def realign(anchors):
        calls.append(list(anchors))
        return anchors + gold[len(anchors):]  # a re-alignment that gets the rest right

    assert B.review(None, gold, first, realign) == (1, 1) and calls == [gold[:1]]
    assert B.review(None, gold, gold) == (0, 0)
