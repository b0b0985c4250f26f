"""Fitting the reader (``mt ingest fit``): gold pages to tagged pieces, and the CRF's values from them.

Each gold page is read exactly as ``mt ingest`` reads it (decoded, cleaned, cut into pieces, with its
features), with its title taken from the gold, so that title mistakes do not teach segmentation.
Its gold turns are then found among the pieces: the piece whose text (its marker removed) opens with a
turn's first words begins it (``BQ``/``BA``; a label alone on its line begins the turn its next piece
opens), the pieces up to the one that closes with its last words go on with it (``IQ``/``IA``), and
everything else is ``O``. A gold turn no cut can begin or end is reported as unreachable: the candidate
rules miss a boundary there, and no fitting can mend that.

The penalty is chosen by leave-one-site-out turn F1 on the training pages (``l2="auto"``), and every
figure ``meta`` reports for held-out pages comes from values fitted without that page's site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from mt.clock import utc_now
from mt.errors import InputError
from mt.ingest import crf
from mt.ingest import title as title_model
from mt.ingest.features import MARKED, PageView, analyse, features
from mt.ingest.gold import GoldPage, GoldTurn
from mt.ingest.params import ReaderParams
from mt.ingest.pieces import Piece, pieces
from mt.ingest.segment import Reading, allowed_tags, build, feature_matrix

_ENUM = re.compile(r"^[\d٠-٩]{1,2}\s*[.)\-–]\s*")
_LEADING_DASH = re.compile(r"^(?:ـ+|[-–—])\s*(?=\S)")


def _norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Example:
    """One gold page, read as ingest reads it, with the tags its gold turns give its pieces."""

    page: GoldPage
    pieces: list[Piece]
    view: PageView
    feats: list[list[str]]
    tags: list[int]
    unreachable: list[int] = field(default_factory=list)  # indices of gold turns no piece boundary fits
    title: title_model.Sample | None = None  # the title candidates' features and the gold choice (plain text only)


def _starts(text: str, first: str) -> bool:
    t = _norm(text)
    return t.startswith(first) or (not _ENUM.match(first) and bool(_ENUM.match(t)) and _ENUM.sub("", t).startswith(first))


def gold_tags(ps: list[Piece], view: PageView, turns: tuple[GoldTurn, ...]) -> tuple[list[int], list[int]]:
    """The tag of each piece under the gold turns, and the gold turns that cannot be placed."""
    tags = [crf.O] * len(ps)
    missing: list[int] = []
    cursor = 0
    for k, g in enumerate(turns):
        if g.role not in ("question", "answer"):
            continue
        first, last = _norm(g.first), _norm(g.last)
        begin = body = None
        for i in range(cursor, len(ps)):
            own = ps[i].m.text if ps[i].m.kind in MARKED else ps[i].text
            if own and _starts(_ahead(ps, i, own, first), first):
                begin, body = i, own
                break
            if own and _starts(_ahead(ps, i, ps[i].text, first), first):
                begin, body = i, ps[i].text
                break
            if ps[i].m.alone and i + 1 < len(ps) and _starts(_ahead(ps, i + 1, _LEADING_DASH.sub("", ps[i + 1].text), first), first):
                begin, body = i, ""
                break
        if begin is None:
            missing.append(k)
            continue
        b, i_ = (crf.BQ, crf.IQ) if g.role == "question" else (crf.BA, crf.IA)
        end = None
        raw = own = body or ""
        for j in range(begin, len(ps)):
            if j > begin:
                raw += " " + ps[j].text
                own += " " + (ps[j].m.text or ps[j].text)
            if _norm(raw).endswith(last) or _norm(own).endswith(last):
                end = j
                break
            if j + 1 < len(ps) and _next_turn_begins(ps, j + 1, turns, k):
                break
        if end is None:
            missing.append(k)
            end = begin
        tags[begin] = b
        for j in range(begin + 1, end + 1):
            tags[j] = i_
        cursor = end + 1
    return tags, missing


def _ahead(ps: list[Piece], i: int, text: str, first: str) -> str:
    """The text from piece ``i`` on, as long as ``first`` needs: first words may run past a cut."""
    j = i + 1
    while len(_norm(text)) < len(first) and j < len(ps):
        text += " " + ps[j].text
        j += 1
    return text


def _next_turn_begins(ps: list[Piece], j: int, turns: tuple[GoldTurn, ...], k: int) -> bool:
    """Whether piece ``j`` already opens the next gold turn (so turn ``k`` cannot run on past it)."""
    nxt = next((g for g in turns[k + 1:] if g.role in ("question", "answer")), None)
    if nxt is None:
        return False
    own = ps[j].m.text if ps[j].m.kind in MARKED else ps[j].text
    return bool(own) and _starts(own, _norm(nxt.first)) and ps[j].m.kind != "none"


def example(page: GoldPage) -> Example:
    """A gold page read as ingest reads it, with its gold tags."""
    from mt.ingest import ReadOptions, clean_document, hints_of, read_documents

    docs, *_ = read_documents(page.data, page.file_name)
    if not docs:
        raise InputError("no document in this gold page", page.name)
    c = clean_document(docs[0], lang="auto", options=ReadOptions(title=page.title, title_known=True), url=page.url)
    ps = pieces(c.blocks, c.lang)
    view = analyse(ps, hints_of(c.ctx))
    feats = features(ps, view)
    tags, missing = gold_tags(ps, view, page.turns)
    sample = None
    if docs[0].title is None:  # the format names no title: the chooser decides at run time
        texts, kinds = c.ctx.head
        cands = title_model.candidates(texts, kinds, c.ctx.lang)
        choice = title_model.gold_choice(texts, cands, page.title)
        if page.title is None or choice is not None:
            sample = ([title_model.features(texts, kinds, k, c.ctx.lang) for k in cands], choice)
    return Example(page, ps, view, feats, tags, missing, sample)


def oracle_turns(ex: Example):
    """The turns the gold tags give: what a perfect model would output from these pieces."""
    return build(Reading(ex.pieces, ex.view, ex.feats, ex.tags, np.ones(len(ex.tags))))[0]


TITLE_L2 = 1.0


def fit_values(examples: list[Example], l2: float, meta: dict | None = None, title_l2: float = TITLE_L2) -> ReaderParams:
    names = sorted({f for ex in examples for fs in ex.feats for f in fs})
    index = {f: i for i, f in enumerate(names)}
    pages = [crf.Page(feature_matrix(ex.feats, index), np.array(ex.tags, dtype=int), allowed_tags(ex.pieces, ex.view))
             for ex in examples if ex.pieces]
    w = crf.fit(pages, len(names), l2=l2)
    titles = title_model.fit([ex.title for ex in examples if ex.title is not None], l2=title_l2)
    return ReaderParams(tuple(names), w, titles, meta or {})


def sites(examples: list[Example]) -> list[str]:
    return sorted({ex.page.site for ex in examples})


def held_out(examples: list[Example], l2: float, site: str) -> ReaderParams:
    """Values fitted without one site's pages, nor the fixtures written from that site's pages."""
    return fit_values([ex for ex in examples if not ex.page.of_site(site)], l2)


def decode(ex: Example, values: ReaderParams) -> list[int]:
    X = feature_matrix(ex.feats, values.index)
    return crf.viterbi(crf.emissions(X, values.weights, allowed_tags(ex.pieces, ex.view)), values.weights)


def tag_accuracy(examples: list[Example], values_of) -> float:
    right = total = 0
    for ex in examples:
        got = decode(ex, values_of(ex))
        right += sum(a == b for a, b in zip(got, ex.tags))
        total += len(got)
    return right / max(1, total)


L2_GRID = (0.1, 0.3, 1.0, 3.0)


def choose_l2(examples: list[Example], grid=L2_GRID, group: str = "real") -> tuple[float, dict[float, float]]:
    """The penalty whose values tag held-out sites best (leave one site out over the ``group`` pages)."""
    scores: dict[float, float] = {}
    held = [s for s in sites(examples) if any(ex.page.site == s and ex.page.group == group for ex in examples)]
    for l2 in grid:
        folds = {s: held_out(examples, l2, s) for s in held}
        scores[l2] = tag_accuracy([ex for ex in examples if ex.page.site in folds], lambda ex, f=folds: f[ex.page.site])
    best = max(scores, key=lambda k: (scores[k], k))
    return best, scores


def fit(examples: list[Example], l2: float | None = None, sources: dict | None = None) -> ReaderParams:
    """The reader's values from gold pages (``l2`` None: chosen by leave-one-site-out)."""
    if not examples:
        raise InputError("no gold pages to fit the reader on")
    scores = None
    if l2 is None:
        l2, scores = choose_l2(examples)
    meta = {"fitted": utc_now(), "procedure": "linear-chain CRF, L-BFGS, L2 penalty", "l2": l2,
            "pages": len(examples), "sites": len(sites(examples)), "sources": sources or {},
            "unreachable_turns": sum(len(ex.unreachable) for ex in examples)}
    if scores:
        meta["l2_heldout_tag_accuracy"] = {str(k): round(v, 4) for k, v in scores.items()}
    return fit_values(examples, l2, meta)
