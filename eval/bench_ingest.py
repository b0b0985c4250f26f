"""How well ``mt ingest`` finds the turns of real interview pages, fitted and held out.

Two groups, reported apart: the real pages of ``../shared/real-pages`` (the development set: 35 pages from 34
sites) and the layout fixtures of ``tests/data/layouts``. For each page: exact (every question and answer turn
with the right role and boundaries, no furniture inside one), turn F1 and the title (see mt/evaluate/turns.py).

- **fitted**: the reader as shipped (``mt/ingest/data/params.json``, or ``--values``), which was fitted on these
  very pages: a floor to hold, not a result;
- **loso** (leave one site out): for each site, the reader's values are fitted again without that site's pages (and
  without the fixtures written from them), with the penalty the values were fitted with, and that site is read with
  them. These are the figures that say how the reader does on a site it has never seen. For the fixtures, each is
  left out in turn.

    python eval/bench_ingest.py [--pages DIR] [--fixtures DIR] [--values FILE] [--no-loso] [--pages-table]

The last line is ``ingest: pages=N exact=K turn_f1=X loso_exact=K2 loso_turn_f1=Y title=T/M`` for the real pages
(titles right of those the gold names, fitted; the held-out titles, and the titles given to pages whose gold shows
none, are on the lines above it).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mt.evaluate.turns import PageScore, Summary, read_and_score  # noqa: E402
from mt.ingest import fit  # noqa: E402
from mt.ingest.params import ReaderParams, default_params  # noqa: E402


def _cell(s: PageScore) -> str:
    if s.error:
        return "error"
    return "exact" if s.exact else f"{s.matched}/{s.gold} p{s.predicted}" + (" furn" if s.furniture else "")


def main(argv: list[str] | None = None) -> int:
    real_default, fixtures_default = fit.default_sources()
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=Path, default=real_default, help="real pages with gold (default: ../shared/real-pages)")
    ap.add_argument("--fixtures", type=Path, default=fixtures_default, help="layout fixtures (default: tests/data/layouts)")
    ap.add_argument("--values", type=Path, default=None, help="reader values to measure (default: those shipped)")
    ap.add_argument("--no-loso", action="store_true", help="only the fitted figures")
    ap.add_argument("--pages-table", action="store_true", help="one line per page")
    args = ap.parse_args(argv)
    values = ReaderParams.load(args.values) if args.values else default_params()
    l2 = float(values.meta.get("l2", 1.0))
    pages, _ = fit.load_pages(args.pages, args.fixtures)
    t0 = time.perf_counter()
    fitted = {p.name: read_and_score(p, values) for p in pages}
    loso: dict[str, PageScore] = {}
    if not args.no_loso:
        examples = [fit.example(p) for p in pages]
        for group in ("real", "fixture"):
            for site, v in fit.folds(examples, l2, group).items():
                for p in pages:
                    if p.group == group and p.site == site:
                        loso[p.name] = read_and_score(p, v)
    seconds = time.perf_counter() - t0
    if args.pages_table:
        print(f"{'page':36s} {'group':8s} {'fitted':14s} {'loso':14s} title")
        for p in pages:
            f, h = fitted[p.name], loso.get(p.name)
            title = "-" if f.title_ok is None else ("ok" if f.title_ok else f"wrong: {f.title!r}"[:60])
            print(f"{p.name:36s} {p.group:8s} {_cell(f):14s} {_cell(h) if h else '-':14s} {title}")
    lines = {}
    for group in ("fixture", "real"):
        f = Summary.of([fitted[p.name] for p in pages if p.group == group])
        line = f"{group:8s} pages={f.pages} exact={f.exact} turn_f1={f.f1:.3f} title={f.titles_ok}/{f.titles}"
        if loso:
            h = Summary.of([loso[p.name] for p in pages if p.group == group])
            line += f" | loso exact={h.exact} turn_f1={h.f1:.3f} title={h.titles_ok}/{h.titles}"
        lines[group] = (f, line)
        print(line)
        if f.untitled:
            made = f"{group:8s} titles given where the page shows none: {f.made_up}/{f.untitled}"
            if loso:
                made += f" | loso {Summary.of([loso[p.name] for p in pages if p.group == group]).made_up}/{f.untitled}"
            print(made)
    print(f"(values {values.digest}, l2={l2}, {seconds:.0f} s)")
    f = lines["real"][0]
    h = Summary.of([loso[p.name] for p in pages if p.group == "real"]) if loso else None
    print(f"ingest: pages={f.pages} exact={f.exact} turn_f1={f.f1:.3f} loso_exact={h.exact if h else 'na'} "
          f"loso_turn_f1={f'{h.f1:.3f}' if h else 'na'} title={f.titles_ok}/{f.titles}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
