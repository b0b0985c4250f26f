"""``mt finetune``."""

from __future__ import annotations

from pathlib import Path

import typer

from mt.cli.common import say


def finetune(
    data: Path = typer.Option(..., "--data", help="An export folder from `mt export DIR -f hf` (train/validation/test.jsonl)."),
    model: str = typer.Option(..., "--model", help="Hub id or local folder of a transformers seq2seq model."),
    out: Path = typer.Option(..., "--out", help="Folder for checkpoints, the tuned model (OUT/model) and the report."),
    src: str = typer.Option("ar", "--from", help="Source language."),
    tgt: str = typer.Option("en", "--to", help="Target language."),
    epochs: int = typer.Option(10, "--epochs", min=1, help="Most epochs; early stopping usually ends sooner."),
    lr: float = typer.Option(5e-5, "--lr", help="Learning rate (5e-5 suits fine-tuning a pretrained model on a small corpus)."),
    batch_size: int = typer.Option(16, "--batch-size", min=1),
    patience: int = typer.Option(3, "--patience", min=1, help="Epochs without a better validation chrF before stopping."),
    max_length: int = typer.Option(256, "--max-length", min=8, help="Tokens per side; longer pairs are left out, never cut (and counted)."),
    beams: int = typer.Option(4, "--beams", min=1, help="Beam size for validation and the test comparison."),
    no_resume: bool = typer.Option(False, "--no-resume", help="Start over instead of continuing from OUT/checkpoints."),
) -> None:
    """Fine-tune a translation model on the corpus with the transformers Trainer; compare base and tuned on the test split."""
    from mt.errors import InputError
    from mt.finetune import FinetuneConfig, run_finetune

    if {src, tgt} != {"ar", "en"}:
        raise InputError("--from and --to must be ar and en (either way round)")
    cfg = FinetuneConfig(data, model, out, src, tgt, epochs, lr, batch_size, patience, max_length, beams=beams, resume=not no_resume)
    r = run_finetune(cfg, log=say)
    say(f"mt: trained on {r.train_pairs} pairs for {r.epochs_run:g} epochs; best model in {r.model_dir}")
    if r.base and r.tuned:
        for metric in ("BLEU", "chrF++", "TER"):
            row = next(c for c in r.comparison if c["system"] == "tuned" and c["metric"] == metric)
            say(f"mt: test {metric}: base {r.base[metric]:.2f} → tuned {r.tuned[metric]:.2f} (p = {row['p_value']:.4f})")
    say(f"mt: report in {Path(out) / 'finetune_report.md'}")
