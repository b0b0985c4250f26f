"""What readers make of a file, before cleaning and segmentation read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from mt.records import Dropped


@dataclass
class Block:
    """A paragraph-level unit of the source, before cleaning. ``bold`` is true when all its text was bold."""

    text: str
    kind: str = "p"  # p | heading | item
    bold: bool = False


@dataclass
class RawDocument:
    """What a reader found: the body blocks and any metadata the format carries explicitly."""

    blocks: list[Block]
    title: str | None = None
    date: str | None = None
    author: str | None = None
    url: str | None = None
    lang: str | None = None
    dropped: list[Dropped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what the reader had to put up with
