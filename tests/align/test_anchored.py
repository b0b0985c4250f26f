"""Alignment around fixed beads: anchors stay as they are, the stretches between are aligned as if alone."""

import pytest

from mt.align import Aligner, align_many_texts
from mt.align.anchored import align_anchored, layout, stretches
from mt.errors import InputError
from tests.align.test_aligner import sample_pairs


def spans(al):
    return [(b.src[0] if b.src else None, len(b.src), b.tgt[0] if b.tgt else None, len(b.tgt), round(b.score, 12)) for b in al.beads]


def test_no_anchors_is_the_free_alignment():
    docs, _ = sample_pairs()
    free = align_many_texts(docs, Aligner())
    anchored = align_anchored(Aligner(), docs, [[] for _ in docs])
    assert [spans(a) for a in anchored] == [spans(f) for f in free]


def test_anchors_are_kept_even_where_the_aligner_would_differ_and_every_segment_comes_once():
    docs, _ = sample_pairs()
    doc = docs[0]
    # a deliberately odd anchor: two Arabic turns with one English turn, where the gold has 1-1 beads
    fixed = [(1, 3, 1, 2)]
    (al,) = align_anchored(Aligner(), [doc], [fixed])
    assert any((b.src, b.tgt, b.score) == ((1, 2), (1,), 1.0) for b in al.beads)
    assert [i for b in al.beads for i in b.src] == list(range(doc.n))
    assert [j for b in al.beads for j in b.tgt] == list(range(doc.m))


def test_the_stretch_between_two_anchors_is_aligned_as_that_piece_alone():
    from mt.align.scorers import DocPair

    docs, _ = sample_pairs()
    doc = docs[1]
    fixed = [(0, 1, 0, 1), (doc.n - 1, doc.n, doc.m - 1, doc.m)]
    (al,) = align_anchored(Aligner(), [doc], [fixed])
    piece = DocPair(doc.src[1:-1], doc.tgt[1:-1], "ar", "en", doc.src_roles[1:-1], doc.tgt_roles[1:-1])
    (alone,) = align_many_texts([piece], Aligner())
    assert (al.beads[0].src, al.beads[-1].tgt) == ((0,), (doc.m - 1,))  # the anchors, first and last
    middle = al.beads[1:-1]
    assert [(tuple(i - 1 for i in b.src), tuple(j - 1 for j in b.tgt), b.score) for b in middle] == \
        [(b.src, b.tgt, b.score) for b in alone.beads]


def test_the_layout_of_anchors_and_stretches():
    assert layout(5, 4, [(1, 2, 1, 2)]) == [("free", (0, 1, 0, 1)), ("anchor", (1, 2, 1, 2)), ("free", (2, 5, 2, 4))]
    assert stretches(3, 3, [(0, 3, 0, 3)]) == []
    assert stretches(3, 3, [(0, 1, 0, 0)]) == [(1, 3, 0, 3)]  # an anchored deletion
    with pytest.raises(InputError):
        layout(5, 5, [(2, 4, 2, 4), (3, 5, 4, 5)])  # crossing
    with pytest.raises(InputError):
        layout(5, 5, [(4, 6, 4, 5)])  # outside


def test_where_a_path_aligned_again_meets_the_old_one():
    from mt.align.anchored import meeting

    old = [(0, 1, 0, 2), (1, 2, 2, 2), (2, 3, 2, 3), (3, 4, 3, 4)]
    new = [(0, 1, 0, 1), (1, 2, 1, 2), (2, 3, 2, 3), (3, 4, 3, 4)]
    assert meeting(new, old) == (2, 2)  # both paths pass through (2, 2) first: two new beads for the two old ones
    assert meeting(old, old) == (1, 1)
    assert meeting([(0, 1, 0, 1), (1, 3, 1, 3)], [(0, 2, 0, 2), (2, 3, 2, 3)]) == (2, 2)  # they meet again at (3, 3)
    assert meeting([(0, 2, 0, 2)], [(0, 1, 0, 1), (1, 3, 1, 3)]) is None
