"""The IBM Model 1 lexicon: what it learns, its file, its engine, its errors."""

import numpy as np
import pytest

from mt.errors import InputError, ModelError
from mt.translate import load_engine
from mt.translate.lexicon import Lexicon, read_parallel, train

AR = ["الولد يأكل التفاح", "البنت تأكل الخبز", "الولد يشرب الماء", "البنت تشرب الحليب", "الولد والبنت في المدرسة",
      "التفاح والخبز على الطاولة", "المعلم في المدرسة", "المعلم يشرب الماء", "البنت والمعلم", "الخبز والحليب"]
EN = ["the boy eats apples", "the girl eats bread", "the boy drinks water", "the girl drinks milk", "the boy and the girl are at school",
      "apples and bread are on the table", "the teacher is at school", "the teacher drinks water", "the girl and the teacher", "bread and milk"]


@pytest.fixture(scope="module")
def lex():
    return train(AR, EN, "ar", "en", iterations=10)


@pytest.mark.parametrize("ar,en", [("ولد", "boy"), ("بنت", "girl"), ("تفاح", "apples"), ("خبز", "bread"), ("معلم", "teacher"),
                                   ("حليب", "milk"), ("و+", "and")])
def test_learns_word_translations_with_clitics_split(lex, ar, en):
    assert lex.fwd.best(ar, 1)[0][0] == en


@pytest.mark.parametrize("en,ar", [("boy", "ولد"), ("bread", "خبز"), ("teacher", "معلم")])
def test_learns_the_other_direction_too(lex, en, ar):
    assert lex.bwd.best(en, 1)[0][0] == ar


def test_probabilities_are_distributions(lex):
    for table in (lex.fwd, lex.bwd):
        for i in range(1, len(table.src_vocab)):
            p = table.probs[table.indptr[i]:table.indptr[i + 1]]
            assert len(p) and p.sum() <= 1.0 + 1e-5 and np.all(np.diff(p) <= 1e-7)


def test_learns_from_the_sample_corpus(parallel_pairs):
    ar, en = zip(*parallel_pairs)
    lex = train(list(ar), list(en), "ar", "en", iterations=8)
    # words frequent enough in about sixty sentence pairs; spellings folded (ة→ه), article split off
    for word, gloss in (("مياه", "water"), ("طفس", "tafas"), ("محطه", "station"), ("مدارس", "schools")):
        assert lex.fwd.best(word, 1)[0][0] == gloss, word
    assert lex.bwd.best("water", 1)[0][0] == "مياه"


def test_file_round_trip_gives_identical_output(lex, tmp_path):
    path = tmp_path / "lex.npz"
    lex.save(path)
    back = Lexicon.load(path)
    assert back.meta == lex.meta and back.meta["format"] == "mt-lexicon" and back.meta["pairs"] == len(AR)
    for w in ("ولد", "خبز", "و+", "غير موجود"):
        assert back.fwd.best(w, 5) == lex.fwd.best(w, 5)
    a = load_engine("lexicon", str(path), "ar", "en")
    b = load_engine("lexicon", str(path), "en", "ar")
    assert a.translate_batch(["الولد يأكل الخبز"])[0].split() == ["the", "boy", "eats", "the", "bread"]
    assert "ولد" in b.translate_batch(["the boy"])[0]
    assert a.translate_batch(["دمشق"]) == ["دمشق"]  # unknown words pass through


def test_lexicon_errors(tmp_path):
    with pytest.raises(ModelError, match="no lexicon file"):
        Lexicon.load(tmp_path / "missing.npz")
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="cannot read lexicon"):
        Lexicon.load(tmp_path / "bad.npz")
    with pytest.raises(ModelError, match="needs a lexicon file"):
        load_engine("lexicon", None, "ar", "en")


def test_parallel_input_errors_name_file_and_line(tmp_path):
    a, b = tmp_path / "a.ar", tmp_path / "b.en"
    a.write_text("واحد\nاثنان\n", encoding="utf-8")
    b.write_text("one\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"has 2 lines but .*b.en has 1"):
        read_parallel(a, b)
    b.write_bytes(b"one\ntwo \xff\xfe\n")
    with pytest.raises(InputError, match=r"b.en: line 2: not UTF-8"):
        read_parallel(a, b)
    b.write_text("\n\n", encoding="utf-8")
    with pytest.raises(InputError, match="b.en: empty file"):
        read_parallel(a, b)
