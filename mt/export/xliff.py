"""XLIFF 2.0 for review in CAT tools: one ``file`` per article, one ``unit`` per segment, text direction set."""

from __future__ import annotations

from pathlib import Path

from mt.export.base import SYNTHETIC, Exporter, ExportInfo, ExportRow, xml_safe
from mt.fileio import atomic_write

NS = "urn:oasis:names:tc:xliff:document:2.0"
STATES = {"accepted": "final", "edited": "translated", "unreviewed": "translated", "rejected": "initial"}
DIRECTION = {"ar": "rtl", "en": "ltr"}


def build_xliff(rows: list[ExportRow], src: str) -> bytes:
    from lxml import etree

    tgt = "en" if src == "ar" else "ar"
    root = etree.Element(f"{{{NS}}}xliff", nsmap={None: NS}, version="2.0", srcLang=src, trgLang=tgt)
    articles: dict[str, list[ExportRow]] = {}
    for r in rows:  # file ids must be unique: one file per article, wherever its rows are in the list
        articles.setdefault(r.article, []).append(r)
    for article, group in articles.items():
        f = etree.SubElement(root, f"{{{NS}}}file", id=f"f-{article}", srcDir=DIRECTION[src], trgDir=DIRECTION[tgt],
                             original=article)
        for r in group:
            unit = etree.SubElement(f, f"{{{NS}}}unit", id=f"u-{r.id.rsplit(':', 1)[-1]}", srcDir=DIRECTION[src], trgDir=DIRECTION[tgt])
            notes = etree.SubElement(unit, f"{{{NS}}}notes")
            for key in ("split", "role", "kind", "score", "status", "origin"):
                etree.SubElement(notes, f"{{{NS}}}note", category=key).text = xml_safe(str(r.metadata()[key]))
            seg = etree.SubElement(unit, f"{{{NS}}}segment", state=STATES.get(r.status, "translated"))
            etree.SubElement(seg, f"{{{NS}}}source").text = xml_safe(getattr(r, src))
            etree.SubElement(seg, f"{{{NS}}}target").text = xml_safe(getattr(r, tgt))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class XliffExporter(Exporter):
    """``corpus.xlf`` (Arabic → English) and ``synthetic.xlf`` (English → machine Arabic)."""

    name = "xliff"
    description = "XLIFF 2.0 for CAT tools"

    def write(self, rows: list[ExportRow], out_dir: Path, info: ExportInfo) -> list[Path]:
        written = [out_dir / "corpus.xlf"]
        atomic_write(written[0], build_xliff([r for r in rows if r.split != SYNTHETIC], "ar"))
        synthetic = [r for r in rows if r.split == SYNTHETIC]
        if synthetic:
            written.append(out_dir / "synthetic.xlf")
            atomic_write(written[-1], build_xliff(synthetic, "en"))
        return written
