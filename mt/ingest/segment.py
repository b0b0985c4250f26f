"""Turn segmentation: which blocks are intro, questions and answers.

Interviews mark turns in many ways (``Q:``, ``س1.``, ``السؤال الأول:``, speaker names then initials,
dialogue dashes, bold questions). We find every block's marker, pick the scheme the document uses,
and let evidence (which group of turns ends in ``?``/``؟``) decide who asks, not position or site.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from mt.ingest.readers import Block
from mt.records import Dropped, Turn

# after a marker: a colon, "..", a tatweel run, or . ) - followed by a space ("A-levels", "Q.E.D." are not markers)
_SEP = r"(?:\s*[:：]\s*|\s*\.\.\s*|\s*[.)\-–—]\s+|\s*ـ+\s*)"
_ORDINALS_EN = r"one|two|three|four|five|six|seven|eight|nine|ten|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final"
_ORDINALS_AR = (
    r"(?:ال)?(?:أول|اول|أولى|ثاني|ثانية|ثالث|ثالثة|رابع|رابعة|خامس|خامسة|سادس|سادسة|سابع|سابعة|ثامن|ثامنة|"
    r"تاسع|تاسعة|عاشر|عاشرة|أخير|اخير|أخيرة|اخيرة)(?:\s+عشر)?"
)
_NUM = r"(?:\s*[\d٠-٩]{1,2})?"
Q_MARK = re.compile(
    rf"^(?P<label>Q[\d]{{0,2}}|(?i:question){_NUM}(?:\s+(?i:{_ORDINALS_EN}))?|س[\d٠-٩]{{0,2}}|(?:سؤال|السؤال){_NUM}(?:\s+{_ORDINALS_AR})?){_SEP}"
)
A_MARK = re.compile(rf"^(?P<label>A[\d]{{0,2}}|(?i:answer){_NUM}|ج[\d٠-٩]{{0,2}}|(?:جواب|الجواب){_NUM}){_SEP}")
DASH_MARK = re.compile(r"^(?P<label>ـ{2,}|[-–—](?=\s)|[•·▪●■◾►*](?=\s?\S))\s*")
LABEL = re.compile(r"^(?P<label>[^\s:：][^:：\n]{0,48}?)\s*[:：]\s*")
_PARTICLES = {"al", "el", "bin", "ibn", "abu", "abd", "de", "van", "von", "der", "le", "la", "da", "bint", "umm", "abou"}
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
_QEND = re.compile(r"[?؟]\s*[\"'”’»)\]]*\s*$")


def ends_question(text: str) -> bool:
    return bool(_QEND.search(text))


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


def mark(block: Block, lang: str) -> Marked:
    text = block.text.strip()
    for kind, pattern in (("q", Q_MARK), ("a", A_MARK)):
        m = pattern.match(text)
        if m:
            rest = text[m.end():].strip()
            return Marked(rest, kind, m.group("label").strip(), alone=not rest)
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
        self.dropped: list[Dropped] = []

    def segment(self) -> tuple[list[Turn], list[Dropped]]:
        roles = self._scheme()
        if roles is None:
            return self._plain(), self.dropped
        return self._build(roles), self.dropped

    # -- choosing the scheme ------------------------------------------------------------------

    def _scheme(self) -> list[tuple[str | None, str | None]] | None:
        """Per block: (role that starts here or None for continuation, speaker), or None when not an interview."""
        if any(m.kind == "q" for m in self.marks):
            return self._explicit()
        for candidate in (self._speaker_roles, self._dash_roles, self._bold_roles, self._unmarked_questions):
            roles = candidate()
            if roles is not None:
                return roles
        return None

    def _dash_roles(self):
        dashes = Counter(m.label for m in self.marks if m.kind == "dash")
        if sum(dashes.values()) < 2:
            return None
        if len(dashes) >= 2:
            groups = [{i for i, m in enumerate(self.marks) if m.kind == "dash" and m.label == d} for d, _ in dashes.most_common(2)]
            return self._two_groups(groups)
        return self._one_group({i for i, m in enumerate(self.marks) if m.kind == "dash"})

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
        for m in self.marks:
            if m.kind == "q" or (state and m.kind == "bold" and ends_question(m.text)):
                out.append(("question", m.label))
                state, awaiting_text = "question", m.alone
            elif state and m.kind in ("a", "label") and answers_marked:
                out.append(("answer", who.get(m.label or "", m.label) if m.kind == "label" else m.label))
                state = "answer"
            elif state is None:
                out.append(("intro", None))
            elif state == "question" and not answers_marked and not awaiting_text:
                out.append(("answer", None))
                state = "answer"
            else:
                out.append((None, None))
                awaiting_text = False
        for i, (role, _) in enumerate(out):
            if role is None and self.marks[i].kind in ("a", "label", "dash", "bold"):
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
        for i, m in enumerate(self.marks):
            sp = who.get(m.label or "") if m.kind in ("label", "a") and (m.label or "") in who else None
            if sp in recurring:
                out.append(("question" if sp == asker else "answer", sp))
            else:
                out.append(("intro", None) if i < first else (None, None))
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
        qs = [i for i, m in enumerate(self.marks) if ends_question(m.text) and len(m.text.split()) >= 3]
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

    def _build(self, roles) -> list[Turn]:
        turns: list[_Open] = []
        for (role, speaker), m, block in zip(roles, self.marks, self.blocks):
            text = m.text if m.kind != "none" else block.text.strip()
            if role == "intro":
                turns.append(_Open("intro", [_unbullet(text)] if text else [], None))
            elif role is not None:
                turns.append(_Open(role, [text] if text else [], _speaker(speaker, m)))
            elif turns:
                if text:
                    turns[-1].parts.append(text)
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
    if m.kind in ("q", "a", "label"):
        return m.label
    return None


def _unbullet(text: str) -> str:
    m = DASH_MARK.match(text)
    return text[m.end():].strip() if m and len(text) > m.end() else text


def segment(blocks: list[Block], lang: str) -> tuple[list[Turn], list[Dropped]]:
    """Turns of a cleaned document, and any markers dropped because no text followed them."""
    return Segmenter(blocks, lang).segment()
