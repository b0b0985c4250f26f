"""A page's own links to itself and to its translations: canonical address, hreflang alternates, language switchers.

Multilingual sites say which page is the translation of which: ``<link rel="alternate" hreflang="ar">`` in the
head, a language switcher in the page (WordPress with Polylang or WPML, Drupal's language block, a plain
"النسخة العربية" / "English version" link). Pairing takes such a link to an ingested article of the other
language as decisive (``mt.align.pairing``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

# link text that names a language version (a switcher without hreflang)
_NAMED = {
    "ar": re.compile(r"^\s*(?:النسخة العربية|العربية|عربي|بالعربية|اقرأ بالعربية|arabic|ar)\s*$", re.I),
    "en": re.compile(r"^\s*(?:english version|english|in english|read in english|الإنجليزية|الانجليزية|انجليزي|en)\s*$", re.I),
}
# where switchers live: Polylang's lang-item, WPML's wpml-ls, Drupal's language-switcher, a theme's lang menu
_SWITCHER = re.compile(r"lang-item|wpml-ls|language-switcher|lang-switch|languages?\b|polylang|pll", re.I)
_TRACKING = re.compile(r"^(?:utm_\w+|fbclid|gclid|amp)$", re.I)


@dataclass(frozen=True)
class PageLinks:
    canonical: str | None
    alternates: tuple[tuple[str, str], ...]  # (language, absolute URL), each language once


def normalize_url(url: str | None) -> str | None:
    """An address as pages are compared: no scheme, host in lower case without ``www.``, no fragment, no tracking
    parameters, no trailing slash or ``index.html``."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return None
    host = parts.netloc.lower().removeprefix("www.")
    path = re.sub(r"/(?:index\.(?:html?|php))?$", "", parts.path) or ""
    query = "&".join(q for q in parts.query.split("&") if q and not _TRACKING.match(q.split("=")[0]))
    return urlunsplit(("", host, path, query, "")).lstrip("/")


def _lang(code: str | None) -> str | None:
    code = (code or "").strip().lower().replace("_", "-")
    return code.split("-")[0] if code and code != "x-default" else None


def page_links(tree, base: str | None = None) -> PageLinks:
    """The canonical address and the language alternates an HTML page declares (lxml tree)."""
    canonical = None
    for el in tree.iter("link", "meta"):
        rel = (el.get("rel") or "").lower().split()
        if el.tag == "link" and "canonical" in rel and el.get("href"):
            canonical = canonical or el.get("href")
        elif el.tag == "meta" and (el.get("property") or el.get("name") or "").lower() == "og:url" and el.get("content"):
            canonical = canonical or el.get("content")
    base = canonical or base
    found: dict[str, str] = {}

    def add(lang: str | None, href: str | None) -> None:
        if lang in ("ar", "en") and href and not href.startswith(("#", "javascript:", "mailto:")):
            found.setdefault(lang, urljoin(base or "", href.strip()))

    for el in tree.iter("link"):
        if "alternate" in (el.get("rel") or "").lower().split():
            add(_lang(el.get("hreflang")), el.get("href"))
    for a in tree.iter("a"):
        href = a.get("href")
        lang = _lang(a.get("hreflang")) or _lang(a.get("lang"))
        if lang is None:
            holder = a
            in_switcher = False
            for _ in range(4):  # the switcher's list item, list and block
                holder = holder.getparent()
                if holder is None:
                    break
                if _SWITCHER.search(" ".join(filter(None, (holder.get("class"), holder.get("id"))))):
                    in_switcher = True
                    break
            text = " ".join(a.text_content().split())
            named = next((code for code, rx in _NAMED.items() if rx.match(text)), None)
            # a bare "ar" / "en" only inside a switcher; a full name ("النسخة العربية") anywhere
            if named and (in_switcher or len(text) > 2):
                lang = named
            elif in_switcher:
                classes = " ".join(filter(None, (holder.get("class") if holder is not None else None, a.get("class"))))
                m = re.search(r"(?:wpml-ls-item|lang-item)-([a-z]{2})\b", classes)
                lang = _lang(m.group(1)) if m else None
        add(lang, href)
    return PageLinks(canonical, tuple(sorted(found.items())))
