"""``mt pipeline``, ``mt export`` and ``mt evaluate report`` as users run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import mt

SAMPLE = Path(__file__).parents[2] / "corpora" / "sample"


@pytest.fixture(scope="module")
def piped(tmp_path_factory):
    work = tmp_path_factory.mktemp("cli-pipeline")
    r = mt("pipeline", "--out", work / "out", "--json", cwd=work)  # no corpus argument: the bundled sample
    return work, r


def test_pipeline_without_arguments_runs_on_the_bundled_corpus(piped):
    work, r = piped
    assert r.returncode == 0, r.stderr
    totals = json.loads(r.stdout)
    assert totals["pairs"] == 5 and totals["english_only"] == 1
    for stage in ("ingest", "pair", "align", "translate", "synthetic", "evaluate", "export"):
        assert f"mt: {stage}" in r.stderr
    assert "engine ar→en: lexicon" in r.stderr
    assert "turns aligned" in r.stderr and "beads by type" in r.stderr  # the summary table
    assert (work / "out" / "report" / "report.html").exists() and (work / "out" / "export" / "train.jsonl").exists()
    again = mt("pipeline", "--out", work / "out", cwd=work)
    assert again.returncode == 0 and again.stderr.count("(unchanged, skipped)") == 7


def test_export_and_report_commands(piped, tmp_path):
    work, _ = piped
    db = work / "out" / "corpus.db"
    r = mt("export", tmp_path / "ex", "--db", db, "-f", "tmx", "-f", "moses", "--only-accepted")
    assert r.returncode == 2 and "nothing to export" in r.stderr and "not accepted in review" in r.stderr
    r = mt("export", tmp_path / "ex", "--db", db, "-f", "tmx", "-f", "moses", "--level", "turn")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "ex" / "corpus.tmx").exists() and (tmp_path / "ex" / "train.ar").exists()
    assert "exported" in r.stderr
    rep = mt("evaluate", "report", "--db", db, "--gold", SAMPLE / "gold", "-o", tmp_path / "rep")
    assert rep.returncode == 0, rep.stderr
    assert "strict P 1.000" in rep.stdout and (tmp_path / "rep" / "report.html").exists()


def test_bad_invocations_get_one_line():
    for args, text in ((("pipeline", "/no/such/corpus"), "not a corpus directory"),
                       (("pipeline", SAMPLE, "-f", "docx"), "unknown export format"),
                       (("export", "/tmp/x", "--db", "/no/such.db"), "no such store")):
        r = mt(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert text in r.stderr and len(r.stderr.strip().splitlines()) == 1
