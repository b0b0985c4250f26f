"""Corpus filters in the manner of OpusFilter: each a class with a name and one batch method over rows."""

from __future__ import annotations

from abc import ABC, abstractmethod

from mt.export.base import ExportRow
from mt.text.normalize import match_key
from mt.text.scripts import count_scripts


class Filter(ABC):
    """Keeps or removes rows; ``keep`` returns one boolean per row."""

    name: str = "filter"

    @abstractmethod
    def keep(self, rows: list[ExportRow]) -> list[bool]: ...


class EmptyFilter(Filter):
    """A side with no text: an insertion or deletion the aligner kept so nothing is lost, not a training pair."""

    name = "empty side"

    def keep(self, rows):
        return [bool(r.ar.strip()) and bool(r.en.strip()) for r in rows]


class IdenticalFilter(Filter):
    """Both sides the same after normalisation (untranslated copies, bare numbers)."""

    name = "identical sides"

    def keep(self, rows):
        return [match_key(r.ar) != match_key(r.en) for r in rows]


class LengthRatioFilter(Filter):
    """Character lengths too far apart for a translation; short segments are left alone."""

    name = "length ratio"

    def __init__(self, max_ratio: float = 3.0, min_length: int = 20):
        self.max_ratio, self.min_length = max_ratio, min_length

    def keep(self, rows):
        out = []
        for r in rows:
            a, e = len(r.ar.strip()), len(r.en.strip())
            out.append(max(a, e) < self.min_length or max(a, e) <= self.max_ratio * max(1, min(a, e)))
        return out


class ScriptFilter(Filter):
    """The Arabic side mostly in Arabic script and the English side mostly in Latin."""

    name = "wrong script"

    def __init__(self, min_share: float = 0.5):
        self.min_share = min_share

    def keep(self, rows):
        out = []
        for r in rows:
            a, e = count_scripts(r.ar), count_scripts(r.en)
            ok_a = a.letters == 0 or a.arabic_share >= self.min_share
            ok_e = e.letters == 0 or e.latin_share >= self.min_share
            out.append(ok_a and ok_e)
        return out


class LanguageIdFilter(Filter):
    """Each side identified as its language by langid (py3langid); segments too short to tell are kept."""

    name = "language id"

    def __init__(self, min_chars: int = 40):
        self.min_chars = min_chars

    def keep(self, rows):
        from py3langid import classify

        out = []
        for r in rows:
            ok = True
            for lang in ("ar", "en"):
                text = getattr(r, lang).strip()
                if len(text) >= self.min_chars and classify(text)[0] != lang:
                    ok = False
            out.append(ok)
        return out


DEFAULT_FILTERS = (EmptyFilter, IdenticalFilter, LengthRatioFilter, ScriptFilter, LanguageIdFilter)
