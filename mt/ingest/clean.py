"""Noise cleaners for scraped articles.

Each cleaner looks at the blocks of one document and says which to drop (or which prefix to cut)
and why; nothing leaves the document without a :class:`~mt.records.Dropped` record. A new kind of
noise is one new class plus its line in :data:`CLEANERS`.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace

from mt.ingest.readers import Block
from mt.records import Dropped
from mt.text.arabic import normalize_for_matching
from mt.text.dates import parse_dateline


@dataclass
class Item:
    """A block with its position in the source, so that dropped pieces can say where they were."""

    pos: int
    block: Block

    @property
    def text(self) -> str:
        return self.block.text


@dataclass
class Context:
    """What cleaners learn and share: metadata found on the way."""

    title: str | None = None
    date: str | None = None
    url: str | None = None
    bylines: list[tuple[str, str, str]] = field(default_factory=list)  # (label such as "interview by", name, line)
    dropped: list[Dropped] = field(default_factory=list)


class Cleaner(ABC):
    """One kind of noise. ``clean`` returns the items to keep and records the rest in ``ctx.dropped``."""

    reason: str = "noise"

    @abstractmethod
    def clean(self, items: list[Item], ctx: Context) -> list[Item]: ...

    def drop(self, item: Item, ctx: Context, reason: str | None = None) -> None:
        ctx.dropped.append(Dropped(item.text, reason or self.reason, item.pos))


class LineCleaner(Cleaner):
    """Drops every block that ``matches``."""

    @abstractmethod
    def matches(self, item: Item, ctx: Context) -> bool: ...

    def clean(self, items: list[Item], ctx: Context) -> list[Item]:
        kept = []
        for it in items:
            if self.matches(it, ctx):
                self.drop(it, ctx)
            else:
                kept.append(it)
        return kept


def _key(text: str) -> str:
    """Comparison form: case, quotes, punctuation and Arabic spelling variants folded."""
    t = normalize_for_matching(text.lower())
    return " ".join(re.sub(r"[^\w\s]", " ", t).split())


class ReadingTime(LineCleaner):
    reason = "reading-time line"
    _re = re.compile(
        r"^(?:reading time:?\s*)?(?:\d+|one|two|three|four|five)\s*(?:-|\s)?(?:min(?:ute)?s?)\.?\s*(?:read|reading)?$"
        r"|^(?:وقت القراءة\s*:?\s*)?(?:[\d٠-٩]+\s*)?(?:دقيقة|دقيقتان|دقيقتين|دقائق|د)\s*(?:واحدة\s*)?(?:للقراءة|قراءة)?$",
        re.I,
    )

    def matches(self, item, ctx):
        return bool(self._re.match(item.text.strip())) and len(item.text) < 40


class Title(Cleaner):
    """The title becomes metadata; the first short heading-like block is the title when the format gave none."""

    reason = "title (kept as metadata)"

    def clean(self, items, ctx):
        if ctx.title is None and items:
            first = items[0]
            if first.block.kind == "heading" or (_title_like(first) and len(items) > 1):
                ctx.title = first.text.strip()
        if ctx.title is None:
            return items
        title = _key(ctx.title)
        kept = []
        seen = False
        for it in items:
            k = _key(it.text)
            # pages often append " | Site name" or " - Site" to the <title>
            if k and (k == title or (it.block.kind == "heading" and title.startswith(k) and len(k) > 0.5 * len(title))):
                if not seen and k != title:
                    ctx.title = it.text.strip()  # the heading without the page title's site suffix
                self.drop(it, ctx, "repeated title" if seen else self.reason)
                seen = True
            else:
                kept.append(it)
        return kept


class SourceUrl(LineCleaner):
    """A line that is only the article's address (``Source: https://…``); the first one is kept as metadata."""

    reason = "source URL (kept as metadata)"
    _re = re.compile(r"^(?:(?:source|original|url|link|المصدر|الرابط|رابط المقال)\s*[:：]\s*)?<?(?P<url>https?://\S+?)>?$", re.I)

    def matches(self, item, ctx):
        m = self._re.match(item.text.strip())
        if m and ctx.url is None:
            ctx.url = m.group("url")
        return bool(m)


class Category(Cleaner):
    """A section name or breadcrumb above the title (``Interviews``, ``Home » News``, ``حوارات``)."""

    reason = "category line"
    _sections = re.compile(
        r"^(?:home|news|interviews?|features?|opinion|analysis|reports?|politics|world|middle east|syria|"
        r"q\s*&\s*a|exclusive|الرئيسية|أخبار|اخبار|حوارات|حوار|مقابلات|مقابلة|تقارير|تقرير|سياسة|رأي|تحليل|"
        r"سوريا|عربي|دولي|محليات|ملفات)$",
        re.I,
    )

    def clean(self, items, ctx):
        if len(items) >= 3 and ctx.title is None and _title_like(items[1]):
            parts = [p.strip() for p in re.split(r"\s*[»›>/|]\s*", items[0].text) if p.strip()]
            if parts and len(items[0].text.split()) <= 6 and all(self._sections.match(p) for p in parts):
                self.drop(items[0], ctx)
                return items[1:]
        return items


def _title_like(item: Item) -> bool:
    return len(item.text.split()) <= 25 and item.text.rstrip()[-1:] not in ".!?؟:،,"


class Teaser(LineCleaner):
    """A summary cut short with an ellipsis, as listing pages put above the article."""

    reason = "teaser (cut summary)"
    _re = re.compile(r"(?:\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\)|(?:read|continue reading|more)\s*(?:»|›|→)|اقرأ المزيد|…\s*»)\s*$", re.I)

    def matches(self, item, ctx):
        return bool(self._re.search(item.text))


class DateLine(LineCleaner):
    """A line that is only a date; the first one found is the article's date."""

    reason = "date line (kept as metadata)"

    def matches(self, item, ctx):
        if len(item.text) > 60:
            return False
        iso = parse_dateline(_strip_dateline_prefix(item.text))
        if iso and ctx.date is None:
            ctx.date = iso
        return iso is not None


def _strip_dateline_prefix(text: str) -> str:
    """``Updated: …``, ``Published …``, ``نشر في …`` before a date."""
    return re.sub(r"^(?:published|updated|posted|last updated|date|نشر في|نشر بتاريخ|تاريخ النشر|آخر تحديث)\s*(?:on|:)?\s*", "", text.strip(), flags=re.I)


class BylineLine(LineCleaner):
    """A line that only names the author or interviewer."""

    reason = "byline (kept as metadata)"
    _re = re.compile(
        r"^(?:by|interview by|interviewed by|written by|reporting by|interview conducted by|translated by|translation by)\s*:?\s+"
        r"(?P<name>[^\s.!?].{1,60})$"
        r"|^(?:حاوره|حاورها|حاورتها|حاورته|حاورهم|أجرى الحوار|أجرت الحوار|اجرى الحوار|حوار|بقلم|كتب|كتبت|إعداد|اعداد|ترجمة)\s*[:：\-–]?\s+(?P<ar>[^.؟?!]{2,60})$",
        re.I,
    )

    def matches(self, item, ctx):
        m = self._re.match(item.text.strip())
        if not m or len(item.text.split()) > 10:
            return False
        name = (m.group("name") or m.group("ar")).strip()
        label = item.text.strip()[: m.start("name") if m.group("name") else m.start("ar")].strip(" :：-–").lower()
        ctx.bylines.append((label, name, item.text.strip()))
        return True


class Caption(LineCleaner):
    """Photo captions and credits between turns."""

    reason = "photo caption"
    _credit = re.compile(
        r"\b(?:photo|photos|picture|image|video)\s+(?:courtesy|credit|by|via|from)\b|\b(?:photo|image|credit|photograph)s?\s*:|"
        r"\b(?:getty images|afp photo|reuters/|ap photo|epa/|shutterstock)\b|"
        r"(?:^|\s)(?:صورة|الصورة|تصوير|مصدر الصورة|صور)\s*[:：]|\(\s*(?:أرشيف|صورة أرشيفية|ارشيف)\s*\)\s*$",
        re.I,
    )
    _file = re.compile(r"^\S*?(?:-small|-large|-thumb|_small|_large|\.jpe?g|\.png|\.webp|IMG_\d+|DSC_?\d+)\S*\s", re.I)

    def matches(self, item, ctx):
        words = len(item.text.split())
        return words <= 60 and bool(self._credit.search(item.text) or (self._file.match(item.text) and words <= 40))


class Advert(LineCleaner):
    reason = "advertisement"
    _re = re.compile(r"^(?:ad|ads|advertisement|sponsored|sponsored content|إعلان|اعلان|محتوى مدعوم)$", re.I)

    def matches(self, item, ctx):
        return bool(self._re.match(item.text.strip(" .:-–")))


class RelatedLink(LineCleaner):
    reason = "related-article link"
    _re = re.compile(r"^(?:related|read more|read also|see also|recommended|more on this|اقرأ أيضا|اقرأ أيضاً|اقرأ ايضا|اقرأ المزيد|مواضيع ذات صلة|ذات صلة)\s*[:：»›]", re.I)

    def matches(self, item, ctx):
        return bool(self._re.match(item.text.strip())) and len(item.text.split()) <= 30


_FOOTER = re.compile(
    r"^(?:share(?: this)?(?: article| story| post)?|share on|tweet|email|print)\b|\bfollow us\b|\blike us on\b|\bsubscribe\b|"
    r"\bfor more (?:from|news|stories)\b|\bsign up for\b|\bnewsletter\b|^tags?\s*:|^categories\s*:|^filed under\b|"
    r"\breblogged this on\b|^(?:leave a reply|leave a comment|post a comment|\d+ comments?|comments?)\b|your email address will not be published|"
    r"required fields are marked|^(?:name|email|website|comment)\s*\*?$|^©|\bcopyright\b|all rights reserved|"
    r"شارك|مشاركة المقال|تابعونا|تابعوا|تابعنا|اشترك|النشرة البريدية|اترك تعليقا|اترك تعليقاً|أضف تعليق|اضف تعليق|"
    r"لن يتم نشر عنوان بريدك|الحقول الإلزامية|جميع الحقوق محفوظة|الوسوم\s*:|كلمات مفتاحية\s*:",
    re.I,
)


class Footer(Cleaner):
    """Share, follow, subscribe and comment-form lines; once the footer starts, what follows it is footer too."""

    reason = "share/follow footer"

    def clean(self, items, ctx):
        kept: list[Item] = []
        in_footer = False
        tail_start = max(0, len(items) - 8)  # a footer sits at the end of the page
        for i, it in enumerate(items):
            short = len(it.text.split()) <= 30
            hit = short and bool(_FOOTER.search(it.text))
            if hit or (in_footer and (short or it.text.strip().isdigit())):
                self.drop(it, ctx, self.reason if hit else "footer")
                in_footer = in_footer or i >= tail_start
            else:
                kept.append(it)
                in_footer = False
        return kept


class StrayCharacters(Cleaner):
    """Junk glued to a paragraph's start by a broken scrape (``tAM ip5JIn response, …``), or alone on a line."""

    reason = "stray characters"
    # junk mixes digits with letters or has a capital after a small letter ("tAM", "ip5J", "9f")
    _irregular = re.compile(r"\d[A-Za-z]|[A-Za-z]\d|[a-z][A-Z]")
    _token = re.compile(r"[A-Za-z0-9]{1,10}")
    _glued = re.compile(r"^(?P<junk>[A-Za-z0-9]{1,10}?)(?P<word>[A-Z][a-z]+[\w’'-]*[,.;:]?|[\u0600-\u06ff]\S*)$")

    def _junk(self, tok: str) -> bool:
        return bool(self._token.fullmatch(tok)) and bool(self._irregular.search(tok))

    def clean(self, items, ctx):
        kept = []
        for it in items:
            tokens = it.text.split(" ")
            if 0 < len(tokens) <= 3 and all(self._junk(t) for t in tokens):
                self.drop(it, ctx)
                continue
            cut = self._junk_prefix(tokens)
            if cut:
                junk, rest = cut
                ctx.dropped.append(Dropped(junk, "stray characters glued to a paragraph", it.pos))
                it = Item(it.pos, replace(it.block, text=rest))
            kept.append(it)
        return kept

    def _junk_prefix(self, tokens: list[str]) -> tuple[str, str] | None:
        for n, tok in enumerate(tokens[:4]):
            m = self._glued.match(tok)
            if m and len(tokens) > n + 3:
                junk, word = m.group("junk"), m.group("word")
                before = tokens[:n]
                latin_to_arabic = "\u0600" <= word[0] <= "\u06ff"
                # glued to a capitalised word, the junk itself must look like junk; a switch of script is junk by itself
                if (latin_to_arabic or self._junk(junk)) and len("".join(before) + junk) >= 3 and all(map(self._junk, before)):
                    return " ".join(before + [junk]), " ".join([word] + tokens[n + 1:])
            if not self._junk(tok):
                return None
        return None


class PullQuote(Cleaner):
    """A short block whose words are repeated inside a longer block: a pull quote or an inserted subheading."""

    reason = "pull quote (repeats text of the article)"

    def clean(self, items, ctx):
        keys = [_key(it.text) for it in items]
        kept = []
        for i, it in enumerate(items):
            k = keys[i]
            n = len(k.split())
            # a pull quote is set apart: in quotation marks, or without a sentence's final stop
            set_apart = it.text.lstrip()[:1] in "\"“‘«'" or not re.search(r"[.!?؟…]$", it.text.rstrip())
            if set_apart and 5 <= n <= 40 and any(j != i and len(keys[j]) > len(k) + 10 and k in keys[j] for j in range(len(items))):
                self.drop(it, ctx)
            else:
                kept.append(it)
        return kept


class Duplicate(Cleaner):
    """The same block twice (a repeated lead or date in another spelling is caught by its own cleaner)."""

    reason = "repeated paragraph"

    def clean(self, items, ctx):
        seen: set[str] = set()
        kept = []
        for it in items:
            k = _key(it.text)
            if k in seen and len(k.split()) >= 4:
                self.drop(it, ctx)
            else:
                seen.add(k)
                kept.append(it)
        return kept


# Order matters: reading time, dates, teasers and bylines sit around the title and must be gone
# before the first remaining line is taken for the title.
CLEANERS: list[Cleaner] = [
    ReadingTime(), Advert(), DateLine(), SourceUrl(), Teaser(), BylineLine(), Category(), Title(), Caption(), RelatedLink(),
    Footer(), StrayCharacters(), Duplicate(), PullQuote(),
]


def clean_blocks(blocks: list[Block], ctx: Context) -> list[Block]:
    """Run every cleaner; return the kept blocks, the dropped ones go to ``ctx.dropped`` sorted by position."""
    items = [Item(i, b) for i, b in enumerate(blocks) if b.text.strip()]
    for cleaner in CLEANERS:
        items = cleaner.clean(items, ctx)
    ctx.dropped.sort(key=lambda d: d.position)
    return [it.block for it in items]
