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


def fit_pairing(collections: list[str], *, seed: int = 777, limit: int | None = 150, log=None):
    """Pairing values fitted on ``collections`` (see the module's docstring)."""
    from mt.align.pairing import FEATURES, PairParams, evidence, pair_articles, pair_features

    rnd = random.Random(seed)
    sets = [documents(name, rnd, limit) for name in collections]
    X, y = [], []
    for en, ar, truth in sets:
        _, E = evidence(en, ar)
        for i, e in enumerate(en):
            for j, a in enumerate(ar):
                X.append(pair_features(E[(i, j)], e, a))
                y.append(1.0 if truth.get(e.id) == a.id else 0.0)
    w, b = _logistic(np.array(X), np.array(y), L2)
    weights = {k: round(float(v), 6) for k, v in zip(FEATURES, w)}
    model = PairParams(weights, round(b, 6), 0.0, {})
    # the threshold: the lowest whose one-to-one pairs keep the precision on the training collections
    made = []
    for en, ar, truth in sets:
        made += [(p.score, truth.get(p.en_id) == p.ar_id) for p in pair_articles(en, ar, threshold=0.0, params=model) if p.ar_id]
    made.sort(reverse=True)
    threshold, right = 1.0, 0
    for k, (s, ok) in enumerate(made, 1):
        right += ok
        if right / k >= PRECISION:
            threshold = s
    threshold = round(max(threshold, 1e-6), 6)
    exist = sum(len(t) for _, _, t in sets)
    kept = [ok for s, ok in made if s >= threshold]
    meta = {"collections": collections, "seed": seed, "pieces_per_collection": limit, "examples": len(y), "pairs": int(sum(y)),
            "l2": L2, "precision_target": PRECISION, "train_precision": round(sum(kept) / max(1, len(kept)), 4),
            "train_recall": round(sum(kept) / max(1, exist), 4)}
    if log:
        log(f"fitted on {len(y)} candidate pairs of {', '.join(collections)}: threshold {threshold}, training precision "
            f"{meta['train_precision']}, recall {meta['train_recall']}")
    return PairParams(weights, round(b, 6), threshold, meta)
