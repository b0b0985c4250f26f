"""The store's one connection: opening and migrating the file, and transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mt.errors import StoreError
from mt.store.migrations import MIGRATIONS, SCHEMA_VERSION

DEFAULT_DB = "mt.db"


class Connection:
    """One SQLite file, migrated on opening, and the transaction helpers every part of the store writes through."""

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

    def __enter__(self):
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
