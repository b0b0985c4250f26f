"""Review administration: the CSRF secret, assignments, and work a re-ingest could not carry."""

from __future__ import annotations

import json
from collections.abc import Sequence

from mt.clock import utc_now
from mt.errors import ConflictError, NotFoundError
from mt.records import StrandedWork
from mt.store.connection import Connection


class Review(Connection):
    """Who has which article, the store's secrets, and reviewed work a re-ingest could not carry."""

    def secret(self, name: str) -> str:
        """A random value made once for this store and kept (e.g. the review server's CSRF token)."""
        import secrets

        with self._tx():
            self.db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (f"secret:{name}", secrets.token_urlsafe(24)))
        return self.db.execute("SELECT value FROM meta WHERE key = ?", (f"secret:{name}",)).fetchone()[0]

    def assign(self, en_id: str, reviewer: str, by: str) -> None:
        """Give an article to a reviewer (an empty name takes it back)."""
        with self._tx():
            self.db.execute("DELETE FROM assignments WHERE en_id = ?", (en_id,))
            if reviewer:
                self.db.execute("INSERT INTO assignments (en_id, reviewer, assigned_by, assigned_at) VALUES (?,?,?,?)",
                                (en_id, reviewer, by, utc_now()))

    def assignments(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT en_id, reviewer FROM assignments").fetchall())

    # -- reviewed work a re-ingest could not carry --------------------------------------------------

    _STRANDED_COLS = ("id, old_en_id, new_en_id, beads, entries, original, final, reason, state, resolved_by, resolved_at, "
                      "created_at")

    def record_stranded(self, new_en_id: str, old_en_id: str, items: list[tuple[list[int], list[int], list[dict], list[dict], str]]) -> None:
        """List the work of ``old_en_id`` that could not reach ``new_en_id`` (in place of whatever from it is still open)."""
        now = utc_now()
        with self._tx():
            # a new plan from this earlier version replaces what is still open from it, whichever version that aimed at
            self.db.execute("DELETE FROM stranded WHERE old_en_id = ? AND state = 'open'", (old_en_id,))
            self.db.executemany(
                "INSERT INTO stranded (old_en_id, new_en_id, beads, entries, original, final, reason, created_at) VALUES (?,?,?,?,?,?,?,?)",
                [(old_en_id, new_en_id, json.dumps(b), json.dumps(e), json.dumps(o, ensure_ascii=False), json.dumps(f, ensure_ascii=False),
                  reason, now) for b, e, o, f, reason in items])

    def stranded(self, en_ids: Sequence[str] | None = None, state: str | None = "open") -> list[StrandedWork]:
        """Stranded work aimed at these articles (all when None), oldest first."""
        sql = f"SELECT {self._STRANDED_COLS} FROM stranded WHERE (? IS NULL OR state = ?)"
        args: list = [state, state]
        if en_ids is not None:
            sql += f" AND new_en_id IN ({','.join('?' * len(en_ids))})"
            args += list(en_ids)
        return [self._stranded(r) for r in self.db.execute(sql + " ORDER BY id", args)]

    def stranded_item(self, item_id: int) -> StrandedWork:
        row = self.db.execute(f"SELECT {self._STRANDED_COLS} FROM stranded WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no stranded work #{item_id}")
        return self._stranded(row)

    @staticmethod
    def _stranded(r) -> StrandedWork:
        return StrandedWork(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4]), json.loads(r[5]), json.loads(r[6]), *r[7:])

    def resolve_stranded(self, item_id: int, state: str, who: str) -> None:
        """Mark stranded work reapplied or discarded; the earlier version's beads stay as they are."""
        with self._tx():
            cur = self.db.execute("UPDATE stranded SET state = ?, resolved_by = ?, resolved_at = ? WHERE id = ? AND state = 'open'",
                                  (state, who, utc_now(), item_id))
            if cur.rowcount != 1:
                raise ConflictError(f"stranded work #{item_id} was already dealt with")

    def resolved_stranded_keys(self, old_en_id: str) -> set[str]:
        """Work of this earlier version someone already reapplied or discarded (never offered again)."""
        rows = self.db.execute("SELECT beads FROM stranded WHERE old_en_id = ? AND state != 'open'", (old_en_id,)).fetchall()
        return {f"{old_en_id}:{','.join(map(str, sorted(json.loads(r[0]))))}" for r in rows}
