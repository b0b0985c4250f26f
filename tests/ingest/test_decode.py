"""Encodings found in the wild, and bytes that are not text."""

import codecs
import random

import pytest

from mt.errors import InputError
from mt.ingest.decode import decode

AR = (
    "قال المتحدث الرسمي باسم جيش الإسلام إن التنظيم يمثل تهديداً كبيراً، وإن المعارك مستمرة في الغوطة الشرقية منذ أسابيع.\n\n"
    "س: لماذا خطف التنظيم عناصر من جيش الإسلام؟\n\nج: نحن نمثل التهديد الأكبر للتنظيم بطريقتين."
)
EN = "Q: Why has IS kidnapped members? – said the café owner.\n\nWe represent the biggest threat."


@pytest.mark.parametrize("enc,expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16-le"), ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"), ("utf-32", "utf-32-le"), ("cp1256", "cp1256"), ("iso8859_6", "iso8859-6"),
])
def test_arabic_encodings(enc, expected):
    text, found = decode(AR.encode(enc))
    assert text == AR
    assert found == expected


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be", "cp1252"])
def test_english_encodings(enc):
    text, _ = decode(EN.encode(enc))
    assert text == EN


def test_html_meta_charset_is_used():
    html = '<html><head><meta charset="windows-1256"></head><body><p>' + AR + "</p></body></html>"
    text, enc = decode(html.encode("cp1256"), sniff_html=True)
    assert AR in text and enc == "cp1256"


@pytest.mark.parametrize("data,msg", [
    (b"", "empty file"),
    (b"  \n\n\t ", "empty file"),
    (codecs.BOM_UTF8 + b"\n", "empty file"),
    (b"%PDF-1.4\n...", "PDF"),
    (b"\x89PNG\r\n\x1a\n....", "PNG"),
    (b"PK\x03\x04rest", "ZIP"),
    (b"abc\x00\x01\x02\x03def" * 10, "binary"),
])
def test_not_text(data, msg):
    with pytest.raises(InputError, match=msg):
        decode(data)


def test_random_bytes_are_undecodable():
    rnd = random.Random(7)
    data = bytes(rnd.randrange(1, 256) for _ in range(4000))
    with pytest.raises(InputError, match="undecodable|binary"):
        decode(data)


def test_corrupted_utf8_names_the_byte():
    data = ("نص عربي طويل بما يكفي " * 5).encode() + b"\xff" + " والمزيد".encode()
    with pytest.raises(InputError, match=r"invalid UTF-8 at byte \d+"):
        decode(data)


def test_random_bytes_fail_with_input_error_only():
    """Whatever the bytes, decoding either succeeds or raises InputError (never another exception)."""
    rnd = random.Random(11)
    outcomes = set()
    for _ in range(20):
        try:
            decode(bytes(rnd.randrange(0, 256) for _ in range(1500)))
            outcomes.add("text")
        except InputError:
            outcomes.add("error")
    assert "error" in outcomes
