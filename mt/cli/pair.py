"""``mt pair``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from mt.cli.common import DbOption, say, write_output

app = typer.Typer(help="Pair English articles with their Arabic sources (`mt pair [--db DB] ...`), or fit the pairing's "
                       "values (`mt pair fit`).", invoke_without_command=True)


@app.command("fit")
def fit(
    out: Path = typer.Option(..., "-o", "--out", help="Where to write the fitted values (JSON); use them with --params or MT_PAIR_PARAMS."),
    collections: list[str] = typer.Option(None, "--collection", help="A development collection to fit on (repeat); default: all four."),
    pieces: int = typer.Option(150, "--pieces", min=10, help="Articles built from each collection."),
    seed: int = typer.Option(777, "--seed"),
    without_lexicon: str = typer.Option("hand", "--without-lexicon", help="What decides when there is no lexicon: `hand`"
        " (the hand-set weights, which pair more real interviews) or `fitted` (this model)."),
) -> None:
    """Fit the pairing's text evidence (a logistic model, and thresholds with and without a lexicon chosen for 98 %
    precision) on articles built from the development collections, with a lexicon learnt on them; see
    mt/align/pairfit.py."""
    from mt.align import devdata
    from mt.align.pairfit import fit_pairing
    from mt.errors import InputError

    if without_lexicon not in ("hand", "fitted"):
        raise InputError(f"--without-lexicon is {without_lexicon!r}; use hand or fitted")
    params = fit_pairing(collections or list(devdata.DEVELOPMENT), seed=seed, limit=pieces, without_lexicon=without_lexicon,
                         log=lambda line: say(f"mt: {line}"))
    params.save(out)
    say(f"mt: wrote {out}")


@app.callback()
def pair(
    ctx: typer.Context,
    db: Path = DbOption,
    manifest: Path | None = typer.Option(None, "--manifest", help="TSV or CSV of English and Arabic articles (ids or file"
        " paths); an empty Arabic column: no source."),
    threshold: float | None = typer.Option(None, "--threshold", help="Least evidence score for an automatic pairing"
        " (default: the pairing values' own, 0.35 for the hand-set ones)."),
    params: Path | None = typer.Option(None, "--params", envvar="MT_PAIR_PARAMS", help="Fitted pairing values (`mt pair fit`)."),
    max_days: int = typer.Option(7, "--max-days", help="Publication dates further apart than this count as no evidence."),
    engine: str | None = typer.Option(None, "--engine", help="Also compare a machine translation of each Arabic article (chrF)."),
    model: str | None = typer.Option(None, "--model"),
    lexicon: bool = typer.Option(True, "--lexicon/--no-lexicon", help="Compare the articles' words through the store's corpus"
        " lexicon (what aligning other articles and documents into the store taught), or else through what the pairs the"
        " pages link teach."),
    as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table."),
) -> None:
    """Pair ingested English articles with their Arabic sources, and say on what evidence."""
    if ctx.invoked_subcommand is not None:
        return
    from mt.align.pairing import load_pair_params, pair_articles, pair_from_manifest, store_lexicon, unpaired_reason
    from mt.errors import InputError
    from mt.store import Store

    with Store(db) as store:
        en, ar = store.articles("en"), store.articles("ar")
        if not en:
            raise InputError(f"no English articles in {db}; run `mt ingest` first")
        if manifest:
            pairs = pair_from_manifest(manifest, en, ar)
        else:
            mt = None
            if engine:
                from mt.translate import Translator, load_engine

                eng = load_engine(engine, model, "ar", "en")
                texts = ["\n\n".join([a.title or ""] + [t.text for t in a.turns]) for a in ar]
                mt = {a.id: t.text for a, t in zip(ar, Translator(eng, store).translate(texts))}
            words = store_lexicon(store, [a.id for a in en]) if lexicon else None
            pairs = pair_articles(en, ar, threshold=threshold, max_days=max_days, mt=mt, params=load_pair_params(params), lexicon=words,
                                  learn_from_links=lexicon)
        store.save_pairs(pairs)
    if as_json:
        write_output("".join(json.dumps(p.__dict__, ensure_ascii=False) + "\n" for p in pairs), None)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"pairs in {db}", title_justify="left")
    for col in ("English", "Arabic source", "score", "evidence"):
        table.add_column(col, overflow="fold")
    for p in pairs:
        ev = p.evidence
        if p.method == "manifest":
            why = "manifest"
        elif p.ar_id and "decisive" in ev:
            why = f"decisive: {ev['decisive']}"
        elif p.ar_id:
            why = (f"names {ev['names']:.2f} ({ev['shared_names']} shared), numbers {ev['numbers']:.2f} "
                   f"{' '.join(ev['shared_numbers'][:4])}, date {ev['date']:.2f}, shape {ev['shape']:.2f}"
                   + (f", words {ev['lexical']:.2f} (ahead by {ev['lexical_margin']:.2f})" if "lexical" in ev else "")
                   + (f", words learnt from {ev['words_from']}" if "words_from" in ev else "")
                   + (f", chrF {ev['chrf']:.2f}" if "chrf" in ev else "") + f", margin {ev['margin']:.2f}")
        else:
            why = unpaired_reason(ev)
        table.add_row(p.en_id, p.ar_id or "— (no source)", f"{p.score:.2f}", why)
    Console(highlight=False).print(table)
    say(f"mt: {sum(1 for p in pairs if p.ar_id)} of {len(pairs)} English articles paired")
