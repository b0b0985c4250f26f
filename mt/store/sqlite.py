"""The SQLite store: one class over one connection, composed of a part per concern (each in its own module).

``Store`` is the one way in; ``mt.store.migrations`` holds the schema, ``mt.store.connection`` the file and its
transactions, and ``articles``, ``beads``, ``review``, ``cache`` and ``lexicon`` what is stored about each.
"""

from __future__ import annotations

from mt.store.articles import Articles
from mt.store.beads import Beads
from mt.store.cache import Cache
from mt.store.connection import DEFAULT_DB
from mt.store.lexicon import Lexicon
from mt.store.migrations import MIGRATIONS, SCHEMA_VERSION
from mt.store.review import Review

__all__ = ["DEFAULT_DB", "MIGRATIONS", "SCHEMA_VERSION", "Store"]


class Store(Articles, Beads, Review, Cache, Lexicon):
    """A corpus in one SQLite file. Use as a context manager, or call :meth:`close`."""

    def __enter__(self) -> Store:
        return self
