"""Ingestion: files to :class:`~mt.records.Article` records (decoded, cleaned, split into turns) and into the store."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from mt.errors import InputError, MtError
from mt.ingest.blocks import Block, RawDocument
from mt.ingest.clean import Context, clean_blocks
from mt.ingest.decode import DEFAULT_MAX_BYTES, decode, read_bytes
from mt.ingest.features import Hints
from mt.ingest.layouts import Layouts, SiteLayout
from mt.ingest.metadata import INTERVIEWER_LABELS, extract_byline
from mt.ingest.params import ReaderParams, default_params
from mt.ingest.readers import READERS, SUPPORTED_EXTENSIONS, detect_format
from mt.ingest.segment import segment
from mt.records import Article, IngestReport, Source
from mt.text.dates import find_date
from mt.text.normalize import normalize_text
from mt.text.scripts import check_language, detect_language

__all__ = ["ingest_paths", "ingest_bytes", "iter_files", "ReadOptions", "SUPPORTED_EXTENSIONS"]


def slugify(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = re.sub(r"[^\w\u0600-\u06ff]+", "-", text.lower()).strip("-")
    return text or "article"


def iter_files(paths: Iterable[str | Path]) -> Iterator[tuple[Path, InputError | None]]:
    """Each input file, or the error that stands in for a path that gives none."""
    for p in map(Path, paths):
        try:
            is_dir, exists = p.is_dir(), p.exists()
            found = sorted(
                f for f in p.rglob("*")
                if f.is_file() and f.suffix.lower() in SUPPORTED_EXTENSIONS
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
                and f.name.lower() != "readme.md"
            ) if is_dir else []
        except OSError as e:  # no permission to look: this path's failure, not the batch's
            yield p, InputError(f"cannot read: {e.strerror or e}", str(p))
            continue
        if is_dir:
            if not found:
                yield p, InputError(f"no article files ({', '.join(SUPPORTED_EXTENSIONS)}) in this directory", str(p))
            for f in found:
                yield f, None
        elif exists:
            yield p, None
        else:
            yield p, InputError("no such file or directory", str(p))


@dataclass(frozen=True)
class ReadOptions:
    """How pages are read: the reader's fitted values (None: those shipped), declared site layouts, and, for
    fitting and measuring only, the title already known (``title_known``: ``title`` is the answer, even None)."""

    params: ReaderParams | None = None
    layouts: Layouts | None = None
    title: str | None = None
    title_known: bool = False

    def reader(self, layout: SiteLayout | None) -> str:
        """Which reading a page gets: the values' digest, and the layout's when one applies."""
        digest = (self.params or default_params()).digest
        return f"{digest}+{layout.digest}" if layout is not None else digest


@dataclass
class Cleaned:
    """A document decoded, read and cleaned, before it is split into turns."""

    doc: RawDocument
    ctx: Context
    blocks: list[Block]
    lang: str


def clean_document(doc: RawDocument, *, lang: str, options: ReadOptions, url: str | None = None,
                   layout: SiteLayout | None = None) -> Cleaned:
    ctx = Context(title=normalize_text(doc.title).strip() if doc.title else None,
                  date=find_date(doc.date) if doc.date else None, url=doc.url or url)
    if options.title_known:
        ctx.title, ctx.title_known = options.title, True
    elif layout is not None and layout.title_line is not None and doc.title is None:
        line = layout.title_line
        ctx.title = " ".join(doc.blocks[line - 1].text.split()) if 0 < line <= len(doc.blocks) else None
        ctx.title_known = True
    ctx.title_weights = (options.params or default_params()).title
    ctx.lang = doc.lang or "en"
    ctx.dropped.extend(doc.dropped)
    blocks = clean_blocks(doc.blocks, ctx, doc.lang or "en")
    if not blocks:
        raise InputError(f"no article text left after removing {len(ctx.dropped)} pieces of page noise")
    body = "\n".join(b.text for b in blocks)
    if lang == "auto":
        try:
            lang = detect_language(body)
        except InputError:
            if doc.lang not in ("ar", "en"):
                raise
            lang = doc.lang
    else:
        check_language(body, lang)
    return Cleaned(doc, ctx, blocks, lang)


_TITLE_SPEAKER = re.compile(r"^(?P<who>[^:：,“\"«]{2,40}?)\s*(?:[:：]|,\s*interviewed by\b)", re.I)


def hints_of(ctx: Context) -> Hints:
    """Who asks and who answers by the page's furniture: a programme's presenter and guests, an "interview by" line,
    the person a ``Name: quote`` headline quotes."""
    interviewers = [name for label, name, _ in ctx.bylines if label.lower() in INTERVIEWER_LABELS]
    quoted = _TITLE_SPEAKER.match(ctx.title or "")
    guests = ctx.guests + ([quoted.group("who").strip()] if quoted else [])
    return Hints(tuple(ctx.hosts + interviewers), tuple(guests), ctx.title or "")


def _article(doc: RawDocument, *, lang: str, source: Source, base_id: str, options: ReadOptions,
             layout: SiteLayout | None = None) -> Article:
    c = clean_document(doc, lang=lang, options=options, url=source.url, layout=layout)
    ctx = c.ctx
    turns, dropped, warnings = segment(c.blocks, c.lang, options.params, layout, hints_of(ctx))
    ctx.dropped.extend(dropped)
    byline = extract_byline(turns, ctx.bylines, doc.author)
    return Article(
        id=base_id, lang=c.lang, title=ctx.title, date=ctx.date, byline=byline,
        source=replace(source, url=ctx.url),
        turns=tuple(turns), dropped=tuple(ctx.dropped), warnings=tuple(doc.warnings) + tuple(warnings),
    )


def read_documents(data: bytes, name: str) -> tuple[list, str, str, str]:
    """The documents in one file's bytes: (documents, or the articles of mt's own JSON output; format; encoding; SHA-256)."""
    sha = hashlib.sha256(data).hexdigest()
    head_fmt = detect_format(name, data[:4096].decode("utf-8", "ignore"))
    text, encoding = decode(data, sniff_html=head_fmt == "html")
    fmt = detect_format(name, text[:4096])
    restored = _restore(text) if fmt == "json" else None
    if restored is not None:
        return restored, fmt, encoding, sha
    return READERS[fmt](text), fmt, encoding, sha


def ingest_bytes(data: bytes, name: str, *, lang: str = "auto", options: ReadOptions | None = None,
                 url: str | None = None) -> list[Article]:
    """Articles in one file's bytes (a JSON list may hold several). Raises :class:`InputError`."""
    options = options or ReadOptions()
    try:
        docs, fmt, encoding, sha = read_documents(data, name)
        if docs and isinstance(docs[0], Article):
            return docs
        stem = slugify(Path(name).stem)
        articles = []
        for n, doc in enumerate(docs):
            base = stem if len(docs) == 1 else f"{stem}-{n + 1}"
            layout = options.layouts.for_page(name, doc.url or url) if options.layouts else None
            if layout is not None and layout.title and fmt == "html":
                doc.title = _selected_title(data, encoding, layout.title) or doc.title
            src = Source(path=name, sha256=sha, encoding=encoding, format=fmt, url=url, item=n,
                         reader=options.reader(layout), layout=layout.name if layout else None,
                         canonical=doc.canonical or doc.url or url, alternates=tuple(doc.alternates))
            art = _article(doc, lang=lang, source=src, base_id=base, options=options, layout=layout)
            suffix = f"-{art.lang}"
            articles.append(replace(art, id=base if base.endswith(suffix) else base + suffix))
        return articles
    except InputError as e:
        raise InputError(e.reason, name) from None


def reading_change(before: Article, after: Article) -> str | None:
    """What another reading of the same bytes changed (None: the same title and turns)."""
    a = [(t.role, t.text, t.speaker) for t in before.turns]
    b = [(t.role, t.text, t.speaker) for t in after.turns]
    parts = []
    if a != b:
        same = sum(x == y for x, y in zip(a, b))
        parts.append(f"{max(len(a), len(b)) - same} of {len(b)} turns differ" if len(a) == len(b) else f"{len(a)} turns became {len(b)}")
    if before.title != after.title:
        parts.append("another title")
    return ", ".join(parts) or None


def _selected_title(data: bytes, encoding: str, selector: str) -> str | None:
    """The headline a declared layout's CSS selector picks out of an HTML page (the reader has parsed the page
    already, and the layout's selector was checked when its file was read)."""
    from mt.ingest.readers import html_tree

    found = html_tree(data.decode(encoding, "replace")).cssselect(selector)
    text = " ".join(found[0].text_content().split()) if found else ""
    return normalize_text(text) or None


def _restore(text: str) -> list[Article] | None:
    """``mt ingest`` output read back: the articles exactly as they were (ids, turns, dropped, provenance)."""
    import json

    from mt.ingest.readers import is_mt_article, json_items

    try:
        items = json_items(json.loads(text))
    except ValueError:
        return None
    if not items or not all(is_mt_article(x) for x in items):
        return None
    try:
        return [Article.from_dict(x) for x in items]
    except (TypeError, KeyError, ValueError) as e:
        raise InputError(f"looks like mt ingest output but does not read as it: {e}") from None


def ingest_paths(
    paths: Iterable[str | Path],
    *,
    lang: str = "auto",
    store=None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_file: Callable[[Path], None] | None = None,
    catch_unexpected: bool = True,
    options: ReadOptions | None = None,
) -> IngestReport:
    """Ingest files and directories; each article is stored as soon as it is read, so a later failure loses nothing.

    Bad files go to ``report.failed`` with a one-line reason; the batch goes on.
    """
    report = IngestReport()
    for path, error in iter_files(paths):
        if on_file:
            on_file(path)
        if error:
            report.failed.append((str(path), error.reason))
            continue
        try:
            articles = ingest_bytes(read_bytes(path, max_bytes), str(path), lang=lang, options=options)
        except MtError as e:
            report.failed.append((str(path), e.reason if isinstance(e, InputError) else str(e)))
            continue
        except Exception as e:  # noqa: BLE001 - a parser's bug on untrusted bytes fails this file, not the batch
            if not catch_unexpected:
                raise
            report.failed.append((str(path), f"unexpected error ({type(e).__name__}: {e}); please report it"))
            continue
        # the store is outside both excepts: its failure is no fault of this file and stops the batch
        # (what is stored stays stored)
        for art in articles:
            if store is None:
                report.add(art, new=True)
                continue
            existing = store.find_article(art.source.sha256, art.source.item, art.source.reader)
            if existing:
                if store.make_current(existing):  # read as it was before another reading: that reading is current again
                    report.reread[existing] = "read as it was before another reading: that earlier version is current again"
                report.add(store.get_article(existing), new=False)
                continue
            latest = store.find_article(art.source.sha256, art.source.item)
            change = None
            if latest:  # these bytes were read before by another reader (refitted values, a declared layout)
                stored = store.get_article(latest)
                change = reading_change(stored, art)
                if change is None:
                    report.add(stored, new=False)  # read the same: nothing to do
                    continue
            art = replace(art, id=store.free_id(art.id, art.source.sha256, art.source.reader))
            store.add_article(art)
            report.add(art, new=True)
            if change:
                report.reread[art.id] = f"read again ({change}): stored as a new version of the article"
    return report
