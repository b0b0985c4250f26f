"""``lexicon``: an offline gloss engine trained on sentence-aligned text (IBM Model 1 tables and phrases).

It glosses phrase by phrase (greedy longest match over phrases of up to three tokens, learnt from
symmetrised word links, see :mod:`mt.translate.phrases`), backs off to the word table and to the
stem of an unseen inflected word, and passes unknown names and numbers through. Arabic clitics are
split and spellings folded for matching. It is not a fluent translator: it gives the aligner and the
pipeline a translation signal on a machine where no neural model can be loaded.

Lexicon file format (version 2): a NumPy ``.npz`` archive (``numpy.load``, no pickle) holding
``meta`` (a JSON string: format version, languages, options, aligner, what it was trained on) and,
for each direction ``fwd`` (source → target) and ``bwd`` (target → source):

- the IBM-1 word table p(target word | source word) in CSR form over the source vocabulary:
  ``{dir}_src`` and ``{dir}_tgt`` (vocabularies, index 0 of the source is the empty word NULL),
  ``{dir}_indptr``, ``{dir}_indices``, ``{dir}_probs`` (float32), best translations first;
- the phrase table: ``{dir}_psrc`` (source phrases, tokens joined by spaces), ``{dir}_ptgt`` (the
  most frequent translation, empty when the other language leaves the phrase out), ``{dir}_pprob``,
  ``{dir}_pcount`` and ``{dir}_pmax`` (the longest phrase).

Version-1 files (word tables only) still load and gloss word by word.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mt import __version__
from mt.clock import utc_now
from mt.errors import InputError, ModelError
from mt.ingest.decode import segment_lines
from mt.text.arabic import transliterate
from mt.text.tokenize import join_clitics, tokenize
from mt.translate.base import DecodeOptions, Engine
from mt.translate.phrases import Links, PhraseTable
from mt.translate.table import NULL, Table, to_table

FORMAT_VERSION = 2
_RAW_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_SUFFIXES = ("هما", "كما", "هم", "هن", "كم", "نا", "ها", "ه", "ك", "ي")  # pronoun suffixes, longest first
_PROCLITICS = "وفبل"  # not ك: as a clitic ("like") it is rare, as a first letter common


def _stems(token: str) -> list[str]:
    """Shorter forms of an unseen Arabic token to look up: without a proclitic, without a pronoun suffix, both."""
    heads = [token] + ([token[1:]] if token[:1] in _PROCLITICS and len(token) > 4 else [])
    out = []
    for h in heads:
        if h != token:
            out.append(h)
        out.extend(h[: -len(suf)] for suf in _SUFFIXES if h.endswith(suf) and len(h) - len(suf) >= 3)
    return out


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
    return to_table(keys, t, n_t, s_vocab, t_vocab, top_k, min_prob)


@dataclass
class Lexicon:
    src_lang: str
    tgt_lang: str
    fwd: Table  # p(tgt word | src word)
    bwd: Table  # p(src word | tgt word)
    meta: dict
    fwd_phrases: PhraseTable | None = None
    bwd_phrases: PhraseTable | None = None

    def phrases(self, src: str, tgt: str) -> PhraseTable | None:
        self.table(src, tgt)  # the same check of languages
        return self.fwd_phrases if src == self.src_lang else self.bwd_phrases

    def table(self, src: str, tgt: str) -> Table:
        if (src, tgt) == (self.src_lang, self.tgt_lang):
            return self.fwd
        if (src, tgt) == (self.tgt_lang, self.src_lang):
            return self.bwd
        raise ModelError(f"lexicon is {self.src_lang}↔{self.tgt_lang}, not {src}→{tgt}")

    def save(self, path: Path) -> None:
        """Write atomically (``mt.fileio``): a half-written lexicon never replaces a good one."""
        import io

        from mt.fileio import atomic_write

        extra = {}
        for prefix, table in (("fwd", self.fwd_phrases), ("bwd", self.bwd_phrases)):
            if table is not None:
                extra.update(table.arrays(prefix))
        buf = io.BytesIO()
        # allow_pickle is numpy's default, named so that mypy does not match the arrays' ** against it
        np.savez_compressed(buf, allow_pickle=True, meta=np.array(json.dumps(self.meta, ensure_ascii=False)),
                            **self.fwd.arrays("fwd"), **self.bwd.arrays("bwd"), **extra)
        atomic_write(Path(path), buf.getvalue())

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as z:
                meta = json.loads(str(z["meta"]))
                if meta.get("format") != "mt-lexicon" or meta.get("version", 0) > FORMAT_VERSION:
                    raise ModelError(f"{path} is not an mt lexicon of a version this mt reads")
                return cls(meta["src_lang"], meta["tgt_lang"], Table.from_arrays(z, "fwd"), Table.from_arrays(z, "bwd"), meta,
                           PhraseTable.from_arrays(z, "fwd"), PhraseTable.from_arrays(z, "bwd"))
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


ALIGNERS = ("auto", "eflomal", "ibm1", "none")



def train(src_lines: list[str], tgt_lines: list[str], src_lang: str, tgt_lang: str, *, iterations: int = 5,
          aligner: str = "auto", max_phrase: int = 4, sources: dict | None = None) -> Lexicon:
    """Train both directions on line-aligned text: IBM-1 word tables, then phrase tables from symmetrised links.

    ``aligner``: ``auto`` uses eflomal when it is installed and mt's IBM-1 links otherwise; ``none``
    keeps the word tables only (a version-1 style lexicon, the fastest to train).
    """
    from mt.translate.phrases import eflomal_links, have_eflomal, ibm1_links, link_tables, phrase_table, symmetrise

    if aligner not in ALIGNERS:
        raise InputError(f"unknown aligner {aligner!r}; choose from {', '.join(ALIGNERS)}")
    s_tok = [tokenize(x, src_lang) for x in src_lines]
    t_tok = [tokenize(x, tgt_lang) for x in tgt_lines]
    use_eflomal = aligner == "eflomal" or (aligner == "auto" and have_eflomal())
    if aligner == "eflomal" and not have_eflomal():
        raise ModelError("the eflomal aligner is not installed: pip install 'mt[eflomal]' (GPL-3)")
    fwd_p = bwd_p = None
    links: list[Links] | None
    if use_eflomal:
        links = symmetrise(*eflomal_links(s_tok, t_tok))
        fwd, bwd = link_tables(s_tok, t_tok, links)  # no EM needed: counts over eflomal's links
        used = "eflomal"
    else:
        fwd = ibm1(s_tok, t_tok, iterations=iterations)
        bwd = ibm1(t_tok, s_tok, iterations=iterations)
        links = symmetrise(*ibm1_links(s_tok, t_tok, fwd, bwd)) if aligner != "none" else None
        used = "ibm1" if links is not None else "none"
    if links is not None:
        # phrases are written as the target language writes them (English with its case)
        t_show = t_tok if tgt_lang == "ar" else [tokenize(x, tgt_lang, cased=True) for x in tgt_lines]
        s_show = s_tok if src_lang == "ar" else [tokenize(x, src_lang, cased=True) for x in src_lines]
        fwd_p = phrase_table(s_tok, t_show, links, max_phrase)
        bwd_p = phrase_table(t_tok, s_show, [{(j, i) for i, j in ls} for ls in links], max_phrase)
    meta = {
        "format": "mt-lexicon", "version": FORMAT_VERSION, "src_lang": src_lang, "tgt_lang": tgt_lang,
        "model": "ibm1+phrases" if fwd_p is not None else "ibm1", "aligner": used, "max_phrase": max_phrase,
        "iterations": iterations, "pairs": len(src_lines), "mt_version": __version__,
        "created": utc_now(),
        "trained_on": sources or {},
    }
    return Lexicon(src_lang, tgt_lang, fwd, bwd, meta, fwd_p, bwd_p)


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
        self.phrases = self.lexicon.phrases(src, tgt)
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

    def _word(self, token: str, shown: str | None = None) -> list[str]:
        """A token no phrase covers: the word table, then the stem of an unseen inflection, then the token itself
        (``shown``: as the text writes it, for names kept as they are)."""
        best = self.table.best(token, 1)
        if best and best[0][0]:
            return [best[0][0]]
        if token.endswith("+"):
            return []
        if self.src == "ar":
            # an unseen inflection: a proclitic the tokenizer keeps (بحمزة) or a pronoun suffix (كتابهم) off
            for cand in _stems(token):
                hit = self.phrases.get((cand,)) if self.phrases else None
                if hit is None:
                    b = self.table.best(cand, 1)
                    hit = b[0][0] if b else None
                if hit:
                    return hit.split()
        if self.src == "ar" and self.tgt == "en" and not token[0].isdigit():
            # an unseen Arabic word is most often a name; its first letter may be a clitic or the name's own
            # (فاطمة), so the whole word is transliterated
            return [transliterate(token)]
        return [shown or token]  # names and numbers often need nothing else

    def gloss_phrases(self, text: str) -> list[str]:
        assert self.phrases is not None  # translate_batch glosses by phrases only when the lexicon has them
        tokens = tokenize(text, self.src)
        shown = tokenize(text, self.src, cased=True)  # one for one with tokens: unknown words as written
        return self.phrases.gloss(tokens, lambda k: self._word(tokens[k], shown[k]))

    def translate_batch(self, texts: list[str]) -> list[str]:
        gloss = self.gloss_phrases if self.phrases is not None else self.gloss_tokens
        if self.tgt == "ar":  # glosses are tokens with clitics split off; write them as words again
            return [join_clitics(gloss(t)) for t in texts]
        return [" ".join(t for t in gloss(t) if not t.endswith("+")) for t in texts]
