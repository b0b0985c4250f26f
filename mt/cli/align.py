"""``mt align`` and ``mt eval align``."""

from __future__ import annotations

from pathlib import Path

import typer

from mt.cli.common import DbOption, say, write_output


def _lines(path: Path) -> list[str]:
    from mt.ingest.decode import read_segment_text, segment_lines

    return segment_lines(read_segment_text(str(path)))  # blank lines are segments: unaligned beads


def align(
    src: Path = typer.Argument(..., help="Source side: one segment per line (UTF-8)."),
    tgt: Path = typer.Argument(..., help="Target side: one segment per line."),
    src_lang: str = typer.Option("ar", "--src-lang"),
    tgt_lang: str = typer.Option("en", "--tgt-lang"),
    engine: str | None = typer.Option(None, "--engine", help="Translate the source with this engine and use chrF to the target as a signal."),
    model: str | None = typer.Option(None, "--model", help="Model for --engine."),
    lexicon: Path | None = typer.Option(None, "--lexicon", help="A lexicon from `mt lexicon train` instead of one bootstrapped from the two files."),
    out: Path | None = typer.Option(None, "-o", "--out", help="JSON lines, one bead per line (stdout without it)."),
    db: Path = DbOption,
) -> None:
    """Align two files of segments: beads {"src": [i...], "tgt": [j...], "score": p} in document order."""
    from mt.align import Aligner, align_texts
    from mt.align.beads import to_jsonl

    from mt.errors import InputError

    for lang in (src_lang, tgt_lang):
        if lang not in ("ar", "en"):
            raise InputError(f"unsupported language {lang!r}; use ar or en")
    if src_lang == tgt_lang:
        raise InputError("source and target languages are the same")
    s, t = _lines(src), _lines(tgt)
    src_mt = None
    if engine:
        from mt.store import Store
        from mt.translate import Translator, load_engine

        eng = load_engine(engine, model, src_lang, tgt_lang)
        with Store(db) as store:
            src_mt = [x.text for x in Translator(eng, store).translate(s)]
    lex = None
    if lexicon:
        from mt.translate.lexicon import Lexicon

        lex = Lexicon.load(lexicon)
    al = align_texts(s, t, src_lang, tgt_lang, src_mt=src_mt, aligner=Aligner(lexicon=lex))
    write_output(to_jsonl(al), out)
    kinds: dict[str, int] = {}
    for b in al.beads:
        k = f"{len(b.src)}-{len(b.tgt)}"
        kinds[k] = kinds.get(k, 0) + 1
    say(f"mt: aligned {len(s)} and {len(t)} segments into {len(al.beads)} beads ({', '.join(f'{k}: {v}' for k, v in sorted(kinds.items()))}) with {al.method}")


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
