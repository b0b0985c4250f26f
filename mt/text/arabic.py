"""Arabic for matching only: these forms are never written back to stored text."""

from __future__ import annotations

import re
from functools import lru_cache

from mt.text.chars import replace_chars

DIACRITICS = "".join(chr(c) for c in [*range(0x064B, 0x0653), 0x0670])  # tanween, short vowels, shadda, sukun, dagger alef
TATWEEL = "\u0640"
# the diacritics out first, then the folded letters (none folds into another)
_FOLD = tuple((c, "") for c in DIACRITICS) + (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ٱ", "ا"), ("ى", "ي"), ("ة", "ه"),
                                              (TATWEEL, ""))
_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}})


_EASTERN_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9]")


def to_western_digits(text: str) -> str:
    """Arabic-Indic (٠-٩) and Persian (۰-۹) digits to 0-9."""
    # most text has none, and a regex finds that out many times faster than translating it character by character
    return text.translate(_DIGITS) if _EASTERN_DIGIT.search(text) else text


@lru_cache(maxsize=20_000)
def normalize_for_matching(text: str) -> str:
    """Fold the spellings that vary freely in Arabic (hamza seats, final ya/ta marbuta, diacritics, tatweel, digits).

    Cached: the aligner's scorers each match the same segments (words, names, numbers, dates)."""
    # by replacing, not translate (measured on the development collections: 10 ms against 48 for 1,362 segments)
    return to_western_digits(replace_chars(text, _FOLD))


# A plain consonant transliteration, for names the lexicon has never seen: al-Hader, not الحاضر,
# shares letters with an English reference (and with what a reader can pronounce).
_LATIN = {"ا": "a", "أ": "a", "إ": "i", "آ": "a", "ء": "", "ؤ": "u", "ئ": "i", "ب": "b", "ت": "t", "ث": "th", "ج": "j",
          "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z", "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t",
          "ظ": "z", "ع": "a", "غ": "gh", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ة": "ah",
          "و": "w", "ي": "y", "ى": "a"}


def transliterate(word: str) -> str:
    """``حمزه`` → ``Hmzah``: consonants as English spells them, a final ه/ة as "ah", a capital first letter."""
    w = normalize_for_matching(word)
    if w.endswith("ه") and len(w) > 2:
        w = w[:-1] + "ة"
    out = "".join(_LATIN.get(ch, ch) for ch in w)
    # unwritten short vowels: an "a" after a first consonant that another follows (حمزة → Hamzah)
    if len(out) > 2 and out[0] not in "aeiou" and out[1] not in "aeiouwy" and not out.startswith(("sh", "kh", "th", "dh", "gh")):
        out = out[0] + "a" + out[1:]
    return out[:1].upper() + out[1:] if out else word
