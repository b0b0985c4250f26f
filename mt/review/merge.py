"""Three-way merge of one side of a bead, word by word: what two people did to the same text, combined.

``base`` is the text both started from (what a reviewer loaded, or the text as aligned), ``mine`` the
reviewer's, ``theirs`` the current one (a colleague's save, or a corrected source). Changes that do not
overlap combine; where both changed the same words differently, the chunk is a conflict that only a
person resolves (:func:`resolve` takes their choices). The core is diff3 over stdlib ``difflib``: the
maintained Python diff3 (``merge3``) is GPL-2.0, which an MIT package cannot depend on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from mt.errors import InputError

ChunkKind = Literal["same", "mine", "theirs", "both", "conflict"]
# punctuation is its own token so that "five," → "5," is a change of one word, not of "five,"
_PUNCT = r".,;:!?؟،؛()\[\]{}\"“”‘’«»…—–/"
_TOKEN = re.compile(rf"\s+|[{_PUNCT}]|[^\s{_PUNCT}]+")


@dataclass(frozen=True)
class Chunk:
    """A stretch of the merged text: kept by all (``same``), changed by one side only (``mine``/``theirs``),
    changed alike by both (``both``), or changed differently by both (``conflict``)."""

    kind: ChunkKind
    base: str
    mine: str
    theirs: str

    @property
    def text(self) -> str:
        """The merged text of a chunk that is not a conflict."""
        if self.kind == "conflict":
            raise InputError("a conflict has no merged text until someone chooses")
        return self.theirs if self.kind in ("same", "theirs", "both") else self.mine


@dataclass(frozen=True)
class Merge:
    chunks: tuple[Chunk, ...]

    @property
    def conflicts(self) -> int:
        return sum(c.kind == "conflict" for c in self.chunks)

    @property
    def clean(self) -> bool:
        return self.conflicts == 0

    @property
    def text(self) -> str | None:
        """The combined text, or None while a conflict is open."""
        return "".join(c.text for c in self.chunks) if self.clean else None

    def count(self, kind: ChunkKind) -> int:
        return sum(c.kind == kind for c in self.chunks)


def tokens(text: str) -> list[str]:
    """Words, punctuation marks and runs of white space; joined, they give the text back exactly."""
    return _TOKEN.findall(text)


def _sync_regions(base: Sequence[str], mine: Sequence[str], theirs: Sequence[str]):
    """Stretches of ``base`` that both ``mine`` and ``theirs`` kept, with where they sit in each (diff3's anchors)."""
    ma = SequenceMatcher(None, base, mine, autojunk=False).get_matching_blocks()
    mb = SequenceMatcher(None, base, theirs, autojunk=False).get_matching_blocks()
    i = j = 0
    out = []
    while i < len(ma) and j < len(mb):
        a_base, a_mine, a_len = ma[i]
        b_base, b_theirs, b_len = mb[j]
        lo, hi = max(a_base, b_base), min(a_base + a_len, b_base + b_len)
        if lo < hi:
            out.append((lo, hi, a_mine + lo - a_base, a_mine + hi - a_base, b_theirs + lo - b_base, b_theirs + hi - b_base))
        if a_base + a_len < b_base + b_len:
            i += 1
        else:
            j += 1
    out.append((len(base), len(base), len(mine), len(mine), len(theirs), len(theirs)))
    return out


def merge3(base: str, mine: str, theirs: str) -> Merge:
    """Combine two edits of ``base`` word by word (see the module's docstring)."""
    b, m, t = tokens(base), tokens(mine), tokens(theirs)
    chunks: list[Chunk] = []

    def add(kind: ChunkKind, bs, ms, ts) -> None:
        bt, mt, tt = "".join(bs), "".join(ms), "".join(ts)
        if chunks and chunks[-1].kind == kind and kind != "conflict":  # one chunk per stretch, for a readable view
            last = chunks.pop()
            bt, mt, tt = last.base + bt, last.mine + mt, last.theirs + tt
        chunks.append(Chunk(kind, bt, mt, tt))

    bz = mz = tz = 0
    for b0, b1, m0, m1, t0, t1 in _sync_regions(b, m, t):
        bs, ms, ts = b[bz:b0], m[mz:m0], t[tz:t0]
        if bs or ms or ts:
            if ms == ts:
                add("both", bs, ms, ts)
            elif ms == bs:
                add("theirs", bs, ms, ts)
            elif ts == bs:
                add("mine", bs, ms, ts)
            else:
                add("conflict", bs, ms, ts)
        if b1 > b0:
            add("same", b[b0:b1], m[m0:m1], t[t0:t1])
        bz, mz, tz = b1, m1, t1
    return Merge(tuple(_adjacent_overlaps(chunks)))


def _adjacent_overlaps(chunks: list[Chunk]) -> list[Chunk]:
    """Changes of both sides with only white space between them are one overlap (as git takes adjacent lines).

    Where a word was inserted beside a word the other side replaced, which side's diff the space went to is the
    matcher's whim; a person decides such places instead."""
    out: list[Chunk] = []
    k = 0
    while k < len(chunks):
        if chunks[k].kind == "same":
            out.append(chunks[k])
            k += 1
            continue
        j = k  # a run of changes joined by white space only
        while j + 2 < len(chunks) and chunks[j + 1].kind == "same" and not chunks[j + 1].base.strip() and chunks[j + 2].kind != "same":
            j += 2
        run = chunks[k:j + 1]
        kinds = {c.kind for c in run}
        if j > k and ("conflict" in kinds or {"mine", "theirs"} <= kinds):
            out.append(Chunk("conflict", *("".join(getattr(c, f) for c in run) for f in ("base", "mine", "theirs"))))
        else:
            out.extend(run)
        k = j + 1
    return out


def resolve(merge: Merge, choices: Sequence[str]) -> str:
    """The merged text with each conflict, in order, taken from ``"mine"`` or ``"theirs"``."""
    if len(choices) != merge.conflicts or any(c not in ("mine", "theirs") for c in choices):
        raise InputError(f"choose 'mine' or 'theirs' for each of the {merge.conflicts} conflicting place(s)")
    pick = iter(choices)
    return "".join((c.mine if next(pick) == "mine" else c.theirs) if c.kind == "conflict" else c.text for c in merge.chunks)


def locate(part: str, text: str) -> tuple[int, int]:
    """The character span of ``text`` that holds ``part`` (as it was, give or take a few words): where a sentence
    went when a colleague merged its bead into another. ``(0, len(text))`` if nothing matches."""
    p, t = tokens(part), tokens(text)
    blocks = [blk for blk in SequenceMatcher(None, p, t, autojunk=False).get_matching_blocks()
              if blk.size and any(not x.isspace() for x in t[blk.b:blk.b + blk.size])]
    if not blocks:
        return 0, len(text)
    # grow from the longest match, taking a neighbouring match only where the gap between them is about the
    # same in both: a "the" of another sentence is not part of this one
    k = max(range(len(blocks)), key=lambda i: blocks[i].size)
    lo = hi = k
    while lo > 0 and (blocks[lo].b - blocks[lo - 1].b - blocks[lo - 1].size) <= (blocks[lo].a - blocks[lo - 1].a - blocks[lo - 1].size) + 3:
        lo -= 1
    while hi + 1 < len(blocks) and (blocks[hi + 1].b - blocks[hi].b - blocks[hi].size) <= (blocks[hi + 1].a - blocks[hi].a - blocks[hi].size) + 3:
        hi += 1
    start, end = blocks[lo].b, blocks[hi].b + blocks[hi].size
    offset = [0]
    for x in t:
        offset.append(offset[-1] + len(x))
    return offset[start], offset[end]


def as_json(merge: Merge) -> dict:
    return {"chunks": [{"kind": c.kind, "base": c.base, "mine": c.mine, "theirs": c.theirs} for c in merge.chunks],
            "conflicts": merge.conflicts, "text": merge.text,
            "theirs_changes": merge.count("theirs"), "my_changes": merge.count("mine")}
