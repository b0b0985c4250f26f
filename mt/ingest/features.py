"""The evidence the fitted reader weighs, as named features of each piece of a page.

Some evidence is the piece's own (its marker, whether it asks or greets, its length, what sets it apart
from the piece before); some is the page's (which speaker's turns ask, whether the intro says who spoke
to whom, which dash asks, whether the labels stop, how the page marks turns at all). Page evidence is
folded into each piece's features, so a linear-chain model can weigh it: ``spk.top`` on a labelled
piece says its speaker is the one whose turns ask most. Feature names are data: the fitted values file
holds a weight per name and tag, and a name the values do not know weighs nothing.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from mt.ingest.markers import (
    ANSWER_OPENER,
    GREETING,
    INTERROGATIVE,
    LEAD_IN,
    SECOND_PERSON,
    Marked,
    asker_from_intro,
    asks,
    asks_given,
    ends_question,
    first_person,
    intro_role,
    is_request,
    named_in,
    reported_question,
    resolve_speakers,
    role_of_label,
)
from mt.ingest.pieces import Piece
from mt.text.arabic import to_western_digits
from mt.text.normalize import match_key

MARKED = ("q", "a", "label", "num", "dash", "bold")


@dataclass
class PageView:
    """What the whole page says, computed once: speakers and their evidence, marker kinds, the page's mode."""

    pieces: list[Piece]
    speaker: dict[int, str] = field(default_factory=dict)  # piece index -> speaker (labelled pieces)
    names: dict[str, str] = field(default_factory=dict)  # label -> speaker
    count: Counter = field(default_factory=Counter)  # speaker -> labelled pieces
    share: dict[str, float] = field(default_factory=dict)  # speaker -> share of their turns that ask
    top: str | None = None  # the speaker whose turns ask most (clearly)
    first_speaker: str | None = None
    intro_asker: str | None = None
    dash_share: dict[str, float] = field(default_factory=dict)
    dash_top: str | None = None
    num_seq: bool = False
    mode: str = "none"
    first_marked: int = 0
    last_label: int = -1
    side: dict[int, str] = field(default_factory=dict)  # marked piece -> Q | A | U: which side it likely marks
    sides: str = "none"  # which sides the page's markers mark: QA | Q | A | U | none
    hinted: dict[str, str] = field(default_factory=dict)  # speaker -> Q | A, from outside the talk (programme, byline)
    intro_said: dict[str, str] = field(default_factory=dict)  # speaker -> Q | A, what the intro says they did
    in_intro: set[str] = field(default_factory=set)  # speakers the intro names

    def uncertain(self) -> bool:
        """Two or more people speak and nothing on the page says which of them asks: no turn of theirs asks, no role
        word, no intro, programme or byline names the asker."""
        if self.mode != "spk" or self.intro_asker or self.intro_said or self.hinted or len(self.count) < 2:
            return False
        return not any(self.share.values()) and not any(role_of_label(lab) for lab in self.names)


def _turn_asks(pieces: list[Piece], i: int) -> bool:
    """Whether the turn a marker opens at piece ``i`` asks: its own text (the next piece's, for a label alone), or,
    after a short greeting ("Q: Thank you."), the piece after it."""
    own = pieces[i].m.text
    j = i
    if not own and i + 1 < len(pieces):
        j, own = i + 1, pieces[i + 1].text
    if asks(own):
        return True
    nxt = pieces[j + 1] if j + 1 < len(pieces) else None
    return (len(own.split()) <= 12 and nxt is not None and nxt.m.kind == "none" and nxt.brk in ("para", "line")
            and ends_question(nxt.text))


def demote_reported(pieces: list[Piece]) -> None:
    """A name used once, after the talk has gone on unlabelled (an unmarked piece that asks, answered by an unmarked
    one), of nobody who spoke before, is reported speech inside an answer ("المطلوب أمران: …", "she asked me: …"),
    not a speaker: its text is plain text again."""
    counts = Counter(p.m.label for p in pieces if p.m.kind == "label")
    names = resolve_speakers([p.m.label or "" for p in pieces if p.m.kind == "label"])
    seen: set[str] = set()
    unlabelled = False
    for i, p in enumerate(pieces):
        if p.m.kind == "label":
            who = names.get(p.m.label or "", p.m.label or "")
            if unlabelled and who not in seen and counts[p.m.label] == 1 and not role_of_label(p.m.label or ""):
                p.m = Marked(p.text, "none")
                continue
            seen.add(who)
        nxt = pieces[i + 1] if i + 1 < len(pieces) else None
        if (p.m.kind == "none" and asks(p.text) and nxt is not None and nxt.m.kind == "none" and not asks(nxt.text)
                and len(nxt.text.split()) >= 8):
            unlabelled = True


@dataclass(frozen=True)
class Hints:
    """Who asks and who answers according to the page outside the talk: a programme's presenter and guests, a byline."""

    askers: tuple[str, ...] = ()
    answerers: tuple[str, ...] = ()
    title: str = ""


def _same_person(a: str, b: str) -> bool:
    """Two spellings of one name: the same surname ("Tom Gjelten" / "MR. TOM GJELTEN", "AMANPOUR"), two words in
    common, or the same first name with surnames a letter or two apart ("ميشيل الكك" / "ميشيل الكيك"); a first
    name alone is shared by too many people (محمد)."""
    from difflib import SequenceMatcher

    wa, wb = match_key(a).split(), match_key(b).split()
    if not wa or not wb:
        return False
    if wa[-1] == wb[-1] and len(wa[-1]) >= 3:
        return True
    if len({w for w in wa if len(w) >= 3} & {w for w in wb if len(w) >= 3}) >= 2:
        return True
    return (len(wa) > 1 and len(wb) > 1 and wa[0] == wb[0]
            and SequenceMatcher(None, wa[-1], wb[-1]).ratio() >= 0.75)


def analyse(pieces: list[Piece], hints: Hints | None = None) -> PageView:
    demote_reported(pieces)
    v = PageView(pieces)
    labelled = [i for i, p in enumerate(pieces) if p.m.kind == "label"]
    v.names = resolve_speakers([pieces[i].m.label or "" for i in labelled])
    asked: dict[str, list[bool]] = defaultdict(list)
    for i in labelled:
        sp = v.names[pieces[i].m.label or ""]
        v.speaker[i] = sp
        v.count[sp] += 1
        asked[sp].append(_turn_asks(pieces, i))
    v.share = {sp: sum(a) / len(a) for sp, a in asked.items()}
    if labelled:
        v.first_speaker = v.speaker[labelled[0]]
        v.last_label = labelled[-1]
        ranked = sorted(v.share.items(), key=lambda kv: -kv[1])
        if ranked[0][1] > 0 and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            v.top = ranked[0][0]
        intro = " ".join(p.text for p in pieces[: labelled[0]])
        v.intro_asker = asker_from_intro(intro, list(dict.fromkeys(v.speaker.values()))) if len(v.count) >= 2 else None
        for sp in v.count:
            said = intro_role(intro, sp)
            if said:
                v.intro_said[sp] = said
            if named_in(intro + " " + (hints.title if hints else ""), sp):
                v.in_intro.add(sp)
    dashes: dict[str, list[bool]] = defaultdict(list)
    for i, p in enumerate(pieces):
        if p.m.kind == "dash":
            dashes[p.m.label or "-"].append(_turn_asks(pieces, i))
    v.dash_share = {d: sum(a) / len(a) for d, a in dashes.items()}
    if len(dashes) >= 2:
        ranked = sorted(v.dash_share.items(), key=lambda kv: -kv[1])
        v.dash_top = ranked[0][0] if ranked[0][1] > ranked[1][1] else None
    nums = [int(to_western_digits(p.m.label or "0")) for p in pieces if p.m.kind == "num"]
    v.num_seq = len(nums) >= 2 and nums[0] <= 2 and all(b == a + 1 for a, b in zip(nums, nums[1:]))
    kinds = Counter(p.m.kind for p in pieces)
    if kinds["q"] + kinds["a"] >= 1:
        v.mode = "q"
    elif sum(v.count.values()) >= 2:
        v.mode = "spk"
    elif v.num_seq:
        v.mode = "num"
    elif kinds["dash"] >= 2:
        v.mode = "dash"
    elif kinds["bold"] >= 1:
        v.mode = "bold"
    # where the talk begins: the first marker of the kind the page marks its turns with (summary bullets above "Q:"
    # turns are intro), or with no markers, the first piece that asks
    main = {"q": ("q", "a"), "spk": ("label", "a", "q"), "num": ("num",), "dash": ("dash",), "bold": ("bold",)}.get(v.mode, ())
    v.first_marked = next((i for i, p in enumerate(pieces) if p.m.kind in main), len(pieces))
    if v.first_marked == len(pieces):
        v.first_marked = next((i for i, p in enumerate(pieces) if asks(p.text)), len(pieces))
    hints = hints or Hints()
    for sp in v.count:
        if any(_same_person(sp, h) for h in hints.askers):
            v.hinted[sp] = "Q"
        elif any(_same_person(sp, h) for h in hints.answerers):
            v.hinted[sp] = "A"
    v.side = {i: _side(v, i, kinds) for i, p in enumerate(pieces) if p.m.kind in MARKED}
    _opposite(v)
    present = set(v.side.values()) - {"U"}
    v.sides = "QA" if present == {"Q", "A"} else present.pop() if present else ("U" if v.side else "none")
    return v


def _identity(v: PageView, i: int) -> tuple:
    m = v.pieces[i].m
    if m.kind == "label":
        return ("label", v.speaker.get(i))
    if m.kind == "dash":
        return ("dash", m.label)
    return (m.kind,)


def _strong(v: PageView, i: int) -> bool:
    """A side the page states (a role marker or label, a programme's presenter, the intro), not one guessed from asking."""
    m = v.pieces[i].m
    sp = v.speaker.get(i)
    return (m.kind in ("q", "a") or bool(role_of_label(m.label or "")) if m.kind != "label" else
            bool(role_of_label(m.label or "")) or sp in v.hinted or sp in v.intro_said or v.intro_asker is not None)


def _opposite(v: PageView) -> None:
    """Two kinds of marker on a page, one whose side the page states: the other marks the other side."""
    ids: dict[tuple, list[int]] = defaultdict(list)
    for i in v.side:
        ids[_identity(v, i)].append(i)
    if len(ids) != 2:
        return
    (a, ia), (b, ib) = ids.items()
    for known, other in ((ia, ib), (ib, ia)):
        if _strong(v, known[0]) and not _strong(v, other[0]) and v.side[known[0]] in ("Q", "A"):
            flip = "A" if v.side[known[0]] == "Q" else "Q"
            for i in other:
                v.side[i] = flip
            return


def _side(v: PageView, i: int, kinds: Counter) -> str:
    """Which side a marker likely marks, from the page's evidence alone (the model weighs it as one feature)."""
    m = v.pieces[i].m
    if m.kind in ("q", "bold"):
        return "Q"
    if m.kind == "a":
        return "A"
    if m.kind == "num":
        return "Q" if v.num_seq else "U"
    if m.kind == "dash":
        d = m.label or "-"
        if v.dash_top:
            return "Q" if d == v.dash_top else "A"
        if len(v.dash_share) == 1 and sum(p.m.kind == "dash" for p in v.pieces) >= 2:
            return "Q" if v.dash_share[d] >= 0.5 else "A"
        return "U"
    role = role_of_label(m.label or "")
    if role:
        return "Q" if role == "question" else "A"
    sp = v.speaker.get(i)
    if sp in v.hinted:
        return v.hinted[sp]
    if v.intro_asker:
        return "Q" if sp == v.intro_asker else "A"
    if sp in v.intro_said:
        return v.intro_said[sp]
    stated = {o: s for o, s in {**v.intro_said, **v.hinted}.items() if o != sp}
    if "Q" in stated.values():
        return "A"  # the page names who asks, and it is someone else
    if list(stated.values()) == ["A"] and len(v.count) == 2:
        return "Q"
    if kinds["q"] and not kinds["a"]:
        return "A"  # "Q:" marks the questions: a named speaker answers
    if kinds["a"] and not kinds["q"]:
        return "Q"  # "ج:" marks the answers: a named speaker asks
    if v.top:
        return "Q" if sp == v.top else "A"
    return "U"


_INNER_QUESTION = re.compile(r"[.!?؟…]\s+(?:and |but |so )?(?:what|why|how|when|where|who|which|do|does|did|is|are|can|could|would|will)\b"
                             r"|[.!?؟…]\s+[وف]?(?:ما|ماذا|لماذا|كيف|متى|أين|هل|أي|كم)\s", re.I)


def _len_bucket(n: int) -> str:
    for limit, name in ((0, "0"), (3, "1-3"), (8, "4-8"), (20, "9-20"), (60, "21-60")):
        if n <= limit:
            return name
    return "61+"


def _end(text: str, endq: bool | None = None) -> str:
    t = text.rstrip().rstrip("\"'”’»)]").rstrip()
    if not t:
        return "none"
    if ends_question(text) if endq is None else endq:
        return "q"
    c = t[-1]
    if t.endswith(("..", "…")):
        return "dots"
    return {".": "stop", "!": "excl", ":": "colon", "؛": "open", ";": "open", ",": "open", "،": "open"}.get(c, "open")


@dataclass(frozen=True)
class Cues:
    """What one text says, computed once however many features and pieces read it."""

    words: int
    end: str
    asks: bool  # asks, and not only in reported speech
    endq: bool
    endq_raw: bool  # ends in a question mark, reported speech or not
    reported: bool  # asks only in reported speech ("she asked me: …?")
    request: bool
    interrog: bool
    q_inside: bool
    interrog_inside: bool
    greet: bool
    ansopen: bool
    you: bool
    i: bool
    leadin: bool


@lru_cache(maxsize=4096)
def cues(text: str) -> Cues:
    t = text.strip()
    words = t.split()
    endq_raw = ends_question(t)
    request = is_request(t)
    interrog = bool(INTERROGATIVE.match(t))
    raw_asks = asks_given(t, endq_raw, len(words), request, interrog)
    reported = (raw_asks or endq_raw) and reported_question(t)  # only what asks can ask in reported speech
    return Cues(
        words=len(words), end=_end(t, endq_raw), asks=raw_asks and not reported, endq=endq_raw and not reported,
        endq_raw=endq_raw, reported=reported and raw_asks, request=request, interrog=interrog,
        q_inside="?" in t[:-2] or "؟" in t[:-2], interrog_inside=bool(_INNER_QUESTION.search(t)),
        greet=bool(GREETING.search(" ".join(words[:14]))), ansopen=bool(ANSWER_OPENER.match(t)),
        you=bool(SECOND_PERSON.search(t)), i=first_person(t),
        leadin=len(words) <= 60 and bool(LEAD_IN.search(t)),  # a lead-in is one short sentence
    )


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _share(x: float) -> str:
    return "zero" if x == 0 else "lo" if x < 0.34 else "mid" if x < 0.67 else "hi"


def features(pieces: list[Piece], view: PageView | None = None) -> list[list[str]]:
    """The named features of each piece."""
    v = view or analyse(pieces)
    n = len(pieces)
    out: list[list[str]] = []
    prev_label: dict[int, str | None] = {}
    last_sp: str | None = None
    for i in range(n):
        prev_label[i] = last_sp
        if i in v.speaker:
            last_sp = v.speaker[i]
    own = [cues(p.m.text if p.m.kind in MARKED else p.text) for p in pieces]
    piece_keys = [_key(p.text) for p in pieces]
    keys = Counter(piece_keys)
    back_side: list[int | None] = []  # the nearest marked piece before each piece, and after it
    last: int | None = None
    for i in range(n):
        back_side.append(last)
        if i in v.side:
            last = i
    ahead_side: list[int | None] = [None] * n
    last = None
    for i in range(n - 1, -1, -1):
        ahead_side[i] = last
        if i in v.side:
            last = i
    prev_dash: str | None = None
    mode = v.mode
    for i, p in enumerate(pieces):
        m = p.m
        c = own[i]
        words = c.words
        kind = m.kind
        f = ["bias", f"mode={mode}", f"mk={kind}", f"brk={p.brk}", f"mk={kind}&brk={p.brk}", f"len={_len_bucket(words)}",
             f"end={c.end}", f"mk={kind}&mode={mode}"]
        if m.alone:
            f += ["alone", f"mk={kind}&alone"]
        if m.form:
            f.append(f"form={m.form.split(':')[0]}")
        if p.gap >= 2:
            f.append("gap2")
        if p.kind != "p":
            f.append(f"blockkind={p.kind}")
        a = c.asks  # "she asked me: …?" tells of a question, it does not ask one
        if a:
            f += ["asks", f"asks&mk={kind}", f"asks&mode={mode}", f"asks&brk={p.brk}"]
        if c.endq:
            f += ["endq", f"endq&mk={kind}"]
        elif a:
            f.append("asks_unmarked_q")
        if c.request:
            f.append("request")
        if c.interrog:
            f.append("interrog")
        if c.q_inside:
            f.append("q_inside")
        if c.interrog_inside:
            f.append("interrog_inside")
        if c.reported:
            f.append("reported")
        if c.greet:
            f.append("greet")
        if c.ansopen:
            f += ["ansopen", f"ansopen&mode={mode}"]
        if c.you:
            f.append("you")
        if c.i:
            f.append("i")
        if c.leadin:
            f.append("leadin")
        if words <= 10 and c.end in ("open", "none") and not a:
            f += ["headingish", f"headingish&mode={mode}"]
        if words >= 2 and keys[piece_keys[i]] >= 2:
            f.append("dup")
        if i == 0:
            f.append("pos=first")
        if i == n - 1 and c.end == "open" and c.interrog:
            # where an excerpt stops says nothing of who speaks there, unless a question stops in the middle
            f.append("cut&interrog")
        zone = "pre" if i < v.first_marked else "post"
        f += [f"zone={zone}", f"zone={zone}&mk={kind}", f"zone={zone}&mode={mode}"]
        if a:
            f.append(f"asks&zone={zone}")
        if kind == "none":
            f += [f"none&brk={p.brk}&mode={mode}"]
            if a:
                f.append(f"none&asks&mode={mode}")
            if v.last_label >= 0 and i > v.last_label:
                f += ["after_labels", f"after_labels&asks={a}"]
        # the piece before and after
        if i > 0:
            pp = pieces[i - 1]
            pc = own[i - 1]
            f += [f"prev.mk={pp.m.kind}", f"prev.end={pc.end}"]
            if pc.asks or pc.reported:
                f += ["prev.asks", f"prev.asks&brk={p.brk}", f"prev.asks&mk={kind}", f"prev.asks&sides={v.sides}"]
                if c.ansopen:
                    f.append("prev.asks&ansopen")  # "Yes. …" right after a question: an answer, marked or not
            if pp.m.alone:
                f += ["prev.alone", f"prev.alone={pp.m.kind}"]
            if pc.leadin or pc.end == "colon":
                f.append("prev.leadin")
            if pc.you:
                f += ["prev.you", f"prev.you&brk={p.brk}"]
            if pc.i:
                f += ["prev.i", f"prev.i&brk={p.brk}"]
            if pc.end == "open" and p.brk in ("line", "wrap"):
                f.append("prev.open&linebreak")
        if i + 1 < n:
            nx = pieces[i + 1]
            f += [f"next.mk={nx.m.kind}"]
            if own[i + 1].endq_raw:
                f.append("next.endq")
            if m.alone:
                f.append(f"alone&next.mk={nx.m.kind}")
        # which side the page's markers mark, around this piece
        f.append(f"sides={v.sides}&mk={'none' if m.kind not in MARKED else 'marked'}")
        if i in v.side:
            f += [f"side={v.side[i]}", f"side={v.side[i]}&mk={m.kind}", f"side={v.side[i]}&sides={v.sides}"]
        else:
            back, ahead = back_side[i], ahead_side[i]
            ps_ = v.side[back] if back is not None else "none"
            ns_ = v.side[ahead] if ahead is not None else "none"
            dist = "1" if back == i - 1 else "2+" if back is not None else "-"
            f += [f"prevside={ps_}", f"prevside={ps_}&dist={dist}", f"nextside={ns_}", f"prevside={ps_}&nextside={ns_}",
                  f"prevside={ps_}&asks={a}", f"sides={v.sides}&asks={a}"]
            if ahead == i + 1:
                f.append(f"nextside={ns_}&adjacent")
        # speakers
        if m.kind == "label":
            sp = v.speaker.get(i)
            role = role_of_label(m.label or "")
            cnt = v.count.get(sp or "", 0)
            f += [f"spk.n={min(cnt, 3)}", f"spk.share={_share(v.share.get(sp or '', 0.0))}", f"spk.nspk={min(len(v.count), 3)}"]
            if role:
                f.append(f"spk.role={role}")
            if v.top:
                f.append("spk.top" if sp == v.top else "spk.nottop")
            if sp == v.first_speaker:
                f.append("spk.first")
            if v.intro_asker:
                f.append("spk.intro_asker" if sp == v.intro_asker else "spk.intro_other")
            if sp in v.hinted:
                f.append(f"spk.hinted={v.hinted[sp]}")
            if sp in v.intro_said:
                f.append(f"spk.intro_said={v.intro_said[sp]}")
            if sp in v.in_intro:
                f.append("spk.in_intro")
            if prev_label[i] is not None:
                f.append("spk.same_prev" if prev_label[i] == sp else "spk.other_prev")
            if len(v.count) == 1:
                f.append("spk.only")
            if m.form:
                f.append(f"spk.form={m.form}")
        if m.kind == "dash":
            d = m.label or "-"
            f += [f"dash.share={_share(v.dash_share.get(d, 0.0))}", f"dash.kinds={min(len(v.dash_share), 2)}"]
            if v.dash_top:
                f.append("dash.top" if d == v.dash_top else "dash.nottop")
            if prev_dash is not None:
                f.append("dash.same_prev" if prev_dash == d else "dash.other_prev")
            prev_dash = d
        if m.kind == "num":
            f.append("num.seq" if v.num_seq else "num.loose")
        out.append(f)
    return out
