"""The byline and segmentation read "who spoke to whom" in an intro the same way (one list of verbs, one direction)."""

from __future__ import annotations

import pytest

from mt.ingest.markers import asker_from_intro as _asker_from_intro
from mt.ingest.metadata import extract_byline
from mt.ingest.speech import ASKING, TELLING, subject_asks
from mt.records import Turn

CASES = [
    ("Jane Smith interviewed Abu Khalid about the siege.", "Jane Smith", "Abu Khalid"),
    ("Jane Smith spoke with Abu Khalid about the siege.", "Jane Smith", "Abu Khalid"),
    ("Jane Smith caught up with Abu Khalid in Daraa.", "Jane Smith", "Abu Khalid"),
    ("Abu Khalid tells Jane Smith about the siege.", "Jane Smith", "Abu Khalid"),
    ("Abu Khalid explained to Jane Smith how the council works.", "Jane Smith", "Abu Khalid"),
]


@pytest.mark.parametrize("intro, asker, answerer", CASES)
def test_byline_and_segmentation_agree_on_who_asks(intro, asker, answerer):
    assert _asker_from_intro(intro, [asker, answerer]) == asker
    byline = extract_byline([Turn(0, "intro", intro)], [], None)
    assert (byline.interviewer, byline.interviewee) == (asker, answerer)


def test_an_outlet_on_either_side_asks():
    b = extract_byline([Turn(0, "intro", "Abu Khalid spoke to Syria Direct’s Jane Smith about the siege.")], [], None)
    assert (b.interviewer, b.interviewee) == ("Jane Smith", "Abu Khalid")
    b = extract_byline([Turn(0, "intro", "Syria Direct spoke with Abu Khalid about the siege.")], [], None)
    assert b.interviewee == "Abu Khalid" and b.interviewer is None


def test_every_verb_has_one_direction():
    assert not set(ASKING) & set(TELLING)
    assert all(subject_asks(v) for v in ASKING) and not any(subject_asks(v) for v in TELLING)
    assert subject_asks("spoke   WITH")
