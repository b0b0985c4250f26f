"""Batch translation around any engine: chunking, length-sorted token batches, the cache, resume."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterator

from mt.records import CachedTranslation, Translation
from mt.translate.base import Engine
from mt.translate.chunk import assemble, plan


def cache_key(engine: Engine, text: str) -> str:
    parts = [engine.name, engine.identity, engine.options.key(), engine.src, engine.tgt, text]
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


def token_batches(lengths: list[int], budget: int) -> list[list[int]]:
    """Indices grouped so that each batch's padded size (count × longest) stays within ``budget`` tokens.

    Sorting by length first keeps padding small; a batch always takes at least one item.
    """
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    cur: list[int] = []
    for i in order:
        longest = lengths[cur[0]] if cur else lengths[i]
        if cur and (len(cur) + 1) * longest > budget:
            batches.append(cur)
            cur = []
        cur.append(i)
    if cur:
        batches.append(cur)
    return batches


class LocalRunner:
    """Runs an engine in this process: length-sorted batches within the engine's token budget."""

    def run(self, engine: Engine, texts: list[str]) -> Iterator[tuple[list[int], list[str]]]:
        """Yields (indices into ``texts``, their translations) batch by batch, as each is done."""
        for batch in token_batches(engine.count_tokens(texts) if texts else [], engine.options.batch_tokens):
            yield batch, engine.translate_batch([texts[i] for i in batch])


class Translator:
    """Translate segments with one engine; every chunk translated is cached at once in the store.

    ``runner`` decides where the engine runs (this process, or a Ray cluster: ``mt.scale``); the
    chunking, the cache and resuming are the same wherever it runs.
    """

    def __init__(self, engine: Engine, store=None, *, use_cache: bool = True, runner=None):
        self.engine = engine
        self.store = store if use_cache else None
        self.runner = runner or LocalRunner()

    def translate(self, segments: list[str], progress: Callable[[int], None] | None = None) -> list[Translation]:
        """Translations in input order. ``progress(n)`` is called with the number of segments just finished."""
        eng = self.engine
        chunks, layouts = plan(segments, eng.max_input_tokens, eng.count_tokens)
        keys = [cache_key(eng, c) for c in chunks]
        # which segments wait on which chunk, so progress counts whole segments
        waiting: dict[str, list[int]] = defaultdict(list)
        remaining = [0] * len(segments)
        k = 0
        for s, lay in enumerate(layouts):
            for _ in range(lay.chunks):
                waiting[keys[k]].append(s)
                remaining[s] += 1
                k += 1

        def finished(done_keys) -> int:
            n = 0
            for key in done_keys:
                for s in waiting.pop(key, ()):
                    remaining[s] -= 1
                    n += remaining[s] == 0
            return n

        done: dict[str, str] = self.store.cached_translations(sorted(set(keys))) if self.store else {}
        from_cache = set(done)
        ready = sum(1 for r in remaining if r == 0) + finished(list(done))  # empty segments, and cached ones
        if progress and ready:
            progress(ready)
        todo_keys = list(dict.fromkeys(k for k in keys if k not in done))
        todo_text = {k: c for k, c in zip(keys, chunks)}
        texts = [todo_text[k] for k in todo_keys]
        options = json.dumps(eng.options.key(), sort_keys=True)
        for batch, out in self.runner.run(eng, texts):
            src = [texts[i] for i in batch]
            rows = [
                CachedTranslation(todo_keys[i], eng.name, eng.identity, options, eng.src, eng.tgt, s, t)
                for i, s, t in zip(batch, src, out)
            ]
            if self.store:
                self.store.cache_translations(rows)
            for r in rows:
                done[r.key] = r.target
            newly = finished([r.key for r in rows])
            if progress and newly:
                progress(newly)
        joined = assemble(layouts, [done[k] for k in keys])
        result = []
        for seg, text, lay in zip(segments, joined, layouts):
            idx = [i for p in lay.paragraphs for i in p]
            result.append(Translation(
                source=seg, text=text, engine=eng.name, model=eng.identity, src_lang=eng.src, tgt_lang=eng.tgt,
                chunks=lay.chunks, cached=bool(idx) and all(keys[i] in from_cache for i in idx),
            ))
        return result
