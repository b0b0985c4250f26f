"""CSV for spreadsheets: one row per segment with its metadata (UTF-8 with a BOM, so Excel reads the Arabic).

Text cells that a spreadsheet would take for a formula get a leading apostrophe, which spreadsheets
hide; use the JSONL export where the exact text matters.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from mt.export.base import SYNTHETIC, Exporter, ExportInfo, ExportRow
from mt.fileio import atomic_write

COLUMNS = ("id", "split", "article", "ar_article", "role", "kind", "score", "status", "origin", "level", "date", "ar", "en")


def cell(text: str) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula (CSV injection): such cells get a leading '."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _table(rows: list[ExportRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for r in rows:
        meta = r.metadata()
        w.writerow([meta.get(c, "") if c not in ("ar", "en") else cell(getattr(r, c)) for c in COLUMNS])
    return "\ufeff" + buf.getvalue()


class CsvExporter(Exporter):
    name = "csv"
    description = "CSV with metadata columns"

    def write(self, rows: list[ExportRow], out_dir: Path, info: ExportInfo) -> list[Path]:
        written = [out_dir / "corpus.csv"]
        atomic_write(written[0], _table([r for r in rows if r.split != SYNTHETIC]))
        synthetic = [r for r in rows if r.split == SYNTHETIC]
        if synthetic:
            written.append(out_dir / "synthetic.csv")
            atomic_write(written[-1], _table(synthetic))
        return written
