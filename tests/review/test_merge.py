"""The word-level three-way merge: what does not overlap combines, what does is a conflict nobody resolves silently."""

import pytest
import random

from mt.errors import InputError
from mt.review.merge import locate, merge3, resolve, tokens

WORDS = ["In", "five", "5", "people", "came", ",", ".", "قال", "خمسة", "الناس", "؟", "  ", "\n"]


def texts(n=300, seed=0):
    rng = random.Random(seed)
    return [" ".join(rng.choices(WORDS, k=rng.randrange(13))) for _ in range(n)]


def test_tokens_give_the_text_back():
    for text in texts():
        assert "".join(tokens(text)) == text


def test_one_sided_changes_are_taken_whole():
    for base, other in zip(texts(seed=1), texts(seed=2)):
        assert merge3(base, other, base).text == other  # only mine changed
        assert merge3(base, base, other).text == other  # only theirs changed
        assert merge3(base, other, other).text == other  # both made the same change


def test_a_colleagues_word_and_mine_both_survive():
    m = merge3("In 2015 five people came.", "In 2015 5 people came.", "During 2015 five people came.")
    assert m.clean and m.text == "During 2015 5 people came."
    assert (m.count("mine"), m.count("theirs")) == (1, 1)


def test_arabic_words_combine_too():
    base = "قال إن خمسة من الناس جاؤوا"
    m = merge3(base, base.replace("خمسة", "٥"), base.replace("قال", "أكد"))
    assert m.text == "أكد إن ٥ من الناس جاؤوا"


def test_the_same_word_changed_two_ways_is_a_conflict_with_both():
    m = merge3("five people came", "5 people came", "six people came")
    assert m.text is None and m.conflicts == 1
    (c,) = [c for c in m.chunks if c.kind == "conflict"]
    assert (c.base, c.mine, c.theirs) == ("five", "5", "six")
    assert resolve(m, ["mine"]) == "5 people came"
    assert resolve(m, ["theirs"]) == "six people came"
    with pytest.raises(InputError):
        resolve(m, [])
    with pytest.raises(InputError):
        _ = c.text


def test_insertions_at_one_place_conflict():
    m = merge3("people came", "many people came", "some people came")
    assert m.conflicts == 1


def test_locate_finds_a_sentence_inside_a_merged_bead():
    text = "The first answer is short. The second one, which the reviewer loaded, ends here."
    s, e = locate("The second one, which a reviewer loaded, ends here.", text)
    assert text[s:e] == "The second one, which the reviewer loaded, ends here."
    s, e = locate("The first answer is short.", text)
    assert text[s:e] == "The first answer is short."
    assert locate("nothing alike", "entirely other words") == (0, len("entirely other words"))


def test_changes_of_both_sides_beside_each_other_are_one_conflict():
    # "any" inserted before "books" while the other side made it "textbooks": not combined on a guess
    m = merge3("teachers before books and desks", "teachers before any books and desks", "teachers before textbooks and desks")
    assert m.conflicts == 1 and m.text is None
    (c,) = [c for c in m.chunks if c.kind == "conflict"]
    assert "any" in c.mine and "textbooks" in c.theirs and resolve(m, ["theirs"]) == "teachers before textbooks and desks"
    # one word apart, they combine
    assert merge3("In 2015 five came", "In 2015 5 came", "During 2015 five came").text == "During 2015 5 came"
