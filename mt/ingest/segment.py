"""Turn segmentation: which blocks are intro, questions and answers.

Interviews mark turns in many ways (tests/data/layouts/README.md lists the real pages these rules
come from). Every block's marker is found first (``mark``): a question label (``Q:``, ``س1.``,
``السؤال الأول``, also alone on its line with no colon), an answer label (``A:``, ``ج ـ``), a name
label (``Firstname Lastname:``, ``الرئيس الأسد:``, alone on its line or inline), a count (``1- ``,
``2. ``), a dash or bullet (``ــ``, ``-``, ``•``, ``○``), bold, or a stage direction (``[تقرير مسجل]``).
Then the first scheme that fits the document decides the roles, in this order of precedence:

1. **Question labels.** Every block under a question label belongs to that question until the next
   label (a greeting paragraph then the question is one question). Answers are the blocks under an
   answer or name label; where most answers carry none, the first block after a question that has
   asked starts the answer; a marked answer with no question label before it makes the block above it
   the question.
2. **Recurring name labels** (a transcript). Who asks is the speaker whose turns end in ``?`` most
   often; initials (``KB:``) and surnames (``LOPEZ:``) name the full name used before; a speaker
   glued after another's sentence (``…most?  KARAM: …``) opens a turn; someone named once answers
   after a question, asks otherwise, and after a stage direction gives a report (an intro turn).
3. **Names used once or twice** (a short interview, a page cut short). The intro says who asks
   ("River Watch spoke to X", "X tells Y", "التقت … بـ", "تحدث … إلى"), else the first labelled
   paragraph that asks; with neither, the first speaker is taken to ask and the article carries the
   warning ``roles uncertain``. Once the labels stop, what asks is a question and what follows answers;
   a new ``Name:`` after that is reported speech inside an answer.
4. **Counted questions** (``1- … 2. …``, numbers rising one by one).
5. **Dashes or bullets.** Two kinds: the one whose blocks ask marks the questions. One kind on the
   answers only: the block above each answer asks (with or without ``?``), and a question and answer
   whose marker was forgotten in between are found by what asks.
6. **Bold** questions (or headings that ask).
7. **No markers**: blocks that ask alternate with answers; after a lead-in ("Here is the full text of
   the interview", "وفيما يلي نص الحوار") the next block asks whatever its punctuation.

A block *asks* when it ends in ``?``/``؟`` (also ``؟.``), is a request ("Describe …", "حدثينا عن …"),
or opens like a question and stops short (the page is cut). A yes/no reply or a question quoted after
a colon ("she asked me: …?") does not ask. A short line set apart (no final stop, or all in quotes)
right above a question is a section heading, and a stage direction says what happens: neither is a
turn. A title of the form ``Name : quote`` is the title (``clean.Title``), never a speaker; a
place-and-reporter line (``دمشق - سانا``, ``Beirut – Rita Saab``, ``Damascus, SANA –``) and a
programme's header are intro furniture (``clean.PlaceLine``, ``clean.ProgrammeFields``). A text no
scheme reads is plain paragraphs, with ``roles uncertain`` when it has speaker labels or questions.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, replace

from mt.ingest.blocks import Block
from mt.ingest.speech import ASKING, ASKING_AR, TELLING, alternation
from mt.records import Dropped, Turn
from mt.text.arabic import to_western_digits
from mt.text.names import PARTICLES

# after a marker: a colon, "..", a tatweel run, or . ) - followed by a space ("A-levels", "Q.E.D." are not markers)
_SEP = r"(?:\s*[:：]\s*|\s*\.\.\s*|\s*[.)\-–—]\s+|\s*ـ+\s*)"
_ORDINALS_EN = r"one|two|three|four|five|six|seven|eight|nine|ten|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final"
_ORDINALS_AR = (
    r"(?:ال)?(?:أول|اول|أولى|ثاني|ثانية|ثالث|ثالثة|رابع|رابعة|خامس|خامسة|سادس|سادسة|سابع|سابعة|ثامن|ثامنة|"
    r"تاسع|تاسعة|عاشر|عاشرة|أخير|اخير|أخيرة|اخيرة)(?:\s+عشر)?"
)
_NUM = r"(?:\s*[\d٠-٩]{1,2})?"
_Q_LABEL = rf"Q[\d]{{0,2}}|(?i:question){_NUM}(?:\s+(?i:{_ORDINALS_EN}))?|س[\d٠-٩]{{0,2}}|(?:سؤال|السؤال){_NUM}(?:\s+{_ORDINALS_AR})?"
_A_LABEL = rf"A[\d]{{0,2}}|(?i:answer){_NUM}|ج[\d٠-٩]{{0,2}}|(?:جواب|الجواب){_NUM}"
Q_MARK = re.compile(rf"^(?P<label>{_Q_LABEL}){_SEP}")
A_MARK = re.compile(rf"^(?P<label>{_A_LABEL}){_SEP}")
# the label alone on its line with no separator at all: "السؤال الأول", "Question 3", "س"
Q_ALONE = re.compile(rf"(?P<label>{_Q_LABEL})\s*[)\]]?")
A_ALONE = re.compile(rf"(?P<label>{_A_LABEL})\s*[)\]]?")
NUM_MARK = re.compile(r"^(?P<label>[\d٠-٩]{1,2})\s*[.\-–)]\s*(?=[^\W\d]|[\"“«])")  # "1- ", "2. ", "3-Have", "1 .التقيتم"
DASH_MARK = re.compile(r"^(?P<label>ـ{2,}|[-–—](?=\s)|[•·▪●■◾►*○◦◆♦❖□](?=\s?\S))\s*")
LABEL = re.compile(r"^(?P<label>[^\s:：][^:：\n]{0,48}?)\s*[:：]\s*")
_PARTICLES = set(PARTICLES)
# words before a colon in ordinary prose: enumerations, notes, and the speech verbs of reported speech
_NOT_SPEAKERS = re.compile(
    r"^(?:note|editor'?s note|update|updated|photo|source|sources|related|read more|warning|caption|tags?|first|second|"
    r"third|fourth|fifth|firstly|secondly|finally|lastly|also|correction|clarification|disclaimer|background|context|"
    r"result|results|example|summary|conclusion|quote|translation|transcript|"
    r"ملاحظة|المصدر|تحديث|اقرأ أيضا|صورة|الصورة|تنويه|وفيما يلي|فيما يلي|وإليكم|واليكم|وهذا نص|وفي ما يلي|"
    r"و?(?:قال|أضاف|اضاف|تابع|أوضح|اوضح|أكد|اكد|يقول|تقول|أشار|اشار|بين|بيّن|ذكر|لفت|ختم|شدد|أردف|اردف|كتب|"
    r"أعلن|اعلن|صرح|قالت|أضافت|تابعت|أوضحت|أكدت|أشارت|بحسب|حسب|يذكر|يُذكر|علق|علّق|ردّ|رد|سأل|سألت|أجاب|أجابت))\b",
    re.I,
)
_TITLE_ABBREV = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Prof|Gen|Col|Maj|Capt|Sh|St|Eng|Sgt)\.|(?:^|\s)(?:د|أ|م|ش|ع)\.", re.I)
_QEND = re.compile(r"[?؟]\s*[\"'”’»)\]]*\s*\.?\s*$")  # "…؟." as some sites end them


def ends_question(text: str) -> bool:
    return bool(_QEND.search(text))


# a request put to the interviewee asks as a question does, without its mark ("Describe …", "حدثينا عن …")
_REQUEST = re.compile(
    r"^(?:(?:and|so|now|finally|lastly),?\s+)?(?:tell (?:us|me)|describe|explain|walk (?:us|me) through|talk (?:to us )?about|"
    r"give (?:us|me)|share with us)\b"
    r"|^و?(?:حدثنا|حدّثنا|حدثينا|حدّثينا|حدثونا|حدثني|أخبرنا|اخبرنا|أخبرينا|صف|صفي|صفوا|اشرح|اشرحي|قل لنا|قولي لنا|كلمنا|كلمينا)\b",
    re.I,
)


_LEAD_IN = re.compile(
    r"\b(?:text|transcript) of (?:the|this|our|his|her|their) (?:interview|conversation|talk|exchange)"
    r"|^(?:here is|here's|following is|the following is|below is)\b"
    r"|^(?:و?فيما يلي|و?في ما يلي|و?فيما يأتي|وإليكم|واليكم|ننشر)\b.*(?:نص|الحوار|المقابلة|اللقاء)|وكان (?:لنا معه |معه )?هذا الحوار",
    re.I,
)
_ANSWER_WORD = re.compile(r"^(?:yes|no|yeah|of course|sure|certainly|absolutely|نعم|لا|طبعاً|طبعا|بالتأكيد|أكيد)\b[.,،!]", re.I)


def _reported_question(text: str) -> bool:
    """Answers with a yes or no, or asks only in a quoted clause ("she asked me: …?")."""
    return bool(_ANSWER_WORD.match(text.strip()) or re.search(r"[:：]\s*[\"“«]?[^:：]{3,}[?؟]\s*\S{0,2}$", text))


_SPOKE = alternation(ASKING)
_TELLS = alternation(TELLING)
_SPOKE_AR = ASKING_AR


def _asker_from_intro(intro: str, names: list[str]) -> str | None:
    """The name the intro puts before "spoke to" (or after "tells"): who asked. None when it does not say."""
    def pos(name: str) -> int:
        words = [w for w in re.split(r"\s+", name) if len(w) > 2]
        hits = [intro.find(w) for w in words if w in intro]
        return min(hits) if hits else -1

    for m in re.finditer(rf"\b(?:{_SPOKE})\b|{_SPOKE_AR}", intro, re.I):
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


_INTERROGATIVE = re.compile(
    r"^(?:and |but |so )?(?:what|why|how|when|where|who|whom|which|do|does|did|is|are|was|were|can|could|will|would|should|"
    r"have|has)\b|^و?(?:ما|ماذا|لماذا|كيف|متى|أين|من|هل|أي|كم)\s", re.I)


def asks(text: str) -> bool:
    """Ends in a question mark, is a short request ("Describe …", "حدثينا عن …"), or a question cut short
    (opens with "What", "هل" … and ends with no stop: the page stops there)."""
    t = text.strip()
    if ends_question(t):
        return True
    short = len(t.split()) <= 40
    return short and (bool(_REQUEST.match(t)) or (bool(_INTERROGATIVE.match(t)) and re.search(r"[\w)]$", t) is not None))


@dataclass
class Marked:
    text: str  # block text with the marker removed
    kind: str  # q | a | label | dash | bold | none
    label: str | None = None
    alone: bool = False  # the marker stands alone; the turn's text follows on the next blocks


def _is_name_label(label: str, lang_is_ar: bool) -> bool:
    words = label.split()
    bare = _TITLE_ABBREV.sub(" ", label)  # "Dr. Sahloul", "د. سحلول"
    if not 1 <= len(words) <= 5 or _NOT_SPEAKERS.match(label) or re.search(r"[.,!?؟،؛\"“”«»\d]", bare):
        return False
    if re.fullmatch(r"[\u0600-\u06FF\s.]+", label):
        # adverbs in -an ("أولاً", "مضيفاً") introduce lists and quotes, not speakers
        return len(words) <= 4 and not re.search(r"اً$|ًا$", words[-1])
    if lang_is_ar:
        return False
    for w in words:
        base = re.sub(r"^(?:al|el)-", "", w, flags=re.I)
        if w.lower() in _PARTICLES or re.fullmatch(r"(?:[A-Z][\w'’.-]*)", base):
            continue
        return False
    return True


STAGE = re.compile(r"\[[^\[\]]{1,40}\]|\(\([^()]{1,120}\)\)")  # "[تقرير مسجل]", "[Recorded report]", "(( … ))"


def mark(block: Block, lang: str) -> Marked:
    text = block.text.strip()
    if STAGE.fullmatch(text):
        return Marked(text, "stage")
    for kind, pattern in (("q", Q_ALONE), ("a", A_ALONE)):
        m = pattern.fullmatch(text)
        if m:
            return Marked("", kind, m.group("label").strip(), alone=True)
    for kind, pattern in (("q", Q_MARK), ("a", A_MARK)):
        m = pattern.match(text)
        if m:
            rest = text[m.end():].strip()
            return Marked(rest, kind, m.group("label").strip(), alone=not rest)
    m = NUM_MARK.match(text)
    if m and len(text) > m.end() + 3:
        return Marked(text[m.end():].strip(), "num", m.group("label"))
    m = DASH_MARK.match(text)
    if m and len(text) > m.end():
        return Marked(text[m.end():].strip(), "dash", m.group("label")[0])
    m = LABEL.match(text)
    if m and block.kind != "heading" and _is_name_label(m.group("label").strip(), lang == "ar"):
        rest = text[m.end():].strip()
        return Marked(rest, "label", m.group("label").strip(), alone=not rest)
    if (block.bold and block.kind != "heading") or (block.kind == "heading" and ends_question(text)):
        return Marked(text, "bold")  # set apart in type: bold, or a heading that asks
    return Marked(text, "none")


def _initials(name: str) -> str:
    """``Mohammed al-Haj Ali`` → ``MHA``; labels use any subsequence of these (``MH``)."""
    return "".join(re.sub(r"^(?:al|el)-", "", w, flags=re.I)[0].upper() for w in name.split())


def resolve_speakers(labels: list[str]) -> dict[str, str]:
    """Map each label to a speaker: ``MH`` to ``Mohammed al-Haj Ali`` when the initials fit a full name used before."""
    full: list[str] = []
    out: dict[str, str] = {}
    for label in labels:
        if label in out:
            continue
        if re.fullmatch(r"[A-Z]{1,4}\.?", label.replace(".", "")) and full:
            letters = label.replace(".", "")
            for name in full:
                ini = _initials(name)
                if ini.startswith(letters[0]) and _subsequence(letters, ini):
                    out[label] = name
                    break
            else:
                out[label] = label
        else:
            # "LOPEZ" after "MARIA LOPEZ": a surname alone names the one full name it ends
            same = [n for n in full if len(n.split()) > 1 and n.split()[-1].lower() == label.lower()]
            if len(label.split()) == 1 and len(same) == 1:
                out[label] = same[0]
                continue
            out[label] = label
            full.append(label)
    return out


def _subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(c in it for c in short)


@dataclass
class _Open:
    role: str
    parts: list[str]
    speaker: str | None


class Segmenter:
    """Blocks of one cleaned document to turns."""

    def __init__(self, blocks: list[Block], lang: str):
        self.blocks = blocks
        self.marks = [mark(b, lang) for b in blocks]
        self.blocks, self.marks = self._split_glued(blocks, lang)
        self.dropped: list[Dropped] = []
        self.reported: set[int] = set()  # blocks whose "Name:" is reported speech, not a speaker
        self.warnings: list[str] = []

    def _split_glued(self, blocks: list[Block], lang: str):
        """``…most?    KARAM: Oral …``: a speaker who opens other paragraphs, glued after a sentence end, opens a turn."""
        labels = Counter(m.label for m in self.marks if m.kind == "label")
        known = [re.escape(x) for x, n in labels.items() if x and n >= 2]
        if not known:
            return blocks, self.marks
        glued = re.compile(rf"(?<=[.?!؟…\"”])\s+(?=(?:{'|'.join(known)})\s*[:：]\s)")
        out: list[Block] = []
        for b in blocks:
            parts = glued.split(b.text.strip())
            out.extend(replace(b, text=p) for p in parts if p.strip())
        if len(out) == len(blocks):
            return blocks, self.marks
        return out, [mark(b, lang) for b in out]

    def segment(self) -> tuple[list[Turn], list[Dropped], list[str]]:
        roles = self._scheme()
        if roles is None:
            why = self._looks_like_interview()
            if why:
                self.warnings.append(f"roles uncertain: read as plain paragraphs, though {why}")
            return self._plain(), self.dropped, self.warnings
        return self._build(roles), self.dropped, self.warnings

    def _looks_like_interview(self) -> str | None:
        """What speaks for an interview in a text no scheme could read: the reason to warn."""
        labels = sorted({m.label or "" for m in self.marks if m.kind == "label"})
        asking = sum(asks(m.text) for m in self.marks)
        if len(labels) >= 2:
            return f"it has speaker labels ({', '.join(labels[:3])})"
        if asking >= 2:
            return f"{asking} paragraphs ask"
        if any(_LEAD_IN.search(m.text) for m in self.marks):
            return "it announces an interview"
        return None

    # -- choosing the scheme ------------------------------------------------------------------

    def _scheme(self) -> list[tuple[str | None, str | None]] | None:
        """Per block: (role that starts here or None for continuation, speaker), or None when not an interview."""
        if any(m.kind == "q" for m in self.marks):
            return self._explicit()
        for candidate in (self._speaker_roles, self._names_once_roles, self._numbered_roles, self._dash_roles,
                          self._bold_roles, self._unmarked_questions):
            roles = candidate()
            if roles is not None:
                return roles
        return None

    def _demote_reported(self) -> None:
        """A name label once the talk has gone unlabelled, of nobody who spoke before, is reported speech
        inside an answer ("كانت تسألني كل أسبوع: هل ستأتين غداً؟"), not a turn."""
        speakers: set[str] = set()
        unlabelled = False
        for i, m in enumerate(self.marks):
            if m.kind == "label":
                if unlabelled and m.label not in speakers:
                    self._demote(i)
                    self.reported.add(i)
                else:
                    speakers.add(m.label or "")
            elif asks(m.text):
                unlabelled = True  # the talk has begun, unlabelled

    def _names_once_roles(self):
        """Two or more people named once or twice each (a short interview, a page cut short). Who asks comes from
        evidence that exists even then: the intro says who spoke to whom, or the first labelled paragraph asks."""
        if sum(m.kind == "label" for m in self.marks) < 2:
            return None
        self._demote_reported()
        idx = [i for i, m in enumerate(self.marks) if m.kind == "label"]
        names = list(dict.fromkeys(self.marks[i].label or "" for i in idx))
        if len(names) < 2 or len(idx) > 2 * len(names):
            return None
        first = idx[0]
        intro = " ".join(self.marks[i].text for i in range(first))
        asker = _asker_from_intro(intro, names)
        if asker is None and asks(self._turn_text(first)):
            asker = names[0]
        if asker is None:
            asker = names[0]
            self.warnings.append(f"roles uncertain: {asker} taken to ask (first to speak); nothing else says who asks")
        out: list[tuple[str | None, str | None]] = []
        prev = None
        for i, m in enumerate(self.marks):
            if i < first:
                out.append(("intro", None))
            elif m.kind == "label":
                out.append(("question" if m.label == asker else "answer", m.label))
            elif prev == "answer" and asks(m.text) and not _reported_question(m.text) and i not in self.reported:
                out.append(("question", None))  # the labels stopped; the talk goes on, told apart by what asks
            elif prev == "question" and i - 1 >= 0 and self.marks[i - 1].kind != "label" and not asks(m.text):
                out.append(("answer", None))
            else:
                out.append((None, None))
            prev = out[-1][0] or prev
        return out

    def _dash_roles(self):
        dashes = Counter(m.label for m in self.marks if m.kind == "dash")
        if sum(dashes.values()) < 2:
            return None
        if len(dashes) >= 2:
            groups = [{i for i, m in enumerate(self.marks) if m.kind == "dash" and m.label == d} for d, _ in dashes.most_common(2)]
            return self._two_groups(groups)
        return self._one_group({i for i, m in enumerate(self.marks) if m.kind == "dash"})

    def _numbered_roles(self):
        """``1- …?`` ``2. …?``: numbers that count up one by one, on the questions (or, rarely, the answers)."""
        idx = [i for i, m in enumerate(self.marks) if m.kind == "num"]
        nums = [int(to_western_digits(self.marks[i].label or "0")) for i in idx]
        if len(idx) < 2 or any(b != a + 1 for a, b in zip(nums, nums[1:])) or nums[0] > 2:
            for i in idx:
                self._demote(i)  # "1. water, 2. fuel" in an answer, or years: text
            return None
        return self._one_group(set(idx))

    def _bold_roles(self):
        bold = {i for i, m in enumerate(self.marks) if m.kind == "bold"}
        # bold marks questions on many sites; one bold question is enough when it asks and text follows
        if len(bold) >= 2 or (bold and self._share_q(bold) == 1 and max(bold) < len(self.marks) - 1):
            return self._one_group(bold)
        return None

    def _explicit(self) -> list[tuple[str | None, str | None]]:
        """``Q:`` style questions; answers marked ``A:``, by a recurring speaker label, or not at all."""
        n_q = sum(m.kind == "q" for m in self.marks)
        labels = [m.label or "" for m in self.marks if m.kind == "label"]
        who = resolve_speakers(labels)
        recurring = {lab for lab in labels if sum(who[x] == who[lab] for x in labels) >= 2}
        for i, m in enumerate(self.marks):
            if m.kind == "label" and m.label not in recurring:
                self._demote(i)  # "First: water…" inside an answer is text, not a speaker
        n_a = sum(m.kind in ("a", "label") for m in self.marks)
        answers_marked = n_a >= max(1, n_q // 2)
        out: list[tuple[str | None, str | None]] = []
        state = None  # role of the open turn; None before the first question
        awaiting_text = False  # a question label stood alone; its text is the next block
        asked = False  # the open question's last block ends with a question mark
        for m in self.marks:
            if m.kind == "q" or (state and m.kind == "bold" and ends_question(m.text)):
                out.append(("question", None))  # "Q:", "السؤال الأول": a role, not a person
                state, awaiting_text = "question", m.alone
            elif state and m.kind in ("a", "label") and answers_marked:
                out.append(("answer", who.get(m.label or "", m.label) if m.kind == "label" else None))
                state = "answer"
            elif state is None and m.kind == "a" and out and out[-1][0] == "intro":
                # a marked answer before any marked question: the block before it asked ("مقدمة وتعريف")
                out[-1] = ("question", None)
                out.append(("answer", None))
                state = "answer"
            elif state is None:
                out.append(("intro", None))
            elif state == "question" and not awaiting_text and (
                    not answers_marked or (m.kind == "none" and asked and not ends_question(m.text))):
                # answers unmarked, or this one's marker forgotten: the question has asked, and this block does not
                out.append(("answer", None))
                state = "answer"
            else:
                out.append((None, None))
                awaiting_text = False
            if state == "question" and m.text:
                asked = ends_question(m.text)
        for i, (role, _) in enumerate(out):
            if role is None and self.marks[i].kind in ("a", "label", "dash", "bold", "num"):
                self._demote(i)
        return self._fold_two_line_questions(out)

    def _demote(self, i: int) -> None:
        """A marker that does not mark a turn here: its block is plain text again, label and all."""
        self.marks[i] = Marked(self.blocks[i].text.strip(), "none")

    def _fold_two_line_questions(self, out):
        """``Q: Thank you.`` then ``Why …?``: a question-ending block right after a question that did not end as one."""
        for i in range(1, len(out) - 1):
            if (out[i][0] == "answer" and out[i][1] is None and out[i - 1][0] == "question"
                    and not ends_question(self.marks[i - 1].text) and ends_question(self.marks[i].text)
                    and out[i + 1][0] is None):
                out[i] = (None, None)
                out[i + 1] = ("answer", None)
        return out

    def _speaker_roles(self):
        idx = [i for i, m in enumerate(self.marks) if m.kind in ("label", "a")]
        if len(idx) < 2:
            return None
        who = resolve_speakers([self.marks[i].label or "" for i in idx])
        turns: dict[str, list[int]] = defaultdict(list)
        for i in idx:
            turns[who[self.marks[i].label or ""]].append(i)
        recurring = {s: v for s, v in turns.items() if len(v) >= 2}
        if not recurring:
            return None
        if len(recurring) == 1:  # one labelled speaker; the other's turns are unmarked
            (only,) = recurring.values()
            return self._one_group(set(only), speakers={i: who[self.marks[i].label or ""] for i in only})

        def share(v):
            return sum(ends_question(self._turn_text(i)) for i in v) / len(v)

        asker = max(recurring, key=lambda s: (share(recurring[s]), -recurring[s][0]))
        first = min(i for v in recurring.values() for i in v)
        out: list[tuple[str | None, str | None]] = []
        last = None
        for i, m in enumerate(self.marks):
            sp = who.get(m.label or "") if m.kind in ("label", "a") and (m.label or "") in who else None
            if sp in recurring:
                out.append(("question" if sp == asker else "answer", sp))
            elif sp is not None and i > first:
                # someone named once in a transcript: a recorded report after "[تقرير مسجل]", a second guest
                # answering, a caller asking
                if i and self.marks[i - 1].kind == "stage":
                    out.append(("intro", sp))
                elif last == "question" or not ends_question(self._turn_text(i)):
                    out.append(("answer", sp))
                else:
                    out.append(("question", sp))
            else:
                out.append(("intro", None) if i < first else (None, None))
            last = out[-1][0] or last
        return out

    def _turn_text(self, i: int) -> str:
        """The text a marker opens: its own, or the next block's when the label stood alone."""
        m = self.marks[i]
        if m.alone and i + 1 < len(self.marks):
            return self.marks[i + 1].text
        return m.text

    def _share_q(self, idx) -> float:
        return sum(ends_question(self._turn_text(i)) for i in idx) / max(1, len(idx))

    def _two_groups(self, groups: list[set[int]]):
        qs, ans = sorted(groups, key=self._share_q, reverse=True)
        first = min(min(qs), min(ans))
        out: list[tuple[str | None, str | None]] = []
        for i in range(len(self.marks)):
            if i in qs and i >= first:
                out.append(("question", None))
            elif i in ans and i >= first:
                out.append(("answer", None))
            else:
                out.append(("intro", None) if i < first else (None, None))
        return out

    def _one_group(self, marked: set[int], speakers: dict[int, str] | None = None):
        """One kind of marker; evidence says whether it marks the questions or the answers."""
        speakers = speakers or {}
        n = len(self.marks)
        first = min(marked)
        share = self._share_q(marked)
        if 0.25 <= share <= 0.75 and len(marked) >= 0.7 * (n - first):
            # the same marker on every turn ("ــ" before questions and answers alike): each block says what it is
            return [("intro", None) if i < first else
                    (("question" if ends_question(self.marks[i].text) else "answer"), speakers.get(i)) if i in marked else (None, None)
                    for i in range(n)]
        out: list[tuple[str | None, str | None]]
        if share >= 0.5:
            out = []
            prev = None
            for i in range(n):
                if i in marked:
                    out.append(("question", speakers.get(i)))
                elif i < first:
                    out.append(("intro", None))
                elif prev == "question":
                    out.append(("answer", None))
                else:
                    out.append((None, None))
                prev = out[-1][0] or prev
            return self._fold_two_line_questions(out)
        # the markers are on answers: the block before each answer (and question-ending blocks before it) asks
        starts = sorted(marked)
        out = [(None, None)] * n
        for i in starts:
            out[i] = ("answer", speakers.get(i))
        for k, a in enumerate(starts):
            lo = starts[k - 1] + 1 if k else 0
            if lo == a:
                continue
            q = a - 1
            while q - 1 >= lo and ends_question(self.marks[q - 1].text):
                q -= 1  # one question over several lines
            for i in range(lo, a):
                if i == q:
                    out[i] = ("question", None)
                elif i < q and k == 0:
                    out[i] = ("intro", None)
            i = lo
            while k and i + 1 < q:
                # a question and its answer whose marker was forgotten, before the question of the next marked answer
                if asks(self.marks[i].text) and not asks(self.marks[i + 1].text):
                    out[i], out[i + 1] = ("question", None), ("answer", None)
                    i += 2
                else:
                    i += 1
        # after the last answer, a question-ending block asks what the excerpt leaves unanswered
        for i in range(starts[-1] + 1, n):
            if ends_question(self.marks[i].text) and out[i - 1][0] != "question":
                out[i] = ("question", None)
        asked = [i for i, (role, _) in enumerate(out) if role == "question"]
        if sum(ends_question(self.marks[i].text) for i in asked) < len(asked) / 2:
            return None  # markers on answers need questions that ask: "وأضاف:" twice is reported speech
        return out

    def _unmarked_questions(self):
        """No markers at all, but a good share of the body are questions: they alternate with answers."""
        self._demote_reported()
        qs = [i for i, m in enumerate(self.marks)
              if i not in self.reported and asks(m.text) and len(m.text.split()) >= 3]
        if qs:
            # "Here is the full text of the interview": what follows asks, with or without a question mark
            lead = next((i for i in range(qs[0]) if _LEAD_IN.search(self.marks[i].text)), None)
            if lead is not None and lead + 1 < qs[0]:
                qs = [lead + 1] + qs
            # right after a question, a block that asks only in reported speech answers ("Yes. … asked me: …?")
            qs = [i for k, i in enumerate(qs) if not (k and qs[k - 1] == i - 1 and _reported_question(self.marks[i].text))]
        if len(qs) < 3 or len(qs) < 0.25 * (len(self.marks) - qs[0]):
            return None
        out: list[tuple[str | None, str | None]] = []
        prev = None
        for i in range(len(self.marks)):
            if i in qs and prev != "question":
                out.append(("question", None))
            elif i < qs[0]:
                out.append(("intro", None))
            elif prev == "question" and i not in qs:
                out.append(("answer", None))
            else:
                out.append((None, None))
            prev = out[-1][0] or prev
        return out

    # -- building the turns -------------------------------------------------------------------

    def _heading(self, roles, i: int) -> bool:
        """A short line set apart (no final stop, or all in quotes) right above a question: a section heading."""
        text = self.blocks[i].text.strip()
        nxt = roles[i + 1][0] if i + 1 < len(roles) else None
        quoted = bool(re.fullmatch(r"[\"“‘«'].+[\"”’»']", text))
        return (roles[i][0] in (None, "intro") and self.marks[i].kind == "none" and nxt == "question" and i > 0
                and (quoted and len(text.split()) <= 16 or len(text.split()) <= 10 and re.search(r"[\w)]$", text) is not None)
                and not _LEAD_IN.search(text))

    def _build(self, roles) -> list[Turn]:
        turns: list[_Open] = []
        for i, ((role, speaker), m, block) in enumerate(zip(roles, self.marks, self.blocks)):
            if m.kind == "stage":  # "[تقرير مسجل]": says what happens, nobody says it
                self.dropped.append(Dropped(m.text, "stage direction", -1))
                continue
            if self._heading(roles, i):
                self.dropped.append(Dropped(block.text.strip(), "section heading", -1))
                continue
            text = m.text if m.kind != "none" else block.text.strip()
            if role == "intro":
                turns.append(_Open("intro", [_unbullet(text)] if text else [], speaker))  # a report has a speaker
            elif role is not None:
                turns.append(_Open(role, [text] if text else [], _speaker(speaker, m)))
            elif turns:
                if text:
                    # the text under a label that stood alone may open with a dash of its own ("س" / "ـ بداية، …")
                    turns[-1].parts.append(text if turns[-1].parts else _LEADING_DASH.sub("", text))
            else:
                turns.append(_Open("intro", [text], None))
        out: list[Turn] = []
        for t in turns:
            if not t.parts:
                self.dropped.append(Dropped(t.speaker or "", f"{t.role} label with no text after it", -1))
                continue
            out.append(Turn(len(out), t.role, "\n\n".join(t.parts), t.speaker))
        return out

    def _plain(self) -> list[Turn]:
        return [Turn(i, "paragraph", b.text.strip()) for i, b in enumerate(self.blocks)]


def _speaker(speaker: str | None, m: Marked) -> str | None:
    if speaker:
        return speaker
    return m.label if m.kind == "label" else None  # "Q:", "ج1." name a role, not a person


_LEADING_DASH = re.compile(r"^(?:ـ+|[-–—])\s+(?=\S)")


def _unbullet(text: str) -> str:
    m = DASH_MARK.match(text)
    return text[m.end():].strip() if m and len(text) > m.end() else text


def segment(blocks: list[Block], lang: str) -> tuple[list[Turn], list[Dropped], list[str]]:
    """Turns of a cleaned document, any markers dropped because no text followed them, and warnings
    (``roles uncertain: …`` where the evidence was too weak to decide who asks)."""
    return Segmenter(blocks, lang).segment()
