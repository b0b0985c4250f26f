"""Fine-tune with the transformers ``Seq2SeqTrainer``, then compare base and tuned models on the test split.

Defaults suit small corpora (a few thousand pairs): a low learning rate, evaluation every epoch
with chrF on the validation split, early stopping when it stops improving, and the best checkpoint
kept. The comparison translates the test split with mt's own ``hf`` engine (the same code path as
``mt translate``) and tests the difference with sacrebleu's paired bootstrap.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from mt.errors import InputError, ModelError

SPLIT_FILES = {"train": "train.jsonl", "validation": "validation.jsonl", "test": "test.jsonl"}


@dataclass
class FinetuneConfig:
    data: Path  # an `mt export -f hf` folder: train.jsonl, validation.jsonl, test.jsonl
    model: str  # hub id or local folder
    out: Path
    src: str = "ar"
    tgt: str = "en"
    epochs: int = 10
    learning_rate: float = 5e-5
    batch_size: int = 16
    patience: int = 3  # epochs without a better validation chrF before stopping
    max_length: int = 256  # tokens per side; longer pairs are left out, never cut (their count is reported)
    warmup: float = 0.1  # share of the steps
    weight_decay: float = 0.01
    beams: int = 4  # for validation and the test comparison
    seed: int = 12345
    resume: bool = True  # continue from the newest checkpoint in OUT/checkpoints
    resamples: int = 1000


@dataclass
class FinetuneResult:
    model_dir: Path
    train_pairs: int
    too_long: int  # training pairs left out: longer than max_length tokens on a side
    epochs_run: float
    losses: list[float] = field(default_factory=list)  # training loss per logging step
    validation: list[dict] = field(default_factory=list)  # chrF (and loss) per evaluation
    base: dict | None = None  # test-split scores of the base model
    tuned: dict | None = None
    comparison: list[dict] = field(default_factory=list)
    resumed_from: str | None = None


def read_split(path: Path, src: str, tgt: str) -> list[tuple[str, str]]:
    """Pairs from one JSONL file of the Hugging Face translation layout; errors name the file and line."""
    pairs = []
    try:
        lines = Path(path).read_text("utf-8").splitlines()
    except FileNotFoundError:
        raise InputError("no such file", str(path)) from None
    except UnicodeDecodeError:
        raise InputError("not UTF-8", str(path)) from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            tr = json.loads(line)["translation"]
            a, b = tr[src], tr[tgt]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise InputError(f'line {n}: expected {{"translation": {{"{src}": …, "{tgt}": …}}}}', str(path)) from None
        if isinstance(a, str) and isinstance(b, str) and a.strip() and b.strip():
            pairs.append((a, b))
    return pairs


def _splits(cfg: FinetuneConfig) -> dict[str, list[tuple[str, str]]]:
    if not Path(cfg.data).is_dir():
        raise InputError("not an export folder (run `mt export DIR -f hf`)", str(cfg.data))
    out = {}
    for split, name in SPLIT_FILES.items():
        path = Path(cfg.data) / name
        out[split] = read_split(path, cfg.src, cfg.tgt) if path.exists() else []
    if not out["train"]:
        raise InputError("no training pairs (train.jsonl); export with `mt export DIR -f hf`", str(cfg.data))
    return out


class _Pairs:
    """A torch-style dataset of tokenised pairs."""

    def __init__(self, features: list[dict]):
        self.features = features

    def __len__(self):
        return len(self.features)

    def __getitem__(self, i):
        return self.features[i]


def encode_pairs(tokenizer, pairs: list[tuple[str, str]], prefix: str,
                 limit: int) -> tuple[list[dict], list[tuple[str, str]]]:
    """Token ids of the pairs that fit in ``limit`` tokens on both sides, and those pairs.

    Nothing is truncated: a pair cut on one side would teach the model a translation that is not one.
    """
    feats, kept = [], []
    for a, b in pairs:
        enc = tokenizer(prefix + a, text_target=b)
        if len(enc["input_ids"]) <= limit and len(enc["labels"]) <= limit:
            feats.append({"input_ids": enc["input_ids"], "attention_mask": enc["attention_mask"], "labels": enc["labels"]})
            kept.append((a, b))
    return feats, kept


def run_finetune(cfg: FinetuneConfig, log=None) -> FinetuneResult:
    """Train, keep the best checkpoint in ``OUT/model``, evaluate base and tuned on the test split."""
    try:
        import torch
        from transformers import (
            AutoModelForSeq2SeqLM,
            AutoTokenizer,
            DataCollatorForSeq2Seq,
            EarlyStoppingCallback,
            Seq2SeqTrainer,
            Seq2SeqTrainingArguments,
        )
        from transformers.trainer_utils import get_last_checkpoint
    except ImportError as e:
        raise ModelError(f"fine-tuning needs torch, transformers and accelerate ({e.name} is missing); "
                         "pip install 'mt[finetune]' torch==2.13.0") from None
    from mt.translate.hf import language_setup, load_error, quiet_transformers, resolve_source

    say = log or (lambda line: None)
    data = _splits(cfg)
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    quiet_transformers()
    where = resolve_source(cfg.model)
    try:
        tokenizer = AutoTokenizer.from_pretrained(cfg.model, **where)
        model = AutoModelForSeq2SeqLM.from_pretrained(cfg.model, **where)
    except (OSError, ValueError, KeyError) as e:
        raise load_error(cfg.model, e) from None
    gen_kwargs, prefix = language_setup(tokenizer, cfg.src, cfg.tgt, cfg.model, forced_bos=True)
    limit = min(cfg.max_length, getattr(model.config, "max_position_embeddings", cfg.max_length) - 2)

    train_feats, kept = encode_pairs(tokenizer, data["train"], prefix, limit)
    too_long = len(data["train"]) - len(kept)
    if not train_feats:
        raise InputError(f"every training pair is longer than {limit} tokens; export at sentence level or raise --max-length")
    if too_long:
        say(f"mt: warning: {too_long} training pairs longer than {limit} tokens left out (cutting one side would "
            "teach the model text the other side does not have)")
    train_set = _Pairs(train_feats)
    val_pairs = data["validation"] or data["train"][: max(1, len(data["train"]) // 10)]
    if not data["validation"]:
        say("mt: warning: no validation split; early stopping watches a tenth of the training data")
    val_feats, val_pairs = encode_pairs(tokenizer, val_pairs, prefix, limit)  # chrF's references: the kept pairs
    val_set = _Pairs(val_feats)

    def compute_metrics(pred):
        import numpy as np
        import sacrebleu

        preds = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
        preds = np.where(preds < 0, tokenizer.pad_token_id, preds)
        hyps = [t.strip() for t in tokenizer.batch_decode(preds, skip_special_tokens=True)]
        return {"chrf": sacrebleu.corpus_chrf(hyps, [[b for _, b in val_pairs]]).score}

    cuda = torch.cuda.is_available()
    args = Seq2SeqTrainingArguments(
        output_dir=str(out / "checkpoints"), eval_strategy="epoch", save_strategy="epoch", logging_strategy="steps",
        logging_steps=max(1, len(train_set) // cfg.batch_size // 4), learning_rate=cfg.learning_rate,
        per_device_train_batch_size=cfg.batch_size, per_device_eval_batch_size=cfg.batch_size,
        num_train_epochs=cfg.epochs, weight_decay=cfg.weight_decay, warmup_steps=cfg.warmup,
        predict_with_generate=True, generation_max_length=limit, generation_num_beams=cfg.beams,
        load_best_model_at_end=True, metric_for_best_model="chrf", greater_is_better=True, save_total_limit=2,
        seed=cfg.seed, report_to="none", disable_tqdm=log is None, dataloader_num_workers=0,
        bf16=cuda and torch.cuda.is_bf16_supported(), fp16=cuda and not torch.cuda.is_bf16_supported(),
        use_cpu=not cuda,
    )
    if gen_kwargs.get("forced_bos_token_id") is not None:
        model.generation_config.forced_bos_token_id = gen_kwargs["forced_bos_token_id"]
    trainer = Seq2SeqTrainer(
        model=model, args=args, train_dataset=train_set, eval_dataset=val_set,  # type: ignore[arg-type]  # map-style: len and getitem
        processing_class=tokenizer,
        data_collator=DataCollatorForSeq2Seq(tokenizer, model=model), compute_metrics=compute_metrics,
        callbacks=[EarlyStoppingCallback(early_stopping_patience=cfg.patience)],
    )
    last = get_last_checkpoint(str(out / "checkpoints")) if cfg.resume and (out / "checkpoints").is_dir() else None
    if last:
        say(f"mt: resuming from {last}")
    trainer.train(resume_from_checkpoint=last)
    model_dir = out / "model"
    trainer.save_model(str(model_dir))
    tokenizer.save_pretrained(str(model_dir))
    history = trainer.state.log_history
    result = FinetuneResult(
        model_dir=model_dir, train_pairs=len(train_set), too_long=too_long, epochs_run=float(trainer.state.epoch or 0),
        losses=[h["loss"] for h in history if "loss" in h],
        validation=[{"epoch": h.get("epoch"), "chrF": round(h["eval_chrf"], 2), "loss": round(h.get("eval_loss", 0.0), 4)}
                    for h in history if "eval_chrf" in h],
        resumed_from=last,
    )
    if data["test"]:
        _compare(cfg, data["test"], model_dir, result, say)
    else:
        say("mt: warning: no test split; the base and tuned models were not compared")
    _report(cfg, result)
    return result


def _compare(cfg: FinetuneConfig, test: list[tuple[str, str]], model_dir: Path, result: FinetuneResult, say) -> None:
    from mt.evaluate.mt_metrics import compare, corpus_scores
    from mt.translate import DecodeOptions, Translator, load_engine

    refs = [b for _, b in test]
    options = DecodeOptions(beam_size=cfg.beams, max_length=cfg.max_length)
    systems = []
    for name, model in (("base", cfg.model), ("tuned", str(model_dir))):
        say(f"mt: translating the test split with the {name} model")
        engine = load_engine("hf", model, cfg.src, cfg.tgt, options)
        systems.append((name, [t.text for t in Translator(engine).translate([a for a, _ in test])]))
    result.base = corpus_scores(systems[0][1], refs, cfg.tgt).as_dict()
    result.tuned = corpus_scores(systems[1][1], refs, cfg.tgt).as_dict()
    result.comparison = [asdict(c) for c in compare(refs, systems, cfg.tgt, resamples=cfg.resamples)]


def _report(cfg: FinetuneConfig, r: FinetuneResult) -> None:
    from mt.fileio import atomic_write

    data = {**asdict(r), "model_dir": str(r.model_dir), "config": {k: str(v) for k, v in asdict(cfg).items()}}
    atomic_write(Path(cfg.out) / "finetune_report.json", json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    lines = ["# Fine-tuning report", "", f"- base model: `{cfg.model}`", f"- tuned model: `{r.model_dir}`",
             f"- training pairs: {r.train_pairs} ({r.too_long} longer than {cfg.max_length} tokens left out)",
             f"- epochs run: {r.epochs_run:g}" + (f" (resumed from {r.resumed_from})" if r.resumed_from else ""), ""]
    if r.validation:
        lines += ["| epoch | validation chrF | validation loss |", "|---:|---:|---:|"]
        lines += [f"| {v['epoch']:g} | {v['chrF']:.2f} | {v['loss']:.4f} |" for v in r.validation] + [""]
    if r.comparison:
        lines += ["## Test split, paired bootstrap", "", "| system | metric | score | mean ± 95% CI | p |", "|---|---|---:|---:|---:|"]
        for c in r.comparison:
            p = "baseline" if c["p_value"] is None else f"{c['p_value']:.4f}"
            lines.append(f"| {c['system']} | {c['metric']} | {c['score']:.2f} | {c['mean']:.2f} ± {c['ci']:.2f} | {p} |")
        lines += ["", "Signatures: " + "; ".join(sorted({f"{c['metric']}: `{c['signature']}`" for c in r.comparison})), ""]
    atomic_write(Path(cfg.out) / "finetune_report.md", "\n".join(lines))
