"""What ``mt translate`` reads and writes: plain text line by line, article JSON turn by turn, directory trees."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mt.errors import InputError
from mt.ingest.decode import decode, read_bytes
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


def _read(source: str) -> str:
    if source == "-":
        data = sys.stdin.buffer.read()
    else:
        data = read_bytes(Path(source))
    try:
        text, _ = decode(data)
    except InputError as e:
        raise InputError(e.reason, source) from None
    return text


def load_job(source: str, out: Path | None) -> Job:
    text = _read(source)
    stripped = text.lstrip()
    if source.endswith(".json") or (source == "-" and stripped[:1] in "[{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(f"malformed JSON at line {e.lineno} column {e.colno}: {e.msg}", source) from None
        arts = data if isinstance(data, list) else [data]
        if not all(isinstance(a, dict) and isinstance(a.get("turns"), list) for a in arts):
            raise InputError("JSON input must be articles as `mt ingest` writes them (objects with a turns list)", source)
        segs = []
        for a in arts:
            segs.append(a.get("title") or "")
            segs.extend(str(t.get("text", "")) for t in a["turns"])
        return Job(source, out, "articles", segs, data)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return Job(source, out, "text", [x.rstrip("\r") for x in lines])


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


def plan_jobs(inputs: list[str], out: Path | None) -> list[tuple[str, Path | None]]:
    """Pair each input file with its output: stdout for one input without -o, a mirrored tree for directories."""
    from mt.ingest.readers import SUPPORTED_EXTENSIONS

    pairs: list[tuple[str, Path | None]] = []
    many = len(inputs) > 1 or any(Path(i).is_dir() for i in inputs if i != "-")
    if many and out is None:
        raise InputError("several inputs or a directory need -o OUT_DIR for the translations")
    for src in inputs:
        if src == "-":
            pairs.append(("-", None if not many else out / "stdin.txt"))
            continue
        p = Path(src)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.is_file() and (f.suffix.lower() in TEXT_SUFFIXES | set(SUPPORTED_EXTENSIONS))
                           and not any(x.startswith(".") for x in f.relative_to(p).parts))
            if not files:
                raise InputError("no input files in this directory", src)
            pairs.extend((str(f), out / p.name / f.relative_to(p)) for f in files)
        elif not p.exists():
            raise InputError("no such file or directory", src)
        else:
            pairs.append((src, (out / p.name) if many else out))
    return pairs
