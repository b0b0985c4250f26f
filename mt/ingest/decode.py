"""Bytes to text: BOMs, UTF-8, UTF-16, and the legacy Arabic code pages still found in the wild."""

from __future__ import annotations

import codecs
import re
from collections import Counter
from pathlib import Path

from mt.errors import InputError

DEFAULT_MAX_BYTES = 20 * 2**20  # far above any article; protects memory from a stray dump

_BOMS = [  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_MAGIC = [
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (docx, epub or zip)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0", "an MS Office document"),
]
# Encodings we accept from detection: the ones Arabic and English news pages are written in.
_LEGACY = ("cp1256", "iso8859_6", "cp1252", "latin_1", "cp720", "mac_arabic")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read a file, refusing what cannot be an article before reading it all."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file or directory", str(path)) from None
    except OSError as e:  # no permission, a broken mount: this file's failure, said as one, never "unexpected"
        raise InputError(f"cannot read: {e.strerror or e}", str(path)) from None
    if not path.is_file():
        raise InputError("not a regular file", str(path))
    if size > max_bytes:
        raise InputError(f"file too large ({size / 2**20:.1f} MiB; the limit is {max_bytes / 2**20:.1f} MiB)", str(path))
    try:
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", str(path)) from None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: the high bytes of text in one or two scripts take very few values."""
    if len(data) < 4 or len(data) % 2 or 0 not in data:
        return None
    for high, enc in ((data[1::2], "utf-16-le"), (data[0::2], "utf-16-be")):
        common = Counter(high).most_common(3)
        if common[0][1] and sum(n for _, n in common) >= 0.9 * len(high) and any(b == 0 for b, _ in common):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if not _CONTROL.search(text):
                return enc
    return None


def _mostly_utf8(data: bytes) -> UnicodeDecodeError | None:
    """The first error of a file that is UTF-8 but for a few broken sequences, else None."""
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError as first:
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        multibyte = sum(1 for ch in text if ord(ch) > 0x7F) - bad
        return first if multibyte >= 3 * bad else None


def decode(data: bytes, *, sniff_html: bool = False) -> tuple[str, str]:
    """Return ``(text, encoding)`` or raise :class:`InputError` saying why the bytes are not text."""
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError("empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc + ("-sig" if enc == "utf-8" else "")
            except UnicodeDecodeError as e:
                raise InputError(f"starts with a {enc} byte-order mark but is not valid {enc} (byte {e.start})") from None
    enc16 = _utf16_without_bom(data)
    if enc16:
        return data.decode(enc16), enc16
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"binary file ({what}), not text")
    if b"\x00" in data[:65536]:
        raise InputError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    broken = _mostly_utf8(data)
    if broken is not None:
        raise InputError(f"invalid UTF-8 at byte {broken.start} in an otherwise UTF-8 file (corrupted?)")
    if sniff_html:
        m = _META_CHARSET.search(data[:4096])
        if m:
            declared = m.group(1).decode("ascii", "replace")
            try:
                return data.decode(declared), codecs.lookup(declared).name
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong declaration is common; detection below decides
    return _detect_legacy(data)


def _detect_legacy(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    matches = from_bytes(data, cp_isolation=list(_LEGACY))
    best = matches.best()
    if best is None or best.chaos > 0.3:
        raise InputError("undecodable bytes: not UTF-8, UTF-16 or a known Arabic/Latin code page")
    return str(best), codecs.lookup(best.encoding).name


SEGMENT_FILE_LIMIT = 2**31  # one segment per line: files far larger than any article are normal


def read_segment_text(source: str) -> str:
    """A file of segments (or ``-``, stdin) as text; a file of blank lines stays that many blank lines."""
    import sys

    data = sys.stdin.buffer.read() if source == "-" else read_bytes(Path(source), max_bytes=SEGMENT_FILE_LIMIT)
    if not data.strip():
        return "\n" * data.count(b"\n")
    try:
        return decode(data)[0]
    except InputError as e:
        raise InputError(e.reason, source) from None


def segment_lines(text: str) -> list[str]:
    """One segment per line; a final newline does not make an extra, empty segment."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [x.rstrip("\r") for x in lines]
