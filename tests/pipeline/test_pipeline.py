"""``mt pipeline`` end to end on the bundled corpus: every stage, skipping, resuming, reviewed work kept."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from lxml import html as lhtml

from mt.errors import InputError
from mt.pipeline import PipelineConfig, Reporter, run_pipeline
from mt.store import Store

SAMPLE = Path(__file__).parents[2] / "corpora" / "sample"
STAGES = ["ingest", "pair", "align", "translate", "synthetic", "evaluate", "export"]


class Recorder(Reporter):
    def __init__(self, stop_after: dict[str, int] | None = None):
        self.started, self.advanced, self.notes, self.results = [], {}, [], []
        self.stop_after = stop_after or {}
        self.current = None

    def stage(self, name, total=None):
        self.started.append(name)
        self.current = name

    def advance(self, n=1):
        self.advanced[self.current] = self.advanced.get(self.current, 0) + n
        if self.current in self.stop_after and self.advanced[self.current] >= self.stop_after[self.current]:
            raise KeyboardInterrupt  # what Ctrl-C does in the middle of a stage

    def done(self, result):
        self.results.append(result)

    def note(self, line):
        self.notes.append(line)


def copies(run, tmp_path) -> tuple[Path, Path]:
    """A copy of the sample corpus and of the module run's output, for a test that changes them."""
    corpus, work = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(SAMPLE, corpus)
    shutil.copytree(run[0], work)
    return corpus, work


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    import time

    out = tmp_path_factory.mktemp("pipeline")
    rec = Recorder()
    t0 = time.perf_counter()
    result = run_pipeline(PipelineConfig(SAMPLE, out), rec)
    result.wall = time.perf_counter() - t0  # type: ignore[attr-defined]
    return out, rec, result


def test_every_stage_runs_and_reports(run):
    out, rec, result = run
    assert [s.name for s in result.stages] == STAGES
    assert all(not s.skipped for s in result.stages)
    t = result.totals
    assert t["articles"] == {"en": 6, "ar": 5} and t["pairs"] == 5 and t["english_only"] == 1
    assert t["turns_aligned"] >= t["turns"] - 2
    assert t["beads"]["1-1"] > 80 and t["synthetic_beads"] > 0
    assert result.engines["ar-en"].name == "lexicon" and "no neural model" in result.engines["ar-en"].reason
    assert any("engine ar→en: lexicon" in n for n in rec.notes)
    assert t["evaluation"]["alignment"]["strict_f1"] == 1.0  # the gold turn alignments of the sample
    mt = t["evaluation"]["mt"]
    assert mt["segments"] > 100 and 0 < mt["chrF++"] < 100
    assert result.warnings == []


def test_every_stage_says_how_long_it_took(run):
    _, _, result = run
    secs = result.totals["seconds"]
    assert list(secs) == STAGES and all(v > 0 for v in secs.values())
    assert 0.7 * result.wall <= sum(secs.values()) <= result.wall  # the stages are (nearly) all of the run


def test_beads_cover_every_turn_and_sentence_once(run):
    out, _, _ = run
    with Store(out / "corpus.db") as store:
        for p in store.pairs():
            en = store.get_article(p.en_id)
            turns = store.beads(p.en_id, level="turn")
            if not p.ar_id:
                assert {b.origin for b in turns} == {"synthetic"} and all(b.ar_id is None for b in turns)
                continue
            ar = store.get_article(p.ar_id)
            assert sorted(i for b in turns for i in b.ar_index) == list(range(len(ar.turns)))
            assert sorted(j for b in turns for j in b.en_index) == list(range(len(en.turns)))
            sentences = store.beads(p.en_id)
            for tb in turns:
                inner = [b for b in sentences if b.parent == tb.ordinal]
                assert inner, tb
                # nothing lost: the sentence beads of a turn bead hold all of its words
                assert " ".join(b.en for b in inner if b.en).split() == tb.en.split()
                assert " ".join(b.ar for b in inner if b.ar).split() == tb.ar.split()
            assert all(b.mt for b in sentences if b.ar.strip())  # every Arabic side machine-translated


def test_held_out_lexicons_never_saw_the_article_they_translate(run):
    out, _, _ = run
    from mt.translate.lexicon import Lexicon

    with Store(out / "corpus.db") as store:
        models = {}
        for p in store.pairs():
            if p.ar_id:
                models[p.en_id] = {b.mt_model for b in store.beads(p.en_id) if b.mt_model}
        specs = {en_id: store.engine_spec(next(iter(m))) for en_id, m in models.items()}
    assert all(len(m) == 1 for m in models.values())
    assert len({next(iter(m)) for m in models.values()}) == 5  # five folds
    for en_id, m in models.items():
        assert next(iter(m)).startswith("lexicon:")  # each translation says which engine made it
        path = specs[en_id]["model"]  # and the store says how to load that engine again
        assert path.startswith(str((out / "lexicons").resolve()))
        meta = Lexicon.load(path).meta
        assert en_id not in meta["trained_on"]["articles"]


def test_rerun_skips_every_stage(run, tmp_path):
    out, _, first = run
    copy = tmp_path / "again"
    shutil.copytree(out, copy)
    before = sqlite3.connect(copy / "corpus.db").execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    moved = run_pipeline(PipelineConfig(SAMPLE, copy), Recorder())
    # a new output folder: the report and the export are written there; nothing else is done again
    assert [s.name for s in moved.stages if not s.skipped] == ["evaluate", "export"]
    assert (copy / "export" / "corpus.tmx").exists()
    rec = Recorder()
    again = run_pipeline(PipelineConfig(SAMPLE, copy), rec)
    assert set(again.totals["seconds"].values()) == {0.0}  # nothing ran
    assert all(s.skipped for s in again.stages), [(s.name, s.line) for s in again.stages]
    assert rec.started == []  # no stage did any work
    assert sqlite3.connect(copy / "corpus.db").execute("SELECT COUNT(*) FROM translations").fetchone()[0] == before
    assert {k: v for k, v in again.totals.items() if k != "seconds"} == {k: v for k, v in first.totals.items() if k != "seconds"}


def test_interrupted_run_resumes_where_it_stopped(run, tmp_path):
    out, _, full = run
    total = full.stage("translate").summary["translated"]  # every sentence bead with Arabic gets its MT
    rec = Recorder(stop_after={"translate": 40})
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(PipelineConfig(SAMPLE, tmp_path), rec)
    assert [r.name for r in rec.results] == ["ingest", "pair", "align"]
    with Store(tmp_path / "corpus.db") as store:
        done = sum(1 for b in store.beads() if b.mt is not None)
    assert 0 < done < total
    rec2 = Recorder()
    resumed = run_pipeline(PipelineConfig(SAMPLE, tmp_path), rec2)
    skipped = {s.name: s.skipped for s in resumed.stages}
    assert skipped["ingest"] and skipped["pair"] and skipped["align"] and not skipped["translate"]
    tr = resumed.stage("translate").summary
    assert tr["translated"] == total - done  # only what was left
    with Store(tmp_path / "corpus.db") as a, Store(out / "corpus.db") as b:
        assert [(x.ordinal, x.mt) for x in a.beads()] == [(x.ordinal, x.mt) for x in b.beads()]
    assert {k: v for k, v in resumed.totals.items() if k != "seconds"} == {k: v for k, v in full.totals.items() if k != "seconds"}


def test_changed_input_reruns_what_depends_on_it_and_keeps_reviews(run, tmp_path):
    corpus, work = copies(run, tmp_path)
    # a reviewer accepts a bead of one article, and rejects one of the article that is about to change
    douma = "syria-direct-2015-09-07-douma-schools-en"
    from tests.review.test_realign import misalign

    k, right = misalign(work / "corpus.db")  # a turn of the reviewed article stored wrongly aligned
    with Store(work / "corpus.db") as store:
        reviewed = store.beads("syria-direct-2015-05-11-daraa-council-en")[0]
        store.db.execute("UPDATE beads SET status = 'accepted' WHERE id = ?", (reviewed.id,))
        rejected = next(b for b in store.beads(douma) if b.complete and "hungry" not in b.en)
        store.db.execute("UPDATE beads SET status = 'rejected' WHERE id = ?", (rejected.id,))
        store.db.commit()
    # one article gains a sentence: a new file, new article, new alignment
    f = corpus / "en" / "syria-direct-2015-09-07-douma-schools.txt"
    text = f.read_text("utf-8").replace("A hungry teacher cannot teach.", "A hungry teacher cannot teach. We will not give up.")
    f.write_text(text, "utf-8")
    rec = Recorder()
    again = run_pipeline(PipelineConfig(corpus, work), rec)
    skipped = {s.name: s.skipped for s in again.stages}
    assert not skipped["ingest"] and not skipped["pair"] and not skipped["align"] and not skipped["export"]
    assert any("reviewed beads kept, the rest" in w and "2 beads changed" in w for w in again.warnings), again.warnings
    with Store(work / "corpus.db") as store:
        assert store.beads("syria-direct-2015-05-11-daraa-council-en")[0].status == "accepted"
        # aligned again around the reviewed bead, instead of kept wrong
        assert [(b.ar_index, b.en_index) for b in store.beads("syria-direct-2015-05-11-daraa-council-en") if b.parent == k] == right
        current = {p.en_id for p in store.pairs()}
        new_id = next(i for i in current if i.startswith("syria-direct-2015-09-07-douma-schools-en") and i != "syria-direct-2015-09-07-douma-schools-en")
        assert any("We will not give up." in b.en for b in store.beads(new_id))  # aligned (with its sentence, or alone)
    assert len(current) == 6
    # the export holds the new version of the changed article, not the old one beside it
    rows = [json.loads(line) for line in (work / "export" / "corpus.jsonl").read_text("utf-8").splitlines()]
    assert {r["article"] for r in rows} <= current and len({r["article"] for r in rows}) == 5
    assert new_id in {r["article"] for r in rows}
    # the review of the unchanged sentence carried over to the new version, so it stays out of the export
    assert any(f"{new_id} replaces an earlier version" in w and ": 1 piece of reviewed work carried over" in w for w in again.warnings), again.warnings
    with Store(work / "corpus.db") as store:
        assert [b.status for b in store.beads(new_id) if (b.ar, b.en) == (rejected.ar, rejected.en)] == ["rejected"]
    assert rejected.en not in {r["translation"]["en"] for r in rows}


def test_report_and_exports(run):
    out, _, result = run
    page = lhtml.fromstring((out / "report" / "report.html").read_bytes())
    figures = page.xpath("//figure")
    ids = [f.get("id") for f in figures]
    assert "fig-scores" in ids and "fig-articles" in ids and sum(1 for i in ids if i.startswith("fig-path-")) == 5
    assert all(f.xpath(".//*[local-name()='svg']") for f in figures)
    assert not page.xpath("//script")
    md = (out / "report" / "report.md").read_text("utf-8")
    assert "| BLEU | chrF++ | TER | segments |" in md and "nrefs:1" in md
    assert json.loads((out / "report" / "report.json").read_text())["alignment"]["strict_f1"] == 1.0
    export = out / "export"
    for name in ("corpus.jsonl", "train.jsonl", "test.jsonl", "corpus.tmx", "corpus.xlf", "corpus.csv", "train.ar", "README.md"):
        assert (export / name).stat().st_size > 0, name
    human = [json.loads(line) for line in (export / "corpus.jsonl").read_text("utf-8").splitlines()]
    synthetic = [json.loads(line) for line in (export / "synthetic.jsonl").read_text("utf-8").splitlines()]
    assert human and all(r["origin"] == "human" and r["split"] != "synthetic" for r in human)
    assert synthetic and all(r["origin"] == "synthetic" and r["article"] == "syria-direct-2016-03-14-idlib-truce-en" for r in synthetic)
    by_article = {}
    for r in human:
        assert by_article.setdefault(r["article"], r["split"]) == r["split"]


def test_bad_corpus_directories(tmp_path):
    with pytest.raises(InputError, match="not a corpus directory"):
        PipelineConfig(tmp_path / "missing", tmp_path / "out")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no article files"):
        run_pipeline(PipelineConfig(tmp_path / "empty", tmp_path / "out"))
    only_ar = tmp_path / "only-ar"
    shutil.copytree(SAMPLE / "ar", only_ar)
    with pytest.raises(InputError, match="no English articles"):
        run_pipeline(PipelineConfig(only_ar, tmp_path / "out2"))


def test_local_neural_models_are_used_when_given(tmp_path, tiny_marian, tiny_ct2):
    rec = Recorder()
    res = run_pipeline(PipelineConfig(SAMPLE, tmp_path, model=str(tiny_marian), reverse_model=str(tiny_ct2)), rec)
    assert res.engines["ar-en"].name == "hf" and res.engines["en-ar"].name == "ct2"
    assert not (tmp_path / "lexicons").exists()  # no lexicon needed
    with Store(tmp_path / "corpus.db") as store:
        human = [b for b in store.beads() if b.origin == "human" and b.ar.strip()]
        synthetic = [b for b in store.beads() if b.origin == "synthetic"]
        assert len({b.mt_model for b in human}) == 1 and all(b.mt is not None for b in human)
        assert len({b.mt_model for b in synthetic}) == 1 and "/int8" in next(iter({b.mt_model for b in synthetic}))
        assert all(b.ar_id is None and b.ar for b in synthetic)
        hf_rows = store.db.execute("SELECT COUNT(*) FROM translations WHERE engine = 'hf'").fetchone()[0]
        ct2_rows = store.db.execute("SELECT COUNT(*) FROM translations WHERE engine = 'ct2'").fetchone()[0]
    assert hf_rows > 0 and ct2_rows > 0
    # the Arabic turns were translated for the aligner first: sentences equal to a turn chunk come from the cache
    assert res.stage("translate").summary["cached"] > 0
    assert res.totals["evaluation"]["mt"]["segments"] > 100


def test_only_the_current_corpus_is_exported_and_trained_on(run, tmp_path):
    corpus, work = copies(run, tmp_path)
    (corpus / "en" / "syria-direct-2015-05-11-daraa-council.txt").unlink()
    (corpus / "ar" / "syria-direct-2015-05-11-daraa-council.txt").unlink()
    manifest = corpus / "pairs.tsv"
    manifest.write_text("".join(l + "\n" for l in manifest.read_text("utf-8").splitlines() if "daraa" not in l), "utf-8")
    (corpus / "README.txt").write_text("Notes about this corpus, not an article.\n", "utf-8")
    res = run_pipeline(PipelineConfig(corpus, work), Recorder())
    assert res.totals["pairs"] == 4 and res.totals["articles"] == {"en": 5, "ar": 4}  # README.txt left alone
    rows = [json.loads(line) for line in (work / "export" / "corpus.jsonl").read_text("utf-8").splitlines()]
    assert not any("daraa" in r["article"] for r in rows) and len({r["article"] for r in rows}) == 4
    from mt.translate.lexicon import Lexicon

    with Store(work / "corpus.db") as store:
        used = {b.mt_model.removeprefix("lexicon:").split("@")[0] for p in store.pairs() if p.ar_id for b in store.beads(p.en_id) if b.mt_model}
    assert used
    for name in used:  # the lexicons of this run never saw the article that left the corpus
        assert not any("daraa" in a for a in Lexicon.load(work / "lexicons" / name).meta["trained_on"]["articles"])


def test_synthetic_part_never_learns_from_evaluation_articles(run):
    out, _, result = run
    from mt.export import assign_splits
    from mt.translate.lexicon import Lexicon

    with Store(out / "corpus.db") as store:
        model = {b.mt_model for b in store.beads("syria-direct-2016-03-14-idlib-truce-en")}
    (name,) = model
    trained = Lexicon.load(out / "lexicons" / name.removeprefix("lexicon:").split("@")[0]).meta["trained_on"]["articles"]
    splits = assign_splits([p for p in trained] + [a for a in ("syria-direct-2015-05-11-daraa-council-en",
                           "syria-direct-2015-09-07-douma-schools-en", "syria-direct-2015-12-03-aleppo-displaced-en",
                           "syria-direct-2016-01-18-madaya-nurse-en", "syria-direct-2016-06-20-manbij-activist-en")])
    assert trained and all(splits[a] == "train" for a in trained) and len(trained) == 3


def test_bad_manifest_gold_and_an_english_only_corpus(tmp_path):
    with pytest.raises(InputError, match="no such manifest"):
        PipelineConfig(SAMPLE, tmp_path / "o", manifest=tmp_path / "nope.tsv")
    with pytest.raises(InputError, match="not a folder of gold"):
        PipelineConfig(SAMPLE, tmp_path / "o", gold=tmp_path / "nope")
    corpus = tmp_path / "c"
    shutil.copytree(SAMPLE, corpus)
    (corpus / "gold" / "syria-direct-2015-05-11-daraa-council.json").write_text('{"turns": []}', "utf-8")
    with pytest.raises(InputError, match="not a gold alignment"):
        run_pipeline(PipelineConfig(corpus, tmp_path / "o"))
    only_en = tmp_path / "only-en"
    shutil.copytree(SAMPLE / "en", only_en)
    res = run_pipeline(PipelineConfig(only_en, tmp_path / "o2"))
    assert res.totals["pairs"] == 0 and res.totals["english_only"] == 6
    assert any("--reverse-model" in w for w in res.warnings) and any("nothing to export" in w for w in res.warnings)


def test_export_folder_never_mixes_two_exports(run, tmp_path):
    out, _, _ = run
    from mt.export import export_store

    with Store(out / "corpus.db") as store:
        export_store(store, tmp_path, ["jsonl", "moses", "hf"])
        assert (tmp_path / "synthetic.jsonl").exists() and (tmp_path / "synthetic.ar").exists()
        info, written = export_store(store, tmp_path, ["jsonl", "moses", "hf"], synthetic=False)
    assert "synthetic" not in info.counts
    assert not (tmp_path / "synthetic.jsonl").exists() and not (tmp_path / "synthetic.ar").exists()
    assert (tmp_path / "train.jsonl").exists() and (tmp_path / "README.md").exists()


def test_a_declared_layout_in_the_corpus_reads_its_site_and_a_change_of_it_reads_again(run, tmp_path):
    from tests.ingest.test_declared_layouts import LAYOUT, PAGE

    corpus, work = copies(run, tmp_path)
    (corpus / "en" / "bakery-night.txt").write_text(PAGE, "utf-8")
    with (corpus / "pairs.tsv").open("a", encoding="utf-8") as f:
        f.write("en/bakery-night.txt\t\n")  # English only
    run_pipeline(PipelineConfig(corpus, work), Recorder())
    with Store(work / "corpus.db") as s:
        before = next(a for a in s.list_articles("en") if a.path.endswith("bakery-night.txt"))
        assert s.get_article(before.id).turns[1].role == "paragraph"  # the reader alone does not see this site's markers
    (corpus / "layouts.toml").write_text(LAYOUT, "utf-8")
    rec = Recorder()
    res = run_pipeline(PipelineConfig(corpus, work), rec)
    assert not res.stage("ingest").skipped and "read again" in res.stage("ingest").line
    assert any("bakery" in n and "stored as a new version" in n for n in rec.notes)
    with Store(work / "corpus.db") as s:
        (after,) = s.later_versions(before.id)
        art = s.get_article(after)
        assert [t.role for t in art.turns] == ["intro"] + ["question", "answer"] * 3 and art.source.layout == "morning programme"
    again = run_pipeline(PipelineConfig(corpus, work), Recorder())
    assert again.stage("ingest").skipped
    (corpus / "layouts.toml").write_text("[[site]]\nmatch = 3\n", "utf-8")
    with pytest.raises(InputError, match="layouts.toml.*'match'"):
        run_pipeline(PipelineConfig(corpus, work), Recorder())


def test_other_reader_values_read_the_corpus_again_and_keep_what_reads_the_same(run, tmp_path, monkeypatch):
    from mt.ingest.params import DEFAULT_PATH, ReaderParams

    corpus, work = copies(run, tmp_path)
    run_pipeline(PipelineConfig(corpus, work), Recorder())  # the copy's own files
    assert run_pipeline(PipelineConfig(corpus, work), Recorder()).stage("ingest").skipped
    values = ReaderParams.load(DEFAULT_PATH)
    values.weights.end[0] += 0.001  # other numbers that read every page the same
    values.save(tmp_path / "values.json")
    monkeypatch.setenv("MT_INGEST_VALUES", str(tmp_path / "values.json"))
    res = run_pipeline(PipelineConfig(corpus, work), Recorder())
    ingest = res.stage("ingest")
    assert not ingest.skipped and ingest.summary["new"] == 0 and not ingest.summary["reread"]
    assert res.stage("align").skipped  # the same articles: nothing downstream to do again


def test_articles_whose_roles_are_uncertain_are_listed(run, tmp_path):
    corpus, work = copies(run, tmp_path)
    layout = Path(__file__).resolve().parents[1] / "data" / "layouts" / "en-14-names-once-uncertain.txt"
    shutil.copy(layout, corpus / "en" / "market-notes.txt")
    with (corpus / "pairs.tsv").open("a", encoding="utf-8") as f:
        f.write("en/market-notes.txt\t\n")  # English only
    res = run_pipeline(PipelineConfig(corpus, work), Recorder())
    assert any(w.startswith("market-notes-en: roles uncertain") for w in res.warnings), res.warnings
    assert "market-notes-en: roles uncertain" in (work / "report" / "report.md").read_text("utf-8")
    page = lhtml.fromstring((work / "report" / "report.html").read_bytes())
    assert any("market-notes-en: roles uncertain" in li.text_content() for li in page.iter("li"))


def test_the_report_draws_the_similarity_the_alignment_used(run):
    from mt.align import Aligner, DocPair
    from mt.evaluate.report import collect

    out, _, result = run
    used = result.stage("align").summary["similarity"]
    with Store(out / "corpus.db") as store:
        pairs = [p for p in store.pairs() if p.ar_id]
        articles = [store.get_article(i) for p in pairs for i in (p.en_id, p.ar_id)]
        assert set(used) == {p.en_id for p in pairs}
        data = collect(store, articles, pairs, None, similarity=used)
    assert all(a.similarity == used[a.id] for a in data.articles)
    # what the alignment used (its bootstrapped lexicon, the second pass's values) is not a default aligner's first pass
    a = next(x for x in articles if x.id == pairs[0].ar_id)
    e = next(x for x in articles if x.id == pairs[0].en_id)
    first_pass = Aligner().similarity(DocPair([t.text for t in a.turns], [t.text for t in e.turns], "ar", "en",
                                              [t.role for t in a.turns], [t.role for t in e.turns])).round(3).tolist()
    assert used[pairs[0].en_id] != first_pass


def test_word_glosses_are_called_glosses_in_the_run_summary(run):
    _, rec, result = run
    ev = next(s for s in result.stages if s.name == "evaluate")
    assert ev.summary["mt_label"] == "word glosses" and ev.line.startswith("word glosses BLEU")
    assert not any(n.startswith("evaluate") and "MT BLEU" in n for n in rec.notes)
