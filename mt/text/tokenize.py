"""Word tokens for matching and lexical models: Arabic clitics split, spellings folded; English lower-cased."""

from __future__ import annotations

import re
from functools import lru_cache

from mt.text.arabic import normalize_for_matching

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
# Proclitics in the order they stack: conjunction, then preposition, then the article.
_CONJ = ("و", "ف")
_PREP = ("ب", "ل", "ك")
# Common words whose first letter is part of the word, not "and"/"so" (in matching form: ة→ه, أ→ا)
_NOT_CONJ = set("""
وزير وزراء وزاره وزارات وطن وطني وطنيه وقت وجه وجود ولد اولاد ولاده وضع اوضاع وصل وصول وقف وفد وفاه واقع وكاله وكالات
ولايه ولايات وادي وحده وحدات وسط وسائل وثيقه وثائق وظيفه وظائف وعد وفق وكيل ورقه وراء وسيله ورد وحيد واجب وجبه وزن
فلسطين فلسطيني فلسطينيه فلسطينيين فيلم افلام فرنسا فرنسي فرنسيه فريق فصائل فصيل فتره فكره فقط فوق فندق فرع فروع فرص فرصه
فقير فقراء فيه فيها فيما فتح فعل فعلا فكر فنان فساد فرض فئه فئات فارغ فاطمه فيديو فبراير فيروس فقد فقدان فريد فضل فصل
""".split())
MIN_STEM = 3  # "بلد", "ولد": a clitic is only split when a real stem is left
_WHOLE = {"الله", "اللهم", "الذي", "التي", "الذين", "اللذين", "اللتين", "اللاتي", "اللائي"}  # not article + word


@lru_cache(maxsize=200_000)
def _split_arabic(word: str) -> tuple[str, ...]:
    return tuple(_split_arabic_uncached(word))


def _split_arabic_uncached(word: str) -> list[str]:
    out: list[str] = []
    w = word
    if w in _WHOLE:
        return [w]
    if w[1:] in _WHOLE and w[0] in "وفبلك":
        return [w[0] + "+", w[1:]]
    if w.endswith("لله") and len(w) <= 5:  # لله, ولله, بالله, والله: clitics on the name of God, kept whole
        return _allah(w)
    if len(w) - 1 >= MIN_STEM and w[0] in _CONJ and w not in _NOT_CONJ:
        out.append(w[0] + "+")
        w = w[1:]
    if w.startswith("لل") and len(w) - 2 >= MIN_STEM - 1:  # ل + ال with the alef dropped: للمجلس
        out += ["ل+", "ال+"]
        return out + [w[2:]]
    # a preposition is only split before the article (بالمدينة, كالعادة): بغداد, لبنان, كتابة keep their first letter
    if len(w) - 1 >= MIN_STEM and w[0] in _PREP and w[1:].startswith("ال"):
        out.append(w[0] + "+")
        w = w[1:]
    if w.startswith("ال") and len(w) - 2 >= MIN_STEM - 1:
        out.append("ال+")
        w = w[2:]
    return out + [w]


def _allah(w: str) -> list[str]:
    if w.endswith("الله"):
        return [c + "+" for c in w[:-4]] + ["الله"]
    return [c + "+" for c in w[:-2]] + ["الله"]  # لله = ل + الله, the article's alef dropped


def words(text: str) -> list[str]:
    """``_WORD.findall(text)``, with the pattern run only on the space-separated pieces that are not all letters.

    No word spans a space, and a piece of letters alone is one word whole (``str.isalpha`` is the pattern's own
    test for a letter): most pieces of prose are such, and the test costs a fraction of the pattern's."""
    out: list[str] = []
    for piece in text.split():
        if piece.isalpha():
            out.append(piece)
        else:
            out += _WORD.findall(piece)
    return out


def tokenize(text: str, lang: str, *, split_clitics: bool = True, cased: bool = False) -> list[str]:
    """Tokens of ``text`` for counting and lexical models. ``cased``: English keeps its case (for glosses),
    one token for one token of the lower-cased form."""
    if lang == "ar":
        found = words(normalize_for_matching(text))
        if not split_clitics:
            return found
        return [t for w in found for t in _clitics_split(w)]
    return [(w if cased else w.lower()).replace("’", "'") for w in words(text)]


def word_tokens(text: str, lang: str) -> list[str]:
    """The tokens that carry meaning on their own: :func:`tokenize` without the clitics it splits off."""
    if lang == "ar":  # piece by space-separated piece (no word spans a space), each piece's stems looked up once: the
        # aligner tokenizes every segment of every document, and the same pieces come back
        return [t for piece in normalize_for_matching(text).split() for t in _arabic_piece(piece)]
    # :func:`tokenize`'s English tokens, which never carry a clitic: the apostrophe folded once in the text, not in
    # every word (the pattern takes either apostrophe alike, so the words are the same)
    return [w.lower() for w in words(text.replace("’", "'"))]


@lru_cache(maxsize=200_000)
def _arabic_piece(piece: str) -> tuple[str, ...]:
    return tuple(t for w in words(piece) for t in _stems(w))


def _clitics_split(word: str) -> tuple[str, ...]:
    # only a word starting with a clitic's letter (or the article's alef) can carry one
    return _split_arabic(word) if word[0] in "وفبلكسا" and not word[0].isdigit() else (word,)


@lru_cache(maxsize=200_000)
def _stems(word: str) -> tuple[str, ...]:
    return tuple(t for t in _clitics_split(word) if not t.endswith("+"))


def _is_arabic_word(tok: str) -> bool:
    return bool(tok) and "\u0600" <= tok[0] <= "\u06ff"


def join_clitics(tokens: list[str]) -> str:
    """Arabic text from tokens: ``و+ ال+ مدينه`` → ``والمدينه``; a clitic with no Arabic word after it is dropped."""
    out: list[str] = []
    pending = ""
    for tok in tokens:
        if tok.endswith("+") and len(tok) > 1:
            if tok[:-1] not in pending.split("|"):  # "ال+ ال+": one article is enough
                pending += ("|" if pending else "") + tok[:-1]
            continue
        prefix = pending.replace("|", "")
        if prefix and _is_arabic_word(tok):
            if prefix.endswith("لال"):  # ل + ال is written لل
                prefix = prefix[:-3] + "لل"
            tok = prefix + tok
        out.append(tok)
        pending = ""
    return " ".join(out)
