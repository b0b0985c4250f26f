"""Two independent pieces of one document's work at once, on a second core when there is one.

NumPy, SciPy and SQLite let go of the interpreter while they work, so two such pieces (IBM-1's two
directions, the store's prior read beside the first pass) overlap on two cores. The results are
those of running them one after the other: nothing is shared between the two but what both only read.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")

_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()
_inside = threading.local()  # set on the pool's thread: work it starts runs there, one after the other


def cores() -> int:
    """Cores this process may run on; ``MT_THREADS`` caps them (``MT_THREADS=1``: never a second thread)."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    cap = os.environ.get("MT_THREADS", "").strip()
    return max(1, min(n, int(cap))) if cap.isdigit() else n


def new_pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(1, thread_name_prefix="mt-align", initializer=lambda: setattr(_inside, "on", True))


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = new_pool()
        return _pool


def both(first: Callable[[], A], second: Callable[[], B], worth: bool = True) -> tuple[A, B]:
    """``(first(), second())``, ``second`` on another thread when ``worth`` it (enough work to pay for a hand-over)
    and a second core is free to take it; an error of either is raised once both are done."""
    if not worth or getattr(_inside, "on", False) or cores() < 2:
        a = first()
        return a, second()
    later = _executor().submit(second)
    try:
        a = first()
    finally:
        b = later.result()  # waited for even when first() failed: nothing is left running behind the caller
    return a, b
