"""Long text never reaches a model whole: segments are split at paragraphs, sentences and clauses into
chunks under the model's token limit, translated, and joined back with the paragraph breaks in place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from mt.text.sentences import split_clauses, split_sentences

_PARA = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Layout:
    """How one segment was cut: for each paragraph, the indices of its chunks in the flat chunk list."""

    paragraphs: tuple[tuple[int, ...], ...]

    @property
    def chunks(self) -> int:
        return sum(len(p) for p in self.paragraphs)


def _fit(pieces: list[str], limit: int, count: Callable[[list[str]], list[int]]) -> list[str]:
    """Greedily pack consecutive pieces into chunks of at most ``limit`` tokens; cut what alone is too long."""
    sizes = count(pieces)
    out: list[str] = []
    cur: list[str] = []
    cur_size = 0
    for piece, size in zip(pieces, sizes):
        if size > limit:
            if cur:
                out.append(" ".join(cur))
                cur, cur_size = [], 0
            out.extend(_cut(piece, limit, count))
            continue
        if cur and cur_size + size > limit:
            out.append(" ".join(cur))
            cur, cur_size = [], 0
        cur.append(piece)
        cur_size += size
    if cur:
        out.append(" ".join(cur))
    return out


def _cut(sentence: str, limit: int, count: Callable[[list[str]], list[int]]) -> list[str]:
    clauses = split_clauses(sentence)
    if len(clauses) > 1:
        return _fit(clauses, limit, count)
    words = sentence.split()
    if len(words) <= 1:
        if len(sentence) <= 1:
            return [sentence]
        mid = len(sentence) // 2  # one unbroken run (a URL, a table dump): halve by characters
        halves = [sentence[:mid], sentence[mid:]]
    else:
        # halve until the pieces fit: few count() calls even for very long runs of words
        mid = len(words) // 2
        halves = [" ".join(words[:mid]), " ".join(words[mid:])]
    return [c for h, n in zip(halves, count(halves)) for c in ([h] if n <= limit else _cut(h, limit, count))]


def plan(segments: list[str], limit: int, count: Callable[[list[str]], list[int]]) -> tuple[list[str], list[Layout]]:
    """Chunks to translate (flat, in order) and, per segment, where its chunks go."""
    chunks: list[str] = []
    layouts: list[Layout] = []
    for seg in segments:
        paras = []
        for para in (p.strip() for p in _PARA.split(seg)):
            if not para:
                continue
            lines = " ".join(para.split("\n"))
            whole = count([lines])[0]
            pieces = [lines] if whole <= limit else _fit(split_sentences(lines), limit, count)
            paras.append(tuple(range(len(chunks), len(chunks) + len(pieces))))
            chunks.extend(pieces)
        layouts.append(Layout(tuple(paras)))
    return chunks, layouts


def assemble(layouts: list[Layout], translated: list[str]) -> list[str]:
    """Join translated chunks back into segments: chunks with spaces, paragraphs with blank lines."""
    return ["\n\n".join(" ".join(translated[i].strip() for i in para) for para in lay.paragraphs) for lay in layouts]
