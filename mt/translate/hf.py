"""``hf``: any transformers seq2seq translation model (MarianMT / OPUS-MT, NLLB-200, M2M100)."""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from mt.errors import ModelError
from mt.translate.base import DecodeOptions, Engine

if TYPE_CHECKING:  # transformers is an optional extra, imported by the engines themselves
    from transformers import PreTrainedTokenizerBase

DEFAULT_MODELS = {("ar", "en"): "Helsinki-NLP/opus-mt-ar-en", ("en", "ar"): "Helsinki-NLP/opus-mt-en-ar"}
NLLB_CODES = {"ar": "arb_Arab", "en": "eng_Latn"}
ISO3 = {"ar": "ara", "en": "eng"}


def default_model(src: str, tgt: str) -> str:
    try:
        return DEFAULT_MODELS[(src, tgt)]
    except KeyError:
        raise ModelError(f"no default model for {src}→{tgt}; pass --model") from None


@lru_cache(maxsize=32)
def _weights_hash(path: str, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def local_identity(directory: Path) -> str:
    """``dirname@sha256:…`` of the weights, so retrained weights in the same folder never hit old cache entries."""
    weights = sorted(p for p in directory.iterdir() if p.suffix in (".safetensors", ".bin") or p.name == "model.bin")
    if not weights:
        raise ModelError(f"no model weights in {directory}")
    h = hashlib.sha256()
    for w in weights:
        st = w.stat()
        h.update(_weights_hash(str(w), st.st_size, st.st_mtime_ns).encode())
    return f"{directory.resolve().name}@sha256:{h.hexdigest()[:16]}"


def load_error(name: str, err: Exception) -> ModelError:
    first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    if Path(name).exists():
        return ModelError(f"cannot load model from {name}: {first}")
    return ModelError(
        f"cannot load model {name!r}: {first[:200]}. It is not a local directory and could not be fetched from "
        f"the Hugging Face hub; download it once where there is network (hf download {name}) or pass a local "
        "directory with --model DIR"
    )


def hub_cached(name: str) -> bool:
    """Whether a hub model's files are already in the local Hugging Face cache (no network used)."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    found = try_to_load_from_cache(name, "config.json")
    return isinstance(found, str)


def hub_reachable(timeout: float = 3.0) -> bool:
    """A quick look for the hub before from_pretrained, whose retries take most of a minute offline."""
    import socket
    from urllib.parse import urlparse

    if os.environ.get("HF_HUB_OFFLINE", "0") not in ("0", "", "false", "False"):
        return False
    host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname or "huggingface.co"
    try:
        socket.create_connection((host, 443), timeout=timeout).close()
        return True
    except OSError:
        return False


def resolve_source(name: str) -> dict:
    """``from_pretrained`` keyword arguments for a local folder, a cached hub model, or one to download."""
    if Path(name).is_dir():
        return {}
    if Path(name).exists() or name.startswith((".", "/", "~")):
        raise ModelError(f"cannot load model from {name}: not a model directory")
    if hub_cached(name):
        return {"local_files_only": True}
    if not hub_reachable():
        raise ModelError(
            f"model {name!r} is not on this machine and the Hugging Face hub cannot be reached; download it once "
            f"where there is network (hf download {name}) or pass a local directory with --model DIR"
        )
    return {}


def _known(tokenizer, token: str) -> bool:
    tid = tokenizer.convert_tokens_to_ids(token)
    return tid is not None and tid != tokenizer.unk_token_id


def language_setup(tokenizer, src: str, tgt: str, name: str, *, forced_bos: bool):
    """How a model is told the languages: NLLB and M2M100 by codes (the target as the first decoded token),
    multi-target OPUS-MT by a ``>>ara<<`` token before the source. Returns (target token or generate kwargs, prefix).
    """
    if hasattr(tokenizer, "get_lang_id") and hasattr(tokenizer, "lang_code_to_id"):  # M2M100: "ar", "en"
        tokenizer.src_lang = src
        tokenizer.tgt_lang = tgt  # what text_target= encodes with (fine-tuning labels)
        tgt_token = tokenizer.get_lang_token(tgt)
    elif _known(tokenizer, NLLB_CODES[src]) and _known(tokenizer, NLLB_CODES[tgt]):  # NLLB-200: arb_Arab, eng_Latn
        tokenizer.src_lang = NLLB_CODES[src]
        tokenizer.tgt_lang = NLLB_CODES[tgt]
        tgt_token = NLLB_CODES[tgt]
    else:
        vocab = tokenizer.get_vocab()
        code = f">>{ISO3[tgt]}<<"
        if code in vocab:
            return ({} if forced_bos else None), code + " "
        if any(t.startswith(">>") and t.endswith("<<") for t in vocab):
            raise ModelError(f"model {name} is multi-target but has no {code} token for {tgt}")
        return ({} if forced_bos else None), ""
    if forced_bos:
        return {"forced_bos_token_id": tokenizer.convert_tokens_to_ids(tgt_token)}, ""
    return [tgt_token], ""


def quiet_transformers() -> None:
    """Our own progress and messages only: no loading bars, and no length warnings (we chunk before tokenising)."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def pick_device(requested: str) -> str:
    import torch

    if requested == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if not re.fullmatch(r"cpu|cuda(:\d+)?|mps", requested):
        raise ModelError(f"--device {requested}: use auto, cpu, cuda, cuda:N or mps")
    if requested.startswith("cuda") and not torch.cuda.is_available():
        raise ModelError(f"--device {requested}: this machine has no CUDA device torch can use; use --device cpu or auto")
    return requested


class TokenizedEngine(Engine):
    """An engine fed by a transformers tokenizer (``self.tokenizer``), with an optional ``>>ara<<`` prefix."""

    tokenizer: PreTrainedTokenizerBase  # loaded by each engine's __init__
    _prefix = ""

    def encode(self, texts: list[str]) -> list[list[int]]:
        return self.tokenizer([self._prefix + t for t in texts])["input_ids"] if texts else []

    def count_tokens(self, texts: list[str]) -> list[int]:
        return [len(ids) for ids in self.encode(texts)]


class HFEngine(TokenizedEngine):
    name = "hf"
    model_name: str  # the default model when none is given

    def __init__(self, model: str | None, src: str, tgt: str, options: DecodeOptions | None = None):
        super().__init__(model, src, tgt, options)
        try:
            import torch
            from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        except ImportError as e:
            raise ModelError(f"the hf engine needs torch and transformers ({e.name} is missing); pip install 'mt[hf]' torch") from None
        self.model_name = model or default_model(src, tgt)
        self.device = pick_device(self.options.device)
        dtype = self._dtype(torch)
        where = resolve_source(self.model_name)
        quiet_transformers()
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(self.model_name, **where)
            self.model = AutoModelForSeq2SeqLM.from_pretrained(self.model_name, dtype=dtype, **where)
        except (OSError, ValueError, KeyError) as e:
            raise load_error(self.model_name, e) from None
        self.model.to(self.device).eval()
        self._torch = torch
        self._gen_kwargs, self._prefix = self._language_setup()
        limits = [self.model.config.max_position_embeddings, getattr(self.tokenizer, "model_max_length", 10**6)]
        # a little room for the special tokens the tokenizer adds
        self.max_input_tokens = min(400, min(limits) - 2)
        # the decoder cannot go past its position table: a model that never says end-of-sentence would crash there
        self.max_output_tokens = min(self.options.max_length, self.model.config.max_position_embeddings - 1)
        local = Path(self.model_name)
        revision = getattr(self.model.config, "_commit_hash", None)
        if local.is_dir():
            self._identity = local_identity(local)
        else:
            self._identity = f"{self.model_name}@{revision}" if revision else self.model_name
        # fp32 on a CPU and bf16 on a GPU give different outputs: the cache must tell them apart
        self._identity += "/" + str(dtype).removeprefix("torch.")

    def _dtype(self, torch):
        want = self.options.dtype
        if want == "auto":
            if self.device.startswith("cuda"):
                return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
            return torch.float32
        try:
            return {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}[want]
        except KeyError:
            raise ModelError(f"unknown dtype {want!r} for the hf engine; use auto, float32, float16 or bfloat16") from None

    def _language_setup(self) -> tuple[dict, str]:
        """NLLB and M2M100 need source/target codes; multi-target OPUS-MT needs a ``>>ara<<`` prefix."""
        return language_setup(self.tokenizer, self.src, self.tgt, self.model_name, forced_bos=True)

    @property
    def identity(self) -> str:
        return self._identity

    def translate_batch(self, texts: list[str]) -> list[str]:
        if not texts:
            return []
        torch = self._torch
        # chunking upstream guarantees the length limit, so nothing is ever truncated here
        enc = self.tokenizer([self._prefix + t for t in texts], return_tensors="pt", padding=True)
        if enc["input_ids"].shape[1] > self.max_input_tokens + 2:
            raise ModelError(f"a chunk of {enc['input_ids'].shape[1]} tokens exceeds the model limit; this is a bug in chunking")
        enc = {k: v.to(self.device) for k, v in enc.items()}
        with torch.inference_mode():
            out = self.model.generate(
                **enc, num_beams=self.options.beam_size, max_new_tokens=self.max_output_tokens,
                min_new_tokens=self.options.min_length or None, do_sample=False, **self._gen_kwargs,
            )
        return [t.strip() for t in self.tokenizer.batch_decode(out, skip_special_tokens=True)]

