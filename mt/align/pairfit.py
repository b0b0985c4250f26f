"""How the pairing's values are fitted (``mt pair fit``): documents built from the development collections.

Each collection is cut into articles of :data:`PIECE` consecutive hadiths, the Arabic and the English of a
piece one article each, with nothing that gives a pair away (random ids, no dates, a hadith's own number taken
off its text), and a fifth of the pieces keep only their English and another fifth only their Arabic. A
logistic model over :data:`mt.align.pairing.FEATURES` is fitted on every English × Arabic candidate of the
training collections (L2 penalty), and the threshold is the lowest at which the pairing's own output (one-to-one
assignment) keeps a precision of at least :data:`PRECISION` on them: a wrong pair costs a translator more than
a missed one.
"""

from __future__ import annotations

import random
import re

import numpy as np

from mt.align import devdata
from mt.records import Article, Byline, Source, Turn

PIECE = 12
PRECISION = 0.98
L2 = 1.0
LEXICON_CHAPTERS = 300  # chapters per collection the benchmark's lexicon is learnt on
WORD_EVIDENCE = ("lexical", "lexical_margin", "words_elsewhere")  # what a lexicon adds to a cell
_NUMBERING = re.compile(r"^\s*(?:\(?\d+\)?[.:\-]?\s+)")


def article(aid: str, lang: str, texts: list[str]) -> Article:
    turns = tuple(Turn(k, "paragraph", _NUMBERING.sub("", t)) for k, t in enumerate(texts))
    return Article(aid, lang, None, None, Byline(), Source(f"{aid}.txt", aid.ljust(64, "0")[:64], "utf-8", "text"), turns)


def documents(name: str, rnd: random.Random, limit: int | None = None) -> tuple[list[Article], list[Article], dict[str, str]]:
    """English and Arabic articles of one collection, and the truth (English id → Arabic id)."""
    pieces = [c[k:k + PIECE] for c in devdata.load_collection(name) for k in range(0, len(c), PIECE)]
    pieces = [p for p in pieces if len(p) >= 4]
    rnd.shuffle(pieces)
    pieces = pieces[:limit] if limit else pieces
    en, ar, truth = [], [], {}
    for p in pieces:
        e_id, a_id = f"e{rnd.getrandbits(48):012x}", f"a{rnd.getrandbits(48):012x}"
        r = rnd.random()
        if r >= 0.2:  # the English article exists
            en.append(article(e_id, "en", [e for _, e in p]))
        if r < 0.2 or r >= 0.4:  # the Arabic article exists
            ar.append(article(a_id, "ar", [a for a, _ in p]))
        if r >= 0.4:
            truth[e_id] = a_id
    rnd.shuffle(en)
    rnd.shuffle(ar)
    return en, ar, truth


def _logistic(X: np.ndarray, y: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    from scipy.optimize import minimize

    pos = max(1.0, float(y.sum()))
    w = np.where(y == 1, (len(y) - pos) / pos, 1.0)  # the few true pairs weigh as much as the many false ones

    def loss(theta):
        z = X @ theta[:-1] + theta[-1]
        p = 1 / (1 + np.exp(-np.clip(z, -40, 40)))
        nll = -np.sum(w * (y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))) / w.sum()
        g = (w * (p - y)) / w.sum()
        grad = np.concatenate([X.T @ g + l2 * theta[:-1] / len(y), [g.sum()]])
        return nll + 0.5 * l2 * float(theta[:-1] @ theta[:-1]) / len(y), grad

    res = minimize(loss, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B")
    return res.x[:-1], float(res.x[-1])


def collection_lexicon(collections: list[str], chapters: int = LEXICON_CHAPTERS):
    """IBM-1 word tables (both directions) learnt on the hadiths of ``collections``, each hadith a gold pair: the
    lexicon that stands, in the benchmark, for the corpus lexicon a user's store builds up."""
    from mt.align.bootstrap import learn
    from mt.text.tokenize import word_tokens

    src, tgt = [], []
    for name in collections:
        for chapter in devdata.load_collection(name)[:chapters]:
            for a, e in chapter:
                src.append(word_tokens(a, "ar"))
                tgt.append(word_tokens(e, "en"))
    return learn(src, tgt, np.ones(len(src)))


def _threshold(made: list[tuple[float, bool]]) -> float:
    """The lowest score whose pairs, from the best down, keep :data:`PRECISION`."""
    made = sorted(made, reverse=True)
    threshold, right = 1.0, 0
    for k, (s, ok) in enumerate(made, 1):
        right += ok
        if right / k >= PRECISION:
            threshold = s
    return threshold


def fit_pairing(collections: list[str], *, seed: int = 777, limit: int | None = 150, lexicon=None, without_lexicon: str = "hand",
                log=None):
    """Pairing values fitted on ``collections`` (see the module's docstring). With a ``lexicon`` (by default one
    learnt on the same collections) every candidate is seen twice, with and without the lexical evidence, so that
    one model serves a store that has a lexicon and one that has none, each with its own threshold.

    ``without_lexicon="hand"`` (the default) leaves pairing without a lexicon to the hand-set weighted sum: what the
    collections teach without words (names, interview shape) does not carry over to interviews, which also share
    numbers and dates (eval/bench_pair.py: the fitted model pairs fewer real interviews)."""
    from mt.align.pairing import FEATURES, PairParams, evidence, pair_articles, pair_features

    rnd = random.Random(seed)
    sets = [documents(name, rnd, limit) for name in collections]
    lexicon = collection_lexicon(collections) if lexicon is None else lexicon
    X, y = [], []
    for en, ar, truth in sets:
        _, E = evidence(en, ar, lexicon=lexicon)
        # without the lexicon a cell's evidence is the same less the words: scored once, not twice
        plain = {k: {f: v for f, v in ev.items() if f not in WORD_EVIDENCE} for k, ev in E.items()}
        for cells in (plain, E):
            for i, e in enumerate(en):
                for j, a in enumerate(ar):
                    X.append(pair_features(cells[(i, j)], e, a))
                    y.append(1.0 if truth.get(e.id) == a.id else 0.0)
    w, b = _logistic(np.array(X), np.array(y), L2)
    weights = {k: round(float(v), 6) for k, v in zip(FEATURES, w)}
    model = PairParams(weights, round(b, 6), 0.0, {})
    # the threshold: the lowest whose one-to-one pairs keep the precision on the training collections, with and
    # without a lexicon
    made: dict[bool, list[tuple[float, bool]]] = {False: [], True: []}
    for en, ar, truth in sets:
        for lex in (None, lexicon):
            made[lex is not None] += [(p.score, truth.get(p.en_id) == p.ar_id)
                                      for p in pair_articles(en, ar, threshold=0.0, params=model, lexicon=lex) if p.ar_id]
    threshold = round(max(1e-6, _threshold(made[False])), 6)
    lexicon_threshold = round(max(1e-6, _threshold(made[True])), 6)
    exist = sum(len(t) for _, _, t in sets)
    meta: dict = {"collections": collections, "seed": seed, "pieces_per_collection": limit, "examples": len(y), "pairs": int(sum(y)),
                  "l2": L2, "precision_target": PRECISION}
    for has, label in ((False, "without_lexicon"), (True, "with_lexicon")):
        kept = [ok for s, ok in made[has] if s >= (lexicon_threshold if has else threshold)]
        meta[f"train_precision_{label}"] = round(sum(kept) / max(1, len(kept)), 4)
        meta[f"train_recall_{label}"] = round(sum(kept) / max(1, exist), 4)
    if log:
        log(f"fitted on {len(y)} candidate pairs of {', '.join(collections)}: threshold {lexicon_threshold} with a lexicon, "
            f"{threshold} without; training precision / "
            f"recall {meta['train_precision_with_lexicon']} / {meta['train_recall_with_lexicon']} with a lexicon, "
            f"{meta['train_precision_without_lexicon']} / {meta['train_recall_without_lexicon']} without")
    return PairParams(weights, round(b, 6), threshold, meta, lexicon_threshold, without_lexicon)
