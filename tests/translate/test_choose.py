"""`--engine auto` and explicit engines: which engine and model a run gets, and the reason it is told."""

import pytest

import mt.translate.choose as choose
import mt.translate.hf as hf
from mt.errors import ModelError
from mt.translate.choose import choose_engine


def test_an_explicit_engine_is_taken_as_asked():
    c = choose_engine("hf", None, "ar", "en")
    assert (c.name, c.model, c.reason) == ("hf", hf.default_model("ar", "en"), "hf asked for, default model") and c.neural
    c = choose_engine("ct2", None, "en", "ar")
    assert (c.name, c.model) == ("ct2", hf.default_model("en", "ar"))
    c = choose_engine("ct2", "/models/x", "ar", "en")
    assert (c.name, c.model, c.reason) == ("ct2", "/models/x", "ct2 asked for")
    c = choose_engine("lexicon", None, "ar", "en")
    assert (c.name, c.model, c.reason) == ("lexicon", None, "lexicon asked for") and not c.neural


def test_auto_with_a_model_goes_by_what_the_model_is(tmp_path):
    (tmp_path / "lex.npz").write_bytes(b"x")
    (tmp_path / "ct2").mkdir()
    (tmp_path / "ct2" / "model.bin").write_bytes(b"x")
    (tmp_path / "hf").mkdir()
    (tmp_path / "hf" / "config.json").write_text("{}")
    (tmp_path / "empty").mkdir()
    for where, kind in (("lex.npz", "lexicon"), ("ct2", "ct2"), ("hf", "hf")):
        c = choose_engine("auto", str(tmp_path / where), "ar", "en")
        assert (c.name, c.model, c.reason) == (kind, str(tmp_path / where), f"--model {tmp_path / where} is a {kind} model")
    c = choose_engine("auto", "Helsinki-NLP/opus-mt-ar-en", "ar", "en")  # not a path: a hub id
    assert (c.name, c.model) == ("hf", "Helsinki-NLP/opus-mt-ar-en")
    with pytest.raises(ModelError, match="cannot tell what kind of model"):
        choose_engine("auto", str(tmp_path / "empty"), "ar", "en")


def test_auto_without_a_model_uses_a_cached_neural_model_or_says_why_not(monkeypatch):
    name = hf.default_model("ar", "en")
    monkeypatch.setattr(hf, "hub_cached", lambda n: n == name)
    c = choose_engine("auto", None, "ar", "en")
    if choose.importlib.util.find_spec("torch") is not None:
        assert (c.name, c.model, c.reason) == ("hf", name, f"{name} is in the local Hugging Face cache")
    monkeypatch.setattr(hf, "hub_cached", lambda n: False)
    c = choose_engine("auto", None, "ar", "en")
    assert (c.name, c.model) == ("lexicon", None)
    assert c.reason.startswith("no neural model on this machine (") and "word glosses from a lexicon trained on the corpus itself" in c.reason
    real = choose.importlib.util.find_spec
    monkeypatch.setattr(choose.importlib.util, "find_spec", lambda m, *a: None if m == "torch" else real(m, *a))
    monkeypatch.setattr(hf, "hub_cached", lambda n: True)  # cached, but nothing to run it with
    c = choose_engine("auto", None, "ar", "en")
    assert c.name == "lexicon" and "(torch is not installed)" in c.reason
