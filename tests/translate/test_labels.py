"""What a stored translation's tag says it is: word glosses are never called a translation."""

from mt.translate.base import mt_label


def test_tags_are_labelled_by_their_engine():
    assert mt_label(None) == ("none", "no machine translation") and mt_label("") == ("none", "no machine translation")
    assert mt_label("lexicon:/x/lex.npz@sha256:01") == ("gloss", "word glosses (lexicon)")
    assert mt_label("hf:Helsinki-NLP/opus-mt-ar-en@abc123") == ("translation", "hf Helsinki-NLP/opus-mt-ar-en@abc123")
    assert mt_label("ct2:/models/opus:ct2@sha256:01") == ("translation", "ct2 /models/opus:ct2@sha256:01")  # a colon in the path
    # a store from before tags held bare identities: a lexicon file's digest is still glosses
    assert mt_label("x.npz@sha256:01") == ("gloss", "word glosses (lexicon)")
    assert mt_label("opus-mt@abc") == ("translation", "machine translation (opus-mt@abc)")
    assert mt_label("nosuchengine:thing") == ("translation", "machine translation (nosuchengine:thing)")
