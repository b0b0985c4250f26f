"""Carrying reviewed work from an earlier version of an article to its new version (a corrected file, ingested again).

The history is the record of the work. Changes that touched the same beads (a merge and the edit after it,
a move between two beads) form one piece of :class:`Work`: the beads as aligned before it and as the
reviewers left them. A piece is carried when the new version's alignment holds the same text, on the same
bead boundaries, as the piece's beads before the work (whitespace aside): those new beads are replaced by
copies of the reviewed ones. Every other piece is *stranded*: kept, listed, and the reviewer reapplies it
(onto the beads whose text is now most like it) or discards it. Nothing is deleted either way.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

from mt.errors import InputError
from mt.records import CorpusBead, HistoryEntry
from mt.review.merge import Merge, merge3


@dataclass(frozen=True)
class Work:
    """One piece of reviewed work on an earlier version: the beads it touched as aligned and as left."""

    old_en_id: str
    bead_ids: tuple[int, ...]
    entries: tuple[int, ...]  # the history entries that did it (none for a status set outside the app)
    who: tuple[str, ...]
    actions: tuple[str, ...]
    original: tuple[CorpusBead, ...]  # in article order
    final: tuple[CorpusBead, ...]

    @property
    def key(self) -> str:
        return f"{self.old_en_id}:{','.join(map(str, sorted(self.bead_ids)))}"

    def describe(self) -> str:
        what = "+".join(dict.fromkeys(self.actions)) or "status"
        by = ", ".join(dict.fromkeys(self.who)) or "a reviewer"
        text = _squash(" ".join(b.en for b in self.original) or " ".join(b.ar for b in self.original))
        return f"{what} by {by} on “{text[:60]}{'…' if len(text) > 60 else ''}”"


@dataclass(frozen=True)
class Placed:
    work: Work  # for a merged piece, its final beads are the merged ones
    run: tuple[CorpusBead, ...]  # the new version's beads it replaces
    merged: bool = False  # the text was corrected under it: the work was merged into the corrected text


@dataclass(frozen=True)
class Stranded:
    work: Work
    reason: str


@dataclass(frozen=True)
class CarryPlan:
    placed: tuple[Placed, ...]
    stranded: tuple[Stranded, ...]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _content(b: CorpusBead) -> tuple:
    return _squash(b.ar), _squash(b.en), b.status, b.comment


def reviewed_work(current: list[CorpusBead], history: list[HistoryEntry]) -> list[Work]:
    """The pieces of work the history (and any status set without it) did on one article's sentence beads."""
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    original: dict[int, CorpusBead] = {}
    seen: set[int] = set()
    entries_of: dict[int, list[HistoryEntry]] = {}
    for h in history:
        ids = [d["id"] for d in h.before] + [d["id"] for d in h.after]
        for d in h.before:
            if d["id"] not in seen:
                original[d["id"]] = CorpusBead.from_dict(d)  # as the aligner left it: its first appearance is before any change
        seen.update(ids)
        for i in ids[1:]:
            parent[find(i)] = find(ids[0])
        if ids:
            entries_of.setdefault(ids[0], []).append(h)
    groups: dict[int, set[int]] = {}
    for i in seen:
        groups.setdefault(find(i), set()).add(i)
    by_root_entries: dict[int, list[HistoryEntry]] = {}
    for first, hs in entries_of.items():
        by_root_entries.setdefault(find(first), []).extend(hs)
    now = {b.stored_id: b for b in current if b.level == "sentence"}
    out = []
    for root, members in groups.items():
        hs = sorted(by_root_entries.get(root, []), key=lambda h: h.id)
        orig = sorted((original[i] for i in members if i in original), key=lambda b: b.pos)
        final = sorted((now[i] for i in members if i in now), key=lambda b: b.pos)
        if [_content(b) for b in orig] == [_content(b) for b in final]:
            continue  # undone, or back where it started: nothing to carry
        out.append(Work(current[0].en_id if current else hs[0].en_id, tuple(sorted(members)), tuple(h.id for h in hs),
                        tuple(h.who for h in hs), tuple(h.action for h in hs), tuple(orig), tuple(final)))
    # reviews recorded without the app's history (a status set by a script): one bead each
    for nb in now.values():
        if nb.stored_id not in seen and (nb.status != "unreviewed" or nb.comment):
            out.append(Work(nb.en_id, (nb.stored_id,), (), (), (), (replace(nb, status="unreviewed", comment=""),), (nb,)))
    return sorted(out, key=lambda w: w.original[0].pos if w.original else (w.final[0].pos if w.final else 0.0))


def _runs(beads: list[CorpusBead], ar: str, en: str, width: int) -> list[int]:
    """Starts of runs of ``width`` beads whose joined sides equal ``ar`` and ``en``."""
    out = []
    for i in range(len(beads) - width + 1):
        run = beads[i:i + width]
        if _squash(" ".join(b.ar for b in run)) == ar and _squash(" ".join(b.en for b in run)) == en:
            out.append(i)
    return out


def _find_run(beads: list[CorpusBead], work: Work, used: set[int], where: float) -> tuple[CorpusBead, ...] | None:
    """The beads holding exactly the work's original text, on the same boundaries; the nearest one if several do."""
    ar = _squash(" ".join(b.ar for b in work.original))
    en = _squash(" ".join(b.en for b in work.original))
    # the new alignment may cut the same text into more or fewer beads: any run of up to a few more beads
    starts = [(i, w) for w in range(1, len(work.original) + 3) for i in _runs(beads, ar, en, w)]
    starts = [(i, w) for i, w in starts if not any(b.stored_id in used for b in beads[i:i + w])]
    if not starts:
        return None
    n = max(len(beads), 1)
    i, w = min(starts, key=lambda s: (abs(s[0] / n - where), s[1]))
    return tuple(beads[i:i + w])


ALIKE = 0.9  # how alike a corrected run must be to take reviewed work by itself (below, a person reapplies it)


def _merge_onto(beads: list[CorpusBead], w: Work, used: set[int]) -> Placed | str:
    """The work merged into the corrected text of the run most like it, when that is safe to do unasked: as many beads
    as the work was done on, nearly the same text, and no place where the correction and the work changed the same
    words. Otherwise the reason it is left to a person."""
    missing = "the text it was done on is not in the new version as it was aligned"
    if not w.final:
        return missing
    run, likeness = best_run(beads, w)
    if not run or likeness < ALIKE or len(run) != len(w.original) or any(b.stored_id in used for b in run):
        return missing
    merges = merge_work(w, run)
    if not all(m.clean for m in merges.values()):
        return (f"{missing}: the correction and the review changed the same words ({sum(m.conflicts for m in merges.values())}"
                " place(s)); reapply it and choose")
    return Placed(replace(w, final=tuple(reapplied(w, merged_texts(merges, len(w.final))))), run, merged=True)


def plan_carry(new: list[CorpusBead], old: list[CorpusBead], history: list[HistoryEntry],
               skip: frozenset[str] | set[str] = frozenset()) -> CarryPlan:
    """Where each piece of work on the earlier version (``old``, ``history``) lands in the new version's beads."""
    beads = sorted((b for b in new if b.level == "sentence"), key=lambda b: b.pos)
    spots = sorted(b.pos for b in old if b.level == "sentence")
    placed: list[Placed] = []
    stranded: list[Stranded] = []
    used: set[int] = set()
    for w in reviewed_work(old, history):
        if w.key in skip:
            continue
        if not w.original:
            stranded.append(Stranded(w, "it made new beads only; there is no aligned text to match"))
            continue
        # where the work was, as a share of the article: the beads it was done on may be gone (merged away)
        where = sum(1 for p in spots if p < w.original[0].pos) / max(len(spots), 1)
        run = _find_run(beads, w, used, where)
        if run is None:
            onto = _merge_onto(beads, w, used)
            if isinstance(onto, str):
                stranded.append(Stranded(w, onto))
                continue
            used.update(b.stored_id for b in onto.run)
            placed.append(onto)
            continue
        used.update(b.stored_id for b in run)
        placed.append(Placed(w, run))
    return CarryPlan(tuple(placed), tuple(stranded))


def landing(work: Work, run: tuple[CorpusBead, ...], after: CorpusBead | None) -> list[CorpusBead]:
    """Copies of the work's reviewed beads, ready to take the place of ``run`` (new ids, the new article's order)."""
    first = run[0]
    top = after.pos if after is not None else run[-1].pos + 1
    step = (top - first.pos) / max(len(work.final), 1)

    def shift(index: tuple[int, ...], old: tuple[int, ...], new: tuple[int, ...]) -> tuple[int, ...]:
        d = (new[0] - old[0]) if old and new else 0
        return tuple(i + d for i in index)

    o = work.original[0]
    return [replace(b, id=None, version=1, en_id=first.en_id, ar_id=first.ar_id, parent=first.parent, pos=first.pos + k * step,
                    ar_index=shift(b.ar_index, o.ar_index, first.ar_index), en_index=shift(b.en_index, o.en_index, first.en_index))
            for k, b in enumerate(work.final)]


def _both_sides(beads) -> str:
    return _squash(" ".join(b.en + " " + b.ar for b in beads))


def best_run(beads: list[CorpusBead], work: Work) -> tuple[tuple[CorpusBead, ...], float]:
    """The run of beads whose text is most like the work's original text, and how alike (0–1), for reapplying."""
    target = _both_sides(work.original)
    best: tuple[tuple[CorpusBead, ...], float] = ((), 0.0)
    for w in range(1, len(work.original) + 3):
        for i in range(len(beads) - w + 1):
            run = tuple(beads[i:i + w])
            m = difflib.SequenceMatcher(None, target, _both_sides(run), autojunk=False)
            if m.real_quick_ratio() <= best[1] or m.quick_ratio() <= best[1]:
                continue
            r = m.ratio()
            if r > best[1]:
                best = (run, r)
    return best


@dataclass(frozen=True)
class CarryResult:
    old_en_id: str
    carried: tuple[Work, ...]
    stranded: tuple[Stranded, ...]


def carry_over(store, new_en_id: str) -> CarryResult | None:
    """Carry the reviewed work of the latest earlier version with any to ``new_en_id`` (just aligned, not yet reviewed).

    Each carried piece is one ``carry`` change in the new version's history (undoable like any other);
    the rest is listed as stranded. The earlier version is left exactly as it was.
    """
    old_id = next((v for v in reversed(store.earlier_versions(new_en_id)) if store.reviewed(v)), None)
    if old_id is None:
        return None
    plan = plan_carry(store.beads(new_en_id), store.beads(old_id), store.history(old_id), store.resolved_stranded_keys(old_id))
    beads = store.beads(new_en_id)
    after = {b.stored_id: (beads[k + 1] if k + 1 < len(beads) else None) for k, b in enumerate(beads)}
    v_old, v_new = len(store.earlier_versions(old_id)) + 1, len(store.earlier_versions(new_en_id)) + 1
    with store.atomic():  # all carried and the rest listed, or nothing: an interrupted run redoes it all
        for p in plan.placed:
            note = (f"{_who_did_what(p.work)} on version {v_old} ({old_id}), carried to version {v_new}"
                    + (" (merged into the corrected text)" if p.merged else "")
                    + (f": changes {', '.join(f'#{e}' for e in p.work.entries)}" if p.work.entries else ""))
            store.apply_change(new_en_id, "carry", _carrier(store, old_id, p.work), expected={b.stored_id: b.version for b in p.run},
                               upserts=landing(p.work, p.run, after[p.run[-1].stored_id]),
                               deletes=[b.stored_id for b in p.run], note=note)
        store.record_stranded(new_en_id, old_id, [(list(s.work.bead_ids), list(s.work.entries), [asdict(b) for b in s.work.original],
                                                   [asdict(b) for b in s.work.final], s.reason) for s in plan.stranded])
    return CarryResult(old_id, tuple(p.work for p in plan.placed), plan.stranded)


def _who_did_what(work: Work) -> str:
    """``edit by Rana, accept by Omar``: each person's own actions, in the order they were first done."""
    if not work.actions:
        return "a review recorded outside the app"
    done: dict[str, list[str]] = {}
    for action, who in zip(work.actions, work.who):
        done.setdefault(who, [])
        if action not in done[who]:
            done[who].append(action)
    return ", ".join(f"{' and '.join(acts)} by {who}" for who, acts in done.items())


def _carrier(store, old_id: str, work: Work) -> str:
    """Who a carried change is recorded as: whoever approved or rejected the beads (so that their own later edit
    keeps the approval), else everyone who worked on them."""
    approvers = {store.status_setter(old_id, b.stored_id) for b in work.final if b.status in ("accepted", "rejected")} - {None}
    if len(approvers) == 1:
        return approvers.pop()
    return ", ".join(dict.fromkeys(work.who)) or "mt"


BOUND = "\u2029"  # where one of the reviewer's beads ends, carried through the merge (white space to the tokenizer)


def merge_work(work: Work, run: Sequence[CorpusBead]) -> dict[str, Merge]:
    """Per side, the reviewer's work (as aligned → as left) merged with the text the beads have now (``run``).

    The reviewer's bead boundaries ride along as a separator only their side has, so the merged text splits back
    into their beads."""
    out = {}
    for side in ("en", "ar"):
        base = " ".join(getattr(b, side) for b in work.original)
        mine = f" {BOUND} ".join(getattr(b, side) for b in work.final)
        out[side] = merge3(base, mine, " ".join(getattr(b, side) for b in run))
    return out


def merged_texts(merges: dict[str, Merge], n: int, choices: dict[str, list[str]] | None = None) -> list[dict[str, str]]:
    """The ``n`` beads' texts after the merge, conflicts taken as chosen (a boundary inside a conflict stays put)."""
    sides = {}
    for side, m in merges.items():
        picks = iter((choices or {}).get(side) or [])
        if m.conflicts and len((choices or {}).get(side) or []) != m.conflicts:
            raise InputError(f"choose 'mine' or 'theirs' for each of the {m.conflicts} place(s) where the {side} side "
                             "changed both in your work and in the corrected source")
        parts = []
        for c in m.chunks:
            if c.kind != "conflict":
                parts.append(c.text)
                continue
            pick = next(picks)
            if pick not in ("mine", "theirs"):
                raise InputError("each choice must be 'mine' or 'theirs'")
            parts.append(c.mine if pick == "mine" else c.theirs + f" {BOUND} " * c.mine.count(BOUND))
        pieces = [_squash(x) for x in "".join(parts).split(BOUND)]
        sides[side] = pieces + [""] * (n - len(pieces))
    return [{side: sides[side][k] for side in sides} for k in range(n)]


def reapplied(work: Work, texts: list[dict[str, str]]) -> list[CorpusBead]:
    """The reviewer's beads with the merged texts: an accept of text that changed underneath is no longer an accept."""
    out = []
    for b, t in zip(work.final, texts):
        changed = (_squash(b.ar), _squash(b.en)) != (t["ar"], t["en"])
        status = "edited" if changed and b.status == "accepted" else b.status
        out.append(replace(b, ar=t["ar"], en=t["en"], status=status, mt=b.mt if t["ar"] == _squash(b.ar) else None))
    return out


def reapply(store, item_id: int, en_id: str, who: str, seen: dict[int, int] | None = None,
            choices: dict[str, list[str]] | None = None):
    """Put stranded work onto beads of ``en_id``; an undoable ``reapply`` change, and the item resolved, in one transaction.

    ``seen``: the beads the reviewer was offered (id → version); if any changed since, it is a conflict. Without it,
    the beads whose text is most like the work's original text.
    """
    from mt.errors import ConflictError

    item = store.stranded_item(item_id)
    if item.state != "open":
        raise ConflictError(f"stranded work #{item_id} was already {item.state} by {item.resolved_by}")
    work = Work(item.old_en_id, tuple(item.beads), tuple(item.entries), (), (), tuple(map(CorpusBead.from_dict, item.original)),
                tuple(map(CorpusBead.from_dict, item.final)))
    beads = store.beads(en_id)
    if not work.original or not work.final:
        raise InputError(f"stranded work #{item_id} has no text to place; discard it (the earlier version keeps it)")
    if seen:
        by_id = {b.stored_id: b for b in beads}
        missing = [i for i in seen if i not in by_id]
        if missing:
            raise ConflictError(f"bead {', '.join(map(str, missing))} is no longer in this article; reload to see where the "
                                "work would go now")
        moved = [i for i, v in seen.items() if by_id[i].version != v]
        if moved:  # before merging against text the reviewer has not seen
            raise ConflictError(f"bead {', '.join(map(str, moved))} changed since it was offered; reload to see it now",
                                [by_id[i] for i in moved])
        run = tuple(sorted((by_id[i] for i in seen), key=lambda b: b.pos))
        likeness = best_likeness(run, work)
        expected = dict(seen)  # the versions the reviewer saw: a bead changed since is a conflict, not overwritten
    else:
        run, likeness = best_run(beads, work)
        expected = {b.stored_id: b.version for b in run}
    if not run:
        raise InputError(f"article {en_id} has no beads to put stranded work #{item_id} on")
    k = beads.index(run[-1])
    # the work onto the text as it is now: the corrected source's words stay where the reviewer did not change them
    work = replace(work, final=tuple(reapplied(work, merged_texts(merge_work(work, run), len(work.final), choices))))
    with store.atomic():
        store.resolve_stranded(item_id, "reapplied", who)
        entry = store.apply_change(en_id, "reapply", who, expected=expected,
                                   upserts=landing(work, run, beads[k + 1] if k + 1 < len(beads) else None),
                                   deletes=[b.stored_id for b in run], note=f"stranded work #{item_id} from {item.old_en_id} "
                                   f"({round(100 * likeness)}% alike)")
    return entry, run, likeness


def best_likeness(run: tuple[CorpusBead, ...], work: Work) -> float:
    return difflib.SequenceMatcher(None, _both_sides(work.original), _both_sides(run), autojunk=False).ratio()
