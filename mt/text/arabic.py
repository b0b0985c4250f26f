"""Arabic for matching only: these forms are never written back to stored text."""

from __future__ import annotations

import re

DIACRITICS = re.compile("[\u064b-\u0652\u0670]")
TATWEEL = "\u0640"
_FOLD = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        TATWEEL: None,
    }
)
_DIGITS = str.maketrans({**{chr(0x0660 + i): str(i) for i in range(10)}, **{chr(0x06F0 + i): str(i) for i in range(10)}})


def to_western_digits(text: str) -> str:
    """Arabic-Indic (٠-٩) and Persian (۰-۹) digits to 0-9."""
    return text.translate(_DIGITS)


def normalize_for_matching(text: str) -> str:
    """Fold the spellings that vary freely in Arabic (hamza seats, final ya/ta marbuta, diacritics, tatweel, digits)."""
    return to_western_digits(DIACRITICS.sub("", text).translate(_FOLD))
