"""What mutation testing found no test pinned in the store: the cache beyond one query's parameter limit,
the pairing's evidence, earlier versions by file name, and what counts as reviewed."""

from __future__ import annotations

import pytest

from mt.errors import StoreError
from mt.ingest import ingest_bytes
from mt.records import CachedTranslation, CorpusBead, Pairing
from mt.store import Store

ARTICLE = "Water in Daraa\n\nThe council met on Monday.\n\nQ: Why?\n\nNo rain.\n\nQ: Next?\n\nWait."


def test_the_cache_answers_for_more_keys_than_one_query_may_bind(db):
    rows = [CachedTranslation(f"k{i:05d}", "lexicon", "m", "{}", "ar", "en", f"s{i}", f"t{i}") for i in range(1234)]
    with Store(db) as store:
        store.cache_translations(rows)
        got = store.cached_translations([r.key for r in rows] + ["missing"])
        (stamp,) = store.db.execute("SELECT DISTINCT created_at FROM translations").fetchone()
    assert got == {r.key: r.target for r in rows}
    assert stamp and stamp.endswith("+00:00")


def _articles(store, *ids: str) -> None:
    """Articles under these ids (the store's pairs and beads refer to real articles)."""
    from dataclasses import replace

    for k, i in enumerate(ids):
        text = ARTICLE if i.endswith("-en") else "مياه درعا\n\nاجتمع المجلس يوم الاثنين.\n\nس: لماذا؟\n\nلا مطر."
        a = ingest_bytes(f"{text}\n\n{k}".encode(), f"{i}.txt")[0]
        store.add_article(replace(a, id=i))


def test_a_pairing_keeps_its_evidence_and_a_source_is_taken_once(db):
    with Store(db) as store:
        _articles(store, "a-en", "b-en", "x-ar", "y-ar")
        store.save_pairs([Pairing("a-en", "x-ar", 0.8, {"names": 0.5, "shared_names": ["دمشق"]}, "evidence")])
        store.save_pairs([Pairing("b-en", "x-ar", 0.9, {"reason": "manifest"}, "manifest")])
        pairs = store.pairs()
    assert [(p.en_id, p.ar_id, p.evidence, p.method) for p in pairs] == [("b-en", "x-ar", {"reason": "manifest"}, "manifest")]
    with Store(db) as store:
        store.save_pairs([Pairing("a-en", "y-ar", 0.7, {"shared_names": ["دمشق"]})])
        assert {p.en_id: p.evidence for p in store.pairs()}["a-en"] == {"shared_names": ["دمشق"]}


def test_earlier_versions_are_files_of_the_same_name(db, tmp_path):
    with Store(db) as store:
        first = ingest_bytes(ARTICLE.encode(), "water.txt")[0]
        edited = ingest_bytes((ARTICLE + "\n\nThank you.").encode(), "water.txt")[0]
        other = ingest_bytes((ARTICLE + "\n\nAnother file.").encode(), "other.txt")[0]
        for a, i in ((first, "water-en"), (edited, "water-en-2"), (other, "other-en")):
            from dataclasses import replace

            store.add_article(replace(a, id=i, source=replace(a.source, path=str(tmp_path / a.source.path))))
        assert store.earlier_versions("water-en-2") == ["water-en"]
        assert store.earlier_versions("other-en") == []
        assert store.earlier_versions("water-en") == [] and store.later_versions("water-en") == ["water-en-2"]
        assert store.later_versions("water-en-2") == []


def _bead(k: int, **kw) -> CorpusBead:
    return CorpusBead(en_id="a-en", ar_id="a-ar", level="sentence", ordinal=k, ar=f"نص {k}", en=f"text {k}", **kw)


def test_reviewed_counts_statuses_edits_and_history_and_guards_replacement(db):
    with Store(db) as store:
        _articles(store, "a-en", "a-ar")
        store.replace_beads("a-en", [_bead(0), _bead(1)])
        assert store.reviewed("a-en") == 0
        store.replace_beads("a-en", [_bead(0), _bead(1)])  # unreviewed beads may be replaced
        b = store.beads("a-en")[0]
        store.db.execute("UPDATE beads SET status = 'accepted' WHERE id = ?", (b.stored_id,))
        store.db.commit()
        assert store.reviewed("a-en") == 1 and store.reviewed("b-en") == 0
        with pytest.raises(StoreError, match="a-en has reviewed beads"):
            store.replace_beads("a-en", [_bead(0)])
        # a change on record counts even when the bead's status went back
        store.db.execute("UPDATE beads SET status = 'unreviewed' WHERE id = ?", (b.stored_id,))
        store.db.execute("INSERT INTO history (en_id, action, who, at, before, after) VALUES (?,?,?,?,?,?)",
                         ("a-en", "status", "t", "2026-01-01T00:00:00+00:00", "[]", "[]"))
        store.db.commit()
        assert store.reviewed("a-en") == 1
