"""Re-aligning a stored article around its reviewed beads: one correction fixes the beads after it too.

Inside each turn bead, the sentence beads a reviewer touched (accepted, rejected, edited, or made by a merge,
split or move: :func:`reviewed`) are anchors (:mod:`mt.align.anchored`); the unreviewed beads between them are
aligned again, with the fitted values and the store's corpus lexicon after it has learnt the anchors. A
stretch whose new beads are the ones it has is left alone; the others are replaced, as one change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mt.align.anchored import Span, align_anchored, layout, meeting
from mt.align.scorers import DocPair
from mt.records import CorpusBead, HistoryEntry
from mt.text.sentences import turn_sentences


def reviewed(b: CorpusBead) -> bool:
    """A bead a person touched: its status set, or changed by an edit, merge, split or move (a version above 1)."""
    return b.status != "unreviewed" or b.version > 1


@dataclass(frozen=True)
class RealignPlan:
    en_id: str
    expected: dict[int, int]  # the beads it replaces, at the version read: a change since is a conflict
    anchors: dict[int, int]  # the reviewed beads it aligned around, likewise
    deletes: tuple[int, ...]
    upserts: tuple[CorpusBead, ...]
    changed: int  # beads of the new alignment that were not there before
    turns: int  # turns whose unreviewed beads were aligned again
    skipped: tuple[int, ...]  # turns left as they are: their beads no longer cover the turn's sentences in order

    @property
    def empty(self) -> bool:
        return not self.deletes and not self.upserts

    def line(self) -> str:
        s = "" if self.changed == 1 else "s"
        out = f"re-aligned the unreviewed beads of {self.turns} turn{'' if self.turns == 1 else 's'}: {self.changed} bead{s} changed"
        if self.skipped:
            n = len(self.skipped)
            out += f"; {n} turn{'' if n == 1 else 's'} left as {'it is' if n == 1 else 'they are'} (edited across sentences)"
        return out


def _spans(beads: list[CorpusBead], n: int, m: int) -> list[Span] | None:
    """Each bead's rectangle, if the beads cover the turn's sentences once each and in order (else None)."""
    out, i, j = [], 0, 0
    for b in beads:
        a, e = tuple(b.ar_index), tuple(b.en_index)
        if a != tuple(range(i, i + len(a))) or e != tuple(range(j, j + len(e))):
            return None
        out.append((i, i + len(a), j, j + len(e)))
        i, j = i + len(a), j + len(e)
    return out if (i, j) == (n, m) else None


def _inside(s: Span, box: Span) -> bool:
    return box[0] <= s[0] and s[1] <= box[1] and box[2] <= s[2] and s[3] <= box[3]


def _span_of(b, box: Span) -> Span:
    """A new bead's rectangle (an empty side sits at the box's start, which is inside it)."""
    return (min(b.src, default=box[0]), max(b.src, default=box[0] - 1) + 1, min(b.tgt, default=box[2]), max(b.tgt, default=box[2] - 1) + 1)


def plan_realign(store, en_id: str, aligner, *, turn: int | None = None, after: int | None = None,
                 every_turn: bool = False) -> RealignPlan:
    """What re-aligning ``en_id`` around its reviewed beads would change.

    By default only turns with a reviewed bead: turn beads are fixed, so a correction in one turn changes nothing
    in another, and a turn nobody touched was aligned by the same aligner (``every_turn``: all of them, as when
    the values changed). ``turn``: only that turn bead's sentences; ``after``: only the unreviewed beads right after
    bead ``after``, up to the next reviewed one (what a structural fix leaves to do)."""
    turns = {b.ordinal: b for b in store.beads(en_id, level="turn")}
    article = store.beads(en_id)
    by_turn: dict[int, list[CorpusBead]] = {}
    for b in article:
        if b.parent is not None:
            by_turn.setdefault(b.parent, []).append(b)
    if after is not None:
        after_bead = next((b for b in article if b.stored_id == after), None)
        turn = after_bead.parent if after_bead is not None else -1
    docs, anchors, only, keys, skipped = [], [], [], [], []
    for k in sorted(by_turn):
        tb = turns.get(k)
        if (turn is not None and k != turn) or tb is None or not (tb.ar.strip() and tb.en.strip()):
            continue
        beads = by_turn[k]
        if any(b.origin != "human" for b in beads):
            continue  # a synthetic article's Arabic was made sentence by sentence: nothing to align
        src, tgt = turn_sentences(tb.ar), turn_sentences(tb.en)
        spans = _spans(beads, len(src), len(tgt))
        if spans is None:
            skipped.append(k)
            continue
        if after is not None:
            # after one fix: the fixed bead and everything before it stay, and so does any bead with a status; a bead
            # the fix changed on the side (the neighbour a sentence was moved out of) is what is left to align
            cut = next(n for n, b in enumerate(beads) if b.stored_id == after)
            fixed = [s for n, (b, s) in enumerate(zip(beads, spans)) if n <= cut or b.status != "unreviewed"]
        else:
            fixed = [s for b, s in zip(beads, spans) if reviewed(b)]
        if not fixed and not every_turn and turn is None:
            continue
        free = [s for kind, s in layout(len(src), len(tgt), fixed) if kind == "free"]
        if after is not None:
            # the first stretch after the fixed bead: the unreviewed beads up to the next reviewed one
            here = next(s for b, s in zip(beads, spans) if b.stored_id == after)
            free = [s for s in free if s[0] >= here[1] and s[2] >= here[3]][:1]
        if not free:
            continue
        docs.append(DocPair(src, tgt, "ar", "en"))
        anchors.append(fixed)
        only.append(free)
        keys.append((k, tb, beads, spans, src, tgt))
    als = align_anchored(aligner, docs, anchors, only) if docs else []
    expected: dict[int, int] = {}
    anchors_seen: dict[int, int] = {}
    deletes: list[int] = []
    upserts: list[CorpusBead] = []
    changed = 0
    old_mt = {b.ar: (b.mt, b.mt_model) for b in article if b.mt is not None}
    order = {b.stored_id: n for n, b in enumerate(article)}
    for (k, tb, beads, spans, src, tgt), al, free in zip(keys, als, only):
        anchors_seen.update({b.stored_id: b.version for b in beads if reviewed(b)})
        for box in free:
            old_spans = [s for s in spans if _inside(s, box)]
            old = [b for b, s in zip(beads, spans) if _inside(s, box)]
            if not old:
                continue
            new = [b for b in al.beads if _inside(_span_of(b, box), box)]
            if after is not None and (met := meeting([_span_of(b, box) for b in new], old_spans)) is not None:
                # after one fix, only what the fix forces: the new beads up to where they meet the old ones again
                new, old = new[:met[0]], old[:met[1]]
            had = {(tuple(b.ar_index), tuple(b.en_index)) for b in old}
            now = [(tuple(b.src), tuple(b.tgt)) for b in new]
            if set(now) == had:
                continue
            changed += sum(1 for x in now if x not in had)
            deletes += [b.stored_id for b in old]
            expected.update({b.stored_id: b.version for b in old})
            # between the beads on either side of the stretch, in the article's order
            first, last = order[old[0].stored_id], order[old[-1].stored_id]
            lo = article[first - 1].pos if first > 0 else old[0].pos - 1.0
            hi = article[last + 1].pos if last + 1 < len(article) else old[-1].pos + 1.0
            for t, b in enumerate(new):
                ar = " ".join(src[i] for i in b.src)
                mt, mt_model = old_mt.get(ar, (None, old[0].mt_model))
                upserts.append(replace(old[0], id=None, version=1, ordinal=0, ar=ar, en=" ".join(tgt[j] for j in b.tgt),
                                       ar_index=tuple(b.src), en_index=tuple(b.tgt), parent=k, role=tb.role,
                                       score=b.score * tb.score, status="unreviewed", comment="", mt=mt, mt_model=mt_model,
                                       pos=lo + (hi - lo) * (t + 1) / (len(new) + 1)))
    return RealignPlan(en_id, expected, anchors_seen, tuple(deletes), tuple(upserts), changed, len(keys), tuple(skipped))


def realign(store, en_id: str, who: str, *, aligner=None, turn: int | None = None, after: int | None = None,
            params=None, every_turn: bool = False) -> tuple[RealignPlan, HistoryEntry | None]:
    """Re-align ``en_id`` around its reviewed beads and write it as one undoable ``realign`` change (none if nothing
    changes); the corpus lexicon learns the article before (its reviewed beads as gold, the rest by their probability:
    anchors alone taught less, eval/bench_effort.py) and again after."""
    from mt.align import Aligner
    from mt.align.memory import CorpusLexicon
    from mt.align.params import load_params
    from mt.errors import ConflictError

    memory = CorpusLexicon(store, "ar", "en")
    if aligner is None:
        memory.learn_article(en_id)
        aligner = Aligner(params or load_params(), prior=CorpusLexicon(store, "ar", "en"))
    plan = plan_realign(store, en_id, aligner, turn=turn, after=after, every_turn=every_turn)
    entry = None
    if not plan.empty:
        with store.atomic():  # the anchors checked and the change written as one: nobody's work lands in between
            moved = [i for i, v in plan.anchors.items() if (b := store.bead_or_none(i)) is None or b.version != v]
            if moved:
                raise ConflictError(f"bead {', '.join(map(str, moved))} changed while the article was re-aligned; "
                                    "nothing was changed: try again", [b for i in moved if (b := store.bead_or_none(i))])
            entry = store.apply_change(en_id, "realign", who, expected=plan.expected, upserts=list(plan.upserts),
                                       deletes=list(plan.deletes), note=plan.line())
    memory.learn_article(en_id)
    return plan, entry
