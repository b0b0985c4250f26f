"""Re-aligning an article around its reviewed beads: anchors kept, the rest aligned again, one undoable change."""

from __future__ import annotations

from dataclasses import replace

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from mt.review.app import create_app  # noqa: E402
from mt.store import Store  # noqa: E402

ART = "syria-direct-2015-05-11-daraa-council-en"


def article_turns(s):
    """The article's turn beads, its sentence beads, and the sentence beads of each turn."""
    sents = s.beads(ART)
    by_turn: dict[int, list] = {}
    for b in sents:
        by_turn.setdefault(b.parent, []).append(b)
    return s.beads(ART, level="turn"), sents, by_turn


def misalign(db) -> tuple[int, list[tuple]]:
    """Store a wrong alignment in one turn (two right 1-1 beads made one 2-2 bead, as a bad aligner might);
    the turn's parent and its beads as they were right."""
    with Store(db) as s:
        turns, sents, by_turn = article_turns(s)
        k = next(k for k, bs in by_turn.items() if len(bs) >= 3 and all(len(b.ar_index) == len(b.en_index) == 1 for b in bs))
        right = [(b.ar_index, b.en_index) for b in by_turn[k]]
        out = []
        for b in sents:
            if b.parent == k and b.stored_id == by_turn[k][1].stored_id:
                c = by_turn[k][2]
                out.append(replace(b, ar=f"{b.ar} {c.ar}", en=f"{b.en} {c.en}", ar_index=b.ar_index + c.ar_index,
                                   en_index=b.en_index + c.en_index))
            elif b.parent == k and b.stored_id == by_turn[k][2].stored_id:
                continue
            else:
                out.append(b)
        s.replace_beads(ART, turns + [replace(b, ordinal=n) for n, b in enumerate(out)])
    return k, right


def shift(db) -> tuple[int, list[tuple], int]:
    """Store one turn shifted by an English sentence (the first bead holds the second's English too, and so on, the last
    bead left with none): the turn, its right beads, and the id of its first bead."""
    with Store(db) as s:
        turns, sents, by_turn = article_turns(s)
        k = next(k for k, bs in by_turn.items() if len(bs) == 3 and all(len(b.ar_index) == len(b.en_index) == 1 for b in bs))
        right = [(b.ar_index, b.en_index) for b in by_turn[k]]
        b0, b1, b2 = by_turn[k]
        wrong = {b0.stored_id: replace(b0, en=f"{b0.en} {b1.en}", en_index=b0.en_index + b1.en_index),
                 b1.stored_id: replace(b1, en=b2.en, en_index=b2.en_index),
                 b2.stored_id: replace(b2, en="", en_index=())}
        out = [wrong.get(b.stored_id, b) for b in sents]
        s.replace_beads(ART, turns + [replace(b, ordinal=n) for n, b in enumerate(out)])
        first = next(b for b in s.beads(ART) if b.parent == k)
    return k, right, first.stored_id


@pytest.fixture()
def client(review_db):
    app = create_app(review_db)
    c = TestClient(app, base_url="http://127.0.0.1:8000")
    c.headers.update({"X-MT-CSRF": app.state.csrf})
    c.db = review_db
    return c


def post(c, path, body, status=200):
    r = c.post(path, json={"reviewer": "Rana", **body})
    assert r.status_code == status, r.text
    return r.json()


def turn_beads(db, k):
    with Store(db) as s:
        return [(b.ar_index, b.en_index, b.status) for b in s.beads(ART) if b.parent == k]


def test_realign_puts_the_rest_right_around_a_reviewed_bead_and_undo_takes_it_back(client):
    k, right = misalign(client.db)
    wrong = turn_beads(client.db, k)
    assert len(wrong) == len(right) - 1
    first = next(b for b in client.get(f"/api/articles/{ART}").json()["beads"] if b["turn"] == k)
    post(client, f"/api/beads/{first['id']}/status", {"status": "accepted", "version": first["version"]})
    changes = client.get(f"/api/articles/{ART}").json()["changes"]
    r = post(client, f"/api/articles/{ART}/realign", {"changes": changes})
    assert r["realigned"] == 2 and "2 beads changed" in r["line"] and r["history"] is not None
    now = turn_beads(client.db, k)
    assert [(a, e) for a, e, _ in now] == right  # the wrong 2-2 bead is two right 1-1 beads again
    assert now[0][2] == "accepted"  # the anchor as it was
    with Store(client.db) as s:
        assert s.history(ART)[-1].action == "realign"
    post(client, f"/api/articles/{ART}/undo", {})
    assert turn_beads(client.db, k) == [(a, e, "accepted" if n == 0 else "unreviewed") for n, (a, e, _) in enumerate(wrong)]


def test_realign_is_refused_when_the_article_changed_since_it_was_loaded(client):
    k, _ = misalign(client.db)
    changes = client.get(f"/api/articles/{ART}").json()["changes"]
    b = client.get(f"/api/articles/{ART}").json()["beads"][0]
    post(client, f"/api/beads/{b['id']}/status", {"status": "accepted", "version": b["version"]})  # a colleague, meanwhile
    before = turn_beads(client.db, k)
    r = post(client, f"/api/articles/{ART}/realign", {"changes": changes}, 409)
    assert "changed since you loaded it" in r["error"]
    assert turn_beads(client.db, k) == before


@pytest.mark.parametrize("which", ["an anchor", "a bead it replaces"])
def test_a_bead_changed_between_planning_and_writing_is_a_conflict(client, monkeypatch, which):
    """The race the page's count cannot see: the version checks refuse the whole change."""
    import mt.review.realign as R
    from mt.review import ops

    k, _ = misalign(client.db)
    with Store(client.db) as s:
        first, second = [x for x in s.beads(ART) if x.parent == k][:2]
        ch = ops.set_status(first, "accepted", first.version)
        s.apply_change(ART, ch.action, "Rana", expected=ch.expected, upserts=ch.upserts)
    real = R.plan_realign

    def slow_plan(store, en_id, aligner, **kw):
        plan = real(store, en_id, aligner, **kw)
        with Store(client.db) as other:  # a colleague's comment lands while the aligner ran
            b = other.bead(first.stored_id if which == "an anchor" else second.stored_id)
            ch = ops.comment(b, "look again", b.version)
            other.apply_change(ART, ch.action, "Omar", expected=ch.expected, upserts=ch.upserts)
        return plan

    monkeypatch.setattr(R, "plan_realign", slow_plan)
    before = turn_beads(client.db, k)
    post(client, f"/api/articles/{ART}/realign", {}, 409)
    after = turn_beads(client.db, k)
    assert [(a, e) for a, e, _ in after] == [(a, e) for a, e, _ in before]  # nothing half written


def test_realign_after_a_fix_touches_only_the_beads_up_to_the_next_reviewed_one(client):
    k, right = misalign(client.db)
    beads = [b for b in client.get(f"/api/articles/{ART}").json()["beads"] if b["turn"] == k]
    other = client.get(f"/api/articles/{ART}").json()["beads"][-1]  # far away, another turn: never touched
    post(client, f"/api/beads/{beads[0]['id']}/status", {"status": "accepted", "version": beads[0]["version"]})
    r = post(client, f"/api/articles/{ART}/realign", {"after": beads[0]["id"]})
    assert r["realigned"] == 2
    assert [(a, e) for a, e, _ in turn_beads(client.db, k)] == right
    assert any(b["id"] == other["id"] for b in client.get(f"/api/articles/{ART}").json()["beads"])
    again = post(client, f"/api/articles/{ART}/realign", {})
    assert again["realigned"] == 0 and again["history"] is None  # nothing left to change: no change written


def test_a_synthetic_article_is_never_realigned(client):
    syn = "syria-direct-2016-03-14-idlib-truce-en"
    first = client.get(f"/api/articles/{syn}").json()["beads"][0]
    post(client, f"/api/beads/{first['id']}/status", {"status": "rejected", "version": first["version"]})
    with Store(client.db) as s:
        before = [(b.ar_index, b.en_index, b.ar) for b in s.beads(syn)]
    r = post(client, f"/api/articles/{syn}/realign", {})
    assert r["realigned"] == 0 and r["history"] is None and "of 0 turns" in r["line"] and "left as" not in r["line"]
    with Store(client.db) as s:
        assert [(b.ar_index, b.en_index, b.ar) for b in s.beads(syn)] == before
