"""How personal names are written in English text about the Arab world: the particles inside a name."""

from __future__ import annotations

# lowercase words that sit inside a capitalised name ("Mohammed al-Haj Ali", "Omar bin Laden", "Ursula von der Leyen")
PARTICLES = ("al", "el", "bin", "ibn", "abu", "abou", "abd", "bint", "umm", "de", "van", "von", "der", "le", "la", "da")
PARTICLE = "(?:" + "|".join(PARTICLES) + ")"  # as a regular expression
