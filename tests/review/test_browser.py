"""The review app in a real headless Chromium (Debian's package), driven by Playwright: keyboard review,
edits, merge, split, undo across a reload, right-to-left layout and hostile text. Screenshots of the main
screens go to tests/artifacts/ (or $MT_TEST_ARTIFACTS)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium); .ci/run installs it")]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install 'mt[dev]')")

ART = "syria-direct-2015-05-11-daraa-council-en"
ARTIFACTS = Path(os.environ.get("MT_TEST_ARTIFACTS", Path(__file__).parents[1] / "artifacts"))
HOSTILE = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>"


def start(db, port: int = 0, **kw):
    """The review app served on a port (a free one by default), in a thread; (server, thread, port)."""
    import uvicorn

    from mt.review.app import create_app

    if not port:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
    srv = uvicorn.Server(uvicorn.Config(create_app(db, **kw), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "the review server did not start"
    return srv, thread, port


def stop(srv, thread) -> None:
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def server(review_db):
    srv, thread, port = start(review_db)
    yield f"http://127.0.0.1:{port}", review_db
    stop(srv, thread)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                                              "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1300, "height": 900}, locale="en-US")
    pg = ctx.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.errors = []
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    yield pg
    ctx.close()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"review-{name}.png"), full_page=False)


def state(db):
    from mt.store import Store

    with Store(db) as s:
        return s.beads(ART)


def open_article(page, base):
    page.goto(f"{base}/articles/{ART}")
    page.wait_for_selector("#article[data-busy='0'] .bead.selected")


def wait_status(page, text):
    """The operation's message is shown once its result is on screen; then the page is idle again."""
    page.wait_for_function("t => document.getElementById('status').textContent.includes(t)", arg=text)
    page.wait_for_selector("#article[data-busy='0']")
    page.evaluate("() => { document.getElementById('status').textContent = ''; }")


def test_articles_list_and_rtl_layout(server, page):
    base, _ = server
    page.goto(base + "/")
    assert page.locator("#articles tbody tr").count() == 6
    shot(page, "articles")
    open_article(page, base)
    first = page.locator(".bead").first
    ar, en = first.locator(".side.ar"), first.locator(".side.en")
    assert ar.get_attribute("dir") == "rtl" and ar.get_attribute("lang") == "ar"
    assert ar.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert en.evaluate("e => getComputedStyle(e).direction") == "ltr"
    a_box, e_box = ar.bounding_box(), en.bounding_box()
    assert a_box["x"] > e_box["x"] + e_box["width"] - 1  # Arabic on the right, English on the left
    assert first.locator(".mt").count() == 1  # the machine translation under the English
    assert page.locator("#help").is_visible() and "merge with the next bead" in page.locator("#help").inner_text()
    shot(page, "article")
    assert not page.errors


def test_keyboard_review_edit_merge_split_undo_and_reload(server, page):
    base, db = server
    open_article(page, base)
    before = state(db)
    # j then a: the second bead accepted, and the third selected at once; r rejects it
    page.keyboard.press("j")
    page.keyboard.press("a")
    wait_status(page, "accepted")
    assert page.locator(".bead.selected").get_attribute("data-id") == str(before[2].id)
    page.keyboard.press("r")
    wait_status(page, "rejected")
    now = state(db)
    assert now[1].status == "accepted" and now[2].status == "rejected"
    # e: edit the English of the selected bead, Ctrl+Enter saves
    page.keyboard.press("k")
    page.keyboard.press("k")
    page.keyboard.press("e")
    box = page.locator(".bead.selected textarea.edit-en")
    box.fill(before[1].en + " (checked)")
    shot(page, "edit")
    page.keyboard.press("Control+Enter")
    wait_status(page, "saved")
    assert state(db)[1].en == before[1].en + " (checked)"
    # m: merge the selected bead with the next one
    page.keyboard.press("m")
    wait_status(page, "merged")
    merged = state(db)
    assert len(merged) == len(before) - 1 and merged[1].en.endswith(before[2].en)
    # u: undo the merge
    page.keyboard.press("u")
    wait_status(page, "undone")
    assert len(state(db)) == len(before)
    # s: split the selected bead at cursors placed in each side, then Enter
    page.keyboard.press("s")
    page.wait_for_selector(".bead.selected textarea.edit-ar")
    page.evaluate("""() => {
        const row = document.querySelector('.bead.selected');
        const en = row.querySelector('.edit-en'), ar = row.querySelector('.edit-ar');
        en.setSelectionRange(en.value.indexOf(' ', 30), en.value.indexOf(' ', 30));
        ar.setSelectionRange(ar.value.indexOf(' ', 30), ar.value.indexOf(' ', 30));
    }""")
    page.keyboard.press("Enter")
    wait_status(page, "split")
    assert len(state(db)) == len(before) + 1
    shot(page, "split")
    # reload: everything is still there, and u still undoes the split
    page.reload()
    page.wait_for_selector(".bead")
    assert page.locator(".bead").count() == len(before) + 1
    assert page.locator(".bead[data-status='rejected']").count() == 1
    page.keyboard.press("u")
    wait_status(page, "undone")
    after = state(db)
    assert len(after) == len(before) and after[1].en == before[1].en + " (checked)" and after[2].status == "rejected"
    assert not page.errors


def test_comment_move_filters_and_next_unreviewed(server, page):
    base, db = server
    open_article(page, base)
    page.keyboard.press("c")
    page.locator(".comment-input").fill("figure to check")
    page.keyboard.press("Enter")
    wait_status(page, "comment saved")
    assert state(db)[0].comment == "figure to check"
    before = state(db)
    page.keyboard.press("]")  # the last English sentence of the first bead to the second
    wait_status(page, "moved")
    after = state(db)
    assert (after[0].en + " " + after[1].en).split() == (before[0].en + " " + before[1].en).split()
    page.select_option("#f-sort", "score")
    page.wait_for_function("() => document.getElementById('f-sort').value === 'score'")
    page.wait_for_selector("#article[data-busy='0']")
    scores = [float(x.removeprefix("score ")) for x in page.locator(".bead .score").all_inner_texts()]
    assert scores == sorted(scores)
    page.keyboard.press("n")  # the next unreviewed bead
    assert page.locator(".bead.selected[data-status='unreviewed']").count() == 1


def two_reviewers(browser, base):
    """Two browsers with the article open, as two reviewers have it."""
    pages = []
    for _ in range(2):
        pg = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
        pg.goto(f"{base}/articles/{ART}")
        pg.wait_for_selector("#article[data-busy='0'] .bead.selected")
        pages.append(pg)
    return pages


def edit_first_word_and_save(pg, word, last=False):
    pg.keyboard.press("e")
    box = pg.locator(".bead.selected textarea.edit-en")
    words = box.input_value().split(" ")
    words[-1 if last else 0] = word
    box.fill(" ".join(words))
    pg.keyboard.press("Control+Enter")
    return " ".join(words)


def buttons_uncovered(pg, scope):
    """Every button of ``scope`` is the element at its own centre: nothing fixed on screen lies over it."""
    return pg.evaluate("""s => [...document.querySelectorAll(s + ' button')].filter(b => b.offsetParent).every(b => {
        const r = b.getBoundingClientRect();
        if (r.bottom > innerHeight || r.top < 0) b.scrollIntoView({block: 'nearest'});
        const q = b.getBoundingClientRect();
        const at = document.elementFromPoint(q.left + q.width / 2, q.top + q.height / 2);
        return at === b || b.contains(at);
    })""", scope)


def test_conflict_between_two_reviewers_combines_what_does_not_overlap(server, browser):
    base, db = server
    a, b = pages = two_reviewers(browser, base)
    words = state(db)[0].en.split(" ")
    edit_first_word_and_save(a, "During")  # A saves first: the first word
    a.wait_for_function("() => document.getElementById('status').textContent.includes('saved')")
    edit_first_word_and_save(b, "ENDED.", last=True)  # B, from the same text: the last word
    b.wait_for_selector("#conflict:not([hidden]) .diff.merged")
    assert "During" in b.locator("#conflict-body ins.theirs").first.inner_text()
    assert "ENDED" in b.locator("#conflict-body ins.mine").first.inner_text()
    assert b.locator("#conflict-mine-btn").inner_text().startswith("combine: keep their 1 change and add your 1")
    assert b.evaluate("() => document.querySelector('.bead.selected').nextElementSibling.id") == "conflict"
    assert buttons_uncovered(b, "#conflict")
    shot(b, "conflict")
    assert state(db)[0].en == " ".join(["During", *words[1:]])  # nothing written before the reviewer says so
    b.click("#conflict-mine-btn")
    b.wait_for_function("() => document.getElementById('status').textContent.includes('combined')")
    assert state(db)[0].en == " ".join(["During", *words[1:-1], "ENDED."])  # the colleague's word and B's both kept
    for pg in pages:
        pg.context.close()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_same_word_changed_by_two_is_a_choice_never_resolved_silently(server, browser, size):
    base, db = server
    a, b = pages = two_reviewers(browser, base)
    for pg in pages:
        pg.set_viewport_size({"width": size[0], "height": size[1]})
    words = state(db)[0].en.split(" ")
    edit_first_word_and_save(a, "During")
    a.wait_for_function("() => document.getElementById('status').textContent.includes('saved')")
    edit_first_word_and_save(b, "After")
    b.wait_for_selector("#conflict:not([hidden]) .choice")
    assert b.locator("#conflict-mine-btn").is_disabled()  # one place left to choose
    assert b.locator(".choice .pick.theirs").inner_text() == "theirs: During"
    assert b.locator(".choice .pick.mine").inner_text() == "yours: After"
    assert buttons_uncovered(b, "#conflict")
    b.click(".choice .pick.mine")
    assert not b.locator("#conflict-mine-btn").is_disabled()
    b.click("#conflict-mine-btn")
    b.wait_for_function("() => document.getElementById('status').textContent.includes('combined')")
    assert state(db)[0].en == " ".join(["After", *words[1:]])
    for pg in pages:
        pg.context.close()


def test_hostile_text_renders_as_text(server, page):
    base, db = server
    from mt.store import Store

    with Store(db) as s:
        b = s.beads(ART)[0]
        s.db.execute("UPDATE beads SET en = ?, ar = ?, comment = ? WHERE id = ?", (HOSTILE, "نص " + HOSTILE, HOSTILE, b.id))
        s.db.execute("UPDATE articles SET title = ? WHERE id = ?", (HOSTILE, ART))
        s.db.commit()
    page.goto(base + "/")
    open_article(page, base)
    first = page.locator(".bead").first
    assert HOSTILE in first.locator(".side.en").inner_text()
    assert HOSTILE in page.locator("h1").inner_text()
    assert page.locator(".bead img, h1 img, .bead script").count() == 0
    assert page.evaluate("() => window.__pwned") is None and not page.dialogs
    shot(page, "hostile")


def test_arabic_reviewer_name_filtered_merge_and_emoji_split(server, page):
    base, db = server
    from mt.store import Store

    open_article(page, base)
    page.fill("#reviewer", "محمد")
    page.dispatch_event("#reviewer", "change")
    page.locator(".bead.selected").focus()
    page.keyboard.press("a")
    wait_status(page, "accepted")
    with Store(db) as s:
        assert s.history(ART)[-1].who == "محمد"
    # with a filter on, the bead below on screen is not the next one in the article: no merge
    n = len(state(db))
    page.select_option("#f-status", "unreviewed")
    page.wait_for_selector("#article[data-busy='0']")
    page.locator(".bead.selected").focus()
    page.keyboard.press("m")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('every bead in order')")
    assert len(state(db)) == n
    page.select_option("#f-status", "")
    page.wait_for_selector("#article[data-busy='0']")
    # a split after characters outside the BMP lands where the cursor is
    b = state(db)[2]
    with Store(db) as s:
        s.db.execute("UPDATE beads SET en = ? WHERE id = ?", ("Hello 😀😀 world. SECOND part here.", b.id))
        s.db.commit()
    page.reload()
    page.wait_for_selector("#article[data-busy='0'] .bead")
    page.locator(f"#bead-{b.id}").click()
    page.keyboard.press("s")
    page.wait_for_selector(".bead.selected textarea.edit-en")
    page.evaluate("""() => {
        const row = document.querySelector('.bead.selected');
        const en = row.querySelector('.edit-en'), ar = row.querySelector('.edit-ar');
        const at = en.value.indexOf('SECOND');
        en.setSelectionRange(at, at);
        ar.setSelectionRange(ar.value.length, ar.value.length);
    }""")
    page.keyboard.press("Enter")
    wait_status(page, "split")
    texts = [x.en for x in state(db)]
    assert "Hello 😀😀 world." in texts and "SECOND part here." in texts


def test_keys_pressed_while_saving_are_queued_in_order(server, page):
    base, db = server
    open_article(page, base)
    before = state(db)
    for key in "ajaa":  # no waiting between keys: each change waits for the one before it
        page.keyboard.press(key)
    page.wait_for_function("() => window.__mtTimings.length === 3")
    page.wait_for_selector("#article[data-busy='0']")
    assert [b.status for b in state(db)[:5]] == ["accepted", "unreviewed", "accepted", "accepted", "unreviewed"]
    assert page.locator("#status").get_attribute("class") == "ok"
    assert page.locator(".bead.selected").get_attribute("data-id") == str(before[4].id)
    # a change that fails stops the ones pressed after it, and says so
    from mt.store import Store

    with Store(db) as s:  # someone else changes the next bead behind this page's back
        s.db.execute("UPDATE beads SET version = version + 1, en = 'Changed elsewhere.' WHERE id = ?", (before[4].id,))
        s.db.commit()
    # a slow server: both keys are pressed before the first answer comes back
    page.evaluate("""() => { const f = window.fetch; window.fetch = (u, i) => String(u).includes('/status')
        ? new Promise(r => setTimeout(r, 500)).then(() => f(u, i)) : f(u, i); }""")
    for key in "aa":
        page.keyboard.press(key)
    page.wait_for_selector("#conflict:not([hidden])")
    page.wait_for_selector("#article[data-busy='0']")
    assert "stopped: the 1 change pressed after it was not made" in page.locator("#status").inner_text()
    assert [b.status for b in state(db)[4:6]] == ["unreviewed", "unreviewed"]
    assert not page.errors


def test_a_typed_edit_survives_a_failed_save_and_a_reload(server, page):
    base, db = server
    open_article(page, base)
    page.keyboard.press("e")
    page.locator(".bead.selected textarea.edit-en").fill("Typed while the server was away.")
    page.route("**/api/beads/**", lambda route: route.abort())  # the server is down
    page.keyboard.press("Control+Enter")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('did not answer')")
    assert page.locator(".bead.selected textarea.edit-en").input_value() == "Typed while the server was away."
    page.unroute("**/api/beads/**")
    page.reload()  # the tab is reloaded (or the browser restarted) before the server is back
    page.wait_for_selector("#article[data-busy='0'] .bead.selected textarea.edit-en")
    assert page.locator(".bead.selected textarea.edit-en").input_value() == "Typed while the server was away."
    assert "unsaved change is back" in page.locator("#status").inner_text()
    page.keyboard.press("Control+Enter")
    wait_status(page, "saved")
    assert state(db)[0].en == "Typed while the server was away."
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('mt-draft')).length") == 0


def test_an_edit_of_a_bead_merged_away_goes_to_the_bead_that_holds_its_text(server, browser):
    base, db = server
    a, b = pages = two_reviewers(browser, base)
    first, second = state(db)[:2]
    a.keyboard.press("m")  # A merges the first two beads
    a.wait_for_function("() => document.getElementById('status').textContent.includes('merged')")
    b.keyboard.press("j")
    mine = edit_first_word_and_save(b, "Indeed,")
    b.wait_for_selector("#conflict:not([hidden]) .diff.merged")
    assert f"bead {second.id} is gone" in b.locator("#status").inner_text()
    facts = b.locator("#conflict-body .theirs-state").inner_text()
    assert f"now in bead {first.id}" in facts and "merge" in facts
    # the diff is against B's own sentence: the other sentence of the merged bead is greyed context, not struck out
    assert b.locator("#conflict-body .diff.merged .context").first.inner_text().strip() == first.en
    assert b.locator("#conflict-body del").count() == 1 and second.en.split(" ")[0] in b.locator("#conflict-body del").inner_text()
    assert f"to bead {first.id}" in b.locator("#conflict-mine-btn").inner_text()
    assert buttons_uncovered(b, "#conflict")
    shot(b, "merged-away")
    b.click("#conflict-mine-btn")
    b.wait_for_function("() => document.getElementById('status').textContent.includes('combined')")
    assert state(db)[0].en == f"{first.en} {mine}"  # A's merge and B's fix, both
    for pg in pages:
        pg.context.close()


def test_machine_translation_is_labelled_and_can_be_hidden(server, page):
    base, _ = server
    open_article(page, base)
    mt = page.locator(".bead").first.locator(".mt")
    assert mt.locator(".mt-label").inner_text().strip() == "word glosses:" and "word glosses (lexicon)" in mt.get_attribute("title")
    page.keyboard.press("g")
    assert page.locator(".bead .mt").count() == 0
    page.reload()
    page.wait_for_selector("#article[data-busy='0'] .bead")
    assert page.locator(".bead .mt").count() == 0 and not page.locator("#f-mt").is_checked()  # remembered


def test_the_screen_buttons_labels_turns_fonts_contrast_and_width(server, page):
    base, db = server
    open_article(page, base)
    third = page.locator(".bead").nth(2)
    third.locator("button[data-key='a']").click()  # a mouse user's accept
    wait_status(page, "accepted")
    assert state(db)[2].status == "accepted"
    meta = page.locator(".bead").first.locator(".meta").inner_text()
    assert "score " in meta and "role: " in meta and "English :" in meta
    assert page.locator(".bead.turn-start").count() >= 5 and page.locator(".bead .score.low, .bead .score.mid").count() >= 1
    font = page.locator(".bead .side.ar .text").first.evaluate("e => getComputedStyle(e).fontFamily")
    assert font.startswith('"mt Noto Naskh Arabic"')
    # the face is the app's own file, loaded from the app: it does not depend on the fonts of the reviewer's machine
    faces = page.evaluate("""async () => { await document.fonts.ready;
        const got = await document.fonts.load('16px "mt Noto Naskh Arabic"', 'نص');
        return got.map(f => [f.family, f.status]); }""")
    assert faces and all(status == "loaded" for _, status in faces)
    assert page.evaluate("() => performance.getEntriesByType('resource').some(r => r.name.endsWith('noto-naskh-arabic-400.woff2'))")
    # every kind of text on the page reaches WCAG AA (4.5:1) against what is behind it
    ratios = page.evaluate("""() => {
        const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => v / 255)
            .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
        const bg = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
            if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c; } return 'rgb(255, 255, 255)'; };
        const out = {};
        for (const sel of ['.bead .text', '.bead .mt', '.bead .meta .role', '.bead .score.low', '.bead .score.mid', '.bead .score.high',
                           '.badge', '.id', '.columns-head', '.bead .turn-label', 'aside.help dd', '#counts']) {
            const e = document.querySelector(sel); if (!e) continue;
            const a = lum(getComputedStyle(e).color), b = lum(bg(e));
            out[sel] = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
        }
        return out;
    }""")
    assert len(ratios) >= 10 and all(r >= 4.5 for r in ratios.values()), ratios
    wide_before = page.locator(".bead").first.bounding_box()["width"]
    page.keyboard.press("?")  # hide the keys: the columns take the width
    assert page.locator(".bead").first.bounding_box()["width"] > wide_before + 150
    shot(page, "keys-hidden")


def test_search_box_finds_arabic_without_diacritics(server, page):
    base, db = server
    from mt.store import Store

    with Store(db) as s:
        b = s.beads(ART)[3]
        s.db.execute("UPDATE beads SET ar = ?, version = version + 1 WHERE id = ?", ("المُعَلِّمون " + HOSTILE, b.id))
        s.db.commit()
    page.goto(base + "/")
    page.fill("header form.search input[name=q]", "المعلمون")
    page.keyboard.press("Enter")
    page.wait_for_selector("#results .hit")
    hit = page.locator(f"#results .hit[data-id='{b.id}']")
    assert hit.locator("mark").inner_text() == "المُعَلِّمون"
    assert page.locator("#results img, #results script").count() == 0 and page.evaluate("() => window.__pwned") is None
    shot(page, "search")


def test_undo_pressed_right_after_a_change_undoes_that_change(server, page):
    base, db = server
    open_article(page, base)
    page.keyboard.press("a")
    page.keyboard.press("u")  # before the accept has come back: it waits, then undoes the accept
    page.wait_for_function("() => document.getElementById('status').textContent.includes('undone')")
    page.wait_for_selector("#article[data-busy='0']")
    assert state(db)[0].status == "unreviewed" and page.locator("#conflict").is_hidden()
    assert page.locator("#status").get_attribute("class") == "ok"


def test_typing_while_an_earlier_change_to_the_bead_saves_is_kept(server, page):
    base, db = server
    open_article(page, base)
    # the server is slow to answer merges
    page.evaluate("""() => { const f = window.fetch; window.fetch = (u, i) => String(u).includes('/merge')
        ? new Promise(r => setTimeout(r, 1000)).then(() => f(u, i)) : f(u, i); }""")
    page.keyboard.press("m")
    page.keyboard.press("e")
    page.locator(".bead.selected textarea.edit-en").fill("Typed while the merge was saving.")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('merged')")
    page.wait_for_selector("#article[data-busy='0']")
    assert page.locator(".bead.selected textarea.edit-en").input_value() == "Typed while the merge was saving."
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('mt-draft')).length") == 1
    second = state(db)[0].en.split(". ", 1)[1]  # the sentence the merge brought in
    page.keyboard.press("Control+Enter")  # typed on the bead as it was before the merge: shown as a conflict, not lost
    page.wait_for_selector("#conflict:not([hidden])")
    page.click("#conflict-mine-btn")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('saved')")
    # the typing replaced the first sentence; the merge's second sentence is kept beside it, not dropped
    assert state(db)[0].en == f"Typed while the merge was saving. {second}"


def test_an_edit_typed_before_a_restart_with_a_new_token_still_saves(review_db, page):
    srv, thread, port = start(review_db)
    base = f"http://127.0.0.1:{port}"
    open_article(page, base)
    page.keyboard.press("e")
    page.locator(".bead.selected textarea.edit-en").fill("Typed before the restart.")
    stop(srv, thread)
    # the server comes back with another token (as over a replaced store): the page fetches it and tries once more
    srv, thread, _ = start(review_db, port, csrf="a-token-the-page-has-never-seen-0123456789")
    try:
        page.keyboard.press("Control+Enter")
        wait_status(page, "saved")
        assert state(review_db)[0].en == "Typed before the restart."
    finally:
        stop(srv, thread)


def test_reapply_shows_three_texts_and_keeps_the_source_correction(server, page):
    base, db = server
    from dataclasses import asdict

    from mt.store import Store

    with Store(db) as s:
        bead = s.beads(ART)[0]
        words = bead.en.split(" ")
        aligned = " ".join(["OLDWORD", *words[1:]])  # the earlier version's text; the corrected source has words[0]
        left = " ".join(["OLDWORD", *words[1:-1], "EDITED."])  # the reviewer's edit of the last word, then accepted
        orig = {**asdict(bead), "en": aligned}
        s.record_stranded(ART, "an-earlier-version", [([1], [7], [orig], [{**orig, "en": left, "status": "accepted"}], "changed")])
    open_article(page, base)
    page.wait_for_selector("#stranded:not([hidden]) .stranded-item")
    heads = page.locator(".stranded-item .pair.three h4").all_inner_texts()
    assert heads[:2] == ["as it was aligned", "as the reviewers left it"] and heads[2].startswith("as the corrected source has it now")
    cols = page.locator(".stranded-item .pair.three > div")
    assert "OLDWORD" in cols.nth(0).inner_text() and "EDITED" in cols.nth(1).inner_text() and bead.en in cols.nth(2).inner_text()
    result = page.locator(".stranded-item .result").inner_text()
    assert " ".join([words[0], *words[1:-1], "EDITED."]) in result and "edited" in result
    assert buttons_uncovered(page, "#stranded")
    shot(page, "reapply")
    page.click(".stranded-item button.reapply")
    page.wait_for_function("() => document.getElementById('status').textContent.includes('reapplied')")
    now = state(db)[0]
    assert now.en == " ".join([words[0], *words[1:-1], "EDITED."])  # the correction stays, the edit is made on it
    assert now.status == "edited"  # the accept was of other text


def test_a_corrected_file_stays_one_article_with_one_address(pipeline_db, tmp_path, browser):
    """Re-ingested after a correction: the same address and row, the versions in its history, carried work by name."""
    from mt.pipeline import PipelineConfig, run_pipeline
    from mt.review import ops
    from mt.store import Store
    from tests.helpers import CORPUS

    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(CORPUS, corpus)
    shutil.copytree(pipeline_db.parent, out)
    db = out / "corpus.db"
    with Store(db) as s:
        first = s.beads(ART)[0]
        change = ops.edit(first, {"en": first.en.replace("three weeks", "3 weeks")}, first.version, editor="Rana")
        s.apply_change(ART, change.action, "Rana", expected=change.expected, upserts=change.upserts)
    f = corpus / "en" / "syria-direct-2015-05-11-daraa-council.txt"
    f.write_text(f.read_text("utf-8").replace("11 May 2015", "11 May 2015 (corrected)"), "utf-8")
    run_pipeline(PipelineConfig(corpus, out))
    with Store(db) as s:
        (new,) = s.later_versions(ART)
        assert any("3 weeks" in b.en for b in s.beads(new))  # carried
    srv, thread, port = start(db)
    base = f"http://127.0.0.1:{port}"
    pg = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
    try:
        pg.goto(f"{base}/articles/{new}")  # a bookmark of any version's id
        pg.wait_for_selector("#article[data-busy='0'] .bead.selected")
        assert pg.url == f"{base}/articles/{ART}" and pg.locator("#article").get_attribute("data-id") == new
        assert "version 2" in pg.locator("#versions").inner_text()
        assert "3 weeks" in pg.locator("#beads").inner_text()
        pg.click("#history summary")
        pg.wait_for_selector("#history-list li")
        entries = pg.locator("#history-list").inner_text()
        assert "edit by Rana on version 1" in entries and "carried to version 2" in entries
        shot(pg, "versions")
        pg.goto(f"{base}/")
        titles = pg.locator("#articles tbody tr td:first-child a").all_inner_texts()
        assert len(titles) == len(set(titles)) == 6  # one row per article, not one per version
        assert pg.locator(f"#articles tbody tr[data-id='{ART}'] a").get_attribute("href") == f"/articles/{ART}"
        pg.goto(f"{base}/progress")
        rows = pg.locator("#by-article tbody tr").all_inner_texts()
        assert sum("Tafas" in r for r in rows) == 1
    finally:
        pg.context.close()
        stop(srv, thread)


def test_glosses_are_shown_as_glosses_and_accepting_them_asks_first(server, page):
    base, db = server
    syn = "syria-direct-2016-03-14-idlib-truce-en"
    page.goto(f"{base}/articles/{syn}")
    page.wait_for_selector("#article[data-busy='0'] .bead.selected")
    first = page.locator(".bead").first
    assert "word glosses: not a translation; edit before accepting" in first.locator(".tag.gloss").inner_text()
    assert first.locator(".score").inner_text() == "no score" and first.locator(".score.high").count() == 0
    assert "word glosses from a lexicon, not a translation" in page.locator(".tag.synthetic").first.inner_text()
    shot(page, "glosses")
    page.keyboard.press("a")  # the dialog is dismissed: nothing is accepted
    page.wait_for_function("() => document.getElementById('status').textContent.includes('not accepted')")
    assert page.dialogs and "word glosses" in page.dialogs[-1]
    from mt.store import Store

    with Store(db) as s:
        assert {b.status for b in s.beads(syn)} == {"unreviewed"}
    open_article(page, base)
    assert page.locator("#f-mt-label").inner_text() == "word glosses"  # the sample's MT is a lexicon's glosses


def test_realign_the_rest_from_the_keyboard_and_undo_it(server, page):
    from tests.review.test_realign import misalign

    base, db = server
    k, right = misalign(db)
    open_article(page, base)
    first = next(b for b in state(db) if b.parent == k)
    page.click(f"#bead-{first.stored_id} .side.en")
    page.keyboard.press("a")
    wait_status(page, "accepted")
    page.keyboard.press("l")
    wait_status(page, "2 beads changed")
    assert [(b.ar_index, b.en_index) for b in state(db) if b.parent == k] == right
    assert "re-align the rest" in page.locator("#realign-button").inner_text()
    page.keyboard.press("u")
    wait_status(page, "undone")
    assert len([b for b in state(db) if b.parent == k]) == len(right) - 1
    assert not page.errors


def test_realign_after_each_fix_puts_right_the_bead_a_move_left_short(server, page):
    from tests.review.test_realign import shift

    base, db = server
    k, right, first = shift(db)
    open_article(page, base)
    page.check("#auto-realign")
    page.click(f"#bead-{first} .side.en")
    page.keyboard.press("]")  # the first bead's extra English sentence moves on: the next bead now has two
    wait_status(page, "1 turn")
    assert [(b.ar_index, b.en_index) for b in state(db) if b.parent == k] == right  # the move, then the rest re-aligned
    from mt.store import Store

    with Store(db) as s:
        assert [h.action for h in s.history(ART)[-2:]] == ["move", "realign"]
    assert page.evaluate("() => localStorage.getItem('mt-auto-realign')") == "1"
