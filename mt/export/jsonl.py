"""JSON lines in the Hugging Face translation layout, as one file or as a dataset folder with its card."""

from __future__ import annotations

import json
from pathlib import Path

from mt.export.base import SPLITS, SYNTHETIC, Exporter, ExportInfo, ExportRow, by_part
from mt.fileio import atomic_write


def _line(r: ExportRow) -> str:
    return json.dumps({"translation": {"ar": r.ar, "en": r.en}, **r.metadata()}, ensure_ascii=False) + "\n"


class JsonlExporter(Exporter):
    """``corpus.jsonl`` (human translations, every split, the split in each row) and ``synthetic.jsonl``."""

    name = "jsonl"
    description = "JSON lines, Hugging Face translation layout"

    def write(self, rows: list[ExportRow], out_dir: Path, info: ExportInfo) -> list[Path]:
        human = [r for r in rows if r.split != SYNTHETIC]
        synthetic = [r for r in rows if r.split == SYNTHETIC]
        written = [out_dir / "corpus.jsonl"]
        atomic_write(written[0], "".join(map(_line, human)))
        if synthetic:
            written.append(out_dir / "synthetic.jsonl")
            atomic_write(written[-1], "".join(map(_line, synthetic)))
        return written


class HFExporter(Exporter):
    """A dataset folder: one ``<split>.jsonl`` per split; the card (``README.md``) tells ``load_dataset`` the splits."""

    name = "hf"
    description = "Hugging Face dataset folder (splits + dataset card)"

    def write(self, rows: list[ExportRow], out_dir: Path, info: ExportInfo) -> list[Path]:
        written = []
        parts = by_part(rows)
        for split in (*SPLITS, SYNTHETIC):
            if split in parts:
                written.append(out_dir / f"{split}.jsonl")
                atomic_write(written[-1], "".join(map(_line, parts[split])))
        return written  # the card that makes the folder loadable is written with every export
