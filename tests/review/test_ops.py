"""The review operations as pure functions: exactly which text goes where (what mutation testing found unpinned)."""

from __future__ import annotations

import pytest

from mt.errors import InputError
from mt.records import CorpusBead
from mt.review import ops


def bead(i: int, ar: str, en: str, ordinal: int) -> CorpusBead:
    return CorpusBead(en_id="a-en", ar_id="a-ar", level="sentence", ordinal=ordinal, ar=ar, en=en, ar_index=(0,),
                      en_index=(0,), parent=0, role="answer", id=i, status="accepted", mt="old gloss")


A = bead(1, "الجملة الأولى. الجملة الثانية.", "First one. Second one.", 0)
B = bead(2, "الجملة الثالثة.", "Third one.", 1)


def test_moving_the_first_sentence_back_and_the_last_forward():
    back = ops.move(B, A, "ar", "prev", 3, 4)  # B's first (only) Arabic sentence goes to the end of A
    src, dst = back.upserts
    assert dst.id == 1 and dst.ar == "الجملة الأولى. الجملة الثانية. الجملة الثالثة." and dst.en == A.en
    assert (src.id, src.ar, src.en) == (2, "", "Third one.")  # its English stays: the bead stays
    assert back.deletes == [] and back.expected == {2: 3, 1: 4} and back.note == "ar prev" and back.action == "move"
    assert dst.status == "unreviewed" and dst.mt is None  # its Arabic changed: the old translation no longer fits
    alone = ops.move(bead(5, "وحدها.", "", 2), A, "ar", "prev", 1, 1)
    assert alone.deletes == [5] and [b.id for b in alone.upserts] == [1]  # nothing left in it: the bead goes
    fwd = ops.move(A, B, "en", "next", 5, 6)  # A's last English sentence goes to the start of B
    src, dst = fwd.upserts
    assert (src.id, src.en, src.ar) == (1, "First one.", A.ar) and (dst.id, dst.en) == (2, "Second one. Third one.")
    assert src.mt == "old gloss" and fwd.deletes == [] and fwd.note == "en next"  # English moved: the Arabic's MT stands
    first = ops.move(A, B, "ar", "prev", 1, 1)
    assert first.upserts[0].ar == "الجملة الثانية." and first.upserts[1].ar == "الجملة الثالثة. الجملة الأولى."


def test_moving_says_what_is_wrong():
    with pytest.raises(InputError, match="direction must be 'next' or 'prev', not 'up'"):
        ops.move(A, B, "ar", "up", 1, 1)
    with pytest.raises(InputError, match="there is no previous bead to move a sentence to"):
        ops.move(A, None, "ar", "prev", 1, 1)
    with pytest.raises(InputError, match="there is no next bead to move a sentence to"):
        ops.move(A, None, "en", "next", 1, 1)
    empty = bead(3, "", "Only English.", 2)
    with pytest.raises(InputError, match="the Arabic side of this bead is empty"):
        ops.move(empty, B, "ar", "next", 1, 1)
    with pytest.raises(InputError, match="the English side of this bead is empty"):
        ops.move(bead(4, "عربي فقط.", " ", 3), B, "en", "next", 1, 1)


def test_a_comment_is_its_own_change():
    c = ops.comment(A, "check the name", 7)
    assert c.action == "comment" and c.note == "comment" and c.expected == {1: 7}
    assert c.upserts[0].comment == "check the name" and c.upserts[0].ar == A.ar


def test_merging_keeps_both_beads_text_indices_roles_comments_and_translation():
    a = bead(1, "أ.", "A.", 0)
    b = bead(2, "ب.", "B.", 1)
    from dataclasses import replace

    a = replace(a, role="question", comment="first", score=0.9, mt="gloss a")
    b = replace(b, role="answer+question", comment="second", score=0.4, ar_index=(1,), en_index=(1,), mt="gloss b")
    c = ops.merge(a, b, 3, 4)
    (m,) = c.upserts
    assert (m.id, m.ar, m.en, m.ar_index, m.en_index) == (1, "أ. ب.", "A. B.", (0, 1), (0, 1))
    assert m.role == "question+answer" and m.score == 0.4 and m.comment == "first second" and m.status == "unreviewed"
    assert m.mt == "gloss a gloss b" and c.deletes == [2] and c.expected == {1: 3, 2: 4} and c.note == "1+2"
    assert ops.merge(a, replace(b, mt=None), 1, 1).upserts[0].mt is None  # half a translation is none
    assert ops.merge(replace(a, mt=None), b, 1, 1).upserts[0].mt is None
    with pytest.raises(InputError, match="last bead of the article"):
        ops.merge(a, None, 1, 1)


def test_a_question_and_an_answer_are_never_merged():
    from dataclasses import replace

    q, a = replace(bead(1, "لماذا؟", "Why?", 0), role="question"), replace(bead(2, "لأن.", "Because.", 1), role="answer")
    with pytest.raises(InputError, match="one bead is question, the next answer: merging would join a question and an answer"):
        ops.merge(q, a, 1, 1)
    assert ops.merge(a, replace(a, id=3), 1, 1).upserts[0].role == "answer"  # two parts of one answer: fine


def test_splitting_cuts_each_side_at_its_offset_and_numbers_the_sentences_on():
    from dataclasses import replace

    b = replace(bead(1, "الأولى. الثانية. الثالثة.", "One. Two. Three.", 0), ar_index=(4, 5, 6), en_index=(2, 3, 4), pos=1.0,
                comment="keep")
    after = replace(bead(2, "x.", "y.", 1), pos=2.0)
    c = ops.split(b, after, len("الأولى."), len("One. Two."), 5)
    one, two = c.upserts
    assert (one.ar, one.en, one.ar_index, one.en_index) == ("الأولى.", "One. Two.", (4,), (2, 3))
    assert (two.ar, two.en, two.ar_index, two.en_index) == ("الثانية. الثالثة.", "Three.", (5, 6), (4,))
    assert two.id is None and two.pos == 1.5 and two.comment == "" and two.version == 1 and one.comment == "keep"
    assert one.mt is None and two.mt is None and c.expected == {1: 5} and c.note == f"ar@{len('الأولى.')} en@{len('One. Two.')}"
    assert ops.split(b, None, 3, 3, 1).upserts[1].pos == 2.0  # the last bead: the new one comes after it
    with pytest.raises(InputError, match="ar_at must be an offset between 0 and"):
        ops.split(b, after, 999, 1, 1)
    with pytest.raises(InputError, match="leaves one bead empty"):
        ops.split(b, after, 0, 0, 1)


ART = "syria-direct-2015-05-11-daraa-council-en"


def test_the_stores_neighbour_is_the_next_bead_in_article_order(review_db):
    """The app asks the store for one neighbour instead of loading the article: the same bead, either way."""
    from mt.store import Store

    with Store(review_db) as s:
        for en_id in {p.en_id for p in s.pairs()}:
            beads = s.beads(en_id)
            for b in beads:
                for step in (-1, 1):
                    want, got = ops.neighbour(beads, b, step), s.neighbour(b, step)
                    assert (want.id if want else None) == (got.id if got else None), (en_id, b.id, step)
        # two beads at the same position are ordered by ordinal, as the article lists them
        a, b = s.beads(ART)[:2]
        s.db.execute("UPDATE beads SET pos = ? WHERE id = ?", (a.pos, b.stored_id))
        s.db.commit()
        beads = s.beads(ART)
        assert s.neighbour(beads[0], 1).id == ops.neighbour(beads, beads[0], 1).id
        assert s.neighbour(beads[1], -1).id == beads[0].id


def test_a_moved_sentence_takes_its_index_along():
    """After a move the two beads still cover the turn's sentences once each, in order (what re-alignment needs)."""
    from dataclasses import replace

    a = replace(bead(1, "أ.", "One. Two.", 0), ar_index=(0,), en_index=(0, 1))
    b = replace(bead(2, "ب.", "Three.", 1), ar_index=(1,), en_index=(2,))
    one, two = ops.move(a, b, "en", "next", 1, 1).upserts
    assert (one.en, one.en_index, two.en, two.en_index) == ("One.", (0,), "Two. Three.", (1, 2))
    back = ops.move(two, one, "en", "prev", 1, 1).upserts
    assert [(x.en, x.en_index) for x in back] == [("Three.", (2,)), ("One. Two.", (0, 1))]
    empty = replace(bead(3, "ج.", "", 2), ar_index=(2,), en_index=())
    _, filled = ops.move(b, empty, "en", "next", 1, 1).upserts
    assert filled.en_index == (2,)  # into a bead with no English: the sentence's own index, not 0
