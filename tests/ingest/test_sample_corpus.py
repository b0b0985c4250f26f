"""The bundled sample corpus: every file ingests into exactly the turns its gold file lists."""

import json

import pytest

from mt.ingest import ingest_paths
from tests.helpers import CORPUS

GOLD = sorted((CORPUS / "gold").glob("*.json"))


def _sides(gold_path):
    g = json.loads(gold_path.read_text("utf-8"))
    for side in ("en", "ar"):
        if g.get(side):
            yield side, CORPUS / g[side], g[f"{side}_turns"]


@pytest.mark.parametrize("side,path,expected", [s for g in GOLD for s in _sides(g)], ids=lambda x: getattr(x, "name", str(x))[:40])
def test_turns_match_gold(side, path, expected):
    report = ingest_paths([path], catch_unexpected=False)
    assert report.failed == []
    (a,) = report.articles
    assert a.lang == side
    got = [(t.role, t.text) for t in a.turns]
    assert [r for r, _ in got] == [t["role"] for t in expected], [(r, x[:40]) for r, x in got]
    for (role, text), exp in zip(got, expected):
        assert text.startswith(exp["starts"]), (text[:60], exp["starts"])


def test_sample_corpus_has_pairs_and_an_unpaired_article():
    rows = [line.split("\t") for line in (CORPUS / "pairs.tsv").read_text("utf-8").splitlines()[1:] if line.strip()]
    assert len(rows) >= 5
    assert sum(1 for r in rows if len(r) < 2 or not r[1].strip()) >= 1
    for r in rows:
        for p in r:
            assert not p.strip() or (CORPUS / p.strip()).exists(), p


def test_whole_corpus_ingests_with_metadata():
    report = ingest_paths([CORPUS / "en", CORPUS / "ar"], catch_unexpected=False)
    assert report.failed == []
    assert len(report.articles) == 11
    for a in report.articles:
        assert a.title, a.id
        assert a.date and a.date.startswith(("2015", "2016")), (a.id, a.date)
        assert a.has_dialogue, a.id
