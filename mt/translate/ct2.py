"""``ct2``: CTranslate2 inference on a converted transformers model (int8 on CPU, float16 on GPU by default).

A converted folder holds the CTranslate2 model, the tokenizer files of the original model, and
``mt-convert.json`` saying what it was converted from. Inference needs neither torch nor a GPU;
conversion (:func:`convert`) needs torch and transformers.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import cast

from mt.errors import ModelError
from mt.translate.base import DecodeOptions
from mt.translate.hf import TokenizedEngine, default_model, language_setup, load_error, local_identity, quiet_transformers, resolve_source

MANIFEST = "mt-convert.json"


def convert(model: str, out: Path, *, quantization: str = "int8", force: bool = False) -> Path:
    """Convert a transformers model (hub id or folder) to CTranslate2 in ``out``, tokenizer included."""
    try:
        from ctranslate2.converters import TransformersConverter
        from transformers import AutoTokenizer
    except ImportError as e:
        raise ModelError(f"conversion needs ctranslate2, transformers and torch ({e.name} is missing); pip install 'mt[ct2,hf]' torch") from None
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not force:
        raise ModelError(f"{out} exists and is not empty; pass --force to overwrite it")
    where = resolve_source(model)
    quiet_transformers()
    try:
        tokenizer = AutoTokenizer.from_pretrained(model, **where)
        TransformersConverter(model).convert(str(out), quantization=quantization, force=True)
    except (OSError, ValueError, KeyError, NotImplementedError) as e:
        raise load_error(model, e) from None
    tokenizer.save_pretrained(out)
    source = local_identity(Path(model)) if Path(model).is_dir() else model
    (out / MANIFEST).write_text(json.dumps({"source": source, "quantization": quantization}, indent=2) + "\n", encoding="utf-8")
    return out


class CT2Engine(TokenizedEngine):
    name = "ct2"

    def __init__(self, model: str | None, src: str, tgt: str, options: DecodeOptions | None = None):
        super().__init__(model, src, tgt, options)
        try:
            import ctranslate2
            from transformers import AutoTokenizer
        except ImportError as e:
            raise ModelError(f"the ct2 engine needs ctranslate2 and transformers ({e.name} is missing); pip install 'mt[ct2]'") from None
        if not model:
            raise ModelError(
                f"the ct2 engine needs a converted model folder: mt models convert {default_model(src, tgt)} OUT, then --model OUT"
            )
        path = Path(model)
        if not (path / "model.bin").exists():
            hint = " (it is a transformers model: convert it with `mt models convert`)" if (path / "config.json").exists() else ""
            raise ModelError(f"{model} is not a CTranslate2 model folder{hint}")
        quiet_transformers()
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(model)
        except (OSError, ValueError) as e:
            raise load_error(model, e) from None
        cuda = ctranslate2.get_cuda_device_count() > 0
        device = self.options.device if self.options.device != "auto" else ("cuda" if cuda else "cpu")
        compute = self.options.dtype if self.options.dtype != "auto" else ("float16" if device.startswith("cuda") else "int8")
        try:
            self.translator = ctranslate2.Translator(
                str(path), device=device.split(":")[0], device_index=int(device.split(":")[1]) if ":" in device else 0,
                compute_type=compute, intra_threads=os.cpu_count() or 0,
            )
        except (RuntimeError, ValueError) as e:
            raise ModelError(f"cannot load CTranslate2 model {model} on {device} ({compute}): {e}") from None
        self._identity = f"{local_identity(path)}/{compute}"
        self._prefix, self._target_prefix = self._language_setup()
        limit = getattr(self.tokenizer, "model_max_length", 512)
        self.max_input_tokens = min(400, (limit if limit < 10**6 else 512) - 2)
        self.max_output_tokens = min(self.options.max_length, (limit if limit < 10**6 else 512) - 1)  # as the hf engine

    def _language_setup(self) -> tuple[str, list[str] | None]:
        target_prefix, prefix = language_setup(self.tokenizer, self.src, self.tgt, str(self.model_name), forced_bos=False)
        return prefix, target_prefix

    @property
    def identity(self) -> str:
        return self._identity

    def translate_batch(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        tokens = [self.tokenizer.convert_ids_to_tokens(x) for x in self.encode(texts)]
        results = self.translator.translate_batch(
            tokens,
            target_prefix=[self._target_prefix] * len(tokens) if self._target_prefix else None,
            beam_size=self.options.beam_size,
            max_decoding_length=self.max_output_tokens,
            min_decoding_length=max(1, self.options.min_length),
            max_batch_size=0,  # the Translator above already formed token-budget batches
        )
        out = []
        for r in results:
            pieces = r.hypotheses[0]
            ids = self.tokenizer.convert_tokens_to_ids(pieces)
            out.append(cast(str, self.tokenizer.decode(ids, skip_special_tokens=True)).strip())  # one sequence: one string
        return out
