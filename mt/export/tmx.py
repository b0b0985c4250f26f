"""TMX 1.4b, the translation-memory format every CAT tool reads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mt import __version__
from mt.export.base import SYNTHETIC, Exporter, ExportInfo, ExportRow, xml_safe
from mt.fileio import atomic_write


def tmx_date(iso: str | None = None) -> str:
    """TMX dates are UTC as ``YYYYMMDDThhmmssZ``."""
    t = dt.datetime.fromisoformat(iso) if iso else dt.datetime.now(dt.UTC)
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return t.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def build_tmx(rows: list[ExportRow], info: ExportInfo, srclang: str) -> bytes:
    from lxml import etree

    created = tmx_date(info.created or None)
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header", {
        "creationtool": "mt", "creationtoolversion": __version__, "segtype": "sentence" if info.level == "sentence" else "paragraph",
        "o-tmf": "mt-sqlite", "adminlang": "en", "srclang": srclang, "datatype": "plaintext", "creationdate": created,
    })
    etree.SubElement(header, "prop", type="x-seed").text = str(info.seed)
    body = etree.SubElement(root, "body")
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for r in rows:
        tu = etree.SubElement(body, "tu", tuid=r.id, srclang=srclang, creationdate=created)
        for key, value in r.metadata().items():
            if key != "id" and value not in (None, ""):
                etree.SubElement(tu, "prop", type=f"x-{key}").text = xml_safe(str(value))
        for lang in (srclang, "en" if srclang == "ar" else "ar"):
            tuv = etree.SubElement(tu, "tuv", {xml_lang: lang})
            etree.SubElement(tuv, "seg").text = xml_safe(getattr(r, lang))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True,
                          doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')


class TmxExporter(Exporter):
    """``corpus.tmx`` with Arabic as the source language, ``synthetic.tmx`` with English as the source."""

    name = "tmx"
    description = "TMX 1.4b translation memory"

    def write(self, rows: list[ExportRow], out_dir: Path, info: ExportInfo) -> list[Path]:
        written = [out_dir / "corpus.tmx"]
        atomic_write(written[0], build_tmx([r for r in rows if r.split != SYNTHETIC], info, "ar"))
        synthetic = [r for r in rows if r.split == SYNTHETIC]
        if synthetic:
            written.append(out_dir / "synthetic.tmx")
            atomic_write(written[-1], build_tmx(synthetic, info, "en"))
        return written
