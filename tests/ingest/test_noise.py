"""Each kind of noise real scraped pages carry is removed, and kept in ``dropped`` with its reason."""

import pytest

from tests.helpers import roles

BODY_EN = "The council met on Monday in Daraa to discuss the water supply, officials said.\n\nQ: Why now?\n\nBecause the wells dried.\n\nQ: What next?\n\nWe wait for spring rain."
BODY_AR = "اجتمع المجلس المحلي يوم الاثنين في درعا لمناقشة أزمة المياه، بحسب مسؤولين.\n\nس: لماذا الآن؟\n\nج: لأن الآبار جفت.\n\nس: وماذا بعد؟\n\nج: ننتظر مطر الربيع."


def reasons(article):
    return {d.reason for d in article.dropped}


def dropped_text(article, reason):
    return [d.text for d in article.dropped if d.reason == reason]


@pytest.mark.parametrize("line", ["3 min read", "5 minute read", "Reading time: 4 minutes", "3 دقائق للقراءة", "دقيقتان للقراءة", "٣ دقائق للقراءة"])
def test_reading_time(ingest_text, line):
    body = BODY_AR if "د" in line else BODY_EN
    a = ingest_text(f"{line}\n\nTitle of the piece\n\n{body}")
    assert dropped_text(a, "reading-time line") == [line]
    assert a.title == "Title of the piece"


@pytest.mark.parametrize(
    "lines,iso",
    [
        (["23 March 2015", "March 23, 2015"], "2015-03-23"),
        (["23 آذار 2015", "٢٣ مارس ٢٠١٥"], "2015-03-23"),
        (["Monday, November 18, 2015", "18 November، 2015"], "2015-11-18"),
        (["الخميس 19/11/2015"], "2015-11-19"),
        (["Published: 2016-01-05"], "2016-01-05"),
    ],
)
def test_repeated_dates_become_metadata(ingest_text, lines, iso):
    a = ingest_text("A title\n\n" + "\n\n".join(lines) + "\n\n" + BODY_EN)
    assert a.date == iso
    assert dropped_text(a, "date line (kept as metadata)") == lines
    assert roles(a)[0] == "intro"


def test_date_inside_a_sentence_is_not_dropped(ingest_text):
    a = ingest_text("A title\n\nOn March 23, 2015 the council met.\n\n" + BODY_EN)
    assert a.turns[0].text == "On March 23, 2015 the council met."


@pytest.mark.parametrize("teaser", ["March 23, 2015 Earlier this month, the council […]", "Earlier this month the council [...]", "بدأ المجلس هذا الشهر […]"])
def test_teaser(ingest_text, teaser):
    a = ingest_text(f"A title\n\n{teaser}\n\n{BODY_EN}")
    assert dropped_text(a, "teaser (cut summary)") == [teaser]


def test_glued_stray_characters_and_stray_line(ingest_text):
    a = ingest_text("A title\n\nx7Qp zR4\n\nThe first intro paragraph is here.\n\ntAM ip5JIn response, the council met again on Tuesday.\n\n" + BODY_EN)
    assert dropped_text(a, "stray characters glued to a paragraph") == ["tAM ip5J"]
    assert dropped_text(a, "stray characters") == ["x7Qp zR4"]
    assert a.turns[1].text == "In response, the council met again on Tuesday."


def test_brand_names_are_not_stray_characters(ingest_text):
    a = ingest_text("A title\n\niPhone sales in Damascus fell again this year, traders said.\n\n" + BODY_EN)
    assert a.turns[0].text.startswith("iPhone sales")
    assert "stray characters glued to a paragraph" not in reasons(a)


@pytest.mark.parametrize(
    "caption",
    [
        "3-small IS fighters claim control over a neighborhood in south Damascus. Photo courtesy of mnbr.",
        "A destroyed well near Daraa. (Photo: Syria Direct)",
        "صورة: بئر مدمرة قرب درعا",
        "Residents queue for water. AFP PHOTO / Mohamad Abazeed",
    ],
)
def test_photo_captions_between_turns(ingest_text, caption):
    text = BODY_EN.replace("Q: What next?", caption + "\n\nQ: What next?")
    a = ingest_text("A title\n\n" + text)
    assert dropped_text(a, "photo caption") == [caption]
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]


def test_footers_share_follow_and_comment_form(ingest_text):
    footer = [
        "For more from Syria Direct, like us on Facebook or follow us on Twitter.",
        "Share this article",
        "53",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
        "Comment",
    ]
    a = ingest_text("A title\n\n" + BODY_EN + "\n\n" + "\n\n".join(footer))
    assert [d.text for d in a.dropped if "footer" in d.reason] == footer
    assert a.turns[-1].text == "We wait for spring rain."


def test_arabic_footers(ingest_text):
    footer = ["تابعونا على فيسبوك وتويتر", "شارك المقال", "جميع الحقوق محفوظة © 2015"]
    a = ingest_text("عنوان المقال\n\n" + BODY_AR + "\n\n" + "\n\n".join(footer))
    assert [d.text for d in a.dropped if "footer" in d.reason] == footer
    assert a.turns[-1].text == "ننتظر مطر الربيع."


def test_ad_line_and_related_link(ingest_text):
    text = BODY_EN.replace("Q: What next?", "Ad\n\nRelated: Daraa council elects new head\n\nQ: What next?")
    a = ingest_text("A title\n\n" + text)
    assert dropped_text(a, "advertisement") == ["Ad"]
    assert dropped_text(a, "related-article link") == ["Related: Daraa council elects new head"]


def test_pull_quote_between_question_and_answer(ingest_text):
    a = ingest_text(
        "A title\n\nIntro paragraph about the council.\n\nQ: Why did it fail?\n\n"
        "“The wells were never maintained”\n\n"
        "Because the wells were never maintained by anyone since the war began.\n\nQ: Next?\n\nWait."
    )
    assert dropped_text(a, "pull quote (repeats text of the article)") == ["“The wells were never maintained”"]
    assert a.turns[2].text.startswith("Because the wells")


def test_byline_lines_become_metadata(ingest_text):
    a = ingest_text("عنوان المقال\n\nحاوره: محمد الحاج علي\n\n" + BODY_AR)
    assert a.byline.interviewer == "محمد الحاج علي"
    assert dropped_text(a, "byline (kept as metadata)") == ["حاوره: محمد الحاج علي"]
    b = ingest_text("A title\n\nInterview by Mohammed al-Haj Ali\n\n" + BODY_EN)
    assert b.byline.interviewer == "Mohammed al-Haj Ali"


def test_repeated_title_and_repeated_paragraph(ingest_text):
    a = ingest_text("A title for the piece\n\nA title for the piece\n\n" + BODY_EN.replace("Q: Why now?", "The council met on Monday in Daraa to discuss the water supply, officials said.\n\nQ: Why now?"))
    assert dropped_text(a, "repeated title") == ["A title for the piece"]
    assert len(dropped_text(a, "repeated paragraph")) == 1
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]


def test_bidi_controls_and_nbsp_removed_from_stored_text(ingest_text):
    a = ingest_text("A title\n\nThe council\u200f met\u00a0on Monday.\u202c\n\n" + BODY_EN)
    assert a.turns[0].text == "The council met on Monday."


def test_text_is_nfc(ingest_text):
    a = ingest_text("A title\n\nCafe\u0301 owners in Daraa spoke to us.\n\n" + BODY_EN)
    assert a.turns[0].text.startswith("Café owners")


@pytest.mark.parametrize("text,junk,rest", [
    ("Zk3 9fMeanwhile, the city was shelled again by the regime.", "Zk3 9f", "Meanwhile, the city"),
    ("Jq8 zوتتوزع عائلات النازحين اليوم على مخيمات عشوائية.", "Jq8 z", "وتتوزع عائلات"),
])
def test_glued_junk_variants(ingest_text, text, junk, rest):
    a = ingest_text("A title\n\n" + text + "\n\n" + BODY_EN, lang="en" if "Zk3" in text else "auto")
    assert dropped_text(a, "stray characters glued to a paragraph") == [junk]
    assert any(t.text.startswith(rest) for t in a.turns)


@pytest.mark.parametrize("start", ["YouTube videos showed", "McDonald restaurants closed", "iPhone sales fell", "MP3 players sold"])
def test_words_with_odd_capitals_are_kept(ingest_text, start):
    a = ingest_text("A title\n\n" + start + " in Damascus this year, traders said.\n\n" + BODY_EN)
    assert a.turns[0].text.startswith(start)


def test_source_url_line_becomes_metadata(ingest_text):
    a = ingest_text("A title\n\nSource: https://syriadirect.org/news/daraa/\n\n" + BODY_EN + "\n\nhttps://example.org/other")
    assert a.source.url == "https://syriadirect.org/news/daraa/"
    assert dropped_text(a, "source URL (kept as metadata)") == ["Source: https://syriadirect.org/news/daraa/", "https://example.org/other"]


@pytest.mark.parametrize("category,title", [("Interviews", "Daraa council head: ‘We will fix the wells’"), ("حوارات", "رئيس المجلس: «سنصلح الآبار»")])
def test_category_line_above_the_title(ingest_text, category, title):
    body = BODY_AR if category == "حوارات" else BODY_EN
    a = ingest_text(f"{category}\n\n{title}\n\n{body}")
    assert a.title == title
    assert dropped_text(a, "category line") == [category]


def test_short_title_without_category_is_kept_as_title(ingest_text):
    a = ingest_text("Water crisis\n\n" + BODY_EN)
    assert a.title == "Water crisis" and "category line" not in reasons(a)


def test_reblog_stub(ingest_text):
    a = ingest_text("A title\n\n" + BODY_EN + "\n\nReblogged this on Syria Watch and commented:")
    assert a.turns[-1].text == "We wait for spring rain."


@pytest.mark.parametrize("head", ["Home » Interviews", "News / Syria"])
def test_breadcrumb_above_the_title(ingest_text, head):
    a = ingest_text(f"{head}\n\nDaraa council head speaks\n\n{BODY_EN}")
    assert a.title == "Daraa council head speaks"
    assert dropped_text(a, "category line") == [head]


def test_headline_and_deck_are_not_a_category(ingest_text):
    a = ingest_text("Water crisis\n\nDaraa council says the wells are dry\n\n" + BODY_EN)
    assert a.title == "Water crisis" and "category line" not in reasons(a)
