"""``mt align`` (files or directories of segments, into the store), ``mt align fit``, ``mt align lexicon``, ``mt eval align``."""

from __future__ import annotations

from pathlib import Path

import typer

from mt.cli.common import DbOption, FilesByDefault, say, write_output

app = typer.Typer(
    cls=FilesByDefault,
    no_args_is_help=True,
    help="Align two files (or two directories) of segments: `mt align SRC TGT` (see `mt align files --help`); "
         "refit the aligner (`mt align fit`); see or empty the store's corpus lexicon (`mt align lexicon`).",
)


def _lines(path: Path) -> list[str]:
    from mt.ingest.decode import read_segment_text, segment_lines

    return segment_lines(read_segment_text(str(path)))  # blank lines are segments: unaligned beads


def _inputs(src: Path, tgt: Path, out: Path | None) -> list[tuple[str, Path, Path, Path | None]]:
    """(name, source file, target file, output file) for two files, or for the files of two directories with the same names."""
    from mt.errors import InputError

    if src.is_dir() != tgt.is_dir():
        raise InputError("give two files or two directories")
    if not src.is_dir():
        return [(src.name, src, tgt, out)]
    if out is None or out.is_file():
        raise InputError("aligning two directories writes one file of beads per document: give an output directory with -o")
    names = sorted(p.name for p in src.iterdir() if p.is_file() and not p.name.startswith("."))
    missing = [n for n in names if not (tgt / n).is_file()]
    if missing:
        raise InputError(f"no target file for {len(missing)} source files, e.g. {missing[0]}", str(tgt))
    if not names:
        raise InputError("no files in this directory", str(src))
    return [(n, src / n, tgt / n, out / (Path(n).stem + ".jsonl")) for n in names]


@app.command("files")
def align(
    src: Path = typer.Argument(..., help="Source side: one segment per line (UTF-8), or a directory of such files."),
    tgt: Path = typer.Argument(..., help="Target side: a file, or a directory with files of the same names."),
    src_lang: str = typer.Option("ar", "--src-lang"),
    tgt_lang: str = typer.Option("en", "--tgt-lang"),
    engine: str | None = typer.Option(None, "--engine", help="Translate the source with this engine and use chrF to the target as a signal."),
    model: str | None = typer.Option(None, "--model", help="Model for --engine."),
    lexicon: Path | None = typer.Option(None, "--lexicon", help="A lexicon from `mt lexicon train`, as prior"
        " knowledge of which words translate which."),
    params: Path | None = typer.Option(None, "--params", envvar="MT_ALIGN_PARAMS",
                                       help="Fitted aligner values (`mt align fit`); default: those shipped with mt."),
    out: Path | None = typer.Option(None, "-o", "--out", help="JSON lines, one bead per line (stdout without it); a directory for two directories."),
    db: Path = DbOption,
    no_store: bool = typer.Option(False, "--no-store", help="Neither learn from the store nor keep the alignment in it."),
    realign: bool = typer.Option(False, "--realign", help="Align again a pair the store holds already aligned with these values."),
) -> None:
    """Align two files of segments: beads {"src": [i...], "tgt": [j...], "score": p} in document order.

    Every alignment is kept in the store (--db), and the store's corpus lexicon, learnt from everything
    aligned into it (and from translators' reviews), helps the next one. Two directories are aligned in
    one call, one document per pair of files with the same name.
    """
    from mt.align import Aligner, DocPair, align_many_texts
    from mt.align.beads import to_jsonl
    from mt.align.memory import CorpusLexicon, document_key
    from mt.align.params import load_params
    from mt.collector import collector_paused
    from mt.errors import InputError
    from mt.records import AlignedDocument, Alignment
    from mt.store import Store

    for lang in (src_lang, tgt_lang):
        if lang not in ("ar", "en"):
            raise InputError(f"unsupported language {lang!r}; use ar or en")
    if src_lang == tgt_lang:
        raise InputError("source and target languages are the same")
    jobs = _inputs(src, tgt, out)
    texts = [(_lines(s), _lines(t)) for _, s, t, _ in jobs]
    fitted = load_params(params)
    lex = None
    if lexicon:
        from mt.translate.lexicon import Lexicon, file_digest

        lex = Lexicon.load(lexicon)
    with Store(":memory:" if no_store else db) as store, collector_paused():
        eng = None
        if engine:
            from mt.translate import load_engine

            eng = load_engine(engine, model, src_lang, tgt_lang)
        made_with = "+".join(x for x in (fitted.digest, eng.identity if eng else "", file_digest(lexicon)[:16] if lexicon else "") if x)
        keys = [document_key(s, t, src_lang, tgt_lang) for s, t in texts]
        results: dict[int, Alignment] = {}
        if not no_store and not realign:
            for k, key in enumerate(keys):
                stored = store.aligned_document(key)
                if stored is not None and stored.params == made_with:
                    results[k] = stored.alignment
        todo = [k for k in range(len(jobs)) if k not in results]
        memory = CorpusLexicon(store, src_lang, tgt_lang)
        synced = memory.sync_reviews() if not no_store and todo else 0
        if todo:
            src_mt: dict[int, list[str]] = {}
            if eng is not None:
                from mt.translate import Translator

                translator = Translator(eng, store)
                for k in todo:
                    src_mt[k] = [x.text for x in translator.translate(texts[k][0])]
            docs = [DocPair(texts[k][0], texts[k][1], src_lang, tgt_lang, src_mt=src_mt.get(k)) for k in todo]
            prior = None if no_store else CorpusLexicon(store, src_lang, tgt_lang, tuple(f"doc:{keys[k]}" for k in todo))
            aligner = Aligner(fitted, lexicon=lex, prior=prior)
            for k, d, al in zip(todo, docs, align_many_texts(docs, aligner)):
                results[k] = al
                if not no_store:
                    memory.learn_alignment(f"doc:{keys[k]}", d, al, aligner.model, alone=len(todo) == 1)
                    store.save_aligned_document(AlignedDocument(keys[k], jobs[k][0], src_lang, tgt_lang, d.n, d.m, made_with, al))
        for k, (name, _, _, dest) in enumerate(jobs):
            al = results[k]
            write_output(to_jsonl(al), dest)
            kinds: dict[str, int] = {}
            for b in al.beads:
                kinds[f"{len(b.src)}-{len(b.tgt)}"] = kinds.get(f"{len(b.src)}-{len(b.tgt)}", 0) + 1
            what = ", ".join(f"{x}: {v}" for x, v in sorted(kinds.items()))
            prefix = f"{name}: " if len(jobs) > 1 else ""
            if k in todo:
                say(f"mt: {prefix}aligned {len(texts[k][0])} and {len(texts[k][1])} segments into {len(al.beads)} beads ({what}) with {al.method}")
            else:
                say(f"mt: {prefix}already aligned in {db} with these values: {len(al.beads)} beads, nothing done (--realign to align it again)")
        if not no_store:
            sources = store.lexicon_sources()
            note = f"; {synced} reviewed article{'s' if synced != 1 else ''} brought up to date" if synced else ""
            say(f"mt: store {db}: corpus lexicon from {len(sources)} document{'s' if len(sources) != 1 else ''} and articles, "
                f"{sum(s.pairs for s in sources):.0f} weighted pairs{note}")


@app.command("article")
def align_article(
    en_id: str = typer.Argument(..., help="The English article's id (as `mt review` and `mt corpus` show it)."),
    db: Path = DbOption,
    keep_reviewed: bool = typer.Option(False, "--keep-reviewed", help="Re-align around the beads translators reviewed"
        " (kept as they are); needed when there are any."),
    params: Path | None = typer.Option(None, "--params", envvar="MT_ALIGN_PARAMS",
                                       help="Fitted aligner values (`mt align fit`); default: those shipped with mt."),
    who: str = typer.Option("mt align", "--as", help="The name the change is recorded under in the article's history."),
    every_turn: bool = typer.Option(True, "--every-turn/--reviewed-turns", help="Align every turn again (the default: the values"
        " may have changed), or only turns with a reviewed bead (what a correction can change)."),
) -> None:
    """Align a stored article's sentences again inside its turns, with these values and the store's corpus lexicon.

    Reviewed beads are never replaced: with --keep-reviewed they are anchors and only the beads between them are
    aligned again, as one change the review app can undo."""
    from mt.align.params import load_params
    from mt.errors import InputError
    from mt.review.realign import realign
    from mt.store import Store

    if not db.exists():
        raise InputError("no such store; run `mt pipeline` first", str(db))
    with Store(db) as store:
        art = store.get_article(en_id)
        if art.lang != "en" or not store.beads(en_id):
            raise InputError(f"{en_id} is not an aligned English article in {db}")
        if store.reviewed(en_id) and not keep_reviewed:
            raise InputError(f"{en_id} has reviewed beads; they are never replaced: add --keep-reviewed to align the rest around them")
        plan, entry = realign(store, en_id, who, params=load_params(params), every_turn=every_turn)
    say(f"mt: {en_id}: {plan.line()}" + (f" (change #{entry.id}; undo it in `mt review`)" if entry else ""))


@app.command("lexicon")
def lexicon_cmd(
    db: Path = DbOption,
    forget: bool = typer.Option(False, "--forget", help="Empty the corpus lexicon (aligned documents and articles stay)."),
    as_json: bool = typer.Option(False, "--json", help="Print the sources as JSON."),
) -> None:
    """What the store's corpus lexicon has learnt from: one line per aligned document or article."""
    import json
    from dataclasses import asdict

    from mt.cli.common import missing_store
    from mt.store import Store

    missing_store(db)
    with Store(db) as store:
        if forget:
            n = store.forget_lexicon()
            say(f"mt: the corpus lexicon of {db} is empty now ({n} sources forgotten); the next alignments start from nothing")
            return
        sources = store.lexicon_sources()
    if as_json:
        write_output(json.dumps([asdict(s) for s in sources], ensure_ascii=False) + "\n", None)
        return
    lines = [f"{'source':74s} {'pairs':>8s} {'reviewed':>8s} {'links':>7s}"]
    lines += [f"{s.source[:74]:74s} {s.pairs:8.1f} {s.reviewed:8d} {s.entries:7d}" for s in sources]
    lines.append(f"{len(sources)} sources, {sum(s.pairs for s in sources):.1f} weighted pairs, {sum(s.entries for s in sources)} links")
    write_output("\n".join(lines) + "\n", None)


@app.command("fit")
def fit_cmd(
    out: Path = typer.Option(..., "-o", "--out", help="Where to write the fitted values (JSON); use them with --params or MT_ALIGN_PARAMS."),
    collections: list[str] = typer.Option(None, "--collection", help="A development collection to fit on (repeat); default: all four."),
    documents: int = typer.Option(12, "--documents", min=1, help="Documents drawn from each collection."),
    max_segments: int = typer.Option(150, "--max-segments", min=5, help="Chapters are cut into documents of at most this many segments."),
    seed: int = typer.Option(777, "--seed", help="Seed of the draw and of the merges, splits and deletions."),
    turns: Path | None = typer.Option(None, "--turns", help="Interview gold for the question/answer and MT weights"
        " (default: the bundled sample corpus)."),
    from_store: Path | None = typer.Option(None, "--from-store", help="Refit on this store's reviewed turns instead,"
        " pulled towards the current values (--params, or those shipped)."),
    params: Path | None = typer.Option(None, "--params", envvar="MT_ALIGN_PARAMS",
                                       help="With --from-store: the values to start from and pull towards."),
    strength: float = typer.Option(1.0, "--strength", min=0.0, help="With --from-store: the pull towards those values, per gold bead."),
) -> None:
    """Fit every value the aligner uses on gold beads (a CRF through the DP; see mt/align/fit.py) and write them.

    With --from-store, refit them on what translators reviewed in a store (turns whose beads are all reviewed), so
    that a team's corrections on one site make the next articles of that site better."""
    from mt.errors import InputError

    log = lambda line: say(f"mt: {line}")  # noqa: E731
    if from_store is not None:
        from mt.align.fitjob import fit_from_store
        from mt.align.params import load_params
        from mt.store import Store

        if not from_store.exists():
            raise InputError("no such store", str(from_store))
        with Store(from_store) as store:
            report = fit_from_store(store, load_params(params), strength, log=log)
        report.params.save(out)
        say(f"mt: refitted in {report.seconds:.0f} s on {report.params.meta['refit']['turns']} reviewed turns; wrote {out} "
            "(use it with --params or MT_ALIGN_PARAMS; `mt pipeline` re-aligns around reviewed beads with it)")
        return
    from mt.align.fitjob import fit_shipped

    report = fit_shipped(out, collections or None, documents, max_segments, seed, turns, log=log)
    say(f"mt: fitted in {report.seconds:.0f} s; wrote {out}")


eval_app = typer.Typer(help="Evaluate against gold data.", no_args_is_help=True)


@eval_app.command("align")
def eval_align(
    gold: Path = typer.Argument(..., help="Gold beads: a file, or a directory of files."),
    pred: Path = typer.Argument(..., help="Predicted beads: a file, or a directory with files of the same names."),
    as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
) -> None:
    """Strict and lax precision, recall and F1 over beads, as Vecalign's score.py defines them."""
    import json

    from mt.align.beads import read_beads
    from mt.errors import InputError
    from mt.evaluate.align_score import score_alignments

    if gold.is_dir() != pred.is_dir():
        raise InputError("give two files or two directories")
    if gold.is_dir():
        names = sorted(p.name for p in gold.iterdir() if p.is_file())
        missing = [n for n in names if not (pred / n).exists()]
        if missing:
            raise InputError(f"no prediction for {len(missing)} gold files, e.g. {missing[0]}", str(pred))
        pairs = [(gold / n, pred / n) for n in names]
        if not pairs:
            raise InputError("no gold files in this directory", str(gold))
    else:
        pairs = [(gold, pred)]
    res = score_alignments([read_beads(g) for g, _ in pairs], [read_beads(p) for _, p in pairs])
    if as_json:
        write_output(json.dumps({**res.as_dict(), "documents": len(pairs)}) + "\n", None)
        return
    write_output(
        f"documents {len(pairs)}\n"
        f"            strict   lax\n"
        f"precision   {res.precision_strict:.3f}    {res.precision_lax:.3f}\n"
        f"recall      {res.recall_strict:.3f}    {res.recall_lax:.3f}\n"
        f"F1          {res.f1_strict:.3f}    {res.f1_lax:.3f}\n",
        None,
    )
