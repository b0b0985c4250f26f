"""The one exception hierarchy of the library.

Library code raises these; only :mod:`mt.cli` turns them into messages and exit codes.
"""

from __future__ import annotations


class MtError(Exception):
    """Base of every error ``mt`` raises on purpose. Its message is one line for people."""

    exit_code = 1


class InputError(MtError):
    """An input cannot be used: missing, empty, binary, undecodable, malformed or too large."""

    exit_code = 2

    def __init__(self, message: str, path: str | None = None):
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)
        self.reason = message


class OutputError(MtError):
    """An output cannot be written (a directory where a file should go, no permission, disk full)."""

    exit_code = 2


class StoreError(MtError):
    """The corpus store cannot be opened, migrated or queried."""

    exit_code = 3


class NotFoundError(MtError):
    """A record asked for by id does not exist."""

    exit_code = 4


class ModelError(MtError):
    """A translation model cannot be loaded or run."""

    exit_code = 5


class ConflictError(MtError):
    """A change was made against an outdated version of what it changes (another reviewer got there first)."""

    exit_code = 6

    def __init__(self, message: str, current: list | None = None):
        super().__init__(message)
        self.current = current or []  # the records as they are now
