"""``lexicon``: an offline word-translation engine on IBM Model 1 (EM), trained on sentence-aligned text.

It glosses word by word, with Arabic clitics split and spellings folded for matching. It is not a
fluent translator: it exists so that the aligner and the pipeline have a translation signal on a
machine where no neural model can be loaded.

Lexicon file format (version 1): a NumPy ``.npz`` archive (``numpy.load``, no pickle) holding
``meta`` (a JSON string: format version, languages, options, what it was trained on) and, for each
direction ``fwd`` (p(target word | source word)) and ``bwd`` (p(source | target)), a sparse table in
CSR form over the source vocabulary: ``{dir}_src`` and ``{dir}_tgt`` (vocabularies, index 0 is the
empty word NULL), ``{dir}_indptr``, ``{dir}_indices``, ``{dir}_probs`` (float32), the best
translations of each word first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mt import __version__
from mt.errors import InputError, ModelError
from mt.ingest.decode import segment_lines
from mt.text.tokenize import join_clitics, tokenize
from mt.translate.base import DecodeOptions, Engine

FORMAT_VERSION = 1
_RAW_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
NULL = "<null>"


@dataclass
class Table:
    """p(tgt | src) for one direction, sparse, each source word's entries sorted best first."""

    src_vocab: np.ndarray
    tgt_vocab: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    probs: np.ndarray

    def __post_init__(self):
        self._src_index = {w: i for i, w in enumerate(self.src_vocab.tolist())}

    def best(self, word: str, k: int = 5) -> list[tuple[str, float]]:
        i = self._src_index.get(word)
        if i is None:
            return []
        a, b = self.indptr[i], min(self.indptr[i + 1], self.indptr[i] + k)
        return [(str(self.tgt_vocab[j]), float(p)) for j, p in zip(self.indices[a:b], self.probs[a:b])]

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_src": self.src_vocab, f"{prefix}_tgt": self.tgt_vocab, f"{prefix}_indptr": self.indptr,
                f"{prefix}_indices": self.indices, f"{prefix}_probs": self.probs}

    @classmethod
    def from_arrays(cls, z, prefix: str) -> Table:
        return cls(*(z[f"{prefix}_{k}"] for k in ("src", "tgt", "indptr", "indices", "probs")))


def ibm1(src: list[list[str]], tgt: list[list[str]], *, iterations: int = 5, top_k: int = 30, min_prob: float = 1e-3) -> Table:
    """IBM Model 1 by EM, vectorised over all (source word, target word) co-occurrences of the corpus."""
    s_vocab = {NULL: 0}
    t_vocab: dict[str, int] = {}
    s_ids = [np.array([0] + [s_vocab.setdefault(w, len(s_vocab)) for w in s], dtype=np.int64) for s in src]
    t_ids = [np.array([t_vocab.setdefault(w, len(t_vocab)) for w in t], dtype=np.int64) for t in tgt]
    n_t = max(1, len(t_vocab))
    keys_parts, group_parts = [], []
    group = 0
    for f, e in zip(s_ids, t_ids):
        if len(e) == 0 or len(f) == 1:
            continue
        keys_parts.append((f[None, :] * n_t + e[:, None]).ravel())  # one row per target token
        group_parts.append(np.repeat(np.arange(group, group + len(e)), len(f)))
        group += len(e)
    if not keys_parts:
        raise InputError("no sentence pair has words on both sides; nothing to learn from")
    all_keys = np.concatenate(keys_parts)
    if len(s_vocab) * n_t < 2**31:
        all_keys = all_keys.astype(np.int32)  # sorts twice as fast as int64
    keys, pair = np.unique(all_keys, return_inverse=True)
    keys = keys.astype(np.int64)
    groups = np.concatenate(group_parts)
    del keys_parts, group_parts
    f_of = keys // n_t
    t = np.ones(len(keys))
    for _ in range(iterations):
        w = t[pair]
        post = w / np.bincount(groups, w)[groups]
        counts = np.bincount(pair, post, minlength=len(keys))
        t = counts / np.bincount(f_of, counts, minlength=len(s_vocab))[f_of]
    return _to_table(keys, t, n_t, s_vocab, t_vocab, top_k, min_prob)


def _to_table(keys, t, n_t, s_vocab, t_vocab, top_k, min_prob) -> Table:
    f_of, e_of = keys // n_t, keys % n_t
    order = np.lexsort((-t, f_of))  # by source word, best first
    f_sorted, e_sorted, t_sorted = f_of[order], e_of[order], t[order]
    rank = np.arange(len(order)) - np.searchsorted(f_sorted, f_sorted, side="left")
    keep = (rank < top_k) & ((t_sorted >= min_prob) | (rank == 0))
    f_k, e_k, t_k = f_sorted[keep], e_sorted[keep], t_sorted[keep].astype(np.float32)
    indptr = np.zeros(len(s_vocab) + 1, dtype=np.int64)
    np.add.at(indptr, f_k + 1, 1)
    return Table(
        np.array(list(s_vocab), dtype=str), np.array(list(t_vocab) or [""], dtype=str),
        np.cumsum(indptr), e_k.astype(np.int32), t_k,
    )


@dataclass
class Lexicon:
    src_lang: str
    tgt_lang: str
    fwd: Table  # p(tgt word | src word)
    bwd: Table  # p(src word | tgt word)
    meta: dict

    def table(self, src: str, tgt: str) -> Table:
        if (src, tgt) == (self.src_lang, self.tgt_lang):
            return self.fwd
        if (src, tgt) == (self.tgt_lang, self.src_lang):
            return self.bwd
        raise ModelError(f"lexicon is {self.src_lang}↔{self.tgt_lang}, not {src}→{tgt}")

    def save(self, path: Path) -> None:
        """Write atomically: a half-written lexicon never replaces a good one."""
        from mt.errors import OutputError

        path = Path(path)
        if path.is_dir():
            raise OutputError(f"cannot write {path}: it is a directory; give a file name")
        tmp = path.with_name(path.name + ".tmp.npz")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            np.savez_compressed(tmp, meta=np.array(json.dumps(self.meta, ensure_ascii=False)), **self.fwd.arrays("fwd"), **self.bwd.arrays("bwd"))
            tmp.replace(path)
        except OSError as e:
            tmp.unlink(missing_ok=True)
            raise OutputError(f"cannot write {path}: {e.strerror or e}") from None

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                if meta.get("format") != "mt-lexicon" or meta.get("version", 0) > FORMAT_VERSION:
                    raise ModelError(f"{path} is not an mt lexicon of a version this mt reads")
                return cls(meta["src_lang"], meta["tgt_lang"], Table.from_arrays(z, "fwd"), Table.from_arrays(z, "bwd"), meta)
        except FileNotFoundError:
            raise ModelError(f"no lexicon file at {path}; train one with `mt lexicon train`") from None
        except (OSError, ValueError, KeyError) as e:
            raise ModelError(f"cannot read lexicon {path}: {e}") from None


def read_parallel(src_path: Path, tgt_path: Path) -> tuple[list[str], list[str]]:
    """Two line-aligned UTF-8 files; errors name the file and line."""
    sides = []
    for p in (src_path, tgt_path):
        try:
            data = Path(p).read_bytes()
        except FileNotFoundError:
            raise InputError("no such file", str(p)) from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = data[: e.start].count(b"\n") + 1
            raise InputError(f"line {line}: not UTF-8 (byte {e.start}); convert the file to UTF-8", str(p)) from None
        lines = segment_lines(text)
        if not any(x.strip() for x in lines):
            raise InputError("empty file", str(p))
        sides.append(lines)
    if len(sides[0]) != len(sides[1]):
        raise InputError(f"{src_path} has {len(sides[0])} lines but {tgt_path} has {len(sides[1])}; the files must be line-aligned")
    return sides[0], sides[1]


def train(src_lines: list[str], tgt_lines: list[str], src_lang: str, tgt_lang: str, *, iterations: int = 5,
          sources: dict | None = None) -> Lexicon:
    """Train both directions on line-aligned text."""
    s_tok = [tokenize(x, src_lang) for x in src_lines]
    t_tok = [tokenize(x, tgt_lang) for x in tgt_lines]
    fwd = ibm1(s_tok, t_tok, iterations=iterations)
    bwd = ibm1(t_tok, s_tok, iterations=iterations)
    meta = {
        "format": "mt-lexicon", "version": FORMAT_VERSION, "src_lang": src_lang, "tgt_lang": tgt_lang,
        "model": "ibm1", "iterations": iterations, "pairs": len(src_lines), "mt_version": __version__,
        "created": dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        "trained_on": sources or {},
    }
    return Lexicon(src_lang, tgt_lang, fwd, bwd, meta)


def file_digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class LexiconEngine(Engine):
    """Word-by-word glosses from a lexicon file: a signal for alignment, not a fluent translation."""

    name = "lexicon"
    max_input_tokens = 10**6  # no model limit; chunking leaves segments whole

    def __init__(self, model: str | None, src: str, tgt: str, options: DecodeOptions | None = None):
        super().__init__(model, src, tgt, options)
        if not model:
            raise ModelError("the lexicon engine needs a lexicon file: mt lexicon train SRC TGT -o LEX, then --model LEX")
        self.lexicon = Lexicon.load(model)
        self.table = self.lexicon.table(src, tgt)
        self._identity = f"{Path(model).name}@sha256:{file_digest(Path(model))[:16]}"

    @property
    def identity(self) -> str:
        return self._identity

    def gloss_tokens(self, text: str) -> list[str]:
        out = []
        for m in _RAW_WORD.finditer(text):
            raw = m.group(0)
            toks = tokenize(raw, self.src)
            glosses = [self.table.best(t, 1) for t in toks]
            stem_known = any(g and g[0][0] for t, g in zip(toks, glosses) if not t.endswith("+"))
            if not stem_known:
                out.append(raw)  # unknown words pass through as written: names and numbers often need nothing else
                continue
            out.extend(g[0][0] for g in glosses if g and g[0][0])
        return out

    def translate_batch(self, texts: list[str]) -> list[str]:
        if self.tgt == "ar":  # glosses are tokens with clitics split off; write them as words again
            return [join_clitics(self.gloss_tokens(t)) for t in texts]
        return [" ".join(t for t in self.gloss_tokens(t) if not t.endswith("+")) for t in texts]
