"""Alignment quality as the field scores it: strict and lax precision, recall and F1 over beads.

The definitions are those of Vecalign's ``score.py`` (after Sennrich and Volk's strict/lax measures):

- Beads are pairs (source ids, target ids); a bead empty on both sides is ignored.
- Precision counts test beads. A test bead is a strict true positive when the gold has exactly that
  bead; otherwise it is a strict false positive, and a *lax* true positive when some of its target
  ids are aligned in the gold to some of its source ids (else a lax false positive too).
- Recall is the same count with gold and test swapped, after removing from both every bead with an
  empty side: a missed deletion costs nothing in recall, a spurious deletion still costs precision.
- Counts are summed over all documents before the ratios are taken; F1 is the harmonic mean.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]


@dataclass(frozen=True)
class AlignScores:
    precision_strict: float
    recall_strict: float
    f1_strict: float
    precision_lax: float
    recall_lax: float
    f1_lax: float

    def as_dict(self) -> dict[str, float]:
        return dict(self.__dict__)


def _counts(gold: Beads, test: Beads) -> tuple[int, int, int, int]:
    """(strict tp, strict fp, lax tp, lax fp) of the test beads against the gold."""
    test_set = {(tuple(s), tuple(t)) for s, t in test if s or t}
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    gold_targets: defaultdict[int, set[int]] = defaultdict(set)
    for s, t in gold_set:
        for i in s:
            gold_targets[i].update(t)
    tp_s = fp_s = tp_l = fp_l = 0
    for s, t in test_set:
        if (s, t) in gold_set:
            tp_s += 1
            tp_l += 1
            continue
        fp_s += 1
        reachable = set().union(*(gold_targets[i] for i in s)) if s else set()
        if reachable & set(t):
            tp_l += 1
        else:
            fp_l += 1
    return tp_s, fp_s, tp_l, fp_l


def _ratio(a: int, b: int) -> float:
    return a / (a + b) if a + b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def score_alignments(gold: list[Beads], test: list[Beads]) -> AlignScores:
    """Scores over several documents (gold and test in the same order)."""
    if len(gold) != len(test):
        raise ValueError(f"{len(gold)} gold documents but {len(test)} test documents")
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for g, t in zip(gold, test):
        p = [x + y for x, y in zip(p, _counts(g, t))]
        g_nodel = [(s, x) for s, x in g if s and x]
        t_nodel = [(s, x) for s, x in t if s and x]
        r = [x + y for x, y in zip(r, _counts(t_nodel, g_nodel))]
    ps, pl = _ratio(p[0], p[1]), _ratio(p[2], p[3])
    rs, rl = _ratio(r[0], r[1]), _ratio(r[2], r[3])
    return AlignScores(ps, rs, _f1(ps, rs), pl, rl, _f1(pl, rl))
