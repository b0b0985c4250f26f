"""The review app over HTTP: every operation, its undo, conflicts, and the security rules."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from mt.export import export_store  # noqa: E402
from mt.review.app import create_app  # noqa: E402
from mt.store import Store  # noqa: E402

ART = "syria-direct-2015-05-11-daraa-council-en"
HOSTILE = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@pytest.fixture()
def client(review_db):
    app = create_app(review_db)
    c = TestClient(app, base_url="http://127.0.0.1:8000")
    c.headers.update({"X-MT-CSRF": app.state.csrf, "X-Reviewer": "Rana"})
    c.db = review_db
    return c


def beads(c, **query):
    r = c.get(f"/api/articles/{ART}", params=query)
    assert r.status_code == 200, r.text
    return r.json()["beads"]


def post(c, path, body, status=200):
    r = c.post(path, json=body)
    assert r.status_code == status, r.text
    return r.json()


def snapshot(db):
    with Store(db) as s:
        return [(b.id, b.ar, b.en, b.status, b.pos, b.comment) for b in s.beads(ART)]


def test_machine_translation_is_labelled_by_its_engine(client):
    from mt.translate.base import mt_label

    b = beads(client)
    assert {x["mt_kind"] for x in b if x["mt"]} == {"gloss"} and {x["mt_label"] for x in b if x["mt"]} == {"word glosses (lexicon)"}
    assert mt_label("hf:Helsinki-NLP/opus-mt-ar-en@abc123") == ("translation", "hf Helsinki-NLP/opus-mt-ar-en@abc123")
    assert mt_label("ct2:/models/opus-ct2@sha256:01") == ("translation", "ct2 /models/opus-ct2@sha256:01")
    assert mt_label("lexicon:x.npz@sha256:01")[0] == "gloss" and mt_label("x.npz@sha256:01")[0] == "gloss"  # a store from before tags
    assert mt_label(None)[0] == "none"


def test_an_arabic_edit_is_not_translated_when_its_engine_no_longer_loads(client):
    with Store(client.db) as s:
        tag = next(b.mt_model for b in s.beads(ART) if b.mt_model)
        spec = s.engine_spec(tag)
        assert spec and spec["name"] == "lexicon" and spec["model"]
        s.remember_engine(tag, "lexicon", str(client.db.parent / "gone.npz"), "ar", "en")  # the lexicon file is gone
    b = beads(client)[0]
    r = post(client, f"/api/beads/{b['id']}/edit", {"ar": "جملة عربية أخرى.", "version": 1})
    assert r["translating"] == [] and beads(client)[0]["mt"] is None  # no MT rather than another engine's, unlabelled


def test_pages_list_articles_and_beads(client):
    r = client.get("/")
    assert r.status_code == 200 and ART in r.text and "<progress" in r.text
    assert 'lang="ar"' in client.get(f"/articles/{ART}").text
    data = client.get(f"/api/articles/{ART}").json()
    assert data["total"] == len(data["beads"]) == data["counts"]["unreviewed"] and not data["can_undo"]
    b = data["beads"][0]
    assert {"id", "version", "ar", "en", "mt", "score", "status", "role", "kind", "comment"} <= set(b)
    assert client.get("/api/articles/no-such-article").status_code == 404


def test_filters_and_sorting(client):
    all_ = beads(client)
    post(client, f"/api/beads/{all_[0]['id']}/status", {"status": "accepted", "version": 1})
    assert [b["id"] for b in beads(client, status="accepted")] == [all_[0]["id"]]
    assert len(beads(client, status="unreviewed")) == len(all_) - 1
    low = beads(client, below=0.9)
    assert low and all(b["score"] < 0.9 for b in low)
    worst = beads(client, sort="score")
    assert [b["score"] for b in worst] == sorted(b["score"] for b in all_)
    assert client.get(f"/api/articles/{ART}", params={"sort": "nonsense"}).status_code == 400
    r = client.get("/next", follow_redirects=False)
    assert r.status_code == 303 and "#bead-" in r.headers["location"]


def test_status_edit_comment_and_their_undo(client):
    b = beads(client)[0]
    before = snapshot(client.db)
    changed = post(client, f"/api/beads/{b['id']}/status", {"status": "rejected", "version": 1})["changed"]
    assert [(c["id"], c["status"], c["version"]) for c in changed] == [(b["id"], "rejected", 2)]
    r = post(client, f"/api/beads/{b['id']}/edit", {"en": "A corrected English sentence.", "ar": "جملة عربية مصححة.", "version": 2})
    assert r["changed"][0]["mt"] is None and r["translating"] == [b["id"]]  # the old translation was of the old Arabic
    now = beads(client)[0]
    assert now["en"] == "A corrected English sentence." and now["ar"] == "جملة عربية مصححة." and now["version"] == 3
    # translated again, in the background, by the engine that made the article's other translations (and labelled so)
    assert now["mt"] and now["mt"] != b["mt"] and now["mt_kind"] == "gloss" and now["mt_label"] == "word glosses (lexicon)"
    post(client, f"/api/beads/{b['id']}/comment", {"text": "check the figure", "version": 3})
    assert beads(client)[0]["comment"] == "check the figure" and beads(client)[0]["version"] == 4
    assert post(client, f"/api/beads/{b['id']}/comment", {"text": "stale", "version": 3}, 409)["current"][0]["comment"] == "check the figure"
    for _ in range(3):
        post(client, f"/api/articles/{ART}/undo", {})
    assert snapshot(client.db) == before
    assert beads(client)[0]["version"] == 7  # versions only go up, undo included
    assert client.get(f"/api/articles/{ART}").json()["changes"] == 6  # three changes, three undos
    assert post(client, f"/api/articles/{ART}/undo", {}, 404)["error"] == "nothing to undo in this article"


def test_merge_split_move_and_undo(client):
    first, second, third = beads(client)[:3]
    before = snapshot(client.db)
    post(client, f"/api/beads/{first['id']}/merge", {"version": 1, "next_version": 1})
    merged = beads(client)
    assert merged[0]["en"] == f"{first['en']} {second['en']}" and merged[1]["id"] == third["id"]
    assert len(merged) == len(before) - 1
    post(client, f"/api/articles/{ART}/undo", {})
    assert snapshot(client.db) == before

    cut = first["en"].index(" ", 20)
    version = beads(client)[0]["version"]  # the undo gave it a new version
    post(client, f"/api/beads/{first['id']}/split", {"ar_at": len(first["ar"]), "en_at": cut, "version": version})
    after = beads(client)
    assert after[0]["en"] == first["en"][:cut].strip() and after[0]["ar"] == first["ar"]
    assert after[1]["en"] == first["en"][cut:].strip() and after[1]["ar"] == "" and after[2]["id"] == second["id"]
    assert after[0]["pos"] < after[1]["pos"] < after[2]["pos"]
    post(client, f"/api/articles/{ART}/undo", {})
    assert snapshot(client.db) == before

    two = next(b for b in beads(client) if b["en"].count(". ") >= 1 and b["kind"] != "1-0")
    k = [b["id"] for b in beads(client)].index(two["id"])
    nxt = beads(client)[k + 1]
    post(client, f"/api/beads/{two['id']}/move", {"side": "en", "direction": "next", "version": two["version"],
                                                   "other_version": nxt["version"]})
    moved = {b["id"]: b for b in beads(client)}
    assert moved[nxt["id"]]["en"].endswith(nxt["en"]) and len(moved[two["id"]]["en"]) < len(two["en"])
    assert (moved[two["id"]]["en"] + " " + moved[nxt["id"]]["en"]).split() == (two["en"] + " " + nxt["en"]).split()
    post(client, f"/api/articles/{ART}/undo", {})
    assert snapshot(client.db) == before


def test_bad_operations(client):
    b = beads(client)
    last = b[-1]
    assert "last bead" in post(client, f"/api/beads/{last['id']}/merge", {"version": last["version"]}, 400)["error"]
    assert post(client, f"/api/beads/{b[0]['id']}/status", {"status": "maybe", "version": 1}, 400)["error"].startswith("status")
    assert "version" in post(client, f"/api/beads/{b[0]['id']}/status", {"status": "accepted"}, 400)["error"]
    assert post(client, f"/api/beads/{b[0]['id']}/split", {"ar_at": 0, "en_at": 0, "version": 1}, 400)["error"]
    assert post(client, f"/api/beads/{b[0]['id']}/split", {"ar_at": -1, "en_at": 5, "version": 1}, 400)["error"]
    assert post(client, f"/api/beads/{b[0]['id']}/move", {"side": "en", "direction": "prev", "version": 1}, 400)["error"]
    assert post(client, f"/api/beads/{b[0]['id']}/explode", {}, 404)["error"]
    assert post(client, "/api/beads/999999/status", {"status": "accepted", "version": 1}, 404)["error"]
    r = client.post(f"/api/beads/{b[0]['id']}/status", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400


def test_a_stale_edit_is_a_conflict_with_both_texts(client, review_db):
    b = beads(client)[0]
    other = TestClient(client.app, base_url="http://127.0.0.1:8000")
    other.headers.update({"X-MT-CSRF": client.app.state.csrf, "X-Reviewer": "Omar"})
    post(other, f"/api/beads/{b['id']}/edit", {"en": "Omar's version.", "version": 1})
    r = post(client, f"/api/beads/{b['id']}/edit", {"en": "Rana's version.", "version": 1}, 409)
    assert "changed since it was loaded" in r["error"] and r["current"][0]["en"] == "Omar's version."
    assert beads(client)[0]["en"] == "Omar's version."  # nothing overwritten
    with Store(review_db) as s:
        who = [h.who for h in s.history(ART)]
    assert who == ["Omar"]


def test_undo_survives_a_restart_and_history_is_append_only(review_db):
    app = create_app(review_db)
    c = TestClient(app, base_url="http://127.0.0.1")
    c.headers.update({"X-MT-CSRF": app.state.csrf})
    b = c.get(f"/api/articles/{ART}").json()["beads"][0]
    c.post(f"/api/beads/{b['id']}/status", json={"status": "accepted", "version": 1})
    app2 = create_app(review_db)  # a new server process over the same store
    c2 = TestClient(app2, base_url="http://127.0.0.1")
    c2.headers.update({"X-MT-CSRF": app2.state.csrf})
    assert c2.get(f"/api/articles/{ART}").json()["undo"]["action"] == "status"
    assert c2.post(f"/api/articles/{ART}/undo", json={}).status_code == 200
    assert c2.get(f"/api/articles/{ART}").json()["beads"][0]["status"] == "unreviewed"
    hist = c2.get(f"/api/articles/{ART}/history").json()["history"]
    assert [h["action"] for h in hist] == ["status", "undo"] and hist[1]["undoes"] == hist[0]["id"]
    assert hist[0]["who"] == "anonymous" and hist[0]["before"][0]["status"] == "unreviewed"
    assert hist[0]["after"][0]["status"] == "accepted"


def test_the_csrf_token_outlives_a_restart(review_db):
    first = create_app(review_db)
    page = TestClient(first, base_url="http://127.0.0.1").get(f"/articles/{ART}").text
    token = page.split('name="mt-csrf" content="')[1].split('"')[0]
    again = TestClient(create_app(review_db), base_url="http://127.0.0.1")  # the server restarted; the tab did not
    b = again.get(f"/api/articles/{ART}").json()["beads"][0]
    r = again.post(f"/api/beads/{b['id']}/edit", json={"en": "Typed before the restart.", "version": 1}, headers={"X-MT-CSRF": token})
    assert r.status_code == 200 and again.get("/api/csrf").json() == {"csrf": token}
    assert token != "" and len(token) >= 24


def test_exports_use_the_reviewed_state(client, tmp_path):
    b = beads(client)
    post(client, f"/api/beads/{b[0]['id']}/status", {"status": "rejected", "version": 1})
    edited = b[1]["en"].replace("Rebel factions", "Armed rebel factions")
    assert edited != b[1]["en"]
    post(client, f"/api/beads/{b[1]['id']}/edit", {"en": edited, "version": 1})
    post(client, f"/api/beads/{b[1]['id']}/status", {"status": "accepted", "version": 2})
    with Store(client.db) as s:
        rows = [r for r in export_store(s, tmp_path, ["jsonl"])[0].counts]
        text = (tmp_path / "corpus.jsonl").read_text("utf-8")
        assert b[0]["en"] not in text
        assert edited in text and b[1]["en"] not in text
        info, _ = export_store(s, tmp_path / "acc", ["jsonl"], only_accepted=True)
    assert rows and sum(info.counts.values()) == 1


def test_csrf_origin_content_type_and_host(client):
    b = beads(client)[0]
    plain = TestClient(client.app, base_url="http://127.0.0.1:8000")
    assert plain.post(f"/api/beads/{b['id']}/status", json={"status": "accepted", "version": 1}).status_code == 403
    r = client.post(f"/api/beads/{b['id']}/status", json={"status": "accepted", "version": 1},
                    headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "cross-site" in r.json()["error"]
    r = client.post(f"/api/beads/{b['id']}/status", content="status=accepted", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 415
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400  # DNS rebinding
    assert beads(client)[0]["status"] == "unreviewed"


def test_token_when_listening_beyond_localhost(review_db):
    app = create_app(review_db, token="s3cret", local_only=False)
    c = TestClient(app, base_url="http://192.0.2.10:8000")
    assert c.get("/").status_code == 401 and c.get(f"/api/articles/{ART}").status_code == 401
    r = c.get("/?token=s3cret", follow_redirects=False)
    assert r.status_code == 303 and "token" not in r.headers["location"] and "mt_token" in r.headers["set-cookie"]
    assert c.get("/").status_code == 200  # the cookie now
    fresh = TestClient(app, base_url="http://192.0.2.10:8000")
    assert fresh.get("/api/articles", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert fresh.get("/api/articles", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_static_files_and_headers(client):
    r = client.get("/static/app.js")
    assert r.status_code == 200 and "textContent" in r.text
    for bad in ("/static/../app.py", "/static/..%2fapp.py", "/static/%2e%2e/%2e%2e/store/sqlite.py", "/static/templates"):
        assert client.get(bad).status_code == 404
    r = client.get("/")
    assert "script-src 'self'" in r.headers["content-security-policy"] and r.headers["x-frame-options"] == "DENY"


def test_hostile_text_is_escaped(client):
    b = beads(client)[0]
    post(client, f"/api/beads/{b['id']}/edit", {"en": HOSTILE, "version": 1})
    with Store(client.db) as s:
        s.db.execute("UPDATE articles SET title = ? WHERE id = ?", (HOSTILE, ART))
        s.db.commit()
    for page in (client.get("/").text, client.get(f"/articles/{ART}").text):
        assert "<script>alert" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
    assert beads(client)[0]["en"] == HOSTILE  # stored and served as text; the page sets it with textContent


def test_versions_never_repeat_so_a_stale_tab_cannot_overwrite(client):
    b = beads(client)[0]
    post(client, f"/api/beads/{b['id']}/edit", {"en": "Second text.", "version": 1})  # v2, seen by a second tab
    post(client, f"/api/articles/{ART}/undo", {})
    post(client, f"/api/beads/{b['id']}/edit", {"en": "Third text.", "version": beads(client)[0]["version"]})
    r = post(client, f"/api/beads/{b['id']}/edit", {"en": "The stale tab's text.", "version": 2}, 409)
    assert r["current"][0]["en"] == "Third text." and beads(client)[0]["en"] == "Third text."


def test_bead_ids_are_never_reused(client):
    with Store(client.db) as s:
        top = s.db.execute("SELECT MAX(id) FROM beads").fetchone()[0]
        last = s.bead(top)
        prev = s.beads(last.en_id)[-2]
    assert prev.id != top
    post(client, f"/api/beads/{prev.id}/merge", {"version": prev.version, "next_version": last.version, "next_id": last.id})
    b = beads(client)[0]
    post(client, f"/api/beads/{b['id']}/split", {"ar_at": len(b["ar"]), "en_at": b["en"].index(" ", 10), "version": 1})
    assert max(x["id"] for x in beads(client)) > top  # the merged-away id stays retired
    # the merged-away id is a conflict (the text lives on in the bead it was merged into), not a missing bead
    r = post(client, f"/api/beads/{top}/edit", {"en": "x", "version": 1}, 409)
    assert f"bead {top} is gone" in r["error"] and "merge" in r["error"] and [c["id"] for c in r["current"]] == [prev.id]
    assert last.en in r["current"][0]["en"]
    assert client.post("/api/beads/999999/edit", json={"en": "x", "version": 1}).status_code == 404  # never existed


def test_an_edit_by_someone_else_resets_approval(client):
    b, c, d = beads(client)[:3]
    post(client, f"/api/beads/{b['id']}/status", {"status": "accepted", "version": 1, "reviewer": "Amal"})
    r = post(client, f"/api/beads/{b['id']}/edit", {"en": "Changed by Bilal.", "version": 2, "reviewer": "Bilal"})
    assert r["changed"][0]["status"] == "edited"
    assert beads(client, status="edited")[0]["id"] == b["id"]
    # the approver editing their own approved text keeps it approved
    post(client, f"/api/beads/{c['id']}/status", {"status": "accepted", "version": 1, "reviewer": "Amal"})
    r = post(client, f"/api/beads/{c['id']}/edit", {"en": "Amal's own wording.", "version": 2, "reviewer": "Amal"})
    assert r["changed"][0]["status"] == "accepted"
    # an edit of a bead nobody reviewed yet waits for approval; so does a fix of a rejected one
    r = post(client, f"/api/beads/{d['id']}/edit", {"en": "Fixed.", "version": 1, "reviewer": "Amal"})
    assert r["changed"][0]["status"] == "edited"
    e = beads(client)[3]
    post(client, f"/api/beads/{e['id']}/status", {"status": "rejected", "version": 1, "reviewer": "Amal"})
    assert post(client, f"/api/beads/{e['id']}/edit", {"en": "Fixed.", "version": 2, "reviewer": "Amal"})["changed"][0]["status"] == "edited"
    # an undone approval does not count: the approver is whoever set the status last, undo aside
    f = beads(client)[4]
    post(client, f"/api/beads/{f['id']}/status", {"status": "accepted", "version": 1, "reviewer": "Amal"})
    post(client, f"/api/beads/{f['id']}/status", {"status": "accepted", "version": 2, "reviewer": "Bilal"})  # no-op: stays Amal's
    r = post(client, f"/api/beads/{f['id']}/edit", {"en": "By Bilal.", "version": 2, "reviewer": "Bilal"})
    assert r["changed"][0]["status"] == "edited"
    counts = client.get(f"/api/articles/{ART}").json()["counts"]
    assert counts["edited"] == 4 and counts["accepted"] == 1


def test_neighbours_must_be_the_ones_on_screen(client):
    a, b, c = beads(client)[:3]
    r = post(client, f"/api/beads/{a['id']}/merge", {"version": 1, "next_version": c["version"], "next_id": c["id"]}, 409)
    assert "not the one on your screen" in r["error"]
    r = post(client, f"/api/beads/{b['id']}/move", {"side": "en", "direction": "prev", "version": 1, "other_version": 1,
                                                    "other_id": c["id"]}, 409)
    assert len(beads(client)) == 27  # nothing merged or moved
    r = post(client, f"/api/beads/{a['id']}/status", {"status": "accepted", "version": 1, "article": "another-article"}, 409)


def test_undo_says_what_it_undoes_and_refuses_to_lose_later_work(client):
    b = beads(client)
    post(client, f"/api/beads/{b[0]['id']}/edit", {"en": "First reviewer's edit.", "version": 1, "reviewer": "محمد"})
    data = client.get(f"/api/articles/{ART}").json()
    assert data["undo"]["who"] == "محمد" and data["undo"]["action"] == "edit"
    entry = data["undo"]["id"]
    post(client, f"/api/beads/{b[1]['id']}/status", {"status": "accepted", "version": 1, "reviewer": "Omar"})
    r = post(client, f"/api/articles/{ART}/undo", {"entry": entry}, 409)  # Omar's change came after what was shown
    assert "status by Omar" in r["error"]
    post(client, f"/api/articles/{ART}/undo", {"entry": entry + 1})
    with Store(client.db) as s:  # the bead changed outside the review: undoing the edit would lose that
        s.db.execute("UPDATE beads SET en = 'changed elsewhere' WHERE id = ?", (b[0]["id"],))
        s.db.commit()
    r = post(client, f"/api/articles/{ART}/undo", {"entry": entry}, 409)
    assert "changed again" in r["error"] and beads(client)[0]["en"] == "changed elsewhere"


def test_turn_beads_and_absurd_ids(client):
    with Store(client.db) as s:
        turn = s.beads(ART, level="turn")[0]
    assert post(client, f"/api/beads/{turn.id}/status", {"status": "accepted", "version": 1}, 400)["error"]
    assert client.post("/api/beads/99999999999999999999999/status", json={"status": "accepted", "version": 1}).status_code in (404, 422)
    r = client.get("/api/articles/nope")
    assert r.status_code == 404 and str(client.db) not in r.text


def test_next_moves_on_to_the_next_article(client):
    order = [a["id"] for a in client.get("/api/articles").json()["articles"]]
    r = client.get("/next", params={"after": order[0]}, follow_redirects=False)
    assert r.headers["location"].startswith(f"/articles/{order[1]}#bead-")
    for a in order:
        for b in client.get(f"/api/articles/{a}").json()["beads"]:
            post(client, f"/api/beads/{b['id']}/status", {"status": "accepted", "version": b["version"], "confirm_gloss": b["gloss"]})
    r = client.get("/next", follow_redirects=False)
    assert r.headers["location"] == "/?done=1" and "Every bead is reviewed" in client.get("/?done=1").text


def test_a_fresh_token_beats_an_old_cookie(review_db):
    app = create_app(review_db, token="new-token", local_only=False)
    c = TestClient(app, base_url="http://192.0.2.10:8000")
    c.cookies.set("mt_token_8000", "old-token")
    assert c.get("/").status_code == 401
    assert c.get("/?token=new-token").status_code == 200  # redirected, with the new cookie
    assert c.get("/api/articles").status_code == 200


def test_accepted_pairs_pass_the_heuristic_filters(client, tmp_path):
    b = beads(client)[0]
    short = "Water station down."  # far shorter than the Arabic: the length-ratio filter would drop it
    post(client, f"/api/beads/{b['id']}/edit", {"en": short, "version": 1})
    with Store(client.db) as s:
        export_store(s, tmp_path / "a", ["jsonl"])
    assert short not in (tmp_path / "a" / "corpus.jsonl").read_text("utf-8")
    post(client, f"/api/beads/{b['id']}/status", {"status": "accepted", "version": 2})
    with Store(client.db) as s:
        export_store(s, tmp_path / "b", ["jsonl"])
    assert short in (tmp_path / "b" / "corpus.jsonl").read_text("utf-8")


def test_accepting_an_accepted_bead_changes_nothing_and_writes_no_history(client):
    b = beads(client)[0]
    first = post(client, f"/api/beads/{b['id']}/status", {"status": "accepted", "version": 1})
    assert first["history"] is not None and first["changed"][0]["version"] == 2
    with Store(client.db) as s:
        n = len(s.history(ART))
    again = post(client, f"/api/beads/{b['id']}/status", {"status": "accepted", "version": 2})
    assert again["history"] is None and [(c["id"], c["status"], c["version"]) for c in again["changed"]] == [(b["id"], "accepted", 2)]
    with Store(client.db) as s:
        assert len(s.history(ART)) == n and s.bead(b["id"]).version == 2
    # a stale version is still a conflict, not a silent no-op
    post(client, f"/api/beads/{b['id']}/status", {"status": "accepted", "version": 1}, 409)


def test_pages_for_ids_that_are_not_a_pair_say_what_they_are(client):
    with Store(client.db) as s:
        pair = next(p for p in s.pairs() if p.en_id == ART)
        s.db.execute("DELETE FROM pairs WHERE en_id = ?", ("syria-direct-2015-09-07-douma-schools-en",))
        s.db.execute("DELETE FROM beads WHERE en_id = ?", ("syria-direct-2015-09-07-douma-schools-en",))
        s.db.commit()
        douma_ar = next(a.id for a in s.list_articles("ar") if "douma" in a.id)
    ar_page = client.get(f"/articles/{pair.ar_id}")
    assert ar_page.status_code == 200 and "Arabic source of" in ar_page.text and f"/articles/{ART}" in ar_page.text
    assert 'id="beads"' not in ar_page.text
    left = client.get("/articles/syria-direct-2015-09-07-douma-schools-en").text
    assert "found no Arabic source" in left
    assert "is not the source of any English article" in client.get(f"/articles/{douma_ar}").text
    index = client.get("/").text
    listed = index.split('id="unpaired-list"')[1]
    assert "syria-direct-2015-09-07-douma-schools-en" in listed and douma_ar in listed and ART not in listed


def test_progress_per_reviewer_and_assignment(client):
    b = beads(client)
    post(client, f"/api/beads/{b[0]['id']}/status", {"status": "accepted", "version": 1, "reviewer": "Amal"})
    post(client, f"/api/beads/{b[1]['id']}/status", {"status": "rejected", "version": 1, "reviewer": "Amal"})
    post(client, f"/api/beads/{b[2]['id']}/edit", {"en": "Bilal's text.", "version": 1, "reviewer": "Bilal"})
    post(client, f"/api/beads/{b[3]['id']}/status", {"status": "accepted", "version": 1, "reviewer": "Bilal"})
    post(client, f"/api/articles/{ART}/undo", {"reviewer": "Bilal"})  # Bilal's accept is undone: not his any more
    data = client.get("/api/progress").json()
    rows = {r["reviewer"]: r for r in data["reviewers"]}
    assert rows["Amal"] == {"reviewer": "Amal", "reviewed": 2, "accepted": 1, "rejected": 1, "edited": 0, "unreviewed": 0}
    assert rows["Bilal"]["reviewed"] == 1 and rows["Bilal"]["edited"] == 1
    post(client, f"/api/articles/{ART}/assign", {"assignee": "  Amal  ", "reviewer": "Lead"})
    post(client, f"/api/articles/{ART}/assign", {"assignee": 5}, 400)
    assert client.post("/api/articles/nope/assign", json={"assignee": "x"}).status_code == 404
    page = client.get("/progress").text
    assert "Amal" in page and "assigned" in page
    mine = client.get("/", params={"assignee": "Amal"}).text
    assert ART in mine and mine.count('<tr data-id="') == 1
    assert ART not in client.get("/", params={"assignee": ""}).text.split("<tbody>")[1].split("</tbody>")[0]
    row = next(r for r in client.get("/api/articles").json()["articles"] if r["id"] == ART)
    assert row["assignee"] == "Amal" and row["reviewed"] == 3 and row["reviewers"] == ["Amal", "Bilal"] and row["edited"] == 1
    post(client, f"/api/articles/{ART}/assign", {"assignee": ""})
    assert client.get("/api/articles").json()["articles"][0]["assignee"] is None


def test_an_answer_carries_what_the_page_redraws(client):
    b = beads(client)
    r = post(client, f"/api/beads/{b[0]['id']}/merge", {"version": 1, "next_version": 1, "next_id": b[1]["id"]})
    assert [c["id"] for c in r["changed"]] == [b[0]["id"]] and r["deleted"] == [b[1]["id"]]
    assert r["total"] == len(b) - 1 and r["counts"]["unreviewed"] == len(b) - 1 and r["can_undo"]
    assert r["undo"]["action"] == "merge" and r["changes"] == 1
    r = post(client, f"/api/articles/{ART}/undo", {})
    assert r["deleted"] == [] and sorted(c["id"] for c in r["changed"]) == sorted([b[0]["id"], b[1]["id"]]) and not r["can_undo"]
    r = post(client, f"/api/beads/{b[2]['id']}/status", {"status": "accepted", "version": 1})
    assert r["counts"]["accepted"] == 1 and r["deleted"] == [] and r["changed"][0]["status"] == "accepted"


def test_search_page_finds_both_sides_and_escapes(client):
    b = beads(client)
    post(client, f"/api/beads/{b[3]['id']}/edit", {"en": f"Salaries {HOSTILE} for teachers.", "version": 1})
    post(client, f"/api/beads/{b[4]['id']}/edit", {"ar": "المُعَلِّمون في المدرسةِ", "version": 1})
    post(client, f"/api/beads/{b[4]['id']}/status", {"status": "accepted", "version": 2})
    page = client.get("/search", params={"q": "salaries"}).text
    assert "<mark>Salaries</mark>" in page and "<script>" not in page and "&lt;script&gt;" in page
    plain = client.get("/search", params={"q": "المعلمون", "lang": "ar"}).text  # no diacritics in the term
    assert "<mark>المُعَلِّمون</mark>" in plain and f"#bead-{b[4]['id']}" in plain
    data = client.get("/api/search", params={"q": "مدرسه"}).json()  # ta marbuta folded into ha
    assert data["total"] >= 1 and data["hits"][0]["status"] == "accepted" and data["hits"][0]["id"] == b[4]["id"]
    assert "lang must be" in client.get("/search", params={"q": "x", "lang": "fr"}).text
    assert client.get("/api/search", params={"q": "   "}).status_code == 400


def test_an_earlier_version_of_a_corrected_file_is_not_reviewed(client):
    from dataclasses import replace

    with Store(client.db) as s:
        art = s.get_article(ART)
        b = s.beads(ART)[0]
        s.add_article(replace(art, id=ART + "-2", source=replace(art.source, sha256="f" * 64)))  # the corrected file
    page = client.get(f"/articles/{ART}").text  # the article's address shows its current version, not aligned yet
    assert "not aligned yet" in page and f"/versions/{ART}" in page and 'id="beads"' not in page
    page = client.get(f"/versions/{ART}").text
    assert "version 1 of a corrected file" in page and f'href="/articles/{ART}"' in page and 'id="beads"' not in page
    moved = client.get(f"/articles/{ART}-2", follow_redirects=False)  # a later version's id leads to the article's address
    assert moved.status_code == 301 and moved.headers["location"] == f"/articles/{ART}"
    r = post(client, f"/api/beads/{b.id}/status", {"status": "accepted", "version": 1}, 409)
    assert "earlier version" in r["error"] and f"{ART}-2" in r["error"]
    assert post(client, f"/api/articles/{ART}/undo", {}, 409)["error"].startswith(ART)


def test_a_background_translation_survives_a_change_read_before_it(client):
    with Store(client.db) as s:
        b = s.beads(ART)[0]
        s.db.execute("UPDATE beads SET mt = NULL WHERE id = ?", (b.id,))  # its Arabic was just edited: no MT yet
        s.db.commit()
        stale = s.bead(b.id)  # what a concurrent accept read
        s.set_bead_mt_if_same([(b.id, b.ar, "Fresh translation.", b.mt_model)])  # the background job finishes
        from mt.review import ops

        change = ops.set_status(stale, "accepted", stale.version)
        s.apply_change(ART, change.action, "Rana", expected=change.expected, upserts=change.upserts)
        now = s.bead(b.id)
    assert now.status == "accepted" and now.mt == "Fresh translation."


def test_a_model_that_changed_since_is_not_used_for_new_arabic(client):
    with Store(client.db) as s:
        tag = next(b.mt_model for b in s.beads(ART) if b.mt_model)
        spec = s.engine_spec(tag)
        s.remember_engine("lexicon:other-file.npz@sha256:00", spec["name"], spec["model"], "ar", "en")  # same file, other tag
        s.db.execute("UPDATE beads SET mt_model = 'lexicon:other-file.npz@sha256:00' WHERE en_id = ?", (ART,))
        s.db.commit()
    b = beads(client)[0]
    r = post(client, f"/api/beads/{b['id']}/edit", {"ar": "جملة عربية جديدة.", "version": 1})
    assert r["translating"] == [] and beads(client)[0]["mt"] is None  # the file loads, but as another engine: not used


def test_a_refused_edit_combines_with_a_colleagues_word_by_word(client):
    b = beads(client)[0]
    base = b["en"]
    words = base.split()
    theirs = " ".join(["During", *words[1:]])
    mine = " ".join([*words[:-1], "CHANGED."])
    other = TestClient(client.app, base_url="http://127.0.0.1:8000")
    other.headers.update({"X-MT-CSRF": client.app.state.csrf, "X-Reviewer": "Omar"})
    post(other, f"/api/beads/{b['id']}/edit", {"en": theirs, "version": 1})
    post(client, f"/api/beads/{b['id']}/edit", {"en": mine, "version": 1}, 409)
    r = post(client, f"/api/beads/{b['id']}/combine", {"base": {"en": base, "ar": b["ar"]}, "mine": {"en": mine}})
    en = r["sides"]["en"]
    assert en["conflicts"] == 0 and en["text"] == " ".join(["During", *words[1:-1], "CHANGED."])
    assert (en["theirs_changes"], en["my_changes"]) == (1, 1) and r["target"]["id"] == b["id"] and r["moved"] is None
    # the same word changed two ways: a conflict with both, no merged text
    r = post(client, f"/api/beads/{b['id']}/combine", {"base": {"en": base}, "mine": {"en": " ".join(["After", *words[1:]])}})
    assert r["sides"]["en"]["text"] is None and r["sides"]["en"]["conflicts"] == 1
    (c,) = [c for c in r["sides"]["en"]["chunks"] if c["kind"] == "conflict"]
    assert (c["mine"], c["theirs"]) == ("After", "During")
    assert beads(client)[0]["en"] == theirs  # combining only shows; nothing was written
    post(client, f"/api/beads/{b['id']}/combine", {"base": {}, "mine": {"en": "x"}}, 400)
    post(client, f"/api/beads/{b['id']}/combine", {"base": {"ar": "x"}, "mine": {"en": "x"}}, 400)


def test_an_edit_of_a_bead_merged_away_combines_with_its_sentence_in_the_merged_bead(client):
    first, second = beads(client)[:2]
    other = TestClient(client.app, base_url="http://127.0.0.1:8000")
    other.headers.update({"X-MT-CSRF": client.app.state.csrf, "X-Reviewer": "Omar"})
    post(other, f"/api/beads/{first['id']}/merge", {"version": 1, "next_version": 1, "next_id": second["id"]})
    mine = second["en"].replace(second["en"].split()[0], "Indeed,", 1)
    post(client, f"/api/beads/{second['id']}/edit", {"en": mine, "version": 1}, 409)
    r = post(client, f"/api/beads/{second['id']}/combine", {"base": {"en": second["en"]}, "mine": {"en": mine}})
    assert r["target"]["id"] == first["id"] and r["moved"]["who"] == "Omar" and r["moved"]["action"] == "merge"
    en = r["sides"]["en"]
    # only the reviewer's sentence differs: the other sentence of the merged bead is context, not a deletion
    assert en["text"] == f"{first['en']} {mine}" and en["my_changes"] == 1 and en["theirs_changes"] == 0
    assert en["context"][0] >= len(first["en"])


SYN = "syria-direct-2016-03-14-idlib-truce-en"  # the sample's English-only article: its Arabic is a lexicon's glosses


def test_glosses_are_not_a_translation_to_accept_without_a_word(client, tmp_path):
    glossy = client.get(f"/api/articles/{SYN}").json()["beads"]
    assert glossy and all(b["gloss"] for b in glossy)
    assert not any(b["gloss"] for b in beads(client))  # a real pair's beads are never glosses
    first, second = glossy[:2]
    r = post(client, f"/api/beads/{first['id']}/status", {"status": "accepted", "version": first["version"]}, 400)
    assert "word glosses, not a translation" in r["error"]
    post(client, f"/api/beads/{first['id']}/status", {"status": "rejected", "version": first["version"]})  # rejecting needs no asking
    post(client, f"/api/beads/{second['id']}/status", {"status": "accepted", "version": second["version"], "confirm_gloss": True})
    # an Arabic edit makes it a person's text: no gloss warning, accepted like any bead
    third = glossy[2]
    r = post(client, f"/api/beads/{third['id']}/edit", {"ar": "نص كتبه مراجع.", "version": third["version"]})
    assert r["changed"][0]["gloss"] is False
    post(client, f"/api/beads/{third['id']}/status", {"status": "accepted", "version": r["changed"][0]["version"]})
    # exports keep glosses apart: an accepted, unedited gloss bead never reaches a training split
    with Store(client.db) as s:
        export_store(s, tmp_path / "x", ["jsonl"])
    held = {p.name: p.read_text("utf-8") for p in (tmp_path / "x").rglob("*.jsonl")}
    for name, text in held.items():
        if "synthetic" not in name:
            assert second["en"] not in text and second["ar"] not in text, name
    assert any(second["en"] in t for n, t in held.items() if "synthetic" in n)


def test_every_state_changing_route_refuses_a_forged_request(client):
    """Enumerated from the app itself: a route added later is covered without anyone remembering to."""
    from fastapi.routing import APIRoute

    first = beads(client)[0]
    values = {"bead_id": str(first["id"]), "en_id": ART, "item_id": "1", "op": "status", "action": "discard"}
    routes = [(m, r.path) for r in client.app.routes if isinstance(r, APIRoute) for m in r.methods
              if m not in ("GET", "HEAD", "OPTIONS")]
    assert len(routes) >= 5  # bead operations, combine, undo, assign, stranded work
    before = snapshot(client.db)
    token = client.app.state.csrf
    for method, path in routes:
        url = path.format(**{k: v for k, v in values.items() if "{" + k + "}" in path})
        plain = TestClient(client.app, base_url="http://127.0.0.1:8000")
        body = {"status": "accepted", "version": first["version"], "article": ART}
        cases = {
            "no CSRF token": (403, {"Content-Type": "application/json"}),
            "a foreign Origin": (403, {"Content-Type": "application/json", "X-MT-CSRF": token, "Origin": "http://evil.example"}),
            "a form post": (415, {"Content-Type": "application/x-www-form-urlencoded", "X-MT-CSRF": token}),
        }
        for why, (status, headers) in cases.items():
            r = plain.request(method, url, content=__import__("json").dumps(body), headers=headers)
            assert r.status_code == status, (method, url, why, r.status_code, r.text)
    assert snapshot(client.db) == before  # nothing forged got through
