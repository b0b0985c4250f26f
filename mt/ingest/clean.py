"""Noise cleaners for scraped articles.

Each cleaner looks at the blocks of one document and says which to drop (or which prefix to cut)
and why; nothing leaves the document without a :class:`~mt.records.Dropped` record. A new kind of
noise is one new class plus its line in :data:`CLEANERS`.

Dropping real text is worse than keeping noise, so each cleaner only looks where its noise lives:
page furniture (reading time, dates, teasers, bylines, category lines) in the *head*, before the
first marked turn; share / follow / comment forms in the *tail*; a block that opens a turn
(``Q:``, ``ج:``, a dialogue dash, a bold question) is never taken for furniture.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace

from mt.ingest.blocks import Block
from mt.ingest.markers import TITLE_ABBREV as _TITLE_ABBREV
from mt.ingest.markers import Worded, mark
from mt.ingest.title import choose as choose_title
from mt.ingest.title import clean_title
from mt.records import Dropped
from mt.registry import Registry
from mt.text.dates import parse_dateline
from mt.text.names import PARTICLE
from mt.text.normalize import match_key

HEAD_MAX = 12  # furniture above an article rarely runs past this many blocks
TAIL_MAX = 12


@dataclass
class Item:
    """A block with its position in the source, so that dropped pieces can say where they were."""

    pos: int
    block: Block
    marked: bool = False  # opens a turn (Q:, ج:, a dash, a bold question)

    @property
    def text(self) -> str:
        return self.block.text


@dataclass
class Context:
    """What cleaners learn and share: metadata found on the way, and where head and tail are."""

    title: str | None = None
    date: str | None = None
    url: str | None = None
    bylines: list[tuple[str, str, str]] = field(default_factory=list)  # (label such as "interview by", name, line)
    hosts: list[str] = field(default_factory=list)  # a programme's presenter: who asks
    guests: list[str] = field(default_factory=list)  # its guests: who answer
    dropped: list[Dropped] = field(default_factory=list)
    head_end: int = HEAD_MAX  # positions below this are the head
    title_known: bool = False  # the title is decided already (fitting and measuring): guess none
    title_weights: dict[str, float] = field(default_factory=dict)  # the fitted title chooser's
    lang: str = "en"
    head: tuple[list[str], list[str]] = ((), ())  # type: ignore[assignment]  # the blocks the title was chosen among
    tail_start: int = 0  # positions from this on are the tail


class Cleaner(ABC):
    """One kind of noise. ``clean`` returns the items to keep and records the rest in ``ctx.dropped``."""

    reason: str = "noise"
    zone: str = "any"  # head | tail | edges (head or tail) | any

    @abstractmethod
    def clean(self, items: list[Item], ctx: Context) -> list[Item]: ...

    def drop(self, item: Item, ctx: Context, reason: str | None = None) -> None:
        ctx.dropped.append(Dropped(item.text, reason or self.reason, item.pos))

    def in_zone(self, item: Item, ctx: Context) -> bool:
        zone = self.zone
        if zone == "any":
            return True
        if item.marked:
            return False
        if zone == "head":
            return item.pos < ctx.head_end
        if zone == "tail":
            return item.pos >= ctx.tail_start
        return zone != "edges" or item.pos < ctx.head_end or item.pos >= ctx.tail_start


class LineCleaner(Cleaner):
    """Drops every block in its zone that ``matches``."""

    @abstractmethod
    def matches(self, item: Item, ctx: Context) -> bool: ...

    def clean(self, items: list[Item], ctx: Context) -> list[Item]:
        kept = []
        for it in items:
            if self.in_zone(it, ctx) and self.matches(it, ctx):
                self.drop(it, ctx)
            else:
                kept.append(it)
        return kept


_key = match_key  # comparison form: case, quotes, punctuation and Arabic spelling variants folded


_CLOSERS = "\"'”’»)]"


def _final_char(text: str) -> str:
    return text.rstrip().rstrip(_CLOSERS).rstrip()[-1:]


def _title_like(item: Item, asking: bool = False) -> bool:
    """Short, one sentence, no final stop (a closing quote after the stop still counts as a stop);
    ``asking``: a headline may ask ("Can the farms survive?")."""
    t = item.text.strip()
    return (
        len(t.split()) <= (15 if asking else 25)
        and _final_char(t) not in (".!:،,;" if asking else ".!?؟:،,;")
        # ".." separates, it does not end; nor does the stop of "Dr." or "د."
        and not re.search(r"(?<!\.)[.!?؟](?!\.)\s+\S", _TITLE_ABBREV.sub(" ", t).rstrip(_CLOSERS))
    )


class ReadingTime(LineCleaner):
    reason = "reading-time line"
    zone = "head"
    _re = re.compile(
        r"^(?:reading time:?\s*)?(?:\d+|one|two|three|four|five)\s*(?:-|\s)?(?:min(?:ute)?s?)\.?\s*(?:read|reading)?$"
        r"|^(?:وقت القراءة\s*:?\s*)?(?:[\d٠-٩]+\s*)?(?:دقيقة|دقيقتان|دقيقتين|دقائق|د)\s*(?:واحدة\s*)?(?:للقراءة|قراءة)?$",
        re.I,
    )

    def matches(self, item, ctx):
        return len(item.text) < 40 and bool(self._re.match(item.text.strip()))


class Advert(LineCleaner):
    reason = "advertisement"
    _re = re.compile(r"^(?:ad|ads|advertisement|sponsored|sponsored content|إعلان|اعلان|محتوى مدعوم)$", re.I)

    def matches(self, item, ctx):
        return bool(self._re.match(item.text.strip(" .:-–")))


class DateLine(LineCleaner):
    """A line that is only a date (or a source and a date); the first one is the article's date."""

    reason = "date line (kept as metadata)"
    zone = "edges"

    def matches(self, item, ctx):
        if len(item.text) > 80:
            return False
        iso = parse_dateline(_strip_dateline_prefix(item.text))
        if iso and ctx.date is None:
            ctx.date = iso
        return iso is not None or bool(_STAMP.fullmatch(item.text.strip()))


# "04/11 18:30": a day and a time with no year, as news sites stamp an article; no date to keep
_STAMP = re.compile(r"[\d٠-٩]{1,2}[/.-][\d٠-٩]{1,2}(?:[/.-][\d٠-٩]{2,4})?\s*[-–|,]?\s*[\d٠-٩]{1,2}:[\d٠-٩]{2}(?:\s*[AaPp][Mm])?")


def _strip_dateline_prefix(text: str) -> str:
    """``Updated: …``, ``Published …``, ``نشر في …`` before a date."""
    return re.sub(
        r"^(?:published|updated|posted|last updated|date|نشر في|نشر بتاريخ|تاريخ النشر|آخر تحديث|تاريخ)\s*(?:on|:)?\s*",
        "", text.strip(), flags=re.I,
    )


class SourceUrl(LineCleaner):
    """A line that is only the article's address (``Source: https://…``); the first one is kept as metadata."""

    reason = "source URL (kept as metadata)"
    zone = "edges"
    _re = re.compile(r"^(?:(?:source|original|url|link|المصدر|الرابط|رابط المقال)\s*[:：]\s*)?<?(?P<url>https?://\S+?)>?$", re.I)

    def matches(self, item, ctx):
        m = self._re.match(item.text.strip())
        if m and ctx.url is None:
            ctx.url = m.group("url")
        return bool(m)


class Teaser(LineCleaner):
    """A summary cut short with an ellipsis, as listing pages put above the article."""

    reason = "teaser (cut summary)"
    zone = "head"
    _re = re.compile(r"(?:\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\)|(?:read more|continue reading)\s*(?:»|›|→)?|اقرأ المزيد|…\s*»)\s*$", re.I)

    def matches(self, item, ctx):
        return bool(self._re.search(item.text))


_NAME_EN = rf"(?:(?:al|el)-)?[A-Z][\w'’.-]*(?:\s+(?:{PARTICLE}[- ])?(?:(?:al|el)-)?[A-Z][\w'’.-]*){{0,5}}"
_NAMES_EN = rf"{_NAME_EN}(?:\s*(?:,|and|&)\s*{_NAME_EN})*"


class BylineLine(LineCleaner):
    """A line that only names the author or interviewer: ``By NAME``, ``Interview by NAME``, ``حاوره: NAME``."""

    reason = "byline (kept as metadata)"
    zone = "edges"
    _en = re.compile(
        rf"^(?P<label>by|interview by|interviewed by|interview conducted by|written by|reporting by|reported by|"
        rf"translated by|translation by|edited by)\s*:?\s+(?P<name>{_NAMES_EN})\s*\.?$",
        re.I,
    )
    # these words name the interviewer whatever follows; the ambiguous ones ("حوار", "كتب") need a colon
    _ar = re.compile(
        r"^[(（]?\s*(?P<label>حاوره|حاورها|حاورته|حاورتها|حاورهم|أجرى الحوار|أجرت الحوار|اجرى الحوار|اجرت الحوار|أجرى اللقاء|أجرت اللقاء|"
        r"اجرى اللقاء|اجرت اللقاء|بقلم)\s*[:：\-–]?\s*(?P<name>[^.؟?!:،()]{2,50}?)\s*[)）]?$"
        r"|^(?P<label2>حوار|كتب|كتبت|إعداد|اعداد|ترجمة|تحرير)\s*[:：\-–]\s*(?P<name2>[^.؟?!:،]{2,50})$"
    )

    def matches(self, item, ctx):
        text = item.text.strip()
        if len(re.findall(r"\w+", text)) > 12:
            return False
        m = self._en.match(text)
        if m:
            # "By then, most teachers had left": a name is capitalised words, nothing else
            label, name = m.group("label").lower(), m.group("name").strip()
        else:
            m = self._ar.match(text)
            if not m:
                return False
            label = (m.group("label") or m.group("label2")).strip()
            name = (m.group("name") or m.group("name2")).strip()
            name = re.split(r"\s+[-–—]\s+", name)[0]  # "كمال زيادة - عكا - الجليل": the name, then where
            if name.startswith(("مع ", "حول ", "عن ")) or len(name.split()) > 5:
                return False  # "حوار مع رئيس البلدية" is a headline, not a byline
        ctx.bylines.append((label, name, text))
        return True


class PlaceLine(Cleaner):
    """A place-and-reporter (or agency) line above the story, ``دمشق - سانا``, ``بيروت/ رنا السيد ـ``,
    ``Beirut – Rita Saab``; or the same as the first words of the first paragraph (``Damascus, SANA – The …``),
    which are cut off it. Furniture of the intro, never a speaker's turn."""

    reason = "place and reporter line"
    zone = "head"
    _cap = r"[A-Z][\w'’.&-]*"
    _en = re.compile(rf"^(?P<place>{_cap}(?:\s{_cap})?)\s*(?:,\s*|\s*[-–—/\\|]\s*)(?P<who>{_cap}(?:\s{_cap}){{0,3}})\s*[-–—ـ]*$")
    _ar = re.compile(r"^(?P<place>[\u0600-\u06FF]+(?:\s[\u0600-\u06FF]+)?)\s*[-–—/\\|]\s*(?P<who>[\u0600-\u06FF]+(?:\s[\u0600-\u06FF]+){0,3})\s*[-–—ـ]*$")  # noqa: E501 (a pattern reads best on one line)
    _en_prefix = re.compile(rf"^(?P<line>{_cap}(?:\s{_cap})?,\s*[A-Z][A-Z&.]+\s*[-–—]\s+)(?=[A-Z])")
    _ar_prefix = re.compile(r"^(?P<line>[\u0600-\u06FF]+(?:\s[\u0600-\u06FF]+)?\s*[-–—]\s*(?:سانا|واس|وام|قنا|كونا|بترا|رويترز|أ ف ب|أ\.ف\.ب|الأناضول)\s*[-–—|]?\s+)")  # noqa: E501 (a pattern reads best on one line)

    def clean(self, items, ctx):
        kept, first_text = [], True
        for it in items:
            text = it.text.strip()
            if self.in_zone(it, ctx) and not it.marked:
                if len(text.split()) <= 6 and (self._en.match(text) or self._ar.match(text)) and not _TITLEISH.search(text):
                    self.drop(it, ctx)
                    continue
                m = (self._en_prefix.match(text) or self._ar_prefix.match(text)) if first_text else None
                if m and len(text) > m.end() + 20:
                    ctx.dropped.append(Dropped(m.group("line").strip(" -–—"), self.reason, it.pos))
                    it = Item(it.pos, replace(it.block, text=text[m.end():]), it.marked)
                first_text = first_text and len(text.split()) <= 6
            kept.append(it)
        return kept


_TITLEISH = re.compile(r"[:：.!?؟،,]\s*\S")  # "Name: quote", a sentence: not a dateline


class NameLine(Cleaner):
    """A name alone under the title (``كريمة الوردي``, ``Rita Saab``), above the first paragraph: the byline of
    sites that print no "By"."""

    reason = "byline (kept as metadata)"
    _name = re.compile(r"(?:[\u0621-\u064A]+\s){1,2}[\u0621-\u064A]+|(?:[A-Z][a-z'’-]+\s){1,2}[A-Z][a-z'’-]+")

    def clean(self, items, ctx):
        if ctx.title is None or len(items) < 3:
            return items
        first, after = items[0], items[1]
        if (first.pos <= 3 and not first.marked and self._name.fullmatch(first.text.strip())
                and len(after.text.split()) > 15 and not _NOT_A_NAME.search(first.text)):
            ctx.bylines.append(("by", first.text.strip(), first.text.strip()))
            self.drop(first, ctx)
            return items[1:]
        return items


_NOT_A_NAME = re.compile(r"^(?:حوار|مقابلة|لقاء|خاص|interview|exclusive)\b", re.I)


class ProgrammeFields(Cleaner):
    """A broadcast transcript's header: ``مقدم الحلقة:`` / ``ضيوف الحلقة:`` / ``Presenter:`` / ``Guest Host:`` with the
    names or the date under it (or after the colon), and a guest's caption (``Name: role``). Furniture, never speaker
    labels; the presenter and the guests are kept (``ctx.hosts``, ``ctx.guests``): they say who asks."""

    reason = "programme details"
    _label = re.compile(r"^(?:(?P<host>مقدم|مقدمة)|(?P<guest>ضيف|ضيفا|ضيوف|ضيفة)|تاريخ|موضوع)\s+(?:الحلقة|البرنامج)\s*[:：]"
                        r"|^(?:(?P<host2>presenter|host|guest host|anchor|moderator)|(?P<guest2>guests?)|date of broadcast|broadcast date|"
                        r"programme|program)\s*[:：]", re.I)

    def clean(self, items, ctx):
        kept, under = [], None
        for it in items:
            text = it.text.strip()
            if it.pos < HEAD_MAX + 8 and not it.marked:  # the header sits above the talk, which may open with a dash
                m = self._label.match(text)
                if m:
                    under = "host" if m.group("host") or m.group("host2") else "guest" if m.group("guest") or m.group("guest2") else "other"
                    self._note(ctx, under, text[m.end():])
                    self.drop(it, ctx)
                    continue
                # the names or the date under a field: short, no sentence in them; or a guest's "Name: role"
                short = len(text.split()) <= 5 and not re.search(r"[.!?؟،,:]\s*\S|[.!?؟]$", text)
                caption = under == "guest" and len(text.split()) <= 12 and re.match(r"^[^:：.!?؟]{3,40}[:：]\s*\S", text)
                if under and (short or caption):
                    self._note(ctx, under, text)
                    self.drop(it, ctx)
                    continue
            under = None
            kept.append(it)
        return kept

    @staticmethod
    def _note(ctx, field: str, value: str) -> None:
        name = re.split(r"[:：،,(]", value.strip())[0].strip()
        if name and field in ("host", "guest"):
            (ctx.hosts if field == "host" else ctx.guests).append(name)


class Contents(Cleaner):
    """A bulleted list of topics under the title that come back later as section headings: a programme's
    contents. The list and the headings go; a summary list that is not repeated stays in the intro."""

    reason = "programme topics and section headings"
    _bullet = re.compile(r"^(?:[-–—•·*]|ــ+)\s*")

    def clean(self, items, ctx):
        head = []
        for it in items:
            if it.pos >= HEAD_MAX or not self._bullet.match(it.text.strip()):
                if head:
                    break
                continue
            head.append(it)
        topics = {_key(self._bullet.sub("", it.text.strip())) for it in head if len(it.text.split()) <= 14}
        if not topics:  # most pages: no bulleted list under the title, so no key of any block is needed
            return items
        listed = {id(it) for it in head}
        later = [it for it in items if id(it) not in listed and _key(it.text) in topics]
        if not later:
            return items
        gone = {id(it) for it in head + later}
        for it in head + later:
            self.drop(it, ctx)
        return [it for it in items if id(it) not in gone]


class Category(Cleaner):
    """A section name or breadcrumb above the title (``Interviews``, ``Home » News``, ``حوارات``)."""

    reason = "category line"
    zone = "head"
    _sections = re.compile(
        r"^(?:home|news|interviews?|features?|opinion|analysis|reports?|politics|world|middle east|syria|"
        r"q\s*&\s*a|exclusive|الرئيسية|أخبار|اخبار|حوارات|حوار|مقابلات|مقابلة|تقارير|تقرير|سياسة|رأي|تحليل|"
        r"سوريا|عربي|دولي|محليات|ملفات)$",
        re.I,
    )

    def clean(self, items, ctx):
        if len(items) >= 3 and ctx.title is None and _title_like(items[1]) and self.in_zone(items[0], ctx):
            parts = [p.strip() for p in re.split(r"\s*[»›>/|]\s*", items[0].text) if p.strip()]
            if parts and len(items[0].text.split()) <= 6 and all(self._sections.match(p) for p in parts):
                self.drop(items[0], ctx)
                return items[1:]
        return items


class Title(Cleaner):
    """The title becomes metadata. When the format gave none, the fitted chooser (:mod:`mt.ingest.title`) picks the
    headline among the first blocks, or none; what sits above the headline is page furniture."""

    reason = "title (kept as metadata)"

    def clean(self, items, ctx):
        texts, kinds = [it.text for it in items], [it.block.kind for it in items]
        ctx.head = (texts, kinds)
        chosen = None
        if ctx.title is None and len(items) > 1 and not ctx.title_known and ctx.title_weights:
            k = choose_title(texts, kinds, ctx.lang, ctx.title_weights)
            if k is not None and not items[k].marked:
                ctx.title, chosen = clean_title(items[k].text), k
        if ctx.title is None:
            return items
        title = _key(ctx.title)
        longest = 3 * len(ctx.title) + 40  # a repeat of the title is a line about its length: longer blocks need no key
        kept = []
        seen = False
        for i, it in enumerate(items):
            k = _key(it.text) if len(it.text) <= longest or i == chosen else ""
            if chosen is not None and i < chosen and len(it.text.split()) <= 12:
                self.drop(it, ctx, "page furniture above the title")
                continue
            # pages often append " | Site name" or " - Site" to the <title>; a headline may carry a glued byline
            if i == chosen or (k and (k == title or (it.pos < HEAD_MAX and title in k and _key(clean_title(it.text)) == title)
                                      or (it.block.kind == "heading" and title.startswith(k) and len(k) > 0.5 * len(title)))):
                if not seen and k != title and i != chosen and it.block.kind == "heading":
                    ctx.title = it.text.strip()  # the heading without the page title's site suffix
                self.drop(it, ctx, "repeated title" if seen else self.reason)
                seen = True
            else:
                kept.append(it)
        return kept


class Caption(LineCleaner):
    """Photo captions and credits between turns."""

    reason = "photo caption"
    _credit = Worded(
        r"\b(?:photo|photos|picture|image)\s+(?:courtesy(?:\s+of)?|credit|by|via)\b[^.]{0,80}\.?\s*\)?$"
        r"|^(?:photo|image|credit|photograph|picture)\s*[:：]"
        r"|\(\s*(?:photo|image|credit|photograph)s?\s*[:：][^)]{0,80}\)\s*\.?$"
        r"|\b(?:getty images|afp photo|ap photo|reuters/|epa/|shutterstock)\b"
        r"|^(?:صورة|الصورة|تصوير|مصدر الصورة|صور)\s*[:：]|\(\s*(?:صورة|تصوير)\s*[:：][^)]{0,80}\)\s*$|\(\s*(?:أرشيف|صورة أرشيفية|ارشيف)\s*\)\s*$",
        ("photo", "picture", "image", "credit", "getty images", "reuters/", "epa/", "shutterstock", "صور", "تصوير", "أرشيف",
         "ارشيف"),
        re.I,
    )
    _file = re.compile(r"^(?:\d+-(?:small|large|thumb|medium)|\S+\.(?:jpe?g|png|webp|gif)|IMG_\d+|DSC_?\d+)\s", re.I)

    def matches(self, item, ctx):
        words = len(item.text.split())
        return not item.marked and words <= 60 and bool(self._credit.search(item.text) or self._file.match(item.text))


class RelatedLink(LineCleaner):
    reason = "related-article link"
    _re = re.compile(r"^(?:related|read more|read also|see also|recommended|more on this|اقرأ أيضا|اقرأ أيضاً|اقرأ ايضا|اقرأ المزيد|مواضيع ذات صلة|ذات صلة)\s*[:：»›]", re.I)  # noqa: E501 (a pattern reads best on one line)

    def matches(self, item, ctx):
        return not item.marked and len(item.text.split()) <= 30 and bool(self._re.match(item.text.strip()))


_PLATFORMS = r"(?:facebook|twitter|instagram|telegram|youtube|whatsapp|linkedin|rss|x\.com|فيسبوك|فيس بوك|تويتر|تلغرام|تليغرام|يوتيوب|انستغرام|إنستغرام|واتساب)"  # noqa: E501 (a pattern reads best on one line)
_FOOTER_LINES = re.compile(
    "|".join([
        r"^(?:share|tweet|email|print|save)(?: this)?(?: article| story| post| page)?(?: on \w+)?[:.!]?$",
        rf"^(?:share on|follow us|like us|find us|join us|subscribe to us|for more)\b.*{_PLATFORMS}",
        r"^(?:subscribe|sign up)\b.{0,60}\b(?:newsletter|updates|channel|mailing list)\b.*$",
        r"^(?:tags?|categories|filed under|topics)\s*:",
        r"^(?:leave a reply|leave a comment|post a comment|post comment|submit comment|\d+ comments?|comments?|no comments yet|cancel reply)$",
        r"your email address will not be published|required fields are marked",
        r"^(?:name|email|e-mail|website|comment|message)\s*\*?$",
        r"^(?:copyright\s*)?(?:©|\(c\)).{0,80}$|^copyright\s+\d{4}\b.{0,80}$|all rights reserved\.?$",
        r"^(?:شارك|شاركوا|مشاركة)(?: هذا)?(?: المقال| الخبر| الموضوع| المقالة)?(?: على \S+)?$",
        rf"^(?:تابعونا|تابعوا|تابعنا|للمزيد)\b.*{_PLATFORMS}",
        r"^(?:اشترك|اشتركوا)\b.{0,40}(?:النشرة|القناة|قناتنا|القائمة البريدية).*$",
        r"^(?:اترك تعليقا|اترك تعليقاً|أضف تعليق|اضف تعليق|أضف تعليقاً|التعليقات|تعليقات|لا توجد تعليقات)$",
        r"لن يتم نشر عنوان بريدك|الحقول الإلزامية|جميع الحقوق محفوظة",
        r"^(?:الوسوم|كلمات مفتاحية|الكلمات المفتاحية)\s*:",
        r"\breblogged this on\b",
    ]),
    re.I,
)


class Footer(Cleaner):
    """Share, follow, subscribe and comment-form lines; the short chrome between them at the very end too."""

    reason = "share/follow footer"

    def clean(self, items, ctx):
        hits = [bool(len(it.text.split()) <= 25 and _FOOTER_LINES.search(it.text.strip())) and not it.marked for it in items]
        # the tail: from the end back, footer lines and short chrome ("53", "Post Comment") between them
        tail = len(items)
        for i in range(len(items) - 1, -1, -1):
            it = items[i]
            chrome = len(it.text.split()) <= 4 and not it.marked and _final_char(it.text) not in ".?؟!"
            if not (hits[i] or chrome) or it.pos < ctx.tail_start:
                break
            tail = i
        if not any(hits[tail:]):
            tail = len(items)  # short lines at the end with no footer among them are text
        kept = []
        for i, it in enumerate(items):
            if hits[i]:
                self.drop(it, ctx)
            elif i >= tail:
                self.drop(it, ctx, "footer")
            else:
                kept.append(it)
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
                it = replace(it, block=replace(it.block, text=rest))
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
    """A short block set apart (quoted, or without a final stop) whose words the next blocks repeat."""

    reason = "pull quote (repeats text of the article)"
    window = 3  # a pull quote sits just above the text it repeats

    def clean(self, items, ctx):
        keys = [_key(it.text) for it in items]
        kept = []
        for i, it in enumerate(items):
            k = keys[i]
            n = len(k.split())
            quoted = it.text.lstrip()[:1] in "\"“‘«'"
            set_apart = quoted or (_final_char(it.text) not in ".!?؟…:" and n <= 20)
            later = keys[i + 1: i + 1 + self.window]
            if not it.marked and set_apart and 5 <= n <= 40 and any(len(x) > len(k) + 10 and k in x for x in later):
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


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()  # "ReadingTime" -> "reading_time"


# Order matters: reading time, dates, teasers, bylines, a programme's header and photo captions sit around the title
# and must be gone before the head is searched for it.
CLEANERS: Registry[Cleaner] = Registry("cleaner")
for _cleaner in (ReadingTime(), Advert(), DateLine(), SourceUrl(), Teaser(), BylineLine(), Category(), ProgrammeFields(),
                 Caption(), Title(), NameLine(), PlaceLine(), Contents(),
                 RelatedLink(), Footer(), StrayCharacters(), Duplicate(), PullQuote()):
    CLEANERS.register(_snake(type(_cleaner).__name__), _cleaner)

_OPENS_TURN = ("q", "a", "dash", "bold")  # not "num": one "3-small …" is a caption, not a turn


def clean_blocks(blocks: list[Block], ctx: Context, lang: str = "en") -> list[Block]:
    """Run every cleaner; return the kept blocks, the dropped ones go to ``ctx.dropped`` sorted by position."""
    items = [Item(i, b, mark(b, lang).kind in _OPENS_TURN) for i, b in enumerate(blocks) if b.text.strip()]
    first_turn = next((it.pos for it in items if it.marked), len(blocks))
    ctx.head_end = min(first_turn, HEAD_MAX)
    last_turn = max((it.pos for it in items if it.marked), default=0)
    ctx.tail_start = max(last_turn + 1, len(blocks) - TAIL_MAX, ctx.head_end)
    for _, cleaner in CLEANERS.items():
        items = cleaner.clean(items, ctx)
    ctx.dropped.sort(key=lambda d: d.position)
    return [it.block for it in items]
