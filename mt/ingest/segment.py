"""Turn segmentation: which pieces of a page are intro, questions and answers.

Rules only propose (:mod:`mt.ingest.markers`: what a label, a count, a dash or a request looks like;
:mod:`mt.ingest.pieces`: where inside a paragraph a turn may begin). A fitted model decides: every
piece gets features (:mod:`mt.ingest.features`: its marker and what the page says of that marker,
whether it asks or greets, what sets it apart, where it sits) and a linear-chain CRF
(:mod:`mt.ingest.crf`) with values fitted on real pages (``mt ingest fit``, :mod:`mt.ingest.params`)
tags the whole page at once: ``O`` (intro or furniture), a question or an answer beginning, or going on.
A declared layout (:mod:`mt.ingest.layouts`) fixes the tags of the pieces it recognises and the model
decides the rest around them.

From the tags: a turn is a beginning and what goes on after it (paragraphs of one turn are kept apart
by blank lines); the label or marker that opened a turn is its speaker (a name resolved to the full
name used first: ``MH`` → ``Mohammed al-Haj Ali``, ``AMANPOUR`` → ``CHRISTIANE AMANPOUR, …``), never
its text; ``O`` before the first turn is the intro, one turn per paragraph; ``O`` between turns is a
report (a labelled speaker who neither asks nor answers), or a heading or caption (dropped with its
reason), or an intro paragraph. A page with no question is plain paragraphs, with ``roles uncertain``
when it still looks like an interview.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from mt.ingest import crf
from mt.ingest.blocks import Block
from mt.ingest.features import MARKED, Hints, PageView, analyse, features
from mt.ingest.markers import DASH_MARK, LEAD_IN, asks
from mt.ingest.params import ReaderParams, default_params
from mt.ingest.pieces import Piece, pieces
from mt.records import Dropped, Turn

ROLE = {crf.BQ: "question", crf.BA: "answer", crf.IQ: "question", crf.IA: "answer"}


def feature_columns(feats: list[list[str]], index: dict[str, int]) -> list[list[int]]:
    """Each piece's features as indices of the values (a feature the values do not know weighs nothing)."""
    get = index.get
    return [[c for c in map(get, names) if c is not None] for names in feats]


def feature_matrix(feats: list[list[str]], index: dict[str, int]):
    """Pieces × features as a sparse matrix (what fitting works on)."""
    from scipy import sparse

    cols_of = feature_columns(feats, index)
    indptr = np.zeros(len(feats) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in cols_of], out=indptr[1:])
    cols = np.fromiter((c for row in cols_of for c in row), dtype=np.int64, count=int(indptr[-1]))
    return sparse.csr_matrix((np.ones(len(cols)), cols, indptr), shape=(len(feats), len(index)))


@dataclass
class Reading:
    """A page read: its pieces, what the page says of them, their features and tags."""

    pieces: list[Piece]
    view: PageView
    feats: list[list[str]]
    tags: list[int]


def read_pieces(blocks: list[Block], lang: str, params: ReaderParams | None = None, layout=None,
                hints: Hints | None = None) -> Reading:
    params = params or default_params()
    ps = pieces(blocks, lang, layout)
    view = analyse(ps, hints)
    feats = features(ps, view)
    X = feature_columns(feats, params.index)
    fixed = allowed_tags(ps, view)
    weights = params.weights
    if layout is not None:
        declared = layout.constraints(ps, view)
        both = fixed & declared
        # where what the page shows and what the layout declares leave nothing, the declaration wins
        fixed = np.where(both.any(axis=1, keepdims=True), both, declared)
        weights = layout.weights(weights)
    return Reading(ps, view, feats, crf.viterbi(crf.emissions(X, weights, fixed), weights))


def allowed_tags(ps: list[Piece], view: PageView) -> np.ndarray:
    """The tags each piece can take whatever the weights say: a speaker's label cannot go on with another speaker's
    turn, a question marker is never in an answer, nor an answer marker in a question, and the text below a label
    alone on its line is that label's turn."""
    ok = np.ones((len(ps), crf.T), dtype=bool)
    last = None
    for i, p in enumerate(ps):
        if p.m.kind == "label":
            sp = view.speaker.get(i)
            if sp != last and last is not None and view.count[sp] >= 2 and view.count[last] >= 2:
                ok[i, [crf.IQ, crf.IA]] = False  # two people who both speak again: a turn of each
            last = sp
        elif p.m.kind == "q":
            ok[i, [crf.BA, crf.IA]] = False  # "Q:" never opens nor goes on with an answer
        elif p.m.kind == "a":
            ok[i, [crf.BQ, crf.IQ]] = False
        elif p.m.kind in ("none", "dash", "num", "bold") and i and ps[i - 1].m.alone:
            # a label alone on its line ("س", "1)", "Question 3:"): the line below is its text, even when it opens
            # with a dash of its own ("س" / "ـ في البدء، …")
            ok[i] = False
            ok[i, [crf.IQ, crf.IA]] = True
    return ok


@dataclass
class _Open:
    role: str
    parts: list[list[str]]  # paragraphs, each the pieces that make it up (joined by a space)
    speaker: str | None
    block: int = -1


_LEADING_DASH = re.compile(r"^(?:ـ+|[-–—])\s*(?=\S)")
_SET_APART = re.compile(r"[\w)\"”»]$")


def _unbullet(text: str) -> str:
    m = DASH_MARK.match(text)
    return text[m.end():].strip() if m and len(text) > m.end() else text


def _continuation(p: Piece, turn: _Open, speaker: str | None) -> str:
    """A piece going on with a turn: its marker is dropped only when it names the same speaker or role again."""
    m = p.m
    if m.kind == "label" and speaker is not None and speaker == turn.speaker:
        return m.text
    if (m.kind, turn.role) in (("q", "question"), ("a", "answer")):
        return m.text
    return p.text


def _set_apart(p: Piece) -> bool:
    """A short line with no sentence end (or all in quotes): a heading or a caption, not anybody's words."""
    if p.m.kind not in ("none", "bold"):
        return False
    text = p.text
    n = len(text.split())
    if n > 16:
        return False
    quoted = bool(re.fullmatch(r"[\"“‘«'].+[\"”’»']", text))
    return ((quoted and n <= 16) or (n <= 12 and bool(_SET_APART.search(text)))) and not asks(text) and not LEAD_IN.search(text)


def build(reading: Reading) -> tuple[list[Turn], list[Dropped]]:
    """Turns from tagged pieces, and what was left out of every turn."""
    ps, tags, view = reading.pieces, reading.tags, reading.view
    turns: list[_Open] = []
    dropped: list[Dropped] = []
    open_turn: _Open | None = None
    begun = False
    for i, (p, t) in enumerate(zip(ps, tags)):
        m = p.m
        if m.kind == "stage":  # "[تقرير مسجل]": says what happens, nobody says it
            dropped.append(Dropped(p.text, "stage direction", -1))
            open_turn = None
            continue
        if t in (crf.BQ, crf.BA):
            text = m.text if m.kind in MARKED else p.text
            speaker = view.speaker.get(i) if m.kind == "label" else None
            open_turn = _Open(ROLE[t], [[text]] if text else [], speaker, p.block)
            turns.append(open_turn)
            begun = True
        elif t in (crf.IQ, crf.IA) and open_turn is not None:
            text = _continuation(p, open_turn, view.speaker.get(i))
            if not open_turn.parts:
                open_turn.parts.append([_LEADING_DASH.sub("", text)])  # "س" alone, then "ـ في البدء، …"
            elif p.brk == "para" or (p.brk == "line" and not p.soft):
                open_turn.parts.append([text])
            else:
                open_turn.parts[-1].append(text)
        elif i > 0 and i + 1 < len(ps) and tags[i + 1] in (crf.BQ, crf.BA) and _set_apart(p):
            open_turn = None
            dropped.append(Dropped(p.text, "section heading", -1))  # a heading or caption right above a turn
        elif not begun:
            text = _unbullet(p.text) if m.kind == "dash" else p.text
            last = turns[-1] if turns else None
            if last is not None and last.block == p.block and p.brk not in ("para", "line"):
                last.parts[-1].append(text)
            else:
                turns.append(_Open("intro", [[text]], None, p.block))
        else:
            open_turn = None
            if m.kind == "label" and m.text:
                turns.append(_Open("intro", [[m.text]], view.speaker.get(i), p.block))  # a report within the talk
            elif _set_apart(p):
                dropped.append(Dropped(p.text, "heading or caption between turns", -1))
            else:
                turns.append(_Open("intro", [[p.text]], None, p.block))
    out: list[Turn] = []
    for o in turns:
        paragraphs = [" ".join(x for x in part if x) for part in o.parts]
        paragraphs = [x for x in paragraphs if x.strip()]
        if not paragraphs:
            dropped.append(Dropped(o.speaker or "", f"{o.role} label with no text after it", -1))
            continue
        out.append(Turn(len(out), o.role, "\n\n".join(paragraphs), o.speaker))
    return out, dropped


def plain(blocks: list[Block]) -> list[Turn]:
    return [Turn(i, "paragraph", " ".join(b.text.split())) for i, b in enumerate(blocks)]


def _interview(reading: Reading, turns: list[Turn]) -> bool:
    """Whether the questions found are questions: one opened by a marker, or two that ask. A news story with one
    rhetorical question, or none, is plain paragraphs whatever the tags say."""
    marked = sum(p.m.kind in MARKED for p, t in zip(reading.pieces, reading.tags) if t == crf.BQ)
    asking = sum(t.role == "question" and (asks(t.text) or "?" in t.text or "؟" in t.text) for t in turns)
    return marked >= 1 or asking >= 2


def _looks_like_interview(reading: Reading) -> str | None:
    """What speaks for an interview in a text read as plain paragraphs: the reason to warn."""
    labels = sorted({p.m.label or "" for p in reading.pieces if p.m.kind == "label"})
    asking = sum(asks(p.text) for p in reading.pieces)
    if len(labels) >= 2:
        return f"it has speaker labels ({', '.join(labels[:3])})"
    if asking >= 2:
        return f"{asking} paragraphs ask"
    if any(LEAD_IN.search(p.text) for p in reading.pieces):
        return "it announces an interview"
    return None


def segment(blocks: list[Block], lang: str, params: ReaderParams | None = None, layout=None,
            hints: Hints | None = None) -> tuple[list[Turn], list[Dropped], list[str]]:
    """Turns of a cleaned document, what was left out of them, and warnings (``roles uncertain: …`` where the
    evidence was too weak to decide who asks)."""
    if not blocks:
        return [], [], []
    reading = read_pieces(blocks, lang, params, layout, hints)
    turns, dropped = build(reading)
    warnings = []
    if not _interview(reading, turns):
        why = _looks_like_interview(reading)
        if why:
            warnings.append(f"roles uncertain: read as plain paragraphs, though {why}")
        return plain(blocks), [], warnings
    if reading.view.uncertain():
        asker = next((t.speaker for t in turns if t.role == "question" and t.speaker), None)
        warnings.append(f"roles uncertain: {asker or 'the first speaker'} read as the one who asks; nothing on the page says who asks")
    return turns, dropped, warnings
