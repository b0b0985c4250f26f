"""HTML pages, Markdown and JSON inputs."""

import json

import pytest

from mt.errors import InputError
from mt.ingest import ingest_bytes
from tests.helpers import roles

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Daraa council head: ‘We will fix the wells’ | Syria Direct</title>
<meta property="og:title" content="Daraa council head: ‘We will fix the wells’">
<meta property="article:published_time" content="2015-05-11T09:00:00+00:00">
<meta name="author" content="Mohammed al-Haj Ali">
<link rel="canonical" href="https://syriadirect.org/news/daraa-council-wells/">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/about">About</a></li></ul></nav>
<article>
<h1>Daraa council head: ‘We will fix the wells’</h1>
<p class="byline">By Mohammed al-Haj Ali</p>
<p>The local council of Daraa met on Monday to discuss the collapse of the water supply in the province, officials said.</p>
<p>Abu Ahmad, the head of the council, spoke about the repairs and who will pay for them in a long conversation.</p>
<p><strong>Why did the wells dry up this year?</strong></p>
<p>There was no rain in the winter, and the pumps had no fuel for months because of the siege on the area.</p>
<p>We asked for help from every organisation we know, but nobody answered our letters.</p>
<figure><img src="/img/wells-small.jpg" alt="A well"><figcaption>A dry well near Daraa. Photo courtesy of the council.</figcaption></figure>
<p><b>Who will pay for the repairs of the pumps?</b></p>
<p>The council will pay from its own budget, which is very small after four years of war in the province.</p>
<div class="share">Share this article <a href="#">Facebook</a> <a href="#">Twitter</a></div>
</article>
<aside><h3>Related articles</h3><ul><li><a href="/a">Another story about Homs</a></li></ul></aside>
<footer><p>© 2015 Syria Direct. All rights reserved.</p></footer>
<script>var x = "<p>not text</p>";</script>
</body></html>"""


def test_html_page_with_bold_questions():
    (a,) = ingest_bytes(PAGE.encode(), "page.html")
    assert a.source.format == "html"
    assert a.title == "Daraa council head: ‘We will fix the wells’"
    assert a.date == "2015-05-11"
    assert a.source.url == "https://syriadirect.org/news/daraa-council-wells/"
    assert a.byline.interviewer == "Mohammed al-Haj Ali"
    assert roles(a) == ["intro", "intro", "question", "answer", "question", "answer"]
    assert a.turns[3].text.count("\n\n") == 1
    body = " ".join(t.text for t in a.turns)
    for chrome in ("Home", "Related articles", "All rights reserved", "not text", "Another story"):
        assert chrome not in body
    assert any(d.reason == "photo caption" and "Photo courtesy" in d.text for d in a.dropped)


def test_truncated_html_still_ingests():
    cut = PAGE[: PAGE.index("<p><b>Who will pay")]
    (a,) = ingest_bytes(cut.encode(), "cut.html")
    assert roles(a)[:4] == ["intro", "intro", "question", "answer"]


def test_html_detected_by_content_without_extension():
    (a,) = ingest_bytes(PAGE.encode(), "saved-page")
    assert a.source.format == "html"


def test_html_with_no_article():
    with pytest.raises(InputError, match="no article text"):
        ingest_bytes(b"<html><head><title>x</title></head><body><nav><a href='/'>Home</a></nav></body></html>", "empty.html")


def test_html_in_windows_1256_with_meta_charset():
    page = ('<html lang="ar"><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1256"><title>عنوان</title></head>'
            "<body><article><h1>أزمة المياه في درعا</h1><p>اجتمع المجلس المحلي يوم الاثنين في درعا لمناقشة أزمة المياه في المحافظة، بحسب مسؤولين في المجلس.</p>"
            "<p>س: لماذا جفت الآبار هذا العام في كل المحافظة؟</p><p>ج: لم يهطل المطر في الشتاء، ولم يكن لدى المضخات وقود منذ أشهر.</p></article></body></html>")
    (a,) = ingest_bytes(page.encode("cp1256"), "ar.html")
    assert a.lang == "ar" and a.source.encoding == "cp1256"
    assert roles(a) == ["intro", "question", "answer"]


def test_markdown_front_matter_images_and_lists():
    md = (
        "---\ntitle: Water in Daraa\ndate: 2015-05-11\nauthor: Mohammed al-Haj Ali\nurl: https://example.org/a\n---\n\n"
        "The council met on Monday.\n\n![A dry well](well.jpg)\n\n- **Why?**\n- Because.\n\nQ: Really?\n\nYes."
    )
    (a,) = ingest_bytes(md.encode(), "a.md")
    assert (a.title, a.date, a.source.url) == ("Water in Daraa", "2015-05-11", "https://example.org/a")
    assert any(d.reason == "image in the text" and d.text == "A dry well" for d in a.dropped)
    assert "![" not in " ".join(t.text for t in a.turns)


def test_json_single_and_list():
    one = {"title": "Water", "date": "May 11, 2015", "url": "https://x.org/1", "text": "The council met.\n\nQ: Why?\n\nNo rain."}
    (a,) = ingest_bytes(json.dumps(one).encode(), "one.json")
    assert (a.title, a.date, a.source.url) == ("Water", "2015-05-11", "https://x.org/1")
    assert roles(a) == ["intro", "question", "answer"]
    many = [one, {"headline": "ماء", "body": "<p>اجتمع المجلس.</p><p>س: لماذا؟</p><p>ج: لا مطر.</p>"}]
    arts = ingest_bytes(json.dumps(many, ensure_ascii=False).encode(), "many.json")
    assert [x.lang for x in arts] == ["en", "ar"]
    assert arts[0].id != arts[1].id


def test_json_roundtrip_of_our_own_output():
    src = "Water crisis\n\nThe council met.\n\nQ: Why?\n\nNo rain.\n\nAnd no fuel.\n\nQ: Next?\n\nWait."
    (a,) = ingest_bytes(src.encode(), "a.txt")
    (b,) = ingest_bytes(json.dumps(a.to_dict()).encode(), "a.json")
    assert [(t.role, t.text) for t in b.turns] == [(t.role, t.text) for t in a.turns]
    assert b.title == a.title


@pytest.mark.parametrize("data,msg", [
    (b'{"title": "x", "text": ', "malformed JSON at line 1"),
    (b'{"title": "x"}', "no article text"),
    (b"[]", "empty list"),
    (b"[1, 2]", "not an object"),
])
def test_bad_json(data, msg):
    with pytest.raises(InputError, match=msg):
        ingest_bytes(data, "bad.json")
