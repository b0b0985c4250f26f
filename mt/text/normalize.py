"""Normalisation of stored text (what every ingested article goes through)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from mt.text.chars import replace_chars

# Bidi controls come with copied web text; they are invisible and break matching and exports.
BIDI_CONTROLS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
# Zero-width characters other than ZWJ/ZWNJ, which carry meaning in some scripts.
ZERO_WIDTH = "\u200b\u2060\ufeff"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


_DELETE = tuple((c, "") for c in BIDI_CONTROLS + ZERO_WIDTH)


def strip_bidi(text: str) -> str:
    """Remove bidi control and zero-width characters."""
    return replace_chars(text, _DELETE)


def normalize_text(text: str) -> str:
    """NFC, unified line ends, no bidi controls, no control characters, runs of spaces folded to one.

    Line structure is kept: paragraph boundaries matter to every later stage.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", strip_bidi(text))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def split_paragraphs(text: str) -> list[str]:
    """Split on blank lines; single line breaks inside a paragraph are kept."""
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


@lru_cache(maxsize=4096)  # cleaners compare the same blocks several times over
def match_key(text: str) -> str:
    """Text reduced for comparison (duplicates, repeated titles, identity tests): compatibility forms, Arabic
    spelling variants, diacritics, case, punctuation and spacing folded."""
    from mt.text.arabic import normalize_for_matching

    t = normalize_for_matching(unicodedata.normalize("NFKC", text)).casefold()
    return " ".join(re.sub(r"[^\w\s]|_", " ", t).split())
