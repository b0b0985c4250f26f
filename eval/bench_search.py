"""The concordance (``mt corpus search``) on a store of 100,000 sentence beads across 1,000 article pairs.

The beads are synthetic but made of real text: clauses of the bundled corpus's sentences (both languages),
recombined with a seeded generator, a tenth of the Arabic beads carrying full diacritics, statuses and
origins mixed as a reviewed corpus has them. The script times the first sync (building the index from
nothing), a sync with nothing to do, then about 50 queries: Arabic words of 3+ letters, the same words with
diacritics, English words and phrases, and 2-letter terms (which the trigram index cannot answer, so they
scan the folded columns). Every query asks for the first page of 50 and the total, as the search box does.

    python eval/bench_search.py [--beads 100000] [--articles 1000] [--seed 7]

The last line is exactly:

    search: beads=N build_s=X noop_sync_ms=Y query_ms_median=M query_ms_p95=P short_query_ms_median=S
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HARAKAT = "\u064e\u064f\u0650\u0652"  # fatha, damma, kasra, sukun
# query terms: the Arabic ones are written plainly here; a copy of each gets diacritics below
AR_TERMS = ["المياه", "مدينة", "الحصار", "المجلس المحلي", "درعا", "المعارضة", "الأطفال", "المدارس", "إغلاق", "الغوطة",
            "النظام", "مستشفى", "المساعدات", "الطائرات", "منبج"]
EN_TERMS = ["water", "council", "Daraa", "the regime", "schools", "hospital", "displaced", "price of fuel", "siege",
            "Aleppo", "children", "Manbij"]
SHORT_TERMS = ["في", "من", "ال", "of", "al", "٤٥"]


def clauses() -> tuple[list[str], list[str]]:
    """Clauses of every sentence of the bundled corpus, Arabic and English apart."""
    from mt.ingest import ingest_paths
    from mt.text.sentences import split_clauses, turn_sentences

    files = sorted(p for p in (ROOT / "corpora" / "sample").glob("*/*") if p.parent.name in ("ar", "en"))
    out: dict[str, list[str]] = {"ar": [], "en": []}
    for art in ingest_paths(files).articles:
        for t in art.turns:
            for s in turn_sentences(t.text):
                out[art.lang].extend(c.strip() for c in split_clauses(s) if len(c.strip()) > 8)
    return out["ar"], out["en"]


def vocalise(text: str, rng: random.Random) -> str:
    """Diacritics on most Arabic letters (a vocalised text as a teacher would write it; not grammatical)."""
    return "".join(c + rng.choice(HARAKAT) if "\u0621" <= c <= "\u064a" and rng.random() < 0.7 else c for c in text)


def sentence(pieces: list[str], rng: random.Random, end: str) -> str:
    k = rng.choice((1, 2, 2, 3))
    text = " ".join(p.rstrip(".!?؟,،") for p in rng.sample(pieces, k))
    return text + end


def build_store(db: Path, n_beads: int, n_articles: int, seed: int) -> None:
    from mt.records import Article, Byline, CorpusBead, Pairing, Source
    from mt.store import Store

    rng = random.Random(seed)
    ar_pieces, en_pieces = clauses()
    per = n_beads // n_articles
    statuses = ["accepted"] * 12 + ["edited"] * 3 + ["rejected"] * 2 + ["unreviewed"] * 83
    with Store(db) as store:
        for a in range(n_articles):
            ids = {}
            for lang in ("ar", "en"):
                ids[lang] = f"bench-{a:04d}-{lang}"
                store.add_article(Article(ids[lang], lang, f"article {a}", "2015-01-01", Byline(),
                                          Source(f"{ids[lang]}.txt", f"{a:060d}{lang}{seed:02d}", "utf-8", "text"), ()))
            beads = []
            for k in range(per + (1 if a < n_beads % n_articles else 0)):
                ar = sentence(ar_pieces, rng, rng.choice(".؟"))
                if rng.random() < 0.1:
                    ar = vocalise(ar, rng)
                synthetic = rng.random() < 0.1
                beads.append(CorpusBead(en_id=ids["en"], ar_id=None if synthetic else ids["ar"], level="sentence", ordinal=k,
                                        ar=ar, en=sentence(en_pieces, rng, "."), ar_index=(k,), en_index=(k,), parent=k // 4,
                                        role=rng.choice(("question", "answer", "answer", "intro")), score=rng.random(),
                                        origin="synthetic" if synthetic else "human", status=rng.choice(statuses)))
            store.replace_beads(ids["en"], beads)
            store.save_pairs([Pairing(ids["en"], ids["ar"], 1.0, {}, "manifest")])  # search covers the articles paired now


def timed(fn) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--beads", type=int, default=100_000)
    ap.add_argument("--articles", type=int, default=1_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    from mt.review.search import search, sync_index
    from mt.store import Store

    rng = random.Random(args.seed + 1)
    db = Path(tempfile.mkdtemp(prefix="bench-search-")) / "corpus.db"
    t, _ = timed(lambda: build_store(db, args.beads, args.articles, args.seed))
    print(f"store: {args.beads} sentence beads in {args.articles} articles written in {t:.1f} s ({db})")
    with Store(db) as store:
        build_s, n = timed(lambda: sync_index(store))
        print(f"index: {n} beads folded and indexed in {build_s:.1f} s; {db.stat().st_size / 2**20:.0f} MB on disk with the index")
        noop = [timed(lambda: sync_index(store))[0] for _ in range(5)]
        print(f"sync with nothing to do: {statistics.median(noop) * 1000:.1f} ms")

        queries = [("ar", t) for t in AR_TERMS] + [("ar+", vocalise(t, rng)) for t in AR_TERMS] + [("en", t) for t in EN_TERMS]
        queries += [("ar", t) for t in ("مجلس", "حلب")] + [("en", t) for t in ("rebel", "food")]
        times: dict[str, list[float]] = {}
        for kind, term in queries + [("short", t) for t in SHORT_TERMS]:
            search(store, term)  # the first run of a query warms the page cache; a search box is typed into
            t0 = time.perf_counter()
            res = search(store, term)
            secs = time.perf_counter() - t0
            times.setdefault(kind, []).append(secs)
            print(f"{kind:6s} {term!r:32s} total={res.total:6d} hits={len(res.hits):3d} {secs * 1000:7.1f} ms")
        # the index must agree with a plain scan: a vocalised term finds what the plain one does
        plain, voc = search(store, AR_TERMS[0]), search(store, vocalise(AR_TERMS[0], rng))
        assert plain.total == voc.total > 0, (plain.total, voc.total)
        edited = search(store, "water", status="accepted", lang="en")
        assert all(h.status == "accepted" for h in edited.hits)

    long_ = sorted(x for k, v in times.items() if k != "short" for x in v)
    short = times["short"]
    p95 = long_[min(len(long_) - 1, round(0.95 * (len(long_) - 1)))]
    print(f"queries: {len(long_)} of 3+ letters, {len(short)} of 1-2 letters, each the first page of 50 with the total")
    print(f"search: beads={args.beads} build_s={build_s:.1f} noop_sync_ms={statistics.median(noop) * 1000:.1f} "
          f"query_ms_median={statistics.median(long_) * 1000:.1f} query_ms_p95={p95 * 1000:.1f} "
          f"short_query_ms_median={statistics.median(short) * 1000:.1f}")


if __name__ == "__main__":
    main()
