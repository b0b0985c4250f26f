"""Blocks cut into pieces at every place a turn might begin: the units the fitted reader labels.

A turn may begin at a block (a paragraph, or a line of a page with one turn per line), but also
inside one: at a line break of a hard-wrapped paragraph, at a marker printed mid-paragraph
(``… س- احك لنا …``, ``successful.Q: Your …``, ``… . @ من …``), at a known speaker glued after a
sentence (``…most?  KARAM: …``), right after a question mark (a question and its answer on one
line), and, on a page that is one run-on paragraph, at any sentence end. Cutting too often costs
nothing: the reader labels the extra pieces as continuations.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from mt.ingest.blocks import Block
from mt.ingest.markers import Marked, bare_label, mark

# how a piece is set apart from the one before, strongest first
BREAKS = ("para", "line", "marker", "wrap", "qsplit", "sentence")

# markers printed mid-paragraph, each looked for only where its characters are
_INLINE = (
    (lambda t: ":" in t or "：" in t, re.compile(r"(?<=[.!?؟…\"”»)])\s*(?=(?:Q|A)\s*[:：]\s*\S)")),  # "successful.Q: Your Eminence!"
    (lambda t: "س" in t or "ج" in t, re.compile(r"(?<=[\s.!?؟…\"”»])(?=[سج][\d٠-٩]{0,2}\s?[-–ـ:]\s?[\u0600-\u06FF])")),  # "… س- احك …"
    (lambda t: any(c in t for c in "@•■●▪"), re.compile(r"(?<=\s)(?=[@•■●▪]\s)")),  # "… روائية . @ من …"
)
_QSPLIT = re.compile(r"[?؟]!?[\"'”’»)\]]*(?:\s*\.{1,2})?(?=\s+\S)")
# a sentence end on a run-on page: not ".." (a clause separator), not an initial or a title's stop
_SENTENCE = re.compile(r"(?<![.\s])(?<!\b[A-Za-z])(?<!\b(?:Mr|Ms|Dr|St))(?P<stop>[.!?؟…]+)[\"'”’»)\]]*(?=\s+\S)")


@dataclass
class Piece:
    text: str  # as printed; the line breaks of a wrapped paragraph are spaces here
    block: int  # index of the block it comes from
    brk: str  # what sets it apart from the piece before (one of BREAKS)
    gap: int  # blank lines before it (0 inside a block)
    kind: str  # the block's kind: p | heading | item
    bold: bool
    m: Marked
    soft: bool = False  # its line goes on with the line above as one wrapped paragraph


def run_on(blocks: list[Block]) -> bool:
    """A page that is one long paragraph (a caption dump, an aggregator's flattened text): turns can begin at any sentence."""
    lines = [ln for b in blocks for ln in b.text.split("\n")]
    sizes = sorted((len(ln.split()) for ln in lines), reverse=True)
    return bool(sizes) and sizes[0] >= 100 and sum(s >= 8 for s in sizes) <= 2


def _cuts(text: str, glued: re.Pattern | None, runon: bool, declared: re.Pattern | None = None) -> dict[int, str]:
    cuts: dict[int, str] = {}
    stripped = text.strip()
    if not stripped:
        return cuts
    first = len(text) - len(text.lstrip())  # the first and last characters that are not space
    last = len(text.rstrip()) - 1

    def add(i: int, kind: str) -> None:
        if first < i <= last:  # text on both sides of the cut
            if i not in cuts or BREAKS.index(kind) < BREAKS.index(cuts[i]):
                cuts[i] = kind

    if "\n" in text:
        for m in re.finditer(r"\n", text):
            add(m.end(), "wrap")
    for present, inline in _INLINE:
        if present(text):
            for m in inline.finditer(text):
                add(m.end(), "marker")
    for known in (glued, declared):
        if known is not None:
            for m in known.finditer(text):
                add(m.end(), "marker")
    if "?" in text or "؟" in text:
        for m in _QSPLIT.finditer(text):
            add(m.end(), "qsplit")
    if runon:
        for line in _line_spans(text):
            for m in _SENTENCE.finditer(text, *line):
                if m.group("stop") != "..":
                    add(m.end(), "sentence")
    return cuts


def _line_spans(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in re.finditer(r"\n", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return out


def pieces(blocks: list[Block], lang: str, layout=None) -> list[Piece]:
    """The pieces of a cleaned document, each with the marker it opens with (a declared layout's markers first)."""
    def marked(b: Block) -> Marked:
        found = layout.mark(b.text.strip()) if layout is not None else None
        return found or mark(b, lang)

    heads = [marked(b) for b in blocks]
    labels = Counter(m.label for m in heads if m.kind == "label" and m.label and not m.form)
    known = [re.escape(x) for x, n in labels.items() if n >= 2]
    glued = re.compile(rf"(?<=[.?!؟…\"”])\s+(?=(?:{'|'.join(known)})\s*[:：]\s)") if known else None
    runon = run_on(blocks)
    declared = layout.inline() if layout is not None else None
    out: list[Piece] = []
    for bi, b in enumerate(blocks):
        text = b.text.strip()
        cuts = _cuts(text, glued, runon, declared)
        bounds = [0, *sorted(cuts), len(text)]
        first = True
        for lo, hi in zip(bounds, bounds[1:]):
            raw = " ".join(text[lo:hi].split())
            if not raw:
                continue
            brk = ("para" if b.gap else "line") if first else cuts[lo]
            m = heads[bi] if first and not cuts else marked(Block(raw, b.kind, b.bold))
            out.append(Piece(raw, bi, brk, b.gap if first else 0, b.kind, b.bold, m, b.soft and first))
            first = False
    _bare_labels(out, labels)
    _caps_alone(out)
    return out


def _bare_labels(out: list[Piece], labels: Counter) -> None:
    """A known speaker's name opening a piece without its colon ("Amr Adib Can one …") is that speaker's label."""
    names = [x for x, n in labels.items() if x and n >= 2]
    if not names:
        return
    for p in out:
        if p.m.kind == "none":
            found = bare_label(p.text, names)
            if found:
                p.m = found


_CAPS_LINE = re.compile(r"(?:(?:MR|MS|MRS|DR|PROF|GEN|SEN|REP)\.\s)?[A-Z][A-Z'’.-]+(?:\s[A-Z][A-Z'’.-]+){0,4}")


def _caps_alone(out: list[Piece]) -> None:
    """A name in capitals alone on its line, over and over (``REPORTER`` / ``MINISTER KHALIL``, the text below): a
    speaker's label that lost its colon, as transcripts print them."""
    lines = [p for p in out if p.m.kind == "none" and p.brk in ("para", "line") and _CAPS_LINE.fullmatch(p.text)]
    names = Counter(p.text for p in lines)
    for p in lines:
        if names[p.text] >= 2 and len(p.text.replace(" ", "")) >= 2:
            p.m = Marked("", "label", p.text, alone=True, form="caps")
