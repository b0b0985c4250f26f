"""An article keeps its split across the versions of its file: export_store hashes a corrected article by its
id without the version suffix (no leak from train to test between two exports of a corpus being corrected)."""

import json
import shutil

from mt.export import export_store, split_key
from mt.export.select import assign_splits
from mt.pipeline import PipelineConfig, run_pipeline
from mt.store import Store
from tests.helpers import CORPUS

OLD = "syria-direct-2015-09-07-douma-schools-en"


def splits(folder):
    return {json.loads(line)["article"]: json.loads(line)["split"]
            for line in (folder / "corpus.jsonl").read_text("utf-8").splitlines()}


def test_a_corrected_article_keeps_its_split(pipeline_db, tmp_path):
    corpus, out = tmp_path / "corpus", tmp_path / "out"
    shutil.copytree(CORPUS, corpus)
    shutil.copytree(pipeline_db.parent, out)
    f = corpus / "en" / "syria-direct-2015-09-07-douma-schools.txt"
    f.write_text(f.read_text("utf-8").replace("A hungry teacher cannot teach.", "A hungry teacher cannot teach well."), "utf-8")
    run_pipeline(PipelineConfig(corpus, out))
    with Store(out / "corpus.db") as s:
        (new,) = s.later_versions(OLD)
        keys = {p.en_id: split_key(s.get_article(p.en_id)) for p in s.pairs() if p.ar_id}
        assert keys[new] == OLD  # the corrected version is hashed as the article it is
        # a seed under which the new id, hashed as itself, would land in another split than the article's
        ids = sorted(keys)
        seed = next(x for x in range(1, 500)
                    if assign_splits([keys[i] for i in ids], x)[OLD] != assign_splits(ids, x)[new])
        export_store(s, tmp_path / "after", ["jsonl"], seed=seed)
    shutil.copy(pipeline_db, tmp_path / "before.db")
    with Store(tmp_path / "before.db") as s:  # the store before the correction, exported with the same seed
        export_store(s, tmp_path / "before", ["jsonl"], seed=seed)
    assert splits(tmp_path / "after")[new] == splits(tmp_path / "before")[OLD]
