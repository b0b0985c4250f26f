"""Readers turn decoded text of one format into blocks (paragraph-level units) plus what the format says of itself.

One reader per format, registered by name; :func:`detect_format` picks one from the name and content.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from mt.errors import InputError
from mt.records import Dropped
from mt.text.normalize import normalize_text, split_paragraphs


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


Reader = Callable[[str], list[RawDocument]]
READERS: dict[str, Reader] = {}


def reader(name: str) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        READERS[name] = fn
        return fn

    return register


_EXTENSIONS = {
    ".txt": "text", ".text": "text", "": "text",
    ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".json": "json",
}
SUPPORTED_EXTENSIONS = tuple(sorted(e for e in _EXTENSIONS if e))


def detect_format(name: str, head: str) -> str:
    """Format from the file name, corrected by what the content plainly is."""
    lower = name.lower()
    ext = lower[lower.rfind("."):] if "." in lower.rsplit("/", 1)[-1] else ""
    fmt = _EXTENSIONS.get(ext, "text")
    start = head.lstrip()[:200].lower()
    if fmt == "text" and (start.startswith(("<!doctype html", "<html")) or re.match(r"<(head|body|article|div|p)[\s>]", start)):
        return "html"
    if fmt == "text" and start[:1] in "[{" and ext != ".md":
        try:
            json.loads(head)
            return "json"
        except ValueError:
            pass
    return fmt


# --- plain text -------------------------------------------------------------------------------

def _soft_wrapped(lines: list[str]) -> bool:
    """Lines of one paragraph wrapped at a fixed width rather than one paragraph per line."""
    body = lines[:-1]
    return len(lines) > 1 and all(len(x) >= 40 and not re.search(r"[.!?؟:\"”]$", x) for x in body)


@reader("text")
def read_text(text: str) -> list[RawDocument]:
    blocks: list[Block] = []
    for para in split_paragraphs(normalize_text(text)):
        lines = para.split("\n")
        if _soft_wrapped(lines):
            blocks.append(Block(" ".join(lines)))
        else:
            blocks.extend(Block(line) for line in lines if line.strip())
    return [RawDocument(blocks)]


# --- Markdown ---------------------------------------------------------------------------------

@reader("markdown")
def read_markdown(text: str) -> list[RawDocument]:
    from markdown_it import MarkdownIt  # ships with rich, which typer uses

    text = normalize_text(text)
    front: dict[str, str] = {}
    m = re.match(r"---\n(.*?)\n---\n", text, re.S)
    if m:  # YAML-style front matter: flat "key: value" lines are all articles use
        for line in m.group(1).splitlines():
            k, _, v = line.partition(":")
            front[k.strip().lower()] = v.strip().strip("\"'")
        text = text[m.end():]
    tokens = MarkdownIt("commonmark").parse(text)
    doc = RawDocument([], title=front.get("title"), date=front.get("date"), author=front.get("author"),
                      url=front.get("url") or front.get("source"), lang=front.get("lang"))
    kind, prefix = "p", ""
    list_markers: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            list_markers.append(tok.markup or "-")
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            list_markers.pop()
        elif tok.type == "heading_open":
            kind = "heading"
        elif tok.type == "list_item_open":
            prefix = (tok.markup if tok.markup in "-*+•" else tok.info + tok.markup) + " "
        elif tok.type == "inline":
            body, bold, images = _inline_text(tok.children or [])
            for alt in images:
                doc.dropped.append(Dropped(alt or "(image)", "image in the text", len(doc.blocks)))
            for line in body.split("\n"):
                if line.strip():
                    doc.blocks.append(Block(prefix + line.strip(), kind, bold and not prefix))
            kind, prefix = "p", ""
        elif tok.type in ("code_block", "fence", "html_block") and tok.content.strip():
            doc.blocks.append(Block(tok.content.strip()))
    return [doc]


def _inline_text(children: list) -> tuple[str, bool, list[str]]:
    parts: list[str] = []
    bold_chars = depth = 0
    images: list[str] = []
    for c in children:
        if c.type == "strong_open":
            depth += 1
        elif c.type == "strong_close":
            depth -= 1
        elif c.type in ("text", "code_inline"):
            parts.append(c.content)
            if depth:
                bold_chars += len(c.content.strip())
        elif c.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif c.type == "image":
            images.append(c.content)
    body = "".join(parts)
    letters = len(re.sub(r"\s", "", body))
    return body, letters > 0 and bold_chars >= letters, images


# --- HTML -------------------------------------------------------------------------------------

@reader("html")
def read_html(text: str) -> list[RawDocument]:
    """Main-content extraction with trafilatura; lxml reads what trafilatura does not report (captions)."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as e:
        raise InputError(f"cannot parse HTML: {e}") from None
    captions = [" ".join(c.text_content().split()) for c in tree.iter("figcaption")]
    doc = _trafilatura(text) or _fallback_html(tree)
    if doc is None or not doc.blocks:
        raise InputError("no article text found in the HTML page")
    doc.dropped.extend(Dropped(c, "photo caption", -1) for c in captions if c)
    lang = (tree.get("lang") or "").split("-")[0].lower()
    doc.lang = lang if lang in ("ar", "en") else None
    return [doc]


def _trafilatura(text: str) -> RawDocument | None:
    import trafilatura

    d = trafilatura.bare_extraction(
        text, include_formatting=True, include_comments=False, include_tables=True,
        with_metadata=True, favor_recall=True, as_dict=False,
    )
    if d is None or d.body is None:
        return None
    blocks: list[Block] = []
    for el in d.body:
        tag = el.tag
        if tag == "list":
            for item in el.iter("item"):
                t = _el_text(item)
                if t:
                    blocks.append(Block("• " + t, "item"))
        elif tag in ("p", "head", "quote", "table"):
            t = _el_text(el)
            if t:
                bold_text = "".join("".join(h.itertext()) for h in el.iter("hi") if "#b" in (h.get("rend") or ""))
                bold = len(re.sub(r"\s", "", bold_text)) >= len(re.sub(r"\s", "", t)) > 0
                blocks.extend(Block(line, "heading" if tag == "head" else "p", bold) for line in t.split("\n") if line.strip())
    return RawDocument(blocks, title=d.title, date=d.date, author=d.author, url=d.url)


def _el_text(el) -> str:
    parts: list[str] = []
    for node in el.iter():
        if node.tag == "lb":
            parts.append("\n")
        if node.text and node.tag != "lb":
            parts.append(node.text)
        if node.tail and node is not el:
            parts.append(node.tail)
    return normalize_text("".join(parts)).strip()


def _fallback_html(tree) -> RawDocument | None:
    """When trafilatura finds no main content (tiny or broken pages): the text blocks of the body."""
    for bad in tree.xpath("//script|//style|//nav|//header|//footer|//noscript|//figure|//aside|//form"):
        bad.drop_tree()
    blocks = []
    for el in tree.xpath("//h1|//h2|//h3|//p|//li|//blockquote"):
        t = normalize_text(el.text_content()).strip()
        if t:
            bold = all(len(" ".join(b.text_content().split())) >= len(" ".join(t.split())) for b in el.xpath("./strong|./b")[:1]) and bool(el.xpath("./strong|./b"))
            blocks.append(Block(t, "heading" if el.tag.startswith("h") else ("item" if el.tag == "li" else "p"), bold))
    title = tree.findtext(".//title")
    return RawDocument(blocks, title=title.strip() if title else None) if blocks else None


# --- JSON -------------------------------------------------------------------------------------

_TEXT_KEYS = ("text", "body", "content", "article", "html")
_KEYS = {
    "title": ("title", "headline", "name"),
    "date": ("date", "published", "publication_date", "published_at", "datePublished", "pub_date"),
    "author": ("author", "byline", "authors", "interviewer"),
    "url": ("url", "source", "link", "source_url"),
    "lang": ("lang", "language"),
}


@reader("json")
def read_json(text: str) -> list[RawDocument]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    items = data if isinstance(data, list) else [data]
    docs = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError(f"JSON item {n} is a {type(item).__name__}, not an object with the article text")
        docs.append(_json_article(item, n))
    if not docs:
        raise InputError("JSON holds an empty list: no article in it")
    return docs


def _first(item: dict, keys: tuple[str, ...]) -> str | None:
    for k in keys:
        v = item.get(k)
        if isinstance(v, list) and v and all(isinstance(x, str) for x in v):
            return ", ".join(v)
        if isinstance(v, dict):  # our own byline / source objects
            v = v.get("text") or v.get("interviewer") or v.get("url")
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


def _json_article(item: dict, n: int) -> RawDocument:
    meta = {k: _first(item, keys) for k, keys in _KEYS.items()}
    if isinstance(item.get("turns"), list):  # re-ingesting our own output: keep its turn structure
        blocks = [Block(_marked(t)) for t in item["turns"] if isinstance(t, dict) and t.get("text")]
        if item.get("title"):
            blocks.insert(0, Block(str(item["title"]), "heading"))
        return RawDocument(blocks, **meta)
    if isinstance(item.get("paragraphs"), list):
        return RawDocument([Block(str(p)) for p in item["paragraphs"] if str(p).strip()], **meta)
    body = _first(item, _TEXT_KEYS)
    if body is None:
        raise InputError(f"JSON item {n} has no article text (expected one of: {', '.join(_TEXT_KEYS + ('paragraphs', 'turns'))})")
    fmt = "html" if re.search(r"<(p|div|br|article)\b", body, re.I) else "text"
    doc = READERS[fmt](body)[0]
    for k, v in meta.items():
        setattr(doc, k, v or getattr(doc, k))
    return doc


_ROLE_MARK = {"question": "Q: ", "answer": "A: "}


def _marked(turn: dict) -> str:
    """Put back a marker for each turn so segmentation recovers the same roles."""
    text = str(turn["text"])
    speaker = turn.get("speaker")
    if speaker and turn.get("role") in _ROLE_MARK:
        return f"{speaker}: {text}"
    return _ROLE_MARK.get(turn.get("role", ""), "") + text
