"""Quotation marks as anchors: a quoted statement stays quoted in translation, whatever the marks (« », “ ”, " ")."""

from __future__ import annotations

import re

import numpy as np

from mt.align.scorers.base import DocPair, Scorer, block_sums

_QUOTED = re.compile(r"«[^»]{3,}»|“[^”]{3,}”|\"[^\"]{3,}\"|„[^“”]{3,}[“”]")


def quote_count(text: str) -> int:
    return len(_QUOTED.findall(text))


class QuoteScorer(Scorer):
    name = "quotes"
    static = True
    features = ("quotes",)

    def prepare(self, doc: DocPair) -> None:
        super().prepare(doc)
        if "quote-sums" not in doc.cache:  # the same for every pass over the document
            doc.cache["quote-sums"] = (np.concatenate([[0], np.cumsum([quote_count(s) for s in doc.src])]),
                                       np.concatenate([[0], np.cumsum([quote_count(t) for t in doc.tgt])]))
        self.ps, self.pt = doc.cache["quote-sums"]

    def score(self, a, b, I, J):
        qs = block_sums(self.ps, I, a)
        qt = block_sums(self.pt, J, b)
        both = (qs > 0) & (qt > 0)
        # quotes on one side only are no evidence: translators add quotation marks the original did not use
        return np.where(both, np.minimum(qs, qt) / np.maximum(np.maximum(qs, qt), 1), 0.0)[None, :]
