"""Pairing English articles with their Arabic sources."""

from dataclasses import replace
from pathlib import Path

import pytest

from mt.align.pairing import pair_articles, read_manifest, resolve
from mt.errors import InputError
from mt.ingest import ingest_paths
from mt.store import Store
from tests.helpers import CORPUS, mt

EXPECTED = {
    "syria-direct-2015-05-11-daraa-council-en": "syria-direct-2015-05-11-daraa-council-ar",
    "syria-direct-2015-09-07-douma-schools-en": "syria-direct-2015-09-07-douma-schools-ar",
    "syria-direct-2015-12-03-aleppo-displaced-en": "syria-direct-2015-12-03-aleppo-displaced-ar",
    "syria-direct-2016-01-18-madaya-nurse-en": "syria-direct-2016-01-18-madaya-nurse-ar",
    "syria-direct-2016-03-14-idlib-truce-en": None,
    "syria-direct-2016-06-20-manbij-activist-en": "syria-direct-2016-06-20-manbij-activist-ar",
}


def corpus():
    arts = ingest_paths([CORPUS / "en", CORPUS / "ar"]).articles
    return [a for a in arts if a.lang == "en"], [a for a in arts if a.lang == "ar"]


def test_sample_corpus_pairs_and_the_article_without_source():
    en, ar = corpus()
    pairs = pair_articles(en, ar)
    assert {p.en_id: p.ar_id for p in pairs} == EXPECTED
    for p in pairs:
        if p.ar_id:
            assert p.evidence["margin"] > 0.2 and p.evidence["shared_names"] >= 2
        else:
            assert p.evidence["best_score"] < p.evidence["threshold"]


def test_pairing_without_dates_still_finds_the_sources():
    en, ar = corpus()
    en = [replace(a, date=None) for a in en]
    ar = [replace(a, date=None) for a in ar]
    assert {p.en_id: p.ar_id for p in pair_articles(en, ar, threshold=0.3)} == EXPECTED


def test_blocked_pairing_of_a_large_corpus_finds_what_scoring_every_pair_finds():
    """Beyond DENSE_CELLS pairs, only candidates sharing a rare name, a number or the week are scored."""
    en, ar = corpus()
    dense = pair_articles(en, ar)
    blocked = pair_articles(en, ar, dense_cells=0)
    assert {p.en_id: p.ar_id for p in blocked} == EXPECTED
    assert [(p.en_id, p.ar_id, p.score) for p in blocked] == [(p.en_id, p.ar_id, p.score) for p in dense]
    # many unrelated Arabic articles (other days, other names) are never scored against these English ones
    noise = [replace(a, id=f"{a.id}-{k}", date=f"2019-0{1 + k % 9}-1{k % 10}",
                     turns=tuple(replace(t, text="نص آخر تماما لا أسماء فيه") for t in a.turns)) for k in range(40) for a in ar[:1]]
    again = pair_articles(en, ar + noise, dense_cells=0)
    assert {p.en_id: p.ar_id for p in again} == EXPECTED


def test_no_arabic_articles():
    en, _ = corpus()
    assert all(p.ar_id is None for p in pair_articles(en, []))


def test_manifest_reading_and_resolving(tmp_path):
    m = tmp_path / "pairs.tsv"
    m.write_text("en\tar\nen/a.txt\tar/a.txt\n# a comment\nen/b.txt\t\n", encoding="utf-8")
    assert read_manifest(m) == [("en/a.txt", "ar/a.txt"), ("en/b.txt", None)]
    en, _ = corpus()
    assert resolve("syria-direct-2015-05-11-daraa-council-en", en).id == "syria-direct-2015-05-11-daraa-council-en"
    assert resolve("syria-direct-2016-03-14-idlib-truce.txt", en).id == "syria-direct-2016-03-14-idlib-truce-en"
    assert resolve("nope.txt", en) is None
    # one file name in two folders: the name alone is ambiguous, the path relative to the manifest is not
    a = en[0]
    twin = replace(a, id="twin-en", source=replace(a.source, path=str(Path(a.source.path).parent.parent / "other" / Path(a.source.path).name)))
    name = Path(a.source.path).name
    assert resolve(name, [a, twin]) is None
    assert resolve(f"other/{name}", [a, twin], Path(a.source.path).parent.parent).id == "twin-en"
    assert resolve(a.source.path, [a, twin]).id == a.id
    with pytest.raises(InputError, match="no such manifest"):
        read_manifest(tmp_path / "missing.tsv")


def test_cli_pair_by_evidence_then_by_manifest(tmp_path):
    db = tmp_path / "c.db"
    assert mt("ingest", CORPUS / "en", CORPUS / "ar", "--db", db, "-q").returncode == 0
    r = mt("pair", "--db", db, "--json")
    assert r.returncode == 0, r.stderr
    import json

    got = {d["en_id"]: d["ar_id"] for d in map(json.loads, r.stdout.splitlines())}
    assert got == EXPECTED
    with Store(db) as s:
        assert {p.en_id: p.ar_id for p in s.pairs()} == EXPECTED
    r = mt("pair", "--db", db, "--manifest", CORPUS / "pairs.tsv", "--json")
    assert r.returncode == 0, r.stderr
    assert {d["en_id"]: d["ar_id"] for d in map(json.loads, r.stdout.splitlines())} == EXPECTED
    bad = tmp_path / "bad.tsv"
    bad.write_text("en\tar\nnope.txt\t\n")
    r = mt("pair", "--db", db, "--manifest", bad)
    assert r.returncode == 2 and "no ingested English article 'nope.txt'" in r.stderr


def test_manifest_with_a_bom_and_duplicates(tmp_path):
    m = tmp_path / "pairs.csv"
    m.write_text("\ufeffen,ar\nen/a.txt,ar/a.txt\n", encoding="utf-8")
    assert read_manifest(m) == [("en/a.txt", "ar/a.txt")]
    m.write_text("en,ar\nen/a.txt,ar/a.txt\nen/b.txt,ar/a.txt\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3: ar/a.txt is the source of two articles"):
        read_manifest(m)


@pytest.mark.parametrize("dense_cells", [250_000, 0])
def test_an_english_article_whose_best_source_went_to_another_says_so(dense_cells):
    """Two English articles from one Arabic source: the second is not told its candidate is below a threshold it is above."""
    from mt.align.pairing import unpaired_reason

    en, ar = corpus()
    daraa = next(a for a in en if a.id.endswith("daraa-council-en"))
    twin = replace(daraa, id="daraa-council-copy-en", title=(daraa.title or "") + " (again)",
                   turns=daraa.turns[: max(1, len(daraa.turns) - 2)])
    pairs = {p.en_id: p for p in pair_articles(en + [twin], ar, dense_cells=dense_cells)}
    loser = next(p for p in pairs.values() if p.en_id in (daraa.id, twin.id) and p.ar_id is None)
    winner = daraa.id if loser.en_id == twin.id else twin.id
    ev = loser.evidence
    assert ev["best_candidate"] == "syria-direct-2015-05-11-daraa-council-ar" and ev["best_score"] >= ev["threshold"]
    assert ev["taken_by"] == winner and ev["taken_score"] >= ev["best_score"]
    assert f"is the source of {winner}" in unpaired_reason(ev) and "below" not in unpaired_reason(ev)
    alone = pairs["syria-direct-2016-03-14-idlib-truce-en"].evidence  # nothing near: the threshold is the reason
    assert "taken_by" not in alone and "no candidate reaches the threshold" in unpaired_reason(alone)


def test_cli_pair_compares_words_through_the_store_lexicon_unless_told_not_to(pipeline_db, tmp_path):
    import json
    import shutil

    db = tmp_path / "c.db"
    shutil.copy(pipeline_db, db)
    with Store(db) as s:
        # what the pipeline's run taught, as if it had come from aligning the same text elsewhere (what an article's own
        # alignment taught is never evidence for its own pairing)
        with s.db:
            for table in ("lexicon_sources", "lexicon_counts"):
                s.db.execute(f"UPDATE {table} SET source = 'doc:' || source WHERE source LIKE 'article:%'")
    for flag, words in (("--lexicon", True), ("--no-lexicon", False)):
        r = mt("pair", "--db", db, "--json", flag)
        assert r.returncode == 0, r.stderr
        got = list(map(json.loads, r.stdout.splitlines()))
        assert any("lexical" in d["evidence"] for d in got) == words
        assert {d["en_id"]: d["ar_id"] for d in got} == EXPECTED
    r = mt("pair", "--db", db)
    assert r.returncode == 0 and "words" in r.stdout
