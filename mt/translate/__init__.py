"""Machine translation: engines by name, chunking, batching and the cache."""

from mt.translate.base import ENGINES, DecodeOptions, Engine, load_engine, register_engine
from mt.translate.translator import Translator, cache_key

__all__ = ["ENGINES", "DecodeOptions", "Engine", "Translator", "cache_key", "load_engine", "register_engine"]
