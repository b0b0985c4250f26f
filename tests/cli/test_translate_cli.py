"""``mt translate``, ``mt models convert`` and ``mt lexicon`` as users run them."""

import json

import pytest

from tests.helpers import CORPUS, mt

LINES = ["اجتمع المجلس المحلي في درعا.", "", "هل ستعودون إلى بيوتكم؟", "نعم."]


def test_text_file_line_for_line_with_sidecar_and_cache(tiny_marian, tmp_path):
    src = tmp_path / "in.ar"
    src.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    out, db = tmp_path / "out.en", tmp_path / "c.db"
    args = ["translate", src, "--from", "ar", "--to", "en", "--model", tiny_marian, "-o", out, "--db", db, "--beam", "1", "--max-length", "20"]
    r = mt(*args)
    assert r.returncode == 0, r.stderr
    lines = out.read_text("utf-8").split("\n")
    assert len(lines) == len(LINES) + 1 and lines[1] == "" and lines[-1] == ""
    meta = json.loads((tmp_path / "out.en.mt.json").read_text("utf-8"))
    assert meta["engine"] == "hf" and meta["model"].startswith("model@sha256:") and meta["from_cache"] == 0
    assert "translating with hf model@sha256:" in r.stderr
    again = mt(*args)
    assert again.returncode == 0 and json.loads((tmp_path / "out.en.mt.json").read_text("utf-8"))["from_cache"] == 3
    assert out.read_text("utf-8").split("\n") == lines


def test_stdin_to_stdout(tiny_marian, tmp_path):
    r = mt("translate", "-", "--from", "ar", "--to", "en", "--model", tiny_marian, "--no-cache", "--beam", "1", "-q",
           input="\n".join(LINES) + "\n")
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.split("\n")) == len(LINES) + 1 and r.stderr == ""


def test_articles_and_directory_tree(tiny_marian, tmp_path):
    db = tmp_path / "c.db"
    arts = tmp_path / "in" / "articles.json"
    assert mt("ingest", CORPUS / "ar" / "syria-direct-2015-09-07-douma-schools.txt", "-o", arts, "--db", db, "-q").returncode == 0
    (tmp_path / "in" / "sub").mkdir()
    (tmp_path / "in" / "sub" / "lines.txt").write_text("نعم.\nلا.\n", encoding="utf-8")
    out = tmp_path / "out"
    r = mt("translate", tmp_path / "in", "--from", "ar", "--to", "en", "--model", tiny_marian, "-o", out, "--db", db, "--beam", "1", "--max-length", "20")
    assert r.returncode == 0, r.stderr
    art = json.loads((out / "in" / "articles.json").read_text("utf-8"))
    assert art["translated"]["engine"] == "hf" and art["translated"]["to"] == "en"
    assert all(t["translation"]["text"] for t in art["turns"]) and art["title_translation"]
    assert any(t["translation"]["chunks"] > 1 for t in art["turns"])  # long turns were split for the 64-token model
    assert (out / "in" / "sub" / "lines.txt").read_text("utf-8").count("\n") == 2


def test_translate_errors(tmp_path, tiny_marian):
    r = mt("translate", tmp_path / "nope.txt", "--from", "ar", "--to", "en", "--model", tiny_marian)
    assert r.returncode == 2 and r.stderr.strip() == f"mt: error: {tmp_path / 'nope.txt'}: no such file or directory"
    (tmp_path / "a.txt").write_text("x\n")
    r = mt("translate", tmp_path / "a.txt", tmp_path / "a.txt", "--from", "ar", "--to", "en", "--model", tiny_marian)
    assert r.returncode == 2 and "need -o OUT_DIR" in r.stderr
    r = mt("translate", tmp_path / "a.txt", "--from", "ar", "--to", "en", "--engine", "ct2", "--model", tiny_marian)
    assert r.returncode == 5 and "mt models convert" in r.stderr and r.stderr.count("\n") == 1


def test_offline_default_model_error(tmp_path):
    (tmp_path / "a.txt").write_text("نعم\n", encoding="utf-8")
    import os

    env_offline = {"HF_HUB_OFFLINE": "1"}
    os.environ.update(env_offline)
    try:
        r = mt("translate", tmp_path / "a.txt", "--from", "ar", "--to", "en", "--db", tmp_path / "c.db")
    finally:
        os.environ.pop("HF_HUB_OFFLINE")
    assert r.returncode == 5
    assert r.stderr.strip() == ("mt: error: model 'Helsinki-NLP/opus-mt-ar-en' is not on this machine and the Hugging Face hub "
                                "cannot be reached; download it once where there is network (hf download Helsinki-NLP/opus-mt-ar-en) "
                                "or pass a local directory with --model DIR")


def test_convert_then_ct2_translate(tiny_marian, tmp_path):
    pytest.importorskip("ctranslate2")
    out = tmp_path / "ct2"
    r = mt("models", "convert", tiny_marian, out, "--quantization", "int8")
    assert r.returncode == 0, r.stderr
    assert (out / "model.bin").exists() and json.loads((out / "mt-convert.json").read_text())["quantization"] == "int8"
    src = tmp_path / "in.ar"
    src.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    r = mt("translate", src, "--from", "ar", "--to", "en", "--engine", "ct2", "--model", out, "--no-cache", "-q")
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.split("\n")) == len(LINES) + 1
    assert mt("models", "convert", tiny_marian, out).returncode == 5


def test_lexicon_train_show_translate(tmp_path):
    from tests.helpers import AR, EN

    a, b = tmp_path / "train.ar", tmp_path / "train.en"
    a.write_text("\n".join(AR) + "\n", encoding="utf-8")
    b.write_text("\n".join(EN) + "\n", encoding="utf-8")
    lex = tmp_path / "lex.npz"
    r = mt("lexicon", "train", a, b, "-o", lex, "--iterations", "10", "--aligner", "ibm1")
    assert r.returncode == 0 and "on 10 pairs" in r.stderr and "with ibm1 links" in r.stderr
    show = mt("lexicon", "show", lex, "الولد")
    assert show.returncode == 0
    lines = show.stdout.splitlines()
    assert lines[0] == "ال+ ولد\tphrase: boy 1.000 (seen 3×)"  # the article with its word, glossed as a whole
    assert "ولد\tboy " in show.stdout and "ال+\tgloss: (left out)" in show.stdout
    tr = mt("translate", "-", "--from", "ar", "--to", "en", "--engine", "lexicon", "--model", lex, "--no-cache", input="البنت تشرب الحليب\n")
    assert tr.stdout == "girl drinks milk\n"
    assert "not fluent translation" in tr.stderr
    b.write_text("one line\n", encoding="utf-8")
    bad = mt("lexicon", "train", a, b, "-o", lex)
    assert bad.returncode == 2 and "has 10 lines but" in bad.stderr


def test_translate_inputs_found_in_review(tmp_path):
    from tests.helpers import AR, EN

    a, b = tmp_path / "t.ar", tmp_path / "t.en"
    a.write_text("\n".join(AR) + "\n", encoding="utf-8")
    b.write_text("\n".join(EN) + "\n", encoding="utf-8")
    lex = tmp_path / "lex.npz"
    assert mt("lexicon", "train", a, b, "-o", lex).returncode == 0
    run = lambda *args, **kw: mt("translate", *args, "--from", "ar", "--to", "en", "--engine", "lexicon", "--model", lex, "--no-cache", "-q", **kw)  # noqa: E731
    r = run("-", input="[1] الولد\n{x} البنت\n")
    assert r.returncode == 0 and r.stdout.count("\n") == 2  # brackets at the start are text, not JSON
    blank = tmp_path / "blank.txt"
    blank.write_text("\n\n\n")
    out = tmp_path / "blank.en"
    assert run(blank, "-o", out).returncode == 0 and out.read_text() == "\n\n\n"
    bad = tmp_path / "bad.json"
    bad.write_text('{"turns": ["text"]}')
    r = run(bad)
    assert r.returncode == 2 and "not as `mt ingest` writes it" in r.stderr and "Traceback" not in r.stderr
    (tmp_path / "d1").mkdir()
    (tmp_path / "d2").mkdir()
    (tmp_path / "d1" / "x.txt").write_text("الولد\n", encoding="utf-8")
    (tmp_path / "d2" / "x.txt").write_text("البنت\n", encoding="utf-8")
    r = run(tmp_path / "d1" / "x.txt", tmp_path / "d2" / "x.txt", "-o", tmp_path / "out")
    assert r.returncode == 2 and "would both be written to" in r.stderr
    r = mt("lexicon", "train", a, b, "-o", tmp_path)
    assert r.returncode == 2 and "it is a directory" in r.stderr and not list(tmp_path.glob("*.tmp.npz"))


def test_gloss_keeps_unknown_words_as_written(tmp_path):
    from mt.translate.lexicon import train
    from tests.helpers import AR, EN

    lex = tmp_path / "lex.npz"
    train(AR, EN, "ar", "en", iterations=10, aligner="ibm1").save(lex)
    from mt.translate import load_engine

    e = load_engine("lexicon", str(lex), "ar", "en")
    # an unseen Arabic word is transliterated (most are names), digits come out as English writes them
    out = e.translate_batch(["الولد في محطة ٤٥٠"])[0].split()
    assert out[0] == "boy" and out[-2:] == ["Mahtah", "450"]
    back = load_engine("lexicon", str(lex), "en", "ar")
    assert back.translate_batch(["the boy met Hamza"]) == ["ولد met Hamza"]  # unknown English names as written
