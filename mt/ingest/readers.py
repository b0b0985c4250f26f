"""Readers turn decoded text of one format into blocks (paragraph-level units) plus what the format says of itself.

One reader per format, registered by name; :func:`detect_format` picks one from the name and content.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from mt.errors import InputError
from mt.ingest.blocks import Block, RawDocument
from mt.records import Dropped
from mt.registry import Registry
from mt.text.normalize import normalize_text

Reader = Callable[[str], list[RawDocument]]
READERS: Registry[Reader] = Registry("format")
reader = READERS.register  # @reader("text") above a function that reads one format


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

_OPEN_END = re.compile(r"[\w,،;؛\-–(]$")  # a line that stops mid-sentence


def hard_wrapped(paragraphs: list[list[str]]) -> bool:
    """Whether the page's lines are cut at a fixed width (lines of one paragraph), rather than one paragraph or one
    turn per line: decided from all its lines at once (their widths and how they end), never line by line."""
    inner = [line for p in paragraphs for line in p[:-1]]  # lines that another line of the same paragraph follows
    if len(inner) < 2:
        return False
    lengths = sorted(len(x) for p in paragraphs for x in p)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    if not 40 <= width <= 130:  # nobody wraps wider, or narrower: these are paragraphs or labels, one per line
        return False
    open_end = sum(bool(_OPEN_END.search(x)) for x in inner) / len(inner)
    full = sum(len(x) >= 0.6 * width for x in inner) / len(inner)
    return open_end >= 0.5 and full >= 0.6


@reader("text")
def read_text(text: str) -> list[RawDocument]:
    paragraphs: list[list[str]] = []
    gaps: list[int] = []
    blank = 1
    for line in normalize_text(text).split("\n"):
        if not line.strip():
            blank += 1
            continue
        if blank or not paragraphs:
            paragraphs.append([])
            gaps.append(max(1, blank))
        paragraphs[-1].append(line.strip())
        blank = 0
    blocks: list[Block] = []
    if hard_wrapped(paragraphs):
        blocks = [Block("\n".join(p), gap=g) for p, g in zip(paragraphs, gaps)]
    else:
        for p, g in zip(paragraphs, gaps):
            soft = _even(p)
            blocks.extend(Block(line, gap=g if k == 0 else 0, soft=soft and k > 0) for k, line in enumerate(p))
    return [RawDocument(blocks)]


def _even(lines: list[str]) -> bool:
    """Lines of one paragraph of even width: a paragraph wrapped by hand. Where two of them fall in one turn they are
    joined with a space, not kept apart as paragraphs (reading the page still takes each line as a line)."""
    if len(lines) < 2:
        return False
    width = max(len(x) for x in lines)
    return 40 <= width <= 100 and all(len(x) >= 0.6 * width for x in lines[:-1])


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
            v = v.strip()
            if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
                v = v[1:-1]  # only a matching pair of quotes is YAML quoting
            front[k.strip().lower()] = v
        text = text[m.end():]
    tokens = MarkdownIt("commonmark").parse(text)
    doc = RawDocument([], title=front.get("title"), date=front.get("date"), author=front.get("author"),
                      url=front.get("url") or front.get("source"), lang=front.get("lang"))
    kind, prefix = "p", ""
    list_markers: list[str] = []
    for tok in tokens:
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

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.I)


def page_links(tree, base):
    from mt.ingest.links import page_links as links

    return links(tree, base)


def html_tree(text: str):
    """An HTML page's lxml tree. Raises :class:`InputError` when lxml cannot parse it."""
    import lxml.html
    from lxml import etree

    try:
        return lxml.html.document_fromstring(_XML_DECL.sub("", text, count=1))  # lxml refuses str that declares an encoding
    except (etree.ParserError, ValueError) as e:
        raise InputError(f"cannot parse HTML: {e}") from None


@reader("html")
def read_html(text: str) -> list[RawDocument]:
    """Main-content extraction with trafilatura; lxml reads what trafilatura does not report (captions)."""
    text = _XML_DECL.sub("", text, count=1)
    tree = html_tree(text)
    captions = [" ".join(c.text_content().split()) for c in tree.iter("figcaption")]
    doc = _trafilatura(text) or _fallback_html(tree)
    if doc is None or not doc.blocks:
        raise InputError("no article text found in the HTML page")
    doc.dropped.extend(Dropped(c, "photo caption", -1) for c in captions if c)
    lang = (tree.get("lang") or "").split("-")[0].lower()
    doc.lang = lang if lang in ("ar", "en") else None
    saved = _SAVED_FROM.search(text[:2000])
    doc.url = doc.url or (saved.group(1) if saved else None)
    links = page_links(tree, doc.url)
    doc.canonical, doc.alternates = links.canonical or doc.url, list(links.alternates)
    tail = text[-4000:].lower()
    if "</html>" not in tail and "</body>" not in tail:
        doc.warnings.append("truncated HTML page (no closing </body> or </html>); ingested the text that is there")
    return [doc]


def _trafilatura(text: str) -> RawDocument | None:
    import trafilatura

    d = trafilatura.bare_extraction(
        text, include_formatting=True, include_comments=False, include_tables=True,
        with_metadata=True, favor_recall=True, as_dict=False,
        # only dates the page declares: guessing from the text gives "July 2015" as 2015-01-01
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    assert not isinstance(d, dict)  # as_dict=False: a Document (or None)
    if d is None or d.body is None:
        return None
    blocks: list[Block] = []
    for el in d.body:
        tag = el.tag
        if tag == "list":
            for item in el.iter("item"):
                blocks.extend(Block("• " + t, "item") for t, _ in _el_lines(item))
        elif tag in ("p", "head", "quote", "table"):
            blocks.extend(Block(t, "heading" if tag == "head" else "p", bold) for t, bold in _el_lines(el))
    # a January 1st is how a year-only guess looks; keep it only when the page states that very date
    date = d.date if d.date and (not d.date.endswith("-01-01") or d.date in text) else None
    return RawDocument(blocks, title=d.title, date=date, author=d.author, url=d.url)


_BREAKS = {"lb", "p", "row", "cell", "head", "item", "list", "quote"}


def _el_lines(el) -> list[tuple[str, bool]]:
    """The lines of an element of trafilatura's XML, each with whether all its text is bold.

    Line breaks come from ``<lb/>`` and from nested block elements (table rows and cells, paragraphs),
    so old pages that put a whole interview in one table cell still give one line per paragraph.
    """
    lines: list[list[tuple[str, bool]]] = [[]]

    def walk(node, bold: bool) -> None:
        b = bold or (node.tag == "hi" and "#b" in (node.get("rend") or ""))
        if node.tag in _BREAKS and node is not el:
            lines.append([])
        if node.text and node.tag != "lb":
            lines[-1].append((node.text, b))
        for child in node:
            walk(child, b)
            if child.tag in _BREAKS:
                lines.append([])
            if child.tail:
                lines[-1].append((child.tail, bold or (node.tag == "hi" and "#b" in (node.get("rend") or ""))))

    walk(el, False)
    out = []
    for parts in lines:
        text = normalize_text("".join(t for t, _ in parts)).strip()
        if not text:
            continue
        for line in (x.strip() for x in text.split("\n")):
            if line:
                bold_len = sum(len(re.sub(r"\s", "", t)) for t, b in parts if b)
                out.append((line, bold_len >= len(re.sub(r"\s", "", text)) > 0))
    return out


def _fallback_html(tree) -> RawDocument | None:
    """When trafilatura finds no main content (tiny or broken pages): the text blocks of the body."""
    for bad in tree.xpath("//script|//style|//nav|//header|//footer|//noscript|//figure|//aside|//form"):
        bad.drop_tree()
    blocks: list[Block] = []
    for el in tree.xpath("//h1|//h2|//h3|//p|//li|//blockquote|//td"):
        t = normalize_text(el.text_content()).strip()
        if t:
            strong = el.xpath("./strong|./b")
            bold = bool(strong) and sum(len("".join(b.text_content().split())) for b in strong) >= len("".join(t.split()))
            kind = "heading" if el.tag.startswith("h") else ("item" if el.tag == "li" else "p")
            blocks.extend(Block(line.strip(), kind, bold) for line in t.split("\n") if line.strip())
    # menus and footers alone are not an article: some block must read like a sentence
    if not any(len(b.text.split()) >= 8 for b in blocks):
        return None
    title = tree.findtext(".//title")
    return RawDocument(blocks, title=title.strip() if title else None)


# --- JSON -------------------------------------------------------------------------------------

_TEXT_KEYS = ("text", "body", "content", "article", "articleBody", "html", "content_html", "body_html")
_KEYS = {
    "title": ("title", "headline", "name"),
    "date": ("date", "published", "publication_date", "published_at", "datePublished", "pub_date", "date_gmt"),
    "author": ("author", "byline", "authors", "interviewer", "creator"),
    "url": ("url", "source", "link", "source_url", "canonical_url"),
    "lang": ("lang", "language", "inLanguage"),
}
_WRAPPERS = ("articles", "items", "data", "posts", "results", "entries", "documents", "records")


def json_items(data) -> list:
    """The article objects of a JSON document: a list, one object, or a wrapper such as ``{"articles": [...]}``."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict) and not any(k in data for k in _TEXT_KEYS + ("paragraphs", "turns")):
        for k in _WRAPPERS:
            if isinstance(data.get(k), list) and all(isinstance(x, dict) for x in data[k]):
                return data[k]
    return [data]


def is_mt_article(item) -> bool:
    """An article as ``mt ingest`` writes it (re-ingesting it restores it as it was)."""
    return (isinstance(item, dict) and isinstance(item.get("turns"), list) and isinstance(item.get("file"), dict)
            and "sha256" in item["file"] and "id" in item and "lang" in item)


@reader("json")
def read_json(text: str) -> list[RawDocument]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"malformed JSON at line {e.lineno} column {e.colno}: {e.msg}") from None
    items = json_items(data)
    docs = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError(f"JSON item {n} is a {type(item).__name__}, not an object with the article text")
        docs.append(_json_article(item, n))
    if not docs:
        raise InputError("JSON holds an empty list: no article in it")
    return docs


def _value(v) -> str | None:
    """A string from the shapes CMSs use: plain, ``{"rendered": …}`` (WordPress), ``{"name": …}`` (schema.org), lists."""
    if isinstance(v, dict):
        v = next((v[k] for k in ("rendered", "name", "text", "@value", "url", "href", "interviewer") if isinstance(v.get(k), str)), None)
    if isinstance(v, list):
        parts = [_value(x) for x in v]
        v = ", ".join(p for p in parts if p) or None
    return v.strip() if isinstance(v, str) and v.strip() else None


def _first(item: dict, keys: tuple[str, ...]) -> str | None:
    for k in keys:
        v = _value(item.get(k))
        if v:
            return v
    return None


def _with_meta(blocks: list[Block], meta: dict[str, str | None]) -> RawDocument:
    """A document with the metadata :data:`_KEYS` names."""
    return RawDocument(blocks, title=meta["title"], date=meta["date"], author=meta["author"], url=meta["url"], lang=meta["lang"])


def _json_article(item: dict, n: int) -> RawDocument:
    meta = {k: _first(item, keys) for k, keys in _KEYS.items()}
    if isinstance(item.get("turns"), list):  # turns without our provenance: keep the structure by its markers
        blocks = [Block(_marked(t)) for t in item["turns"] if isinstance(t, dict) and t.get("text")]
        if item.get("title"):
            blocks.insert(0, Block(str(item["title"]), "heading"))
        return _with_meta(blocks, meta)
    for k in ("paragraphs",) + _TEXT_KEYS:
        v = item.get(k)
        if isinstance(v, list) and v and all(isinstance(x, str) for x in v):  # one paragraph per element
            return _with_meta([Block(normalize_text(p).strip()) for p in v if p.strip()], meta)
    body = _first(item, _TEXT_KEYS)
    if body is None:
        raise InputError(f"JSON item {n} has no article text (expected one of: {', '.join(('paragraphs',) + _TEXT_KEYS + ('turns',))})")
    fmt = "html" if re.search(r"<(p|div|br|article)\b", body, re.I) else "text"
    doc = READERS[fmt](body)[0]
    doc.warnings = []  # an HTML fragment in a JSON field has no </html> and needs none
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
