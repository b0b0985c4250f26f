"""The corpus store. Stages reach it only through :class:`Store`; all SQL lives in this package."""

from mt.store.sqlite import DEFAULT_DB, SCHEMA_VERSION, Store

__all__ = ["DEFAULT_DB", "SCHEMA_VERSION", "Store"]
