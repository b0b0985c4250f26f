"""Two pieces of a document's work on two threads: the results, errors and nesting of ``both``, and IBM-1's two
directions learnt at once giving the model they give one after the other."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from mt.align import bootstrap, concurrent


@pytest.fixture
def two_cores(monkeypatch):
    monkeypatch.delenv("MT_THREADS", raising=False)
    monkeypatch.setattr(concurrent, "cores", lambda: 2)


def _thread() -> str:
    return threading.current_thread().name


def test_the_second_piece_runs_on_another_thread_when_worth_it(two_cores):
    here = _thread()
    a, b = concurrent.both(_thread, _thread)
    assert a == here and b != here
    a, b = concurrent.both(_thread, _thread, worth=False)
    assert a == b == here


def test_one_core_or_mt_threads_1_keeps_both_here(monkeypatch):
    monkeypatch.setenv("MT_THREADS", "1")
    assert concurrent.cores() == 1
    assert concurrent.both(_thread, _thread) == (_thread(), _thread())
    monkeypatch.setenv("MT_THREADS", "3")
    assert 1 <= concurrent.cores() <= 3


def test_an_error_in_either_is_raised_once_both_are_done(two_cores):
    finished = threading.Event()

    def slow():
        time.sleep(0.2)
        finished.set()
        return 1

    def fails():
        raise ValueError("first")

    with pytest.raises(ValueError, match="first"):
        concurrent.both(fails, slow)
    assert finished.is_set()  # the caller did not go on while the other thread still worked

    def fails_too():
        raise KeyError("second")

    with pytest.raises(KeyError):
        concurrent.both(lambda: 1, fails_too)


def test_work_started_on_the_second_thread_runs_there(two_cores, monkeypatch):
    """The pool has one thread: a ``both`` inside its work must not wait for that thread (it would wait for ever)."""
    pool = concurrent.new_pool()
    monkeypatch.setattr(concurrent, "_pool", pool)
    result = []
    t = threading.Thread(target=lambda: result.append(concurrent.both(lambda: 1, lambda: concurrent.both(_thread, _thread))),
                         daemon=True)
    t.start()
    t.join(10)
    pool.shutdown(wait=False, cancel_futures=True)  # were it stuck, this frees it (and the test process's exit)
    assert result, "a both() inside the second piece waited for its own thread"
    inner_first, inner_second = result[0][1]
    assert inner_first == inner_second  # one after the other, on the pool's thread


def test_both_directions_at_once_are_the_model_one_after_the_other(monkeypatch):
    rng = np.random.default_rng(3)
    words_s, words_t = [f"s{k}" for k in range(40)], [f"t{k}" for k in range(35)]
    src = [list(rng.choice(words_s, rng.integers(1, 12))) for _ in range(60)]
    tgt = [list(rng.choice(words_t, rng.integers(1, 12))) for _ in range(60)]
    weights = rng.random(60)
    monkeypatch.setattr(concurrent, "cores", lambda: 2)
    monkeypatch.setattr(bootstrap, "PARALLEL_TOKENS", 0)
    threads: list[str] = []
    em = bootstrap._em
    monkeypatch.setattr(bootstrap, "_em", lambda *a: (threads.append(_thread()), em(*a))[1])
    at_once = bootstrap.learn(src, tgt, weights)
    assert len(set(threads)) == 2
    monkeypatch.setattr(concurrent, "cores", lambda: 1)
    apart = bootstrap.learn(src, tgt, weights)
    for x, y in ((at_once.fwd, apart.fwd), (at_once.bwd, apart.bwd)):
        assert x.rows == y.rows and x.cols == y.cols and x.matrix.nnz > 0
        assert (x.matrix != y.matrix).nnz == 0 and np.array_equal(x.totals, y.totals)
