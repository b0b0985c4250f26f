"""Alignment scorers, one per signal; each usable alone, combined by the aligner with weights."""

from mt.align.scorers.base import DocPair, Scorer
from mt.align.scorers.length import LengthScorer
from mt.align.scorers.match import LexicalScorer, NameScorer, NumberScorer
from mt.align.scorers.mt import MTScorer
from mt.align.scorers.quotes import QuoteScorer
from mt.align.scorers.structure import StructureScorer

SCORERS = {
    "length": LengthScorer,
    "lexical": LexicalScorer,
    "numbers": NumberScorer,
    "names": NameScorer,
    "structure": StructureScorer,
    "mt": MTScorer,
    "quotes": QuoteScorer,
}

__all__ = ["SCORERS", "DocPair", "LengthScorer", "LexicalScorer", "MTScorer", "NameScorer", "QuoteScorer",
           "NumberScorer", "Scorer", "StructureScorer"]
