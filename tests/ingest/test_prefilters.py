"""Patterns searched through a word check first (``Worded``), first person found by looking back, date lines
passed over when they hold no year: each gives the very answer of the plain pattern it stands for."""

import re

import pytest

from mt.ingest.clean import Caption
from mt.ingest.markers import GREETING, LEAD_IN, SECOND_PERSON, first_person
from mt.text.dates import parse_date_line, parse_dateline

# one text or more for each alternative of each pattern, in our own words, and texts that hold a needle but no match
EXAMPLES = {
    "greeting": ["Thanks for joining us", "THANK YOU, minister", "Welcome back", "Good evening to all", "It's my pleasure",
                 "the pleasure is ours", "Glad to be here", "happy to be with you", "Nice to meet you", "its good to have you",
                 "great to have you here", "شكراً لكم", "أشكرك على وقتك", "مرحباً بكم", "أهلاً وسهلاً", "يسعدنا استضافتك",
                 "سعيد بوجودي", "تحية لك", "صباح الخير", "مساء الخير", "good luck", "thankful", "the welcomed news"],
    "lead_in": ["The text of the interview follows.", "Here is what she said", "here's the rest", "Below are the questions",
                "The following is the transcript", "Full transcript:", "edited text of the talk.", "what they told us:",
                "فيما يلي نص الحوار", "وإليكم نص المقابلة", "وكان لنا معه هذا الحوار", "الحوار:", "The text was long",
                "here and there", "نصف الحوار"],
    "you": ["Do you agree?", "YOUR plans", "yours truly", "ask yourself", "ما رأيك؟", "هل لديكم خطة؟", "حضرتك قلت",
            "young people", "bayou"],
    "caption": ["Photo courtesy of the council.", "Image: a field", "(Photo: Local council)", "Getty Images", "AFP Photo / X",
                "Reuters/Someone", "صورة: أطفال في المخيم", "(تصوير: أحمد)", "(أرشيف)", "photograph: a street",
                "photos by hand", "The image shows", "صورنا"],
}
WORDED = {"greeting": GREETING, "lead_in": LEAD_IN, "you": SECOND_PERSON, "caption": Caption._credit}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_word_check_never_changes_what_a_pattern_finds(name):
    worded = WORDED[name]
    answers = [(t, bool(worded.search(t)), bool(worded.rx.search(t))) for t in EXAMPLES[name]]
    assert [a for a in answers if a[1] != a[2]] == []
    assert sum(full for _, _, full in answers) >= len(answers) - 4  # the examples do match (a few on purpose do not)


def test_first_person_is_a_word_of_its_own():
    plain = re.compile(r"\b(?:I|I'm|I've|my|me|we|our|us)\b|(?:أنا|انا|نحن|لدي|لدينا|عندي|كنت|أعتقد|أرى)")
    texts = ["I think so", "I'm here", "and my town", "We left", "we left", "tell me", "for us", "ours", "Iraq", "USA",
             "meet", "home", "the_me", "2me", "état-me", "نحن هنا", "لدينا ماء", "أسئلة", "", "me"]
    assert [first_person(t) for t in texts] == [bool(plain.search(t)) for t in texts]
    assert sum(first_person(t) for t in texts) == 10


@pytest.mark.parametrize("line,iso", [("March 3, 2015", "2015-03-03"), ("٢٣/٠٣/٢٠١٥", "2015-03-23"),
                                      ("الأردن العربي ( الخميس ) 19/11/2015", "2015-11-19"), ("Tuesday, 5 May 2020 10:30 GMT", "2020-05-05"),
                                      ("March 3", None), ("12:30", None), ("The council met", None)])
def test_date_lines_with_and_without_a_year(line, iso):
    assert parse_dateline(line) == iso
    assert parse_date_line(line) == (iso if "العربي" not in line else None)
