"""Dates as news pages write them, in English and Arabic, to ISO 8601.

A small explicit grammar rather than a general date parser: we need to know when a *whole line*
is a date (a dateline to drop) and to find publication dates, and fuzzy parsers find dates in
ordinary sentences ("may", "march") that we must not drop.
"""

from __future__ import annotations

import datetime as dt
import re

from mt.text.arabic import to_western_digits
from mt.text.chars import replace_chars

_EN_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ]
    )
    for m in names
}
# Levantine (Syriac-derived) and Egyptian/Gulf month names, as both appear in Arabic news.
_AR_MONTHS = {
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "اذار": 3, "نيسان": 4, "أيار": 5, "ايار": 5, "حزيران": 6,
    "تموز": 7, "آب": 8, "اب": 8, "أيلول": 9, "ايلول": 9, "تشرين الأول": 10, "تشرين الاول": 10,
    "تشرين الثاني": 11, "كانون الأول": 12, "كانون الاول": 12,
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6,
    "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10,
    "نوفمبر": 11, "ديسمبر": 12,
}
_EN_WEEKDAYS = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_AR_WEEKDAYS = r"(?:ال)?(?:سبت|أحد|احد|اثنين|إثنين|ثلاثاء|أربعاء|اربعاء|خميس|جمعة)"

_EN_MONTH_RE = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_AR_MONTH_RE = "|".join(sorted(map(re.escape, _AR_MONTHS), key=len, reverse=True))
_SEP = r"[\s,،.]*"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})(?:T[\d:.+Z-]*)?"), "ymd"),
    (re.compile(rf"(?P<mn>{_EN_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?{_SEP}(?P<y>\d{{4}})", re.I), "mdy"),
    (re.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mn>{_EN_MONTH_RE})\.?{_SEP}(?P<y>\d{{4}})", re.I), "dmy"),
    # "14 آذار/مارس 2016": Levantine and Egyptian month names side by side
    (re.compile(rf"(?P<d>\d{{1,2}})\s*(?:من\s+)?(?P<mn>{_AR_MONTH_RE})(?:\s*/\s*(?:{_AR_MONTH_RE}))?(?:\s*\(\s*\S+\s*\))?{_SEP}(?P<y>\d{{4}})"), "dmy"),  # noqa: E501 (a pattern reads best on one line)
    (re.compile(r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})"), "dmy"),
]
_TIME = re.compile(
    r"[\s,،|\-–—]*(?:at\s+|الساعة\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.|ص|م)?"
    r"\s*(?:\(?\s*(?:gmt|utc)\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\s*\)?|[+-]\d{2}:?\d{2})?\s*$",
    re.I,
)
_PERSIAN = (("ی", "ي"), ("ک", "ك"))  # Persian letters typed on Persian keyboards
_WEEKDAY = re.compile(rf"^\(?\s*(?:{_EN_WEEKDAYS}|{_AR_WEEKDAYS})\s*\)?[\s,،]*", re.I)


def _month(name: str) -> int | None:
    return _EN_MONTHS.get(name.lower().rstrip(".")) or _AR_MONTHS.get(name)


def _build(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    month = int(g["m"]) if g.get("m") else _month(g["mn"])
    try:
        return dt.date(int(g["y"]), month or 0, int(g["d"])).isoformat()
    except (ValueError, TypeError):
        return None


def find_date(text: str) -> str | None:
    """The first date written in ``text``, as ``YYYY-MM-DD``."""
    text = replace_chars(to_western_digits(text), _PERSIAN)
    best: tuple[int, str] | None = None
    for pattern, _ in _PATTERNS:
        for m in pattern.finditer(text):
            iso = _build(m)
            if iso and (best is None or m.start() < best[0]):
                best = (m.start(), iso)
                break
    return best[1] if best else None


_ANY_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")
_A_YEAR = re.compile(r"\d{4}")  # every form has a year in four digits (\d: in any script, as the patterns read them)


def find_dates(text: str) -> list[str]:
    """Every full date written in ``text`` (day, month and year), as ``YYYY-MM-DD``, in order."""
    # a full date has a year in digits (in these scripts, as before), and every pattern wants four of them
    if not (_ANY_DIGIT.search(text) and _A_YEAR.search(text)):
        return []
    text = replace_chars(to_western_digits(text), _PERSIAN)
    found: list[tuple[int, int, str]] = []
    for pattern, _ in _PATTERNS:
        for m in pattern.finditer(text):
            iso = _build(m)
            if iso and not any(a <= m.start() < b for a, b, _ in found):
                found.append((m.start(), m.end(), iso))
    return [iso for _, _, iso in sorted(found)]


def parse_date_line(line: str) -> str | None:
    """``YYYY-MM-DD`` when the whole line is a date (weekday and trailing time allowed), else None."""
    if not _A_YEAR.search(line):  # most lines of a page hold no year: no pattern need be tried
        return None
    text = replace_chars(to_western_digits(line.strip()), _PERSIAN).strip("[]|-–— ")
    text = _TIME.sub("", _WEEKDAY.sub("", text)).strip("() ,،.|-–—")
    for pattern, _ in _PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            return _build(m)
    return None


def parse_dateline(line: str, max_prefix_words: int = 4) -> str | None:
    """A date line with a short source or place before it: ``الأردن العربي ( الخميس ) 19/11/2015``."""
    if not _A_YEAR.search(line):
        return None
    iso = parse_date_line(line)
    if iso:
        return iso
    words = line.split()
    for n in range(1, min(max_prefix_words, len(words) - 1) + 1):
        prefix = " ".join(words[:n])
        if re.search(r"[\d.!?؟]", prefix):
            return None
        iso = parse_date_line(" ".join(words[n:]))
        if iso:
            return iso
    return None
