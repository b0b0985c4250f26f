"""What each review operation does to an article's beads, as pure functions; the store writes the result.

Every operation returns a :class:`Change`: the beads to write, the beads to delete, and the versions
the reviewer saw, which the store checks so that no one silently overwrites anyone.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from mt.errors import InputError, NotFoundError
from mt.records import BEAD_STATUSES, CorpusBead
from mt.text.sentences import split_sentences

SIDES = ("ar", "en")
MAX_TEXT = 100_000


@dataclass
class Change:
    action: str
    upserts: list[CorpusBead]
    deletes: list[int] = field(default_factory=list)
    expected: dict[int, int] = field(default_factory=dict)
    note: str = ""


def _join(a: str, b: str) -> str:
    return " ".join(x for x in (a.strip(), b.strip()) if x)


def _side(side: object) -> str:
    # request values arrive unchecked: anything but "ar" or "en" is refused here
    if not isinstance(side, str) or side not in SIDES:
        raise InputError(f"side must be 'ar' or 'en', not {side!r}")
    return side


def _text(text: object) -> str:
    if not isinstance(text, str):
        raise InputError("text must be a string")
    if len(text) > MAX_TEXT:
        raise InputError(f"text longer than {MAX_TEXT} characters")
    return text.replace("\r\n", "\n").strip()


def neighbour(beads: list[CorpusBead], bead: CorpusBead, step: int) -> CorpusBead | None:
    """The bead before (-1) or after (+1) ``bead`` in the article's order."""
    ids = [b.id for b in beads]
    k = ids.index(bead.id) + step
    return beads[k] if 0 <= k < len(beads) else None


def set_status(b: CorpusBead, status: object, version: int) -> Change:
    if not isinstance(status, str) or status not in BEAD_STATUSES:
        raise InputError(f"status must be one of {', '.join(BEAD_STATUSES)}, not {status!r}")
    return Change("status", [replace(b, status=status)], expected={b.stored_id: version}, note=status)


def reindex(text: str, old: tuple[int, ...]) -> tuple[int, ...]:
    """Sentence indices for a side whose text changed: as many as it has sentences, from where it started."""
    n = len(split_sentences(text)) if text.strip() else 0
    start = old[0] if old else 0
    return old if len(old) == n else tuple(range(start, start + n))


def edit(b: CorpusBead, texts: dict, version: int, *, editor: str = "", approver: str | None = None) -> Change:
    """New text for one side or both (``{"ar": …, "en": …}``).

    Changed text waits for approval (status ``edited``), unless the editor is the one who accepted or
    rejected it (``approver``): nobody's approval then stands for text they did not see.
    """
    changes: dict = {_side(side): _text(text) for side, text in texts.items()}
    if not changes:
        raise InputError("nothing to edit: give 'ar' and/or 'en'")
    for side in SIDES:
        if side in changes:
            changes[f"{side}_index"] = reindex(changes[side], getattr(b, f"{side}_index"))
    if "ar" in changes and changes["ar"] != b.ar:
        changes["mt"] = None  # the machine translation was of the old Arabic
    if any(changes.get(side, getattr(b, side)) != getattr(b, side) for side in SIDES):
        own = b.status == "accepted" and approver is not None and approver == editor
        changes["status"] = b.status if own else "edited"
    return Change("edit", [replace(b, **changes)], expected={b.stored_id: version}, note="+".join(s for s in SIDES if s in texts))


def merge(a: CorpusBead, b: CorpusBead | None, version: int, next_version: int) -> Change:
    if b is None:
        raise InputError("this is the last bead of the article: nothing to merge it with")
    ra, rb = set(filter(None, a.role.split("+"))), set(filter(None, b.role.split("+")))
    if not ra & rb and {"question", "answer"} <= ra | rb:
        # a bead that is half question, half answer is a turn boundary lost, not a correction
        raise InputError(f"one bead is {'+'.join(sorted(ra))}, the next {'+'.join(sorted(rb))}: merging would join a question "
                         "and an answer; move a sentence instead")
    roles = list(dict.fromkeys(r for r in (a.role + "+" + b.role).split("+") if r))
    merged = replace(a, ar=_join(a.ar, b.ar), en=_join(a.en, b.en), ar_index=a.ar_index + b.ar_index,
                     en_index=a.en_index + b.en_index, role="+".join(roles), score=min(a.score, b.score),
                     status="unreviewed", mt=_join(a.mt or "", b.mt or "") if a.mt is not None and b.mt is not None else None,
                     comment=_join(a.comment, b.comment))
    return Change("merge", [merged], [b.stored_id], {a.stored_id: version, b.stored_id: next_version}, note=f"{a.id}+{b.id}")


def split(b: CorpusBead, after: CorpusBead | None, ar_at: int, en_at: int, version: int) -> Change:
    """Two beads from one: each side cut at a character offset (at 0 or at the end, that side goes all to one bead)."""
    for name, at, text in (("ar_at", ar_at, b.ar), ("en_at", en_at, b.en)):
        if not isinstance(at, int) or not 0 <= at <= len(text):
            raise InputError(f"{name} must be an offset between 0 and {len(text)}")
    first = (b.ar[:ar_at].strip(), b.en[:en_at].strip())
    second = (b.ar[ar_at:].strip(), b.en[en_at:].strip())
    if not any(first) or not any(second):
        raise InputError("the split leaves one bead empty; put the cursor inside the text")

    def index(text: str, start: int, side: tuple[int, ...]) -> tuple[int, ...]:
        n = len(split_sentences(text)) if text else 0
        base = side[0] if side else 0
        return tuple(range(base + start, base + start + n))

    n1_ar, n1_en = len(split_sentences(first[0])) if first[0] else 0, len(split_sentences(first[1])) if first[1] else 0
    one = replace(b, ar=first[0], en=first[1], ar_index=index(first[0], 0, b.ar_index), en_index=index(first[1], 0, b.en_index),
                  status="unreviewed", mt=None)
    pos = (b.pos + after.pos) / 2 if after is not None else b.pos + 1
    two = replace(b, id=None, ar=second[0], en=second[1], ar_index=index(second[0], n1_ar, b.ar_index),
                  en_index=index(second[1], n1_en, b.en_index), status="unreviewed", mt=None, pos=pos, comment="", version=1)
    return Change("split", [one, two], expected={b.stored_id: version}, note=f"ar@{ar_at} en@{en_at}")


def move(b: CorpusBead, other: CorpusBead | None, side: object, direction: object, version: int, other_version: int) -> Change:
    """Move one sentence of a side to the neighbouring bead: the last one forward ("next"), the first one back ("prev")."""
    side = _side(side)
    if direction not in ("next", "prev"):
        raise InputError(f"direction must be 'next' or 'prev', not {direction!r}")
    if other is None:
        raise InputError(f"there is no {'next' if direction == 'next' else 'previous'} bead to move a sentence to")
    sentences = split_sentences(getattr(b, side).strip())
    if not sentences:
        raise InputError(f"the {'Arabic' if side == 'ar' else 'English'} side of this bead is empty")
    if direction == "next":
        moved, rest = sentences[-1], " ".join(sentences[:-1])
        target = _join(moved, getattr(other, side))
    else:
        moved, rest = sentences[0], " ".join(sentences[1:])
        target = _join(getattr(other, side), moved)
    mt_clear: dict[str, Any] = {"mt": None} if side == "ar" else {}
    key = f"{side}_index"
    mine, theirs = tuple(getattr(b, key)), tuple(getattr(other, key))
    if len(mine) == len(sentences):
        # the moved sentence takes its own index along: the two beads still cover the turn's sentences in order
        mine, theirs = (mine[:-1], mine[-1:] + theirs) if direction == "next" else (mine[1:], theirs + mine[:1])
    else:  # text edited into another number of sentences: counted again
        mine, theirs = reindex(rest, mine), reindex(target, theirs)
    src_side: dict[str, Any] = {side: rest, key: mine}
    dst_side: dict[str, Any] = {side: target, key: theirs}
    src = replace(b, **src_side, status="unreviewed", **mt_clear)
    dst = replace(other, **dst_side, status="unreviewed", **mt_clear)
    upserts, deletes = [dst], []
    if src.ar.strip() or src.en.strip():
        upserts.insert(0, src)
    else:
        deletes.append(b.stored_id)  # nothing left in it: the bead goes, its text lives on in the neighbour
    return Change("move", upserts, deletes, {b.stored_id: version, other.stored_id: other_version}, note=f"{side} {direction}")


def comment(b: CorpusBead, text: object, version: int) -> Change:
    return Change("comment", [replace(b, comment=_text(text))], expected={b.stored_id: version}, note="comment")


CONTENT = ("en_id", "level", "parent", "ar_index", "en_index", "role", "ar", "en", "status", "comment", "pos")


def _content(d: dict) -> tuple:
    return tuple(tuple(d[k]) if isinstance(d[k], (list, tuple)) else d[k] for k in CONTENT)


def undo_change(store, en_id: str, entry_id: int | None = None) -> tuple[Change, int]:
    """The change that puts back what the article's latest change (not itself undone) replaced.

    ``entry_id``: the change the reviewer was shown as the one to undo; if another has come since,
    nothing is undone. A bead changed after that change (by a later change that was not undone)
    makes the undo a conflict rather than silently losing the later work.
    """
    from dataclasses import asdict

    from mt.errors import ConflictError

    entry = store.undoable(en_id)
    if entry is None:
        raise NotFoundError("nothing to undo in this article")
    if entry_id is not None and entry.id != entry_id:
        raise ConflictError(f"the last change is now #{entry.id} ({entry.action} by {entry.who}), not the one you saw; "
                            "reload to see it before undoing")
    before = {d["id"]: d for d in entry.before}
    after = {d["id"]: d for d in entry.after}
    current = {i: store.bead_or_none(i) for i in set(before) | set(after)}
    changed = [c for i, c in current.items() if i in after and (c is None or _content(asdict(c)) != _content(after[i]))]
    if changed or any(current[i] is not None for i in before if i not in after):
        raise ConflictError(f"the beads of change #{entry.id} were changed again since; undoing it would lose that work",
                            [c for c in changed if c is not None])
    upserts = []
    for d in before.values():
        upserts.append(CorpusBead.from_dict({**d, "version": d["version"] + 1}))
    deletes = [i for i in after if i not in before]
    expected = {i: current[i].version for i in after}
    return Change("undo", upserts, deletes, expected, note=f"undo {entry.action} #{entry.id}"), entry.id
