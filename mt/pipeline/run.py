"""The composition of the stages, their fingerprints and what the run reports."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from mt.errors import InputError
from mt.pipeline import stages
from mt.translate.choose import EngineChoice

ALL_FORMATS = ("jsonl", "hf", "moses", "tmx", "xliff", "csv")


def fingerprint(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()


class Reporter:
    """Progress callbacks; the CLI draws bars, tests and library users may record or ignore them."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def done(self, result: StageResult) -> None: ...

    def note(self, line: str) -> None: ...


@dataclass
class PipelineConfig:
    corpus: Path
    out: Path = Path("out")
    db: Path | None = None  # default: OUT/corpus.db
    engine: str = "auto"
    model: str | None = None  # ar→en model or lexicon file
    reverse_model: str | None = None  # en→ar, for the synthetic part
    manifest: Path | None = None  # default: CORPUS/pairs.tsv when it exists
    gold: Path | None = None  # default: CORPUS/gold when it exists
    formats: tuple[str, ...] = ALL_FORMATS
    seed: int = 12345
    folds: int = 5
    threshold: float = 0.35

    def __post_init__(self):
        self.corpus, self.out = Path(self.corpus), Path(self.out)
        if not self.corpus.is_dir():
            raise InputError("not a corpus directory", str(self.corpus))
        self.db = Path(self.db) if self.db else self.out / "corpus.db"
        if self.manifest is None and (self.corpus / "pairs.tsv").is_file():
            self.manifest = self.corpus / "pairs.tsv"
        elif self.manifest is not None and not Path(self.manifest).is_file():
            raise InputError("no such manifest", str(self.manifest))
        if self.gold is None and (self.corpus / "gold").is_dir():
            self.gold = self.corpus / "gold"
        elif self.gold is not None and not Path(self.gold).is_dir():
            raise InputError("not a folder of gold alignments", str(self.gold))


@dataclass
class StageResult:
    name: str
    skipped: bool
    summary: dict = field(default_factory=dict)
    line: str = ""  # one line for people


@dataclass
class PipelineResult:
    stages: list[StageResult] = field(default_factory=list)
    engines: dict[str, EngineChoice] = field(default_factory=dict)  # "ar-en", "en-ar"
    totals: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    report: dict[str, Path] = field(default_factory=dict)
    exports: dict[str, list[Path]] = field(default_factory=dict)
    loaded: dict = field(default_factory=dict, repr=False)  # engines loaded in this run, reused across stages

    def stage(self, name: str) -> StageResult:
        return next(s for s in self.stages if s.name == name)


def run_pipeline(cfg: PipelineConfig, reporter: Reporter | None = None) -> PipelineResult:
    from mt.store import Store

    rep = reporter or Reporter()
    result = PipelineResult()
    scope = str(cfg.corpus.resolve())
    with Store(cfg.db) as store:
        articles = stages.ingest(cfg, store, rep, result)
        pairs = stages.pair(cfg, store, rep, result, articles, scope)
        stages.align(cfg, store, rep, result, articles, pairs, scope)
        stages.translate(cfg, store, rep, result, articles, pairs, scope)
        stages.synthetic(cfg, store, rep, result, articles, pairs)
        evaluation = stages.evaluate(cfg, store, rep, result, articles, pairs, scope)
        stages.export(cfg, store, rep, result, scope, pairs)
        beads = [b for p in pairs for b in store.beads(p.en_id)]
        turn_beads = [b for p in pairs if p.ar_id for b in store.beads(p.en_id, level="turn")]
        en = [a for a in articles if a.lang == "en"]
        result.totals = {
            "articles": {"en": len(en), "ar": sum(1 for a in articles if a.lang == "ar")},
            "pairs": sum(1 for p in pairs if p.ar_id),
            "english_only": sum(1 for p in pairs if not p.ar_id),
            "turns_aligned": sum(len(b.en_index) for b in turn_beads if b.complete),
            "turns": sum(len(b.en_index) for b in turn_beads),
            "beads": dict(sorted(Counter(b.kind for b in beads if b.origin == "human").items())),
            "synthetic_beads": sum(1 for b in beads if b.origin == "synthetic"),
            "evaluation": evaluation,
        }
    return result
