"""Batch translation on a local Ray instance: the same output as one process, the same cache."""

from __future__ import annotations

import pytest

ray = pytest.importorskip("ray", reason="the Ray runner needs ray (pip install 'mt[ray]')")

from mt.scale import RayRunner  # noqa: E402
from mt.store import Store  # noqa: E402
from mt.translate import DecodeOptions, Translator, load_engine  # noqa: E402

pytestmark = pytest.mark.slow  # starts Ray


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="error")
    yield
    ray.shutdown()


def test_ray_output_equals_the_single_process_run(local_ray, tiny_marian, parallel_pairs, tmp_path):
    eng = load_engine("hf", str(tiny_marian), "ar", "en", DecodeOptions(beam_size=1, max_length=40, batch_tokens=256))
    texts = [a for a, _ in parallel_pairs][:40] + ["", "قال المجلس. " * 30]  # an empty segment and one that is chunked
    local = Translator(eng).translate(texts)
    with Store(tmp_path / "ray.db") as store:
        distributed = Translator(eng, store, runner=RayRunner(actors=2, batch_size=8)).translate(texts)
        assert [t.text for t in distributed] == [t.text for t in local]
        assert [t.chunks for t in distributed] == [t.chunks for t in local]
        cached = store.count_translations()
        assert cached > 0
        # the cache is the same as a local run's: nothing is translated twice, wherever it runs
        again = Translator(eng, store).translate(texts)
        assert all(t.cached for t, s in zip(again, texts) if s.strip()) and store.count_translations() == cached


def test_only_what_the_cache_lacks_goes_to_the_cluster(local_ray, tiny_marian, parallel_pairs, tmp_path):
    eng = load_engine("hf", str(tiny_marian), "ar", "en", DecodeOptions(beam_size=1, max_length=40))
    texts = [a for a, _ in parallel_pairs][:20]
    sent = []

    class Counting(RayRunner):
        def run(self, engine, todo):
            sent.extend(todo)
            yield from super().run(engine, todo)

    with Store(tmp_path / "c.db") as store:
        Translator(eng, store).translate(texts[:12])
        before = store.count_translations()
        out = Translator(eng, store, runner=Counting(actors=1)).translate(texts)
        added = store.count_translations() - before
    # the chunks of the first twelve segments were cached: only the other segments' chunks were sent
    assert sent and len(sent) == len(set(sent)) == added
    assert not set(sent) & {c for t in texts[:12] for c in [t]}
    assert [t.text for t in out] == [t.text for t in Translator(eng).translate(texts)]


def test_cli_ray_flag(local_ray, tmp_path, parallel_pairs):
    from mt.translate.lexicon import train
    from tests.helpers import mt

    lex = tmp_path / "lex.npz"
    train([a for a, _ in parallel_pairs], [e for _, e in parallel_pairs], "ar", "en").save(lex)
    src = tmp_path / "in.ar"
    src.write_text("\n".join(a for a, _ in parallel_pairs[:30]) + "\n", "utf-8")
    base = ["translate", src, "--from", "ar", "--to", "en", "--engine", "lexicon", "--model", lex, "--no-cache", "-q"]
    single = mt(*base, "-o", tmp_path / "single.en")
    assert single.returncode == 0, single.stderr
    distributed = mt(*base, "-o", tmp_path / "ray.en", "--ray")  # --ray alone: a local instance
    assert distributed.returncode == 0, distributed.stderr
    assert (tmp_path / "ray.en").read_text("utf-8") == (tmp_path / "single.en").read_text("utf-8")
    bad = mt(*base, "-o", tmp_path / "x.en", "--ray", "ray://127.0.0.1:1")
    assert bad.returncode == 5 and "cannot reach the Ray cluster" in bad.stderr


def test_the_pipeline_on_ray_exports_what_the_local_run_exports(local_ray, tmp_path, monkeypatch):
    import json

    from mt.pipeline import PipelineConfig, run_pipeline
    from tests.helpers import CORPUS

    local = run_pipeline(PipelineConfig(CORPUS, tmp_path / "local"))
    mapped = []
    original = RayRunner.map

    def counting(self, fn, jobs):
        mapped.append(len(jobs))
        return original(self, fn, jobs)

    monkeypatch.setattr(RayRunner, "map", counting)
    on_ray = run_pipeline(PipelineConfig(CORPUS, tmp_path / "ray", ray="local"))
    assert sum(mapped) >= 10  # every document's passes, turns and sentences, went to Ray tasks
    assert on_ray.totals["seconds"]["translate"] > 0 and on_ray.totals["beads"] == local.totals["beads"]
    for name in ("corpus.jsonl", "train.ar", "train.en", "test.en", "synthetic.jsonl"):
        assert (tmp_path / "ray" / "export" / name).read_bytes() == (tmp_path / "local" / "export" / name).read_bytes(), name
    rows = [json.loads(x) for x in (tmp_path / "ray" / "export" / "corpus.jsonl").read_text("utf-8").splitlines()]
    assert rows and all(r["translation"]["ar"] for r in rows)


def test_a_bad_ray_address_for_the_pipeline_is_a_one_line_error(tmp_path):
    from tests.helpers import CORPUS, mt

    r = mt("pipeline", CORPUS, "-o", tmp_path / "out", "--ray", "ray://127.0.0.1:1", "-q")
    assert r.returncode != 0
    lines = [x for x in r.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and "Ray" in lines[0] and "Traceback" not in r.stderr, r.stderr
