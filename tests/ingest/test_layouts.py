"""Real interview layouts (tests/data/layouts/README.md lists the pages each fixture stands for):
exact turns, roles, speakers and texts; no label or furniture inside any text."""

import json
from pathlib import Path

import pytest

from mt.ingest import ingest_bytes

LAYOUTS = Path(__file__).resolve().parents[1] / "data" / "layouts"
FIXTURES = sorted(p for p in LAYOUTS.iterdir() if p.suffix in (".txt", ".html", ".md") and p.with_suffix(".json").exists())


def test_there_is_a_fixture_for_every_listed_layout():
    assert len(FIXTURES) >= 20
    assert {p.name[:2] for p in FIXTURES} == {"ar", "en"}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_layout(path):
    gold = json.loads(path.with_suffix(".json").read_text("utf-8"))
    (a,) = ingest_bytes(path.read_bytes(), path.name)
    got = [(t.role, t.text) for t in a.turns]
    want = [(t["role"], t["text"]) for t in gold["turns"]]
    assert got == want
    for t, g in zip(a.turns, gold["turns"]):
        assert t.speaker == g.get("speaker"), (t.index, t.speaker, g.get("speaker"))
    if gold.get("title") is not None:
        assert a.title == gold["title"]
    for line in gold.get("not_in_turns", []):
        assert not any(line in t.text for t in a.turns), line
    uncertain = any("roles uncertain" in w for w in a.warnings)
    assert uncertain == bool(gold.get("uncertain")), a.warnings


def test_mt_ingest_says_when_roles_are_uncertain(tmp_path):
    from typer.testing import CliRunner

    from mt.cli import app

    r = CliRunner().invoke(app, ["ingest", str(LAYOUTS / "en-14-names-once-uncertain.txt"), "--db", str(tmp_path / "c.db")])
    assert r.exit_code == 0, r.output
    assert "roles uncertain" in r.output
    sure = CliRunner().invoke(app, ["ingest", str(LAYOUTS / "en-13-names-once-spoke-to.txt"), "--db", str(tmp_path / "c.db")])
    assert sure.exit_code == 0 and "roles uncertain" not in sure.output
