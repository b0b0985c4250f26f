"""Declared site layouts: a page the reader gets wrong is right once its site's markers are declared; a bad layout
file is one line naming the file and the key, and nothing is read."""

import json

import numpy as np
import pytest

from mt.errors import InputError
from mt.ingest import ReadOptions, ingest_bytes, ingest_paths
from mt.ingest.layouts import SiteLayout, load_layouts, parse_layouts
from mt.store import Store
from tests.helpers import mt, roles

PAGE = """Night shift at the bakery

The last bakery in the old quarter still runs through the night. Its owner, Wael Nasr, spoke to the station's morning programme.

HOST >> Good morning, Wael, and thank you for coming straight from the ovens.

WAEL >> Good morning. I still smell of bread, I am afraid.

HOST >> Tell us first how many loaves you bake in one night now.

WAEL >> About four thousand. Before the power cuts it was six thousand, but the generator cannot run both ovens.

HOST >> And the price of flour this month.

WAEL >> It went up again, by a fifth. We have not raised the price of bread yet, but we cannot hold it much longer.
"""

LAYOUT = """
[[site]]
name = "morning programme"
match = ["radio.example", "bakery-*.txt"]
question = "HOST >>"
answer = ["WAEL >>"]
"""


def test_the_reader_alone_gets_this_page_wrong():
    (a,) = ingest_bytes(PAGE.encode(), "bakery-1.txt")
    assert "question" not in roles(a)


def test_a_declared_layout_makes_it_right():
    (a,) = ingest_bytes(PAGE.encode(), "bakery-1.txt", options=ReadOptions(layouts=parse_layouts(LAYOUT)))
    assert roles(a) == ["intro"] + ["question", "answer"] * 3
    assert a.turns[3].text == "Tell us first how many loaves you bake in one night now."
    assert [t.speaker for t in a.turns[1:3]] == ["HOST", "WAEL"]
    assert a.source.layout == "morning programme" and "+" in a.source.reader
    assert not any(">>" in t.text for t in a.turns)


def test_a_layout_applies_by_domain_or_file_pattern_and_nowhere_else():
    layouts = parse_layouts(LAYOUT)
    assert layouts.for_page("news/page.html", "https://www.radio.example/shows/12")
    assert layouts.for_page("corpus/en/bakery-7.txt", None)
    assert layouts.for_page("corpus/en/other.txt", "https://another.example/x") is None
    (a,) = ingest_bytes(PAGE.encode(), "other.txt", options=ReadOptions(layouts=layouts))
    assert a.source.layout is None and "question" not in roles(a)


def test_who_asks_decides_the_role_of_every_label():
    page = ("Lina Haddad: The prices have doubled since the winter.\n\n"
            "Karim Saleh: They have, and most families now buy by the piece.\n\n"
            "Lina Haddad: Even bread.\n\nKarim Saleh: Even bread, yes.")
    layout = parse_layouts('[[site]]\nmatch = "market*.txt"\nasks = ["Karim Saleh"]\n')
    (a,) = ingest_bytes(page.encode(), "market.txt", options=ReadOptions(layouts=layout))
    assert [(t.role, t.speaker) for t in a.turns] == [("answer", "Lina Haddad"), ("question", "Karim Saleh")] * 2


def test_alternate_and_title_line():
    page = ("Weekly notes\n\nA farmer from the valley answered our questions.\n\nRudaw: Thank you for your time.\n\n"
            "It is a pleasure, truly.\n\nWhat will you plant this year, after the floods?\n\nBarley, mostly.\n\n"
            "Why barley and not wheat this time?\n\nIt needs less water and the seed is cheaper.")
    layout = parse_layouts('[[site]]\nmatch = "notes.txt"\nquestion = "Rudaw:"\nunmarked = "alternate"\ntitle_line = 1\n')
    (a,) = ingest_bytes(page.encode(), "notes.txt", options=ReadOptions(layouts=layout))
    assert a.title == "Weekly notes"
    assert roles(a) == ["intro"] + ["question", "answer"] * 3


def test_an_html_headline_by_css_selector():
    page = ("<html><head><title>Site name | Section</title></head><body><article><div class='kicker'>Interviews</div>"
            "<h2 class='headline'>The baker of the old quarter</h2><p>He spoke to us at dawn, between two batches.</p>"
            "<p>Q: How many loaves a night?</p><p>A: Four thousand.</p><p>Q: And before?</p><p>A: Six.</p></article></body></html>")
    layout = parse_layouts('[[site]]\nmatch = "*.html"\ntitle = "h2.headline"\n')
    (a,) = ingest_bytes(page.encode(), "baker.html", options=ReadOptions(layouts=layout))
    assert a.title == "The baker of the old quarter"
    # an XHTML page that declares its encoding (lxml refuses such text unless the declaration goes), with the
    # headline where the reader would never look for one
    xhtml = ('<?xml version="1.0" encoding="utf-8"?>\n' + page).replace("</article>", "</article><footer><span class='hl'>"
                                                                      "Bread before dawn</span></footer>")
    hidden = parse_layouts('[[site]]\nmatch = "*.html"\ntitle = "span.hl"\n')
    (x,) = ingest_bytes(xhtml.encode(), "baker.html", options=ReadOptions(layouts=hidden))
    assert x.title == "Bread before dawn"


@pytest.mark.parametrize("text, key", [
    ('[[site]]\nmatch = "x.com"\nunmarked = "sometimes"\n', "'unmarked'"),
    ('[[site]]\nmatch = "x.com"\nqestion = ["Q:"]\n', "'qestion'"),
    ('[[site]]\nquestion = ["Q:"]\n', "'match'"),
    ('[[site]]\nmatch = "x.com"\nquestion = ["Q:"]\nanswer = ["Q:"]\n', "'Q:'"),
    ('[[site]]\nmatch = "x.com"\ntitle = "h1[[["\n', "'title'"),
    ('[[site]]\nmatch = "x.com"\ntitle_line = -1\n', "'title_line'"),
    ('[[site]]\nmatch = ""\n', "'match'"),
    ('[[site]\nmatch = "x.com"\n', "not valid TOML"),
    ('site = 3\n', "[[site]]"),
    ('[general]\nx = 1\n', "'general'"),
])
def test_a_bad_layout_file_is_one_line_naming_the_file_and_the_key(tmp_path, text, key):
    f = tmp_path / "layouts.toml"
    f.write_text(text, "utf-8")
    with pytest.raises(InputError) as e:
        load_layouts(f)
    msg = str(e.value)
    assert "\n" not in msg and str(f) in msg and key in msg, msg


def test_mt_ingest_layout_reads_the_page_right_and_a_bad_file_reads_nothing(tmp_path):
    page = tmp_path / "bakery-2.txt"
    page.write_text(PAGE, "utf-8")
    good, bad = tmp_path / "layouts.toml", tmp_path / "bad.toml"
    good.write_text(LAYOUT, "utf-8")
    bad.write_text('[[site]]\nmatch = "x.com"\nunmarked = "never"\n', "utf-8")
    db = tmp_path / "c.db"
    r = mt("ingest", page, "--db", db, "--layout", bad)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "bad.toml" in r.stderr and "'unmarked'" in r.stderr
    assert not db.exists() or not Store(db).list_articles()
    r = mt("ingest", page, "--db", db, "--layout", good, "-q")
    assert r.returncode == 0, r.stderr
    assert [t["role"] for t in json.loads(r.stdout)["turns"]] == ["intro"] + ["question", "answer"] * 3


def test_reading_again_with_a_layout_is_a_new_version_and_reading_the_same_is_not(tmp_path):
    page = tmp_path / "bakery-3.txt"
    page.write_text(PAGE, "utf-8")
    with Store(tmp_path / "c.db") as store:
        first = ingest_paths([page], store=store)
        again = ingest_paths([page], store=store)
        assert first.new_ids and not again.new_ids and not again.reread
        declared = ingest_paths([page], store=store, options=ReadOptions(layouts=parse_layouts(LAYOUT)))
        (new,) = declared.new_ids
        assert "turns differ" in declared.reread[new] and "new version" in declared.reread[new]
        old = first.articles[0].id
        assert store.earlier_versions(new) == [old] and store.later_versions(old) == [new]
        assert [t.role for t in store.get_article(old).turns] == ["paragraph"] * 7  # the earlier reading is kept as it was
        assert not ingest_paths([page], store=store, options=ReadOptions(layouts=parse_layouts(LAYOUT))).new_ids
        # the layout taken away: the first reading is the one read, and the current version again
        back = ingest_paths([page], store=store)
        assert [a.id for a in back.articles] == [old] and not back.new_ids and "current again" in back.reread[old]
        assert store.later_versions(old) == [] and store.earlier_versions(old) == [new]


def test_alternation_declared_and_labels_alone_on_their_lines_agree():
    page = "Intro of the page.\n\nQ:\n\nWhat is it?\n\nA:\n\nIt is a thing.\n\nQ:\n\nWhy?\n\nA:\n\nBecause."
    layout = parse_layouts('[[site]]\nmatch = "alone.txt"\nunmarked = "alternate"\n')
    (a,) = ingest_bytes(page.encode(), "alone.txt", options=ReadOptions(layouts=layout))
    assert [(t.role, t.text) for t in a.turns][1:] == [("question", "What is it?"), ("answer", "It is a thing."),
                                                       ("question", "Why?"), ("answer", "Because.")]


def test_a_declared_marker_opens_its_turn_even_below_a_label_alone():
    # "— …" below a label alone would be that label's text; the site declares "—" opens an answer, and it does
    page = "Intro of the page.\n\nQ:\n— The wells are dry.\n\nQ: Why?\n\n— No rain."
    layout = parse_layouts('[[site]]\nmatch = "dash.txt"\nanswer = ["—"]\n')
    (a,) = ingest_bytes(page.encode(), "dash.txt", options=ReadOptions(layouts=layout))
    assert ("answer", "The wells are dry.") in [(t.role, t.text) for t in a.turns]
    (plain,) = ingest_bytes(page.encode(), "dash.txt")
    assert ("answer", "The wells are dry.") not in [(t.role, t.text) for t in plain.turns]


def test_where_page_and_layout_leave_a_piece_no_tag_the_layout_wins():
    # no layout the TOML format can express conflicts with the page's own constraints today; one that did must not
    # leave a piece with no tag at all (every score -inf), so the combination is checked on a layout that conflicts
    from mt.ingest import crf
    from mt.ingest.readers import read_text
    from mt.ingest.segment import read_pieces

    class OpensEverything(SiteLayout):
        def constraints(self, pieces, view):
            ok = np.zeros((len(pieces), crf.T), dtype=bool)
            ok[:, crf.BA] = True
            return ok

    blocks = read_text("Intro of the page.\n\nQ:\nThe wells are dry.\n\nA:\nNo rain.")
    r = read_pieces(blocks[0].blocks, "en", layout=OpensEverything(match=("x",)))
    below = [i for i, p in enumerate(r.pieces) if p.text == "The wells are dry."]
    assert below and r.tags[below[0]] == crf.BA
