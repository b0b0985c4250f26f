"""Exports for ML engineers and CAT tools: an ``Exporter`` per format, filters, splits by article, the dataset card."""

from __future__ import annotations

import re
from pathlib import Path

from mt.export.base import EXPORTERS, SPLITS, SYNTHETIC, Exporter, ExportInfo, ExportRow, load_exporter, register_exporter
from mt.export.select import assign_splits, select

__all__ = ["EXPORTERS", "SPLITS", "SYNTHETIC", "ExportInfo", "ExportRow", "Exporter", "assign_splits", "export_store",
           "load_exporter", "register_exporter", "select"]


OWNED = re.compile(r"^(corpus|synthetic|train|validation|test)\.(jsonl|ar|en|tmx|xlf|csv)$")


def split_key(article) -> str:
    """What an article's split is hashed from: its id without the content-hash suffix an edited version gets."""
    sha = article.source.sha256
    for k in (6, 12, 64):
        if article.id.endswith(f"-{sha[:k]}"):
            return article.id[: -(k + 1)]
    return article.id


def export_store(store, out_dir: Path, formats: list[str], *, seed: int = 12345, level: str = "sentence",
                 only_accepted: bool = False, synthetic: bool = True,
                 en_ids: set[str] | None = None) -> tuple[ExportInfo, dict[str, list[Path]]]:
    """Export the store's beads in each format, with the dataset card (README.md).

    ``en_ids`` limits the export to those English articles (the pipeline's current corpus);
    by default every article the store pairs now. Files of an earlier export into the same folder
    that this one does not write again are removed, so the folder never mixes two exports.
    """
    from collections import Counter

    from mt.errors import InputError
    from mt.export.card import dataset_card
    from mt.fileio import atomic_write

    out_dir = Path(out_dir)
    exporters = [load_exporter(f) for f in formats]
    current = {p.en_id for p in store.pairs()}  # a re-ingested article's older version stays stored, not exported
    if en_ids is not None:
        current &= set(en_ids)
    beads = [b for b in store.beads(level=level) if b.en_id in current]
    if not synthetic:
        beads = [b for b in beads if b.origin != "synthetic"]
    if not beads:
        raise InputError(f"nothing to export: no aligned {level} beads in {store.path} (the corpus has no pairs, "
                         "and no English-only article could be translated)")
    articles = {i: store.get_article(i) for i in current}
    dates = {i: a.date for i, a in articles.items()}
    keys = {i: split_key(a) for i, a in articles.items()}
    rows, info = select(beads, dates, seed=seed, level=level, only_accepted=only_accepted, split_keys=keys)
    if not rows:
        why = ", ".join(f"{k} {v}" for k, v in info.removed.items() if v)
        raise InputError(f"nothing to export: all {len(beads)} beads were left out ({why})")
    info.synthetic_by = dict(Counter(r.synthetic_by for r in rows if r.synthetic_by))
    written = {e.name: e.write(rows, out_dir, info) for e in exporters}
    files = [p for ps in written.values() for p in ps]
    atomic_write(out_dir / "README.md", dataset_card(info, [p.name for p in files], hf="hf" in written))
    keep = {p.name for p in files}
    for old in out_dir.iterdir():
        if OWNED.match(old.name) and old.name not in keep:
            old.unlink()
    return info, written
