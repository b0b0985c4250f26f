"""Batches with bad files: the good ones are ingested, the bad ones listed with one-line reasons."""

import pytest

from mt.ingest import ingest_paths
from mt.store import Store

GOOD = "Water in Daraa\n\nThe council met on Monday.\n\nQ: Why?\n\nNo rain.\n\nQ: Next?\n\nWait."


def test_batch_keeps_good_files_and_lists_bad_ones(db, write, tmp_path):
    write("in/a.txt", GOOD)
    write("in/b.txt", "")
    write("in/c.html", b"\x89PNG\r\n\x1a\n" + bytes(200))
    write("in/d.txt", ("نص عربي " * 20).encode() + b"\xff\xfe\xfd" + "نص".encode())
    write("in/e.json", '{"title": "x", "text": ')
    write("in/f.txt", GOOD.replace("No rain.", "No rain at all."))
    write("in/.hidden/g.txt", GOOD)
    write("in/notes.csv", "a,b")
    with Store(db) as s:
        r = ingest_paths([tmp_path / "in", tmp_path / "missing.txt"], store=s)
        stored = [x.id for x in s.list_articles()]
    assert sorted(a.id for a in r.articles) == sorted(stored) and len(stored) == 2
    reasons = {p.rsplit("/", 1)[-1]: why for p, why in r.failed}
    assert reasons == {
        "b.txt": "empty file",
        "c.html": "binary file (a PNG image), not text",
        "d.txt": reasons["d.txt"],
        "e.json": "malformed JSON at line 1 column 24: Expecting value",
        "missing.txt": "no such file or directory",
    }
    assert reasons["d.txt"].startswith("invalid UTF-8 at byte")
    assert all("\n" not in why for why in reasons.values())


def test_failure_after_success_loses_nothing(db, write):
    good, bad = write("a.txt", GOOD), write("b.txt", b"\x00\x01\x02" * 50)
    with Store(db) as s:
        ingest_paths([good, bad], store=s)
    with Store(db) as s:
        assert [a.id for a in s.list_articles()] == ["a-en"]


def test_huge_file_is_refused_before_reading(write):
    p = write("big.txt", "word " * 50_000)
    r = ingest_paths([p], max_bytes=100_000)
    assert r.articles == []
    assert r.failed[0][1] == "file too large (0.2 MiB; the limit is 0.1 MiB)"


def test_empty_directory(tmp_path):
    (tmp_path / "empty").mkdir()
    r = ingest_paths([tmp_path / "empty"])
    assert r.failed == [(str(tmp_path / "empty"), "no article files (.htm, .html, .json, .markdown, .md, .text, .txt, .xhtml) in this directory")]


def test_mixed_scripts_and_wrong_declared_language(write):
    mixed = "Title\n\n" + "The council met in Daraa. " * 5 + "\n\n" + "اجتمع المجلس المحلي في درعا. " * 5
    r = ingest_paths([write("mixed.txt", mixed)])
    assert "mixed scripts" in r.failed[0][1] and "--lang" in r.failed[0][1]
    r = ingest_paths([write("mixed2.txt", mixed)], lang="ar")
    assert r.failed == [] and r.articles[0].lang == "ar"
    r = ingest_paths([write("en.txt", GOOD)], lang="ar")
    assert r.failed[0][1].startswith("declared language ar but only 0% of the letters")


def test_no_letters_and_only_noise(write):
    r = ingest_paths([write("digits.txt", "12345\n\n67890"), write("noise.txt", "3 min read\n\nShare this article")])
    reasons = [why for _, why in r.failed]
    assert reasons[0] == "no letters in the text, so no article in it"
    assert reasons[1].startswith("no article text left after removing")


def test_other_script(write):
    r = ingest_paths([write("ru.txt", "Заголовок\n\nСовет собрался в понедельник. Вопрос: почему?")])
    assert "neither Arabic nor Latin" in r.failed[0][1]


@pytest.mark.parametrize("fail_on", ["every look", "reading only"])
def test_a_file_that_cannot_be_looked_at_is_its_own_one_line_failure(tmp_path, monkeypatch, fail_on):
    from pathlib import Path

    from mt.ingest import ingest_paths

    f = tmp_path / "locked.txt"
    f.write_text(GOOD, "utf-8")
    real = Path.stat

    other = tmp_path / "fine.txt"
    other.write_text(GOOD.replace("Monday", "Tuesday"), "utf-8")
    import inspect

    def stat(self, *a, **k):
        reading = any(fr.function == "read_bytes" for fr in inspect.stack()[1:3])
        if self.name == "locked.txt" and (fail_on == "every look" or reading):
            raise PermissionError(13, "Permission denied")
        return real(self, *a, **k)

    monkeypatch.setattr(Path, "stat", stat)
    report = ingest_paths([f, other])
    assert report.failed == [(str(f), "cannot read: Permission denied")]  # not "unexpected error … please report it"
    assert len(report.articles) == 1  # and the batch went on
