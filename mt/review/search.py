"""The concordance: find sentence beads by either side, Arabic matched without diacritics and letter variants.

Both sides of every sentence bead are kept folded (:func:`fold`) in the store's FTS5 trigram table
``search_index``; :func:`search` brings it up to date before every query, so it is never stale.
Matches are found in the folded text and mapped back onto the original (:func:`fold_with_map`), so
what is highlighted is the stored text, never the folded copy.
"""

from __future__ import annotations

import html
import re
import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from mt.errors import InputError, StoreError
from mt.records import BEAD_STATUSES
from mt.text.normalize import BIDI_CONTROLS, ZERO_WIDTH

LANGS = ("ar", "en")
MAX_TERM = 500
# reviewed work first: what a translator wants to reuse is what someone approved
STATUS_ORDER = ("accepted", "edited", "unreviewed", "rejected")
MIN_INDEXED = 3  # the trigram index cannot answer for fewer characters

_REMOVE = (
    [chr(c) for c in range(0x064B, 0x0660)]  # harakat, shadda, sukun, and the combining hamza/madda marks
    + ["\u0670"]  # superscript alef
    + [chr(c) for c in range(0x06D6, 0x06EE)]  # Quranic annotation marks
    + ["\u0640"]  # tatweel
    + list(BIDI_CONTROLS + ZERO_WIDTH)
    + ["\u200c", "\u200d", "\u00ad"]  # ZWNJ, ZWJ, soft hyphen: invisible, and they split words typed without them
)
_FOLD = str.maketrans(
    {
        **{c: None for c in _REMOVE},
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        # Persian keyboards type these for ي and ك
        "ی": "ي", "ک": "ك",
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
    }
)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Text as the index holds it and queries are compared: NFKC, case-folded, Arabic diacritics and tatweel
    removed, alef/ya/ta-marbuta variants joined, digits Western, bidi controls gone, runs of space as one."""
    t = unicodedata.normalize("NFKC", text).casefold().translate(_FOLD)
    return _SPACES.sub(" ", t).strip()


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    return c.casefold().translate(_FOLD)


def _segments(text: str) -> list[tuple[int, str]]:
    """``text`` cut where NFKC of the whole equals NFKC of the pieces: each piece is a base character with its marks,
    joined to its neighbours where normalisation composes across them (Hangul jamo, some Indic vowels)."""
    if unicodedata.is_normalized("NFKC", text):
        return list(enumerate(text))  # the common case: nothing composes or expands, so every character is its own piece
    out: list[tuple[int, str]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i < len(text):
            c = text[i]
            if unicodedata.combining(c):
                continue
            seg = text[start:i]
            if unicodedata.normalize("NFKC", seg + c) != unicodedata.normalize("NFKC", seg) + unicodedata.normalize("NFKC", c):
                continue
        out.append((start, unicodedata.normalize("NFKC", text[start:i])))
        start = i
    return out


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """:func:`fold` of ``text`` (the same string), and for each of its characters the index in ``text`` it came from."""
    chars: list[str] = []
    where: list[int] = []
    for start, seg in _segments(text):
        for ch in _fold_char(seg) if len(seg) == 1 else seg.casefold().translate(_FOLD):
            if ch.isspace():
                if not chars or chars[-1] == " ":
                    continue  # leading space, or a run of them: one space, as fold() leaves it
                ch = " "
            chars.append(ch)
            where.append(start)
    if chars and chars[-1] == " ":
        chars.pop()
        where.pop()
    return "".join(chars), where


def find_spans(text: str, folded_term: str) -> tuple[tuple[int, int], ...]:
    """Character spans of ``text`` where ``folded_term`` (already folded) occurs once both are folded.

    A span runs from the first matched character to the last, and on over the marks folding removed right after
    it (a final vowel sign, a tatweel), so a highlight never cuts a letter from its diacritics."""
    if not folded_term:
        return ()
    folded, where = fold_with_map(text)
    spans = []
    i = folded.find(folded_term)
    while i >= 0:
        j = i + len(folded_term)
        end = where[j - 1] + 1
        stop = where[j] if j < len(where) else len(text)
        while end < stop and not text[end].isspace():
            end += 1
        spans.append((where[i], end))
        i = folded.find(folded_term, i + 1)
    return tuple(spans)


def merge_spans(spans, length: int) -> list[tuple[int, int]]:
    """Spans sorted, clipped to ``[0, length]``, and joined where they overlap or touch."""
    out: list[tuple[int, int]] = []
    for a, b in sorted((max(0, a), min(length, b)) for a, b in spans):
        if a >= b:
            continue
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def highlight_html(text: str, spans) -> str:
    """``text`` as HTML, every span in ``<mark>``; everything escaped (article text is untrusted)."""
    parts = []
    k = 0
    for a, b in merge_spans(spans, len(text)):
        parts += [html.escape(text[k:a]), "<mark>", html.escape(text[a:b]), "</mark>"]
        k = b
    parts.append(html.escape(text[k:]))
    return "".join(parts)


# -- the index -------------------------------------------------------------------------------------

# ids the index holds at a version that is no longer the bead's (edited, re-aligned away, deleted)
_STALE = ("SELECT s.id FROM search_state s LEFT JOIN beads b ON b.id = s.id AND b.level = 'sentence' "
          "WHERE b.id IS NULL OR b.version != s.version")
# sentence beads the index does not hold at their current version
_MISSING = ("SELECT b.id, b.version, b.ar, b.en FROM beads b LEFT JOIN search_state s ON s.id = b.id "
            "WHERE b.level = 'sentence' AND (s.id IS NULL OR s.version != b.version)")


def _in_step(db: sqlite3.Connection) -> bool:
    """True when the index holds exactly the current version of every sentence bead.

    No stale row, and as many rows as sentence beads: then every bead is held, since the rows are distinct ids of
    current beads. Only ids and versions are read, never text."""
    if db.execute(f"SELECT EXISTS ({_STALE})").fetchone()[0]:
        return False
    held = db.execute("SELECT COUNT(*) FROM search_state").fetchone()[0]
    return held == db.execute("SELECT COUNT(*) FROM beads WHERE level = 'sentence'").fetchone()[0]


def sync_index(store) -> int:
    """Bring ``search_index`` up to date with the sentence beads in one transaction; how many beads were (re)indexed.

    Every change to a bead's text raises its version or gives it a new id, so comparing ids and versions with
    ``search_state`` finds all that changed without reading any text."""
    db = store.db
    if _in_step(db):
        return 0
    try:
        if not db.in_transaction:
            db.execute("BEGIN IMMEDIATE")  # another process syncing at once waits, then finds nothing left to do
        stale = [(i,) for (i,) in db.execute(_STALE)]
        fresh = db.execute(_MISSING).fetchall()
        db.executemany("DELETE FROM search_index WHERE rowid = ?", stale)
        db.executemany("DELETE FROM search_state WHERE id = ?", stale)
        # a row with no state row (state cleared by hand to force a rebuild) would collide with its bead's new row
        if not db.execute("SELECT EXISTS (SELECT 1 FROM search_state)").fetchone()[0]:
            db.execute("DELETE FROM search_index")
        else:
            gone = {i for (i,) in stale}
            db.executemany("DELETE FROM search_index WHERE rowid = ?", [(i,) for i, *_ in fresh if i not in gone])
        db.executemany("INSERT INTO search_index (rowid, ar, en) VALUES (?, ?, ?)", [(i, fold(ar), fold(en)) for i, _, ar, en in fresh])
        db.executemany("INSERT OR REPLACE INTO search_state (id, version) VALUES (?, ?)", [(i, v) for i, v, *_ in fresh])
        db.commit()
    except sqlite3.Error as e:
        db.rollback()
        raise StoreError(f"store {store.path}: cannot update the search index: {e}") from None
    except BaseException:
        db.rollback()
        raise
    return len(fresh)


# -- queries ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One sentence bead that matched, with the spans of every occurrence on each side (in the stored text)."""

    id: int
    en_id: str
    ar_id: str | None
    status: str
    origin: str
    role: str
    ar: str
    en: str
    version: int
    ar_spans: tuple[tuple[int, int], ...]
    en_spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    total: int  # every match, not only this page
    term: str


def _term(term: str) -> str:
    if not isinstance(term, str):
        raise InputError("the search term must be text")
    if len(term) > MAX_TERM:
        raise InputError(f"the search term is longer than {MAX_TERM} characters")
    folded = fold(term)
    if not folded:
        raise InputError("the search term is empty (nothing but spaces or diacritics)")
    return folded


def _matching(folded: str, lang: str | None) -> tuple[str, tuple[str, ...]]:
    """SQL selecting the ids whose folded side(s) contain ``folded``, and its arguments."""
    if len(folded) >= MIN_INDEXED:
        # a quoted phrase is a literal to FTS5 (only its own quotes need doubling); for the trigram tokenizer a
        # phrase is a substring of the column
        phrase = '"' + folded.replace('"', '""') + '"'
        return "SELECT rowid FROM search_index WHERE search_index MATCH ?", (f"{{{lang}}} : {phrase}" if lang else phrase,)
    cols = (lang,) if lang else LANGS
    return ("SELECT rowid FROM search_index WHERE " + " OR ".join(f"instr({c}, ?) > 0" for c in cols),
            (folded,) * len(cols))


_RANK = "CASE b.status " + " ".join(f"WHEN '{s}' THEN {k}" for k, s in enumerate(STATUS_ORDER)) + f" ELSE {len(STATUS_ORDER)} END"


def search(store, term: str, *, lang: str | None = None, status: str | None = None, limit: int = 50,
           offset: int = 0) -> SearchResult:
    """Sentence beads whose Arabic or English (or only ``lang``'s side) contains ``term``, both folded.

    Accepted beads come first, then edited, unreviewed and rejected ones; then article and position. Only the
    articles the store pairs now are searched (not earlier versions of corrected files).
    ``total`` counts every match; ``hits`` is the page ``offset``..``offset + limit``."""
    if lang is not None and lang not in LANGS:
        raise InputError(f"lang must be 'ar' or 'en', not {lang!r}")
    if status is not None and status not in BEAD_STATUSES:
        raise InputError(f"status must be one of {', '.join(BEAD_STATUSES)}, not {status!r}")
    if limit < 0 or offset < 0:
        raise InputError("limit and offset cannot be negative")
    folded = _term(term)
    sync_index(store)
    sub, args = _matching(folded, lang)
    # the articles the corpus holds now: an earlier version of a corrected file is neither exported nor reviewed
    where = ("b.id IN (" + sub + ") AND b.level = 'sentence' AND b.en_id IN (SELECT en_id FROM pairs)"
             + (" AND b.status = ?" if status else ""))
    params = (*args, *((status,) if status else ()))
    try:
        # ids first (the order needs only status, article and position), text for the page only
        page = store.db.execute(f"SELECT b.id, COUNT(*) OVER () FROM beads b WHERE {where} "
                                f"ORDER BY {_RANK}, b.en_id, b.pos, b.id LIMIT ? OFFSET ?", (*params, limit, offset)).fetchall()
        if page:
            total = page[0][1]
        elif offset or not limit:  # an empty page says nothing about what lies before it
            total = store.db.execute(f"SELECT COUNT(*) FROM beads b WHERE {where}", params).fetchone()[0]
        else:
            total = 0
        ids = [i for i, _ in page]
        rows = {r[0]: r for r in store.db.execute(
            f"SELECT id, en_id, ar_id, status, origin, role, ar, en, version FROM beads WHERE id IN ({','.join('?' * len(ids))})", ids)}
    except sqlite3.Error as e:
        raise StoreError(f"store {store.path}: search failed: {e}") from None
    hits = []
    for i in ids:
        r = rows.get(i)
        if r is None:
            continue  # removed by another process between the two reads
        bid, en_id, ar_id, st, origin, role, ar, en, version = r
        hits.append(SearchHit(bid, en_id, ar_id, st, origin, role, ar, en, version,
                              ar_spans=find_spans(ar, folded) if lang != "en" else (),
                              en_spans=find_spans(en, folded) if lang != "ar" else ()))
    return SearchResult(hits, total, term)
