"""SQLite store: schema migrations by version (``PRAGMA user_version``) and typed records in and out."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from mt.clock import utc_now
from mt.errors import ConflictError, NotFoundError, StoreError
from mt.records import (
    AlignedDocument,
    Alignment,
    Article,
    ArticleSummary,
    Bead,
    Byline,
    CachedTranslation,
    CorpusBead,
    Dropped,
    HistoryEntry,
    LexiconSource,
    Source,
    StrandedWork,
    Turn,
)

DEFAULT_DB = "mt.db"

# Each entry migrates from version i to i+1; never edit one that has shipped, append a new one.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL,          -- of the original file's bytes
        item INTEGER NOT NULL DEFAULT 0, -- position inside a file that holds several articles (JSON list)
        lang TEXT NOT NULL,
        title TEXT,
        date TEXT,
        byline_text TEXT,
        interviewer TEXT,
        interviewee TEXT,
        url TEXT,
        path TEXT NOT NULL,
        encoding TEXT NOT NULL,
        format TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        UNIQUE (sha256, item)
    );
    CREATE TABLE turns (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('intro', 'question', 'answer', 'paragraph')),
        speaker TEXT,
        text TEXT NOT NULL,
        PRIMARY KEY (article_id, idx)
    );
    CREATE TABLE dropped (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        position INTEGER NOT NULL,
        reason TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (article_id, seq)
    );
    """,
    """
    -- the translation cache: one row per translated chunk, keyed by everything that decides the output
    CREATE TABLE translations (
        key TEXT PRIMARY KEY,      -- sha256 of engine, model identity, options, languages and source text
        engine TEXT NOT NULL,
        model TEXT NOT NULL,
        options TEXT NOT NULL,     -- JSON
        src_lang TEXT NOT NULL,
        tgt_lang TEXT NOT NULL,
        source TEXT NOT NULL,
        target TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE articles ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]';  -- JSON list of one-line notes
    """,
    """
    -- which Arabic article is the source of each English one (ar_id NULL: none found or given)
    CREATE TABLE pairs (
        en_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        ar_id TEXT REFERENCES articles(id) ON DELETE SET NULL,
        score REAL NOT NULL,
        method TEXT NOT NULL,
        evidence TEXT NOT NULL,  -- JSON
        created_at TEXT NOT NULL
    );
    CREATE UNIQUE INDEX pairs_ar ON pairs(ar_id) WHERE ar_id IS NOT NULL;
    """,
    """
    -- aligned units: turn beads and the sentence beads inside them, human or synthetic
    CREATE TABLE beads (
        id INTEGER PRIMARY KEY,
        en_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        ar_id TEXT REFERENCES articles(id) ON DELETE SET NULL,
        level TEXT NOT NULL CHECK (level IN ('turn', 'sentence')),
        ordinal INTEGER NOT NULL,
        parent INTEGER,
        ar_index TEXT NOT NULL,   -- JSON list
        en_index TEXT NOT NULL,
        role TEXT NOT NULL,
        ar TEXT NOT NULL,
        en TEXT NOT NULL,
        score REAL NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('human', 'synthetic')),
        status TEXT NOT NULL DEFAULT 'unreviewed' CHECK (status IN ('unreviewed', 'accepted', 'rejected')),
        mt TEXT,
        mt_model TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        UNIQUE (en_id, level, ordinal)
    );
    -- what each stage last did, so that a stage whose inputs have not changed is skipped
    CREATE TABLE stages (
        name TEXT NOT NULL,
        scope TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        summary TEXT NOT NULL,   -- JSON
        done_at TEXT NOT NULL,
        PRIMARY KEY (name, scope)
    );
    """,
    """
    -- review: an order that splits can insert into, comments, and the append-only history of changes
    ALTER TABLE beads ADD COLUMN pos REAL NOT NULL DEFAULT 0;
    ALTER TABLE beads ADD COLUMN comment TEXT NOT NULL DEFAULT '';
    UPDATE beads SET pos = ordinal;
    CREATE INDEX beads_article ON beads(en_id, level, pos);
    CREATE TABLE history (
        id INTEGER PRIMARY KEY,
        en_id TEXT NOT NULL,
        action TEXT NOT NULL,
        who TEXT NOT NULL,
        at TEXT NOT NULL,
        before TEXT NOT NULL,   -- JSON list of bead rows as they were
        after TEXT NOT NULL,    -- JSON list of bead rows as they became
        undoes INTEGER REFERENCES history(id),
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX history_article ON history(en_id, id);
    """,
    """
    -- bead ids are never reused (AUTOINCREMENT): an open review tab must never reach a new bead with an old id
    CREATE TABLE beads_v7 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        en_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        ar_id TEXT REFERENCES articles(id) ON DELETE SET NULL,
        level TEXT NOT NULL CHECK (level IN ('turn', 'sentence')),
        ordinal INTEGER NOT NULL,
        parent INTEGER,
        ar_index TEXT NOT NULL,
        en_index TEXT NOT NULL,
        role TEXT NOT NULL,
        ar TEXT NOT NULL,
        en TEXT NOT NULL,
        score REAL NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('human', 'synthetic')),
        status TEXT NOT NULL DEFAULT 'unreviewed' CHECK (status IN ('unreviewed', 'accepted', 'rejected')),
        mt TEXT,
        mt_model TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        pos REAL NOT NULL DEFAULT 0,
        comment TEXT NOT NULL DEFAULT '',
        UNIQUE (en_id, level, ordinal)
    );
    INSERT INTO beads_v7 (id, en_id, ar_id, level, ordinal, parent, ar_index, en_index, role, ar, en, score, origin, status,
                          mt, mt_model, version, pos, comment)
        SELECT id, en_id, ar_id, level, ordinal, parent, ar_index, en_index, role, ar, en, score, origin, status,
               mt, mt_model, version, pos, comment FROM beads;
    -- ids already handed out (and since deleted) stay taken
    DELETE FROM sqlite_sequence WHERE name = 'beads_v7';
    INSERT INTO sqlite_sequence (name, seq) SELECT 'beads_v7', MAX(COALESCE((SELECT MAX(id) FROM beads), 0),
        COALESCE((SELECT MAX(CAST(json_extract(value, '$.id') AS INTEGER)) FROM history, json_each(history.before)), 0),
        COALESCE((SELECT MAX(CAST(json_extract(value, '$.id') AS INTEGER)) FROM history, json_each(history.after)), 0));
    DROP TABLE beads;
    ALTER TABLE beads_v7 RENAME TO beads;
    CREATE INDEX beads_article ON beads(en_id, level, pos);
    """,
    """
    -- documents `mt align` aligned, so that the same pair aligned again costs nothing
    CREATE TABLE align_docs (
        key TEXT PRIMARY KEY,      -- sha256 of the languages and both sides' segments
        name TEXT NOT NULL,
        src_lang TEXT NOT NULL,
        tgt_lang TEXT NOT NULL,
        n INTEGER NOT NULL,
        m INTEGER NOT NULL,
        params TEXT NOT NULL,      -- digest of the aligner's fitted values
        method TEXT NOT NULL,
        beads TEXT NOT NULL,       -- JSON list of [[source ids], [target ids], probability]
        aligned_at TEXT NOT NULL
    );
    -- the corpus lexicon: expected IBM-1 link counts, per source that taught them (so that they can be
    -- taken back when the source is redone), and their sums, which are what alignment reads
    CREATE TABLE lexicon_counts (
        source TEXT NOT NULL,      -- doc:KEY or article:EN_ID
        direction TEXT NOT NULL,   -- ar>en: an Arabic word generating an English one; en>ar: the other way
        links INTEGER NOT NULL,
        data BLOB NOT NULL,        -- zlib-compressed JSON [[from words], [to words], [counts]]
        PRIMARY KEY (source, direction)
    );
    CREATE TABLE lexicon_totals (
        direction TEXT NOT NULL,
        src TEXT NOT NULL,
        tgt TEXT NOT NULL,
        count REAL NOT NULL,
        PRIMARY KEY (direction, src, tgt)
    ) WITHOUT ROWID;
    CREATE TABLE lexicon_sources (
        source TEXT PRIMARY KEY,
        pairs REAL NOT NULL,
        reviewed INTEGER NOT NULL,
        state TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    """
    -- review as a daily tool: 'edited' (changed since anyone approved it), the server's lasting secrets,
    -- who each article is assigned to, reviewed work a re-ingest could not carry, and the concordance index
    CREATE TABLE beads_v9 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        en_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        ar_id TEXT REFERENCES articles(id) ON DELETE SET NULL,
        level TEXT NOT NULL CHECK (level IN ('turn', 'sentence')),
        ordinal INTEGER NOT NULL,
        parent INTEGER,
        ar_index TEXT NOT NULL,
        en_index TEXT NOT NULL,
        role TEXT NOT NULL,
        ar TEXT NOT NULL,
        en TEXT NOT NULL,
        score REAL NOT NULL,
        origin TEXT NOT NULL CHECK (origin IN ('human', 'synthetic')),
        status TEXT NOT NULL DEFAULT 'unreviewed' CHECK (status IN ('unreviewed', 'accepted', 'rejected', 'edited')),
        mt TEXT,
        mt_model TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        pos REAL NOT NULL DEFAULT 0,
        comment TEXT NOT NULL DEFAULT '',
        UNIQUE (en_id, level, ordinal)
    );
    INSERT INTO beads_v9 (id, en_id, ar_id, level, ordinal, parent, ar_index, en_index, role, ar, en, score, origin, status,
                          mt, mt_model, version, pos, comment)
        SELECT id, en_id, ar_id, level, ordinal, parent, ar_index, en_index, role, ar, en, score, origin, status,
               mt, mt_model, version, pos, comment FROM beads;
    DELETE FROM sqlite_sequence WHERE name = 'beads_v9';
    INSERT INTO sqlite_sequence (name, seq) SELECT 'beads_v9', COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'beads'), 0);
    DROP TABLE beads;
    ALTER TABLE beads_v9 RENAME TO beads;
    CREATE INDEX beads_article ON beads(en_id, level, pos);
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE assignments (
        en_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        reviewer TEXT NOT NULL,
        assigned_by TEXT NOT NULL,
        assigned_at TEXT NOT NULL
    );
    CREATE TABLE stranded (
        id INTEGER PRIMARY KEY,
        old_en_id TEXT NOT NULL,   -- the earlier version of the article, where the work was done (kept as it is)
        new_en_id TEXT NOT NULL,   -- the version it should have reached
        beads TEXT NOT NULL,       -- JSON: ids of the earlier version's beads the work touched
        entries TEXT NOT NULL,     -- JSON: the history entries that did the work
        original TEXT NOT NULL,    -- JSON list of the beads as aligned, before the work
        final TEXT NOT NULL,       -- JSON list of the beads as the work left them
        reason TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'reapplied', 'discarded')),
        resolved_by TEXT,
        resolved_at TEXT,
        created_at TEXT NOT NULL
    );
    CREATE INDEX stranded_new ON stranded(new_en_id, state);
    -- concordance: each sentence bead's sides folded (Arabic without diacritics, letter variants joined),
    -- rowid = bead id; search_state says which version of each bead the index holds
    CREATE VIRTUAL TABLE search_index USING fts5(ar, en, tokenize = 'trigram');
    CREATE TABLE search_state (
        id INTEGER PRIMARY KEY,
        version INTEGER NOT NULL
    );
    """,
    # 10: one file's bytes may be read more than once (a refitted reader, a declared layout): each reading that finds
    # other turns is a version of its own, so articles are unique by bytes, item and reading. SQLite cannot drop a
    # table constraint, so the table is rebuilt with foreign keys off (none of the rows that point at it change).
    """-- foreign keys off
    CREATE TABLE articles_v10 (
        id TEXT PRIMARY KEY,
        sha256 TEXT NOT NULL,
        item INTEGER NOT NULL DEFAULT 0,
        lang TEXT NOT NULL,
        title TEXT,
        date TEXT,
        byline_text TEXT,
        interviewer TEXT,
        interviewee TEXT,
        url TEXT,
        path TEXT NOT NULL,
        encoding TEXT NOT NULL,
        format TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        warnings TEXT NOT NULL DEFAULT '[]',
        reader TEXT NOT NULL DEFAULT '',  -- the reader values' digest (and the declared layout's) the turns come from
        layout TEXT,                      -- the declared site layout applied, by name
        UNIQUE (sha256, item, reader)
    );
    INSERT INTO articles_v10 (id, sha256, item, lang, title, date, byline_text, interviewer, interviewee, url, path,
                              encoding, format, ingested_at, warnings)
        SELECT id, sha256, item, lang, title, date, byline_text, interviewer, interviewee, url, path, encoding, format,
               ingested_at, warnings FROM articles ORDER BY rowid;
    DROP TABLE articles;
    ALTER TABLE articles_v10 RENAME TO articles;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class Store:
    """A corpus in one SQLite file. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path = DEFAULT_DB):
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"cannot open store {self.path}: it is a directory")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._depth = 0  # > 0 inside atomic(): writes join one transaction
            self.db = sqlite3.connect(self.path, timeout=30)
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA journal_mode = WAL")  # readers (the review app) never block writers
            self._migrate()
        except (sqlite3.DatabaseError, OSError) as e:
            raise StoreError(f"cannot open store {self.path}: {e}") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(f"store {self.path} has schema version {version}, newer than this mt ({SCHEMA_VERSION}); upgrade mt")
        for v in range(version, SCHEMA_VERSION):
            rebuild = MIGRATIONS[v].startswith("-- foreign keys off")
            if rebuild:  # only outside a transaction does this pragma take effect
                self.db.execute("PRAGMA foreign_keys = OFF")
            try:
                # rows that pointed at nothing before (a store edited by hand) are not the migration's doing
                orphans = len(self.db.execute("PRAGMA foreign_key_check").fetchall()) if rebuild else 0
                with self._tx():
                    self.db.executescript("BEGIN;" + MIGRATIONS[v] + f"; PRAGMA user_version = {v + 1};")
                    if rebuild and len(self.db.execute("PRAGMA foreign_key_check").fetchall()) > orphans:
                        raise sqlite3.IntegrityError(f"migration to schema {v + 1} left rows pointing at nothing")
            finally:
                if rebuild:
                    self.db.execute("PRAGMA foreign_keys = ON")

    @contextmanager
    def _tx(self) -> Iterator[None]:
        if self._depth:
            yield  # inside atomic(): the outer transaction commits or rolls back
            return
        try:
            yield
            self.db.commit()
        except sqlite3.Error as e:
            self.db.rollback()
            raise StoreError(f"store {self.path}: {e}") from None
        except BaseException:
            self.db.rollback()
            raise

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Several writes (review changes included) as one transaction: all of them, or none."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            self.db.commit()
        except sqlite3.Error as e:
            self.db.rollback()
            raise StoreError(f"store {self.path}: {e}") from None
        except BaseException:
            if self.db.in_transaction:
                self.db.rollback()
            raise
        finally:
            self._depth = 0

    # -- articles ---------------------------------------------------------------------------------

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
                " url, path, encoding, format, ingested_at, warnings, reader, layout) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (article.id, article.source.sha256, item, article.lang, article.title, article.date,
                 article.byline.text, article.byline.interviewer, article.byline.interviewee,
                 article.source.url, article.source.path, article.source.encoding, article.source.format, now,
                 json.dumps(list(article.warnings), ensure_ascii=False), article.source.reader, article.source.layout),
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
            " warnings, item, reader, layout FROM articles WHERE id = ?",
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
                          reader=row[14], layout=row[15]),
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

    # -- translation cache ------------------------------------------------------------------------

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

    # -- beads ------------------------------------------------------------------------------------

    _BEAD_COLS = ("en_id, ar_id, level, ordinal, parent, ar_index, en_index, role, ar, en, score, origin, status, "
                  "mt, mt_model, id, version, pos, comment")

    @staticmethod
    def _bead(row) -> CorpusBead:
        (en_id, ar_id, level, ordinal, parent, ai, ei, role, ar, en, score, origin, status, mt, mt_model, bid, version,
         pos, comment) = row
        return CorpusBead(en_id=en_id, ar_id=ar_id, level=level, ordinal=ordinal, ar=ar, en=en,
                          ar_index=tuple(json.loads(ai)), en_index=tuple(json.loads(ei)), parent=parent, role=role,
                          score=score, origin=origin, status=status, mt=mt, mt_model=mt_model, id=bid, version=version, pos=pos, comment=comment)

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

    def remember_engine(self, tag: str, name: str, model: str | None, src: str, tgt: str) -> None:
        """How to load the engine behind a stored translation's tag again (the review app re-translates edited Arabic)."""
        with self._tx():
            self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                            (f"engine:{tag}", json.dumps({"name": name, "model": model, "src": src, "tgt": tgt})))

    def engine_spec(self, tag: str) -> dict | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (f"engine:{tag}",)).fetchone()
        return json.loads(row[0]) if row else None

    def set_bead_mt(self, rows: list[tuple[int, str, str]]) -> None:
        """Record machine translations ``(bead id, text, model identity)``; the bead's reviewed text is untouched."""
        with self._tx():
            self.db.executemany("UPDATE beads SET mt = ?, mt_model = ? WHERE id = ?", [(t, m, i) for i, t, m in rows])

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

    # -- review: changes with versions and an append-only history ---------------------------------

    def secret(self, name: str) -> str:
        """A random value made once for this store and kept (e.g. the review server's CSRF token)."""
        import secrets

        with self._tx():
            self.db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (f"secret:{name}", secrets.token_urlsafe(24)))
        return self.db.execute("SELECT value FROM meta WHERE key = ?", (f"secret:{name}",)).fetchone()[0]

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

    # -- the corpus lexicon -----------------------------------------------------------------------

    def lexicon_counts(self, direction: str, words_from: list[str], words_to: list[str],
                       exclude: tuple[str, ...] = ()) -> tuple[list[tuple[str, str, float]], dict[str, float]]:
        """The summed link counts from ``words_from`` to ``words_to``, and each from-word's total over every word.

        Counts of the ``exclude`` sources are left out (a document being aligned again must not learn from itself).
        """
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS lex_from (w TEXT PRIMARY KEY) WITHOUT ROWID")
        db.execute("CREATE TEMP TABLE IF NOT EXISTS lex_to (w TEXT PRIMARY KEY) WITHOUT ROWID")
        db.execute("DELETE FROM lex_from")
        db.execute("DELETE FROM lex_to")
        db.executemany("INSERT OR IGNORE INTO lex_from VALUES (?)", [(w,) for w in words_from])
        db.executemany("INSERT OR IGNORE INTO lex_to VALUES (?)", [(w,) for w in words_to])
        triples = db.execute("SELECT t.src, t.tgt, t.count FROM lex_from f JOIN lexicon_totals t ON t.direction = ? AND t.src = f.w "
                             "JOIN lex_to o ON o.w = t.tgt", (direction,)).fetchall()
        totals = dict(db.execute("SELECT t.src, SUM(t.count) FROM lex_from f JOIN lexicon_totals t ON t.direction = ? "
                                 "AND t.src = f.w GROUP BY t.src", (direction,)).fetchall())
        if exclude:
            wanted = set(words_from)
            own: dict[tuple[str, str], float] = {}
            for source in exclude:
                for src, tgt, c in self._source_counts(source, direction):
                    if src in wanted:
                        totals[src] = totals.get(src, 0.0) - c
                        own[(src, tgt)] = own.get((src, tgt), 0.0) + c
            triples = [(a, b, c - own.get((a, b), 0.0)) for a, b, c in triples]
            triples = [t for t in triples if t[2] > 1e-9]
            totals = {w: t for w, t in totals.items() if t > 1e-9}
        db.commit()
        return triples, totals

    def _source_counts(self, source: str, direction: str) -> list[tuple[str, str, float]]:
        row = self.db.execute("SELECT data FROM lexicon_counts WHERE source = ? AND direction = ?", (source, direction)).fetchone()
        if row is None:
            return []
        a, b, c = json.loads(zlib.decompress(row[0]))
        return list(zip(a, b, c))

    def replace_lexicon_source(self, source: LexiconSource, counts: dict[str, list[tuple[str, str, float]]]) -> None:
        """Put one source's counts in place of what it taught before, keeping the sums right (one transaction)."""
        with self._tx():
            db = self.db
            for (direction,) in db.execute("SELECT direction FROM lexicon_counts WHERE source = ?", (source.source,)).fetchall():
                old = self._source_counts(source.source, direction)
                db.executemany("UPDATE lexicon_totals SET count = count - ? WHERE direction = ? AND src = ? AND tgt = ?",
                               [(c, direction, a, b) for a, b, c in old])
                db.executemany("DELETE FROM lexicon_totals WHERE direction = ? AND src = ? AND tgt = ? AND count <= 1e-9",
                               [(direction, a, b) for a, b, _ in old])
            db.execute("DELETE FROM lexicon_counts WHERE source = ?", (source.source,))
            for direction, rows in counts.items():
                rows = [(a, b, round(float(c), 6)) for a, b, c in rows]  # what is added is exactly what can be taken back
                data = zlib.compress(json.dumps([[a for a, _, _ in rows], [b for _, b, _ in rows],
                                                 [c for _, _, c in rows]], ensure_ascii=False).encode("utf-8"))
                db.execute("INSERT INTO lexicon_counts (source, direction, links, data) VALUES (?,?,?,?)",
                           (source.source, direction, len(rows), data))
                db.executemany("INSERT INTO lexicon_totals (direction, src, tgt, count) VALUES (?,?,?,?) "
                               "ON CONFLICT (direction, src, tgt) DO UPDATE SET count = count + excluded.count",
                               [(direction, a, b, c) for a, b, c in rows])
            db.execute("INSERT OR REPLACE INTO lexicon_sources (source, pairs, reviewed, state, updated_at) VALUES (?,?,?,?,?)",
                       (source.source, source.pairs, source.reviewed, source.state, utc_now()))

    def lexicon_sources(self) -> list[LexiconSource]:
        rows = self.db.execute(
            "SELECT s.source, s.pairs, s.reviewed, s.state, (SELECT COALESCE(SUM(links), 0) FROM lexicon_counts c WHERE c.source = s.source), "
            "s.updated_at FROM lexicon_sources s ORDER BY s.source").fetchall()
        return [LexiconSource(*r) for r in rows]

    def lexicon_source_states(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT source, state FROM lexicon_sources").fetchall())

    def forget_lexicon(self) -> int:
        """Empty the corpus lexicon (articles, documents and their beads stay); how many sources it had."""
        n = self.db.execute("SELECT COUNT(*) FROM lexicon_sources").fetchone()[0]
        with self._tx():
            self.db.execute("DELETE FROM lexicon_counts")
            self.db.execute("DELETE FROM lexicon_totals")
            self.db.execute("DELETE FROM lexicon_sources")
        return n

    def review_states(self, en_id: str | None = None) -> dict[str, str]:
        """For every article with sentence beads (or the one given), a digest of their ids, versions and statuses
        (a review changes it)."""
        rows = self.db.execute("SELECT en_id, group_concat(id || ':' || version || ':' || status, ',') FROM "
                               "(SELECT en_id, id, version, status FROM beads WHERE level = 'sentence' AND origin = 'human' "
                               "AND (? IS NULL OR en_id = ?) ORDER BY en_id, id) GROUP BY en_id", (en_id, en_id)).fetchall()
        return {en: hashlib.sha256(v.encode()).hexdigest()[:16] for en, v in rows}


