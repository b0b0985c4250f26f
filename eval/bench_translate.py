"""Translation speed: a newcomer's loop against our hf and ct2 engines and raw CTranslate2.

A randomly initialised Marian with the real opus-mt-ar-en shape (6+6 layers, d_model 512, 8 heads,
FFN 2048, a 62,834-piece shared vocabulary) translates a few hundred Arabic segments of interview
length, every system forced to the same output length and decoding greedily. Each system runs in its
own process, so its peak memory is its own. The last line is exactly:

    ratios: hf=X ct2=Y ct2_vs_raw=Z

X and Y are segments per second relative to calling ``generate`` one segment at a time; Z is our
ct2 engine relative to raw ``ctranslate2.Translator.translate_batch`` on the same converted model.

    python eval/bench_translate.py [--segments 200] [--out-tokens 40] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VOCAB = 62834  # opus-mt-ar-en's shared vocabulary


def segments(n: int) -> list[str]:
    """Arabic sentences of the bundled corpus, cycled to ``n``: real interview lengths."""
    sys.path.insert(0, str(ROOT))
    from mt.ingest import ingest_paths
    from mt.text.sentences import split_sentences

    sents = []
    for a in ingest_paths([ROOT / "corpora" / "sample" / "ar"]).articles:
        for t in a.turns:
            sents.extend(s for s in split_sentences(t.text.replace("\n\n", " ")) if len(s.split()) >= 3)
    return [sents[i % len(sents)] for i in range(n)]


def build(workdir: Path) -> tuple[Path, Path]:
    """The random opus-mt-shaped model (once) and its int8 CTranslate2 conversion."""
    import shutil

    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    model_dir, ct2_dir = workdir / "marian", workdir / "marian-ct2-int8"
    if (model_dir / "model.safetensors").exists() and (ct2_dir / "model.bin").exists():
        return model_dir, ct2_dir
    workdir.mkdir(parents=True, exist_ok=True)
    text = workdir / "spm.txt"
    text.write_text("\n".join(dict.fromkeys(segments(2000))), encoding="utf-8")
    # word pieces: about one token a word, as opus-mt's 62k-piece model gives on news text
    spm.SentencePieceTrainer.train(input=str(text), model_prefix=str(workdir / "sp"), vocab_size=8000, character_coverage=1.0,
                                   model_type="word", bos_id=-1, eos_id=0, unk_id=1, pad_id=-1, minloglevel=2, hard_vocab_limit=False)
    sp = spm.SentencePieceProcessor(model_file=str(workdir / "sp.model"))
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    for i in range(len(vocab), VOCAB - 1):  # fill to the real vocabulary size: the output layer's cost is real
        vocab[f"▁x{i}"] = i
    vocab["<pad>"] = VOCAB - 1
    model_dir.mkdir(exist_ok=True)
    for name in ("source.spm", "target.spm"):
        shutil.copy(workdir / "sp.model", model_dir / name)
    (model_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    tok = MarianTokenizer(str(model_dir / "source.spm"), str(model_dir / "target.spm"), str(model_dir / "vocab.json"))
    cfg = MarianConfig(vocab_size=VOCAB, d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8,
                       decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048, max_position_embeddings=512,
                       pad_token_id=VOCAB - 1, eos_token_id=0, decoder_start_token_id=VOCAB - 1, scale_embedding=True,
                       share_encoder_decoder_embeddings=True)
    torch.manual_seed(0)
    model = MarianMTModel(cfg).eval()
    with torch.no_grad():
        model.get_input_embeddings().weight[VOCAB - 1].zero_()
    model.save_pretrained(model_dir)
    tok.save_pretrained(model_dir)
    sys.path.insert(0, str(ROOT))
    from mt.translate.ct2 import convert

    convert(str(model_dir), ct2_dir, quantization="int8", force=True)
    return model_dir, ct2_dir


def run_system(name: str, model_dir: Path, ct2_dir: Path, n: int, out_tokens: int) -> dict:
    sys.path.insert(0, str(ROOT))
    texts = segments(n)
    threads = os.cpu_count() or 1
    if name == "one_at_a_time":
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

        torch.set_num_threads(threads)
        tok = AutoTokenizer.from_pretrained(model_dir)
        model = AutoModelForSeq2SeqLM.from_pretrained(model_dir).eval()
        t0 = time.perf_counter()
        with torch.inference_mode():
            for t in texts:  # what a newcomer writes now that transformers 5 has no "translation" pipeline
                enc = tok([t], return_tensors="pt")
                out = model.generate(**enc, num_beams=1, do_sample=False, max_new_tokens=out_tokens, min_new_tokens=out_tokens)
                tok.batch_decode(out, skip_special_tokens=True)
        secs = time.perf_counter() - t0
    elif name in ("hf", "ct2"):
        from mt.translate import DecodeOptions, Translator, load_engine

        opts = DecodeOptions(beam_size=1, max_length=out_tokens, min_length=out_tokens)
        engine = load_engine(name, str(model_dir if name == "hf" else ct2_dir), "ar", "en", opts)
        t0 = time.perf_counter()
        Translator(engine, None, use_cache=False).translate(texts)
        secs = time.perf_counter() - t0
    elif name == "raw_ct2":
        import ctranslate2
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(ct2_dir)
        tr = ctranslate2.Translator(str(ct2_dir), device="cpu", compute_type="int8", intra_threads=threads)
        tokens = [tok.convert_ids_to_tokens(ids) for ids in tok(texts)["input_ids"]]
        # raw: tokens in, tokens out, nothing else timed; the best of the batch settings its docs suggest
        times = []
        for batching in ({"max_batch_size": 4096, "batch_type": "tokens"}, {"max_batch_size": 32}, {"max_batch_size": 0}):
            t0 = time.perf_counter()
            tr.translate_batch(tokens, beam_size=1, max_decoding_length=out_tokens, min_decoding_length=out_tokens, **batching)
            times.append(time.perf_counter() - t0)
        secs = min(times)
    else:
        raise SystemExit(f"unknown system {name}")
    return {"system": name, "segments": n, "seconds": secs, "seg_per_s": n / secs, "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's own peak resident memory (VmHWM; ru_maxrss would count what the parent had before exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--segments", type=int, default=200)
    ap.add_argument("--out-tokens", type=int, default=40)
    ap.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "mt-bench-translate")
    ap.add_argument("--system", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.system == "build":
        build(args.workdir)
        return
    model_dir, ct2_dir = args.workdir / "marian", args.workdir / "marian-ct2-int8"
    if args.system and args.system != "build":
        print(json.dumps(run_system(args.system, model_dir, ct2_dir, args.segments, args.out_tokens)))
        return
    t0 = time.perf_counter()
    # built in a child process too, so that no measured process inherits its memory
    subprocess.run([sys.executable, __file__, "--system", "build", "--workdir", str(args.workdir)], check=True, capture_output=True)
    print(f"model: random Marian 6+6, d_model 512, vocab {VOCAB} (built in {time.perf_counter() - t0:.0f}s, {args.workdir})")
    from transformers import AutoTokenizer

    lengths = [len(x) for x in AutoTokenizer.from_pretrained(model_dir)(segments(args.segments))["input_ids"]]
    print(f"data: {args.segments} Arabic segments from corpora/sample ({sum(lengths) / len(lengths):.0f} source tokens on average, "
          f"{max(lengths)} at most), greedy, every output {args.out_tokens} tokens, {os.cpu_count()} cores")
    results = {}
    for name in ("one_at_a_time", "hf", "ct2", "raw_ct2"):
        cmd = [sys.executable, __file__, "--system", name, "--segments", str(args.segments), "--out-tokens", str(args.out_tokens),
               "--workdir", str(args.workdir)]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        results[name] = r
        print(f"{name:14s} {r['seg_per_s']:8.2f} seg/s  {r['seconds']:7.1f} s  peak {r['peak_rss_mb']:6.0f} MB")
    base = results["one_at_a_time"]["seg_per_s"]
    x = results["hf"]["seg_per_s"] / base
    y = results["ct2"]["seg_per_s"] / base
    z = results["ct2"]["seg_per_s"] / results["raw_ct2"]["seg_per_s"]
    print("targets: hf >= 7, ct2 >= 20, ct2_vs_raw >= 0.9")
    print(f"ratios: hf={x:.2f} ct2={y:.2f} ct2_vs_raw={z:.2f}")


if __name__ == "__main__":
    main()
