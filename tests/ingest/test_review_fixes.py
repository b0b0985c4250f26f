"""Inputs found in review: line layouts, HTML oddities, JSON shapes, bylines, output errors."""

import json

import pytest

from mt.ingest import ingest_bytes, ingest_paths
from mt.store import Store
from tests.helpers import roles


def one(text: str, name: str = "a.txt"):
    (a,) = ingest_bytes(text.encode("utf-8"), name)
    return a


def test_one_paragraph_per_line_without_blank_lines_ar():
    a = one(
        "أزمة المياه في درعا\n"
        "اجتمع المجلس المحلي يوم الاثنين في درعا لمناقشة أزمة المياه التي تعاني منها المدينة منذ أشهر طويلة دون حل\n"
        "س: لماذا جفت الآبار في المدينة هذا العام بعد سنوات من الاستخدام؟\n"
        "ج: تعطلت المضخات بسبب غياب الوقود ولم يصلنا أي دعم من المنظمات الدولية منذ بداية العام الحالي"
    )
    assert roles(a) == ["intro", "question", "answer"]
    assert a.turns[2].text.startswith("تعطلت المضخات")


def test_hard_wrapped_paragraphs_are_joined():
    wrapped = (
        "Water crisis in Daraa\n\n"
        "The council met on Monday to discuss the water supply. The pumps have\n"
        "been broken since January, officials said, and nobody has repaired the\n"
        "generators.\n\n"
        "Q: Why did the pumps fail?\n\n"
        "There was no fuel for the generators, and the spare parts never came\n"
        "from Damascus because of the siege."
    )
    a = one(wrapped)
    assert a.title == "Water crisis in Daraa"
    assert a.turns[0].text == (
        "The council met on Monday to discuss the water supply. The pumps have been broken since January, "
        "officials said, and nobody has repaired the generators."
    )
    assert roles(a) == ["intro", "question", "answer"]


PAGE_HEAD = "<html lang='ar'><head><title>مقابلة</title></head><body><article><h1>أزمة المياه في درعا</h1>"


def test_interview_inside_one_table_cell():
    page = (PAGE_HEAD + "<table><tr><td>اجتمع المجلس المحلي في درعا مع ناشطين لمناقشة أزمة المياه في المدينة وناشطين.<br><br>"
            "س: لماذا جفت الآبار في المدينة هذا العام؟<br><br>ج: تعطلت المضخات بسبب غياب الوقود منذ أشهر.</td></tr></table>"
            "</article></body></html>")
    a = one(page, "t.html")
    assert roles(a) == ["intro", "question", "answer"]
    assert a.turns[1].text == "لماذا جفت الآبار في المدينة هذا العام؟"


def test_bold_question_and_answer_in_one_paragraph():
    page = ("<html><body><article><h1>Water in Daraa</h1><p>The council met on Monday to discuss the water supply in the city.</p>"
            "<p><strong>Why did the pumps fail this year?</strong><br>The pumps had no fuel for months because of the siege.</p>"
            "<p><strong>Who will repair them after the siege?</strong><br>The council will, with its own small budget.</p>"
            "</article></body></html>")
    a = one(page, "b.html")
    assert roles(a) == ["intro", "question", "answer", "question", "answer"]


def test_xhtml_with_xml_declaration():
    page = ("<?xml version='1.0' encoding='utf-8'?>\n<html xmlns='http://www.w3.org/1999/xhtml'><body><article><h1>Water</h1>"
            "<p>The council met on Monday to discuss the water supply in the city of Daraa.</p><p>Q: Why?</p><p>No rain this winter.</p>"
            "</article></body></html>")
    a = one(page, "x.xhtml")
    assert roles(a) == ["intro", "question", "answer"]


def test_navigation_only_page_is_not_an_article():
    from mt.errors import InputError

    with pytest.raises(InputError, match="no article text"):
        one("<html><body><nav><a href='/'>Home</a> <a href='/n'>News</a></nav><footer>© 2016</footer></body></html>", "n.html")


def test_truncated_html_is_ingested_with_a_warning():
    page = ("<html><body><article><h1>Water</h1><p>The council met on Monday to discuss the water supply in the city of Daraa.</p>"
            "<p>Q: Why did the wells dry?</p><p>There was no rain this winter at all in the")
    a = one(page, "cut.html")
    assert roles(a) == ["intro", "question", "answer"]
    assert a.warnings and a.warnings[0].startswith("truncated HTML page")


def test_year_only_date_guess_is_not_a_date():
    page = ("<html><body><article><h1>Water</h1><p>In July 2015 the council met to discuss the water supply in the city of Daraa.</p>"
            "<p>Q: Why?</p><p>No rain.</p></article></body></html>")
    assert one(page, "d.html").date is None


def test_saved_from_comment_gives_the_url():
    page = ("<!-- saved from url=(0041)https://syriadirect.org/news/water-crisis/ -->\n<html><body><article><h1>Water</h1>"
            "<p>The council met on Monday to discuss the water supply in the city of Daraa.</p><p>Q: Why?</p><p>No rain.</p>"
            "</article></body></html>")
    assert one(page, "s.html").source.url == "https://syriadirect.org/news/water-crisis/"


@pytest.mark.parametrize("payload,title", [
    ({"title": {"rendered": "Water"}, "content": {"rendered": "<p>The council met.</p><p>Q: Why?</p><p>No rain.</p>"}}, "Water"),
    ({"headline": "Water", "articleBody": "The council met.\n\nQ: Why?\n\nNo rain.", "author": {"name": "Leen Hamdan"}}, "Water"),
    ({"articles": [{"title": "Water", "text": "The council met.\n\nQ: Why?\n\nNo rain."}]}, "Water"),
    ({"title": "Water", "text": ["The council met.", "Q: Why?", "No rain."]}, "Water"),
])
def test_common_json_shapes(payload, title):
    a = one(json.dumps(payload), "p.json")
    assert a.title == title
    assert roles(a) == ["intro", "question", "answer"]


def test_author_object_becomes_interviewer():
    a = one(json.dumps({"headline": "Water", "articleBody": "The council met.\n\nQ: Why?\n\nNo rain.", "author": {"name": "Leen Hamdan"}}), "p.json")
    assert a.byline.interviewer == "Leen Hamdan"


def test_reingesting_our_own_output_restores_it(tmp_path, seed_path):
    db = tmp_path / "c.db"
    with Store(db) as s:
        (a,) = ingest_paths([seed_path], store=s).articles
    out = tmp_path / "a.json"
    out.write_text(json.dumps(a.to_dict(), ensure_ascii=False), encoding="utf-8")
    with Store(db) as s:
        r = ingest_paths([out], store=s)
        assert r.new_ids == set() and r.articles[0] == a
        assert len(s.list_articles()) == 1
    (b,) = ingest_bytes(out.read_bytes(), "a.json")
    assert b == a and len(b.dropped) == len(a.dropped)


def test_front_matter_keeps_inner_quotes():
    a = one("---\ntitle: \"Mayor of Daraa: 'We stay'\"\n---\n\nThe council met.\n\nQ: Why?\n\nNo rain.", "f.md")
    assert a.title == "Mayor of Daraa: 'We stay'"


@pytest.mark.parametrize("intro,interviewer,interviewee", [
    ("Syria Direct spoke with Abu Khalid, the mayor of the town, about the siege.", None, "Abu Khalid"),
    ("Abu Khalid, the mayor, spoke to Syria Direct's Justin Schuster about the siege.", "Justin Schuster", "Abu Khalid"),
])
def test_byline_sentences_both_ways(intro, interviewer, interviewee):
    a = one(f"Title here\n\n{intro}\n\nQ: Why?\n\nBecause.")
    assert (a.byline.interviewer, a.byline.interviewee) == (interviewer, interviewee)


def test_dates_with_times_in_the_head():
    a = one("Water in Daraa\n\nMonday 14 March 2016 11:04 GMT\n\nThe council met.\n\nQ: Why?\n\nNo rain.")
    assert a.title == "Water in Daraa" and a.date == "2016-03-14"
