"""What every stage of ``mt pipeline`` shares: the context it runs in, its result, and its shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from mt.errors import InputError
from mt.fingerprint import fingerprint  # noqa: F401  (the stages' one digest)

if TYPE_CHECKING:
    from mt.records import Article, Pairing
    from mt.store import Store
    from mt.translate.choose import EngineChoice

ALL_FORMATS = ("jsonl", "hf", "moses", "tmx", "xliff", "csv")


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
    threshold: float | None = None  # least evidence for an automatic pairing; None: the pairing values' own
    ray: str | None = None  # translate on Ray: "local" (a local instance) or a cluster address; None: in this process
    layouts: Path | None = None  # declared site layouts; default: CORPUS/layouts.toml when it exists

    def __post_init__(self):
        self.corpus, self.out = Path(self.corpus), Path(self.out)
        if not self.corpus.is_dir():
            raise InputError("not a corpus directory", str(self.corpus))
        self.db = Path(self.db) if self.db else self.out / "corpus.db"
        if self.manifest is None and (self.corpus / "pairs.tsv").is_file():
            self.manifest = self.corpus / "pairs.tsv"
        elif self.manifest is not None and not Path(self.manifest).is_file():
            raise InputError("no such manifest", str(self.manifest))
        if self.layouts is None and (self.corpus / "layouts.toml").is_file():
            self.layouts = self.corpus / "layouts.toml"
        elif self.layouts is not None and not Path(self.layouts).is_file():
            raise InputError("no such layout file", str(self.layouts))
        if self.gold is None and (self.corpus / "gold").is_dir():
            self.gold = self.corpus / "gold"
        elif self.gold is not None and not Path(self.gold).is_dir():
            raise InputError("not a folder of gold alignments", str(self.gold))

    @property
    def store_path(self) -> Path:
        return self.db or self.out / "corpus.db"


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
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each stage in this run (0: skipped)

    def stage(self, name: str) -> StageResult:
        return next(s for s in self.stages if s.name == name)


@dataclass
class Recorded:
    """What the store remembers of a stage's last run over a scope: its inputs' fingerprint and its summary."""

    fingerprint: str
    summary: dict


@dataclass
class StageContext:
    """Everything a stage reads and what the stages before it produced."""

    cfg: PipelineConfig
    store: Store
    rep: Reporter
    result: PipelineResult
    articles: list[Article] = field(default_factory=list)  # from ingest
    pairs: list[Pairing] = field(default_factory=list)  # from pair
    evaluation: dict = field(default_factory=dict)  # from evaluate
    _runner: object = None

    @property
    def runner(self):
        """Where engines run: this process, or (``--ray``) the same Ray runner as ``mt translate --ray``, made once
        and connected on first use (without ``--ray`` nothing imports Ray)."""
        if self.cfg.ray is None:
            return None
        if self._runner is None:
            from mt.scale import RayRunner

            self._runner = RayRunner(None if self.cfg.ray == "local" else self.cfg.ray)
        return self._runner

    @property
    def scope(self) -> str:
        """Stages record their state per corpus folder: one store can hold several corpora."""
        return str(self.cfg.corpus.resolve())

    def recorded(self, name: str, scope: str | None = None) -> Recorded | None:
        row = self.store.stage(name, self.scope if scope is None else scope)
        return Recorded(*row) if row else None

    def warn(self, line: str) -> None:
        self.result.warnings.append(line)
        self.rep.note(f"warning: {line}")

    def finish(self, name: str, fp: str, summary: dict, line: str, *, scope: str | None = None,
               skipped: bool = False) -> StageResult:
        """Record the stage's state (unless it was skipped) and report it."""
        if not skipped:
            self.store.finish_stage(name, fp, summary, self.scope if scope is None else scope)
        res = StageResult(name, skipped, summary, line + (" (unchanged, skipped)" if skipped else ""))
        self.result.stages.append(res)
        self.rep.done(res)
        return res


class Stage(Protocol):
    """One step of the pipeline: it reads the context, does its work (or skips it when its inputs'
    fingerprint is unchanged), writes to the store and the context, and says what it did."""

    name: str

    def run(self, ctx: StageContext) -> StageResult: ...
