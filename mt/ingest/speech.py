"""How an intro says who interviewed whom: the verbs both segmentation (who asks) and the byline read.

"X spoke to Y", "X interviewed Y": X asks. "Y tells X", "Y said to X": Y answers. The byline and the
segmenter read the same sentence, so they read it with these lists and this direction, never two.
"""

from __future__ import annotations

import re

# the subject asks: a reporter or an outlet "spoke to", "interviewed", "met" the person who answers
ASKING = ("spoke to", "spoke with", "speaks to", "speaks with", "talked to", "talked with", "talks to", "talks with",
          "sat down with", "interviewed", "asked", "met", "caught up with", "put questions to", "questioned",
          "conducted with", "held with")
# the subject answers: the person "tells" or "said to" the outlet or reporter
TELLING = ("tells", "told", "said to", "says to", "explains to", "explained to")
ASKING_AR = r"(?:التقت|التقى|حاورت|حاور|تحدثت\s+(?:إلى|الى|مع)|تحدث\s+(?:إلى|الى|مع)|سألت|سأل|أجرت\s+\S+\s+مع)"


def alternation(verbs: tuple[str, ...]) -> str:
    """A regex alternative of the verbs, any run of spaces between their words, longest first."""
    return "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in sorted(verbs, key=len, reverse=True))


def subject_asks(verb: str) -> bool:
    """True for "spoke to" and its kin, False for "tells" and its kin."""
    return " ".join(verb.lower().split()) in ASKING


def alternation_apart(verbs: tuple[str, ...]) -> str:
    """Like :func:`alternation`, but up to three words may come between a verb and its preposition ("spoke on
    Wednesday with")."""
    def one(v: str) -> str:
        words = [re.escape(w) for w in v.split()]
        return words[0] + "".join(rf"\s+(?:\S+\s+){{0,3}}?{w}" for w in words[1:])
    return "|".join(one(v) for v in sorted(verbs, key=len, reverse=True))
