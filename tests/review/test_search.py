"""The concordance: folding, the lazily synced FTS5 index, order and filters, highlights, and ``mt corpus search``."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from mt.errors import InputError
from mt.records import Article, Byline, CorpusBead, Pairing, Source
from mt.review.search import fold, fold_with_map, highlight_html, search, sync_index
from mt.store import Store
from tests.helpers import mt

HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"

# article -> (Arabic, English, status) of its sentence beads, in order
BEADS = {
    "a-en": [
        ("كَتَبَ المُعَلِّمُ الدَّرْسَ في المدرسة", "The Teacher wrote the lesson at the school.", "unreviewed"),
        ("أعلن المجلس المحلي إغلاق المدرسة", "The local council announced the school's closure.", "rejected"),
        ("مستشفى في مدينة حلب", "A hospital in ALEPPO city.", "edited"),
    ],
    "b-en": [
        ("اعلن المجلس عن مدرسه جديده الى الشمال", "The council opened a new school.", "accepted"),
        (HOSTILE + " إلى", HOSTILE + ' [bold]markup[/bold] he said "no" twice', "unreviewed"),
        ("عمر الطالب ٤٥ سنة", "The student is 45 years old.", "unreviewed"),
    ],
    "c-en": [("نص قديم", "Text as first aligned.", "unreviewed")],  # nobody reviewed it: a new alignment may replace it
}


def build(db, beads: dict[str, list[tuple[str, str, str]]]) -> None:
    """A store with these articles (each English one paired with an Arabic one) and their sentence beads."""
    with Store(db) as store:
        for en_id, rows in beads.items():
            ar_id = en_id[:-3] + "-ar"
            for i, lang in ((en_id, "en"), (ar_id, "ar")):
                store.add_article(Article(i, lang, None, None, Byline(), Source(f"{i}.txt", i.ljust(64, "0"), "utf-8", "text"), ()))
            store.replace_beads(en_id, [CorpusBead(en_id=en_id, ar_id=ar_id, level="sentence", ordinal=k, ar=ar, en=en, status=st,
                                                   ar_index=(k,), en_index=(k,), parent=k, role="answer")
                                        for k, (ar, en, st) in enumerate(rows)])
            store.save_pairs([Pairing(en_id, ar_id, 1.0, {}, "manifest")])
            # a turn bead holding the same text: only sentence beads are searched
            store.db.execute("INSERT INTO beads (en_id, ar_id, level, ordinal, ar_index, en_index, role, ar, en, score, origin) "
                             "VALUES (?, ?, 'turn', 0, '[0]', '[0]', 'answer', ?, ?, 1.0, 'human')",
                             (en_id, ar_id, " ".join(r[0] for r in rows), " ".join(r[1] for r in rows)))
            store.db.commit()


@pytest.fixture()
def store(db):
    build(db, BEADS)
    with Store(db) as s:
        yield s


def ens(res) -> list[str]:
    return [h.en for h in res.hits]


# -- folding ---------------------------------------------------------------------------------------


def test_fold_joins_what_arabic_spelling_leaves_free():
    assert fold("كَتَبَ  الطالبُ") == "كتب الطالب"
    assert fold("أحمد إلى آخر ٱلله") == "احمد الي اخر الله"
    assert fold("مدرسةٌ على مستشفى") == "مدرسه علي مستشفي"
    assert fold("عـــام ٤٥٠ ۱۲ \u200fHello\u202b WORLD ") == "عام 450 12 hello world"
    assert fold("ﻻ Ｆｕｌｌ Straße") == "لا full strasse"  # presentation forms and full-width letters: NFKC


@pytest.mark.parametrize("text", ["كَتَبَ الطالبُ ـــ إلى", "  Hello\u200f  World ", "ﻻ إله ﷺ", "Straße ǅ ﬁne İ", "\u1100\u1161\u11a8 한",
                                  "ا\u0654 e\u0301\u0301", "Ｆｕｌｌ ① ٤٥", "\u0651\u064e", ""])
def test_fold_with_map_is_fold_and_points_into_the_text(text):
    folded, where = fold_with_map(text)
    assert folded == fold(text)
    assert len(where) == len(folded) and where == sorted(where) and all(0 <= i < len(text) for i in where)


# -- matching --------------------------------------------------------------------------------------


def test_arabic_matches_with_and_without_diacritics_both_ways(store):
    # the stored text has diacritics, the query none
    assert ens(search(store, "المعلم الدرس")) == [BEADS["a-en"][0][1]]
    # the query has them, the stored text none
    assert ens(search(store, "مُسْتَشْفَى")) == [BEADS["a-en"][2][1]]
    assert ens(search(store, "حَلَب")) == [BEADS["a-en"][2][1]]  # a short word (3 letters once folded)
    assert search(store, "المعلمة").total == 0  # folding is not fuzzy


def test_alef_ya_and_ta_marbuta_variants_match_each_other(store):
    council = {BEADS["a-en"][1][1], BEADS["b-en"][0][1]}
    assert set(ens(search(store, "أعلن المجلس"))) == council  # أ against ا
    assert set(ens(search(store, "اعلن المجلس"))) == council
    assert set(ens(search(store, "إلى"))) == {BEADS["b-en"][0][1], BEADS["b-en"][1][1]}  # إلى / الى
    assert set(ens(search(store, "مدرسة"))) == {BEADS["a-en"][0][1], BEADS["a-en"][1][1], BEADS["b-en"][0][1]}  # ة / ه
    assert ens(search(store, "مستشفي")) == [BEADS["a-en"][2][1]]  # ي against ى
    assert ens(search(store, "45 سنه", lang="ar")) == [BEADS["b-en"][2][1]]  # Western digits find ٤٥


def test_english_ignores_case_and_takes_fts_syntax_literally(store):
    assert ens(search(store, "aleppo")) == ens(search(store, "ALEPPO")) == [BEADS["a-en"][2][1]]
    assert ens(search(store, "THE TEACHER")) == [BEADS["a-en"][0][1]]
    assert ens(search(store, 'said "no"')) == [BEADS["b-en"][1][1]]  # quotes inside the term: doubled for FTS5
    assert ens(search(store, '"')) == [BEADS["b-en"][1][1]]  # a quote alone is a character like any other
    for term in ('no" OR "the', "council*", "NEAR(council school)", "en: council", "AND"):
        assert search(store, term).total == 0, term  # literal text, never query syntax


def test_short_terms_scan_the_folded_columns(store):
    assert set(ens(search(store, "45"))) == {BEADS["b-en"][2][1]}  # ٤٥ folded on the Arabic side, 45 on the English
    assert search(store, "٤٥", lang="en").total == 1 and search(store, "٤٥", lang="ar").hits[0].ar_spans == ((11, 13),)
    assert set(ens(search(store, "حل"))) == {BEADS["a-en"][1][1], BEADS["a-en"][2][1]}  # inside المحلي and حلب
    assert search(store, "x", lang="ar").total == 1 and search(store, "x", lang="en").total == 2
    assert search(store, "q").total == 0


def test_accepted_first_then_edited_unreviewed_rejected_then_article_order(db):
    rows = {"a-en": [("نص", f"line {k}", st) for k, st in enumerate(("rejected", "unreviewed", "accepted", "edited", "unreviewed"))],
            "b-en": [("نص", f"line b{k}", st) for k, st in enumerate(("unreviewed", "accepted", "rejected"))]}
    build(db, rows)
    with Store(db) as s:
        res = search(s, "line")
        assert [(h.en, h.status) for h in res.hits] == [
            ("line 2", "accepted"), ("line b1", "accepted"), ("line 3", "edited"), ("line 1", "unreviewed"),
            ("line 4", "unreviewed"), ("line b0", "unreviewed"), ("line 0", "rejected"), ("line b2", "rejected")]
        assert res.total == 8
        page = search(s, "line", limit=3, offset=2)
        assert ens(page) == ["line 3", "line 1", "line 4"] and page.total == 8
        assert search(s, "line", offset=20).total == 8 and not search(s, "line", offset=20).hits
        assert search(s, "line", limit=0).total == 8
        assert ens(search(s, "نص", status="accepted")) == ["line 2", "line b1"]  # a 2-letter term sorts the same way


def test_status_and_lang_filters(store):
    assert [h.status for h in search(store, "council", status="accepted").hits] == ["accepted"]
    assert search(store, "council", status="rejected").hits[0].en == BEADS["a-en"][1][1]
    assert search(store, "council", status="edited").total == 0
    assert search(store, "script", lang="ar").total == search(store, "script", lang="en").total == 1
    hit = search(store, "script", lang="ar").hits[0]
    assert hit.ar_spans and not hit.en_spans  # the other side is not searched, so not highlighted
    assert search(store, "المجلس", lang="en").total == 0 and search(store, "council", lang="ar").total == 0
    for bad in ({"lang": "fr"}, {"status": "done"}, {"limit": -1}):
        with pytest.raises(InputError):
            search(store, "council", **bad)


@pytest.mark.parametrize("term", ["", "   ", "\u064e\u0651 \u0640", "\u200f"])
def test_an_empty_term_is_refused(store, term):
    with pytest.raises(InputError, match="empty"):
        search(store, term)


def test_a_term_over_500_characters_is_refused(store):
    search(store, "a" * 500)
    with pytest.raises(InputError, match="longer than 500"):
        search(store, "a" * 501)


# -- the index follows the store --------------------------------------------------------------------


def indexed(store) -> dict[int, int]:
    return dict(store.db.execute("SELECT id, version FROM search_state").fetchall())


def test_the_index_holds_every_sentence_bead_once_and_syncs_only_changes(store):
    assert sync_index(store) == 7
    assert indexed(store) == {b.stored_id: b.version for b in store.beads()}  # turn beads left out
    assert store.db.execute("SELECT COUNT(*) FROM search_index").fetchone()[0] == 7
    assert sync_index(store) == 0


def test_the_index_follows_an_edit(store):
    b = next(b for b in store.beads() if b.en.startswith("A hospital"))
    assert search(store, "hospital").total == 1
    store.apply_change(b.en_id, "edit", "Rana", expected={b.stored_id: b.version},
                       upserts=[replace(b, en="A clinic in Aleppo.", ar="عيادة في حلب")])
    assert search(store, "hospital").total == 0 and search(store, "مستشفى").total == 0
    hit = search(store, "clinic").hits[0]
    assert (hit.id, hit.version, hit.ar) == (b.id, b.version + 1, "عيادة في حلب")
    assert indexed(store)[b.stored_id] == b.version + 1
    assert sync_index(store) == 0


def test_the_index_follows_deletions_and_a_new_alignment(store):
    b = next(b for b in store.beads() if b.en.startswith("A hospital"))
    search(store, "hospital")
    store.apply_change(b.en_id, "merge", "Rana", expected={b.stored_id: b.version}, upserts=[], deletes=[b.stored_id])
    assert search(store, "hospital").total == 0 and b.stored_id not in indexed(store)
    (old,) = store.beads("c-en")
    assert search(store, "first aligned").total == 1
    store.replace_beads("c-en", [CorpusBead(en_id="c-en", ar_id="c-ar", level="sentence", ordinal=0, ar="نص جديد", en="Realigned text.")])
    res = search(store, "realigned")
    assert res.total == 1 and res.hits[0].id != old.id
    assert search(store, "first aligned").total == 0 and old.id not in indexed(store)
    assert len(indexed(store)) == len(store.beads())


def test_a_change_made_through_another_connection_is_seen(store):
    assert search(store, "council").total == 2
    with Store(store.path) as other:  # the review app writes through its own connections
        b = next(b for b in other.beads() if b.en.startswith("The council"))
        other.apply_change(b.en_id, "edit", "Rana", expected={b.stored_id: b.version}, upserts=[replace(b, en="The board opened a school.")])
    assert search(store, "council").total == 1 and search(store, "board").total == 1


def test_a_rebuild_forced_by_clearing_the_state_starts_clean(store):
    search(store, "council")
    store.db.execute("DELETE FROM search_state")
    store.db.commit()
    assert sync_index(store) == 7 and search(store, "council").total == 2


# -- highlights ------------------------------------------------------------------------------------


def test_spans_land_on_the_original_text(store):
    for term in ("المعلم الدرس", "مدرسة", "مُسْتَشْفَى", "ALEPPO", "٤٥", "إلى"):
        res = search(store, term)
        assert res.hits, term
        for h in res.hits:
            spans = [(h.ar, s) for s in h.ar_spans] + [(h.en, s) for s in h.en_spans]
            assert spans, term
            for text, (a, b) in spans:
                assert fold(text[a:b]) == fold(term), (term, text[a:b])
    # diacritics inside and right after a match are inside the span: a highlight never cuts a letter from its marks
    (hit,) = search(store, "المعلم الدرس").hits
    ((a, b),) = hit.ar_spans
    assert hit.ar[a:b] == "المُعَلِّمُ الدَّرْسَ"


def test_highlight_html_escapes_everything_and_merges_overlaps():
    text = HOSTILE + " & more"
    out = highlight_html(text, [(0, 8), (4, 13), (len(HOSTILE) + 1, len(HOSTILE) + 2), (100, 200)])
    assert "<script>" not in out and "<img" not in out
    assert out.startswith("<mark>&lt;script&gt;alert</mark>(&#x27;x&#x27;)") and out.count("<mark>") == 2
    assert out.endswith("<mark>&amp;</mark> more")
    assert highlight_html("a<b", []) == "a&lt;b"


def test_a_hostile_bead_is_found_and_rendered_inert(store):
    (hit,) = search(store, "onerror", lang="en").hits
    out = highlight_html(hit.en, hit.en_spans)
    assert "<mark>onerror</mark>" in out and "<img" not in out and "&lt;img src=x <mark>onerror</mark>=alert(1)&gt;" in out


# -- mt corpus search ------------------------------------------------------------------------------


def test_cli_table_and_json(store):
    from typer.testing import CliRunner

    from mt.cli import app

    db = str(store.path)
    r = CliRunner().invoke(app, ["corpus", "search", "مدرسة", "--db", db], env={"COLUMNS": "250", "NO_COLOR": "1"})
    assert r.exit_code == 0, r.output
    assert "3 beads match 'مدرسة' (all shown)" in r.output
    assert r.output.index("The council opened") < r.output.index("The Teacher") < r.output.index("The local council")  # accepted first
    r = CliRunner().invoke(app, ["corpus", "search", "markup", "--db", db], env={"COLUMNS": "250", "NO_COLOR": "1"})
    assert "[bold]markup[/bold]" in r.output and HOSTILE in r.output  # article text is printed, never read as markup
    r = CliRunner().invoke(app, ["corpus", "search", "council", "--db", db, "--json", "--limit", "1", "--status", "accepted"])
    assert r.exit_code == 0, r.output
    (line,) = r.output.splitlines()
    hit = json.loads(line)
    assert (hit["en"], hit["status"], hit["en_spans"]) == ("The council opened a new school.", "accepted", [[4, 11]])


def test_cli_errors_are_one_line(store, tmp_path):
    r = mt("corpus", "search", "council", "--db", store.path, "--lang", "fr")
    assert r.returncode == 2 and r.stderr.strip() == "mt: error: lang must be 'ar' or 'en', not 'fr'"
    r = mt("corpus", "search", "council", "--db", store.path, "--status", "done")
    assert r.returncode == 2 and "status must be one of" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = mt("corpus", "search", "\u064e ", "--db", store.path)
    assert r.returncode == 2 and "empty" in r.stderr
    r = mt("corpus", "search", "council", "--db", tmp_path / "none.db")
    assert r.returncode == 3 and "no corpus store" in r.stderr and not (tmp_path / "none.db").exists()


def test_earlier_versions_of_a_corrected_file_are_not_searched(store):
    assert {h.en_id for h in search(store, "school").hits} == {"a-en", "b-en"}
    store.db.execute("DELETE FROM pairs WHERE en_id = 'a-en'")  # a-en was superseded: the store pairs its new version now
    store.db.commit()
    assert {h.en_id for h in search(store, "school").hits} == {"b-en"}
