"""The store's schema: one migration per version (``PRAGMA user_version``); never edit one that has shipped."""

from __future__ import annotations

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
    # 12: a page's own address and its links to its translations (language alternates), for pairing
    """
    ALTER TABLE articles ADD COLUMN canonical TEXT;
    ALTER TABLE articles ADD COLUMN alternates TEXT NOT NULL DEFAULT '[]';
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
