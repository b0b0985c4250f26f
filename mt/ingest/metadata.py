"""Byline: who conducted the interview and who answered, from byline lines, sentences and speaker labels."""

from __future__ import annotations

import re

from mt.ingest.speech import ASKING, TELLING, alternation, subject_asks
from mt.records import Byline, Turn
from mt.text.names import PARTICLE

_NAME = rf"(?:(?:al|el)-)?[A-Z][\w'’-]+(?:\s+(?:{PARTICLE}[- ])?[A-Z][\w'’-]+){{0,4}}"
_NAME_WORDS = rf"(?:{PARTICLE}[- ])?[A-Z][\w'’-]+"
_TELLS = re.compile(
    rf"(?P<who>{_NAME})(?:,\s[^,.;]{{1,60}},)?\s+(?P<verb>{alternation(TELLING + ASKING)})\s+"
    rf"(?P<rest>(?:{_NAME_WORDS}(?:’s|'s)?\s+){{0,8}}?{_NAME_WORDS})"
    r"\s*(?:[.,;:)]|\s+(?:about|on|in|from|during|last|this|for|after|before|over|via|by|at|how|why|what|that|whether|when|where)\b|$)"
)
_OUTLET = re.compile(
    r"\b(?:Direct|News|Agency|Times|Post|Radio|TV|Network|Press|Reuters|AFP|Jazeera|Arabiya|BBC|CNN|SANA|Observer|"
    r"Monitor|Journal|Magazine|Daily|Herald|Guardian|Tribune|Online|Media|Channel)\b"
)
INTERVIEWER_LABELS = {"interview by", "interviewed by", "interview conducted by", "حاوره", "حاورها", "حاورته",
                       "حاورتها", "حاورهم", "أجرى الحوار", "أجرت الحوار", "اجرى الحوار", "حوار"}
_GENERIC = re.compile(r"^(?:q|a|question|answer|س|ج|سؤال|جواب|السؤال|الجواب|interviewer|journalist|reporter|"
                      r"المحاور|المحاورة|الصحفي|الصحفية|المذيع|المذيعة)\b", re.I)


def _split_outlet(rest: str) -> str | None:
    """``Syria Direct's Mohammed al-Haj Ali`` or ``Syria Direct Mohammed al-Haj Ali`` → the person."""
    m = re.search(r"(?:’s|'s)\s+(.+)$", rest)
    if m:
        return m.group(1).strip()
    words = rest.split()
    # Without a possessive, outlet names of two words are the common case ("Syria Direct", "Al Jazeera").
    return " ".join(words[2:]) if len(words) >= 4 else None


def _full_name(surname: str, text_before: str) -> str:
    """Expand ``Aloush`` to the latest ``Islam Aloush`` mentioned before the byline sentence."""
    if " " in surname:
        return surname
    hits = re.findall(rf"\b((?:[A-Z][\w'’-]+\s+)+){re.escape(surname)}(?![\w-])", text_before)
    if hits:
        first = hits[-1].split()[-1]
        return f"{first} {surname}"
    return surname


def extract_byline(turns: list[Turn], bylines: list[tuple[str, str, str]], author: str | None) -> Byline:
    """Combine byline lines, an intro sentence such as "…, Aloush tells Syria Direct's NAME." and speaker labels."""
    text = interviewer = interviewee = None
    for label, name, line in bylines:
        text = text or line
        if label in INTERVIEWER_LABELS or label.startswith("interview"):
            interviewer = interviewer or name
    intro = "\n\n".join(t.text for t in turns if t.role in ("intro", "paragraph"))
    m = _TELLS.search(intro)
    if m and (_OUTLET.search(m.group("who")) or subject_asks(m.group("verb")) and not _OUTLET.search(m.group("rest"))):
        # "Syria Direct spoke with Abu Khalid", "Jane Smith interviewed Abu Khalid": the subject asks, the person after
        # the verb answers (the reading segmentation uses to tell who asks); "Aloush spoke to Syria Direct": the outlet asks
        text = text or intro[m.start():m.end("rest")]
        if not _OUTLET.search(m.group("who")):
            interviewer = interviewer or _full_name(m.group("who"), intro[: m.start()])
        interviewee = _full_name(m.group("rest"), intro[: m.start()])
    elif m:
        text = text or intro[m.start():m.end("rest")]
        rest = m.group("rest")
        # "… tells Syria Direct's Jane Smith": the reporter; "… tells Jane Smith": the person told asked
        interviewer = interviewer or _split_outlet(rest) or (None if _OUTLET.search(rest) else _full_name(rest, intro[: m.start()]))
        interviewee = _full_name(m.group("who"), intro[: m.start()])
    askers = [t.speaker for t in turns if t.role == "question" and t.speaker and not _GENERIC.match(t.speaker)]
    answerers = [t.speaker for t in turns if t.role == "answer" and t.speaker and not _GENERIC.match(t.speaker)]
    interviewer = interviewer or (askers[0] if askers else None)
    interviewee = interviewee or (answerers[0] if answerers else None)
    if author and not interviewer:
        interviewer = author
    return Byline(text=text or author, interviewer=interviewer, interviewee=interviewee)
