"""Articles and their versions, pairs, and the pipeline's stage records."""

from __future__ import annotations

import json
from pathlib import Path

from mt.clock import utc_now
from mt.errors import NotFoundError, StoreError
from mt.records import Article, ArticleSummary, Byline, Dropped, Source, Turn
from mt.store.connection import Connection


class Articles(Connection):
    """Articles (each version of a file its own), their pairs, and what each pipeline stage last did."""

    def find_article(self, sha256: str, item: int = 0, reader: str | None = None) -> str | None:
        """The article read from these bytes (the latest reading of them; with ``reader``, that reading only)."""
        if reader is None:
            row = self.db.execute("SELECT id FROM articles WHERE sha256 = ? AND item = ? ORDER BY rowid DESC LIMIT 1",
                                  (sha256, item)).fetchone()
        else:
            row = self.db.execute("SELECT id FROM articles WHERE sha256 = ? AND item = ? AND reader = ?",
                                  (sha256, item, reader)).fetchone()
        return row[0] if row else None

    def make_current(self, article_id: str) -> bool:
        """Make an article the latest version of its file again (its bytes are read the way it was read before, after
        another reading was stored): versions are ordered by rowid, so it takes the next one. False if it was latest
        (another file's article stored since is no later version of it)."""
        row = self.db.execute("SELECT rowid, (SELECT MAX(rowid) FROM articles) FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no article {article_id!r} in {self.path}")
        if not self.later_versions(article_id):
            return False
        with self._tx():
            self.db.execute("UPDATE articles SET rowid = ? WHERE id = ?", (row[1] + 1, article_id))
        return True

    def free_id(self, base: str, sha256: str, reader: str = "") -> str:
        """``base`` when unused, else ``base`` with a short content hash (and a reading's): ids never depend on ingest order twice."""
        candidates = [base, f"{base}-{sha256[:6]}", f"{base}-{sha256[:12]}"]
        if reader:
            candidates += [f"{base}-{sha256[:6]}-{reader[:6]}", f"{base}-{sha256[:6]}-{reader}"]
        candidates.append(f"{base}-{sha256}")
        for c in candidates:
            if not self.db.execute("SELECT 1 FROM articles WHERE id = ?", (c,)).fetchone():
                return c
        raise StoreError(f"no free article id for {base}")

    def add_article(self, article: Article) -> bool:
        """Store an article in one transaction; False (and no change) when this reading of these bytes was stored before."""
        item = article.source.item
        if self.find_article(article.source.sha256, item, article.source.reader):
            return False
        now = utc_now()
        with self._tx():
            self.db.execute(
                "INSERT INTO articles (id, sha256, item, lang, title, date, byline_text, interviewer, interviewee,"
                " url, path, encoding, format, ingested_at, warnings, reader, layout, canonical, alternates)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (article.id, article.source.sha256, item, article.lang, article.title, article.date,
                 article.byline.text, article.byline.interviewer, article.byline.interviewee,
                 article.source.url, article.source.path, article.source.encoding, article.source.format, now,
                 json.dumps(list(article.warnings), ensure_ascii=False), article.source.reader, article.source.layout,
                 article.source.canonical, json.dumps([list(x) for x in article.source.alternates])),
            )
            self.db.executemany(
                "INSERT INTO turns (article_id, idx, role, speaker, text) VALUES (?,?,?,?,?)",
                [(article.id, t.index, t.role, t.speaker, t.text) for t in article.turns],
            )
            self.db.executemany(
                "INSERT INTO dropped (article_id, seq, position, reason, text) VALUES (?,?,?,?,?)",
                [(article.id, n, d.position, d.reason, d.text) for n, d in enumerate(article.dropped)],
            )
        return True

    def get_article(self, article_id: str) -> Article:
        row = self.db.execute(
            "SELECT id, lang, title, date, byline_text, interviewer, interviewee, url, path, sha256, encoding, format,"
            " warnings, item, reader, layout, canonical, alternates FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no article {article_id!r} in {self.path}")
        turns = tuple(
            Turn(i, role, text, speaker)
            for i, role, speaker, text in self.db.execute(
                "SELECT idx, role, speaker, text FROM turns WHERE article_id = ? ORDER BY idx", (article_id,)
            )
        )
        dropped = tuple(
            Dropped(text, reason, pos)
            for text, reason, pos in self.db.execute(
                "SELECT text, reason, position FROM dropped WHERE article_id = ? ORDER BY seq", (article_id,)
            )
        )
        return Article(
            id=row[0], lang=row[1], title=row[2], date=row[3], byline=Byline(row[4], row[5], row[6]),
            source=Source(path=row[8], sha256=row[9], encoding=row[10], format=row[11], url=row[7], item=row[13],
                          reader=row[14], layout=row[15], canonical=row[16],
                          alternates=tuple((lang, url) for lang, url in json.loads(row[17]))),
            turns=turns, dropped=dropped, warnings=tuple(json.loads(row[12])),
        )

    def list_articles(self, lang: str | None = None) -> list[ArticleSummary]:
        rows = self.db.execute(
            """SELECT a.id, a.lang, a.title, a.date,
                      (SELECT COUNT(*) FROM turns t WHERE t.article_id = a.id),
                      (SELECT COUNT(*) FROM turns t WHERE t.article_id = a.id AND t.role = 'question'),
                      (SELECT COUNT(*) FROM dropped d WHERE d.article_id = a.id),
                      a.path
               FROM articles a WHERE (? IS NULL OR a.lang = ?) ORDER BY a.date, a.id""",
            (lang, lang),
        ).fetchall()
        return [ArticleSummary(*r) for r in rows]

    def earlier_versions(self, article_id: str) -> list[str]:
        """Articles ingested before this one from a file of the same name, at the same position (an edited file gets a new id,
        and so does a file read again with other results: a refitted reader, a declared layout).

        The name, not the whole path: the same corpus is often run from another directory or a copy.
        """
        return self._versions(article_id, "<")

    def later_versions(self, article_id: str) -> list[str]:
        """The articles this one is an earlier version of (see :meth:`earlier_versions`)."""
        return self._versions(article_id, ">")

    def _versions(self, article_id: str, side: str) -> list[str]:
        rows = self.db.execute(
            "SELECT b.id, a.path, b.path FROM articles a JOIN articles b ON b.item = a.item AND b.lang = a.lang "
            f"AND b.id != a.id AND b.rowid {side} a.rowid WHERE a.id = ? ORDER BY b.rowid",
            (article_id,)).fetchall()
        return [i for i, pa, pb in rows if Path(pa).name == Path(pb).name]

    # -- pairs ------------------------------------------------------------------------------------

    def articles(self, lang: str | None = None) -> list[Article]:
        return [self.get_article(r.id) for r in self.list_articles(lang)]

    def save_pairs(self, pairs) -> None:
        """Replace the stored pairing of these English articles (one transaction)."""
        now = utc_now()
        with self._tx():
            self.db.executemany("DELETE FROM pairs WHERE en_id = ?", [(p.en_id,) for p in pairs])
            taken = [p.ar_id for p in pairs if p.ar_id]
            self.db.executemany("DELETE FROM pairs WHERE ar_id = ?", [(a,) for a in taken])
            self.db.executemany(
                "INSERT INTO pairs (en_id, ar_id, score, method, evidence, created_at) VALUES (?,?,?,?,?,?)",
                [(p.en_id, p.ar_id, p.score, p.method, json.dumps(p.evidence, ensure_ascii=False), now) for p in pairs],
            )

    def pairs(self):
        from mt.records import Pairing

        rows = self.db.execute("SELECT en_id, ar_id, score, evidence, method FROM pairs ORDER BY en_id").fetchall()
        return [Pairing(e, a, s, json.loads(ev), m) for e, a, s, ev, m in rows]

    # -- stages -----------------------------------------------------------------------------------

    def stage(self, name: str, scope: str = "") -> tuple[str, dict] | None:
        """The fingerprint and summary of a stage's last completed run, or None."""
        row = self.db.execute("SELECT fingerprint, summary FROM stages WHERE name = ? AND scope = ?", (name, scope)).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def finish_stage(self, name: str, fingerprint: str, summary: dict, scope: str = "") -> None:
        now = utc_now()
        with self._tx():
            self.db.execute("INSERT OR REPLACE INTO stages (name, scope, fingerprint, summary, done_at) VALUES (?,?,?,?,?)",
                            (name, scope, fingerprint, json.dumps(summary, ensure_ascii=False), now))

    def forget_stage(self, name: str, scope: str = "") -> None:
        with self._tx():
            self.db.execute("DELETE FROM stages WHERE name = ? AND scope = ?", (name, scope))
