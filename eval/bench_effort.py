"""Reviewer effort: how many corrections a translator makes before an aligned document is right, with and without
re-alignment around what they fixed, and with a store that learns from every finished document.

The development collections (hadith chapters perturbed with merges, splits and deletions, as in
``eval/bench_align.py``; their beads are the gold) are held out one at a time: the aligner's values are
fitted on documents of the other three (leave one collection out), and the held-out collection's chapters
are reviewed in a fixed order by a simulated reviewer:

- it reads the beads top to bottom; a bead equal to the next gold bead is accepted (no action, and it
  becomes an anchor);
- at the first bead that differs, it makes the fewest actions that make that bead the gold one: merging it
  with the beads after it (1 each), then splitting it at the gold bead's end (1), or moving sentences one
  at a time into or out of it (1 each), whichever costs least; the beads after it keep what is left of
  theirs;
- ``none``: nothing else (every wrong bead is fixed by hand); ``realign``: after each fix it presses
  re-align, and the beads after the fixed one are aligned again around the reviewed ones
  (:func:`mt.align.anchored.align_anchored`, with a corpus lexicon that has just learnt the reviewed
  beads, as the review app does); ``learn``: as ``realign``, and the store keeps what each finished
  document taught (as reviewed gold), so the next document is aligned, and re-aligned, knowing it.

Reported: actions per 100 gold beads, per collection and overall, and presses of re-align (which cost no
action: the app can do it after each fix by itself). Then how much reviewed data a refit of the values
needs before it helps (``mt align fit --from-store``): the values refitted on the first k reviewed
documents of the held-out collection, the strict F1 of the first alignment of the documents after them.

    python eval/bench_effort.py [--quick] [--chapters 6] [--seed 12345]

The last line is ``effort: none=X realign=Y learn=Z saved=S`` with ``saved = 1 - learn / none``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from mt.align import devdata  # noqa: E402
from mt.align.aligner import Aligner  # noqa: E402
from mt.align.anchored import Span, align_anchored, meeting  # noqa: E402
from mt.align.fit import GoldDoc, fit  # noqa: E402
from mt.align.fitjob import STORE_STRENGTH  # noqa: E402
from mt.align.memory import REVIEWED_WEIGHT, CorpusLexicon  # noqa: E402
from mt.align.scorers import DocPair  # noqa: E402
from mt.evaluate.align_score import score_alignments  # noqa: E402
from mt.store import Store  # noqa: E402

MODES = ("none", "realign", "learn")


def spans(beads, n: int, m: int) -> list[Span]:
    """Beads as ``(src, tgt)`` index tuples → rectangles; an empty side sits where the other side's cursor is."""
    out, i, j = [], 0, 0
    for src, tgt in beads:
        i1, j1 = i + len(src), j + len(tgt)
        out.append((i, i1, j, j1))
        i, j = i1, j1
    assert (i, j) == (n, m), "beads must cover both sides in order"
    return out


def fix(current: list[Span], p: int, g: Span) -> tuple[int, list[Span]]:
    """The fewest actions that make ``current[p]`` the gold bead ``g`` (the beads before it are gold already),
    and the beads after it then: each keeps the part of its own that lies after ``g``."""
    rest = current[p:]
    best: tuple[int, int] | None = None  # (cost, merges)
    for k in range(len(rest)):
        end_i, end_j = rest[k][1], rest[k][3]
        ds, dt = g[1] - end_i, g[3] - end_j
        if ds == 0 and dt == 0:
            adjust = 0
        elif ds <= 0 and dt <= 0:
            adjust = 1  # one split where the gold bead ends
        else:
            adjust = abs(ds) + abs(dt)  # sentences moved in or out one at a time
        cost = k + adjust
        if best is None or cost < best[0]:
            best = (cost, k)
        if ds <= 0 and dt <= 0:
            break  # merging more only makes it longer
    assert best is not None
    after = []
    for i0, i1, j0, j1 in rest:
        a0, a1, b0, b1 = max(i0, g[1]), max(i1, g[1]), max(j0, g[3]), max(j1, g[3])
        if a1 > a0 or b1 > b0:
            after.append((a0, a1, b0, b1))
    return best[0], current[:p] + [g] + after


def converge(old: list[Span], new: list[Span]) -> list[Span]:
    """``new`` up to the first point where it meets ``old`` again, ``old`` after it (what re-align after a fix keeps)."""
    met = meeting(new, old)
    return new if met is None else new[:met[0]] + old[met[1]:]


CASCADES: list[int] = [0]  # actions spent on a bead right after one just fixed (what re-alignment can save at best)


def review(doc: DocPair, gold: list[Span], first: list[Span], realign=None) -> tuple[int, int]:
    """(actions, presses of re-align) for a reviewer to bring ``first`` to ``gold``."""
    current, p, actions, presses, last = list(first), 0, 0, 0, -2
    while p < len(gold):
        if p < len(current) and current[p] == gold[p]:
            p += 1
            continue
        cost, current = fix(current, p, gold[p])
        actions += cost
        if last == p - 1:
            CASCADES[0] += cost
        last = p
        p += 1
        if realign is not None and p < len(gold):
            fresh = realign(gold[:p])
            current = gold[:p] + converge(current[p:], fresh[p:])
            presses += 1
    return actions, presses


def as_spans(alignment, doc: DocPair) -> list[Span]:
    return spans([(b.src, b.tgt) for b in alignment.beads], doc.n, doc.m)


def pairs_of(doc: DocPair, beads: list[Span]) -> list[tuple[str, str, float]]:
    """What reviewed beads teach the corpus lexicon: their two sides, as gold."""
    return [(" ".join(doc.src[i0:i1]), " ".join(doc.tgt[j0:j1]), REVIEWED_WEIGHT)
            for i0, i1, j0, j1 in beads if i1 > i0 and j1 > j0]


def run_mode(mode: str, params, docs: list[DocPair], golds: list[list[Span]], tmp: Path) -> tuple[int, int]:
    """Actions and presses over the documents, reviewed in order."""
    actions = presses = 0
    db = tmp / f"{mode}.db"
    with Store(db) as store:
        memory = CorpusLexicon(store)
        for k, (doc, gold) in enumerate(zip(docs, golds)):
            prior = CorpusLexicon(store) if mode == "learn" else None
            latest = [Aligner(params, prior=prior).align(doc)]
            first = as_spans(latest[0], doc)
            realign = None
            if mode != "none":
                def realign(anchors: list[Span], doc=doc, k=k, latest=latest) -> list[Span]:
                    # the app's re-align: the store has just learnt this document again, its reviewed beads as gold
                    # and the others by their probability
                    done = anchors[-1]
                    guesses = [(" ".join(doc.src[i0:i1]), " ".join(doc.tgt[j0:j1]), b.score ** 2)
                               for b, (i0, i1, j0, j1) in zip(latest[0].beads, as_spans(latest[0], doc))
                               if i1 > i0 and j1 > j0 and i0 >= done[1] and j0 >= done[3]]
                    memory.learn(f"doc:{k}", pairs_of(doc, anchors) + guesses)
                    (al,) = align_anchored(Aligner(params, prior=CorpusLexicon(store)), [doc], [anchors])
                    latest[0] = al
                    return as_spans(al, doc)
            a, n = review(doc, gold, first, realign)
            actions += a
            presses += n
            if mode == "learn":
                memory.learn(f"doc:{k}", pairs_of(doc, gold))  # the finished document, reviewed: gold
            else:
                store.forget_lexicon()  # nothing is kept from one document to the next
    return actions, presses


def chapters(name: str, k: int, seed: int, lo: int = 8, hi: int = 80) -> tuple[list[DocPair], list]:
    docs, golds = devdata.held_out(name, 60, seed)
    keep = [(d, g) for d, g in zip(docs, golds) if lo <= d.n <= hi and lo <= d.m <= hi][:k]
    return [d for d, _ in keep], [g for _, g in keep]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer chapters and fitting documents (a few minutes)")
    ap.add_argument("--chapters", type=int, default=None, help="held-out chapters reviewed per collection (default 6 quick, 12 full)")
    ap.add_argument("--seed", type=int, default=12345, help="seed of the held-out chapters")
    ap.add_argument("--fit-seed", type=int, default=777, help="seed of the documents fitted on")
    args = ap.parse_args()
    n_docs = args.chapters or (6 if args.quick else 12)
    n_train = 4 if args.quick else 12
    names = list(devdata.DEVELOPMENT)
    t0 = time.perf_counter()
    print(f"data: {', '.join(names)}, each held out in turn: {n_docs} chapters of 8-80 segments reviewed in order "
          f"(seed {args.seed}); values fitted on {n_train} documents of each other collection (seed {args.fit_seed})")
    print(f"{'held out':18s} {'gold':>5s} {'none':>6s} {'realign':>8s} {'learn':>6s} {'presses':>8s}   (actions per 100 gold beads)")
    totals = dict.fromkeys(MODES, 0)
    gold_total = cascade_total = 0
    refits: dict[int, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for name in names:
            docs, raw = chapters(name, n_docs, args.seed)
            golds = [spans(g, d.n, d.m) for d, g in zip(docs, raw)]
            train = [GoldDoc(d, g, other) for other in names if other != name
                     for d, g in zip(*devdata.training(other, n_train, args.fit_seed))]
            params = fit(train, extra_meta={"held_out": name}).params
            n_gold = sum(len(g) for g in golds)
            gold_total += n_gold
            row, presses = {}, 0
            for mode in MODES:
                (tmp / name).mkdir(exist_ok=True)
                before = CASCADES[0]
                a, p = run_mode(mode, params, docs, golds, tmp / name)
                if mode == "none":
                    cascade_total += CASCADES[0] - before
                row[mode] = a
                totals[mode] += a
                presses = max(presses, p)
            print(f"{name:18s} {n_gold:5d} {100 * row['none'] / n_gold:6.1f} {100 * row['realign'] / n_gold:8.1f} "
                  f"{100 * row['learn'] / n_gold:6.1f} {presses:8d}", flush=True)
            # how many reviewed documents a refit of the values needs before it helps
            ks = [k for k in ((0, 2, 4) if args.quick else (0, 2, 4, 8)) if k < len(docs) - 1]
            rest = list(range(max(ks), len(docs)))  # the same documents for every k: those after the most reviewed
            for k in ks:
                values = params if k == 0 else fit([GoldDoc(d, g, name) for d, g in zip(docs[:k], raw[:k])], base=params,
                                                   l2=STORE_STRENGTH).params
                als = Aligner(values).align_many([docs[i] for i in rest])
                f1 = score_alignments([raw[i] for i in rest], [[(b.src, b.tgt) for b in al.beads] for al in als]).f1_strict
                refits.setdefault(k, []).append(f1)
    per100 = {m: 100 * totals[m] / gold_total for m in MODES}
    print(f"{'overall':18s} {gold_total:5d} {per100['none']:6.1f} {per100['realign']:8.1f} {per100['learn']:6.1f}")
    if totals["none"]:
        print(f"of the actions without re-alignment, {100 * cascade_total / totals['none']:.0f}% fix a bead right after one just fixed "
              f"(a correction dragging its neighbour wrong): all re-alignment could save if it made no error of its own; "
              f"the rest are separate errors, which only a better aligner (learning) avoids")
    print("values refitted on the first k reviewed documents of the held-out collection (mt align fit --from-store), "
          "strict F1 of the first alignment of the documents after them, mean of the collections:")
    print("  " + "  ".join(f"k={k}: {sum(v) / len(v):.3f}" for k, v in sorted(refits.items())))
    print(f"seconds: {time.perf_counter() - t0:.0f}")
    saved = 1 - per100["learn"] / per100["none"] if per100["none"] else 0.0
    print(f"effort: none={per100['none']:.1f} realign={per100['realign']:.1f} learn={per100['learn']:.1f} saved={saved:.3f}")


if __name__ == "__main__":
    main()
