"""Chunking without a model: sentences, clauses, words and characters, paragraphs kept."""

from mt.text.sentences import split_clauses, split_sentences
from mt.translate.chunk import assemble, plan


def words(xs):
    return [len(x.split()) for x in xs]


def test_packing_and_paragraphs():
    seg = "One two three. Four five six seven. Eight nine.\n\nTen eleven, twelve thirteen fourteen fifteen, sixteen."
    chunks, layouts = plan([seg, "", "short"], 4, words)
    assert chunks == ["One two three.", "Four five six seven.", "Eight nine.", "Ten eleven,", "twelve thirteen fourteen fifteen,", "sixteen.", "short"]
    assert assemble(layouts, [c.upper() for c in chunks]) == [
        "ONE TWO THREE. FOUR FIVE SIX SEVEN. EIGHT NINE.\n\nTEN ELEVEN, TWELVE THIRTEEN FOURTEEN FIFTEEN, SIXTEEN.", "", "SHORT"]
    assert [lay.chunks for lay in layouts] == [6, 0, 1]


def test_a_segment_that_fits_is_one_chunk():
    chunks, layouts = plan(["Short one. Another one."], 100, words)
    assert chunks == ["Short one. Another one."] and layouts[0].chunks == 1


def test_unbreakable_runs_are_cut_until_they_fit():
    run = "x" * 100
    count = lambda xs: [len(x) // 5 + 1 for x in xs]  # noqa: E731 - a token every five characters
    chunks, layouts = plan([run], 10, count)
    assert max(count(chunks)) <= 10 and len(chunks) > 1
    assert "".join(chunks) == run  # cut, never dropped


def test_arabic_sentences_and_clauses():
    text = "قال المتحدث إن الوضع صعب، وإن المعارك مستمرة. هل ستعودون؟ نعم.. ربما بعد شهرين! انتهى"
    assert split_sentences(text) == ["قال المتحدث إن الوضع صعب، وإن المعارك مستمرة.", "هل ستعودون؟", "نعم.. ربما بعد شهرين!", "انتهى"]
    assert split_clauses("الوضع صعب، وإن المعارك مستمرة؛ والناس خائفون.. لكنهم صامدون") == [
        "الوضع صعب،", "وإن المعارك مستمرة؛", "والناس خائفون..", "لكنهم صامدون"]


def test_english_abbreviations_and_decimals():
    assert split_sentences("Mr. Smith went to Washington. He said: \"No!\" Then he left.") == [
        "Mr. Smith went to Washington.", "He said: \"No!\"", "Then he left."]
    assert split_sentences("It was 3.5 km away. A. Smith agreed.") == ["It was 3.5 km away.", "A. Smith agreed."]


def test_a_long_run_of_words_is_cut_and_every_word_kept_in_order():
    run = " ".join(f"w{i}" for i in range(101))  # no clause or sentence break: only halving by words can cut it
    chunks, layouts = plan([run], 7, words)
    assert max(words(chunks)) <= 7 and len(chunks) > 1
    assert " ".join(chunks).split() == run.split()  # cut, never dropped: the middle word of each halving included
    assert assemble(layouts, chunks) == [run]


def test_pieces_are_packed_greedily_up_to_the_limit_exactly():
    seg = "Rain fell. Wind rose. Roads closed. Schools shut. Done."  # sentences of 2, 2, 2, 2 and 1 words
    chunks, _ = plan([seg], 6, words)
    assert chunks == ["Rain fell. Wind rose. Roads closed.", "Schools shut. Done."]  # 6 words fill a chunk exactly
    chunks, _ = plan([seg], 5, words)
    assert chunks == ["Rain fell. Wind rose.", "Roads closed. Schools shut. Done."]


def test_a_long_sentence_is_cut_at_its_clauses_before_its_words():
    assert plan(["a b c d, e f"], 4, words)[0] == ["a b c d,", "e f"]  # two clauses: cut between them
    # no clause: halved by words, each half kept once it fits (a half of exactly the limit is not cut again)
    assert plan(["w1 w2 w3 w4 w5 w6 w7 w8"], 4, words)[0] == ["w1 w2 w3 w4", "w5 w6 w7 w8"]
    assert plan(["w1 w2 w3 w4 w5 w6 w7 w8"], 2, words)[0] == ["w1 w2", "w3 w4", "w5 w6", "w7 w8"]


def test_two_long_words_are_cut_between_them_not_inside():
    count = lambda xs: [len(x) // 5 + 1 for x in xs]  # noqa: E731 - a token every five characters
    assert plan(["xxxxxxxxxx yyyyyyyyyy"], 3, count)[0] == ["xxxxxxxxxx", "yyyyyyyyyy"]
