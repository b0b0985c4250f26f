"""Python's cycle collector held off while a step builds many short-lived objects that form no cycles."""

from __future__ import annotations

import gc
import threading
from contextlib import ContextDecorator

_lock = threading.Lock()
_depth = 0
_was_enabled = False


class collector_paused(ContextDecorator):
    """Run a block (or, as a decorator, a function) with the cycle collector off, and put it back as it was after.

    The aligner and the store's lexicon make hundreds of thousands of tuples, lists and rows per document, none in a
    cycle (reference counting frees them), yet every 700 of them start a collection, and every few hundred of those
    a full one over everything the process holds (on the development chapters aligned one at a time, 8 % of the
    time; Mercurial's ``nogc`` does the same for the same reason). Pauses nest and may overlap across threads: the
    collector comes back when the last one ends, if it was on when the first began.
    """

    def __enter__(self) -> collector_paused:
        global _depth, _was_enabled
        with _lock:
            if _depth == 0:
                _was_enabled = gc.isenabled()
                gc.disable()
            _depth += 1
        return self

    def __exit__(self, *exc: object) -> None:
        global _depth
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
