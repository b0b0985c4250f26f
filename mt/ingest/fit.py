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

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

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
            sample = ([title_model.features(texts, kinds, k, c.ctx.lang, rank) for rank, k in enumerate(cands)], choice)
    return Example(page, ps, view, feats, tags, missing, sample)


def oracle_turns(ex: Example):
    """The turns the gold tags give: what a perfect model would output from these pieces."""
    return build(Reading(ex.pieces, ex.view, ex.feats, ex.tags))[0]


TITLE_L2 = 1.0


def fit_values(examples: list[Example], l2: float, meta: dict | None = None, title_l2: float = TITLE_L2) -> ReaderParams:
    names = sorted({f for ex in examples for fs in ex.feats for f in fs})
    index = {f: i for i, f in enumerate(names)}
    pages = [crf.Page(feature_matrix(ex.feats, index), np.array(ex.tags, dtype=int), allowed_tags(ex.pieces, ex.view))
             for ex in examples if ex.pieces]
    if not pages:
        raise InputError("no gold page with any text to fit the reader on")
    w = crf.fit(pages, len(names), l2=l2)
    titles = title_model.fit([ex.title for ex in examples if ex.title is not None], l2=title_l2)
    return ReaderParams(tuple(names), w, titles, meta or {})


def sites(examples: list[Example], group: str | None = None) -> list[str]:
    return sorted({ex.page.site for ex in examples if group is None or ex.page.group == group})


def held_out(examples: list[Example], l2: float, site: str) -> ReaderParams:
    """Values fitted without one site's pages, nor the fixtures written from that site's pages."""
    return fit_values([ex for ex in examples if not ex.page.of_site(site)], l2)


def folds(examples: list[Example], l2: float, group: str = "real") -> dict[str, ReaderParams]:
    """For each site of the ``group`` pages, the values fitted without it (leave one site out); a site is skipped when
    nothing is left to fit on without it."""
    return {site: held_out(examples, l2, site) for site in sites(examples, group)
            if any(not ex.page.of_site(site) and ex.pieces for ex in examples)}


def decode(ex: Example, values: ReaderParams) -> list[int]:
    X = feature_matrix(ex.feats, values.index)
    return crf.viterbi(crf.emissions(X, values.weights, allowed_tags(ex.pieces, ex.view)), values.weights)


def _turns_f1(examples: list[Example], values_of) -> tuple[float, int]:
    """Turn F1 and exact pages of decoded tags, titles as the gold has them (what the penalty is chosen on)."""
    from mt.evaluate.turns import Summary, score_page

    scores = []
    for ex in examples:
        tags = decode(ex, values_of(ex))
        turns = build(Reading(ex.pieces, ex.view, ex.feats, tags))[0]
        scores.append(score_page(_Read(turns, ex.page.title), ex.page))
    s = Summary.of(scores)
    return s.f1, s.exact


@dataclass
class _Read:
    turns: list
    title: str | None


L2_GRID = (0.3, 1.0, 3.0)


def choose_l2(examples: list[Example], grid=L2_GRID, group: str = "real") -> tuple[float, dict[float, tuple[float, int]]]:
    """The penalty whose values read held-out sites best (leave one site out over the ``group`` pages: turn F1 first,
    then exact pages; on a tie the stronger penalty), among those whose values, fitted on every page, still read every
    layout fixture exactly (the fixtures are the layouts mt promises to read)."""
    scores = {}
    keeps_fixtures = {}
    fixtures = [ex for ex in examples if ex.page.group == "fixture"]
    for l2 in grid:
        f = folds(examples, l2, group)
        held = [ex for ex in examples if ex.page.group == group and ex.page.site in f]
        if not held:
            raise InputError("pages of one site only: no site can be left out to choose the penalty by (give --l2)")
        scores[l2] = _turns_f1(held, lambda ex, f=f: f[ex.page.site])
        if fixtures:
            values = fit_values(examples, l2)
            keeps_fixtures[l2] = _turns_f1(fixtures, lambda ex, v=values: v)[1] == len(fixtures)
    eligible = [k for k in scores if keeps_fixtures.get(k, True)] or list(scores)
    best = max(eligible, key=lambda k: (round(scores[k][0], 3), scores[k][1], k))
    return best, scores


@dataclass
class FitReport:
    values: ReaderParams
    examples: list[Example]
    l2_scores: dict
    seconds: float


def fit_pages(pages: list[GoldPage], l2: float | None = None, sources: dict | None = None, log=None) -> FitReport:
    """The reader's values from gold pages (``l2`` None: chosen by leave-one-site-out on the real pages)."""
    import time

    t0 = time.perf_counter()
    if not pages:
        raise InputError("no gold pages to fit the reader on")
    examples = [example(p) for p in pages]
    unreachable = sum(len(ex.unreachable) for ex in examples)
    if log and unreachable:
        log(f"{unreachable} gold turns no piece boundary fits (the candidate rules miss them): "
            + ", ".join(ex.page.name for ex in examples if ex.unreachable))
    l2_scores: dict = {}
    if l2 is None:
        if log:
            log(f"choosing the penalty among {', '.join(map(str, L2_GRID))} by leaving each site out")
        l2, l2_scores = choose_l2(examples)
    meta = {"fitted": utc_now(), "procedure": "linear-chain CRF over pieces (L-BFGS, L2 penalty) and a conditional logit over title candidates",
            "l2": l2, "pages": {g: sum(ex.page.group == g for ex in examples) for g in ("real", "fixture")},
            "sites": len(sites(examples, "real")), "sources": sources or {}, "unreachable_turns": unreachable}
    if l2_scores:
        meta["l2_choice"] = {str(k): {"heldout_turn_f1": round(v[0], 4), "heldout_exact": v[1]} for k, v in l2_scores.items()}
    values = fit_values(examples, l2, meta)
    return FitReport(values, examples, l2_scores, time.perf_counter() - t0)


def default_sources() -> tuple[Path, Path]:
    """The development pages and the layout fixtures, where a checkout keeps them."""
    root = Path(__file__).resolve().parents[2]
    return root.parent / "shared" / "real-pages", root / "tests" / "data" / "layouts"


def load_pages(pages: Path | None, fixtures: Path | None) -> tuple[list[GoldPage], dict]:
    """Gold pages from a real-page folder and a fixture folder (either may be left out, not both)."""
    from mt.ingest.gold import fixture_pages, real_pages

    out: list[GoldPage] = []
    sources = {}
    if pages is not None:
        got = real_pages(pages)
        out += got
        sources["real"] = {"folder": _shown(pages), "pages": len(got), "digest": _digest(got)}
    if fixtures is not None:
        got = fixture_pages(fixtures)
        out += got
        sources["fixtures"] = {"folder": _shown(fixtures), "pages": len(got), "digest": _digest(got)}
    if not out:
        raise InputError("give a folder of real pages or of layout fixtures to fit on")
    return out, sources


def _shown(folder: Path) -> str:
    """A folder as the values file records it: relative to the checkout when it sits beside it, so no machine's paths ship."""
    root = Path(__file__).resolve().parents[2]
    try:
        return Path(os.path.relpath(folder.resolve(), root)).as_posix()
    except ValueError:  # another drive
        return str(folder)


def _digest(pages: list[GoldPage]) -> str:
    import hashlib

    h = hashlib.sha256()
    for p in sorted(pages, key=lambda p: p.name):
        h.update(p.name.encode() + b"\0" + p.data + b"\0" + repr((p.title, p.turns, p.not_in_turns)).encode())
    return h.hexdigest()[:12]
