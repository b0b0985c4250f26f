"""Numbers written as words, in English and Arabic, as the figures they stand for.

Only what both languages write alike is kept, so that the two sides give the same figures: a
number is the bag of its additive parts (``thirteen`` and ``ثلاثة عشر`` both give 3 and 10,
``twenty-three`` and ``ثلاث وعشرون`` both 20 and 3, ``three hundred`` and ``ثلاثمائة`` both 3 and
100). "One" and its Arabic forms are left out: far more often a pronoun ("no one") or an article
than a count.
"""

from __future__ import annotations

from functools import lru_cache

from mt.text.tokenize import word_tokens

_EN = {
    "two": (2,), "three": (3,), "four": (4,), "five": (5,), "six": (6,), "seven": (7,), "eight": (8,), "nine": (9,),
    "ten": (10,), "eleven": (10,), "twelve": (2, 10), "thirteen": (3, 10), "fourteen": (4, 10), "fifteen": (5, 10),
    "sixteen": (6, 10), "seventeen": (7, 10), "eighteen": (8, 10), "nineteen": (9, 10), "twenty": (20,), "thirty": (30,),
    "forty": (40,), "fifty": (50,), "sixty": (60,), "seventy": (70,), "eighty": (80,), "ninety": (90,),
    "hundred": (100,), "hundreds": (100,), "thousand": (1000,), "thousands": (1000,), "million": (10**6,), "millions": (10**6,),
}
# Arabic in the matching form of mt.text.arabic (أ إ آ → ا, ة → ه, ى → ي), clitics already split off
_AR_UNITS = {
    "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2,
    "ثلاث": 3, "ثلاثه": 3, "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7,
    "ثمان": 8, "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
}
_AR_TENS = {"عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40, "خمسون": 50, "خمسين": 50,
            "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90}
_AR_BIG = {"مائه": 100, "مئه": 100, "مايه": 100, "مائتان": 200, "مائتين": 200, "مائتا": 200, "مئتا": 200, "مئتان": 200, "مئتين": 200,
           "الف": 1000, "الاف": 1000, "الفا": 1000, "الفين": 2000, "مليون": 10**6, "ملايين": 10**6}


_AR = {w: ((2, v // 2) if v in (200, 2000) else (v,)) for table in (_AR_UNITS, _AR_TENS, _AR_BIG) for w, v in table.items()}
_HUNDREDS = ("مائه", "مئه", "مايه")


def _arabic(token: str, clitic: bool = True) -> tuple[int, ...]:
    hit = _AR.get(token)
    if hit:
        return hit
    # بثلاثمائة: the tokenizer keeps a preposition before a word without the article; لست is "I am not", not ل + six
    if clitic and len(token) > 3 and token[0] in "وفبلك" and token[1:] != "ست":
        return _arabic(token[1:], False)
    if token.endswith(_HUNDREDS):  # ثلاثمائة: the hundreds are written as one word
        for big in _HUNDREDS:
            if token.endswith(big) and token[: -len(big)] in _AR_UNITS:
                return (_AR_UNITS[token[: -len(big)]], 100)
    return ()


@lru_cache(maxsize=100_000)
def _arabic_word(token: str) -> tuple[int, ...]:
    return _arabic(token)  # every token of every Arabic segment is looked up: the same words come back


def number_words(text: str, lang: str, tokens: list[str] | None = None) -> list[str]:
    """The figures that number words in ``text`` stand for, as digit strings (additive parts, see the module).

    ``tokens``: the text's :func:`~mt.text.tokenize.word_tokens`, when they are at hand already.
    """
    toks = word_tokens(text, lang) if tokens is None else tokens
    # most segments have no number word: the look-ups run in C, and only what is found comes back to Python
    found = filter(None, map(_arabic_word, toks)) if lang == "ar" else [_EN[t] for t in toks if t in _EN]
    return [str(v) for parts in found for v in parts]
