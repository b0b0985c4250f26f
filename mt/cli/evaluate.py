"""``mt evaluate``: MT metrics on files, system comparisons, run reports from the store, alignment scores."""

from __future__ import annotations

from pathlib import Path

import typer

from mt.cli.align import eval_align
from mt.cli.common import DbOption, missing_store, say, write_output

app = typer.Typer(help="Evaluate translations and alignments; write reports.", no_args_is_help=True)
app.command("align")(eval_align)


def _lines(path: Path) -> list[str]:
    from mt.errors import InputError
    from mt.ingest.decode import read_segment_text, segment_lines

    try:
        return segment_lines(read_segment_text(str(path)))
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None


@app.command("mt")
def evaluate_mt(
    ref: Path = typer.Argument(..., help="Reference translations, one segment a line."),
    hyp: list[Path] = typer.Argument(..., help="One system's output, or several to compare (the first is the baseline)."),
    tgt_lang: str = typer.Option("en", "--tgt-lang", help="Target language: ar uses BLEU's intl tokenizer, en 13a."),
    resamples: int = typer.Option(1000, "--resamples", help="Paired bootstrap resamples when comparing."),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of a table."),
) -> None:
    """BLEU, chrF++ and TER with their signatures; with several systems, paired bootstrap against the first."""
    import json

    from mt.errors import InputError
    from mt.evaluate.mt_metrics import compare, corpus_scores

    if resamples < 1:
        raise InputError(f"--resamples must be at least 1, not {resamples}")
    if tgt_lang not in ("ar", "en"):
        raise InputError(f"--tgt-lang must be ar or en, not {tgt_lang!r}")
    refs = _lines(ref)
    systems = []
    for h in hyp:
        lines = _lines(h)
        if len(lines) != len(refs):
            raise InputError(f"{len(lines)} lines but the reference {ref} has {len(refs)}; the files must be line-aligned", str(h))
        systems.append((h.name, lines))
    if len(systems) == 1:
        s = corpus_scores(systems[0][1], refs, tgt_lang)
        if as_json:
            write_output(json.dumps({"scores": s.as_dict(), "signatures": s.signatures}, ensure_ascii=False) + "\n", None)
            return
        write_output("".join(f"{x.metric:<7} {x.value:6.2f}  {x.signature}\n" for x in (s.bleu, s.chrf, s.ter)), None)
        return
    if len({name for name, _ in systems}) != len(systems):
        systems = [(str(h), lines) for h, (_, lines) in zip(hyp, systems)]
    rows = compare(refs, systems, tgt_lang, resamples=resamples)
    if as_json:
        write_output("".join(json.dumps(r.__dict__, ensure_ascii=False) + "\n" for r in rows), None)
        return
    out = [f"paired bootstrap, {resamples} resamples; baseline {systems[0][0]}; mean ± 95% CI half-width", ""]
    for metric in ("BLEU", "chrF++", "TER"):
        rs = [r for r in rows if r.metric == metric]
        out.append(f"{metric}  ({rs[0].signature})")
        for r in rs:
            p = "baseline" if r.p_value is None else f"p = {r.p_value:.4f}" + (" *" if r.significant else "")
            out.append(f"  {r.system:<30} {r.score:6.2f}  ({r.mean:6.2f} ± {r.ci:5.2f})  {p}")
        out.append("")
    write_output("\n".join(out), None)


@app.command("report")
def evaluate_report(
    out: Path = typer.Option(Path("out/report"), "--out", "-o", help="Folder for report.md, report.html and report.json."),
    db: Path = DbOption,
    gold: Path | None = typer.Option(None, "--gold", help="Folder of gold alignments (<english file stem>.json)."),
) -> None:
    """The run report (MT scores, alignment against gold, figures) for what the store holds now."""
    from mt.errors import InputError
    from mt.evaluate.report import collect, write_report
    from mt.store import Store

    if gold is not None and not gold.is_dir():
        raise InputError("not a folder of gold alignments", str(gold))
    missing_store(db)
    with Store(db) as store:
        pairs = store.pairs()
        if not pairs:
            raise InputError(f"no pairs in {db}; run `mt pipeline` (or `mt pair` and `mt align`) first")
        ids = {p.en_id for p in pairs} | {p.ar_id for p in pairs if p.ar_id}
        articles = [store.get_article(i) for i in sorted(ids)]
        data = collect(store, articles, pairs, gold)
        paths = write_report(data, out)
    say(f"mt: report written to {paths['markdown']} and {paths['html']}")
    write_output(Path(paths["markdown"]).read_text("utf-8"), None)
