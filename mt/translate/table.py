"""Word translation tables: p(target word | source word), sparse, shared by the lexicon and its phrase tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NULL = "<null>"  # the empty source word of IBM-1, index 0 of every source vocabulary


@dataclass
class Table:
    """p(tgt | src) for one direction, sparse, each source word's entries sorted best first."""

    src_vocab: np.ndarray
    tgt_vocab: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    probs: np.ndarray

    def __post_init__(self):
        self._src_index = {w: i for i, w in enumerate(self.src_vocab.tolist())}

    def best(self, word: str, k: int = 5) -> list[tuple[str, float]]:
        i = self._src_index.get(word)
        if i is None:
            return []
        a, b = self.indptr[i], min(self.indptr[i + 1], self.indptr[i] + k)
        return [(str(self.tgt_vocab[j]), float(p)) for j, p in zip(self.indices[a:b], self.probs[a:b])]

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_src": self.src_vocab, f"{prefix}_tgt": self.tgt_vocab, f"{prefix}_indptr": self.indptr,
                f"{prefix}_indices": self.indices, f"{prefix}_probs": self.probs}

    @classmethod
    def from_arrays(cls, z, prefix: str) -> Table:
        return cls(*(z[f"{prefix}_{k}"] for k in ("src", "tgt", "indptr", "indices", "probs")))


def to_table(keys, t, n_t, s_vocab, t_vocab, top_k, min_prob) -> Table:
    """A table from flat keys ``f * n_t + e`` and their probabilities: each source word's ``top_k`` best, those
    below ``min_prob`` left out (but never a word's best)."""
    f_of, e_of = keys // n_t, keys % n_t
    order = np.lexsort((-t, f_of))  # by source word, best first
    f_sorted, e_sorted, t_sorted = f_of[order], e_of[order], t[order]
    rank = np.arange(len(order)) - np.searchsorted(f_sorted, f_sorted, side="left")
    keep = (rank < top_k) & ((t_sorted >= min_prob) | (rank == 0))
    f_k, e_k, t_k = f_sorted[keep], e_sorted[keep], t_sorted[keep].astype(np.float32)
    indptr = np.zeros(len(s_vocab) + 1, dtype=np.int64)
    np.add.at(indptr, f_k + 1, 1)
    return Table(
        np.array(list(s_vocab), dtype=str), np.array(list(t_vocab) or [""], dtype=str),
        np.cumsum(indptr), e_k.astype(np.int32), t_k,
    )
