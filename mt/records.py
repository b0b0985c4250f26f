"""Typed records that the stages pass to each other (never bare dicts)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Lang = Literal["ar", "en"]
Role = Literal["intro", "question", "answer", "paragraph"]
ROLES: tuple[str, ...] = ("intro", "question", "answer", "paragraph")


@dataclass(frozen=True)
class Turn:
    """One unit of the article body: an intro paragraph, a question, an answer or a plain paragraph.

    ``text`` keeps the paragraph breaks of a multi-paragraph answer as blank lines.
    ``speaker`` is the label the source gave the turn (``Q``, ``س``, a name), marker removed from ``text``.
    """

    index: int
    role: str
    text: str
    speaker: str | None = None


@dataclass(frozen=True)
class Dropped:
    """A piece of the source that is not part of the article body, and why it was taken out."""

    text: str
    reason: str
    position: int = -1  # index of the block in the source it came from, -1 when not positional


@dataclass(frozen=True)
class Byline:
    """Who wrote or conducted the interview and who was interviewed, where the article says so."""

    text: str | None = None
    interviewer: str | None = None
    interviewee: str | None = None

    def __bool__(self) -> bool:
        return bool(self.text or self.interviewer or self.interviewee)


@dataclass(frozen=True)
class Source:
    """Where an article came from: the file, its exact bytes and how they were read."""

    path: str
    sha256: str  # of the original bytes, before decoding or cleaning
    encoding: str
    format: str  # text | markdown | html | json
    url: str | None = None
    item: int = 0  # position in a file that holds several articles (a JSON list)
    reader: str = ""  # which reading of the bytes: the reader values' digest, and the declared layout's if one applied
    layout: str | None = None  # the declared site layout the page was read with, by name
    canonical: str | None = None  # the address the page gives for itself (canonical link, og:url, saved-from)
    alternates: tuple[tuple[str, str], ...] = ()  # (language, URL): the page's links to its own translations


@dataclass(frozen=True)
class Article:
    """An ingested article: metadata, turns, and everything removed from it with reasons."""

    id: str
    lang: str
    title: str | None
    date: str | None  # ISO 8601 (YYYY-MM-DD)
    byline: Byline
    source: Source
    turns: tuple[Turn, ...]
    dropped: tuple[Dropped, ...] = ()
    warnings: tuple[str, ...] = ()  # what ingestion had to put up with (a truncated page, say)

    @property
    def has_dialogue(self) -> bool:
        return any(t.role in ("question", "answer") for t in self.turns)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape ``mt ingest`` prints."""
        return {
            "id": self.id,
            "lang": self.lang,
            "title": self.title,
            "date": self.date,
            "byline": asdict(self.byline),
            "source": self.source.url,
            "file": {k: v for k, v in asdict(self.source).items() if k != "url"},
            "turns": [asdict(t) for t in self.turns],
            "dropped": [asdict(d) for d in self.dropped],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Article:
        file = d.get("file") or {}
        return cls(
            id=d["id"],
            lang=d["lang"],
            title=d.get("title"),
            date=d.get("date"),
            byline=Byline(**(d.get("byline") or {})),
            source=Source(
                path=file.get("path", ""),
                sha256=file.get("sha256", ""),
                encoding=file.get("encoding", "utf-8"),
                format=file.get("format", "json"),
                url=d.get("source"),
                item=file.get("item", 0),
                reader=file.get("reader", ""),
                layout=file.get("layout"),
            ),
            turns=tuple(Turn(**t) for t in d.get("turns", ())),
            dropped=tuple(Dropped(**x) for x in d.get("dropped", ())),
            warnings=tuple(d.get("warnings", ())),
        )


@dataclass
class IngestReport:
    """What one ``ingest`` call did: the articles in input order, which were new, and the files that failed."""

    articles: list[Article] = field(default_factory=list)
    new_ids: set[str] = field(default_factory=set)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line reason)
    reread: dict[str, str] = field(default_factory=dict)  # stored bytes read another way: id -> what happened, for people

    def add(self, article: Article, *, new: bool) -> None:
        self.articles.append(article)
        if new:
            self.new_ids.add(article.id)


@dataclass(frozen=True)
class ArticleSummary:
    """One line of ``mt corpus list``."""

    id: str
    lang: str
    title: str | None
    date: str | None
    turns: int
    questions: int
    dropped: int
    path: str


@dataclass(frozen=True)
class CachedTranslation:
    """One translated chunk as the cache keeps it."""

    key: str
    engine: str
    model: str
    options: str  # JSON of the decoding options
    src_lang: str
    tgt_lang: str
    source: str
    target: str


@dataclass(frozen=True)
class Translation:
    """The translation of one segment (a line, a turn), and what produced it."""

    source: str
    text: str
    engine: str
    model: str
    src_lang: str
    tgt_lang: str
    chunks: int = 1  # more than one: the segment was split at sentences to fit the model
    cached: bool = False  # every chunk came from the cache


@dataclass(frozen=True)
class Bead:
    """Source segments aligned with target segments (either side may be empty), with P(correct) in [0, 1]."""

    src: tuple[int, ...]
    tgt: tuple[int, ...]
    score: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"src": list(self.src), "tgt": list(self.tgt), "score": round(self.score, 4)}


@dataclass(frozen=True)
class Alignment:
    """The beads of one document, in order; every segment of both sides appears in exactly one bead."""

    beads: tuple[Bead, ...]
    src_lang: str = "ar"
    tgt_lang: str = "en"
    method: str = ""  # the scorers and passes that made it


@dataclass(frozen=True)
class AlignedDocument:
    """A document ``mt align`` aligned into the store: what it was, what it was aligned with, and its beads."""

    key: str  # sha256 of the languages and both sides' segments
    name: str  # the files as given
    src_lang: str
    tgt_lang: str
    n: int
    m: int
    params: str  # digest of the aligner's fitted values
    alignment: Alignment
    aligned_at: str = ""


@dataclass(frozen=True)
class LexiconSource:
    """One contribution to the store's corpus lexicon: a document or an article, with how much it taught."""

    source: str  # "doc:KEY" or "article:EN_ID"
    pairs: float  # the summed weight of the pairs it learnt from
    reviewed: int  # of them, pairs a translator accepted or edited
    state: str  # what it was computed from (a review changes it)
    entries: int = 0
    updated_at: str = ""


# edited: a person changed the text after it was approved (or before anyone did); it waits for approval
BEAD_STATUSES = ("unreviewed", "accepted", "rejected", "edited")


@dataclass(frozen=True, kw_only=True)
class CorpusBead:
    """One aligned unit of the corpus as stored: a turn bead, or a sentence bead inside one.

    Keyword-only. A bead not yet stored has ``id=None``; every bead read from the store has its id
    (``stored_id``), so review code never checks.

    ``origin`` is ``human`` when the Arabic is the published source, ``synthetic`` when it is a
    machine translation of an English article that has none; the two are never mixed in exports.
    """

    en_id: str
    ar_id: str | None
    level: str  # turn | sentence
    ordinal: int  # position in the English article at this level
    ar: str
    en: str
    ar_index: tuple[int, ...] = ()  # turn indices (turn level) or sentence indices inside the parent turn bead
    en_index: tuple[int, ...] = ()
    parent: int | None = None  # sentence level: the ordinal of the turn bead it lies in
    role: str = ""  # the turns' roles, e.g. "question" or "answer" ("question+answer" for a bead across both)
    score: float = 1.0  # the aligner's P(correct); 1.0 for synthetic beads
    origin: str = "human"  # human | synthetic
    status: str = "unreviewed"  # unreviewed | accepted | rejected | edited
    mt: str | None = None  # machine translation of the Arabic (human) beads into English
    mt_model: str | None = None
    id: int | None = None
    version: int = 1
    pos: float = 0.0  # order in the article: reviewers' splits land between two beads without renumbering
    comment: str = ""

    @property
    def kind(self) -> str:
        return f"{len(self.ar_index)}-{len(self.en_index)}"

    @classmethod
    def from_dict(cls, d: dict) -> CorpusBead:
        """A bead as the history and JSON keep it (``asdict``, its index tuples as lists)."""
        return cls(**{**d, "ar_index": tuple(d["ar_index"]), "en_index": tuple(d["en_index"])})

    @property
    def stored_id(self) -> int:
        """The store's id. The rule: a bead read from the store has one, a bead not yet stored has none."""
        if self.id is None:
            raise ValueError(f"bead {self.en_id}/{self.level}/{self.ordinal} is not stored yet")
        return self.id

    @property
    def complete(self) -> bool:
        return bool(self.ar.strip() and self.en.strip())


@dataclass(frozen=True)
class StrandedWork:
    """Reviewed work on an earlier version of an article that a re-ingest could not carry to the new one."""

    id: int
    old_en_id: str
    new_en_id: str
    beads: list[int]
    entries: list[int]
    original: list[dict]  # the beads as aligned, before the work
    final: list[dict]  # the beads as the work left them
    reason: str
    state: str  # open | reapplied | discarded
    resolved_by: str | None
    resolved_at: str | None
    created_at: str


@dataclass(frozen=True)
class HistoryEntry:
    """One change to an article's beads, as the append-only history keeps it."""

    id: int
    en_id: str
    action: str  # status | edit | merge | split | move | comment | undo
    who: str
    at: str
    before: list[dict]  # the beads the change touched, as they were (removed ones included)
    after: list[dict]  # the same beads, as they became (new ones included)
    undoes: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Pairing:
    """An English article and its Arabic source (None: none found or given), with the evidence for it."""

    en_id: str
    ar_id: str | None
    score: float
    evidence: dict = field(default_factory=dict)
    method: str = "evidence"  # evidence | manifest
