"""``mt review`` as a process: it serves the store, and a non-local address gets a token."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

pytest.importorskip("uvicorn")


def free_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(*args):
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("MT_REVIEW_TOKEN", None)
    return subprocess.Popen([sys.executable, "-m", "mt", "review", *map(str, args)], stderr=subprocess.PIPE, text=True, env=env)


def get(url: str, headers=None):
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def wait_up(url: str, proc) -> None:
    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read())
        try:
            get(url)
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    raise AssertionError("the review server did not come up")


def test_serves_on_localhost(review_db):
    port = free_port()
    proc = start("--db", review_db, "--port", port)
    try:
        wait_up(f"http://127.0.0.1:{port}/", proc)
        status, body = get(f"http://127.0.0.1:{port}/api/articles")
        assert status == 200 and len(json.loads(body)["articles"]) == 6
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert f"http://127.0.0.1:{port}/" in proc.stderr.read()


def test_a_non_local_address_needs_the_printed_token(review_db):
    port = free_port()
    proc = start("--db", review_db, "--port", port, "--host", "0.0.0.0")
    try:
        wait_up(f"http://127.0.0.1:{port}/", proc)
        assert get(f"http://127.0.0.1:{port}/api/articles")[0] == 401
        line = ""
        while "token=" not in line:
            line = proc.stderr.readline()
        token = line.split("token=")[1].split()[0]
        assert get(f"http://127.0.0.1:{port}/api/articles", {"Authorization": f"Bearer {token}"})[0] == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_missing_store_is_one_line(tmp_path):
    r = subprocess.run([sys.executable, "-m", "mt", "review", "--db", str(tmp_path / "none.db")], capture_output=True, text=True)
    assert r.returncode == 2 and "no such store" in r.stderr and len(r.stderr.strip().splitlines()) == 1
