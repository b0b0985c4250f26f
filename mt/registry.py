"""Named plugins, one style for every kind (readers, cleaners, scorers, engines, exporters).

An entry is the object itself, or ``"module:attr"`` imported on first use, so that naming a plugin
never loads its heavy libraries (``mt --help`` starts at once without torch or ctranslate2). An
unknown name is an error of the kind's own class that lists the available names.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

from mt.errors import InputError, MtError

T = TypeVar("T")


class Registry(Generic[T]):
    """An ordered set of named entries of one kind."""

    def __init__(self, kind: str, error: type[MtError] = InputError, on_import_error: Callable[[str, ImportError], MtError] | None = None):
        self.kind = kind
        self.error = error
        self.on_import_error = on_import_error  # what to say when a lazy entry's library is not installed
        self._entries: dict[str, T | str] = {}

    def register(self, name: str, entry: T | str | None = None):
        """``register(name, obj_or_path)``, or ``@register(name)`` above a function or class."""
        if entry is not None:
            self._entries[name] = entry
            return entry

        def deco(obj: T) -> T:
            self._entries[name] = obj
            return obj

        return deco

    def get(self, name: str) -> T:
        try:
            entry = self._entries[name]
        except KeyError:
            raise self.error(f"unknown {self.kind} {name!r}; available: {', '.join(self.names())}") from None
        if isinstance(entry, str) and ":" in entry:
            module, attr = entry.split(":")
            try:
                loaded = getattr(importlib.import_module(module), attr)
            except ImportError as e:
                if self.on_import_error:
                    raise self.on_import_error(name, e) from None
                raise
            self._entries[name] = loaded
            return loaded
        return entry  # type: ignore[return-value]  # a str entry without ":" is a value, not a path

    __getitem__ = get

    def names(self) -> list[str]:
        return list(self._entries)

    def items(self) -> list[tuple[str, T]]:
        return [(n, self.get(n)) for n in self._entries]

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)
