"""The SQLite corpus store: round trips, idempotence, ids, migrations, bad files."""

import sqlite3
from dataclasses import replace

import pytest

from mt.errors import NotFoundError, StoreError
from mt.ingest import ingest_bytes, ingest_paths
from mt.store import SCHEMA_VERSION, Store

TEXT = "Water in Daraa\n\nMay 11, 2015\n\nThe council met.\n\nQ: Why?\n\nNo rain.\n\nAnd no fuel.\n\nShare this article"


def test_round_trip_keeps_everything(db):
    (a,) = ingest_bytes(TEXT.encode(), "a.txt")
    with Store(db) as s:
        assert s.add_article(a) is True
        b = s.get_article(a.id)
    assert b == a


def test_ingesting_twice_changes_nothing(db, write):
    p = write("a.txt", TEXT)
    with Store(db) as s:
        first = ingest_paths([p], store=s)
        before = s.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0], s.db.execute("SELECT COUNT(*) FROM turns").fetchone()[0]
        second = ingest_paths([p], store=s)
        after = s.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0], s.db.execute("SELECT COUNT(*) FROM turns").fetchone()[0]
    assert first.new_ids == {"a-en"} and second.new_ids == set()
    assert before == after == (1, 3)
    assert second.articles[0] == first.articles[0]


def test_same_name_other_content_gets_its_own_id(db, write, tmp_path):
    p1 = write("one/a.txt", TEXT)
    p2 = write("two/a.txt", TEXT.replace("No rain.", "No rain at all."))
    with Store(db) as s:
        r = ingest_paths([p1, p2], store=s)
        ids = [a.id for a in r.articles]
        assert ids[0] == "a-en" and ids[1].startswith("a-en-") and len(set(ids)) == 2
        assert [x.id for x in s.list_articles()] == sorted(ids)


def test_list_counts(db, write):
    with Store(db) as s:
        ingest_paths([write("a.txt", TEXT)], store=s)
        (row,) = s.list_articles()
    assert (row.turns, row.questions, row.dropped, row.date) == (3, 1, 3, "2015-05-11")


def test_missing_article(db):
    with Store(db) as s, pytest.raises(NotFoundError, match="no article 'nope'"):
        s.get_article("nope")


def test_schema_version_is_recorded_and_newer_refused(db):
    Store(db).close()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer than this mt"):
        Store(db)


def test_not_a_database(write, tmp_path):
    with pytest.raises(StoreError, match="cannot open store"):
        Store(write("x.db", "this is not sqlite" * 100))
    with pytest.raises(StoreError, match="directory"):
        Store(tmp_path)


def test_failed_write_leaves_no_partial_article(db):
    (a,) = ingest_bytes(TEXT.encode(), "a.txt")
    from dataclasses import replace

    from mt.records import Turn

    bad = replace(a, turns=a.turns + (Turn(0, "question", "duplicate index"),))
    with Store(db) as s:
        with pytest.raises(StoreError):
            s.add_article(bad)
        assert s.list_articles() == []
        assert s.db.execute("SELECT COUNT(*) FROM turns").fetchone()[0] == 0


def test_store_creates_its_folder(tmp_path):
    with Store(tmp_path / "new" / "dir" / "c.db") as s:
        assert s.list_articles() == []
    assert (tmp_path / "new" / "dir" / "c.db").exists()


def test_a_store_failure_stops_an_ingest_batch_instead_of_passing_for_a_bad_file(db, write, monkeypatch):
    from mt.ingest import ingest_paths

    a = write("a.txt", "Water in Daraa\n\nThe council met on Monday.\n\nQ: Why?\n\nNo rain.")
    b = write("b.txt", "Bread in Homs\n\nThe bakery closed on Friday.\n\nQ: Why?\n\nNo flour.")
    with Store(db) as store:
        real = store.add_article
        calls = []

        def failing(article):
            calls.append(article.id)
            if len(calls) > 1:
                raise StoreError(f"store {db}: database or disk is full")
            return real(article)

        monkeypatch.setattr(store, "add_article", failing)
        with pytest.raises(StoreError, match="disk is full"):
            ingest_paths([a, b], store=store)
        assert [x.id for x in store.list_articles()] == [calls[0]]  # what was stored stays stored


def test_schema_9_keeps_beads_their_ids_and_the_ids_already_handed_out(tmp_path):
    from mt.store.sqlite import MIGRATIONS

    path = tmp_path / "v8.db"
    con = sqlite3.connect(path)
    for v, sql in enumerate(MIGRATIONS[:8]):
        con.executescript("BEGIN;" + sql + f"; PRAGMA user_version = {v + 1}; COMMIT;")
    con.execute("INSERT INTO articles (id, sha256, lang, path, encoding, format, ingested_at) VALUES ('a-en', 'x', 'en', 'a', 'utf-8', 'text', '')")
    for i in (1, 2, 3):
        con.execute("INSERT INTO beads (id, en_id, level, ordinal, ar_index, en_index, role, ar, en, score, origin, status, version) "
                    "VALUES (?, 'a-en', 'sentence', ?, '[0]', '[0]', 'answer', 'ع', 'e', 0.9, 'human', 'accepted', 2)", (i, i))
    con.execute("DELETE FROM beads WHERE id = 3")  # merged away: id 3 stays taken
    con.commit()
    con.close()
    with Store(path) as s:
        assert s.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert [(b.id, b.status, b.version) for b in s.beads("a-en")] == [(1, "accepted", 2), (2, "accepted", 2)]
        s.db.execute("INSERT INTO beads (en_id, level, ordinal, ar_index, en_index, role, ar, en, score, origin, status) "
                     "VALUES ('a-en', 'sentence', 9, '[]', '[]', 'answer', '', 'e', 1, 'human', 'edited')")  # the new status
        assert s.db.execute("SELECT MAX(id) FROM beads").fetchone()[0] == 4
        assert s.secret("csrf") == s.secret("csrf") and len(s.secret("csrf")) >= 24


def test_schema_10_keeps_every_article_and_what_points_at_it_and_lets_bytes_be_read_twice(tmp_path):
    from mt.store.sqlite import MIGRATIONS

    path = tmp_path / "v9.db"
    con = sqlite3.connect(path)
    con.execute("PRAGMA foreign_keys = ON")  # as the store runs: the rebuild must not cascade into turns or beads
    for v, sql in enumerate(MIGRATIONS[:9]):
        con.executescript("BEGIN;" + sql + f"; PRAGMA user_version = {v + 1}; COMMIT;")
    for i in ("b-en", "a-en"):
        con.execute("INSERT INTO articles (id, sha256, lang, path, encoding, format, ingested_at) "
                    "VALUES (?, ?, 'en', 'a.txt', 'utf-8', 'text', '')", (i, i * 8))
        con.execute("INSERT INTO turns (article_id, idx, role, text) VALUES (?, 0, 'question', 'Why?')", (i,))
    con.execute("INSERT INTO beads (id, en_id, level, ordinal, ar_index, en_index, role, ar, en, score, origin, status, version) "
                "VALUES (7, 'a-en', 'turn', 0, '[0]', '[0]', 'question', 'لماذا؟', 'Why?', 0.9, 'human', 'accepted', 3)")
    con.commit()
    con.close()
    with Store(path) as s:
        assert s.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert [a.id for a in s.list_articles()] == ["a-en", "b-en"]
        assert [t.text for t in s.get_article("a-en").turns] == ["Why?"] and s.get_article("a-en").source.reader == ""
        assert [(b.id, b.status, b.version) for b in s.beads("a-en", level="turn")] == [(7, "accepted", 3)]
        assert s.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.earlier_versions("a-en") == ["b-en"]  # rowid order kept: b-en was ingested first
        with pytest.raises(sqlite3.IntegrityError):  # foreign keys are enforced again after the rebuild
            s.db.execute("INSERT INTO turns (article_id, idx, role, text) VALUES ('nobody', 0, 'question', 'x')")
        s.db.rollback()
        a = s.get_article("a-en")
        again = replace(a, id="a-en-2", source=replace(a.source, reader="other"))
        assert s.add_article(again) and not s.add_article(replace(again, id="a-en-3"))
        assert s.find_article(a.source.sha256) == "a-en-2" and s.find_article(a.source.sha256, reader="") == "a-en"
        assert s.make_current("a-en") and s.earlier_versions("a-en") == ["b-en", "a-en-2"] and not s.make_current("a-en")
        other = replace(a, id="z-en", source=replace(a.source, sha256="f" * 64, path="elsewhere/z.txt"))
        assert s.add_article(other) and not s.make_current("a-en")  # another file's article is no later version


def test_schema_10_opens_a_store_with_rows_that_already_pointed_at_nothing(tmp_path):
    from mt.store.sqlite import MIGRATIONS

    path = tmp_path / "v9.db"
    con = sqlite3.connect(path)  # foreign keys off, as in the sqlite3 shell: an article deleted by hand leaves its turns
    for v, sql in enumerate(MIGRATIONS[:9]):
        con.executescript("BEGIN;" + sql + f"; PRAGMA user_version = {v + 1}; COMMIT;")
    con.execute("INSERT INTO turns (article_id, idx, role, text) VALUES ('gone-en', 0, 'question', 'Why?')")
    con.commit()
    con.close()
    with Store(path) as s:
        assert s.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_change_based_on_a_bead_deleted_since_it_was_read_is_refused(tmp_path):
    """The store's own stale check: the app checks first, but only this check closes the race between the two."""
    from mt.errors import ConflictError
    from mt.records import Article, Byline, CorpusBead, Source
    from mt.store import Store

    with Store(tmp_path / "s.db") as s:
        for i, lang in (("x-en", "en"), ("x-ar", "ar")):
            s.add_article(Article(i, lang, None, None, Byline(), Source(f"{i}.txt", i.ljust(64, "0"), "utf-8", "text"), ()))
        s.replace_beads("x-en", [CorpusBead(en_id="x-en", ar_id="x-ar", level="sentence", ordinal=k, ar=f"ع {k}", en=f"E {k}",
                                            pos=float(k)) for k in range(2)])
        a, b = s.beads("x-en")
        # someone merges b into a after the reviewer read b
        s.apply_change("x-en", "merge", "Omar", expected={a.stored_id: 1, b.stored_id: 1},
                       upserts=[CorpusBead(**{**a.__dict__, "en": "E 0 E 1", "ar": "ع 0 ع 1"})], deletes=[b.stored_id])
        with pytest.raises(ConflictError, match=f"bead {b.stored_id} changed"):
            s.apply_change("x-en", "edit", "Rana", expected={b.stored_id: 1},
                           upserts=[CorpusBead(**{**b.__dict__, "en": "Rana's edit."})])
        assert [x.en for x in s.beads("x-en")] == ["E 0 E 1"]  # the deleted bead did not come back with Rana's text


def test_lexicon_counts_give_the_links_asked_for_and_totals_over_every_word(tmp_path):
    from mt.records import LexiconSource

    with Store(tmp_path / "s.db") as store:
        for name, links in (("doc:a", [("كتاب", "book", 2.0), ("كتاب", "the", 0.5), ("بيت", "house", 1.0)]),
                            ("doc:b", [("كتاب", "book", 1.0), ("كتاب", "letter", 0.25)])):
            store.replace_lexicon_source(LexiconSource(name, 1, 0, "", 0, ""), {"ar>en": links})
        triples, totals = store.lexicon_counts("ar>en", ["كتاب", "قلم"], ["book", "pen"])
        assert triples == [("كتاب", "book", 3.0)]
        assert totals == {"كتاب": 3.75}  # every word the from-word links to, not only those asked for
        triples, totals = store.lexicon_counts("ar>en", ["كتاب"], ["book"], exclude=("doc:b",))
        assert triples == [("كتاب", "book", 2.0)] and totals == {"كتاب": 2.5}


def test_a_sources_packed_links_read_back_exactly_and_json_blobs_still_read(tmp_path):
    import json
    import zlib

    from mt.records import LexiconSource
    from mt.store.lexicon import PACKED, pack_links, unpack_links

    src, tgt, counts = ["كتاب", "كتاب", "", "it's"], ["book", "the", "x", "هو"], [2.0, 0.1 + 0.2, 1e-300, 123456.654321]
    blob = pack_links(src, tgt, counts)
    assert blob.startswith(PACKED) and unpack_links(blob) == (src, tgt, counts)  # every bit of every count
    assert unpack_links(pack_links([], [], [])) == ([], [], [])
    for odd in (["a\nb", "c"], ["a\0b", "c"]):  # a word the packing cannot hold: written as JSON, read the same
        blob = pack_links(odd, ["x", "y"], [1.0, 2.0])
        assert not blob.startswith(PACKED) and unpack_links(blob) == (odd, ["x", "y"], [1.0, 2.0])
    with Store(tmp_path / "s.db") as store:
        # a store written before the packing: its JSON blob is taken back when the source is redone
        store.replace_lexicon_source(LexiconSource("doc:a", 1, 0, "", 0, ""), {"ar>en": [("كتاب", "book", 2.0), ("بيت", "house", 1.0)]})
        old = zlib.compress(json.dumps([["كتاب", "بيت"], ["book", "house"], [2.0, 1.0]], ensure_ascii=False).encode("utf-8"), 1)
        store.db.execute("UPDATE lexicon_counts SET data = ? WHERE source = 'doc:a'", (old,))
        store.db.commit()
        store.replace_lexicon_source(LexiconSource("doc:a", 1, 0, "", 0, ""), {"ar>en": [("كتاب", "book", 0.5)]})
        assert store.lexicon_counts("ar>en", ["كتاب", "بيت"], ["book", "house"]) == ([("كتاب", "book", 0.5)], {"كتاب": 0.5})


def test_reading_the_lexicon_searches_by_the_words_asked_for(tmp_path):
    """The read looks up each asked word in the totals' key, so its cost follows the document, not the store's size."""
    from mt.store.lexicon import LINKS_FROM_ASKED

    with Store(tmp_path / "s.db") as store:
        store.lexicon_counts("ar>en", ["كتاب"], ["book"])  # makes the temp table the read joins
        plan = " | ".join(r[-1] for r in store.db.execute("EXPLAIN QUERY PLAN " + LINKS_FROM_ASKED, ("ar>en",)))
        assert "SCAN f" in plan and "SEARCH t USING PRIMARY KEY (direction=? AND src=?)" in plan, plan


def test_counts_are_rounded_as_python_rounds_them():
    """The stored counts are rounded by array arithmetic: the numbers Python's round gives, halves and their neighbours
    included (a count added to the totals must be exactly the one taken back)."""
    import math

    import numpy as np

    from mt.store.lexicon import rounded

    rng = np.random.default_rng(5)
    values = list(rng.random(20000) * 10.0 ** rng.integers(-8, 6, 20000))
    for k in range(1, 3000):
        half = (k + 0.5) / 1e6
        values += [half, math.nextafter(half, 0), math.nextafter(half, 1), k / 1e6, (k + 0.5) / 1e3]
    values += [0.0, 5e-7, 2.5e-6, 1.45e-05, 1000.0000005, 1e15 + 0.5, 2.0**53, 1e300, 1e303]
    got, want = rounded(values, 6), [round(v, 6) for v in values]
    assert [v for v, g, w in zip(values, got, want) if g != w] == []
    assert rounded([0.1234565, 2.0000005], 3) == [round(0.1234565, 3), round(2.0000005, 3)]
