"""Batch translation in one process against a local Ray instance, over a growing number of segments.

Two engines: the lexicon engine (cheap per segment, so Ray's own overhead shows) and a tiny real
Marian (d_model 64, 2+2 layers, sentencepiece trained on the bundled corpus; real generate calls).
Each size is translated without the cache, once in this process and once through ``RayRunner`` on
a local Ray instance started once (its start-up time is printed apart). On a machine with N cores,
Ray can use them all; on 2 cores expect overhead, not speed-up: the point is to know the cost.

The last line is exactly:

    ratios: lexicon=X tiny=Y

X and Y are Ray throughput divided by single-process throughput at the largest size.

    python eval/bench_scale.py [--sizes 500,2000,8000] [--tiny-sizes 100,400] [--actors 2] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def pairs() -> list[tuple[str, str]]:
    """Aligned Arabic-English sentences of the bundled corpus (the pipeline's own output)."""
    from mt.pipeline import PipelineConfig, run_pipeline
    from mt.store import Store

    out = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    run_pipeline(PipelineConfig(ROOT / "corpora" / "sample", out))
    with Store(out / "corpus.db") as s:
        return [(b.ar, b.en) for b in s.beads() if b.origin == "human" and b.complete], out


def tiny_marian(workdir: Path, texts: list[str]) -> Path:
    import json
    import shutil

    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    model_dir = workdir / "tiny-marian"
    if (model_dir / "config.json").exists():
        return model_dir
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "spm.txt").write_text("\n".join(texts), encoding="utf-8")
    spm.SentencePieceTrainer.train(input=str(workdir / "spm.txt"), model_prefix=str(workdir / "sp"), vocab_size=800,
                                   character_coverage=1.0, model_type="unigram", bos_id=-1, eos_id=0, unk_id=1, pad_id=-1,
                                   minloglevel=2)
    sp = spm.SentencePieceProcessor(model_file=str(workdir / "sp.model"))
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    vocab["<pad>"] = len(vocab)
    model_dir.mkdir()
    for name in ("source.spm", "target.spm"):
        shutil.copy(workdir / "sp.model", model_dir / name)
    (model_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = MarianTokenizer(str(model_dir / "source.spm"), str(model_dir / "target.spm"), str(model_dir / "vocab.json"),
                          model_max_length=256)
    cfg = MarianConfig(vocab_size=len(vocab), d_model=64, encoder_layers=2, decoder_layers=2, encoder_attention_heads=4,
                       decoder_attention_heads=4, encoder_ffn_dim=128, decoder_ffn_dim=128, max_position_embeddings=256,
                       pad_token_id=vocab["<pad>"], eos_token_id=0, decoder_start_token_id=vocab["<pad>"])
    torch.manual_seed(0)
    MarianMTModel(cfg).save_pretrained(model_dir)
    tok.save_pretrained(model_dir)
    return model_dir


def throughput(engine, texts: list[str], runner=None) -> float:
    from mt.translate import Translator

    t = time.perf_counter()
    out = Translator(engine, None, use_cache=False, runner=runner).translate(texts)
    assert len(out) == len(texts)
    return len(texts) / (time.perf_counter() - t)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="2000,8000,32000")
    ap.add_argument("--tiny-sizes", default="200,800,3200")
    ap.add_argument("--actors", type=int, default=2)
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "mt-bench-scale")
    args = ap.parse_args()

    import ray

    from mt.scale import RayRunner
    from mt.translate import DecodeOptions, load_engine
    from mt.translate.lexicon import train

    data, _ = pairs()
    ar = [a for a, _ in data]
    lex = args.workdir / "lexicon.npz"
    args.workdir.mkdir(parents=True, exist_ok=True)
    train(ar, [e for _, e in data], "ar", "en").save(lex)
    engines = {
        "lexicon": (load_engine("lexicon", str(lex), "ar", "en"), [int(x) for x in args.sizes.split(",")]),
        "tiny": (load_engine("hf", str(tiny_marian(args.workdir, ar + [e for _, e in data])), "ar", "en",
                             DecodeOptions(beam_size=1, max_length=32, min_length=32, device="cpu")),
                 [int(x) for x in args.tiny_sizes.split(",")]),
    }
    t = time.perf_counter()
    ray.init(include_dashboard=False, log_to_driver=False, logging_level="error")
    print(f"ray: local instance with {int(ray.cluster_resources().get('CPU', 0))} CPUs started in {time.perf_counter() - t:.1f} s")
    runner = RayRunner(actors=args.actors, cpus_per_actor=1)
    ratios = {}
    for name, (engine, sizes) in engines.items():
        times = []
        for n in sizes:
            texts = [ar[i % len(ar)] + f" ({i})" for i in range(n)]  # distinct segments: no batch sees a repeat
            single = throughput(engine, texts)
            distributed = throughput(engine, texts, runner)
            times.append((n, n / distributed))
            ratios[name] = distributed / single
            print(f"{name:8s} segments={n:6d} single={single:9.1f} seg/s  ray={distributed:9.1f} seg/s  ratio={ratios[name]:.2f}")
        if len(times) >= 2:
            (n1, t1), (n2, t2) = times[-2:]
            rate = (n2 - n1) / max(t2 - t1, 1e-9)
            print(f"{name:8s} ray: about {max(0.0, t2 - n2 / rate):.1f} s per job to start actors and load the model, "
                  f"then {rate:.0f} seg/s")
    ray.shutdown()
    print(f"ratios: lexicon={ratios['lexicon']:.2f} tiny={ratios['tiny']:.2f}")


if __name__ == "__main__":
    main()
