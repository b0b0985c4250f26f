"""The store's corpus lexicon: what every alignment in the store taught about which words translate which.

Each source of knowledge, a document ``mt align`` aligned or an article ``mt pipeline`` aligned,
contributes the expected IBM-1 link counts of its aligned pairs in both directions
(:func:`mt.align.bootstrap.em_counts`, with everything else the store knows as the prior). A pair
counts with the square of its posterior, as in the aligner's own bootstrap; a sentence pair a
translator accepted or edited counts as gold, with weight :data:`REVIEWED_WEIGHT`, and a rejected
one not at all. The store keeps each source's counts and their sums, so a document aligned again,
or an article whose review changed, replaces what it taught before instead of adding to it.

When the aligner meets a new document, the sums restricted to its words are the prior of its own
bootstrap (:class:`mt.align.aligner.PriorSource`): a user who aligns one pair at a time into one
store ends up with the lexicon of all the pairs before, as if they had been aligned in one call.
"""

from __future__ import annotations

import hashlib

from mt.align.aligner import PriorSource
from mt.align.bootstrap import Counts, LinkModel, em_counts
from mt.align.scorers import DocPair
from mt.align.scorers.match import lexical_tokens
from mt.collector import collector_paused
from mt.errors import InputError
from mt.records import Alignment, LexiconSource
from mt.text.tokenize import word_tokens

REVIEWED_WEIGHT = 2.0  # a translator's accepted or edited pair: gold, and worth twice a pair the aligner is sure of
MIN_COUNT = 0.2  # link counts below this are not stored: most of IBM-1's mass sits on a few links per word, and the tail is most of the rows


def direction(src_lang: str, tgt_lang: str) -> str:
    return f"{src_lang}>{tgt_lang}"


def document_key(src: list[str], tgt: list[str], src_lang: str, tgt_lang: str) -> str:
    """The identity of a document pair: its languages and both sides' segments."""
    h = hashlib.sha256()
    for part in (src_lang, tgt_lang, *src, "\x00", *tgt):
        h.update(part.encode("utf-8") + b"\x1f")
    return h.hexdigest()


def bead_pairs(doc: DocPair, alignment: Alignment) -> tuple[list[list[str]], list[list[str]], list[float]]:
    """What an aligned document teaches: the word tokens of each bead with segments on both sides, and its weight,
    the bead's posterior squared (as in the aligner's own bootstrap)."""
    S, T = lexical_tokens(doc)
    beads = [b for b in alignment.beads if b.src and b.tgt and b.score > 0]
    return ([[w for i in b.src for w in S[i]] for b in beads], [[w for j in b.tgt for w in T[j]] for b in beads],
            [b.score ** 2 for b in beads])


class CorpusLexicon(PriorSource):
    """The corpus lexicon of a store, for one language pair; ``exclude``: sources not to learn from (being redone)."""

    def __init__(self, store, src_lang: str = "ar", tgt_lang: str = "en", exclude: tuple[str, ...] = ()):
        self.store = store
        self.src_lang, self.tgt_lang = src_lang, tgt_lang
        self.exclude = tuple(exclude)

    def counts(self, src_vocab: list[str], tgt_vocab: list[str]) -> tuple[Counts | None, Counts | None]:
        out = []
        for d, rows, cols in ((direction(self.src_lang, self.tgt_lang), src_vocab, tgt_vocab),
                              (direction(self.tgt_lang, self.src_lang), tgt_vocab, src_vocab)):
            triples, totals = self.store.lexicon_counts(d, rows, cols, self.exclude)
            out.append(Counts.from_triples(triples, totals) if totals else None)
        return out[0], out[1]

    @collector_paused()
    def learn(self, source: str, pairs: list[tuple[str, str, float]], *, reviewed: int = 0, state: str = "") -> LexiconSource:
        """Replace what ``source`` taught with the link counts of its pairs ``(source text, target text, weight)``."""
        src = [word_tokens(a, self.src_lang) for a, _, _ in pairs]
        tgt = [word_tokens(b, self.tgt_lang) for _, b, _ in pairs]
        return self._learn_tokens(source, src, tgt, [w for _, _, w in pairs], reviewed, state)

    def _learn_tokens(self, source: str, src: list[list[str]], tgt: list[list[str]], weights: list[float], reviewed: int,
                      state: str) -> LexiconSource:
        others = CorpusLexicon(self.store, self.src_lang, self.tgt_lang, (source,))
        sv = sorted({w for s in src for w in s} | {"<null>"})
        tv = sorted({w for t in tgt for w in t} | {"<null>"})
        prior_f, prior_b = others.counts(sv, tv) if weights else (None, None)
        counts: dict[str, list[tuple[str, str, float]]] = {}
        try:
            counts[direction(self.src_lang, self.tgt_lang)] = em_counts(src, tgt, weights, prior_f).triples(MIN_COUNT)
            counts[direction(self.tgt_lang, self.src_lang)] = em_counts(tgt, src, weights, prior_b).triples(MIN_COUNT)
        except InputError:  # no pair with words on both sides: it teaches nothing, and what it taught before goes
            counts = {}
        record = LexiconSource(source, round(float(sum(weights)), 4), reviewed, state)
        self.store.replace_lexicon_source(record, counts)
        return record

    @collector_paused()
    def learn_alignment(self, source: str, doc: DocPair, alignment: Alignment, model: LinkModel | None = None,
                        alone: bool = False) -> LexiconSource:
        """What an aligned document teaches: its pairs, each weighted by its posterior squared.

        ``model``: the lexicon the document was aligned with. When it was learnt from this document
        ``alone``, its own counts are what the document teaches, as they are; when it was learnt
        from several documents together, one E-step under it gives this document's share.
        """
        src, tgt, weights = bead_pairs(doc, alignment)
        if model is None or model.fwd is None:
            return self._learn_tokens(source, src, tgt, weights, 0, "aligned")
        counts: dict[str, list[tuple[str, str, float]]] = {}
        if alone and model.fwd is not None and model.bwd is not None:
            counts[direction(self.src_lang, self.tgt_lang)] = model.fwd.triples(MIN_COUNT)
            counts[direction(self.tgt_lang, self.src_lang)] = model.bwd.triples(MIN_COUNT)
            record = LexiconSource(source, round(float(sum(weights)), 4), 0, "aligned")
            self.store.replace_lexicon_source(record, counts)
            return record
        try:
            counts[direction(self.src_lang, self.tgt_lang)] = em_counts(src, tgt, weights, model.prior_fwd, 1, model.fwd).triples(MIN_COUNT)
            counts[direction(self.tgt_lang, self.src_lang)] = em_counts(tgt, src, weights, model.prior_bwd, 1, model.bwd).triples(MIN_COUNT)
        except InputError:
            counts = {}
        record = LexiconSource(source, round(float(sum(weights)), 4), 0, "aligned")
        self.store.replace_lexicon_source(record, counts)
        return record

    def sync_reviews(self) -> int:
        """Bring the lexicon in step with the review of every article in the store; how many articles were redone."""
        states = self.store.review_states()
        known = self.store.lexicon_source_states()
        redone = 0
        for en_id, state in sorted(states.items()):
            if known.get(f"article:{en_id}") == state:
                continue
            self.learn_article(en_id, state)
            redone += 1
        return redone

    def learn_article(self, en_id: str, state: str | None = None) -> LexiconSource:
        """What an article's sentence beads teach: reviewed ones as gold, rejected ones nothing, the rest by their posterior."""
        pairs, reviewed = [], 0
        for b in self.store.beads(en_id, level="sentence", origin="human"):
            if not (b.ar.strip() and b.en.strip()) or b.status == "rejected":
                continue
            if b.status == "accepted" or b.version > 1:
                pairs.append((b.ar, b.en, REVIEWED_WEIGHT))
                reviewed += 1
            else:
                pairs.append((b.ar, b.en, float(b.score) ** 2))
        if state is None:
            state = self.store.review_states(en_id).get(en_id, "")
        return self.learn(f"article:{en_id}", pairs, reviewed=reviewed, state=state)
