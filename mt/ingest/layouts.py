"""Declared site layouts: how one site marks its turns, said once, for every page of that site.

When the reader gets a site wrong, a user writes what the site prints instead of guessing harder:
``mt ingest --layout FILE`` or ``CORPUS/layouts.toml`` for ``mt pipeline``. A TOML file of ``[[site]]``
tables::

    [[site]]
    match = ["rudaw.net", "en/rudaw-*.txt"]  # source domains (the page's address) or file patterns
    question = ["Rudaw:"]                  # what opens a question, as printed (a marker or a speaker label)
    answer = ["Guterres:", "*"]            # what opens an answer
    asks = ["Rudaw", "Majeed Gly"]         # speakers who ask; every other labelled speaker answers
    unmarked = "alternate"                 # paragraphs with no marker: "alternate" (each begins the other side's
                                           # turn) or "continue" (each goes on with the turn before)
    title = "h1.article-title"             # HTML: the CSS selector of the headline
    title_line = 1                         # plain text: the headline is this line (0: the page shows none)

Only ``match`` is required. What a layout declares is fixed (its markers always open a turn of that side, even
markers the reader would not have proposed); the fitted reader decides everything else around it. The first
``[[site]]`` whose ``match`` fits a page applies. A bad file is a one-line error naming the file and the key.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePath

import numpy as np

from mt.errors import InputError
from mt.ingest import crf
from mt.ingest.markers import Marked

_KEYS = {"match", "question", "answer", "asks", "unmarked", "title", "title_line", "name"}


@dataclass(frozen=True)
class SiteLayout:
    match: tuple[str, ...]
    question: tuple[str, ...] = ()
    answer: tuple[str, ...] = ()
    asks: tuple[str, ...] = ()
    unmarked: str | None = None  # alternate | continue | None (the reader decides)
    title: str | None = None  # CSS selector (HTML)
    title_line: int | None = None  # plain text: 1-based line of the headline, 0 for none
    name: str = ""
    digest: str = field(default="", compare=False)

    def fits(self, path: str | None, url: str | None) -> bool:
        from mt.ingest.gold import site_of

        host = site_of(url) if url else None
        full = (urlhost(url) or "") if url else ""
        for m in self.match:
            if "/" not in m and "*" not in m and "." in m and (host == m.lower() or full.endswith("." + m.lower()) or full == m.lower()):
                return True
            if path and (fnmatch.fnmatch(PurePath(path).as_posix(), m) or fnmatch.fnmatch(PurePath(path).as_posix(), "*/" + m)
                         or fnmatch.fnmatch(PurePath(path).name, m)):
                return True
        return False

    # -- what the layout makes of a piece ----------------------------------------------------------

    def mark(self, text: str) -> Marked | None:
        """The declared marker a piece opens with (longest first), as a question or answer marker or a speaker label."""
        for marker, side in sorted(((m, "q") for m in self.question), key=lambda t: -len(t[0])) + \
                sorted(((m, "a") for m in self.answer), key=lambda t: -len(t[0])):
            if text.startswith(marker) and (len(text) == len(marker) or not _word(marker[-1]) or not _word(text[len(marker)])):
                rest = text[len(marker):].strip()
                label = re.sub(r"[\s:：>»\-–—/.]+$", "", marker.strip()) or marker.strip()
                named = bool(re.search(r"\w{2,}", label)) and not re.fullmatch(r"(?i)q|a|س|ج|question|answer|سؤال|جواب", label)
                return Marked(rest, "label" if named else side, label, alone=not rest, form="declared:" + side)
        return None

    def inline(self) -> re.Pattern | None:
        """Where a declared marker sits inside a paragraph, after a sentence ends: a turn may begin there."""
        markers = [m for m in self.question + self.answer if len(m.strip()) >= 2]
        if not markers:
            return None
        alt = "|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True))
        return re.compile(rf"(?<=[.!?؟…\"”»])\s*(?=(?:{alt}))")

    def constraints(self, pieces, view) -> np.ndarray:
        """The tags each piece may take under this layout."""
        ok = np.ones((len(pieces), crf.T), dtype=bool)
        asks = {a.strip().rstrip(":：").lower() for a in self.asks}
        for i, p in enumerate(pieces):
            m = p.m
            side = None
            if m.form.startswith("declared:"):
                side = m.form.split(":")[1]  # a declared marker's side is what was declared
            elif m.kind == "label" and asks:
                sp = (view.speaker.get(i) or m.label or "").lower()
                side = "q" if (m.label or "").lower() in asks or sp in asks else "a"
            if side == "q":
                ok[i] = False
                ok[i, crf.BQ] = True
            elif side == "a":
                ok[i] = False
                ok[i, crf.BA] = True
            elif self.unmarked == "continue" and m.kind == "none" and i > view.first_marked:
                ok[i, [crf.BQ, crf.BA]] = False
            elif (self.unmarked == "alternate" and m.kind == "none" and p.brk in ("para", "line") and i > view.first_marked
                  and not pieces[i - 1].m.alone):  # the text below a label alone on its line is that label's turn
                ok[i, [crf.IQ, crf.IA]] = False
        return ok

    def weights(self, w: crf.Weights) -> crf.Weights:
        """Transitions under this layout: "alternate" never lets one side speak twice in a row."""
        if self.unmarked != "alternate":
            return w
        t = w.transition.copy()
        t[[crf.BQ, crf.IQ], crf.BQ] = crf.NEG
        t[[crf.BA, crf.IA], crf.BA] = crf.NEG
        return crf.Weights(w.emission, t, w.start, w.end)


def urlhost(url: str | None) -> str | None:
    from urllib.parse import urlparse

    try:
        return (urlparse(url).hostname or "").lower() if url else None
    except ValueError:  # "http://[::1": a page's address is untrusted text
        return None


def _word(c: str) -> bool:
    return c.isalnum() or c == "_"


@dataclass(frozen=True)
class Layouts:
    sites: tuple[SiteLayout, ...]
    path: str = ""

    def for_page(self, path: str | None, url: str | None) -> SiteLayout | None:
        return next((s for s in self.sites if s.fits(path, url)), None)

    @property
    def digest(self) -> str:
        return hashlib.sha256("".join(s.digest for s in self.sites).encode()).hexdigest()[:12]


def _strings(v, where: str, key: str) -> tuple[str, ...]:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        raise InputError(f"{where}: {key!r} must be a string or a list of non-empty strings, not {v!r}")
    return tuple(v)


def parse_layouts(text: str, source: str = "layouts") -> Layouts:
    """Layouts from TOML text; every mistake is an InputError naming ``source`` and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(f"not valid TOML ({e})", source) from None
    unknown = set(data) - {"site"}
    if unknown:
        raise InputError(f"unknown key {sorted(unknown)[0]!r} at the top (expected [[site]] tables)", source)
    tables = data.get("site", [])
    if not isinstance(tables, list) or not tables:
        raise InputError("no [[site]] table: nothing is declared", source)
    sites = []
    for n, t in enumerate(tables, start=1):
        where = f"{source}: [[site]] {n}"
        if not isinstance(t, dict):
            raise InputError(f"{where}: not a table")
        bad = set(t) - _KEYS
        if bad:
            raise InputError(f"{where}: unknown key {sorted(bad)[0]!r} (known: {', '.join(sorted(_KEYS))})")
        if "match" not in t:
            raise InputError(f"{where}: 'match' is missing (a domain such as 'rudaw.net' or a file pattern such as 'en/rudaw-*.txt')")
        unmarked = t.get("unmarked")
        if unmarked is not None and unmarked not in ("alternate", "continue"):
            raise InputError(f"{where}: 'unmarked' must be \"alternate\" or \"continue\", not {unmarked!r}")
        title = t.get("title")
        if title is not None:
            if not isinstance(title, str) or not title.strip():
                raise InputError(f"{where}: 'title' must be a CSS selector, not {title!r}")
            try:
                from cssselect import GenericTranslator, SelectorError

                GenericTranslator().css_to_xpath(title)
            except SelectorError as e:
                raise InputError(f"{where}: 'title' is not a CSS selector ({e})") from None
        line = t.get("title_line")
        if line is not None and (not isinstance(line, int) or isinstance(line, bool) or line < 0):
            raise InputError(f"{where}: 'title_line' must be a line number (1 for the first line, 0 for none), not {line!r}")
        layout = SiteLayout(
            match=_strings(t["match"], where, "match"),
            question=_strings(t.get("question", []), where, "question") if t.get("question") else (),
            answer=_strings(t.get("answer", []), where, "answer") if t.get("answer") else (),
            asks=_strings(t.get("asks", []), where, "asks") if t.get("asks") else (),
            unmarked=unmarked, title=title, title_line=line, name=str(t.get("name", "") or f"site {n}"),
            digest=hashlib.sha256(repr(sorted(t.items())).encode()).hexdigest()[:12],
        )
        overlap = set(layout.question) & set(layout.answer)
        if overlap:
            raise InputError(f"{where}: {sorted(overlap)[0]!r} is both a 'question' and an 'answer' marker")
        sites.append(layout)
    return Layouts(tuple(sites), source)


def load_layouts(path: str | Path) -> Layouts:
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"cannot read the layout file ({getattr(e, 'strerror', None) or e})", str(path)) from None
    return parse_layouts(text, str(path))
