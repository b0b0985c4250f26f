"""The review screen on a long article: how long one change takes to reach the screen, in a real Chromium.

Builds a store from the bundled corpus, then one article of ~854 sentence beads (the bundled articles' beads
repeated, turn by turn), serves it with the review app, and drives Debian's Chromium with Playwright:
20 accepts (``a``), then 50 moves (an English sentence forward with ``]``, then back from the next bead with
``[``), each pressed after the one before has finished.
Then it presses ``l`` (re-align the rest around the reviewed beads) and times that too.
The page records, for every change, the time from the key to the change being on screen (``total``, the
server's answer included) and the part spent redrawing (``redraw``). It also times one full render of
the list (a filter change: fetch and draw every bead), which is what every change cost before.

    python eval/bench_review.py [--beads 854]

The last line is exactly:

    review: beads=N accept_ms_median=A accept_ms_max=B move_ms_median=M move_ms_max=X redraw_ms_max=R full_render_ms=F realign_ms=L
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LONG = "long-interview-en"


def build(out: Path, n: int) -> Path:
    from mt.pipeline import PipelineConfig, run_pipeline
    from mt.store import Store

    run_pipeline(PipelineConfig(ROOT / "corpora" / "sample", out))
    db = out / "corpus.db"
    with Store(db) as s:
        pair = next(p for p in s.pairs() if p.ar_id)
        art = s.get_article(pair.en_id)
        s.add_article(replace(art, id=LONG, title="A long interview (benchmark)",
                              source=replace(art.source, sha256="bench" + art.source.sha256[5:], path="long.txt")))
        # whole turns of the bundled articles, repeated: each turn bead with its sentence beads, so that re-aligning
        # has the turns' sentences to work on
        source = []
        for p in s.pairs():
            if p.ar_id:
                turns = {t.ordinal: t for t in s.beads(p.en_id, level="turn")}
                by_turn: dict = {}
                for b in s.beads(p.en_id):
                    by_turn.setdefault(b.parent, []).append(b)
                source += [(turns[k], bs) for k, bs in by_turn.items() if k in turns]
        beads, turn_beads = [], []
        while len(beads) < n:
            for tb, bs in source:
                if len(beads) >= n:
                    break
                k = len(turn_beads)
                turn_beads.append(replace(tb, id=None, en_id=LONG, ar_id=pair.ar_id, ordinal=k, version=1))
                beads += [replace(b, id=None, en_id=LONG, ar_id=pair.ar_id, ordinal=len(beads) + x, parent=k, version=1,
                                  status="unreviewed", comment="") for x, b in enumerate(bs[:n - len(beads)])]
        s.replace_beads(LONG, turn_beads + beads)
        s.db.execute("INSERT INTO pairs (en_id, ar_id, score, method, evidence, created_at) VALUES (?, NULL, 1, 'bench', '{}', '')",
                     (LONG,))
        s.db.commit()
    return db


def serve(db: Path):
    import uvicorn

    from mt.review.app import create_app

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    srv = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    return srv, f"http://127.0.0.1:{port}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--beads", type=int, default=854)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        db = build(Path(tmp), args.beads)
        srv, base = serve(db)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.goto(f"{base}/articles/{LONG}")
            page.wait_for_selector("#article[data-busy='0'] .bead.selected")
            n = page.locator(".bead").count()

            def press(key: str) -> None:
                before = page.evaluate("() => window.__mtTimings.length")
                page.keyboard.press(key)
                page.wait_for_function("k => window.__mtTimings.length > k || document.getElementById('status').className === "
                                       "'error'", arg=before)
                page.wait_for_selector("#article[data-busy='0']")
                if page.evaluate("() => window.__mtTimings.length") == before:
                    sys.exit(f"the change for {key!r} failed: {page.locator('#status').inner_text()}")

            for _ in range(20):
                press("a")
            # a sentence forward from one bead, then back from the next: the article ends as it began
            for _ in range(25):
                press("]")
                page.keyboard.press("j")
                press("[")
                page.keyboard.press("k")
            timings = page.evaluate("() => window.__mtTimings")
            # re-align the rest (l): the unreviewed beads of every turn with a reviewed one, around them
            t0 = time.perf_counter()
            page.keyboard.press("l")
            page.wait_for_function("() => /re-align/.test(document.getElementById('status').textContent)")
            page.wait_for_selector("#article[data-busy='0']")
            realign_ms = (time.perf_counter() - t0) * 1000
            realigned = page.locator("#status").inner_text()
            errors = page.locator("#status.error").count()
            t0 = time.perf_counter()
            page.select_option("#f-sort", "score")
            page.wait_for_function("() => document.getElementById('article').dataset.busy === '0' && "
                                   "document.querySelector('.bead .score') !== null")
            page.wait_for_selector("#article[data-busy='0']")
            full = (time.perf_counter() - t0) * 1000
            browser.close()
        srv.should_exit = True
    accepts = [t["total"] for t in timings if t["op"] == "status"]
    moves = [t["total"] for t in timings if t["op"] == "move"]
    redraw = max(t.get("redraw", 0) for t in timings)
    if errors:
        print(f"warning: the page showed an error during the run ({errors})")
    print(f"{n} beads on the page; {len(accepts)} accepts and {len(moves)} moves; each timed from the key to the screen")
    print(f"re-align the rest: {realign_ms:.0f} ms from the key to the screen ({realigned.strip()})")
    print(f"review: beads={n} accept_ms_median={statistics.median(accepts):.1f} accept_ms_max={max(accepts):.1f} "
          f"move_ms_median={statistics.median(moves):.1f} move_ms_max={max(moves):.1f} redraw_ms_max={redraw:.1f} "
          f"full_render_ms={full:.1f} realign_ms={realign_ms:.0f}")


if __name__ == "__main__":
    main()
