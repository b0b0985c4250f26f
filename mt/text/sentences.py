"""Sentence splitting for English and Arabic, keeping the exact text (spans, not rewritten strings)."""

from __future__ import annotations

import re

# Abbreviations after which a full stop does not end a sentence (compared lower-cased, without the dot).
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "st", "sr", "jr", "gen", "col", "lt", "maj", "capt", "sgt", "gov", "sen", "rep",
    "pres", "vs", "etc", "inc", "ltd", "co", "corp", "no", "nos", "vol", "fig", "jan", "feb", "mar", "apr", "jun", "jul",
    "aug", "sep", "sept", "oct", "nov", "dec", "approx", "dept", "est", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m",
}
# A sentence ends at . ! ? ؟ … (with closing quotes or brackets after it) followed by space and a new start.
# The Arabic comma and semicolon are not sentence ends, and ".." is a clause separator in agency Arabic.
_END = re.compile(r"(?<!\.)(?:[.!?؟]+|…)(?!\.)[\"'”’»)\]]*(?=\s+)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; the spans cover every non-space character of ``text``."""
    spans = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        punct = m.group(0).rstrip("\"'”’»)]")
        if punct == ".." or (punct == "." and _is_abbreviation(text, m.start())):
            continue
        nxt = text[end:].lstrip()
        if nxt and nxt[0].islower() and nxt[0].isascii():
            continue  # "e.g. a list", "3 p.m. on Monday": a sentence starts with a capital or another script
        if text[start:end].strip():
            spans.append((_skip_space(text, start), end))
        start = end
    if text[start:].strip():
        spans.append((_skip_space(text, start), len(text.rstrip())))
    return spans


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _is_abbreviation(text: str, dot: int) -> bool:
    m = re.search(r"([\w.]+)$", text[:dot])
    if not m:
        return False
    word = m.group(1).lower()
    if word in _ABBREV or (len(word) == 1 and word.isalpha() and word.isascii()):
        return True  # initials: "A. Smith"
    return bool(re.fullmatch(r"\d+", word) and re.match(r"\.\d", text[dot:dot + 2]))


def split_sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


_CLAUSE = re.compile(r"(?<=[,;:،؛])\s+|(?<=\.\.)\s*")


def split_clauses(sentence: str) -> list[str]:
    """Finer pieces of an over-long sentence: at commas, semicolons and colons (Arabic ones too) and at ``..``."""
    return [p for p in _CLAUSE.split(sentence) if p.strip()]


def turn_sentences(text: str) -> list[str]:
    """The sentences of a turn's text: its line and paragraph breaks are spacing, not sentence ends."""
    return split_sentences(" ".join(text.split()))
