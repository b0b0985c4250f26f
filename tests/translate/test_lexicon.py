"""The IBM Model 1 lexicon: what it learns, its file, its engine, its errors."""

import numpy as np
import pytest

from mt.errors import InputError, ModelError
from mt.translate import load_engine
from mt.translate.lexicon import Lexicon, read_parallel, train
from tests.helpers import AR, EN


@pytest.fixture(scope="module")
def lex():
    return train(AR, EN, "ar", "en", iterations=10, aligner="ibm1")  # mt's own links: deterministic


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
    lex = train(list(ar), list(en), "ar", "en", iterations=8, aligner="ibm1")
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
    assert a.translate_batch(["الولد يأكل الخبز"])[0] == "boy eats bread"  # phrases: الولد → boy
    assert b.translate_batch(["the boy"]) == ["ولد"]
    girl, drinks, milk = b.translate_batch(["the girl drinks milk"])[0].split()
    assert (girl, milk) == ("بنت", "حليب") and drinks in ("تشرب", "يشرب")
    assert a.translate_batch(["دمشق"]) == ["Damshq"]  # an unseen word is most often a name: transliterated
    assert a.translate_batch(["15"]) == ["15"]
    assert back.fwd_phrases.entry("ال+ ولد") == lex.fwd_phrases.entry("ال+ ولد") == ("boy", 1.0, 3)


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
    with pytest.raises(InputError, match=r"missing.en: no such file"):
        read_parallel(a, tmp_path / "missing.en")
    b.write_text("\ufeffone\ntwo\n", encoding="utf-8")  # a byte-order mark is not part of the first line
    assert read_parallel(a, b) == (["واحد", "اثنان"], ["one", "two"])  # source side first, target second


def test_phrases_unseen_inflections_and_version_1_files(lex, tmp_path):
    path = tmp_path / "lex.npz"
    lex.save(path)
    eng = load_engine("lexicon", str(path), "ar", "en")
    assert eng.translate_batch(["بالخبز", "خبزهم"]) == ["bread", "bread"]  # a clitic and a pronoun suffix backed off
    # a version-1 file (word tables only) still loads and glosses word by word
    old = Lexicon("ar", "en", lex.fwd, lex.bwd, {**lex.meta, "version": 1})
    old.save(tmp_path / "v1.npz")
    v1 = load_engine("lexicon", str(tmp_path / "v1.npz"), "ar", "en")
    assert v1.phrases is None and v1.translate_batch(["الولد"]) == ["the boy"]


def test_eflomal_links_when_installed(parallel_pairs):
    pytest.importorskip("eflomal", reason="eflomal is an optional extra (pip install 'mt[eflomal]', GPL-3)")
    ar, en = zip(*parallel_pairs)
    lex = train(list(ar), list(en), "ar", "en", aligner="eflomal")
    assert lex.meta["aligner"] == "eflomal" and len(lex.fwd_phrases) > 100 and len(lex.bwd_phrases) > 100
    # eflomal samples, and sixty sentence pairs are few: only the most frequent words are checked
    assert lex.fwd_phrases.entry("و+")[0] == "and"
    assert lex.fwd_phrases.entry("في")[0] in ("in", "at", "on")
    assert lex.bwd_phrases.entry("and")[0] == "و+"


def test_unknown_aligner_and_missing_eflomal(monkeypatch):
    with pytest.raises(InputError, match="unknown aligner"):
        train(AR, EN, "ar", "en", aligner="giza")
    import mt.translate.phrases as ph

    monkeypatch.setattr(ph, "have_eflomal", lambda: False)
    with pytest.raises(ModelError, match="mt\\[eflomal\\]"):
        train(AR, EN, "ar", "en", aligner="eflomal")
    assert train(AR, EN, "ar", "en", aligner="auto").meta["aligner"] == "ibm1"  # the dependency-free fallback


def test_glosses_join_clitics_inside_phrases_and_keep_names_whole(lex, tmp_path):
    path = tmp_path / "lex.npz"
    lex.save(path)
    back = load_engine("lexicon", str(path), "en", "ar")
    out = back.translate_batch(["the boy and the girl"])[0]
    assert "+" not in out and "ولد" in out  # "ال+ ولد" written as a word again
    fwd = load_engine("lexicon", str(path), "ar", "en")
    assert fwd.translate_batch(["فاطمة بوتفليقة"]) == ["Fatmah Bwtflyqah"]  # a first letter that is the name's own


def test_one_pair_still_glosses():
    tiny = train(["الولد يأكل التفاح"], ["the boy eats apples"], "ar", "en", aligner="ibm1")
    assert all(tiny.fwd_phrases.entry(w)[0] for w in ("ولد", "تفاح"))  # ties with NULL still link


def test_the_cache_is_keyed_by_direction(lex, tmp_path):
    """One lexicon file serves both directions under one identity: only the direction tells their caches apart."""
    from mt.store import Store
    from mt.translate import Translator
    from mt.translate.translator import cache_key

    path = tmp_path / "lex.npz"
    lex.save(path)
    fwd, back = load_engine("lexicon", str(path), "ar", "en"), load_engine("lexicon", str(path), "en", "ar")
    assert (fwd.name, fwd.identity) == (back.name, back.identity)
    text = "boy"  # a word either side could be asked to translate
    assert cache_key(fwd, text) != cache_key(back, text)
    with Store(tmp_path / "s.db") as s:
        (first,) = Translator(fwd, s).translate([text])
        (other,) = Translator(back, s).translate([text])
        assert not other.cached and other.text == back.translate_batch([text])[0]  # not the ar→en answer served for en→ar
        (again,) = Translator(fwd, s).translate([text])
        assert again.cached and again.text == first.text


def test_word_by_word_glosses_without_a_phrase_table(lex, tmp_path):
    """A version-1 lexicon has no phrases: known words are glossed one by one, unknown ones pass through as written."""
    path = tmp_path / "v1.npz"
    Lexicon("ar", "en", lex.fwd, lex.bwd, {**lex.meta, "version": 1}).save(path)
    eng = load_engine("lexicon", str(path), "ar", "en")
    assert eng.gloss_tokens("خبز") == ["bread"]
    assert eng.gloss_tokens("زيد خبز 15 عمرو") == ["زيد", "bread", "15", "عمرو"]  # every word after an unknown one too
    assert eng.gloss_tokens("والخبز") == ["and", "the", "bread"]  # the clitics glossed with their stem
