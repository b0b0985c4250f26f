"""Translation similarity (Bleualign's signal): chrF between the machine translation of the source block and the target block."""

from __future__ import annotations

import numpy as np

from mt.align.dp import Band
from mt.align.scorers.base import DocPair, Scorer


class MTScorer(Scorer):
    """chrF (sacrebleu, default settings) of each candidate bead, minus the document's typical chrF.

    Exact chrF for every candidate costs one sacrebleu call per distinct bead: right for turns and
    articles, slow for documents of thousands of sentences (use the lexical signal there).
    """

    name = "mt"
    static = True
    features = ("mt",)

    @classmethod
    def for_document(cls, doc: DocPair, model=None) -> MTScorer | None:
        return cls() if doc.src_mt is not None else None

    def prepare(self, doc: DocPair) -> None:
        from sacrebleu.metrics import CHRF

        super().prepare(doc)
        self.active = doc.src_mt is not None
        self.chrf = CHRF()
        self.cache: dict[tuple[int, int, int, int], float] = {}
        self.base = 0.0

    def _chrf(self, i0, i1, j0, j1) -> float:
        key = (i0, i1, j0, j1)
        if key not in self.cache:
            assert self.doc.src_mt is not None, "the MT scorer runs only on documents with a translation"
            hyp = " ".join(self.doc.src_mt[i0:i1])
            ref = " ".join(self.doc.tgt[j0:j1])
            self.cache[key] = self.chrf.sentence_score(hyp, [ref]).score / 100.0 if hyp.strip() and ref.strip() else 0.0
        return self.cache[key]

    def prepare_band(self, band: Band) -> None:
        if not self.active:
            return
        rows, cols = band.grid()
        ok = (rows >= 1) & (cols >= 1) & (cols <= band.m)
        sample = list(zip(rows[ok].tolist(), cols[ok].tolist()))[:: max(1, int(ok.sum()) // 2000)]
        vals = [self._chrf(i - 1, i, j - 1, j) for i, j in sample]
        self.base = float(np.median(vals)) if vals else 0.0

    def score(self, a, b, I, J):
        if not self.active:
            return np.zeros((1, len(I)))
        return (np.array([self._chrf(i - a, i, j - b, j) for i, j in zip(I.tolist(), J.tolist())]) - self.base)[None, :]
