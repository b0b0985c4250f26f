"""The real scraped article the project started from."""

from mt.ingest import ingest_paths
from tests.helpers import roles


def _seed(seed_path):
    report = ingest_paths([seed_path], catch_unexpected=False)
    assert report.failed == []
    (article,) = report.articles
    return article


def test_seed_metadata(seed_path):
    a = _seed(seed_path)
    assert a.lang == "en"
    assert a.title == "Jaish al-Islam spokesperson: ‘We represent the biggest threat to IS’"
    assert a.date == "2015-03-23"
    assert a.byline.interviewer == "Mohammed al-Haj Ali"
    assert a.byline.interviewee == "Islam Aloush"
    assert len(a.source.sha256) == 64


def test_seed_turns(seed_path):
    a = _seed(seed_path)
    assert roles(a) == ["intro"] * 5 + ["question", "answer"] * 6
    assert a.turns[3].text.startswith("In response, Jaish al-Islam has captured")
    first_answer = a.turns[6].text
    # an answer runs over several paragraphs, kept as paragraphs
    assert first_answer.startswith("We represent the biggest threat to IS in two ways:")
    assert first_answer.count("\n\n") == 2 and "The second way is religious" in first_answer
    assert a.turns[5].text == "Why has IS kidnapped and targeted Jaish al-Islam members and leadership?"
    assert all(not t.text.startswith("Q:") for t in a.turns)
    assert [t.index for t in a.turns] == list(range(len(a.turns)))


def test_seed_noise_is_dropped_with_reasons(seed_path):
    a = _seed(seed_path)
    reasons = {d.reason: d.text for d in a.dropped}
    assert reasons["reading-time line"] == "3 min read"
    assert reasons["teaser (cut summary)"].endswith("[…]")
    assert reasons["stray characters glued to a paragraph"] == "tAM ip5J"
    assert "Photo courtesy of mnbr" in reasons["photo caption"]
    assert sum(d.reason == "date line (kept as metadata)" for d in a.dropped) == 2
    footers = [d.text for d in a.dropped if "footer" in d.reason]
    assert any(f.startswith("For more from Syria Direct") for f in footers)
    assert "Share this article" in footers
    body = "\n".join(t.text for t in a.turns)
    for noise in ("3 min read", "tAM", "Photo courtesy", "Share this article", "like us on"):
        assert noise not in body


def test_seed_nothing_lost(seed_path):
    """Every paragraph of the source is in a turn or in the dropped list."""
    a = _seed(seed_path)
    kept = "\n".join([t.text for t in a.turns] + [d.text for d in a.dropped] + [a.title or ""])
    src = seed_path.read_text("utf-8").replace("\u00a0", " ")
    for para in (p.strip() for p in src.split("\n\n")):
        if para:
            for piece in para.replace("Q: ", "").split("tAM ip5J"):
                assert " ".join(piece.split()) in " ".join(kept.split()), piece
