"""Each stage runs again when an input its fingerprint covers changes, and only then: changed in turn, one at a time."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from mt.pipeline import PipelineConfig, run_pipeline
from tests.helpers import CORPUS

STAGES = ("ingest", "pair", "align", "translate", "synthetic", "evaluate", "export")


@pytest.fixture(scope="module")
def baseline(pipeline_db, tmp_path_factory):
    """A copy of the sample corpus run through the pipeline there, and a snapshot of both (a run's records are kept per
    corpus folder, so each test puts the snapshot back at this same place)."""
    place, snap = tmp_path_factory.mktemp("place"), tmp_path_factory.mktemp("snapshot")
    shutil.copytree(CORPUS, place / "corpus")
    shutil.copytree(pipeline_db.parent, place / "out")
    run_pipeline(PipelineConfig(place / "corpus", place / "out"))
    for name in ("corpus", "out"):
        shutil.copytree(place / name, snap / name)
    return place, snap


@pytest.fixture()
def work(baseline):
    place, snap = baseline
    for name in ("corpus", "out"):
        shutil.rmtree(place / name)
        shutil.copytree(snap / name, place / name)  # file times kept: the same corpus, as far as ingest can tell
    return place / "corpus", place / "out"


def ran(result) -> set[str]:
    return {s.name for s in result.stages if not s.skipped}


def test_nothing_changed_nothing_runs(work):
    corpus, out = work
    assert ran(run_pipeline(PipelineConfig(corpus, out))) == set()


def test_refitted_aligner_values_align_again(work, monkeypatch, tmp_path):
    from mt.align.params import load_params

    corpus, out = work
    p = load_params().to_dict()
    p["second"]["type:1-2"] -= 0.5  # values from another `mt align fit`
    (tmp_path / "refit.json").write_text(json.dumps(p), "utf-8")
    monkeypatch.setenv("MT_ALIGN_PARAMS", str(tmp_path / "refit.json"))
    did = ran(run_pipeline(PipelineConfig(corpus, out)))
    assert "align" in did and not did & {"ingest", "pair"}


def test_the_gold_folder_reruns_the_evaluation_only(work):
    corpus, out = work
    g = next((corpus / "gold").glob("*.json"))
    g.write_text(json.dumps(json.loads(g.read_text("utf-8")), indent=1), "utf-8")  # the same gold, written otherwise
    assert ran(run_pipeline(PipelineConfig(corpus, out))) == {"evaluate"}


def test_the_formats_rerun_the_export_only(work):
    corpus, out = work
    assert ran(run_pipeline(PipelineConfig(corpus, out, formats=("jsonl", "moses")))) == {"export"}


def test_the_manifest_and_the_threshold_rerun_the_pairing_only(work):
    corpus, out = work
    assert ran(run_pipeline(PipelineConfig(corpus, out, threshold=0.5))) == {"pair"}
    with open(corpus / "pairs.tsv", "a", encoding="utf-8") as f:
        f.write("# a note added to the manifest\n")
    assert ran(run_pipeline(PipelineConfig(corpus, out, threshold=0.5))) == {"pair"}


def test_fitted_pairing_values_pair_again(work, monkeypatch, tmp_path):
    from mt.align.pairing import PairParams

    corpus, out = work
    (corpus / "pairs.tsv").unlink()  # no manifest: the evidence decides
    run_pipeline(PipelineConfig(corpus, out))
    PairParams({"names": 30.0}, -3.0, 0.5, {}).save(tmp_path / "pairing.json")
    monkeypatch.setenv("MT_PAIR_PARAMS", str(tmp_path / "pairing.json"))
    did = ran(run_pipeline(PipelineConfig(corpus, out)))
    assert "pair" in did and "ingest" not in did


def test_declared_layouts_and_a_touched_file_reread_the_pages_only(work):
    corpus, out = work
    (corpus / "layouts.toml").write_text('[[site]]\nmatch = "nowhere.example"\nquestion = ["Q:"]\n', "utf-8")
    assert ran(run_pipeline(PipelineConfig(corpus, out))) == {"ingest"}  # read again; the same turns: nothing after
    f = next((corpus / "en").glob("*.txt"))
    f.write_bytes(f.read_bytes())  # the same text, a new modification time
    assert ran(run_pipeline(PipelineConfig(corpus, out))) == {"ingest"}


def test_refitted_reader_values_read_the_pages_again(work, monkeypatch, tmp_path):
    from mt.ingest.params import DEFAULT_PATH

    corpus, out = work
    values = json.loads(Path(DEFAULT_PATH).read_text("utf-8"))
    values["end"] = [v + 1e-3 for v in values["end"]]  # values from another `mt ingest fit`, reading these pages alike
    (tmp_path / "reader.json").write_text(json.dumps(values), "utf-8")
    monkeypatch.setenv("MT_INGEST_VALUES", str(tmp_path / "reader.json"))
    assert ran(run_pipeline(PipelineConfig(corpus, out))) == {"ingest"}


def test_another_engine_translates_again(work):
    corpus, out = work
    from mt.store import Store

    with Store(out / "corpus.db") as s:
        made_synthetic = {b.mt_model for b in s.beads(origin="synthetic")}
    # a lexicon file of this run that did not make the synthetic Arabic
    lexicon = next(p for p in sorted((out / "lexicons").glob("*.npz")) if not any(p.stem in (t or "") for t in made_synthetic))
    did = ran(run_pipeline(PipelineConfig(corpus, out, model=str(lexicon))))
    assert "translate" in did and not did & {"ingest", "pair", "align", "synthetic"}
    did = ran(run_pipeline(PipelineConfig(corpus, out, model=str(lexicon), reverse_model=str(lexicon))))
    assert "synthetic" in did and not did & {"ingest", "pair", "align", "translate"}


def test_pairing_follows_what_the_store_learnt_elsewhere_never_its_own_alignments(work):
    from mt.align.memory import CorpusLexicon
    from mt.store import Store

    corpus, out = work
    (corpus / "pairs.tsv").unlink()  # pairing by evidence
    assert "pair" in ran(run_pipeline(PipelineConfig(corpus, out)))
    with Store(out / "corpus.db") as store:
        assert any(s.startswith("article:") for s in store.lexicon_source_states())  # the run's alignments taught the lexicon
        assert not any("lexical" in p.evidence for p in store.pairs())  # and only they: no words to compare
    # what the run taught is not evidence for its own pairing: nothing to pair again
    assert "pair" not in ran(run_pipeline(PipelineConfig(corpus, out)))
    with Store(out / "corpus.db") as store:  # another document aligned into the same store
        CorpusLexicon(store).learn("doc:elsewhere", [("الماء في القرية قليل", "the water in the village is scarce", 1.0)] * 3)
    did = ran(run_pipeline(PipelineConfig(corpus, out)))
    assert "pair" in did and "ingest" not in did
