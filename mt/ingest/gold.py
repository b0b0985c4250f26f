"""Pages with gold turns, for fitting the reader and measuring it: real pages and layout fixtures.

Two shapes of gold are read into one record:

- a real-page set (``../shared/real-pages``): ``X.txt`` (line 1 ``# source: URL``, line 2 ``# title: …``,
  then the page as a crawler stored it) beside ``X.gold.json`` (title, every question and answer turn
  with its ``first`` and ``last`` words, furniture that belongs to no turn);
- layout fixtures (``tests/data/layouts``): a page (``.txt``, ``.html``, ``.md``) beside a ``.json`` with
  every turn's whole text (intro turns too), speakers, title and furniture.

Pages of one site are held out together: the site is the page's registered domain (``manage.rudaw.net``
→ ``rudaw.net``); a fixture is a site of its own.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from mt.errors import InputError

_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu"}


def site_of(url: str) -> str:
    """The registered domain of an address: what one site's pages share."""
    try:
        host = (urlparse(url).hostname or url).lower()
    except ValueError:  # not an address one can parse: the text itself stands for the site
        host = url.lower()
    parts = host.split(".")
    keep = 3 if len(parts) >= 3 and len(parts[-1]) == 2 and parts[-2] in _SECOND_LEVEL else 2
    return ".".join(parts[-keep:])


@dataclass(frozen=True)
class GoldTurn:
    role: str  # question | answer | intro (intro only in fixtures)
    first: str  # the turn's first words, after its label
    last: str  # its last words
    text: str | None = None  # the whole text, where the gold has it
    speaker: str | None = None


@dataclass(frozen=True)
class GoldPage:
    name: str
    group: str  # "real" | "fixture"
    site: str
    file_name: str  # the name ingest sees (its extension picks the reader)
    data: bytes  # the page as ingest gets it
    url: str | None
    title: str | None
    turns: tuple[GoldTurn, ...]
    not_in_turns: tuple[str, ...]
    uncertain: bool = False
    stands_for: tuple[str, ...] = ()  # sites of the real pages a fixture was written from: held out with them

    def of_site(self, site: str) -> bool:
        return self.site == site or site in self.stands_for

    @property
    def qa(self) -> tuple[GoldTurn, ...]:
        return tuple(t for t in self.turns if t.role in ("question", "answer"))


def _words(text: str, n: int, last: bool = False) -> str:
    w = text.split()
    return " ".join(w[-n:] if last else w[:n])


def real_pages(folder: str | Path) -> list[GoldPage]:
    """A real-page set: every ``X.txt`` with an ``X.gold.json`` beside it."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("no such folder of real pages", str(folder))
    out = []
    for g in sorted(folder.glob("*.gold.json")):
        page = g.with_name(g.name[: -len(".gold.json")] + ".txt")
        if not page.exists():
            continue
        try:
            gold = json.loads(g.read_text("utf-8"))
            head, _, body = page.read_text("utf-8").partition("\n")
            _title_line, _, body = body.partition("\n")
            url = gold.get("source") or re.sub(r"^#\s*source:\s*", "", head).strip()
            turns = tuple(GoldTurn(t["role"], t["first"], t["last"], None, t.get("speaker")) for t in gold["turns"])
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise InputError(f"malformed gold page ({type(e).__name__}: {e})", str(g)) from None
        out.append(GoldPage(page.stem, "real", site_of(url), page.name, body.encode("utf-8"), url, gold.get("title"),
                            turns, tuple(gold.get("not_in_turns", [])), bool(gold.get("uncertain"))))
    if not out:
        raise InputError("no gold pages (X.txt beside X.gold.json) in this folder", str(folder))
    return out


_SURVEY_ROW = re.compile(r"^\|\s*([EA]\d+)\s*\|\s*(\S+)\s*\|")


def survey_sites(readme: Path) -> dict[str, str]:
    """The layout survey's page ids (``E16``, ``A20``) and their sites, from the fixtures' README table."""
    out = {}
    if readme.exists():
        for line in readme.read_text("utf-8").splitlines():
            m = _SURVEY_ROW.match(line)
            if m:
                url = m.group(2)
                archived = re.search(r"/web/\d+/(https?://.+)$", url)  # a web.archive.org copy stands for its original
                out[m.group(1)] = site_of(archived.group(1) if archived else url)
    return out


def fixture_pages(folder: str | Path) -> list[GoldPage]:
    """Layout fixtures: every page file with a ``.json`` of its whole turns beside it. A fixture stands for the surveyed
    real pages it reproduces (``seen_on``), so it is held out with their sites."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("no such folder of layout fixtures", str(folder))
    survey = survey_sites(folder / "README.md")
    out = []
    for p in sorted(folder.iterdir()):
        if p.suffix not in (".txt", ".html", ".md") or not p.with_suffix(".json").exists():
            continue
        try:
            gold = json.loads(p.with_suffix(".json").read_text("utf-8"))
            turns = tuple(GoldTurn(t["role"], _words(t["text"], 6), _words(t["text"], 6, last=True), t["text"], t.get("speaker"))
                          for t in gold["turns"])
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise InputError(f"malformed layout fixture ({type(e).__name__}: {e})", str(p)) from None
        stands = tuple(sorted({survey[i] for i in gold.get("seen_on", []) if i in survey}))
        out.append(GoldPage(p.stem, "fixture", f"fixture:{p.stem}", p.name, p.read_bytes(), None, gold.get("title"), turns,
                            tuple(gold.get("not_in_turns", [])), bool(gold.get("uncertain")), stands))
    if not out:
        raise InputError("no layout fixtures (a page beside its .json) in this folder", str(folder))
    return out
