"""Exports for ML engineers and CAT tools: an ``Exporter`` per format, filters, splits by article, the dataset card."""

from __future__ import annotations

from pathlib import Path

from mt.export.base import EXPORTERS, SPLITS, SYNTHETIC, ExportInfo, Exporter, ExportRow, load_exporter, register_exporter
from mt.export.select import assign_splits, select

__all__ = ["EXPORTERS", "SPLITS", "SYNTHETIC", "ExportInfo", "ExportRow", "Exporter", "assign_splits", "export_store",
           "load_exporter", "register_exporter", "select"]


def export_store(store, out_dir: Path, formats: list[str], *, seed: int = 12345, level: str = "sentence",
                 only_accepted: bool = False, synthetic: bool = True) -> tuple[ExportInfo, dict[str, list[Path]]]:
    """Export the store's beads in each format; the card (README.md) is always written."""
    from mt.errors import InputError
    from mt.export.card import dataset_card
    from mt.fileio import atomic_write

    exporters = [load_exporter(f) for f in formats]
    current = {p.en_id for p in store.pairs()}  # a re-ingested article's older version stays stored, not exported
    beads = [b for b in store.beads(level=level) if b.en_id in current]
    if not synthetic:
        beads = [b for b in beads if b.origin != "synthetic"]
    if not beads:
        raise InputError(f"no aligned {level} beads in {store.path}; run `mt pipeline` (or `mt align --db`) first")
    dates = {a.id: a.date for a in store.list_articles("en")}
    rows, info = select(beads, dates, seed=seed, level=level, only_accepted=only_accepted)
    if not rows:
        why = ", ".join(f"{k} {v}" for k, v in info.removed.items() if v)
        raise InputError(f"nothing to export: all {len(beads)} beads were left out ({why})")
    written = {e.name: e.write(rows, Path(out_dir), info) for e in exporters}
    if "hf" not in written:
        atomic_write(Path(out_dir) / "README.md", dataset_card(info, []))
    return info, written
