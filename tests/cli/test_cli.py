"""The ``mt`` command as users run it: output, exit codes, one-line errors."""

import json
import os
import subprocess
import sys

import pytest

from mt import __version__
from tests.helpers import CORPUS, mt

GOOD = "Water in Daraa\n\nThe council met on Monday.\n\nQ: Why?\n\nNo rain.\n\nQ: Next?\n\nWait."


def test_version_and_help():
    r = mt("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"mt {__version__}"
    h = mt("--help")
    assert h.returncode == 0 and "ingest" in h.stdout and "corpus" in h.stdout


def test_help_does_not_import_heavy_modules():
    code = "import sys; from mt.cli import app; print(sorted(m for m in ('torch', 'transformers', 'trafilatura', 'lxml', 'charset_normalizer', 'markdown_it') if m in sys.modules))"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"


def test_ingest_prints_json_on_stdout_and_summary_on_stderr(tmp_path, write):
    p = write("a.txt", GOOD)
    r = mt("ingest", p, "--db", tmp_path / "c.db")
    assert r.returncode == 0, r.stderr
    art = json.loads(r.stdout)
    assert art["id"] == "a-en" and [t["role"] for t in art["turns"]] == ["intro", "question", "answer", "question", "answer"]
    assert set(art) >= {"id", "lang", "title", "date", "byline", "source", "turns", "dropped"}
    assert "a-en" in r.stderr and "new" in r.stderr


def test_ingest_to_file_then_list_and_show(tmp_path, write):
    db, out = tmp_path / "c.db", tmp_path / "out" / "articles.json"
    r = mt("ingest", CORPUS / "en", CORPUS / "ar", "-o", out, "--db", db, "-q")
    assert r.returncode == 0 and r.stdout == "" and r.stderr == ""
    arts = json.loads(out.read_text("utf-8"))
    assert isinstance(arts, list) and len(arts) == 11
    again = mt("ingest", CORPUS / "en", "--db", db)
    assert again.returncode == 0 and "already stored" in again.stderr and " new " not in again.stderr
    lst = mt("corpus", "list", "--db", db, "--json")
    rows = [json.loads(x) for x in lst.stdout.splitlines()]
    assert len(rows) == 11 and {r["lang"] for r in rows} == {"ar", "en"}
    show = mt("corpus", "show", "syria-direct-2015-05-11-daraa-council-ar", "--db", db, "--dropped")
    assert show.returncode == 0
    assert "رئيس مجلس طفس المحلي" in show.stdout and "question" in show.stdout and "date line" in show.stdout
    js = json.loads(mt("corpus", "show", "syria-direct-2015-05-11-daraa-council-ar", "--db", db, "--json").stdout)
    assert js["lang"] == "ar" and js["date"] == "2015-05-11"


def test_markup_in_article_text_is_printed_literally(tmp_path, write):
    p = write("x.txt", "Title [bold]x[/bold]\n\nThe council met [red]today[/red] <script>alert(1)</script>.\n\nQ: Why?\n\nNo rain.")
    db = tmp_path / "c.db"
    assert mt("ingest", p, "--db", db, "-q").returncode == 0
    show = mt("corpus", "show", "x-en", "--db", db)
    assert "[red]today[/red] <script>alert(1)</script>" in show.stdout


def test_bad_inputs_exit_codes(tmp_path, write):
    db = tmp_path / "c.db"
    good, empty = write("a.txt", GOOD), write("b.txt", "")
    r = mt("ingest", good, empty, tmp_path / "nope.txt", "--db", db, "-q")
    assert r.returncode == 0
    assert r.stderr.splitlines() == [f"mt: skipped {empty}: empty file", f"mt: skipped {tmp_path / 'nope.txt'}: no such file or directory"]
    strict = mt("ingest", good, empty, "--db", db, "-q", "--strict")
    assert strict.returncode == 2
    none = mt("ingest", empty, "--db", db)
    assert none.returncode == 2 and none.stdout == "" and "Traceback" not in none.stderr


def test_library_errors_are_one_line_and_debug_shows_traceback(tmp_path):
    r = mt("corpus", "show", "nope", "--db", tmp_path / "missing.db")
    assert r.returncode != 0 and r.stderr.strip().count("\n") == 0
    assert r.stderr.startswith("mt: error: no corpus store at")
    bad_db = tmp_path / "bad.db"
    bad_db.write_text("not sqlite" * 100)
    r = mt("corpus", "list", "--db", bad_db)
    assert r.returncode == 3 and r.stderr.startswith("mt: error: cannot open store") and "Traceback" not in r.stderr
    r = mt("--debug", "corpus", "list", "--db", bad_db)
    assert r.returncode != 0 and "Traceback" in r.stderr


def test_missing_article_exit_code(tmp_path, write):
    db = tmp_path / "c.db"
    mt("ingest", write("a.txt", GOOD), "--db", db, "-q")
    r = mt("corpus", "show", "nope", "--db", db)
    assert r.returncode == 4 and r.stderr.strip() == f"mt: error: no article 'nope' in {db}"


@pytest.mark.parametrize("lang,code", [("ar", 2), ("en", 0)])
def test_lang_option(tmp_path, write, lang, code):
    r = mt("ingest", write("a.txt", GOOD), "--lang", lang, "--db", tmp_path / "c.db", "-q")
    assert r.returncode == code


def test_output_errors_are_one_line(tmp_path, write):
    p = write("a.txt", GOOD)
    r = mt("ingest", p, "-o", tmp_path, "--db", tmp_path / "c.db", "-q")
    assert r.returncode == 2 and r.stderr.strip() == f"mt: error: cannot write {tmp_path}: it is a directory; give a file name"
    ro = tmp_path / "ro"
    ro.write_text("a file, not a folder")
    r = mt("ingest", p, "-o", ro / "x.json", "--db", tmp_path / "c.db", "-q")
    assert r.returncode == 2 and r.stderr.startswith("mt: error: cannot write") and "Traceback" not in r.stderr


def test_long_skip_lines_are_not_wrapped(tmp_path, write):
    long_dir = tmp_path / ("a-very-long-directory-name-" * 4)
    bad = write(str(long_dir.relative_to(tmp_path) / "empty-file-with-a-long-name.txt"), "")
    r = subprocess.run([sys.executable, "-m", "mt", "ingest", str(bad), "--db", str(tmp_path / "c.db")],
                       capture_output=True, text=True, env={**os.environ, "COLUMNS": "60"})
    assert r.stderr.splitlines() == [f"mt: skipped {bad}: empty file"]


def test_warning_for_truncated_html(tmp_path, write):
    page = write("cut.html", "<html><body><article><h1>Water</h1><p>The council met on Monday to discuss the water supply in Daraa.</p><p>Q: Why?</p><p>No rain this")
    r = mt("ingest", page, "--db", tmp_path / "c.db", "-q")
    assert r.returncode == 0
    assert r.stderr.splitlines() == [f"mt: warning: {page}: truncated HTML page (no closing </body> or </html>); ingested the text that is there"]


def test_output_files_get_ordinary_permissions(tmp_path, write):
    out = tmp_path / "a.json"
    assert mt("ingest", write("a.txt", GOOD), "-o", out, "--db", tmp_path / "c.db", "-q").returncode == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_ray_flag_takes_an_address_or_stands_alone():
    from mt.cli import _ray_flag

    assert _ray_flag(["translate", "in.ar", "--ray"]) == ["translate", "in.ar", "--ray", "local"]
    assert _ray_flag(["translate", "--ray", "in.ar", "--from", "ar"]) == ["translate", "--ray", "local", "in.ar", "--from", "ar"]
    assert _ray_flag(["translate", "in.ar", "--ray", "auto"]) == ["translate", "in.ar", "--ray", "auto"]
    assert _ray_flag(["translate", "x", "--ray", "ray://head:10001", "-q"]) == ["translate", "x", "--ray", "ray://head:10001", "-q"]
