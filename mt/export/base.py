"""The exporter plugin kind: one base class with one batch method, registered by name."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

from mt.registry import Registry

SPLITS = ("train", "validation", "test")
SYNTHETIC = "synthetic"  # never one of SPLITS: machine-made Arabic stays apart from human translations


@dataclass(frozen=True)
class ExportRow:
    """One parallel segment as exporters see it."""

    id: str  # stable across runs: "<english article id>:<bead ordinal>"
    ar: str
    en: str
    article: str  # the English article's id
    ar_article: str | None
    split: str  # train | validation | test | synthetic
    role: str = ""
    kind: str = "1-1"
    score: float = 1.0
    status: str = "unreviewed"
    origin: str = "human"
    date: str | None = None
    level: str = "sentence"
    synthetic_by: str | None = None  # synthetic rows: what made their Arabic ("word glosses (lexicon)" or the model)

    @property
    def source_lang(self) -> str:
        """The language the text was first written in: the Arabic source, or English for synthetic rows."""
        return "en" if self.origin == SYNTHETIC else "ar"

    def metadata(self) -> dict:
        return {"id": self.id, "article": self.article, "ar_article": self.ar_article, "split": self.split,
                "role": self.role, "kind": self.kind, "score": round(self.score, 4), "status": self.status,
                "origin": self.origin, "level": self.level, "date": self.date, "synthetic_by": self.synthetic_by}


@dataclass
class ExportInfo:
    """What the card and the summary say about an export."""

    seed: int
    level: str
    counts: dict[str, int] = field(default_factory=dict)  # rows per split (and synthetic)
    articles: dict[str, int] = field(default_factory=dict)  # articles per split
    removed: dict[str, int] = field(default_factory=dict)  # rows removed, per filter / dedup step, in order
    selected: int = 0  # rows considered before filtering
    only_accepted: bool = False
    created: str = ""
    synthetic_by: dict[str, int] = field(default_factory=dict)  # synthetic rows per maker of their Arabic


class Exporter(ABC):
    """Writes rows (already filtered and split) into ``out_dir``; returns the files written."""

    name: str = "exporter"
    description: str = ""

    @abstractmethod
    def write(self, rows: list[ExportRow], out_dir: Path, info: ExportInfo) -> list[Path]: ...


EXPORTERS: Registry[type[Exporter]] = Registry("export format")
for _name, _path in (("jsonl", "mt.export.jsonl:JsonlExporter"), ("hf", "mt.export.jsonl:HFExporter"),
                     ("moses", "mt.export.moses:MosesExporter"), ("tmx", "mt.export.tmx:TmxExporter"),
                     ("xliff", "mt.export.xliff:XliffExporter"), ("csv", "mt.export.csv:CsvExporter")):
    EXPORTERS.register(_name, _path)


def register_exporter(name: str, target: str | type[Exporter]) -> None:
    """Register an exporter class, or its ``"module:Class"`` path."""
    EXPORTERS.register(name, target)


def load_exporter(name: str) -> Exporter:
    return EXPORTERS.get(name)()


def by_part(rows: list[ExportRow]) -> dict[str, list[ExportRow]]:
    """Rows grouped by split, splits in their usual order, synthetic last; empty parts left out."""
    parts = {s: [r for r in rows if r.split == s] for s in (*SPLITS, SYNTHETIC)}
    return {k: v for k, v in parts.items() if v}


def one_line(text: str) -> str:
    """Line-based formats break on a newline inside a segment; paragraph breaks become spaces."""
    return " ".join(text.split())


def xml_safe(text: str) -> str:
    """XML 1.0 forbids most control characters; lxml refuses them, so they are dropped (tab and newline stay)."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ord(ch) not in (0xFFFE, 0xFFFF)
                                                            and not 0xD800 <= ord(ch) <= 0xDFFF))
