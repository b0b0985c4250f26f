"""The corpus lexicon's link counts, by source (see mt.align.memory)."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Sequence
from itertools import repeat

import numpy as np

from mt.clock import utc_now
from mt.records import LexiconSource
from mt.store.connection import Connection


def rounded(values: Sequence[float], digits: int) -> list[float]:
    """``[round(v, digits) for v in values]``, the same numbers, by array arithmetic (an eighth of the time).

    The scaled product is within half a unit of the exact one, so it can land on a half (where the exact value may
    lie either side) but never cross one: there, and past the floats' range, Python's own rounding decides. An
    integer over a power of ten is the double nearest that decimal, as Python's is."""
    x = np.asarray(values, dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = x * 10.0**digits
        out = np.rint(scaled) / 10.0**digits
        near = (scaled - np.floor(scaled) == 0.5) | ~np.isfinite(scaled)
    for k in np.flatnonzero(near):
        out[k] = round(float(x[k]), digits)
    return out.tolist()


PACKED = b"MTLX1\n"  # never the start of a zlib stream (0x78), which the first blobs were


def pack_links(src: Sequence[str], tgt: Sequence[str], links: Sequence[float]) -> bytes:
    """One source's links as a blob: the marker, the length of the words' zlib stream (8 bytes), that stream (the
    from-words, then the to-words, one a line, a NUL between), and the counts as little-endian doubles.

    Every aligned document writes one of these, and it is read back only when the document is redone: this packing
    takes a third of the time of the JSON it replaced (which is still read). Words holding a line break or a NUL
    (no tokenizer of mt makes one) are written as that JSON."""
    text = "\n".join(src) + "\0" + "\n".join(tgt)
    if text.count("\n") + text.count("\0") != max(0, len(src) - 1) + 1 + max(0, len(tgt) - 1):
        return zlib.compress(json.dumps([list(src), list(tgt), list(links)], ensure_ascii=False).encode("utf-8"), 1)
    # the fastest level: five times the speed of the default for a fifth more bytes
    words = zlib.compress(text.encode("utf-8"), 1)
    return PACKED + len(words).to_bytes(8, "little") + words + np.asarray(links, dtype="<f8").tobytes()


def unpack_links(data: bytes) -> tuple[list[str], list[str], list[float]]:
    """(from-words, to-words, counts) of a blob :func:`pack_links` wrote, or of the zlib-compressed JSON before it."""
    if not data.startswith(PACKED):
        a, b, c = json.loads(zlib.decompress(data))
        return a, b, c
    at = len(PACKED) + 8
    end = at + int.from_bytes(data[len(PACKED):at], "little")
    src, tgt = zlib.decompress(data[at:end]).decode("utf-8").split("\0")
    counts = np.frombuffer(data[end:], dtype="<f8").tolist()
    return (src.split("\n") if counts else []), (tgt.split("\n") if counts else []), counts


# CROSS JOIN keeps the asked words outermost: left to its planner (no statistics on a fresh temp table), SQLite reads the
# direction's every row and probes the asked words, a read that grows with the store rather than with the document
LINKS_FROM_ASKED = "SELECT t.src, t.tgt, t.count FROM lex_from f CROSS JOIN lexicon_totals t ON t.direction = ? AND t.src = f.w"


class Lexicon(Connection):
    """The corpus lexicon's link counts, by the source that taught them."""

    def lexicon_counts(self, direction: str, words_from: list[str], words_to: list[str],
                       exclude: tuple[str, ...] = ()) -> tuple[list[tuple[str, str, float]], dict[str, float]]:
        """The summed link counts from ``words_from`` to ``words_to``, and each from-word's total over every word.

        Counts of the ``exclude`` sources are left out (a document being aligned again must not learn from itself).
        """
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS lex_from (w TEXT PRIMARY KEY) WITHOUT ROWID")
        db.execute("DELETE FROM lex_from")
        db.executemany("INSERT OR IGNORE INTO lex_from VALUES (?)", [(w,) for w in words_from])
        # one pass over the from-words' rows gives both the links asked for and the totals (two joins read them twice)
        rows = db.execute(LINKS_FROM_ASKED, (direction,)).fetchall()
        wanted_to = set(words_to)
        triples = [r for r in rows if r[1] in wanted_to]
        totals: dict[str, float] = {}
        for src, _, c in rows:
            totals[src] = totals.get(src, 0.0) + c
        if exclude:
            wanted = set(words_from)
            own: dict[tuple[str, str], float] = {}
            for source in exclude:
                for src, tgt, c in self._source_counts(source, direction):
                    if src in wanted:
                        totals[src] = totals.get(src, 0.0) - c
                        own[(src, tgt)] = own.get((src, tgt), 0.0) + c
            if own:  # a document seen before: take out what it taught (stored counts are all above 1e-9, see below)
                triples = [(a, b, c - own.get((a, b), 0.0)) for a, b, c in triples]
                triples = [t for t in triples if t[2] > 1e-9]
            totals = {w: t for w, t in totals.items() if t > 1e-9}
        db.commit()
        return triples, totals

    def _source_counts(self, source: str, direction: str) -> list[tuple[str, str, float]]:
        row = self.db.execute("SELECT data FROM lexicon_counts WHERE source = ? AND direction = ?", (source, direction)).fetchone()
        if row is None:
            return []
        return list(zip(*unpack_links(row[0])))

    def replace_lexicon_source(self, source: LexiconSource, counts: dict[str, list[tuple[str, str, float]]]) -> None:
        """Put one source's counts in place of what it taught before, keeping the sums right (one transaction)."""
        with self._tx():
            db = self.db
            for (direction,) in db.execute("SELECT direction FROM lexicon_counts WHERE source = ?", (source.source,)).fetchall():
                old = self._source_counts(source.source, direction)
                db.executemany("UPDATE lexicon_totals SET count = count - ? WHERE direction = ? AND src = ? AND tgt = ?",
                               [(c, direction, a, b) for a, b, c in old])
                db.executemany("DELETE FROM lexicon_totals WHERE direction = ? AND src = ? AND tgt = ? AND count <= 1e-9",
                               [(direction, a, b) for a, b, _ in old])
            db.execute("DELETE FROM lexicon_counts WHERE source = ?", (source.source,))
            for direction, rows in counts.items():
                # in columns, as they are stored; what is added is exactly what can be taken back
                src, tgt, raw = zip(*rows) if rows else ((), (), ())
                links = rounded(raw, 6)
                data = pack_links(src, tgt, links)
                db.execute("INSERT INTO lexicon_counts (source, direction, links, data) VALUES (?,?,?,?)",
                           (source.source, direction, len(links), data))
                db.executemany("INSERT INTO lexicon_totals (direction, src, tgt, count) VALUES (?,?,?,?) "
                               "ON CONFLICT (direction, src, tgt) DO UPDATE SET count = count + excluded.count",
                               zip(repeat(direction), src, tgt, links))
            db.execute("INSERT OR REPLACE INTO lexicon_sources (source, pairs, reviewed, state, updated_at) VALUES (?,?,?,?,?)",
                       (source.source, source.pairs, source.reviewed, source.state, utc_now()))

    def lexicon_sources(self) -> list[LexiconSource]:
        rows = self.db.execute(
            "SELECT s.source, s.pairs, s.reviewed, s.state, (SELECT COALESCE(SUM(links), 0) FROM lexicon_counts c WHERE c.source = s.source), "
            "s.updated_at FROM lexicon_sources s ORDER BY s.source").fetchall()
        return [LexiconSource(*r) for r in rows]

    def lexicon_source_states(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT source, state FROM lexicon_sources").fetchall())

    def forget_lexicon(self) -> int:
        """Empty the corpus lexicon (articles, documents and their beads stay); how many sources it had."""
        n = self.db.execute("SELECT COUNT(*) FROM lexicon_sources").fetchone()[0]
        with self._tx():
            self.db.execute("DELETE FROM lexicon_counts")
            self.db.execute("DELETE FROM lexicon_totals")
            self.db.execute("DELETE FROM lexicon_sources")
        return n

    def review_states(self, en_id: str | None = None) -> dict[str, str]:
        """For every article with sentence beads (or the one given), a digest of their ids, versions and statuses
        (a review changes it)."""
        rows = self.db.execute("SELECT en_id, group_concat(id || ':' || version || ':' || status, ',') FROM "
                               "(SELECT en_id, id, version, status FROM beads WHERE level = 'sentence' AND origin = 'human' "
                               "AND (? IS NULL OR en_id = ?) ORDER BY en_id, id) GROUP BY en_id", (en_id, en_id)).fetchall()
        return {en: hashlib.sha256(v.encode()).hexdigest()[:16] for en, v in rows}
