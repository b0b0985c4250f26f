"""What a turn marker or a speaker label can look like: the candidates a page's turns are read from.

These rules only *propose*: ``mark`` says what a piece of text opens with (a question or answer
label, a speaker name, a count, a dash or bullet, bold type, a stage direction) and the cues of
what the text says (it asks, it is a request, a yes/no reply, a lead-in). Whether a proposed marker
really opens a turn, and which role the turn has, is decided for the whole page by the fitted
reader (:mod:`mt.ingest.segment`). The real pages these forms come from are listed in
``tests/data/layouts/README.md`` and ``../shared/real-pages``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from mt.ingest.blocks import Block
from mt.ingest.speech import ASKING, ASKING_AR, TELLING, alternation, alternation_apart
from mt.text.names import PARTICLES

# after a marker: a colon, "..", a slash ("س١./", "ج /"), a tatweel run, or . ) - followed by a space
# ("A-levels", "Q.E.D." are not markers)
_SEP = r"(?:\s*[:：]\s*|\s*\.\.\s*|\s*\.?\s*/\s*|\s*[.)\-–—]\s+|\s*ـ+\s*)"
_ORDINALS_EN = r"one|two|three|four|five|six|seven|eight|nine|ten|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final"
_ORDINALS_AR = (
    r"(?:ال)?(?:أول|اول|أولى|ثاني|ثانية|ثالث|ثالثة|رابع|رابعة|خامس|خامسة|سادس|سادسة|سابع|سابعة|ثامن|ثامنة|"
    r"تاسع|تاسعة|عاشر|عاشرة|أخير|اخير|أخيرة|اخيرة)(?:\s+عشر)?"
)
_NUM = r"(?:\s*[\d٠-٩]{1,2})?"


class Worded:
    """A compiled pattern and words one of which every match holds (compared casefolded): a text holding none of
    them is never searched. Patterns like these are tried at every position of every paragraph, which makes them
    the costliest part of reading a page; the answer is the pattern's own."""

    def __init__(self, pattern: str, words: tuple[str, ...], flags: int = 0):
        self.rx = re.compile(pattern, flags)
        self.pattern = pattern
        self.words = tuple(w.casefold() for w in words)
        # literal words only: the engine skips along by their first letters, where a pattern opening with \b
        # is tried at every position
        self._any = re.compile("|".join(re.escape(w) for w in sorted(self.words, key=len, reverse=True)))

    def search(self, text: str) -> re.Match | None:
        if not self._any.search(text.casefold()):
            return None
        return self.rx.search(text)

_ASIDE = r"(?:\s*\([^()\n]{1,40}\))?"  # "Question (retranslated from Arabic):"
_Q_LABEL = (rf"Q[\d]{{0,2}}|(?i:question){_NUM}(?:\s+(?i:{_ORDINALS_EN}))?{_ASIDE}|س[\d٠-٩]{{0,2}}"
            rf"|(?:سؤال|السؤال){_NUM}(?:\s+{_ORDINALS_AR})?")
_A_LABEL = rf"A[\d]{{0,2}}|(?i:answer){_NUM}{_ASIDE}|ج[\d٠-٩]{{0,2}}|(?:جواب|الجواب){_NUM}"
Q_MARK = re.compile(rf"^(?P<label>{_Q_LABEL}){_SEP}")
A_MARK = re.compile(rf"^(?P<label>{_A_LABEL}){_SEP}")
# the label alone on its line with no separator at all: "السؤال الأول", "Question 3", "س", "ج /"
Q_ALONE = re.compile(rf"(?P<label>{_Q_LABEL})\s*[.)\]/]*")
A_ALONE = re.compile(rf"(?P<label>{_A_LABEL})\s*[.)\]/]*")
NUM_MARK = re.compile(r"^(?P<label>[\d٠-٩]{1,2})\s*[.\-–)]\s*(?=[^\W\d]|[\"“«])")  # "1- ", "2. ", "3-Have", "1 .التقيتم"
NUM_ALONE = re.compile(r"(?P<label>[\d٠-٩]{1,2})\s*[.)\-–]")  # "1)" alone on its line, the question below
DASH_MARK = re.compile(r"^(?P<label>ـ{1,}(?=\s)|ـ{2,}|[-–—](?=\s?\S)|[•·▪●■◾►*○◦◆♦❖□@](?=\s?\S))\s*")
BRACKET_MARK = re.compile(r"^\[(?P<label>[^\[\]\s]{1,4})\]\s*(?=\S)")  # "[i] You're holding…", "[r] Yes, …"
LABEL = re.compile(r"^(?P<label>[^\s:：][^:：\n]{0,60}?)\s*[:：]\s*")
# a speaker's name in capitals fused to the first word of the turn: "MR. TOM GJELTENThank you", "GJELTENSo, Matt"
FUSED = re.compile(r"^(?P<label>(?:(?:MR|MS|MRS|DR|PROF|GEN|SEN|REP)\.\s)?[A-Z][A-Z'’-]{2,}(?:\s[A-Z][A-Z'’.-]+){0,4}?)(?=[A-Z][a-z])")
STAGE = re.compile(r"\[[^\[\]]{1,40}\]|\(\([^()]{1,120}\)\)")  # "[تقرير مسجل]", "[Recorded report]", "(( … ))"
_PARTICLES = set(PARTICLES) | {"the", "of", "and", "for", "de", "du"}
# words before a colon in ordinary prose: enumerations, notes, and the speech verbs of reported speech
_NOT_SPEAKERS = re.compile(
    r"^(?:note|editor'?s note|update|updated|published|photo|source|sources|related|read more|warning|caption|tags?|first|second|"
    r"third|fourth|fifth|firstly|secondly|finally|lastly|also|correction|clarification|disclaimer|background|context|"
    r"result|results|example|summary|conclusion|quote|translation|transcript|date|"
    r"ملاحظة|المصدر|تحديث|اقرأ أيضا|صورة|الصورة|تنويه|وفيما يلي|فيما يلي|وفي ما يلي|وفي مايلي|وفيمايلي|فيمايلي|وإليكم|واليكم|اليكم|إليكم|"
    r"وهذا نص|وأدناه|أدناه|وادناه|التاريخ|الكاتب|عدد القراءات|"
    r"و?(?:قال|أضاف|اضاف|تابع|أوضح|اوضح|أكد|اكد|يقول|تقول|أشار|اشار|بين|بيّن|ذكر|لفت|ختم|شدد|أردف|اردف|كتب|"
    r"أعلن|اعلن|صرح|قالت|أضافت|تابعت|أوضحت|أكدت|أشارت|بحسب|حسب|يذكر|يُذكر|علق|علّق|ردّ|رد|سأل|سألت|أجاب|أجابت))\b",
    re.I,
)
TITLE_ABBREV = re.compile(
    r"\b(?:Dr|Mr|Mrs|Ms|Prof|Gen|Col|Maj|Capt|Sh|St|Eng|Sgt|H\.E|H\.H|Sen|Rep)\.|\bH\.E\b|(?:^|\s)(?:د|أ|م|ش|ع)\.|(?:^|\s)أ\.د\.", re.I)
_QEND = re.compile(r"[?؟]\s*[!]?\s*[\"'”’»)\]]*\s*[!.]{0,2}\s*$")  # "…؟." "…؟!" "؟ !" as sites end them


def ends_question(text: str) -> bool:
    return bool(_QEND.search(text.rstrip()[-16:]))  # only the end can end in a question mark: no need to scan the rest


# a request put to the interviewee asks as a question does, without its mark ("Describe …", "حدثينا عن …")
_REQUEST = re.compile(
    r"^(?:(?:and|so|now|finally|lastly|ok(?:ay)?|please),?\s+)?(?:tell (?:us|me)|describe|explain|walk (?:us|me) through|"
    r"talk (?:to us )?about|give (?:us|me)|share with us|let'?s talk)\b"
    r"|^و?(?:حدثنا|حدّثنا|حدثينا|حدّثينا|حدثونا|حدثني|أخبرنا|اخبرنا|أخبرينا|صف|صفي|صفوا|اشرح|اشرحي|قل لنا|قولي لنا|كلمنا|كلمينا|"
    r"احك|احكي|احكِ|لمحة|نبذة)\b",
    re.I,
)
LEAD_IN = Worded(
    r"\b(?:text|transcript) of (?:the|this|our|his|her|their) (?:interview|conversation|talk|exchange)"
    r"|^(?:here is|here's|here are|following is|the following is|below is|below are)\b"
    r"|\b(?:full|complete|edited) (?:text|transcript)\b.*[:.]$|what (?:he|she|they) told us:?$"
    r"|^(?:و?فيما يلي|و?في ما يلي|و?في مايلي|و?فيمايلي|و?فيما يأتي|وإليكم|واليكم|إليكم|اليكم|ننشر|وأدناه|أدناه|وادناه|وهذا نص)\b"
    r".*(?:نص|الحوار|المقابلة|اللقاء|الحديث)|وكان (?:لنا معه |معه )?هذا الحوار|(?:نص|الحوار|المقابلة|اللقاء)\s*:$",
    ("text", "transcript", "here", "following", "below", "told us", "نص", "الحوار", "المقابلة", "اللقاء", "الحديث"),
    re.I,
)
_ANSWER_WORD = re.compile(r"^(?:yes|no|yeah|of course|sure|certainly|absolutely|correct|exactly|نعم|لا|طبعاً|طبعا|بالتأكيد|أكيد)\b[.,،!]",
                          re.I)


def reported_question(text: str) -> bool:
    """Answers with a yes or no, or asks only in a quoted clause ("she asked me: …?")."""
    return bool(_ANSWER_WORD.match(text.strip()) or re.search(r"[:：]\s*[\"“«]?[^:：]{3,}[?؟]\s*\S{0,2}$", text))


_AUX = r"(?:do|does|did|is|are|was|were|can|could|will|would|should|shall|have|has|had|may|might|must|am|isn't|aren't|don't|doesn't|didn't)"
# a sentence that opens as a question does: an auxiliary first, "what"/"who" (they ask whatever follows), or another
# wh-word followed by an auxiliary ("When did …", not "When the US invaded …")
INTERROGATIVE = re.compile(
    rf"^(?:and |but |so |then |well, |now, |ok, |okay, )?(?:{_AUX}\b|(?:what|who|whom|whose|which)\b"
    rf"|(?:why|how|when|where)\s+(?:{_AUX}|not|much|many|long|often|far|about|come|else|exactly)\b)"
    r"|^[وف]?(?:ما|ماذا|لماذا|لم|كيف|متى|أين|من|هل|أي|أية|كم|بم|بمَ|بِمَ|ألا|أليس)\s",
    re.I)


def asks_given(t: str, endq: bool, words: int, request: bool, interrog: bool) -> bool:
    """:func:`asks` from what the caller has worked out already."""
    return endq or (words <= 40 and (request or (interrog and _open_end(t))))


def asks(text: str) -> bool:
    """Ends in a question mark, is a short request ("Describe …", "حدثينا عن …"), or a question cut short
    (opens with "What", "هل" … and ends with no stop: the page stops there)."""
    t = text.strip()
    if ends_question(t):
        return True
    short = len(t.split()) <= 40
    return short and (bool(_REQUEST.match(t)) or (bool(INTERROGATIVE.match(t)) and _open_end(t)))


def _open_end(t: str) -> bool:
    """Stops with no mark: a word or a closing bracket last (a question the page cuts short)."""
    return bool(t) and (t[-1].isalnum() or t[-1] in "_)")


def is_request(text: str) -> bool:
    return bool(_REQUEST.match(text.strip()))


@dataclass(frozen=True)
class Marked:
    text: str  # the piece's text with the marker removed
    kind: str  # q | a | label | num | dash | bold | stage | none
    label: str | None = None
    alone: bool = False  # the marker stands alone; the turn's text follows in the next pieces
    form: str = ""  # how a label was written: "" (Name:), "fused" (NAMEText), "bare" (a known name with no colon)


def is_name_label(label: str, lang_is_ar: bool) -> bool:
    """A speaker's name (or name and role, name and outlet) as a label: not a word of prose before a colon."""
    label = label.strip()
    if _NOT_SPEAKERS.match(label):
        return False
    if _ARABIC_INITIALS.fullmatch(label):
        return True  # "س.ع:": a speaker named before, by initials
    # "NAME, ROLE": "CHRISTIANE AMANPOUR, INTERNATIONAL HOST"; "Name – Outlet": "محمد الطميحي – العربية"
    name, _, role = label.partition(",")
    if role and not (role.strip().isupper() or re.fullmatch(r"(?:[A-Z][\w'’.-]*\s?){1,4}", role.strip())):
        return False
    name = re.sub(r"\s*\((?:[A-Z][A-Za-z]{1,5}|[^()]{1,30})\)$", "", name)  # "Into the Mild (ItM)"
    if re.search(r"\d", name):  # "CAIRO – 12 May 2018": a dateline, not a speaker
        return False
    name = re.split(r"\s+[–—-]\s+", name)[0]
    words = name.split()
    bare = TITLE_ABBREV.sub(" ", name)  # "Dr. Sahloul", "د. سحلول"
    if not 1 <= len(words) <= 6 or re.search(r"[.,!?؟،؛\"“”«»]", bare):
        return False
    if re.fullmatch(r"[\u0600-\u06FF\s.]+", name):
        # adverbs in -an ("أولاً", "مضيفاً") introduce lists and quotes, not speakers
        return len(words) <= 4 and not re.search(r"اً$|ًا$", words[-1])
    if lang_is_ar:
        return False
    capitals = 0
    for w in words:
        base = re.sub(r"^(?:al|el)-", "", w, flags=re.I)
        if w.lower() in _PARTICLES and not w[:1].isupper():
            continue
        if re.fullmatch(r"[A-Z][\w'’.-]*", base):
            capitals += 1
            continue
        return False
    return capitals >= 1


_STAMP = re.compile(r"^[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?[\])]?\s+(?=\S)")  # "[00:00:12] HOST: …" in transcripts


def mark(block: Block, lang: str) -> Marked:
    """What the block's text opens with (after a transcript's time stamp, which is no part of anybody's words)."""
    text = block.text.strip()
    stamp = _STAMP.match(text)
    if stamp:
        m = _mark(text[stamp.end():], block.kind, block.bold, lang)
        return m if m.kind != "none" else Marked(text, "none")
    return _mark(text, block.kind, block.bold, lang)


@lru_cache(maxsize=4096)
def _mark(text: str, kind: str, bold: bool, lang: str) -> Marked:  # cleaners, the title and the reader ask of one block
    if STAGE.fullmatch(text):
        return Marked(text, "stage")
    for role, pattern in (("q", Q_ALONE), ("a", A_ALONE)):
        m = pattern.fullmatch(text)
        if m:
            return Marked("", role, m.group("label").strip(), alone=True)
    for role, pattern in (("q", Q_MARK), ("a", A_MARK)):
        m = pattern.match(text)
        if m:
            rest = text[m.end():].strip()
            return Marked(rest, role, _role_label(m.group("label")), alone=not rest)
    m = NUM_MARK.match(text)
    if m and len(text) > m.end() + 3:
        return Marked(text[m.end():].strip(), "num", m.group("label"))
    m = NUM_ALONE.fullmatch(text)
    if m:
        return Marked("", "num", m.group("label"), alone=True)
    m = BRACKET_MARK.match(text)
    if m and not STAGE.match(text[m.end():]):
        return Marked(text[m.end():].strip(), "label", f"[{m.group('label')}]")
    m = DASH_MARK.match(text)
    if m and len(text) > m.end():
        label = m.group("label")
        return Marked(text[m.end():].strip(), "dash", "ـ" if label[0] == "ـ" else label[0])
    m = LABEL.match(text)
    if m and kind != "heading" and is_name_label(m.group("label"), lang == "ar"):
        rest = text[m.end():].strip()
        return Marked(rest, "label", m.group("label").strip(), alone=not rest)
    if lang != "ar":
        m = FUSED.match(text)
        if m and len(m.group("label").replace(".", "").replace(" ", "")) >= 3:
            return Marked(text[m.end():].strip(), "label", m.group("label").strip(), form="fused")
    if (bold and kind != "heading") or (kind == "heading" and ends_question(text)):
        return Marked(text, "bold")  # set apart in type: bold, or a heading that asks
    return Marked(text, "none")


def _role_label(label: str) -> str:
    return re.sub(r"\s+", " ", label.strip())


def bare_label(text: str, labels: list[str]) -> Marked | None:
    """A known speaker's name opening a block with no colon ("Amr Adib Can one coach …"): the label was forgotten."""
    for lab in sorted(labels, key=len, reverse=True):
        if len(lab) >= 4 and text.startswith(lab + " ") and len(text) > len(lab) + 3:
            rest = text[len(lab):].strip()
            if rest[:1].isupper() or "\u0600" <= rest[:1] <= "\u06ff":
                return Marked(rest, "label", lab, form="bare")
    return None


# --- speakers --------------------------------------------------------------------------------

_HONORIFIC = re.compile(r"^(?:(?:MR|MS|MRS|DR|PROF|GEN|SEN|REP|H\.E|H\.H|SHEIKH)\.?\s+)+", re.I)


def _name_part(label: str) -> str:
    """The person in a label: "CHRISTIANE AMANPOUR, INTERNATIONAL HOST" → "CHRISTIANE AMANPOUR"; honorifics off."""
    name = re.split(r"\s+[–—-]\s+|,", label)[0]
    name = re.sub(r"\s*\([^()]*\)\s*$", "", name)
    return _HONORIFIC.sub("", name).strip() or name.strip()


def _alias(label: str) -> str | None:
    m = re.search(r"\(([A-Za-z]{1,6})\)\s*$", label.split(",")[0])
    return m.group(1) if m else None


def initials(name: str) -> str:
    """``Mohammed al-Haj Ali`` → ``MHA``, ``سامر العبد`` → ``سع``; labels use any subsequence of these (``MH``, ``س.ع``)."""
    words = [re.sub(r"^(?:al|el)-|^ال(?=\w\w)", "", w, flags=re.I) for w in re.split(r"[\s.]+", name) if w]
    return "".join(w[0].upper() for w in words if w)


_ARABIC_INITIALS = re.compile(r"[\u0621-\u064A](?:\.\s?[\u0621-\u064A]){1,3}\.?")  # "س.ع", "ر. ح."


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


def resolve_speakers(labels: list[str]) -> dict[str, str]:
    """Map each label to a speaker: ``MH`` to ``Mohammed al-Haj Ali`` when the initials fit a full name used before,
    ``LOPEZ`` or ``AL ABADI`` to the full name they end, ``ItM`` to ``Into the Mild (ItM)``."""
    full: list[str] = []  # full names in order of first use
    aliases: dict[str, str] = {}  # "ItM" -> "Into the Mild (ItM)"
    endings: dict[tuple[str, ...], list[str]] = defaultdict(list)  # last one or two words -> full names they end
    out: dict[str, str] = {}

    def add_full(name: str) -> None:
        full.append(name)
        alias = _alias(name)
        if alias and alias not in aliases:
            aliases[alias] = name
        words = _name_part(name).lower().split()
        for k in (1, 2):
            if len(words) > k:
                endings[tuple(words[-k:])].append(name)

    for label in dict.fromkeys(labels):
        words = tuple(_name_part(label).lower().split())
        same = endings.get(words, []) if len(words) <= 2 else []
        if label in aliases:
            out[label] = aliases[label]
        elif (re.fullmatch(r"[A-Z]{1,4}\.?", label.replace(".", "")) or _ARABIC_INITIALS.fullmatch(label)) and full:
            letters = re.sub(r"[.\s]", "", label)
            found = next((n for n in full if _initials_fit(letters, n)), None)
            out[label] = found or label
            if found is None:
                add_full(label)
        elif len(same) == 1:
            out[label] = same[0]  # a surname (or two-word surname) alone names the one full name it ends
        else:
            out[label] = label
            add_full(label)
    return out


def _initials_fit(letters: str, name: str) -> bool:
    ini = initials(_name_part(name))
    return ini.startswith(letters[0]) and _subsequence(letters, ini)


# --- who spoke to whom -------------------------------------------------------------------------

_SPOKE = alternation(ASKING)
_TELLS = alternation(TELLING)
_SPOKE_APART = alternation_apart(ASKING)


INTRO_MAX = 4000  # characters of an intro searched for who spoke to whom: a longer "intro" is the talk itself


def asker_from_intro(intro: str, names: list[str]) -> str | None:
    """The name the intro puts before "spoke to" (or after "tells"): who asked. None when it does not say."""
    intro = intro[:INTRO_MAX]
    at = {n: _name_at(intro, n) for n in names}

    def pos(name: str) -> int:
        return at[name]

    for m in re.finditer(rf"\b(?:{_SPOKE})\b|{ASKING_AR}", intro, re.I):
        before = [n for n in names if 0 <= pos(n) < m.start()]
        after = [n for n in names if pos(n) > m.start()]
        if before and after:
            return max(before, key=pos)  # the nearest name before the verb asks
        if after and not before:
            others = [n for n in names if n not in after]
            if len(others) == 1:
                return others[0]  # "X spoke to Y" with X not a label name ("Syria Direct"): the other label
    for m in re.finditer(rf"\b(?:{_TELLS})\b", intro, re.I):
        after = [n for n in names if pos(n) > m.start()]
        if after:
            return min(after, key=pos)  # "Y tells X": X asked
    return None


def _name_at(text: str, name: str) -> int:
    """Where a word of the name (three letters or more) first stands in the text as a whole word ("Doe", not "does";
    an Arabic word with its attached و ف ب ل ك or ال)."""
    hits = []
    for w in re.split(r"\s+", _name_part(name)):
        if len(w) <= 2:
            continue
        prefix = r"(?:[وفبلك]|ال|بال|وال)?" if "\u0600" <= w[:1] <= "\u06ff" else ""
        m = re.search(rf"(?<!\w){prefix}{re.escape(w)}(?!\w)", text, re.I)
        if m:
            hits.append(m.start())
    return min(hits) if hits else -1


def intro_role(intro: str, name: str) -> str | None:
    """What the intro says one speaker does: "Q" for "NAME spoke to …" / "… tells NAME", "A" for "… spoke to NAME" /
    "NAME tells …"; None when it names no such verb near the name."""
    intro = intro[:INTRO_MAX]
    at = _name_at(intro, name)
    if at < 0:
        return None
    near = 120
    for m in re.finditer(rf"\b(?:{_SPOKE_APART})\b|{ASKING_AR}", intro, re.I):
        if 0 <= m.start() - at <= near:
            return "Q"
        if 0 < at - m.end() <= near:
            return "A"
    for m in re.finditer(rf"\b(?:{_TELLS})\b", intro, re.I):
        if 0 <= m.start() - at <= near:
            return "A"
        if 0 < at - m.end() <= near:
            return "Q"
    return None


def named_in(text: str, name: str) -> bool:
    return _name_at(text, name) >= 0


# labels that name the asking side by its role ("المحاورة", "Interviewer", "Host") or the answering side ("Guest")
ASKER_ROLE = re.compile(r"^(?:q|question|interviewer|journalist|reporter|host|anchor|presenter|moderator|int|i|"
                        r"س|سؤال|السؤال|المحاور|المحاورة|محاور|الصحفي|الصحفية|المذيع|المذيعة|مقدم البرنامج|المقدم|المقدمة|مقدمة البرنامج)$",
                        re.I)
ANSWER_ROLE = re.compile(r"^(?:a|answer|guest|respondent|interviewee|r|ج|جواب|الجواب|الضيف|الضيفة)$", re.I)


def role_of_label(label: str) -> str | None:
    bare = re.sub(r"[\[\]()]|\s*\d+$", "", _name_part(label)).strip()
    if ASKER_ROLE.match(bare):
        return "question"
    if ANSWER_ROLE.match(bare):
        return "answer"
    return None


_GREETING_AR = ("شكرا", "شكراً", "أشكر", "اشكر", "نشكر", "مرحبا", "مرحباً", "أهلا", "أهلاً", "اهلاً", "اهلا", "يسعدني", "يسعدنا",
                "سعيد ب", "تحية", "صباح الخير", "مساء الخير", "بكم", "بك")
GREETING = Worded(
    r"\b(?:thank(?:s| you)|welcome|good (?:morning|evening|afternoon)|(?:my|the) pleasure|glad to|happy to be|nice to|"
    r"it'?s good to have you|great to have you)\b|(?:" + "|".join(_GREETING_AR) + ")",
    ("thank", "welcome", "good", "pleasure", "glad to", "happy to be", "nice to", "great to have you") + _GREETING_AR, re.I)
ANSWER_OPENER = re.compile(
    r"^(?:yes|no|well|yeah|of course|sure|certainly|absolutely|indeed|correct|exactly|right|i think|i believe|i|we|my|our|"
    r"that'?s|it'?s|there|actually|honestly|look|first(?:ly)?|because|not)\b"
    r"|^(?:نعم|لا|طبعا|طبعاً|بالتأكيد|أكيد|أنا|انا|نحن|في الحقيقة|الحقيقة|بداية|أولا|أولاً|لأن|هذا|هذه|أعتقد|اعتقد|أرى|ارى)\b",
    re.I)
_YOU_AR = ("حضرتك", "سيادتك", "سيادة", "أنتم", "انتم", "أنت", "انت", "لديكم", "لديك", "برأيك", "رأيك")
SECOND_PERSON = Worded(r"\b(?:you|your|yours|yourself)\b|(?:" + "|".join(_YOU_AR) + ")", ("you",) + _YOU_AR, re.I)
_I_AR = ("أنا", "انا", "نحن", "لدي", "لدينا", "عندي", "كنت", "أعتقد", "أرى")
_I_EN = re.compile(r"(?:I|my|me|we|our|us)\b")  # "I'm", "I've": the "I" is a word of its own


def first_person(text: str) -> bool:
    """The speaker speaks of themselves ("I", "we", "أنا", "لدينا"): an answer's voice."""
    if any(w in text for w in _I_AR):
        return True
    # the word must also begin where a word begins; looking back from each hit is cheaper than asking it everywhere
    return any(m.start() == 0 or not (text[m.start() - 1].isalnum() or text[m.start() - 1] == "_") for m in _I_EN.finditer(text))
