"""From stored beads to export rows: review state, filters, splits by article, de-duplication without leaks."""

from __future__ import annotations

import hashlib
from collections import Counter

from mt.clock import utc_now
from mt.errors import InputError
from mt.export.base import SPLITS, SYNTHETIC, ExportInfo, ExportRow
from mt.export.filters import DEFAULT_FILTERS, Filter
from mt.records import CorpusBead
from mt.text.normalize import match_key
from mt.translate.base import mt_label

DEFAULT_FRACTIONS = {"test": 0.1, "validation": 0.1}
HASH_SPLIT_MIN_ARTICLES = 20  # below this, a fraction of the articles may be empty: rank instead


def _unit(seed: int, article: str) -> float:
    h = hashlib.sha256(f"{seed}:{article}".encode()).digest()
    return int.from_bytes(h[:8], "big") / 2**64


def assign_splits(articles: list[str], seed: int = 12345, fractions: dict[str, float] | None = None) -> dict[str, str]:
    """Article → split, from a hash of seed and article id alone.

    With many articles the split of an article never changes when others are added (test stays
    test across corpus versions). With few, the lowest hashes go to test, then validation, so that
    each gets at least one article once there are three.
    """
    fr = fractions or DEFAULT_FRACTIONS
    if sum(fr.values()) >= 1:
        raise InputError("test and validation fractions must leave something for training")
    articles = sorted(set(articles))
    u = {a: _unit(seed, a) for a in articles}
    if len(articles) >= HASH_SPLIT_MIN_ARTICLES:
        t, v = fr.get("test", 0), fr.get("validation", 0)
        return {a: "test" if x < t else "validation" if x < t + v else "train" for a, x in u.items()}
    ranked = sorted(articles, key=u.__getitem__)
    out = {a: "train" for a in articles}
    k = 0
    for split in ("test", "validation"):
        want = max(1, round(fr.get(split, 0) * len(articles))) if fr.get(split, 0) > 0 else 0
        for a in ranked[k:k + want]:
            if len(articles) - (k + 1) >= 1:  # always keep at least one article for training
                out[a] = split
                k += 1
    return out


def to_rows(beads: list[CorpusBead], splits: dict[str, str], dates: dict[str, str | None]) -> list[ExportRow]:
    rows = []
    for b in beads:
        split = SYNTHETIC if b.origin == "synthetic" else splits[b.en_id]
        rows.append(ExportRow(f"{b.en_id}:{b.ordinal}", b.ar, b.en, b.en_id, b.ar_id, split, b.role, b.kind, b.score,
                              b.status, b.origin, dates.get(b.en_id), b.level,
                              mt_label(b.mt_model)[1] if b.origin == "synthetic" else None))
    return rows


def _dedupe(rows: list[ExportRow], removed: Counter) -> list[ExportRow]:
    """Exact, then near duplicates, then leaks: a row whose Arabic or English appears in an evaluation split.

    Rows are visited test first, then validation, train and synthetic, so a duplicate is removed from
    training data, never from the data that measures it.
    """
    order = {s: i for i, s in enumerate(("test", "validation", "train", SYNTHETIC))}
    visit = sorted(range(len(rows)), key=lambda i: (order[rows[i].split], i))
    exact: set[tuple[str, str]] = set()
    near: set[tuple[str, str]] = set()
    held_out: set[str] = set()
    keep = [False] * len(rows)
    for i in visit:
        r = rows[i]
        raw = (r.ar.strip(), r.en.strip())
        key = (match_key(r.ar), match_key(r.en))
        if raw in exact:
            removed["exact duplicate"] += 1
            continue
        if key in near:
            removed["near duplicate"] += 1
            continue
        if r.split in ("train", SYNTHETIC) and (key[0] in held_out or key[1] in held_out):
            removed["overlaps validation/test"] += 1
            continue
        exact.add(raw)
        near.add(key)
        if r.split in ("test", "validation"):
            held_out.update(k for k in key if len(k) >= 10)  # short strings ("yes", a number) are not leaks
        keep[i] = True
    return [r for r, k in zip(rows, keep) if k]


def select(beads: list[CorpusBead], dates: dict[str, str | None], *, seed: int = 12345, level: str = "sentence",
           only_accepted: bool = False, filters: list[Filter] | None = None,
           fractions: dict[str, float] | None = None,
           split_keys: dict[str, str] | None = None) -> tuple[list[ExportRow], ExportInfo]:
    """Rows ready for the exporters, and the counts the dataset card reports.

    Splits are decided over every human article given, before review state or filters remove
    anything, so that ``--only-accepted`` never moves an article between splits. ``split_keys``
    maps an article id to what its split is hashed from (an edited article keeps its split).
    """
    info = ExportInfo(seed=seed, level=level, only_accepted=only_accepted,
                      created=utc_now())
    removed: Counter = Counter()
    kept = []
    for b in beads:
        if b.status == "rejected":
            removed["rejected in review"] += 1
        elif only_accepted and b.status != "accepted":
            removed["not accepted in review"] += 1
        else:
            kept.append(b)
    info.selected = len(beads)
    keys = split_keys or {}
    human = {b.en_id for b in beads if b.origin == "human"}
    by_key = assign_splits([keys.get(i, i) for i in human], seed, fractions)
    splits = {i: by_key[keys.get(i, i)] for i in human}
    rows = to_rows(kept, splits, dates)
    for f in (filters if filters is not None else [cls() for cls in DEFAULT_FILTERS]):
        # a pair a reviewer accepted is kept whatever a heuristic says, unless a side is empty
        mask = [k or (r.status == "accepted" and f.name != "empty side") for r, k in zip(rows, f.keep(rows))]
        for r, k in zip(rows, mask):
            if not k:
                removed[f.name if r.origin == "human" else f"{f.name} (synthetic)"] += 1
        rows = [r for r, k in zip(rows, mask) if k]
    rows = _dedupe(rows, removed)
    info.removed = {k: removed[k] for k in removed}
    info.counts = {s: n for s in (*SPLITS, SYNTHETIC) if (n := sum(1 for r in rows if r.split == s))}
    info.articles = {s: n for s in (*SPLITS, SYNTHETIC) if (n := len({r.article for r in rows if r.split == s}))}
    return rows, info
