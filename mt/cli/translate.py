"""``mt translate``, ``mt models convert``, ``mt lexicon train|show``."""

from __future__ import annotations

from pathlib import Path

import typer

from mt.cli.common import DbOption, err_console, progress_bar, say, write_output


def translate(
    inputs: list[str] = typer.Argument(..., help="Text files (one segment per line), article JSON from `mt ingest`, directories, or - for stdin."),
    src: str = typer.Option(..., "--from", help="Source language (ar or en)."),
    tgt: str = typer.Option(..., "--to", help="Target language (ar or en)."),
    engine: str = typer.Option("hf", "--engine", help="hf (transformers), ct2 (CTranslate2) or lexicon (offline glosses)."),
    model: str | None = typer.Option(None, "--model", help="Hub id or local folder (hf), converted folder (ct2), lexicon file"
        " (lexicon). Default for hf: Helsinki-NLP/opus-mt-SRC-TGT."),
    out: Path | None = typer.Option(None, "-o", "--out", help="Output file (one input) or folder (several inputs, directories)."),
    beam: int = typer.Option(4, "--beam", min=1, help="Beam size."),
    max_length: int = typer.Option(256, "--max-length", min=1, help="Most tokens generated per chunk."),
    batch_tokens: int = typer.Option(4096, "--batch-tokens", min=1, help="Source tokens per batch, padding included."),
    device: str = typer.Option("auto", "--device", help="auto (a GPU when there is one), cpu, cuda or cuda:N."),
    dtype: str = typer.Option("auto", "--dtype", help="hf: auto, float32, float16, bfloat16; ct2: auto, int8, int8_float16, float16, float32."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Translate everything again; do not read or write the cache."),
    db: Path = DbOption,
    quiet: bool = typer.Option(False, "-q", "--quiet", help="No progress bar or summary."),
    ray: str | None = typer.Option(None, "--ray", metavar="[ADDRESS]",
                                   help="Run the engine on Ray: a local instance (--ray alone), or a cluster (--ray auto, --ray ray://HOST:10001)."),
    actors: int | None = typer.Option(None, "--actors", min=1, help="With --ray: model-holding actors (default: one per GPU, or per 2 CPUs)."),
) -> None:
    """Translate text files, ingested articles or directories; resumable and cached in the store."""
    from mt.errors import InputError
    from mt.store import Store
    from mt.translate import DecodeOptions, Translator, load_engine
    from mt.translate.jobs import load_job, plan_jobs, render, sidecar

    for lang in (src, tgt):
        if lang not in ("ar", "en"):
            raise typer.BadParameter(f"unsupported language {lang!r}; use ar or en")
    pairs = plan_jobs(inputs, out)
    options = DecodeOptions(beam_size=beam, max_length=max_length, batch_tokens=batch_tokens, device=device, dtype=dtype)
    eng = load_engine(engine, model, src, tgt, options)
    console = err_console()
    if not quiet:
        say(f"mt: translating with {eng.describe()}" + (" — word-by-word glosses, not fluent translation" if engine == "lexicon" else ""))
    store = None if no_cache else Store(db)
    failed: list[tuple[str, str]] = []
    done = 0
    runner = None
    if ray is not None:
        from mt.scale import RayRunner

        runner = RayRunner(None if ray == "local" else ray, actors=actors)
        if not quiet:
            say(f"mt: running the engine on Ray ({'a local instance' if ray == 'local' else ray})")
    try:
        translator = Translator(eng, store, use_cache=not no_cache, runner=runner)
        if runner is not None:  # one Ray job for every input: actors load the model once
            done = _translate_together(translator, pairs, failed, options, console, quiet)
            pairs = []
        with progress_bar(console, quiet) as bar:
            for source, target in pairs:
                try:
                    job = load_job(source, target)
                except InputError as e:
                    failed.append((source, e.reason))
                    continue
                task = bar.add_task(Path(source).name if source != "-" else "stdin", total=len(job.segments)) if bar else None
                advance = (lambda n, t=task: bar.advance(t, n)) if bar and task is not None else None
                job.results = translator.translate(job.segments, progress=advance)
                if bar:
                    bar.update(task, completed=len(job.segments))
                write_output(render(job), job.out)
                if job.out is not None and job.kind == "text":
                    write_output(sidecar(job, options.key()), job.out.with_name(job.out.name + ".mt.json"))
                done += 1
    finally:
        if store:
            store.close()
    for path, reason in failed:
        say(f"mt: skipped {path}: {reason}")
    if failed and not done:
        raise typer.Exit(2)


def _translate_together(translator, pairs, failed, options, console, quiet) -> int:
    """All inputs' segments in one call (one Ray dataset), then each output written as usual."""
    from mt.errors import InputError
    from mt.translate.jobs import load_job, render, sidecar

    jobs = []
    for source, target in pairs:
        try:
            jobs.append(load_job(source, target))
        except InputError as e:
            failed.append((source, e.reason))
    segments = [s for job in jobs for s in job.segments]
    with progress_bar(console, quiet) as bar:
        task = bar.add_task(f"{len(jobs)} inputs", total=len(segments)) if bar else None
        results = translator.translate(segments, progress=(lambda n: bar.advance(task, n)) if bar else None)
    k = 0
    for job in jobs:
        job.results = results[k:k + len(job.segments)]
        k += len(job.segments)
        write_output(render(job), job.out)
        if job.out is not None and job.kind == "text":
            write_output(sidecar(job, options.key()), job.out.with_name(job.out.name + ".mt.json"))
    return len(jobs)


models_app = typer.Typer(help="Prepare translation models.", no_args_is_help=True)


@models_app.command("convert")
def convert(
    model: str = typer.Argument(..., help="Hub id or local folder of a transformers translation model."),
    out: Path = typer.Argument(..., help="Folder for the CTranslate2 model."),
    quantization: str = typer.Option("int8", "--quantization", help="int8, int8_float16, float16, bfloat16 or float32."),
    force: bool = typer.Option(False, "--force", help="Overwrite OUT."),
) -> None:
    """Convert a transformers model for the ct2 engine (needs torch for the conversion only)."""
    from mt.translate.ct2 import convert as do_convert

    path = do_convert(model, out, quantization=quantization, force=force)
    say(f"mt: converted {model} to {path} ({quantization}); use it with --engine ct2 --model {path}")


lexicon_app = typer.Typer(help="Train and inspect word-translation lexicons.", no_args_is_help=True)


@lexicon_app.command("train")
def lexicon_train(
    src_file: Path = typer.Argument(..., metavar="SRC", help="Source side, one sentence per line (UTF-8)."),
    tgt_file: Path = typer.Argument(..., metavar="TGT", help="Target side, line-aligned with SRC."),
    out: Path = typer.Option(..., "-o", "--out", help="Lexicon file to write (.npz)."),
    src: str = typer.Option("ar", "--src-lang", help="Language of SRC."),
    tgt: str = typer.Option("en", "--tgt-lang", help="Language of TGT."),
    iterations: int = typer.Option(5, "--iterations", min=1, help="EM iterations (the ibm1 aligner)."),
    aligner: str = typer.Option("auto", "--aligner", help="auto (eflomal when installed, else ibm1), eflomal, ibm1, or none (word tables only)."),
    max_phrase: int = typer.Option(4, "--max-phrase", min=1, max=8, help="Longest phrase, in tokens."),
) -> None:
    """Train a lexicon (word tables and phrases, both directions) on line-aligned parallel text."""
    import time

    from mt.translate.lexicon import file_digest, read_parallel, train

    a, b = read_parallel(src_file, tgt_file)
    t0 = time.perf_counter()
    lex = train(a, b, src, tgt, iterations=iterations, aligner=aligner, max_phrase=max_phrase, sources={
        "src": {"path": str(src_file), "sha256": file_digest(src_file)},
        "tgt": {"path": str(tgt_file), "sha256": file_digest(tgt_file)},
    })
    lex.save(out)
    phrases = len(lex.fwd_phrases) if lex.fwd_phrases is not None else 0
    say(f"mt: trained {src}↔{tgt} lexicon on {len(a)} pairs in {time.perf_counter() - t0:.1f}s with {lex.meta['aligner']} links: "
        f"{len(lex.fwd.src_vocab) - 1} {src} and {len(lex.bwd.src_vocab) - 1} {tgt} words, {phrases} {src} phrases; wrote {out}")


@lexicon_app.command("show")
def lexicon_show(
    lexicon: Path = typer.Argument(..., metavar="LEX"),
    word: str = typer.Argument(..., help="A word in either language."),
    k: int = typer.Option(10, "-k", help="How many translations."),
) -> None:
    """A word's best translations with their probabilities."""
    from mt.text.scripts import count_scripts
    from mt.text.tokenize import tokenize
    from mt.translate.lexicon import Lexicon

    lex = Lexicon.load(lexicon)
    c = count_scripts(word)
    lang = "ar" if c.arabic_share > 0.5 else "en"
    table = lex.fwd if lang == lex.src_lang else lex.bwd
    phrases = lex.fwd_phrases if lang == lex.src_lang else lex.bwd_phrases
    toks = tokenize(word, lang) or [word]
    lines = []
    if phrases is not None and len(toks) > 1:  # a phrase (a clitic with its word, a formula) glossed as a whole
        hit = phrases.entry(" ".join(toks))
        if hit:
            lines.append(f"{' '.join(toks)}\tphrase: {hit[0] or '(left out)'} {hit[1]:.3f} (seen {hit[2]}×)")
    for tok in toks:
        best = table.best(tok, k)
        line = f"{tok}\t" + ("(not in the lexicon)" if not best else "  ".join(f"{w or '(nothing)'} {p:.3f}" for w, p in best))
        hit = phrases.entry(tok) if phrases is not None else None
        if hit:
            line += f"\n{tok}\tgloss: {hit[0] or '(left out)'} {hit[1]:.3f} (seen {hit[2]}×)"
        lines.append(line)
    write_output("\n".join(lines) + "\n", None)
