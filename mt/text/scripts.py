"""Which script a text is written in, and from that which of our languages it is."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from mt.errors import InputError

LANGS = ("ar", "en")


def is_arabic_char(ch: str) -> bool:
    o = ord(ch)
    return 0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF


def is_latin_char(ch: str) -> bool:
    return ch.isascii() and ch.isalpha() or ("\u00c0" <= ch <= "\u024f" and ch.isalpha())


@dataclass(frozen=True)
class ScriptCounts:
    arabic: int
    latin: int
    other: int

    @property
    def letters(self) -> int:
        return self.arabic + self.latin + self.other

    @property
    def arabic_share(self) -> float:
        return self.arabic / self.letters if self.letters else 0.0

    @property
    def latin_share(self) -> float:
        return self.latin / self.letters if self.letters else 0.0


def count_scripts(text: str) -> ScriptCounts:
    ar = la = other = 0
    for ch, n in Counter(text).items():  # each distinct character classified once: a page has a few hundred
        if not ch.isalpha():
            continue
        if is_arabic_char(ch):
            ar += n
        elif is_latin_char(ch):
            la += n
        else:
            other += n
    return ScriptCounts(ar, la, other)


# An interview in one language still quotes names and acronyms in the other script,
# so a language needs a clear majority of the letters, not all of them.
DOMINANT_SHARE = 0.7


def detect_language(text: str) -> str:
    """Return ``"ar"`` or ``"en"``; raise :class:`InputError` when the text is neither or a mix."""
    c = count_scripts(text)
    if c.letters == 0:
        raise InputError("no letters in the text, so no article in it")
    if c.arabic_share >= DOMINANT_SHARE:
        return "ar"
    if c.latin_share >= DOMINANT_SHARE:
        return "en"
    if c.arabic_share + c.latin_share < 0.5:
        raise InputError(
            f"text is mostly in a script that is neither Arabic nor Latin ({c.other} of {c.letters} letters)"
        )
    raise InputError(
        f"mixed scripts: {c.arabic_share:.0%} Arabic and {c.latin_share:.0%} Latin letters; "
        "pass --lang ar or --lang en if this is one article"
    )


def check_language(text: str, lang: str) -> None:
    """Refuse a declared language that the text's script plainly contradicts."""
    if lang not in LANGS:
        raise InputError(f"unsupported language {lang!r}; use one of {', '.join(LANGS)}")
    c = count_scripts(text)
    share = c.arabic_share if lang == "ar" else c.latin_share
    if c.letters and share < 0.2:
        raise InputError(f"declared language {lang} but only {share:.0%} of the letters are in its script")
