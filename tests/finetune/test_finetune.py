"""Fine-tuning a tiny real Marian on CPU: the loss falls, scores on the training data rise, resume works."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("torch", reason="fine-tuning needs torch (pip install 'mt[finetune]' torch==2.13.0)")
pytest.importorskip("accelerate", reason="the transformers Trainer needs accelerate (pip install 'mt[finetune]')")

from mt.errors import InputError  # noqa: E402
from mt.finetune import FinetuneConfig, read_split, run_finetune  # noqa: E402

pytestmark = pytest.mark.slow  # trains models


def write_split(path, pairs):
    path.write_text("".join(json.dumps({"translation": {"ar": a, "en": e}, "split": path.stem}, ensure_ascii=False) + "\n"
                            for a, e in pairs), "utf-8")


@pytest.fixture(scope="module")
def data(tmp_path_factory, parallel_pairs, tiny_marian):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(tiny_marian))
    d = tmp_path_factory.mktemp("export")
    fits = lambda a, e: max(len(tok(a)["input_ids"]), len(tok(text_target=e)["input_ids"])) <= 58  # noqa: E731
    pairs = [(a, e) for a, e in parallel_pairs if fits(a, e)][:48]
    assert len(pairs) == 48
    write_split(d / "train.jsonl", pairs)
    write_split(d / "validation.jsonl", pairs[:12])
    write_split(d / "test.jsonl", pairs[:24])  # the training data itself: scores there must rise
    return d


@pytest.fixture(scope="module")
def tuned(data, tiny_marian, tmp_path_factory):
    out = tmp_path_factory.mktemp("tuned")
    cfg = FinetuneConfig(data, str(tiny_marian), out, epochs=12, learning_rate=3e-3, batch_size=8, patience=12,
                         max_length=60, beams=1, resamples=200)
    return cfg, run_finetune(cfg)


def test_loss_falls_and_training_scores_rise(tuned):
    cfg, r = tuned
    assert r.train_pairs == 48 and r.too_long == 0 and r.epochs_run == pytest.approx(12)
    assert r.losses[-1] < 0.6 * r.losses[0]
    assert len(r.validation) == 12 and max(v["chrF"] for v in r.validation) > r.validation[0]["chrF"]
    assert r.tuned["chrF++"] > r.base["chrF++"] + 5
    tuned_rows = [c for c in r.comparison if c["system"] == "tuned"]
    assert {c["metric"] for c in tuned_rows} == {"BLEU", "chrF++", "TER"}
    chrf = next(c for c in tuned_rows if c["metric"] == "chrF++")
    assert chrf["p_value"] is not None and chrf["p_value"] < 0.05
    assert (r.model_dir / "config.json").exists() and (cfg.out / "finetune_report.md").exists()
    report = json.loads((cfg.out / "finetune_report.json").read_text())
    assert report["tuned"]["chrF++"] == r.tuned["chrF++"]


def test_resume_continues_from_the_last_checkpoint(tuned, data, tiny_marian):
    cfg, first = tuned
    more = FinetuneConfig(data, str(tiny_marian), cfg.out, epochs=13, learning_rate=3e-3, batch_size=8, patience=12,
                          max_length=60, beams=1, resamples=100)
    r = run_finetune(more)
    assert r.resumed_from and "checkpoint" in r.resumed_from
    assert r.epochs_run == pytest.approx(13) and len(r.validation) == 13  # one more epoch, not thirteen


def test_bad_data(tmp_path, tiny_marian):
    with pytest.raises(InputError, match="not an export folder"):
        run_finetune(FinetuneConfig(tmp_path / "none", str(tiny_marian), tmp_path / "o"))
    (tmp_path / "e").mkdir()
    with pytest.raises(InputError, match="no training pairs"):
        run_finetune(FinetuneConfig(tmp_path / "e", str(tiny_marian), tmp_path / "o"))
    (tmp_path / "e" / "train.jsonl").write_text('{"translation": {"ar": "x"}}\n', "utf-8")
    with pytest.raises(InputError, match="line 1"):
        read_split(tmp_path / "e" / "train.jsonl", "ar", "en")


def test_cli(tuned, data, tiny_marian, tmp_path):
    from tests.helpers import mt

    r = mt("finetune", "--data", data, "--model", tiny_marian, "--out", tmp_path / "o", "--epochs", "1", "--batch-size", "8",
           "--max-length", "60", "--beams", "1")
    assert r.returncode == 0, r.stderr
    assert "test chrF++: base" in r.stderr and (tmp_path / "o" / "model" / "config.json").exists()
    bad = mt("finetune", "--data", tmp_path / "nothing", "--model", tiny_marian, "--out", tmp_path / "o2")
    assert bad.returncode == 2 and "not an export folder" in bad.stderr


def test_long_pairs_are_left_out_never_cut(tiny_marian, parallel_pairs):
    from transformers import AutoTokenizer

    from mt.finetune.run import encode_pairs

    tok = AutoTokenizer.from_pretrained(str(tiny_marian))
    short = min(parallel_pairs, key=lambda p: len(p[0]) + len(p[1]))
    long = (" ".join([parallel_pairs[1][0]] * 20), parallel_pairs[1][1])
    feats, kept = encode_pairs(tok, [short, long], "", 60)
    assert kept == [short] and len(feats) == 1
    assert tok.decode(feats[0]["labels"], skip_special_tokens=True) == tok.decode(tok(text_target=short[1])["input_ids"],
                                                                                  skip_special_tokens=True)
