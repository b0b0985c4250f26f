"""How well ingestion found a page's turns, against gold: exact pages, turn F1, titles.

A predicted turn counts when its role is the gold turn's and its boundaries are: its text starts with
the gold's first words and ends with its last words (whitespace folded; a list number the gold leaves
out of ``first``, ``١.`` or ``2)``, may open the text), or, where the gold has the whole text (layout
fixtures), the texts are the same. Turns are matched in order (longest common subsequence), so a turn
found twice or out of place counts once. A page is exact when every gold turn is matched, no other
question or answer was predicted, and no furniture the gold names sits inside a question or answer.
A title is right when it equals the gold's with case, punctuation and spelling variants folded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from mt.ingest.gold import GoldPage, GoldTurn
from mt.records import Turn
from mt.text.normalize import match_key

_ENUM = re.compile(r"^[\d٠-٩]{1,2}\s*[.)\-–]\s*")


def _norm(text: str) -> str:
    return " ".join(text.split())


def turn_matches(role: str, text: str, gold: GoldTurn) -> bool:
    if role != gold.role:
        return False
    got = _norm(text)
    if gold.text is not None:
        return got == _norm(gold.text)
    first, last = _norm(gold.first), _norm(gold.last)
    starts = got.startswith(first) or (not _ENUM.match(first) and _ENUM.sub("", got).startswith(first))
    return starts and got.endswith(last)


def _lcs(pred: list[tuple[str, str]], gold: tuple[GoldTurn, ...]) -> int:
    n, m = len(pred), len(gold)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            hit = turn_matches(pred[i][0], pred[i][1], gold[j])
            table[i][j] = max(table[i + 1][j], table[i][j + 1], table[i + 1][j + 1] + hit)
    return table[0][0]


@dataclass
class PageScore:
    name: str
    group: str
    site: str
    matched: int
    predicted: int
    gold: int
    furniture: list[str] = field(default_factory=list)  # gold furniture found inside a question or answer
    title_ok: bool | None = None  # None where the gold names no title
    title: str | None = None
    made_up: bool = False  # a title given where the gold says the page shows none
    error: str | None = None  # the page could not be ingested at all

    @property
    def exact(self) -> bool:
        return self.error is None and self.matched == self.gold == self.predicted and not self.furniture


class Read(Protocol):
    """What a reading of a page gives to be scored: an :class:`~mt.records.Article` has it."""

    @property
    def turns(self) -> tuple[Turn, ...] | list[Turn]: ...

    @property
    def title(self) -> str | None: ...


def score_page(article: Read | None, gold: GoldPage, error: str | None = None) -> PageScore:
    whole = any(t.text is not None for t in gold.turns)  # fixtures: intro turns are gold too
    wanted = gold.turns if whole else gold.qa
    turns = [] if article is None else [t for t in article.turns if whole or t.role in ("question", "answer")]
    pred = [(t.role, t.text) for t in turns]
    matched = _lcs(pred, wanted) if pred and wanted else 0
    qa_text = [_norm(t.text) for t in turns if t.role in ("question", "answer")]
    furniture = [s for s in gold.not_in_turns if any(_norm(s) in x for x in qa_text)]
    title = article.title if article else None
    title_ok = None if gold.title is None else (title is not None and match_key(title) == match_key(gold.title))
    made_up = gold.title is None and title is not None
    return PageScore(gold.name, gold.group, gold.site, matched, len(pred), len(wanted), furniture, title_ok, title,
                     made_up=made_up, error=error)


@dataclass
class Summary:
    pages: int = 0
    exact: int = 0
    matched: int = 0
    predicted: int = 0
    gold: int = 0
    titles_ok: int = 0
    titles: int = 0
    made_up: int = 0  # titles given on pages whose gold shows none
    untitled: int = 0  # pages whose gold shows no title

    @classmethod
    def of(cls, scores: list[PageScore]) -> Summary:
        s = cls()
        for p in scores:
            s.pages += 1
            s.exact += p.exact
            s.matched += p.matched
            s.predicted += p.predicted
            s.gold += p.gold
            if p.title_ok is not None:
                s.titles += 1
                s.titles_ok += p.title_ok
            else:
                s.untitled += 1
                s.made_up += p.made_up
        return s

    @property
    def f1(self) -> float:
        if not self.predicted or not self.gold:
            return 0.0
        p, r = self.matched / self.predicted, self.matched / self.gold
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def read_and_score(page: GoldPage, values=None) -> PageScore:
    """Ingest a gold page as ``mt ingest`` would (with these reader values; None: those shipped) and score it."""
    from mt.errors import MtError
    from mt.ingest import ReadOptions, ingest_bytes

    try:
        articles = ingest_bytes(page.data, page.file_name, options=ReadOptions(params=values), url=page.url)
    except MtError as e:
        return score_page(None, page, str(e))
    return score_page(articles[0] if articles else None, page)
