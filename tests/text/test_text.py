"""Language knowledge: dates, scripts, Arabic matching forms, normalisation."""

import pytest

from mt.errors import InputError
from mt.text.arabic import normalize_for_matching, to_western_digits
from mt.text.dates import find_date, parse_date_line, parse_dateline
from mt.text.normalize import normalize_text
from mt.text.scripts import detect_language


@pytest.mark.parametrize("line,iso", [
    ("23 March 2015", "2015-03-23"), ("March 23, 2015", "2015-03-23"), ("Mar. 23, 2015", "2015-03-23"),
    ("23rd of March 2015", "2015-03-23"), ("٢٣ مارس ٢٠١٥", "2015-03-23"), ("23 آذار 2015", "2015-03-23"),
    ("3 كانون الأول 2015", "2015-12-03"), ("18 November، 2015", "2015-11-18"), ("2015-03-23T10:00:00+00:00", "2015-03-23"),
    ("Monday, March 23, 2015", "2015-03-23"), ("الخميس 19/11/2015", "2015-11-19"), ("( الخميس ) 19/11/2015", "2015-11-19"),
    ("۲۳ مارس ۲۰۱۵", "2015-03-23"), ("14 March 2016 - 10:30", "2016-03-14"), ("March 14, 2016 | 10:30 AM", "2016-03-14"),
    ("Monday 14 March 2016 11:04 GMT", "2016-03-14"), ("23/03/2015 12:00", "2015-03-23"), ("الإثنين، 14 آذار/مارس 2016", "2016-03-14"),
    ("23 مارس/آذار 2015", "2015-03-23"), ("2016/03/14", "2016-03-14"), ("الإثنین 14 آذار 2016", "2016-03-14"),
    ("14 آذار 2016 الساعة 10:30 ص", "2016-03-14"), ("Mon, 14 Mar 2016 10:30:00 +0200", "2016-03-14"),
])
def test_date_lines(line, iso):
    assert parse_date_line(line) == iso


@pytest.mark.parametrize("line", ["Earlier this month", "March 23, 2015 Earlier this month", "May we return?", "31 February 2015", "Book 1", "10:30", "2015"])
def test_not_date_lines(line):
    assert parse_date_line(line) is None


def test_find_date_in_text():
    assert find_date("Posted on May 11, 2015 by the desk") == "2015-05-11"
    assert find_date("nothing here") is None


def test_arabic_matching_forms():
    assert normalize_for_matching("أَحْمَد إبراهيم آمنة مستشفى مدرسة ١٢") == "احمد ابراهيم امنه مستشفي مدرسه 12"
    assert normalize_for_matching("الـــعـــربية") == "العربيه"
    assert to_western_digits("٠١٢٣٤٥٦٧٨٩ ۰۱۲") == "0123456789 012"


def test_normalize_text():
    assert normalize_text("a\u200fb\r\nc\u00a0\u00a0d\u202e\x07") == "ab\nc d"
    assert normalize_text("e\u0301") == "é"


@pytest.mark.parametrize("text,lang", [("The council met in Daraa (درعا).", "en"), ("اجتمع المجلس في درعا مع ممثلي UNICEF.", "ar")])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_detect_language_refuses():
    with pytest.raises(InputError, match="mixed scripts"):
        detect_language("The council met. " * 3 + "اجتمع المجلس. " * 3)
    with pytest.raises(InputError, match="no letters"):
        detect_language("123 456 !!!")


@pytest.mark.parametrize("line,iso", [("الأردن العربي ( الخميس ) 19/11/2015", "2015-11-19"), ("Damascus, March 23, 2015", "2015-03-23")])
def test_datelines_with_a_source_before_the_date(line, iso):
    assert parse_date_line(line) is None
    assert parse_dateline(line) == iso


def test_sentences_ending_in_a_date_are_not_datelines():
    assert parse_dateline("The council said it would meet again on March 23, 2015") is None


def test_clitics_are_split_only_where_they_are_clitics():
    from mt.text.tokenize import tokenize

    assert tokenize("وزير فلسطين لبنان بغداد فيلم", "ar") == ["وزير", "فلسطين", "لبنان", "بغداد", "فيلم"]
    assert tokenize("وقال بالمدينة للصحفيين والمجلس لله", "ar") == ["و+", "قال", "ب+", "ال+", "مدينه", "ل+", "ال+", "صحفيين", "و+", "ال+", "مجلس", "ل+", "الله"]


@pytest.mark.parametrize("base", [0x0660, 0x06F0])
def test_every_eastern_digit_alone_is_converted(base):
    # a text whose only eastern digit is any one of the twenty (the fast path must not skip it)
    for i in range(10):
        assert to_western_digits(f"سنة {chr(base + i)}") == f"سنة {i}"


def test_matching_form_is_diacritics_removed_then_letters_folded():
    """Against the definition: every diacritic removed, then each folded letter mapped, on random Arabic text."""
    import random
    import re

    fold = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "\u0640": None})
    alphabet = [chr(c) for c in range(0x0621, 0x0675)] + ["\u0640", "٣", "۷", " ", "a", "\u200f"]
    rnd = random.Random(9)
    for _ in range(300):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
        want = to_western_digits(re.sub("[\u064b-\u0652\u0670]", "", text).translate(fold))
        assert normalize_for_matching(text) == want, text


def test_every_bidi_control_and_zero_width_character_is_stripped():
    from mt.text.normalize import BIDI_CONTROLS, ZERO_WIDTH, strip_bidi

    for ch in BIDI_CONTROLS + ZERO_WIDTH:
        assert strip_bidi(f"a{ch}b{ch}{ch}c") == "abc"
    assert strip_bidi("a\u200db\u200cc") == "a\u200db\u200cc"  # joiners carry meaning: kept


def test_arabic_word_tokens_are_the_tokens_less_their_clitics():
    """word_tokens' per-word shortcut against its definition, on text with every clitic, digits and Latin words."""
    import random

    from mt.text.tokenize import tokenize, word_tokens

    words = ["والكتاب", "بالمدينة", "للمجلس", "فقال", "وزير", "لله", "والله", "الذي", "وبغداد", "كالعادة", "و", "١٢٣",
             "12", "سيقول", "abc", "ولبنان", "فلسطين", "بالله", "اللهم", "ف", "فقال:", "«والكتاب»", "(بالله)", "١٢،٣",
             "ـوزير", "قال،وذهب"]
    rnd = random.Random(4)
    for _ in range(200):
        text = " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 12)))
        assert word_tokens(text, "ar") == [t for t in tokenize(text, "ar") if not t.endswith("+")], text


def test_words_are_the_patterns_matches_whatever_the_characters():
    """words() runs the pattern only on pieces that are not all letters: the same matches, on letters, digits,
    marks, joiners, underscores, apostrophes, punctuation and every kind of space."""
    import random

    from mt.text.tokenize import _WORD, words

    alphabet = list("abcXYZ019_'’.,-:؟،") + ["ك", "ت", "ا", "ب", "\u064e", "\u0651", "\u0640", "٣", "²", "Ⅻ", "\u200d",
                                              "\u200b", "é", "ß", "İ", " ", "  ", "\t", "\n", "\u00a0", "\u2003", "\x1c", "\u3000"]
    rnd = random.Random(6)
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 25)))
        assert words(text) == _WORD.findall(text), repr(text)


def test_english_word_tokens_are_the_lower_cased_tokens():
    """word_tokens' English shortcut (the apostrophe folded in the text once) against tokenize, word by word."""
    import random

    from mt.text.tokenize import tokenize, word_tokens

    words = ["Don’t", "don't", "O’Brien’s", "’Tis", "rock’n’roll", "İstanbul", "3,000", "12.5", "’", "'", "x’’y", "ÉCOLE",
             "Straße", "a-b", "Ali’", "under_score", "ﬁne"]
    rnd = random.Random(5)
    for _ in range(300):
        text = rnd.choice(["", " ", "’"]).join(rnd.choice(words) for _ in range(rnd.randint(0, 8)))
        assert word_tokens(text, "en") == [t for t in tokenize(text, "en") if not t.endswith("+")], text
    assert word_tokens("Don’t STOP", "en") == ["don't", "stop"]


def test_dates_with_years_in_eastern_digits_and_persian_letters_are_found():
    from mt.text.dates import find_dates

    assert find_dates("قال في ٢٣ آذار ٢٠١٥ إنه") == ["2015-03-23"]
    assert find_dates("في ۵ مارس ۲۰۱۶") == ["2016-03-05"]
    assert find_dates("تشرین الاول 3 و 14 تشرین الاول 2013") == ["2013-10-14"]  # Persian ی in a month name
    assert find_dates("in 2015 and on March 3") == [] and find_dates("no digits at all") == []


def test_dates_need_a_digit_of_the_scripts_news_pages_write():
    """As before the year check: full-width or Devanagari digits alone make no date; beside an ordinary digit they do
    (the patterns read any script's digits)."""
    from mt.text.dates import find_dates

    assert find_dates("\uff11\uff14 March \uff12\uff10\uff11\uff16") == []
    assert find_dates("\uff11\uff14 March \uff12\uff10\uff11\uff16, page 3") == ["2016-03-14"]
