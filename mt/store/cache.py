"""Work never done twice: the translation cache (and how to load the engine behind a tag), and the documents `mt align` aligned."""

from __future__ import annotations

import json

from mt.clock import utc_now
from mt.records import AlignedDocument, Alignment, Bead, CachedTranslation
from mt.store.connection import Connection


class Cache(Connection):
    """The translation cache and the documents `mt align` aligned: work never done twice."""

    def cached_translations(self, keys: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for i in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
            part = keys[i:i + 500]
            q = f"SELECT key, target FROM translations WHERE key IN ({','.join('?' * len(part))})"
            out.update(self.db.execute(q, part).fetchall())
        return out

    def cache_translations(self, rows: list[CachedTranslation]) -> None:
        """Store translated chunks at once, so that a run killed later resumes after them."""
        now = utc_now()
        with self._tx():
            self.db.executemany(
                "INSERT OR IGNORE INTO translations (key, engine, model, options, src_lang, tgt_lang, source, target, created_at)"
                " VALUES (?,?,?,?,?,?,?,?,?)",
                [(r.key, r.engine, r.model, r.options, r.src_lang, r.tgt_lang, r.source, r.target, now) for r in rows],
            )

    def count_translations(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]

    def remember_engine(self, tag: str, name: str, model: str | None, src: str, tgt: str) -> None:
        """How to load the engine behind a stored translation's tag again (the review app re-translates edited Arabic)."""
        with self._tx():
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                            (f"engine:{tag}", json.dumps({"name": name, "model": model, "src": src, "tgt": tgt})))

    def engine_spec(self, tag: str) -> dict | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (f"engine:{tag}",)).fetchone()
        return json.loads(row[0]) if row else None

    # -- documents aligned by `mt align` ------------------------------------------------------------

    def aligned_document(self, key: str) -> AlignedDocument | None:
        row = self.db.execute("SELECT key, name, src_lang, tgt_lang, n, m, params, method, beads, aligned_at FROM align_docs "
                              "WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        key, name, sl, tl, n, m, params, method, beads, at = row
        al = Alignment(tuple(Bead(tuple(a), tuple(b), float(p)) for a, b, p in json.loads(beads)), sl, tl, method)
        return AlignedDocument(key, name, sl, tl, n, m, params, al, at)

    def save_aligned_document(self, doc: AlignedDocument) -> None:
        now = utc_now()
        beads = json.dumps([[list(b.src), list(b.tgt), round(b.score, 6)] for b in doc.alignment.beads])
        with self._tx():
            self.db.execute("INSERT OR REPLACE INTO align_docs (key, name, src_lang, tgt_lang, n, m, params, method, beads, "
                            "aligned_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                            (doc.key, doc.name, doc.src_lang, doc.tgt_lang, doc.n, doc.m, doc.params, doc.alignment.method,
                             beads, now))

    def count_aligned_documents(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM align_docs").fetchone()[0]
