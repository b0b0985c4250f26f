"""Interviews give structure for free: a question pairs with a question, an answer with an answer."""

from __future__ import annotations

import numpy as np

from mt.align.scorers.base import DocPair, Scorer

_CODES = {"question": 1, "answer": 2}  # intro and paragraph: 0, neutral


class StructureScorer(Scorer):
    name = "structure"
    static = True
    features = ("structure:same", "structure:clash")

    @classmethod
    def for_document(cls, doc: DocPair, model=None) -> StructureScorer | None:
        return cls() if doc.src_roles is not None and doc.tgt_roles is not None else None

    def prepare(self, doc: DocPair) -> None:
        super().prepare(doc)
        self.active = doc.src_roles is not None and doc.tgt_roles is not None
        if doc.src_roles is not None and doc.tgt_roles is not None:
            self.rs = np.array([_CODES.get(r, 0) for r in doc.src_roles] or [0])
            self.rt = np.array([_CODES.get(r, 0) for r in doc.tgt_roles] or [0])

    def _roles(self, codes: np.ndarray, end: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Whether the block holds a question, and whether it holds an answer."""
        q = np.zeros(end.shape, dtype=bool)
        a = np.zeros(end.shape, dtype=bool)
        for k in range(1, size + 1):
            c = codes[np.clip(end - k, 0, len(codes) - 1)]
            q |= c == 1
            a |= c == 2
        return q, a

    def score(self, a, b, I, J):
        if not self.active:
            return np.zeros((2, len(I)))
        sq, sa = self._roles(self.rs, I, a)
        tq, ta = self._roles(self.rt, J, b)
        ms = sq.astype(int) | (sa.astype(int) << 1)  # 1: questions, 2: answers, 3: both
        mt = tq.astype(int) | (ta.astype(int) << 1)
        same = (ms == mt) & ((ms == 1) | (ms == 2))
        clash = (ms > 0) & (mt > 0) & (ms != mt)
        return np.stack([same.astype(float), clash.astype(float)])
