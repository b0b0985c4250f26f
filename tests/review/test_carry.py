"""Re-ingest after review: every piece of reviewed work reaches the corrected article, or is listed to reapply or
discard; the history is the oracle, and the earlier version is never changed."""

from __future__ import annotations

import re
import shutil

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from mt.pipeline import PipelineConfig, run_pipeline  # noqa: E402
from mt.review.app import create_app  # noqa: E402
from mt.review.carry import plan_carry, reviewed_work  # noqa: E402
from mt.store import Store  # noqa: E402
from tests.helpers import CORPUS  # noqa: E402

OLD = "syria-direct-2015-09-07-douma-schools-en"
FILE = "en/syria-direct-2015-09-07-douma-schools.txt"


def post(c, path, body, status=200, who="Rana"):
    r = c.post(path, json={"reviewer": who, **body})
    assert r.status_code == status, r.text
    return r.json()


def beads(c, art=OLD):
    return c.get(f"/api/articles/{art}").json()["beads"]


@pytest.fixture()
def reviewed(pipeline_db, tmp_path):
    """The sample corpus after a day of review on one article (every kind of change), then that article's file corrected."""
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(CORPUS, corpus)
    shutil.copytree(pipeline_db.parent, out)
    app = create_app(out / "corpus.db")
    c = TestClient(app, base_url="http://127.0.0.1")
    c.headers.update({"X-MT-CSRF": app.state.csrf})
    b = beads(c)
    post(c, f"/api/beads/{b[0]['id']}/status", {"status": "accepted", "version": 1})
    post(c, f"/api/beads/{b[2]['id']}/edit", {"en": b[2]["en"].replace("says", "said"), "version": 1})
    post(c, f"/api/beads/{b[5]['id']}/merge", {"version": 1, "next_version": 1, "next_id": b[6]["id"]})
    post(c, f"/api/beads/{b[10]['id']}/split", {"ar_at": len(b[10]["ar"]), "en_at": b[10]["en"].index(" and we"), "version": 1})
    post(c, f"/api/beads/{b[12]['id']}/move", {"side": "en", "direction": "next", "version": 1, "other_version": 1,
                                               "other_id": b[13]["id"]})
    post(c, f"/api/beads/{b[15]['id']}/comment", {"text": "check the figure", "version": 1}, who="Omar")
    post(c, f"/api/beads/{b[17]['id']}/status", {"status": "accepted", "version": 1})
    post(c, f"/api/articles/{OLD}/undo", {})  # nothing left to carry from this one
    hungry = next(x for x in b if "hungry teacher" in x["en"])
    post(c, f"/api/beads/{hungry['id']}/edit", {"en": hungry["en"].replace("before books", "before any books"), "version": 1},
         who="Omar")
    with Store(out / "corpus.db") as s:
        before = [(x.id, x.ar, x.en, x.status, x.comment, x.version) for x in s.beads(OLD)]
        history = s.history(OLD)
    f = corpus / FILE
    # two corrections: one away from the words a reviewer changed (the edit is merged into it), one on them (listed)
    f.write_text(f.read_text("utf-8").replace("before books", "before textbooks")
                 .replace("without regular salaries", "without any regular salaries"), "utf-8")
    result = run_pipeline(PipelineConfig(corpus, out))
    return c, out / "corpus.db", result, before, history


def test_every_change_is_carried_or_listed_and_nothing_is_lost(reviewed):
    c, db, result, before, history = reviewed
    with Store(db) as s:
        new = next(p.en_id for p in s.pairs() if p.en_id.startswith(OLD) and p.en_id != OLD)
        carried = [h for h in s.history(new) if h.action == "carry"]
        stranded = s.stranded([new])
        new_beads = s.beads(new)
        assert [(x.id, x.ar, x.en, x.status, x.comment, x.version) for x in s.beads(OLD)] == before  # the earlier version as it was
        assert [h.id for h in s.history(OLD)] == [h.id for h in history]
    undone = {h.undoes for h in history if h.undoes}
    work = {h.id for h in history if h.action != "undo" and h.id not in undone}
    in_carry = {int(n) for h in carried for n in re.findall(r"#(\d+)", h.note)}
    in_stranded = {e for w in stranded for e in w.entries}
    assert work == in_carry | in_stranded and not in_carry & in_stranded  # each change once: carried or listed
    assert len(stranded) == 1 and "before any books" in stranded[0].final[0]["en"] and stranded[0].state == "open"
    texts = {x.en for x in new_beads}
    by_status = {x.status for x in new_beads if x.en == before[0][2]}
    assert by_status == {"accepted"}  # the accepted intro
    assert any("said" in t for t in texts)  # the edit
    assert any(x.comment == "check the figure" for x in new_beads)  # Omar's comment
    # the edit of a sentence corrected elsewhere since: carried, merged into the corrected text, to be looked at again
    (both,) = [x for x in new_beads if "said Maher" in x.en]
    assert "without any regular salaries" in both.en and both.status == "edited"
    assert any("merged into the corrected text" in h.note and "edit by Rana on version 1" in h.note for h in carried)
    touched = [x for x in before if x[5] > 1 and "before any books" not in x[2] and "said Maher" not in x[2]]
    assert len(touched) >= 7 and all((x[1], x[2], x[3], x[4]) in {(y.ar, y.en, y.status, y.comment) for y in new_beads} for x in touched)
    assert not any("before any books" in t for t in texts)  # stranded: not applied
    lines = [w for w in result.warnings if new in w]
    assert any("piece" in w and "carried over" in w and "1 could not be" in w for w in lines), lines
    assert any("not carried: edit by Omar" in w for w in lines), lines
    # carried work is the new version's own history: one undo puts the aligner's beads back
    assert all(h.who in ("Rana", "Omar", "Rana, Omar") for h in carried)


@pytest.mark.slow
def test_stranded_work_is_shown_then_reapplied_or_discarded(reviewed):
    c, db, result, before, _ = reviewed
    with Store(db) as s:
        new = next(p.en_id for p in s.pairs() if p.en_id.startswith(OLD) and p.en_id != OLD)
    listed = c.get(f"/api/articles/{new}/stranded").json()["stranded"]
    assert len(listed) == 1 and listed[0]["reason"] and listed[0]["likeness"] > 0.9
    target = [x for x in beads(c, new) if x["id"] in listed[0]["target"]]
    assert any("before textbooks" in x["en"] for x in target)
    # Omar's edit and the correction changed the same words: shown as a conflict with both, never resolved unasked
    (conflict,) = [ch for ch in listed[0]["merge"]["en"]["chunks"] if ch["kind"] == "conflict"]
    assert "any" in conflict["mine"] and "textbooks" in conflict["theirs"] and listed[0]["result"] is None
    assert "choose" in post(c, f"/api/stranded/{listed[0]['id']}/reapply", {"article": new}, 400, who="Omar")["error"]
    r = post(c, f"/api/stranded/{listed[0]['id']}/reapply", {"article": new, "choices": {"en": ["mine"]}}, who="Omar")
    assert r["replaced"] == listed[0]["target"]
    assert any("before any books" in x["en"] for x in beads(c, new))
    assert c.get(f"/api/articles/{new}/stranded").json()["stranded"] == []
    post(c, f"/api/stranded/{listed[0]['id']}/discard", {"article": new}, 409)  # already dealt with
    post(c, f"/api/articles/{new}/undo", {})  # the reapply is a change like any other
    assert not any("before any books" in x["en"] for x in beads(c, new))
    with Store(db) as s:
        assert [(x.id, x.ar, x.en, x.status, x.comment, x.version) for x in s.beads(OLD)] == before
        assert s.stranded([new], state="reapplied")[0].resolved_by == "Omar"


@pytest.mark.slow
def test_discarded_work_is_not_offered_again_and_the_earlier_version_keeps_it(reviewed):
    c, db, _, before, _ = reviewed
    with Store(db) as s:
        new = next(p.en_id for p in s.pairs() if p.en_id.startswith(OLD) and p.en_id != OLD)
        item = s.stranded([new])[0]
    post(c, f"/api/stranded/{item.id}/discard", {"article": "some-other-article"}, 400)
    post(c, f"/api/stranded/{item.id}/discard", {"article": new})
    with Store(db) as s:
        assert s.stranded([new]) == [] and s.stranded([new], state="discarded")[0].id == item.id
        # aligned again, the discarded work is not listed again (the rest is, against beads that now carry it)
        again = plan_carry(s.beads(new), s.beads(OLD), s.history(OLD))
        skipped = plan_carry(s.beads(new), s.beads(OLD), s.history(OLD), s.resolved_stranded_keys(OLD))
        key = next(w.work.key for w in again.stranded if w.work.entries == tuple(item.entries))
        assert key not in {w.work.key for w in skipped.stranded} and len(skipped.stranded) == len(again.stranded) - 1
        assert any("before any books" in x.en for x in s.beads(OLD))


def test_pieces_of_work_follow_the_beads_they_touched():
    from mt.records import CorpusBead, HistoryEntry

    def b(i, en, status="unreviewed", pos=None, version=1):
        return CorpusBead(en_id="x", ar_id="y", level="sentence", ordinal=i, ar="ع " + en, en=en, id=i, pos=pos if pos is not None else i,
                          status=status, version=version)

    from dataclasses import asdict

    d = lambda x: asdict(x)  # noqa: E731
    a0, a1, a2, a3 = b(0, "A."), b(1, "B."), b(2, "C."), b(3, "D.")
    merged = b(1, "B. C.", version=2)
    merged = CorpusBead(**{**asdict(merged), "ar": "ع B. ع C."})
    acc = b(3, "D.", "accepted", version=2)
    hist = [HistoryEntry(1, "x", "merge", "R", "t", [d(a1), d(a2)], [d(merged)]),
            HistoryEntry(2, "x", "status", "R", "t", [d(a3)], [d(acc)])]
    work = reviewed_work([a0, merged, acc], hist)
    assert [w.bead_ids for w in work] == [(1, 2), (3,)] and [w.entries for w in work] == [(1,), (2,)]
    # the new version cut the merged text into the same two beads: carried; D. changed: stranded
    new = [b(10, "A."), b(11, "B."), b(12, "C."), b(13, "D. More.")]
    plan = plan_carry(new, [a0, merged, acc], hist)
    assert [[x.id for x in p.run] for p in plan.placed] == [[11, 12]]
    assert [s.work.bead_ids for s in plan.stranded] == [(3,)]


@pytest.mark.slow
def test_a_third_version_lists_each_piece_of_work_once(reviewed, tmp_path):
    c, db, _, _, _ = reviewed
    with Store(db) as s:
        v2 = next(p.en_id for p in s.pairs() if p.en_id.startswith(OLD) and p.en_id != OLD)
        s.db.execute("DELETE FROM history WHERE en_id = ?", (v2,))  # nobody reviewed v2 (its carried work aside)
        s.db.execute("UPDATE beads SET status = 'unreviewed', version = 1, comment = '' WHERE en_id = ?", (v2,))
        s.db.commit()
    corpus = db.parent.parent / "corpus"
    f = corpus / FILE
    f.write_text(f.read_text("utf-8").replace("cannot teach.", "cannot teach at all."), "utf-8")
    run_pipeline(PipelineConfig(corpus, db.parent))
    with Store(db) as s:
        v3 = next(p.en_id for p in s.pairs() if p.en_id.startswith(OLD))
        assert v3 not in (OLD, v2)
        open_items = s.stranded([v3, *s.earlier_versions(v3)])
    assert len(open_items) == 1 and open_items[0].new_en_id == v3  # planned again from v1: listed once, for v3
    listed = c.get(f"/api/articles/{v3}/stranded").json()["stranded"]
    assert [w["id"] for w in listed] == [open_items[0].id]


def test_a_carried_piece_lands_where_it_was_when_its_text_repeats():
    from dataclasses import asdict

    from mt.records import CorpusBead, HistoryEntry

    def b(i, en, pos, status="unreviewed", version=1):
        return CorpusBead(en_id="x", ar_id="y", level="sentence", ordinal=i, ar="ع " + en, en=en, id=i, pos=pos, status=status,
                          version=version)

    old = [b(1, "Yes.", 1), b(2, "Thanks.", 2), b(3, "Middle.", 3), b(7, "Yes.", 7), b(8, "Thanks.", 8)]
    merged = CorpusBead(**{**asdict(b(7, "Yes. Thanks.", 7, version=2)), "ar": "ع Yes. ع Thanks."})
    hist = [HistoryEntry(1, "x", "merge", "R", "t", [asdict(old[3]), asdict(old[4])], [asdict(merged)])]
    new = [b(11, "Yes.", 1), b(12, "Thanks.", 2), b(13, "Middle.", 3), b(17, "Yes.", 4), b(18, "Thanks.", 5)]
    plan = plan_carry(new, old[:3] + [merged], hist)
    assert [[x.id for x in p.run] for p in plan.placed] == [[17, 18]]  # the second occurrence, as in the old version


def test_reapply_onto_beads_changed_since_they_were_offered_is_refused_and_stays_listed(tmp_path):
    from mt.errors import ConflictError, InputError
    from mt.records import Article, Byline, Source
    from mt.review.carry import reapply

    db = tmp_path / "s.db"
    with Store(db) as s:
        for i, lang in (("x-en", "en"), ("x-ar", "ar")):
            s.add_article(Article(i, lang, None, None, Byline(), Source(f"{i}.txt", i.ljust(64, "0"), "utf-8", "text"), ()))
        from mt.records import CorpusBead

        s.replace_beads("x-en", [CorpusBead(en_id="x-en", ar_id="x-ar", level="sentence", ordinal=0, ar="ع", en="Old text here.")])
        bead = s.beads("x-en")[0]
        orig = {**{k: v for k, v in bead.__dict__.items()}, "ar_index": [], "en_index": []}
        s.record_stranded("x-en", "x-old", [([1], [5], [orig], [{**orig, "en": "Reviewed text here."}], "changed")])
        item = s.stranded(["x-en"])[0]
        s.apply_change("x-en", "edit", "Amal", expected={bead.stored_id: 1}, upserts=[bead.__class__(**{**bead.__dict__, "en": "Amal's."})])
        with pytest.raises(ConflictError):
            reapply(s, item.id, "x-en", "Rana", {bead.stored_id: 1})  # offered at version 1; Amal made it 2
        assert s.stranded(["x-en"])[0].state == "open" and s.beads("x-en")[0].en == "Amal's."  # nothing half done
        with pytest.raises(InputError, match="choose"):  # Amal's words and the reviewer's overlap: a person decides
            reapply(s, item.id, "x-en", "Rana", {bead.stored_id: 2})
        reapply(s, item.id, "x-en", "Rana", {bead.stored_id: 2}, {"en": ["mine"]})
        assert s.beads("x-en")[0].en == "Reviewed text here." and s.stranded(["x-en"]) == []


def one_bead_store(tmp_path, aligned: str, left: str, now: str, status: str):
    """A store whose article holds one bead with ``now``, and stranded work that took ``aligned`` to ``left``."""
    from mt.records import Article, Byline, CorpusBead, Source

    s = Store(tmp_path / "s.db").__enter__()
    for i, lang in (("x-en", "en"), ("x-ar", "ar")):
        s.add_article(Article(i, lang, None, None, Byline(), Source(f"{i}.txt", i.ljust(64, "0"), "utf-8", "text"), ()))
    s.replace_beads("x-en", [CorpusBead(en_id="x-en", ar_id="x-ar", level="sentence", ordinal=0, ar="ع", en=now)])
    bead = s.beads("x-en")[0]
    orig = {**bead.__dict__, "en": aligned, "ar_index": [], "en_index": []}
    s.record_stranded("x-en", "x-old", [([1], [5], [orig], [{**orig, "en": left, "status": status}], "changed")])
    return s, s.stranded(["x-en"])[0], bead


def test_reapply_puts_the_reviewers_work_onto_the_corrected_text_not_the_old_text(tmp_path):
    from mt.review.carry import reapply

    s, item, bead = one_bead_store(tmp_path, "Five people came to the town on Monday.", "5 people came to the town on Monday.",
                                   "Five people came to the city on Monday.", "accepted")
    reapply(s, item.id, "x-en", "Rana", {bead.stored_id: 1})
    now = s.beads("x-en")[0]
    assert now.en == "5 people came to the city on Monday."  # the source's correction and the reviewer's edit, both
    assert now.status == "edited"  # what was accepted is not what is there now: it is looked at again


def test_an_accept_alone_of_text_corrected_since_becomes_edited_with_the_corrected_text(tmp_path):
    from mt.review.carry import reapply

    text = "Five people came to the town on Monday."
    s, item, bead = one_bead_store(tmp_path, text, text, text.replace("Monday", "Tuesday"), "accepted")
    reapply(s, item.id, "x-en", "Rana", {bead.stored_id: 1})
    now = s.beads("x-en")[0]
    assert (now.en, now.status) == (text.replace("Monday", "Tuesday"), "edited")
