"""``--engine auto``: a neural model when one is on this machine, otherwise the offline lexicon engine."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from mt.errors import ModelError

NEURAL = ("hf", "ct2")


@dataclass(frozen=True)
class EngineChoice:
    name: str  # hf | ct2 | lexicon
    model: str | None  # a directory, a hub id, a lexicon file, or None for a lexicon trained by the pipeline
    reason: str  # said to the user

    @property
    def neural(self) -> bool:
        return self.name in NEURAL


def kind_of(model: str) -> str | None:
    """Which engine a local model path belongs to, from what is in it."""
    p = Path(model)
    if p.is_file() and p.suffix == ".npz":
        return "lexicon"
    if p.is_dir():
        if (p / "model.bin").exists():
            return "ct2"
        if (p / "config.json").exists():
            return "hf"
    return None


def choose_engine(requested: str, model: str | None, src: str, tgt: str) -> EngineChoice:
    """Resolve ``auto``; an explicit engine is taken as asked (and fails at load time if it cannot run)."""
    from mt.translate.hf import default_model, hub_cached

    if requested != "auto":
        if requested in NEURAL and model is None:
            return EngineChoice(requested, default_model(src, tgt), f"{requested} asked for, default model")
        return EngineChoice(requested, model, f"{requested} asked for")
    if model:
        kind = kind_of(model)
        if kind is None and Path(model).exists():
            raise ModelError(f"cannot tell what kind of model {model} is (no config.json, model.bin or .npz)")
        kind = kind or "hf"  # a hub id
        return EngineChoice(kind, model, f"--model {model} is a {kind} model")
    name = default_model(src, tgt)
    has_torch = importlib.util.find_spec("torch") is not None
    if has_torch and hub_cached(name):
        return EngineChoice("hf", name, f"{name} is in the local Hugging Face cache")
    why = "torch is not installed" if not has_torch else f"{name} is not in the local Hugging Face cache"
    return EngineChoice("lexicon", None, f"no neural model on this machine ({why}): word glosses from a lexicon "
                                         "trained on the corpus itself")
