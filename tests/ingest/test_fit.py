"""Fitting the reader: gold turns to tags, values files that round-trip, sites held out with the fixtures written
from them, and ``mt ingest fit`` / ``--values`` on the command line."""

import json

import pytest

from mt.errors import InputError
from mt.ingest import ReadOptions, crf, fit, ingest_bytes
from mt.ingest.gold import fixture_pages, site_of
from mt.ingest.params import ReaderParams, default_params
from tests.helpers import mt

_, FIXTURES = fit.default_sources()


def test_sites_are_registered_domains():
    assert site_of("https://manage.rudaw.net/english/interview/1") == "rudaw.net"
    assert site_of("http://vineyardsaker.blogspot.co.il/2012/09/x.html") == "blogspot.co.il"
    assert site_of("https://www.mid.ru/en/x") == site_of("https://www.mid.ru/ru/y") == "mid.ru"


def test_a_fixture_written_from_a_site_is_held_out_with_it():
    pages = {p.name: p for p in fixture_pages(FIXTURES)}
    jazeera = pages["ar-07-jazeera-transcript"]
    assert jazeera.of_site("aljazeera.net") and not jazeera.of_site("rudaw.net")
    examples = [fit.example(p) for p in pages.values()]
    kept = [ex.page.name for ex in examples if not ex.page.of_site("aljazeera.net")]
    assert "ar-07-jazeera-transcript" not in kept and "ar-01-question-label-alone" in kept


def test_gold_tags_begin_and_end_every_turn():
    page = next(p for p in fixture_pages(FIXTURES) if p.name == "ar-06-sin-jim-alone")
    ex = fit.example(page)
    assert not ex.unreachable
    assert ex.tags.count(crf.BQ) == sum(t.role == "question" for t in page.turns)
    assert ex.tags.count(crf.BA) == sum(t.role == "answer" for t in page.turns)
    # "س" alone on its line begins the question its next line opens
    first_q = ex.tags.index(crf.BQ)
    assert ex.pieces[first_q].m.alone and ex.tags[first_q + 1] == crf.IQ


def test_values_round_trip_and_unknown_features_weigh_nothing(tmp_path):
    examples = [fit.example(p) for p in fixture_pages(FIXTURES)[:6]]
    values = fit.fit_values(examples, 1.0, {"note": "test"})
    values.save(tmp_path / "v.json")
    back = ReaderParams.load(tmp_path / "v.json")
    assert back.digest == values.digest and back.features == values.features
    assert back.meta == {"note": "test"}
    # the shipped values know features these six pages never had; these values simply do not weigh them
    page = fixture_pages(FIXTURES)[10]
    (a,) = ingest_bytes(page.data, page.file_name, options=ReadOptions(params=back))
    assert a.turns


def test_a_broken_values_file_is_one_line(tmp_path):
    bad = tmp_path / "v.json"
    bad.write_text(json.dumps({"format": "mt-ingest-params", "version": 1, "tags": ["O"], "emission": {}}), "utf-8")
    with pytest.raises(InputError, match="tags"):
        ReaderParams.load(bad)
    page = tmp_path / "a.txt"
    page.write_text("Q: Why?\n\nBecause.\n\nQ: When?\n\nSoon.", "utf-8")
    r = mt("ingest", page, "--db", tmp_path / "c.db", "--values", bad)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "v.json" in r.stderr


def test_mt_ingest_fit_writes_values_that_mt_ingest_reads_with(tmp_path):
    out = tmp_path / "values.json"
    r = mt("ingest", "fit", "-o", out, "--no-pages", "--fixtures", FIXTURES, "--l2", "1")
    assert r.returncode == 0, r.stderr
    values = ReaderParams.load(out)
    assert values.meta["l2"] == 1.0 and values.meta["pages"] == {"real": 0, "fixture": len(fixture_pages(FIXTURES))}
    assert values.meta["sources"]["fixtures"]["pages"] == values.meta["pages"]["fixture"] and values.title
    assert values.digest != default_params().digest  # fitted on fewer pages than the shipped values
    page = FIXTURES / "en-09-dash-questions.txt"
    r = mt("ingest", page, "--db", tmp_path / "c.db", "--values", out, "-q")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["file"]["reader"] == values.digest


def test_mt_ingest_fit_says_which_folder_is_missing(tmp_path):
    r = mt("ingest", "fit", "-o", tmp_path / "v.json", "--pages", tmp_path / "nowhere", "--no-fixtures")
    assert r.returncode == 2 and "nowhere" in r.stderr and r.stderr.count("\n") == 1


def test_fitting_on_one_site_needs_a_penalty_and_gives_no_held_out_figures(tmp_path):
    one = tmp_path / "one"
    one.mkdir()
    for suffix in (".txt", ".json"):
        (one / f"en-09-dash-questions{suffix}").write_bytes((FIXTURES / f"en-09-dash-questions{suffix}").read_bytes())
    r = mt("ingest", "fit", "-o", tmp_path / "v.json", "--no-pages", "--fixtures", one)
    assert r.returncode == 2 and "--l2" in r.stderr and r.stderr.strip().count("\n") <= 2
    r = mt("ingest", "fit", "-o", tmp_path / "v.json", "--no-pages", "--fixtures", one, "--l2", "1")
    assert r.returncode == 0, r.stderr
    assert ReaderParams.load(tmp_path / "v.json").meta["pages"]["fixture"] == 1


def test_values_that_are_not_numbers_are_refused(tmp_path):
    values = ReaderParams.load(fit.default_sources()[1].parents[2] / "mt" / "ingest" / "data" / "params.json")
    d = values.to_dict()
    d["transition"][0][0] = float("nan")
    bad = tmp_path / "nan.json"
    bad.write_text(json.dumps(d), "utf-8")
    with pytest.raises(InputError, match="not finite"):
        ReaderParams.load(bad)
