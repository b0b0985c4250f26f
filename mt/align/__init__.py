"""Alignment: the DP core (``dp``), scorers, the aligner's passes, and bead files.

``align_texts`` is the entry point for two lists of segments; it puts empty segments back as
unaligned beads, so that every segment of both sides appears in exactly one bead, in order.
"""

from __future__ import annotations

from mt.align.aligner import AlignConfig, Aligner
from mt.align.scorers import DocPair
from mt.records import Alignment, Bead

__all__ = ["AlignConfig", "Aligner", "DocPair", "align_texts", "align_many_texts", "align_sentences"]


def _compact(texts: list[str]) -> list[int]:
    return [i for i, t in enumerate(texts) if t.strip()]


def _restore(al: Alignment, src_keep: list[int], tgt_keep: list[int], n: int, m: int) -> Alignment:
    """Map beads over the non-empty segments back to original positions; empty segments become 1-0 / 0-1 beads."""
    beads: list[Bead] = []
    si = ti = 0  # next original index not yet placed
    for b in al.beads:
        src = tuple(src_keep[k] for k in b.src)
        tgt = tuple(tgt_keep[k] for k in b.tgt)
        first_s = src[0] if src else si
        first_t = tgt[0] if tgt else ti
        beads.extend(Bead((i,), (), 1.0) for i in range(si, first_s))
        beads.extend(Bead((), (j,), 1.0) for j in range(ti, first_t))
        beads.append(Bead(src, tgt, b.score))
        si = max(si, src[-1] + 1) if src else si
        ti = max(ti, tgt[-1] + 1) if tgt else ti
    beads.extend(Bead((i,), (), 1.0) for i in range(si, n))
    beads.extend(Bead((), (j,), 1.0) for j in range(ti, m))
    return Alignment(tuple(beads), al.src_lang, al.tgt_lang, al.method)


def align_many_texts(pairs: list[DocPair], aligner: Aligner | None = None) -> list[Alignment]:
    """Align several documents (one bootstrapped lexicon for all), empty segments kept as unaligned beads."""
    aligner = aligner or Aligner()
    compact, keeps = [], []
    for d in pairs:
        sk, tk = _compact(d.src), _compact(d.tgt)
        pick = (lambda xs, keep: None if xs is None else [xs[i] for i in keep])  # noqa: E731
        compact.append(DocPair([d.src[i] for i in sk], [d.tgt[j] for j in tk], d.src_lang, d.tgt_lang,
                               pick(d.src_roles, sk), pick(d.tgt_roles, tk), pick(d.src_mt, sk)))
        keeps.append((sk, tk))
    out = aligner.align_many(compact)
    return [_restore(al, sk, tk, d.n, d.m) for al, (sk, tk), d in zip(out, keeps, pairs)]


def align_texts(src: list[str], tgt: list[str], src_lang: str = "ar", tgt_lang: str = "en", *,
                src_roles=None, tgt_roles=None, src_mt=None, aligner: Aligner | None = None) -> Alignment:
    return align_many_texts([DocPair(src, tgt, src_lang, tgt_lang, src_roles, tgt_roles, src_mt)], aligner)[0]


def align_sentences(turn_pairs: list[tuple[str, str]], src_lang: str = "ar", tgt_lang: str = "en",
                    aligner: Aligner | None = None) -> list[tuple[list[str], list[str], Alignment]]:
    """Sentence alignment inside aligned turns, with the same core: (source sentences, target sentences, beads) per turn pair."""
    from mt.text.sentences import turn_sentences

    docs = []
    for s, t in turn_pairs:
        docs.append(DocPair(turn_sentences(s), turn_sentences(t), src_lang, tgt_lang))
    als = align_many_texts(docs, aligner)
    return [(d.src, d.tgt, al) for d, al in zip(docs, als)]
