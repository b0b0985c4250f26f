"""What ``mt translate`` reads and writes: plain text line by line, article JSON turn by turn, directory trees."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mt.errors import InputError
from mt.ingest.decode import read_segment_text, segment_lines
from mt.records import Translation

TEXT_SUFFIXES = {".txt", ".text", ".ar", ".en", ""}


@dataclass
class Job:
    """One input (file or stdin) and where its translation goes; ``segments`` are what the engine sees."""

    source: str  # path, or "-" for stdin
    out: Path | None  # None: stdout
    kind: str  # text | articles
    segments: list[str]
    payload: Any = None  # the parsed articles, for kind == "articles"
    results: list[Translation] = field(default_factory=list)


def _articles(data, source: str) -> list[dict]:
    arts = data if isinstance(data, list) else [data]
    for n, a in enumerate(arts):
        turns = a.get("turns") if isinstance(a, dict) else None
        if not isinstance(turns, list) or not all(isinstance(t, dict) and isinstance(t.get("text"), str) for t in turns):
            raise InputError(f"article {n} is not as `mt ingest` writes it (an object whose turns each have a text)", source)
        if a.get("title") is not None and not isinstance(a["title"], str):
            raise InputError(f"article {n} has a title that is not text", source)
    return arts


def load_job(source: str, out: Path | None) -> Job:
    text = read_segment_text(source)  # blank lines translate to blank lines
    stripped = text.lstrip()
    data = None
    if source.endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(f"malformed JSON at line {e.lineno} column {e.colno}: {e.msg}", source) from None
    elif stripped[:1] in ("[", "{"):
        try:  # stdin or a text file that happens to start with a bracket: JSON only if it parses as articles
            data = json.loads(text)
            _articles(data, source)
        except (json.JSONDecodeError, InputError):
            data = None
    if data is not None:
        arts = _articles(data, source)
        segs = []
        for a in arts:
            segs.append(a.get("title") or "")
            segs.extend(t["text"] for t in a["turns"])
        return Job(source, out, "articles", segs, data)
    return Job(source, out, "text", segment_lines(text))


def render(job: Job) -> str:
    if job.kind == "text":
        # a newline inside a translation would break line-for-line output
        return "".join(" ".join(t.text.split("\n")).replace("  ", " ") + "\n" for t in job.results)
    it = iter(job.results)
    arts = job.payload if isinstance(job.payload, list) else [job.payload]
    for a in arts:
        title = next(it)
        if a.get("title"):
            a["title_translation"] = title.text
        for turn in a["turns"]:
            tr = next(it)
            turn["translation"] = {"text": tr.text, "engine": tr.engine, "model": tr.model, "chunks": tr.chunks}
        first = job.results[0] if job.results else None
        if first:
            a["translated"] = {"from": first.src_lang, "to": first.tgt_lang, "engine": first.engine, "model": first.model}
    return json.dumps(job.payload, ensure_ascii=False, indent=2) + "\n"


def sidecar(job: Job, options: dict) -> str:
    """What produced a plain-text translation, written next to it as ``OUT.mt.json``."""
    r = job.results
    return json.dumps({
        "source": job.source,
        "engine": r[0].engine if r else None, "model": r[0].model if r else None,
        "from": r[0].src_lang if r else None, "to": r[0].tgt_lang if r else None,
        "options": options, "segments": len(r), "split_segments": sum(t.chunks > 1 for t in r),
        "from_cache": sum(t.cached for t in r),
    }, ensure_ascii=False, indent=2) + "\n"


TRANSLATABLE = TEXT_SUFFIXES | {".json"}  # a directory's HTML and Markdown are ingested first, not translated raw


def plan_jobs(inputs: list[str], out: Path | None) -> list[tuple[str, Path | None]]:
    """Pair each input file with its output: stdout for one input without -o, a mirrored tree for directories."""
    pairs: list[tuple[str, Path | None]] = []
    many = len(inputs) > 1 or any(Path(i).is_dir() for i in inputs if i != "-")
    if many and out is None:
        raise InputError("several inputs or a directory need -o OUT_DIR for the translations")
    tree = out if many else None  # where a mirrored tree goes; None: one input, written to out or stdout
    for src in inputs:
        if src == "-":
            pairs.append(("-", None if tree is None else tree / "stdin.txt"))
            continue
        p = Path(src)
        if p.is_dir():
            assert tree is not None  # a directory input makes `many`, and `many` needs out
            files = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in TRANSLATABLE
                           and not any(x.startswith(".") for x in f.relative_to(p).parts))
            if not files:
                raise InputError("no text or article JSON files in this directory", src)
            pairs.extend((str(f), tree / p.name / f.relative_to(p)) for f in files)
        elif not p.exists():
            raise InputError("no such file or directory", src)
        else:
            pairs.append((src, out if tree is None else tree / p.name))
    seen: dict[Path, str] = {}
    for src, target in pairs:
        if target is not None and target in seen:
            raise InputError(f"{src} and {seen[target]} would both be written to {target}; give them different names")
        if target is not None:
            seen[target] = src
    return pairs
