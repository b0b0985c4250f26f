"""Beads, the review changes made to them with versions, and their append-only history."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from mt.clock import utc_now
from mt.errors import ConflictError, NotFoundError, StoreError
from mt.records import CorpusBead, HistoryEntry
from mt.store.connection import Connection


class Beads(Connection):
    """Aligned beads, the changes reviewers make to them (versioned, refused when stale) and their history."""

    _BEAD_COLS = ("en_id, ar_id, level, ordinal, parent, ar_index, en_index, role, ar, en, score, origin, status, "
                  "mt, mt_model, id, version, pos, comment")

    @staticmethod
    def _bead(row) -> CorpusBead:
        (en_id, ar_id, level, ordinal, parent, ai, ei, role, ar, en, score, origin, status, mt, mt_model, bid, version,
         pos, comment) = row
        return CorpusBead(en_id=en_id, ar_id=ar_id, level=level, ordinal=ordinal, ar=ar, en=en,
                          ar_index=tuple(json.loads(ai)), en_index=tuple(json.loads(ei)), parent=parent, role=role,
                          score=score, origin=origin, status=status, mt=mt, mt_model=mt_model, id=bid, version=version, pos=pos, comment=comment)

    def reviewed_beads(self, en_id: str) -> list[CorpusBead]:
        return [self._bead(r) for r in self.db.execute(
            f"SELECT {self._BEAD_COLS} FROM beads WHERE en_id = ? AND (status != 'unreviewed' OR version > 1) "
            "ORDER BY level, ordinal", (en_id,))]

    def reviewed(self, en_id: str) -> int:
        """How many beads of this article a person has touched (status set, text edited, or any recorded change)."""
        touched = self.db.execute("SELECT COUNT(*) FROM beads WHERE en_id = ? AND (status != 'unreviewed' OR version > 1)",
                                  (en_id,)).fetchone()[0]
        return touched or self.db.execute("SELECT COUNT(*) FROM history WHERE en_id = ?", (en_id,)).fetchone()[0]

    def replace_beads(self, en_id: str, beads: list[CorpusBead]) -> None:
        """Store an article's beads in one transaction; refuses to drop a reviewer's work."""
        if self.reviewed(en_id):
            raise StoreError(f"{en_id} has reviewed beads; they are kept, not replaced by a new alignment")
        with self._tx():
            self.db.execute("DELETE FROM beads WHERE en_id = ?", (en_id,))
            self.db.executemany(
                "INSERT INTO beads (en_id, ar_id, level, ordinal, parent, ar_index, en_index, role, ar, en, score, origin, "
                "status, mt, mt_model, pos, comment) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(b.en_id, b.ar_id, b.level, b.ordinal, b.parent, json.dumps(list(b.ar_index)), json.dumps(list(b.en_index)),
                  b.role, b.ar, b.en, float(b.score), b.origin, b.status, b.mt, b.mt_model, float(b.ordinal), b.comment)
                 for b in beads],
            )

    def beads(self, en_id: str | None = None, *, level: str = "sentence", origin: str | None = None) -> list[CorpusBead]:
        sql = f"SELECT {self._BEAD_COLS} FROM beads WHERE level = ?"
        args: list = [level]
        if en_id is not None:
            sql += " AND en_id = ?"
            args.append(en_id)
        if origin is not None:
            sql += " AND origin = ?"
            args.append(origin)
        return [self._bead(r) for r in self.db.execute(sql + " ORDER BY en_id, pos, ordinal", args)]

    def neighbour(self, bead: CorpusBead, step: int) -> CorpusBead | None:
        """The sentence bead before (-1) or after (+1) ``bead`` in its article's order (that of :meth:`beads`)."""
        cmp, order = (">", "ASC") if step > 0 else ("<", "DESC")
        row = self.db.execute(
            f"SELECT {self._BEAD_COLS} FROM beads WHERE en_id = ? AND level = ? AND (pos, ordinal) {cmp} (?, ?) "
            f"ORDER BY pos {order}, ordinal {order} LIMIT 1", (bead.en_id, bead.level, bead.pos, bead.ordinal)).fetchone()
        return self._bead(row) if row else None

    def set_bead_mt_if_same(self, rows: list[tuple[int, str, str, str]]) -> int:
        """``(bead id, Arabic translated, text, tag)``: recorded only where the bead's Arabic is still that text."""
        with self._tx():
            n = sum(self.db.execute("UPDATE beads SET mt = ?, mt_model = ? WHERE id = ? AND ar = ?", (t, m, i, ar)).rowcount
                    for i, ar, t, m in rows)
        return n

    def set_bead_mt(self, rows: list[tuple[int, str, str]]) -> None:
        """Record machine translations ``(bead id, text, model identity)``; the bead's reviewed text is untouched."""
        with self._tx():
            self.db.executemany("UPDATE beads SET mt = ?, mt_model = ? WHERE id = ?", [(t, m, i) for i, t, m in rows])

    # -- review: changes with versions and an append-only history ---------------------------------

    def bead(self, bead_id: int) -> CorpusBead:
        row = self.db.execute(f"SELECT {self._BEAD_COLS} FROM beads WHERE id = ?", (bead_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no bead {bead_id}")
        return self._bead(row)

    def apply_change(self, en_id: str, action: str, who: str, *, expected: dict[int, int],
                     upserts: list[CorpusBead], deletes: Sequence[int] = (), note: str = "",
                     undoes: int | None = None) -> HistoryEntry:
        """Write a reviewer's change in one transaction, or refuse it if a bead moved on since the reviewer saw it.

        ``expected`` maps each bead id the change is based on to the version the reviewer saw. Updated
        beads get the next version (versions only ever go up, undo included); beads without an id,
        or whose id is gone (an undone merge), are inserted. The history keeps the touched beads
        before and after.
        """
        from dataclasses import asdict, replace

        now = utc_now()
        outer = self._depth > 0  # inside atomic(): that transaction checks, writes and commits as one
        try:
            if not outer:
                self.db.execute("BEGIN IMMEDIATE")  # one writer at a time: the version check and the write are atomic
            ids = set(expected) | set(deletes) | {u.id for u in upserts if u.id is not None}
            current = {i: b for i in ids if (b := self._bead_or_none(i)) is not None}  # read by id: b.id == i
            stale = [i for i, v in expected.items() if i not in current or current[i].version != v]
            if stale:
                if not outer:
                    self.db.rollback()
                raise ConflictError(f"bead {', '.join(map(str, stale))} changed since it was loaded", [current[i] for i in stale if i in current])
            if any(b.en_id != en_id for b in current.values()) or any(u.en_id != en_id for u in upserts):
                if not outer:
                    self.db.rollback()
                raise StoreError("a change must stay inside one article")
            before = [current[i] for i in sorted(current)]
            for i in deletes:
                self.db.execute("DELETE FROM beads WHERE id = ?", (i,))
            touched: list[int] = []
            next_ordinal = self.db.execute("SELECT COALESCE(MAX(ordinal), -1) + 1 FROM beads WHERE en_id = ? AND level = ?",
                                           (en_id, "sentence")).fetchone()[0]
            for u in upserts:
                cols = (u.ar_id, u.level, u.parent, json.dumps(list(u.ar_index)), json.dumps(list(u.en_index)), u.role, u.ar,
                        u.en, float(u.score), u.origin, u.status, u.mt, u.mt_model, float(u.pos), u.comment)
                if u.id is None or u.id not in current:
                    ordinal = u.ordinal if u.id is not None else next_ordinal
                    next_ordinal += u.id is None
                    cur = self.db.execute(
                        "INSERT INTO beads (id, en_id, ar_id, level, parent, ar_index, en_index, role, ar, en, score, origin, "
                        "status, mt, mt_model, pos, comment, ordinal, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (u.id, en_id, *cols, ordinal, u.version))
                    assert cur.lastrowid is not None  # set by every successful INSERT
                    touched.append(cur.lastrowid)
                else:
                    bid = u.id
                    version = current[bid].version + 1
                    was = current[bid]
                    if u.ar == was.ar and (u.mt, u.mt_model) != (was.mt, was.mt_model):
                        # the machine translation follows the Arabic, not the reviewer: one made in the background
                        # since this change was read stays, as long as the Arabic is the same
                        u = replace(u, mt=was.mt, mt_model=was.mt_model)
                        cols = (u.ar_id, u.level, u.parent, json.dumps(list(u.ar_index)), json.dumps(list(u.en_index)), u.role,
                                u.ar, u.en, float(u.score), u.origin, u.status, u.mt, u.mt_model, float(u.pos), u.comment)
                    self.db.execute(
                        "UPDATE beads SET ar_id=?, level=?, parent=?, ar_index=?, en_index=?, role=?, ar=?, en=?, score=?, "
                        "origin=?, status=?, mt=?, mt_model=?, pos=?, comment=?, version=? WHERE id=?", (*cols, version, bid))
                    touched.append(bid)
            after = [self._bead_or_none(i) for i in sorted(set(touched))]
            snap = lambda bs: json.dumps([asdict(b) for b in bs if b is not None], ensure_ascii=False)  # noqa: E731
            cur = self.db.execute("INSERT INTO history (en_id, action, who, at, before, after, undoes, note) VALUES (?,?,?,?,?,?,?,?)",
                                  (en_id, action, who, now, snap(before), snap(after), undoes, note))
            if not outer:
                self.db.commit()
        except sqlite3.Error as e:
            if not outer:
                self.db.rollback()
            raise StoreError(f"store {self.path}: {e}") from None
        except BaseException:
            if not outer and self.db.in_transaction:
                self.db.rollback()
            raise
        assert cur.lastrowid is not None  # the history INSERT above succeeded
        return self.history_entry(cur.lastrowid)

    def status_setter(self, en_id: str, bead_id: int) -> str | None:
        """Who last set this bead's status (a change since undone does not count), or None."""
        row = self.db.execute(
            "SELECT who FROM history h WHERE en_id = ? AND action IN ('status', 'carry') "
            "AND EXISTS (SELECT 1 FROM json_each(h.after) WHERE json_extract(value, '$.id') = ?) "
            "AND NOT EXISTS (SELECT 1 FROM history u WHERE u.undoes = h.id) ORDER BY id DESC LIMIT 1", (en_id, bead_id)).fetchone()
        return row[0] if row else None

    def removed_by(self, bead_id: int) -> HistoryEntry | None:
        """The change that removed this bead (a merge, a move that emptied it), if a review removed it."""
        row = self.db.execute(
            "SELECT id, en_id, action, who, at, before, after, undoes, note FROM history h "
            "WHERE EXISTS (SELECT 1 FROM json_each(h.before) WHERE json_extract(value, '$.id') = ?) "
            "AND NOT EXISTS (SELECT 1 FROM json_each(h.after) WHERE json_extract(value, '$.id') = ?) "
            "ORDER BY id DESC LIMIT 1", (bead_id, bead_id)).fetchone()
        return self._entry(row) if row else None

    def bead_or_none(self, bead_id: int) -> CorpusBead | None:
        return self._bead_or_none(bead_id)

    def _bead_or_none(self, bead_id: int) -> CorpusBead | None:
        row = self.db.execute(f"SELECT {self._BEAD_COLS} FROM beads WHERE id = ?", (bead_id,)).fetchone()
        return self._bead(row) if row else None

    @staticmethod
    def _entry(row) -> HistoryEntry:
        i, en_id, action, who, at, before, after, undoes, note = row
        return HistoryEntry(i, en_id, action, who, at, json.loads(before), json.loads(after), undoes, note)

    def history_entry(self, entry_id: int) -> HistoryEntry:
        row = self.db.execute("SELECT id, en_id, action, who, at, before, after, undoes, note FROM history WHERE id = ?",
                              (entry_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no history entry {entry_id}")
        return self._entry(row)

    def history(self, en_id: str) -> list[HistoryEntry]:
        return [self._entry(r) for r in self.db.execute(
            "SELECT id, en_id, action, who, at, before, after, undoes, note FROM history WHERE en_id = ? ORDER BY id", (en_id,))]

    def status_counts(self, en_id: str) -> dict[str, int]:
        """How many of the article's sentence beads are in each status."""
        return dict(self.db.execute("SELECT status, COUNT(*) FROM beads WHERE en_id = ? AND level = 'sentence' GROUP BY status",
                                    (en_id,)).fetchall())

    def history_count(self, en_id: str) -> int:
        """How many changes the article has had (without reading their snapshots)."""
        return self.db.execute("SELECT COUNT(*) FROM history WHERE en_id = ?", (en_id,)).fetchone()[0]

    def undoable(self, en_id: str) -> HistoryEntry | None:
        """The latest change of the article that is not an undo and has not been undone."""
        row = self.db.execute(
            "SELECT id, en_id, action, who, at, before, after, undoes, note FROM history h WHERE en_id = ? AND action != 'undo' "
            "AND NOT EXISTS (SELECT 1 FROM history u WHERE u.undoes = h.id) ORDER BY id DESC LIMIT 1", (en_id,)).fetchone()
        return self._entry(row) if row else None

    def last_touched_by(self, en_id: str | None = None) -> dict[int, str]:
        """For each bead a person changed (changes since undone aside), who changed it last."""
        rows = self.db.execute(
            "SELECT CAST(json_extract(j.value, '$.id') AS INTEGER) AS bid, h.who, MAX(h.id) FROM history h, json_each(h.after) j "
            "WHERE (? IS NULL OR h.en_id = ?) AND h.action != 'undo' AND NOT EXISTS (SELECT 1 FROM history u WHERE u.undoes = h.id) "
            "GROUP BY bid", (en_id, en_id)).fetchall()
        return {bid: who for bid, who, _ in rows}
