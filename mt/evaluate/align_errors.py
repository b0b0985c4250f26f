"""Where an aligner goes wrong: its wrong beads sorted by what surrounds them in the gold.

The kind that remains once length and vocabulary are used well sits next to deletions: a segment
one side leaves out whose neighbour shares a long run of words with it (chains of narrators,
repeated formulae, a question asked twice). Neither length nor vocabulary tells the neighbours
apart there, so the path slides by one. :func:`error_kinds` counts the wrong beads of each kind:

- ``deletion+shared``: next to a segment the gold leaves unaligned, and that segment shares a run of
  at least ``run`` words with a neighbour on its side;
- ``deletion``: next to such a segment, without a shared run;
- ``other``: every other wrong bead.

A wrong bead is one of the test beads that is not in the gold (what strict precision counts).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from mt.text.tokenize import tokenize

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]
KINDS = ("deletion+shared", "deletion", "other")


def longest_shared_run(a: list[str], b: list[str]) -> int:
    """Length of the longest run of tokens found in both sequences (longest common substring)."""
    if not a or not b:
        return 0
    best = 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b, 1):
            if x == y:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best = cur[j]
        prev = cur
    return best


@dataclass(frozen=True)
class ErrorKinds:
    counts: dict[str, int]
    wrong: int  # wrong beads in all
    deletions: int  # gold deletions (segments aligned to nothing)

    def share(self, kind: str) -> float:
        return self.counts.get(kind, 0) / self.wrong if self.wrong else 0.0

    def line(self) -> str:
        parts = ", ".join(f"{k} {self.counts.get(k, 0)}" for k in KINDS)
        return f"{self.wrong} wrong beads: {parts} ({self.deletions} gold deletions)"


def error_kinds(docs: list[tuple[list[str], list[str], str, str]], golds: list[Beads], tests: list[Beads],
                run: int = 5) -> ErrorKinds:
    """Count wrong beads by kind. ``docs``: (source segments, target segments, source language, target language)."""
    counts: Counter = Counter()
    wrong = deletions = 0
    for (src, tgt, sl, tl), gold, test in zip(docs, golds, tests):
        gold_set = {(tuple(s), tuple(t)) for s, t in gold}
        sides = ((0, src, sl), (1, tgt, tl))
        near: list[dict[int, bool]] = [{}, {}]  # per side: segment index -> next to a deletion that shares a run
        for s, t in gold_set:
            if s and t:
                continue
            deletions += 1
            side, segs, lang = sides[0] if s else sides[1]
            i = (s or t)[0]
            toks = tokenize(segs[i], lang)
            shared = any(longest_shared_run(toks, tokenize(segs[k], lang)) >= run
                         for k in (i - 1, i + 1) if 0 <= k < len(segs))
            for k in (i - 1, i, i + 1):
                near[side][k] = near[side].get(k, False) or shared
        for s, t in test:
            if (tuple(s), tuple(t)) in gold_set or not (s or t):
                continue
            wrong += 1
            flags = [near[0][i] for i in s if i in near[0]] + [near[1][j] for j in t if j in near[1]]
            counts["deletion+shared" if any(flags) else "deletion" if flags else "other"] += 1
    return ErrorKinds(dict(counts), wrong, deletions)
