"""Alignment scorers, one per signal; each usable alone, combined by the aligner with weights."""

from mt.align.scorers.base import DocPair, Scorer
from mt.align.scorers.length import LengthScorer
from mt.align.scorers.match import LexicalScorer, NameScorer, NumberScorer
from mt.align.scorers.mt import MTScorer
from mt.align.scorers.quotes import QuoteScorer
from mt.align.scorers.structure import StructureScorer
from mt.registry import Registry

# the aligner uses every registered scorer that applies to a document (``Scorer.for_document``), in this order
SCORERS: Registry[type[Scorer]] = Registry("scorer")
for _cls in (LengthScorer, NumberScorer, NameScorer, QuoteScorer, StructureScorer, MTScorer, LexicalScorer):
    SCORERS.register(_cls.name, _cls)

__all__ = ["SCORERS", "DocPair", "LengthScorer", "LexicalScorer", "MTScorer", "NameScorer", "QuoteScorer",
           "NumberScorer", "Scorer", "StructureScorer"]
