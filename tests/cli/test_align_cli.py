"""``mt align`` and ``mt eval align`` as users run them."""

import json

from tests.helpers import mt

AR = ["اجتمع المجلس المحلي في درعا يوم الاثنين.", "قتل 450 شخصاً في القصف.", "", "وقال زهران علوش إن المعارك مستمرة."]
EN = ["The local council met in Daraa on Monday.", "450 people were killed in the shelling.", "Zahran Aloush said the fighting goes on."]


def test_align_files_to_jsonl_then_score(tmp_path):
    a, e = tmp_path / "a.ar", tmp_path / "a.en"
    a.write_text("\n".join(AR) + "\n", encoding="utf-8")
    e.write_text("\n".join(EN) + "\n", encoding="utf-8")
    out = tmp_path / "pred" / "doc.jsonl"
    r = mt("align", a, e, "-o", out, "--db", tmp_path / "s.db")
    assert r.returncode == 0, r.stderr
    beads = [json.loads(x) for x in out.read_text().splitlines()]
    assert [(b["src"], b["tgt"]) for b in beads] == [([0], [0]), ([1], [1]), ([2], []), ([3], [2])]
    assert all(0 <= b["score"] <= 1 for b in beads)
    assert "aligned 4 and 3 segments into 4 beads" in r.stderr
    gold = tmp_path / "gold" / "doc.jsonl"
    gold.parent.mkdir()
    gold.write_text("[0]:[0]\n[1]:[1]\n[2]:[]\n[3]:[2]\n")
    s = mt("eval", "align", gold.parent, out.parent, "--json")
    assert s.returncode == 0, s.stderr
    res = json.loads(s.stdout)
    assert res["f1_strict"] == 1.0 and res["documents"] == 1
    table = mt("eval", "align", gold, out)
    assert "F1          1.000    1.000" in table.stdout


def test_align_stdout_and_errors(tmp_path):
    a, e = tmp_path / "a.ar", tmp_path / "a.en"
    a.write_text("\n".join(AR) + "\n", encoding="utf-8")
    e.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(50))
    r = mt("align", a, e, "--db", tmp_path / "s.db")
    assert r.returncode == 2 and r.stderr.strip() == f"mt: error: {e}: binary file (a PNG image), not text"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"src": [0], "tgt": [0]}\nnot a bead\n')
    s = mt("eval", "align", bad, bad)
    assert s.returncode == 2 and "line 2: not a bead" in s.stderr
    s = mt("eval", "align", tmp_path, bad)
    assert s.returncode == 2 and "two files or two directories" in s.stderr


def test_align_inputs_found_in_review(tmp_path):
    blank, en = tmp_path / "blank.ar", tmp_path / "two.en"
    blank.write_text("\n\n\n")
    en.write_text("One.\nTwo.\n")
    r = mt("align", blank, en, "--no-store", cwd=tmp_path)
    assert r.returncode == 0 and not (tmp_path / "mt.db").exists()
    beads = [json.loads(x) for x in r.stdout.splitlines()]
    assert sorted(i for b in beads for i in b["src"]) == [0, 1, 2] and sorted(j for b in beads for j in b["tgt"]) == [0, 1]
    r = mt("align", blank, en, "--src-lang", "fr", "--no-store")
    assert r.returncode == 2 and "unsupported language 'fr'" in r.stderr
    bom = tmp_path / "bom.jsonl"
    bom.write_text('\ufeff{"src": [0], "tgt": [0]}\n', encoding="utf-8")
    assert mt("eval", "align", bom, bom).returncode == 0
    odd = tmp_path / "odd.jsonl"
    odd.write_text('{"src": "01", "tgt": [0]}\n')
    assert mt("eval", "align", odd, odd).returncode == 2
    (tmp_path / "g").mkdir()
    (tmp_path / "p").mkdir()
    r = mt("eval", "align", tmp_path / "g", tmp_path / "p")
    assert r.returncode == 2 and "no gold files" in r.stderr


def test_one_side_much_longer():
    from mt.align import align_texts

    src = [f"قال المتحدث إن {k} شخصاً قتلوا في حي رقم {k + 1000}." for k in range(40)]
    tgt = [f"The spokesman said {k} people were killed in district {k + 1000}." for k in range(40)]
    tgt += [f"An unrelated paragraph about the weather, number {k}, with several more words in it." for k in range(40)]
    al = align_texts(src, tgt)
    right = sum((b.src, b.tgt) == ((k,), (k,)) for b in al.beads for k in b.src)
    assert right >= 38


def test_align_keeps_its_work_in_the_store_and_learns_from_it(tmp_path):
    src, tgt, out = tmp_path / "ar", tmp_path / "en", tmp_path / "out"
    src.mkdir()
    tgt.mkdir()
    docs = {"one.txt": (AR, EN), "two.txt": (["قتل 12 شخصاً في درعا.", "وقال المجلس إن الماء مقطوع."],
                                             ["12 people were killed in Daraa.", "The council said the water is cut."])}
    for name, (a, e) in docs.items():
        (src / name).write_text("\n".join(a) + "\n", encoding="utf-8")
        (tgt / name).write_text("\n".join(e) + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    r = mt("align", src / "one.txt", tgt / "one.txt", "-o", tmp_path / "one.jsonl", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "corpus lexicon from 1 document" in r.stderr
    again = mt("align", src / "one.txt", tgt / "one.txt", "-o", tmp_path / "again.jsonl", "--db", db)
    assert again.returncode == 0 and "already aligned" in again.stderr and "nothing done" in again.stderr
    assert (tmp_path / "again.jsonl").read_text() == (tmp_path / "one.jsonl").read_text()
    # two directories: one document per pair of files with the same name, all in one call
    r = mt("align", src, tgt, "-o", out, "--db", db)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["one.jsonl", "two.jsonl"]
    assert "one.txt: already aligned" in r.stderr and "two.txt: aligned 2 and 2 segments" in r.stderr
    lex = mt("align", "lexicon", "--db", db, "--json")
    sources = json.loads(lex.stdout)
    assert lex.returncode == 0 and len(sources) == 2 and all(s["source"].startswith("doc:") and s["entries"] > 0 for s in sources)
    forget = mt("align", "lexicon", "--db", db, "--forget")
    assert forget.returncode == 0 and "2 sources forgotten" in forget.stderr
    assert json.loads(mt("align", "lexicon", "--db", db, "--json").stdout) == []
    r = mt("align", src, tgt / "one.txt", "--db", db)
    assert r.returncode == 2 and "two files or two directories" in r.stderr
    r = mt("align", src, tgt, "--db", db)
    assert r.returncode == 2 and "give an output directory with -o" in r.stderr


def test_fit_refuses_the_reserved_collections(tmp_path):
    for name in ("sahih-muslim", "jami-al-tirmidhi"):
        r = mt("align", "fit", "-o", tmp_path / "p.json", "--collection", name)
        assert r.returncode == 2 and "reserved for independent evaluation" in r.stderr
    assert not (tmp_path / "p.json").exists()


def test_align_article_keeps_reviewed_beads_and_aligns_the_rest(review_db):
    from mt.store import Store
    from tests.review.test_realign import ART, misalign

    k, right = misalign(review_db)
    with Store(review_db) as s:
        first = next(b for b in s.beads(ART) if b.parent == k)
        s.db.execute("UPDATE beads SET status = 'accepted' WHERE id = ?", (first.stored_id,))
        s.db.commit()
    r = mt("align", "article", ART, "--db", review_db)
    assert r.returncode == 2 and "--keep-reviewed" in r.stderr  # reviewed work is never replaced unasked
    r = mt("align", "article", ART, "--db", review_db, "--keep-reviewed")
    assert r.returncode == 0, r.stderr
    assert "2 beads changed" in r.stderr and "undo it in `mt review`" in r.stderr
    with Store(review_db) as s:
        assert [(b.ar_index, b.en_index) for b in s.beads(ART) if b.parent == k] == right
        assert s.history(ART)[-1].who == "mt align"
    assert "no article 'nope'" in mt("align", "article", "nope", "--db", review_db).stderr
    missing = review_db.parent / "missing.db"
    assert "no such store" in mt("align", "article", ART, "--db", missing).stderr and not missing.exists()
