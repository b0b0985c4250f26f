"""Exporters, filters, splits and de-duplication, on rows built here and on a real store."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from lxml import etree

from mt.errors import InputError
from mt.export import ExportInfo, ExportRow, assign_splits, load_exporter, select
from mt.export.card import dataset_card
from mt.export.filters import EmptyFilter, IdenticalFilter, LanguageIdFilter, LengthRatioFilter, ScriptFilter
from mt.records import CorpusBead

DTD = Path(__file__).parents[1] / "data" / "tmx14.dtd"
AR = ["قال المجلس المحلي إن المدارس ستفتح أبوابها الأسبوع المقبل.", "وأضاف أن ٤٥٠ طالبا سجلوا حتى الآن في مدينة درعا.",
      "لم تصل المساعدات إلى البلدة منذ ثلاثة أشهر كاملة.", "نحتاج إلى الدواء والغذاء قبل أي شيء آخر."]
EN = ["The local council said schools will open their doors next week.", "He added that 450 students have registered so far in Daraa city.",
      "Aid has not reached the town for three full months.", "We need medicine and food before anything else."]


def bead(en_id, k, ar, en, **kw):
    return CorpusBead(en_id=en_id, ar_id=kw.pop("ar_id", en_id.replace("en", "ar")), level="sentence", ordinal=k, ar=ar, en=en,
                      ar_index=(k,), en_index=(k,), parent=0, role=kw.pop("role", "answer"),
                      score=kw.pop("score", 0.9), **kw)


def corpus_beads(n_articles=5):
    out = []
    for a in range(n_articles):
        for k, (ar, en) in enumerate(zip(AR, EN)):
            out.append(bead(f"art{a}-en", k, f"{ar} ({a})", f"{en} ({a})"))
    return out


def rows_of(beads, **kw):
    return select(beads, {}, **kw)


# -- splits ---------------------------------------------------------------------------------------

def test_splits_are_by_article_and_deterministic():
    rows, info = rows_of(corpus_beads(5))
    split_of = {}
    for r in rows:
        assert split_of.setdefault(r.article, r.split) == r.split  # no article in two splits
    assert set(split_of.values()) == {"train", "validation", "test"}
    assert info.counts == {"train": 12, "validation": 4, "test": 4}
    again, _ = rows_of(corpus_beads(5))
    assert [(r.id, r.split) for r in again] == [(r.id, r.split) for r in rows]


def test_hash_splits_stay_put_when_articles_are_added():
    few = [f"a{i}" for i in range(40)]
    more = few + [f"b{i}" for i in range(40)]
    s1, s2 = assign_splits(few, 7), assign_splits(more, 7)
    assert all(s1[a] == s2[a] for a in few)
    assert assign_splits(few, 7) != assign_splits(few, 8)
    assert {"train", "validation", "test"} <= set(s2.values())


def test_small_corpora_keep_training_data():
    assert set(assign_splits(["a"]).values()) == {"train"}
    assert sorted(assign_splits(["a", "b"]).values()) == ["test", "train"]
    with pytest.raises(InputError):
        assign_splits(["a", "b"], fractions={"test": 0.6, "validation": 0.5})


# -- filters --------------------------------------------------------------------------------------

def test_each_filter_removes_its_kind_and_is_counted():
    good = [bead("x-en", k, a, e) for k, (a, e) in enumerate(zip(AR, EN))]
    bad = [
        bead("x-en", 10, "", "An English sentence with no Arabic."),  # empty side
        bead("x-en", 11, "2015", "2015"),  # identical
        bead("x-en", 12, AR[0], " ".join(EN * 3)),  # length ratio
        bead("x-en", 13, "This is English text placed on the Arabic side.", EN[1]),  # wrong script
        bead("x-en", 14, AR[2], "Le conseil local a dit que les écoles ouvriront leurs portes la semaine prochaine."),  # language
    ]
    rows, info = rows_of(good + bad)
    assert {r.id for r in rows} == {f"x-en:{k}" for k in range(4)}
    assert info.removed["empty side"] == 1
    assert info.removed["identical sides"] == 1
    assert info.removed["length ratio"] == 1
    assert info.removed["wrong script"] == 1
    assert info.removed["language id"] == 1


def test_filters_one_at_a_time():
    def row(ar, en):
        return ExportRow("a:0", ar, en, "a", "b", "train")

    assert EmptyFilter().keep([row(" ", "x"), row(AR[0], EN[0])]) == [False, True]
    assert IdenticalFilter().keep([row("Daraa!", "daraa"), row(AR[0], EN[0])]) == [False, True]
    assert LengthRatioFilter().keep([row("نعم", "Yes, of course."), row(AR[0], EN[0] * 5)]) == [True, False]
    assert ScriptFilter().keep([row(AR[0], AR[1]), row(AR[0], EN[0])]) == [False, True]
    assert LanguageIdFilter().keep([row(AR[0], "Die Schulen werden nächste Woche ihre Türen öffnen, sagte der Rat."),
                                    row(AR[0], EN[0])]) == [False, True]


# -- review state, duplicates, leaks --------------------------------------------------------------

def test_rejected_never_exported_and_only_accepted():
    beads = corpus_beads(3)
    beads[0] = bead("art0-en", 0, AR[0] + " (0)", EN[0] + " (0)", status="rejected")
    beads[1] = bead("art0-en", 1, AR[1] + " (0)", EN[1] + " (0)", status="accepted")
    rows, info = rows_of(beads)
    assert "art0-en:0" not in {r.id for r in rows} and info.removed["rejected in review"] == 1
    rows, info = rows_of(beads, only_accepted=True)
    assert [r.id for r in rows] == ["art0-en:1"] and rows[0].status == "accepted"


def test_duplicates_and_leaks_leave_training_not_test():
    beads = corpus_beads(5)
    splits = assign_splits([f"art{a}-en" for a in range(5)])
    test_art = next(a for a, s in splits.items() if s == "test")
    train_art = next(a for a, s in splits.items() if s == "train")
    t = next(b for b in beads if b.en_id == test_art)
    beads += [
        bead(train_art, 20, t.ar, t.en),  # exact duplicate of a test row
        bead(train_art, 21, t.ar.replace("قال", "قَالَ") + "!", t.en.upper()),  # near duplicate
        bead(train_art, 22, "جملة عربية مختلفة تماما عن غيرها هنا.", t.en.replace(".", " indeed.")),  # different pair, fine
        bead(train_art, 23, "جملة عربية أخرى مختلفة تماما عن غيرها.", t.en),  # English side leaks from test
        bead(train_art, 24, AR[3] + " (x)", EN[3] + " (x)"),
        bead(train_art, 25, AR[3] + " (x)", EN[3] + " (x)"),  # duplicate inside train
    ]
    rows, info = rows_of(beads)
    ids = {r.id for r in rows}
    assert f"{test_art}:0" in ids  # the test copy is kept
    assert f"{train_art}:20" not in ids and f"{train_art}:21" not in ids and f"{train_art}:23" not in ids
    assert f"{train_art}:22" in ids
    assert (f"{train_art}:24" in ids) != (f"{train_art}:25" in ids)
    assert info.removed["exact duplicate"] == 2 and info.removed["near duplicate"] == 1
    assert info.removed["overlaps validation/test"] == 1
    held = {r.en for r in rows if r.split in ("test", "validation")} | {r.ar for r in rows if r.split in ("test", "validation")}
    assert not any(r.en in held or r.ar in held for r in rows if r.split == "train")


def test_synthetic_rows_stay_apart():
    beads = corpus_beads(3) + [CorpusBead(en_id="solo-en", ar_id=None, level="sentence", ordinal=0, ar=AR[2], en=EN[2] + " (solo)",
                                          ar_index=(0,), en_index=(0,), parent=0, role="answer",
                                          score=1.0, origin="synthetic")]
    rows, info = rows_of(beads)
    syn = [r for r in rows if r.origin == "synthetic"]
    assert [r.split for r in syn] == ["synthetic"] and info.counts["synthetic"] == 1
    assert all(r.split != "synthetic" for r in rows if r.origin == "human")


def test_synthetic_rows_say_what_made_their_arabic():
    from dataclasses import replace

    solo = CorpusBead(en_id="solo-en", ar_id=None, level="sentence", ordinal=0, ar=AR[2], en=EN[2] + " (solo)", ar_index=(0,),
                      en_index=(0,), parent=0, role="answer", score=1.0, origin="synthetic", mt_model="lexicon:abc.npz@sha256:01")
    other = replace(solo, en_id="duo-en", en=EN[3] + " (duo)", ar=AR[3], mt_model="hf:Helsinki-NLP/opus-mt-en-ar@rev1")
    rows, info = rows_of(corpus_beads(3) + [solo, other])
    by = {r.article: r.metadata()["synthetic_by"] for r in rows}
    assert by["solo-en"] == "word glosses (lexicon)" and by["duo-en"] == "hf Helsinki-NLP/opus-mt-en-ar@rev1"
    assert all(r.metadata()["synthetic_by"] is None for r in rows if r.origin == "human")
    info.synthetic_by = {"word glosses (lexicon)": 1, "hf Helsinki-NLP/opus-mt-en-ar@rev1": 1}
    card = dataset_card(info, ["corpus.jsonl", "synthetic.jsonl"], hf=True)
    assert "- word glosses (lexicon): 1 rows. **This Arabic is word-by-word glosses from a lexicon, not a translation**" in card
    assert "- hf Helsinki-NLP/opus-mt-en-ar@rev1: 1 rows." in card


# -- formats --------------------------------------------------------------------------------------

HOSTILE = "<script>alert('x')</script> & \x07bell"


@pytest.fixture()
def exported(tmp_path):
    beads = corpus_beads(5)
    beads.append(bead("art0-en", 30, "سطر أول\nسطر ثان في الفقرة نفسها هنا.", "First line\nsecond line of the same paragraph here."))
    beads.append(bead("art1-en", 31, AR[1] + " " + HOSTILE, "English text of the same sentence with " + HOSTILE))
    beads.append(CorpusBead(en_id="solo-en", ar_id=None, level="sentence", ordinal=0, ar=AR[2], en=EN[2] + " (solo)",
                            ar_index=(0,), en_index=(0,), parent=0, role="answer", score=1.0, origin="synthetic"))
    rows, info = rows_of(beads)
    out = tmp_path / "export"
    written = {f: load_exporter(f).write(rows, out, info) for f in ("jsonl", "hf", "moses", "tmx", "xliff", "csv")}
    (out / "README.md").write_text(dataset_card(info, [p.name for ps in written.values() for p in ps], hf=True), "utf-8")
    return rows, info, out, written


def test_tmx_is_valid_tmx_14b(exported):
    rows, info, out, _ = exported
    dtd = etree.DTD(str(DTD))
    for name, src in (("corpus.tmx", "ar"), ("synthetic.tmx", "en")):
        doc = etree.parse(str(out / name))
        assert dtd.validate(doc), dtd.error_log.filter_from_errors()
        header = doc.find("header")
        for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
            assert header.get(attr)
        assert header.get("srclang") == src
        assert re.fullmatch(r"\d{8}T\d{6}Z", header.get("creationdate"))
        for tu in doc.iter("tu"):
            langs = [tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in tu.findall("tuv")]
            assert sorted(langs) == ["ar", "en"]
            assert {p.get("type") for p in tu.findall("prop")} >= {"x-article", "x-split", "x-score", "x-origin"}
    human = etree.parse(str(out / "corpus.tmx"))
    assert len(human.findall(".//tu")) == sum(1 for r in rows if r.origin == "human")
    segs = [s.text for s in human.iter("seg")]
    assert any("<script>alert('x')</script> & bell" in s for s in segs)  # text, not markup; the control char dropped
    # the DTD does catch a broken file
    broken = etree.fromstring(etree.tostring(human))
    del broken.find("header").attrib["srclang"]
    assert not dtd.validate(broken)


def test_xliff_2(exported):
    _, _, out, _ = exported
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    doc = etree.parse(str(out / "corpus.xlf")).getroot()
    assert doc.get("version") == "2.0" and doc.get("srcLang") == "ar" and doc.get("trgLang") == "en"
    files = doc.findall("x:file", ns)
    assert len(files) == 5 and all(f.get("srcDir") == "rtl" and f.get("trgDir") == "ltr" for f in files)
    seg = doc.find(".//x:segment", ns)
    assert seg.get("state") in ("initial", "translated", "reviewed", "final")
    assert seg.find("x:source", ns).text in {f"{a} (0)" for a in AR} | {f"{a} (1)" for a in AR} | {f"{a} ({i})" for a in AR for i in range(5)}
    syn = etree.parse(str(out / "synthetic.xlf")).getroot()
    assert syn.get("srcLang") == "en" and syn.find("x:file", ns).get("trgDir") == "rtl"


def test_jsonl_loads_with_datasets(exported):
    datasets = pytest.importorskip("datasets")
    rows, info, out, _ = exported
    files = {s: str(out / f"{s}.jsonl") for s in ("train", "validation", "test")}
    ds = datasets.load_dataset("json", data_files=files)
    assert {k: ds[k].num_rows for k in ds} == {s: info.counts[s] for s in files}
    first = ds["train"][0]
    assert set(first["translation"]) == {"ar", "en"} and first["origin"] == "human"
    one = datasets.load_dataset("json", data_files=str(out / "corpus.jsonl"))["train"]
    assert one.num_rows == sum(info.counts[s] for s in files)
    # the card's configs make the folder itself loadable, synthetic as its own config
    folder = datasets.load_dataset(str(out))
    assert set(folder) == {"train", "validation", "test"}
    syn = datasets.load_dataset(str(out), "synthetic")["train"]
    assert syn.num_rows == 1 and syn[0]["origin"] == "synthetic"


def test_moses_csv_and_card(exported):
    rows, info, out, written = exported
    for split in ("train", "validation", "test", "synthetic"):
        ar = (out / f"{split}.ar").read_text("utf-8").split("\n")
        en = (out / f"{split}.en").read_text("utf-8").split("\n")
        assert len(ar) == len(en) == sum(1 for r in rows if r.split == split) + 1
    assert any(line == "سطر أول سطر ثان في الفقرة نفسها هنا." for line in (out / "train.ar").read_text("utf-8").split("\n")) or \
        any(line == "سطر أول سطر ثان في الفقرة نفسها هنا." for s in ("validation", "test") for line in (out / f"{s}.ar").read_text("utf-8").split("\n"))
    table = list(csv.DictReader((out / "corpus.csv").read_text("utf-8-sig").splitlines()))
    assert len(table) == sum(1 for r in rows if r.origin == "human") and table[0]["ar"] and table[0]["split"]
    card = (out / "README.md").read_text("utf-8")
    assert card.startswith("---\nlanguage:\n- ar\n- en\n")
    for split, n in info.counts.items():
        assert f"| {split} | {n} |" in card
    assert "run_translation.py" in card and "max_target_length" in card
    assert "synthetic" in card


def test_unknown_format():
    with pytest.raises(InputError, match="unknown export format"):
        load_exporter("docx")


def test_export_info_counts_articles():
    rows, info = rows_of(corpus_beads(5))
    assert isinstance(info, ExportInfo) and sum(info.articles.values()) == 5
    assert json.dumps(rows[0].metadata())


def test_a_jsonl_only_folder_never_mixes_parts(tmp_path):
    datasets = pytest.importorskip("datasets")
    beads = corpus_beads(5) + [CorpusBead(en_id="solo-en", ar_id=None, level="sentence", ordinal=0, ar=AR[2], en=EN[2] + " (solo)",
                                          ar_index=(0,), en_index=(0,), parent=0, role="answer",
                                          score=1.0, origin="synthetic")]
    rows, info = rows_of(beads)
    files = load_exporter("jsonl").write(rows, tmp_path, info)
    (tmp_path / "README.md").write_text(dataset_card(info, [p.name for p in files]), "utf-8")
    ds = datasets.load_dataset(str(tmp_path))
    assert list(ds) == ["corpus"] and ds["corpus"].num_rows == 20
    assert set(ds["corpus"]["origin"]) == {"human"}
    card = (tmp_path / "README.md").read_text("utf-8")
    assert "train.jsonl" not in card and 'data_files="corpus.jsonl"' in card


def test_filter_counts_tell_synthetic_rows_apart():
    beads = corpus_beads(2) + [CorpusBead(en_id="solo-en", ar_id=None, level="sentence", ordinal=0, ar="machine glossed English words only here",
                                          en=EN[2] + " (solo)", ar_index=(0,), en_index=(0,), parent=0, role="answer", score=1.0, origin="synthetic")]
    _, info = rows_of(beads)
    assert info.removed.get("wrong script (synthetic)") == 1 and not info.removed.get("wrong script")


def test_splits_ignore_review_state_and_follow_the_split_key():
    beads = corpus_beads(5)
    rows, _ = rows_of(beads)
    full = {r.article: r.split for r in rows}
    accepted = [bead(b.en_id, b.ordinal, b.ar, b.en, status="accepted") if b.en_id != "art2-en" or b.ordinal == 0 else b
                for b in beads]
    rows, _ = rows_of(accepted, only_accepted=True)
    assert all(full[r.article] == r.split for r in rows)
    # an edited article (a new id) keeps the split of the article it replaces
    edited = [bead("art0-en-abc123", b.ordinal, b.ar, b.en) if b.en_id == "art0-en" else b for b in beads]
    rows, _ = rows_of(edited, split_keys={"art0-en-abc123": "art0-en"})
    assert {r.split for r in rows if r.article == "art0-en-abc123"} == {full["art0-en"]}


def test_csv_cells_never_become_formulas(tmp_path):
    from mt.export.csv import cell

    assert cell('=HYPERLINK("http://evil","x")') == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert cell("- Yes, he said.") == "'- Yes, he said." and cell("Plain") == "Plain" and cell("") == ""


# -- direction and content: the Arabic text sits under Arabic, in every format ---------------------------

ARABIC = re.compile(r"[\u0600-\u06FF]")


def _pairs_by_format(out: Path) -> dict[str, list[tuple[str, str]]]:
    """(Arabic side, English side) of every human row, read back from each format as a user would."""
    got: dict[str, list[tuple[str, str]]] = {}
    got["jsonl"] = [(r["translation"]["ar"], r["translation"]["en"])
                    for r in map(json.loads, (out / "corpus.jsonl").read_text("utf-8").splitlines())]
    got["hf"] = [(r["translation"]["ar"], r["translation"]["en"]) for s in ("train", "validation", "test")
                 for r in map(json.loads, (out / f"{s}.jsonl").read_text("utf-8").splitlines())]
    got["moses"] = [p for s in ("train", "validation", "test")
                    for p in zip((out / f"{s}.ar").read_text("utf-8").splitlines(), (out / f"{s}.en").read_text("utf-8").splitlines())]
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    got["tmx"] = [(tu.find(f"tuv[@{xml_lang}='ar']/seg").text, tu.find(f"tuv[@{xml_lang}='en']/seg").text)
                  for tu in etree.parse(str(out / "corpus.tmx")).iter("tu")]
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    got["xliff"] = [(seg.find("x:source", ns).text, seg.find("x:target", ns).text)
                    for seg in etree.parse(str(out / "corpus.xlf")).getroot().iterfind(".//x:segment", ns)]
    got["csv"] = [(r["ar"], r["en"]) for r in csv.DictReader((out / "corpus.csv").read_text("utf-8-sig").splitlines())]
    return got


def test_every_format_keeps_arabic_under_arabic_and_the_pair_together(exported):
    """A known pair comes back whole from every format, each side under its own language (a swap of the two
    sides, or of the TMX tuvs, fails here)."""
    _, _, out, _ = exported
    known = (f"{AR[0]} (0)", f"{EN[0]} (0)")
    for fmt, pairs in _pairs_by_format(out).items():
        assert pairs, fmt
        assert known in pairs, fmt
        assert all(ARABIC.search(ar) and not ARABIC.search(en) for ar, en in pairs), fmt


def test_the_synthetic_part_keeps_its_direction(exported):
    _, _, out, _ = exported
    (row,) = [json.loads(x) for x in (out / "synthetic.jsonl").read_text("utf-8").splitlines()]
    assert row["translation"] == {"ar": AR[2], "en": EN[2] + " (solo)"}
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    (tu,) = etree.parse(str(out / "synthetic.tmx")).iter("tu")
    assert tu.find(f"tuv[@{xml_lang}='ar']/seg").text == AR[2]
    assert tu.find(f"tuv[@{xml_lang}='en']/seg").text == EN[2] + " (solo)"


def test_every_format_carries_each_rows_metadata_and_ids(exported):
    """What mutation testing found unpinned: the metadata keys and values, TMX and XLIFF ids and attributes."""
    rows, info, out, written = exported
    human = [r for r in rows if r.origin == "human"]
    by_id = {r.id: r for r in human}
    lines = [json.loads(x) for x in (out / "corpus.jsonl").read_text("utf-8").splitlines()]
    first = lines[0]
    r = by_id[first["id"]]
    assert {k: first[k] for k in ("article", "ar_article", "split", "role", "kind", "status", "origin", "level")} == \
        {"article": r.article, "ar_article": r.ar_article, "split": r.split, "role": r.role, "kind": r.kind,
         "status": r.status, "origin": "human", "level": "sentence"}
    assert first["score"] == round(r.score, 4) and "date" in first
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    tmx = etree.parse(str(out / "corpus.tmx"))
    tus = list(tmx.iter("tu"))
    assert [tu.get("tuid") for tu in tus] == [r.id for r in human]
    assert all(tu.get("srclang") == "ar" and re.fullmatch(r"\d{8}T\d{6}Z", tu.get("creationdate")) for tu in tus)
    props = {p.get("type"): p.text for p in tus[0].findall("prop")}
    assert props["x-article"] == human[0].article and props["x-split"] == human[0].split and "x-id" not in props
    header = tmx.find("header")
    assert header.get("creationtool") == "mt" and header.get("segtype") == "sentence" and header.get("datatype") == "plaintext"
    assert header.get("o-tmf") == "mt-sqlite" and header.get("adminlang") == "en"
    assert {p.get("type"): p.text for p in header.findall("prop")}["x-seed"] == str(info.seed)
    assert b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in (out / "corpus.tmx").read_bytes()
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    units = etree.parse(str(out / "corpus.xlf")).getroot().findall(".//x:unit", ns)
    assert [u.get("id") for u in units] == [f"u-{r.id.rsplit(':', 1)[-1]}" for r in sorted(human, key=lambda r: (r.article, 0))] \
        or sorted(u.get("id") for u in units) == sorted(f"u-{r.id.rsplit(':', 1)[-1]}" for r in human)
    assert all(u.get("srcDir") == "rtl" and u.get("trgDir") == "ltr" for u in units)
    assert {s.get("state") for s in etree.parse(str(out / "corpus.xlf")).getroot().iterfind(".//x:segment", ns)} <= {"initial", "translated", "reviewed", "final"}
    notes = {n.get("category"): n.text for n in units[0].iterfind(".//x:note", ns)}
    assert notes and all(v for v in notes.values()) and "split" in notes
    table = list(csv.DictReader((out / "corpus.csv").read_text("utf-8-sig").splitlines()))
    row = table[0]
    assert row["level"] == "sentence" and row["origin"] == "human" and row["ar_article"] and row["date"] == (by_id[row["id"]].date or "")
    names = {p.name for ps in written.values() for p in ps}
    assert {"synthetic.jsonl", "synthetic.csv", "synthetic.tmx", "synthetic.xlf", "synthetic.ar", "synthetic.en"} <= names
    assert (out / "synthetic.csv").read_text("utf-8-sig").count("\n") == 2 and (out / "corpus.csv").read_bytes()[:3] == b"\xef\xbb\xbf"


# -- exact boundaries: what mutation testing found unpinned ---------------------------------------

def _row(ar, en, split="train"):
    return ExportRow("x:0", ar, en, "x-en", "x-ar", split)


def test_length_ratio_boundaries():
    f = LengthRatioFilter(max_ratio=3.0, min_length=20)
    short = _row("ع" * 19, "e")  # under the minimum length: never judged
    at_min = _row("ع" * 20, "e")  # at it: judged, 20 > 3 × 1
    exact = _row("ع" * 30, "e" * 10)  # a ratio of exactly 3 is kept
    over = _row("ع" * 31, "e" * 10)
    assert f.keep([short, at_min, exact, over]) == [True, False, True, False]


def test_script_share_boundary():
    f = ScriptFilter(min_share=0.5)
    half = _row("عربي" + "abcd", "English words")  # exactly half Arabic letters: kept
    less = _row("عربي" + "abcde", "English words")
    assert f.keep([half, less]) == [True, False]


def test_language_id_length_boundary():
    f = LanguageIdFilter(min_chars=40)
    english = "This sentence is plainly written in English"
    assert f.keep([_row(english[:39], "Fine English text.")]) == [True]  # too short to tell: kept
    assert f.keep([_row(english[:40], "Fine English text.")]) == [False]  # long enough: English on the Arabic side


def test_hash_split_boundaries(monkeypatch):
    import sys

    sel = sys.modules["mt.export.select"]  # the module (mt.export.select is also the name of its function)
    arts = [f"a{i}-en" for i in range(sel.HASH_SPLIT_MIN_ARTICLES)]
    units = {arts[0]: 0.1, arts[1]: 0.2, **{a: 0.9 for a in arts[2:]}}
    monkeypatch.setattr(sel, "_unit", lambda seed, a: units[a])
    splits = assign_splits(arts, fractions={"test": 0.1, "validation": 0.1})
    assert splits[arts[0]] == "validation"  # a hash equal to the test fraction is past test
    assert splits[arts[1]] == "train"  # equal to test + validation: past validation too
    units[arts[0]] = 0.0999
    assert assign_splits(arts, fractions={"test": 0.1, "validation": 0.1})[arts[0]] == "test"


def test_a_leak_on_the_arabic_side_alone_is_removed():
    test_row = ExportRow("t:0", AR[0], EN[0], "t-en", "t-ar", "test")
    same_ar = ExportRow("r:0", AR[0], "A different English rendering of it.", "r-en", "r-ar", "train")
    same_en = ExportRow("s:0", "ترجمة عربية أخرى مختلفة تماما", EN[0], "s-en", "s-ar", "train")
    short = ExportRow("u:0", "نعم", "Yes, a different answer here.", "u-en", "u-ar", "train")
    short_test = ExportRow("v:0", "نعم", "Yes.", "v-en", "v-ar", "test")
    from collections import Counter

    from mt.export.select import _dedupe

    removed: Counter = Counter()
    kept = _dedupe([same_ar, same_en, short, test_row, short_test], removed)
    assert [r.id for r in kept] == ["u:0", "t:0", "v:0"] and removed["overlaps validation/test"] == 2
