"""The translation engine plugin kind: one abstract base with one batch method, and a registry by name."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

from mt.errors import ModelError
from mt.registry import Registry

LANG_NAMES = {"ar": "Arabic", "en": "English"}


@dataclass(frozen=True)
class DecodeOptions:
    """Decoding settings; everything here is part of the cache key, so a change means a new translation."""

    beam_size: int = 4
    max_length: int = 256  # output tokens per chunk
    min_length: int = 0  # forces outputs this long (benchmarks compare systems at equal output length)
    batch_tokens: int = 4096  # source tokens per batch (padding included)
    device: str = "auto"  # auto | cpu | cuda | cuda:N
    dtype: str = "auto"  # auto | float32 | float16 | bfloat16 (hf); int8 | float16 | … (ct2 compute type)

    def key(self) -> dict[str, Any]:
        d = asdict(self)
        for speed_only in ("batch_tokens", "device"):  # they change speed, not output
            d.pop(speed_only)
        return d


class Engine(ABC):
    """A translation engine for one model and one direction.

    Subclasses set ``name`` and implement :meth:`translate_batch`; heavy libraries are imported in
    ``__init__``, never at module level, so that listing engines costs nothing.
    """

    name: ClassVar[str]
    #: the most source tokens one chunk may have; longer text is split before it reaches the engine
    max_input_tokens: int = 400

    def __init__(self, model: str | None, src: str, tgt: str, options: DecodeOptions | None = None):
        if src == tgt:
            raise ModelError(f"source and target language are both {src}")
        self.model_name = model
        self.src, self.tgt = src, tgt
        self.options = options or DecodeOptions()

    @property
    @abstractmethod
    def identity(self) -> str:
        """What makes this engine's outputs what they are: model name plus revision or weights hash."""

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Source tokens of each text, as the model will see them (used for chunking and batching)."""
        return [len(t.split()) + 1 for t in texts]

    @abstractmethod
    def translate_batch(self, texts: list[str]) -> list[str]:
        """Translate texts that each fit in :attr:`max_input_tokens`; same length and order out as in."""

    def describe(self) -> str:
        return f"{self.name} {self.identity} ({self.src}→{self.tgt})"

    @property
    def tag(self) -> str:
        """What a stored machine translation records as its maker: engine name and identity (see :func:`mt_label`)."""
        return f"{self.name}:{self.identity}"


def mt_label(tag: str | None) -> tuple[str, str]:
    """``(kind, label)`` of a stored machine translation's maker: ``("gloss", "word glosses (lexicon)")`` for the
    lexicon engine, whose output is word-by-word glosses and must never pass for a translation;
    ``("translation", "hf Helsinki-NLP/opus-mt-ar-en@…")`` for a model; ``("none", …)`` when there is none."""
    if not tag:
        return "none", "no machine translation"
    name, sep, identity = tag.partition(":")
    if not sep or name not in ENGINES.names():
        # a store from before tags: lexicon identities are file digests
        return ("gloss", "word glosses (lexicon)") if ".npz@sha256:" in tag else ("translation", f"machine translation ({tag})")
    if name == "lexicon":
        return "gloss", "word glosses (lexicon)"
    return "translation", f"{name} {identity}"


def _not_installed(name: str, e: ImportError) -> ModelError:
    return ModelError(f"engine {name!r} needs a library that is not installed ({e.name}); pip install 'mt[{name}]'")


# "module:Class", imported on first use so that `mt --help` never loads torch or ctranslate2
ENGINES: Registry[type[Engine]] = Registry("engine", ModelError, _not_installed)
ENGINES.register("hf", "mt.translate.hf:HFEngine")
ENGINES.register("ct2", "mt.translate.ct2:CT2Engine")
ENGINES.register("lexicon", "mt.translate.lexicon:LexiconEngine")


def register_engine(name: str, target: str | type[Engine]) -> None:
    """Register an engine class, or its ``"module:Class"`` path."""
    ENGINES.register(name, target)


def engine_class(name: str) -> type[Engine]:
    return ENGINES.get(name)


def load_engine(name: str, model: str | None, src: str, tgt: str, options: DecodeOptions | None = None) -> Engine:
    return engine_class(name)(model, src, tgt, options)
