"""Lexicons held out by article: an article is only ever translated by a lexicon that never saw it."""

import pytest

from mt.errors import InputError
from mt.export import assign_splits, split_key
from mt.store import Store
from mt.translate.heldout import BEAD_THRESHOLD, folds, held_out_lexicons, lexicon_file, training_rows, training_split_lexicon
from mt.translate.lexicon import Lexicon


def paired(store):
    return sorted(p.en_id for p in store.pairs() if p.ar_id)


def test_folds_are_a_seeded_hash_not_the_ids_order():
    ids = [f"article-{k:02d}" for k in range(12)]
    a, b = folds(ids, 3, 1), folds(ids, 3, 2)
    assert a == folds(ids, 3, 1) and a != b  # the same seed, the same folds; another seed, others
    assert sorted(a.values()) == sorted(n % 3 for n in range(12))  # balanced
    assert a != {i: n % 3 for n, i in enumerate(sorted(ids))}


def test_only_sure_whole_human_pairs_train_a_lexicon(review_db):
    with Store(review_db) as s:
        en_id = paired(s)[0]
        beads = s.beads(en_id)
        sure = next(b for b in beads if b.complete)
        s.db.execute("UPDATE beads SET score = ? WHERE id = ?", (BEAD_THRESHOLD, sure.stored_id))  # exactly at the bar: in
        low = next(b for b in beads if b.complete and b.stored_id != sure.stored_id)
        s.db.execute("UPDATE beads SET score = ? WHERE id = ?", (BEAD_THRESHOLD - 0.01, low.stored_id))  # under it: out
        s.db.commit()
        rows = training_rows(s, [en_id])[en_id]
        assert (sure.ar, sure.en) in rows and (low.ar, low.en) not in rows
        assert all(a.strip() and e.strip() for a, e in rows)  # one-sided beads never
        assert len(rows) == sum(1 for b in s.beads(en_id) if b.complete and b.score >= BEAD_THRESHOLD)
        synthetic = [p.en_id for p in s.pairs() if not p.ar_id]
        assert training_rows(s, synthetic) == {i: [] for i in synthetic}  # machine-made Arabic never
        with pytest.raises(InputError, match="no aligned pairs"):
            held_out_lexicons(s, synthetic, review_db.parent / "lex", k=5, seed=1)


def test_each_article_is_translated_by_a_lexicon_that_never_saw_it(review_db):
    folder = review_db.parent / "lex"
    folder.mkdir()
    with Store(review_db) as s:
        ids = paired(s)
        held = held_out_lexicons(s, ids, folder, k=5, seed=12345)
        assert held.note is None and set(held.files) == set(ids) and len(set(held.files.values())) == len(ids)
        for i, path in held.files.items():
            seen = Lexicon.load(path).meta["trained_on"]["articles"]
            assert i not in seen and set(seen) == set(ids) - {i}
        two = held_out_lexicons(s, ids[:2], folder, k=5, seed=12345)  # two articles: still held out, one by the other
        assert two.note is None and two.files[ids[0]] != two.files[ids[1]]
        one = held_out_lexicons(s, ids[:1], folder, k=5, seed=12345)
        assert one.note and "optimistic" in one.note


def test_a_lexicon_is_trained_once_per_set_of_rows(tmp_path):
    rows = [("الولد يأكل الخبز", "the boy eats bread"), ("البنت تشرب الحليب", "the girl drinks milk")] * 3
    first = lexicon_file(tmp_path, rows, {"articles": ["a"]})
    stamp = first.stat().st_mtime_ns
    assert lexicon_file(tmp_path, rows, {"articles": ["a"]}) == first and first.stat().st_mtime_ns == stamp
    other = lexicon_file(tmp_path, rows[:2], {"articles": ["b"]})
    assert other != first and Lexicon.load(other).meta["trained_on"] == {"articles": ["b"]}


def test_the_synthetic_articles_lexicon_saw_the_training_split_only(review_db):
    with Store(review_db) as s:
        ids = paired(s)
        keys = {i: split_key(s.get_article(i)) for i in ids}
        seed = next(x for x in range(1, 200) if 0 < sum(v == "train" for v in assign_splits(list(keys.values()), x).values()) < len(ids))
        split = assign_splits(list(keys.values()), seed)
        path = training_split_lexicon(s, ids, review_db.parent, seed=seed)
        assert set(Lexicon.load(path).meta["trained_on"]["articles"]) == {i for i in ids if split[keys[i]] == "train"}
