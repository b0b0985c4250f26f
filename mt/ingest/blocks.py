"""What readers make of a file, before cleaning and segmentation read it."""

from __future__ import annotations

from dataclasses import dataclass, field

from mt.records import Dropped


@dataclass
class Block:
    """A paragraph-level unit of the source, before cleaning. ``bold`` is true when all its text was bold.

    ``gap`` is the number of blank lines before it (0: it follows the line above with a single line break).
    A hard-wrapped paragraph is one block whose text keeps its line breaks: where a line breaks may still be
    where a turn begins, so segmentation reads them as candidate boundaries.
    """

    text: str
    kind: str = "p"  # p | heading | item
    bold: bool = False
    gap: int = 1
    soft: bool = False  # a line that goes on with the line above as one wrapped paragraph (lines of even width)


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
    canonical: str | None = None  # the address the page gives for itself
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (language, URL) of its translations
    warnings: list[str] = field(default_factory=list)  # what the reader had to put up with
