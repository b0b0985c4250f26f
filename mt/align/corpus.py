"""Aligning paired articles as a corpus: turns first, then the sentences inside every aligned turn pair."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from mt.align.aligner import Aligner
from mt.align.scorers import DocPair
from mt.records import Article, CorpusBead, Turn
from mt.text.sentences import turn_sentences


def role_of(turns: list[Turn]) -> str:
    """The role of a bead: its turns' roles in order, each once (``question``, ``answer+question``)."""
    return "+".join(dict.fromkeys(t.role for t in turns))


sentences = turn_sentences


def turn_documents(pairs: list[tuple[Article, Article]], src_mt: list[list[str] | None] | None = None) -> list[DocPair]:
    """One document per (English, Arabic) pair: the Arabic turns against the English ones, roles as a signal."""
    mts = src_mt or [None] * len(pairs)
    return [DocPair([t.text for t in a.turns], [t.text for t in e.turns], "ar", "en",
                    [t.role for t in a.turns], [t.role for t in e.turns], mt) for (e, a), mt in zip(pairs, mts)]


@dataclass
class AlignedArticle:
    """The beads of one pair, turn beads first, then the sentence beads of each turn bead in order."""

    en_id: str
    beads: list[CorpusBead]
    similarity: list[list[float]]  # the 1-1 score of every (Arabic, English) turn pair the alignment used

    @property
    def turn_beads(self) -> int:
        return sum(1 for b in self.beads if b.level == "turn")

    @property
    def sentence_beads(self) -> int:
        return sum(1 for b in self.beads if b.level == "sentence")


def align_corpus(pairs: list[tuple[Article, Article]], make_aligner: Callable[[], Aligner],
                 src_mt: list[list[str] | None] | None = None, on_turns: Callable[[], None] | None = None) -> list[AlignedArticle]:
    """Turn beads of every pair (all documents in one call, so the bootstrap learns from the corpus), then
    sentence beads inside every complete turn bead; a turn with no counterpart keeps its sentences, each
    with an empty side, so nothing is lost. Each level has an aligner of its own (``make_aligner``): what one
    bootstraps is not the other's. ``on_turns``: called once the turn level is done."""
    from mt.align import align_many_texts, align_sentences

    docs = turn_documents(pairs, src_mt)
    turn_aligner = make_aligner()
    turn_als = align_many_texts(docs, turn_aligner) if docs else []
    similarity = [turn_aligner.similarity(d).round(3).tolist() for d in docs]
    if on_turns:
        on_turns()
    turn_beads: dict[str, list[CorpusBead]] = {}
    inner: list[tuple[str, int]] = []  # (article, turn bead) of each turn pair given to sentence alignment
    texts: list[tuple[str, str]] = []
    for (e, a), al in zip(pairs, turn_als):
        beads = []
        for k, b in enumerate(al.beads):
            ar_text = "\n\n".join(a.turns[i].text for i in b.src)
            en_text = "\n\n".join(e.turns[j].text for j in b.tgt)
            role = role_of([a.turns[i] for i in b.src] + [e.turns[j] for j in b.tgt])
            beads.append(CorpusBead(en_id=e.id, ar_id=a.id, level="turn", ordinal=k, ar=ar_text, en=en_text,
                                    ar_index=b.src, en_index=b.tgt, parent=None, role=role, score=b.score))
            if b.src and b.tgt:
                inner.append((e.id, k))
                texts.append((ar_text, en_text))
        turn_beads[e.id] = beads
    sentence_als = dict(zip(inner, align_sentences(texts, aligner=make_aligner()))) if texts else {}
    out = []
    for (e, a), sim in zip(pairs, similarity):
        beads = list(turn_beads[e.id])
        ordinal = 0
        for tb in turn_beads[e.id]:
            if (e.id, tb.ordinal) in sentence_als:
                src, tgt, al = sentence_als[(e.id, tb.ordinal)]
                for b in al.beads:
                    beads.append(CorpusBead(en_id=e.id, ar_id=a.id, level="sentence", ordinal=ordinal, ar=" ".join(src[i] for i in b.src),
                                            en=" ".join(tgt[j] for j in b.tgt), ar_index=b.src, en_index=b.tgt, parent=tb.ordinal, role=tb.role,
                                            score=b.score * tb.score))
                    ordinal += 1
            else:
                for i, s in enumerate(sentences(tb.ar or tb.en)):
                    src_i, tgt_i = ((i,), ()) if tb.ar else ((), (i,))
                    beads.append(CorpusBead(en_id=e.id, ar_id=a.id, level="sentence", ordinal=ordinal, ar=s if tb.ar else "", en="" if tb.ar else s,
                                            ar_index=src_i, en_index=tgt_i, parent=tb.ordinal, role=tb.role, score=tb.score))
                    ordinal += 1
        out.append(AlignedArticle(e.id, beads, sim))
    return out
