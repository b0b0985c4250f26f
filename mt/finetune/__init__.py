"""Fine-tuning a transformers seq2seq model on an exported corpus (``mt finetune``)."""

from mt.finetune.run import FinetuneConfig, FinetuneResult, read_split, run_finetune

__all__ = ["FinetuneConfig", "FinetuneResult", "read_split", "run_finetune"]
