"""The headline of a plain-text page: never a breadcrumb, a menu or download link, a time stamp, a pull quote or a
turn of the talk; tidied of what pages wrap or glue to it; what sits above it is page furniture."""

import pytest

from mt.ingest.title import candidates, clean_title

QA = "\n\nQ: Why did the wells dry up?\n\nA: There was no rain.\n\nQ: And now?\n\nA: We wait."
INTRO = "The council met on Monday in Daraa to discuss the water supply of the town, officials said.\n\n"


@pytest.mark.parametrize("furniture", [
    "Home » News » Interviews",
    "تحميل المجلة الالكترونية عدد 1078\n\nبحث",
    "20:10:00",
    "15:57 21.09.2024 •",
    "Read Transcript EXPAND",
])
def test_furniture_above_the_headline_is_never_the_title(ingest_text, furniture):
    a = ingest_text(furniture + "\n\nWater comes back to Daraa\n\n" + INTRO + QA.strip())
    assert a.title == "Water comes back to Daraa"
    assert not any("Daraa" in t.text and "»" in t.text for t in a.turns)
    assert {d.reason for d in a.dropped if d.text in furniture.split("\n\n")} <= {"page furniture above the title", "category line"}


def test_a_long_pull_quote_is_not_the_headline(ingest_text):
    quote = ("Sergey Lavrov: “Anyone who understands what fairness means knows where it stands, and the whole world can see "
             "how this order is being built, piece by piece, in every region and on every continent that matters”")
    a = ingest_text(quote + "\n\nInterview by the Foreign Minister to a television channel, Moscow, September 2024:\n\n"
                    + INTRO + QA.strip())
    assert a.title != quote


def test_a_question_that_opens_the_talk_is_not_the_headline(ingest_text):
    a = ingest_text("What took you away from criticism?\n\n" + "I studied theatre criticism but never worked in it, " * 4
                    + "\n\nAnd how did you meet the director?\n\nIn Damascus, while he was looking for locations for a film.")
    assert a.title is None
    assert a.turns[0].role == "question" and a.turns[0].text == "What took you away from criticism?"


def test_a_headline_may_ask_or_exclaim(ingest_text):
    assert ingest_text("Can the valley farms survive another dry summer?\n\n" + INTRO + QA.strip()).title == \
        "Can the valley farms survive another dry summer?"
    assert ingest_text("The prime minister talks to us TONIGHT!\n\n" + INTRO + QA.strip()).title == "The prime minister talks to us TONIGHT!"


def test_wrappers_and_a_glued_byline_come_off():
    assert clean_title(':: "Literature brought joy to my heart". – A conversation with an author ::') == \
        '"Literature brought joy to my heart". – A conversation with an author'
    assert clean_title("البروفيسور فلان “العلم نور”./حوار/ حسن خليفة") == "البروفيسور فلان “العلم نور”."
    assert clean_title("Interview by the Minister to a channel, Moscow, 2024:") == "Interview by the Minister to a channel, Moscow, 2024"


def test_the_talk_is_not_searched_for_a_headline():
    texts = ["Q: Why?", "Because.", "A headline-like line below the talk"]
    assert candidates(texts, ["p"] * 3, "en") == []
    texts = ["The council met on Monday and talked for hours.", "A headline-like line below a sentence"]
    assert candidates(texts, ["p"] * 2, "en") == []
