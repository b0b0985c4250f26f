"""The main job at archive scale: ``mt pipeline`` on N and 4N articles, per-stage seconds, cost per article and
peak memory.

The corpora are the bundled sample copied over and over, each copy's every paragraph made distinct (a copy
tag appended), with a manifest pairing the copies; each run is a new process on a new output folder. One copy
is 6 English articles (5 paired, 1 English-only) and 5 Arabic ones: by default 10 and 40 copies, that is 60 and
240 English articles (110 and 440 files); ``--quick`` 3 and 12 copies (18 and 72 English articles).

    python eval/bench_pipeline.py [--copies 10] [--quick]

The last line is ``pipeline: scaling=X evaluate_share=Y s_per_article=Z``: time at 4N over time at N, the
evaluate stage's share of the 4N run, and seconds per English article at 4N (the unit a user counts: an
interview and, where there is one, its source).
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpora" / "sample"

CHILD = """
import json, resource, sys, time
from mt.pipeline import PipelineConfig, run_pipeline
t0 = time.perf_counter()
res = run_pipeline(PipelineConfig(sys.argv[1], sys.argv[2]))
print(json.dumps({"seconds": res.totals["seconds"], "wall": time.perf_counter() - t0,
                  "articles": res.totals["articles"], "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _tag(text: str, suffix: str, c: int) -> str:
    """Every paragraph of one copy made distinct; the format's own structure (HTML tags, front matter) untouched."""
    if suffix == ".html":
        return text.replace("</p>", f" [{c}]</p>")
    lines, out, front = text.split("\n"), [], False
    for k, line in enumerate(lines):
        if line.strip() == "---" and (k == 0 or front):
            front = k == 0
            out.append(line)
            continue
        out.append(line + f" [{c}]" if line.strip() and not front else line)
    return "\n".join(out)


def make_corpus(folder: Path, copies: int) -> tuple[int, int]:
    """The sample ``copies`` times over, every paragraph of copy c tagged with c; (files, English articles)."""
    rows = list(csv.reader((SAMPLE / "pairs.tsv").read_text("utf-8").splitlines(), delimiter="\t"))
    header, pairs = rows[0], rows[1:]
    out_rows = [header]
    n = english = 0
    for c in range(copies):
        for lang in ("en", "ar"):
            for f in sorted((SAMPLE / lang).iterdir()):
                tagged = _tag(f.read_text("utf-8"), f.suffix, c)
                dest = folder / lang / f"c{c:03d}-{f.name}"
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(tagged, "utf-8")
                n += 1
                english += lang == "en"
        for en, ar in pairs:
            out_rows.append([str(Path(en).parent / f"c{c:03d}-{Path(en).name}"),
                             str(Path(ar).parent / f"c{c:03d}-{Path(ar).name}") if ar else ""])
    (folder / "pairs.tsv").write_text("\n".join("\t".join(r) for r in out_rows) + "\n", "utf-8")
    return n, english


def run(corpus: Path, out: Path) -> dict:
    r = subprocess.run([sys.executable, "-c", CHILD, str(corpus), str(out)], capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit(f"mt pipeline failed on {corpus}:\n{r.stderr[-2000:]}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--copies", type=int, default=10, help="copies of the sample in the small corpus (4x in the large)")
    ap.add_argument("--quick", action="store_true", help="3 copies (18 and 72 English articles)")
    args = ap.parse_args()
    copies = 3 if args.quick else args.copies
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in (copies, 4 * copies):
            corpus = Path(tmp) / f"corpus-{k}"
            files, n = make_corpus(corpus, k)
            r = run(corpus, Path(tmp) / f"out-{k}")
            r["n"] = n
            results.append(r)
            secs = r["seconds"]
            total = sum(secs.values())
            print(f"{n:5d} English articles ({files} files): {total:7.1f} s ({total / n:.3f} s per English article), "
                  f"peak {r['peak_mb']:.0f} MB; "
                  + ", ".join(f"{s} {v:.1f}" for s, v in secs.items()), flush=True)
    small, large = results
    t_small, t_large = sum(small["seconds"].values()), sum(large["seconds"].values())
    scaling = t_large / t_small
    share = large["seconds"]["evaluate"] / t_large
    print("targets: scaling <= 4.6, evaluate_share <= 0.15")
    print(f"pipeline: scaling={scaling:.2f} evaluate_share={share:.3f} s_per_article={t_large / large['n']:.3f}")


if __name__ == "__main__":
    main()
