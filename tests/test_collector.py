"""The cycle collector is off while the aligner and the store's lexicon work, and back as it was after."""

from __future__ import annotations

import gc
import threading

import pytest

from mt.align import Aligner, DocPair
from mt.align.memory import CorpusLexicon
from mt.collector import collector_paused
from mt.store import Store


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_a_pause_ends_as_it_began_even_after_an_error():
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("boom")
    assert gc.isenabled()
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()  # off before: left off


def test_nested_and_overlapping_pauses_end_with_the_last():
    started, release = threading.Event(), threading.Event()

    def other():
        with collector_paused():
            started.set()
            release.wait(5)

    t = threading.Thread(target=other)
    t.start()
    started.wait(5)
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread's pause has not ended
    release.set()
    t.join()
    assert gc.isenabled()


def test_aligning_and_learning_run_with_the_collector_off(tmp_path, monkeypatch):
    seen: list[bool] = []
    from mt.align import aligner as aligner_module
    from mt.store import lexicon as lexicon_module

    passes, replace = aligner_module.Aligner.passes, lexicon_module.Lexicon.replace_lexicon_source
    monkeypatch.setattr(aligner_module.Aligner, "passes", lambda self, *a, **k: (seen.append(gc.isenabled()), passes(self, *a, **k))[1])
    monkeypatch.setattr(lexicon_module.Lexicon, "replace_lexicon_source",
                        lambda self, *a, **k: (seen.append(gc.isenabled()), replace(self, *a, **k))[1])
    doc = DocPair(["قال الرجل ٣ كلمات.", "ثم ذهب إلى البيت."], ["The man said 3 words.", "Then he went home."], "ar", "en")
    al = Aligner().align_many([doc])[0]
    with Store(tmp_path / "s.db") as store:
        CorpusLexicon(store, "ar", "en").learn_alignment("doc:x", doc, al)
        CorpusLexicon(store, "ar", "en").learn("article:y", [("قال الرجل", "the man said", 1.0)])
    assert seen == [False, False, False] and gc.isenabled()


def test_mt_align_keeps_the_collector_off_until_it_is_done(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from mt.cli import app
    from mt.store import sqlite as store_module

    seen: list[bool] = []
    save = store_module.Store.save_aligned_document
    monkeypatch.setattr(store_module.Store, "save_aligned_document", lambda self, *a: (seen.append(gc.isenabled()), save(self, *a))[1])
    (tmp_path / "a.ar").write_text("قال الرجل.\nثم ذهب.\n", encoding="utf-8")
    (tmp_path / "a.en").write_text("The man said.\nThen he went.\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["align", str(tmp_path / "a.ar"), str(tmp_path / "a.en"), "--db", str(tmp_path / "s.db")])
    assert r.exit_code == 0, r.output
    assert seen == [False] and gc.isenabled()
