"""Moses plain text: ``<split>.ar`` and ``<split>.en``, line-aligned."""

from __future__ import annotations

from pathlib import Path

from mt.export.base import Exporter, ExportInfo, ExportRow, by_part, one_line
from mt.fileio import atomic_write


class MosesExporter(Exporter):
    name = "moses"
    description = "Moses plain text, one file per language and split"

    def write(self, rows: list[ExportRow], out_dir: Path, info: ExportInfo) -> list[Path]:
        written = []
        for split, part in by_part(rows).items():
            for lang in ("ar", "en"):
                path = out_dir / f"{split}.{lang}"
                atomic_write(path, "".join(one_line(getattr(r, lang)) + "\n" for r in part))
                written.append(path)
        return written
