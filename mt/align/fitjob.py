"""How the shipped aligner values are fitted (``mt align fit``): the development collections, then interview gold.

1. Everything but the interview-only signals is fitted on documents of the four development
   collections (:mod:`mt.align.devdata`: chapters cut into documents, perturbed with a seed).
2. Interview turns are another kind of document (paragraphs with question/answer roles, whole
   exchanges cut or merged by the translator), with little gold: their own two sets of weights
   (``turns``), with the structure and machine-translation weights, are fitted on interview gold
   (the bundled sample corpus by default) with the L2 penalty pulling towards the values of step 1;
   its strength is chosen by leave-one-article-out F1. No neural model can be loaded offline, so the
   machine translation there is the gloss of a lexicon trained on the *other* articles' gold turn
   pairs: a weak translation, so its weight is what weak MT is worth. With a neural engine, refit on
   your own gold for its weight.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from mt.align.devdata import DEVELOPMENT, training
from mt.align.fit import FitReport, GoldDoc, fit
from mt.align.params import AlignParams
from mt.align.scorers import DocPair
from mt.errors import InputError

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "sample"


def interview_gold(corpus: Path) -> list[GoldDoc]:
    """Turn pairs with gold beads: ``corpus/gold/*.json`` naming the Arabic and English files and their beads."""
    from mt.ingest import ingest_paths

    gold_dir = corpus / "gold"
    if not gold_dir.is_dir():
        raise InputError("no gold/ folder of turn alignments here", str(corpus))
    out = []
    for g in sorted(gold_dir.glob("*.json")):
        try:
            gold = json.loads(g.read_text("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            raise InputError(f"not a gold file: {e}", str(g)) from None
        if not gold.get("ar") or not gold.get("beads"):
            continue
        (ar,) = ingest_paths([corpus / gold["ar"]]).articles
        (en,) = ingest_paths([corpus / gold["en"]]).articles
        doc = DocPair([t.text for t in ar.turns], [t.text for t in en.turns], "ar", "en",
                      [t.role for t in ar.turns], [t.role for t in en.turns])
        beads = [(tuple(a), tuple(b)) for a, b in gold["beads"]]
        out.append(GoldDoc(doc, beads, "interviews"))
    if len(out) < 2:
        raise InputError("at least two gold turn alignments are needed", str(gold_dir))
    return out


def with_held_out_glosses(docs: list[GoldDoc]) -> list[GoldDoc]:
    """Each document's source turns glossed by a lexicon trained on the other documents' gold turn pairs."""
    from mt.translate.lexicon import LexiconEngine, train

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, g in enumerate(docs):
            src, tgt = [], []
            for other in docs[:k] + docs[k + 1:]:
                for s, t in other.gold:
                    if s and t:
                        src.append(" ".join(other.doc.src[i] for i in s))
                        tgt.append(" ".join(other.doc.tgt[j] for j in t))
            path = Path(tmp) / f"lex{k}.npz"
            train(src, tgt, "ar", "en", aligner="none").save(path)
            glosses = LexiconEngine(str(path), "ar", "en").translate_batch(g.doc.src)
            d = g.doc
            out.append(GoldDoc(DocPair(d.src, d.tgt, d.src_lang, d.tgt_lang, d.src_roles, d.tgt_roles, glosses), g.gold, g.collection))
    return out


def fit_shipped(out: Path, collections: list[str] | None = None, documents: int = 12, max_segments: int = 150,
                seed: int = 777, turns: Path | None = None, log=None) -> FitReport:
    """Fit as described in the module's docstring and write the values to ``out``."""
    names = collections or list(DEVELOPMENT)
    docs = []
    for name in names:
        ds, gs = training(name, documents, seed, max_segments)
        docs += [GoldDoc(d, g, name) for d, g in zip(ds, gs)]
    if log:
        log(f"fitting on {len(docs)} documents of {', '.join(names)} ({sum(g.doc.n for g in docs)} source segments)")
    main = fit(docs, log=log, extra_meta={"seed": seed, "documents_per_collection": documents, "max_segments": max_segments})
    corpus = turns or SAMPLE
    if not corpus.exists():
        raise InputError("no interview gold to fit question/answer structure and MT on; give --turns CORPUS", str(corpus))
    interviews = with_held_out_glosses(interview_gold(corpus))
    strength, held = choose_strength(interviews, main.params, log)
    if log:
        log(f"interview turns: {len(interviews)} articles of {corpus}, penalty {strength} per gold bead (held-out F1 {held[strength]:.3f})")
    extra = fit(interviews, log=log, base=main.params, l2=strength)
    meta = {**main.params.meta, "turns": {"corpus": corpus.name, "articles": len(interviews), "l2": strength,
                                          "held_out_f1_by_l2": {str(k): round(v, 4) for k, v in held.items()}}}
    params = AlignParams(main.params.first, main.params.second, main.params.temperatures, meta,
                         {"first": extra.params.first, "second": extra.params.second})
    params.save(out)
    return FitReport(params, main.seconds + extra.seconds, main.log + extra.log)


STRENGTHS = (1e-3, 1e-2, 1e-1, 1.0)


def choose_strength(docs: list[GoldDoc], base: AlignParams, log=None) -> tuple[float, dict[float, float]]:
    """The penalty towards ``base`` with the best leave-one-article-out strict F1 (ties: the stronger pull)."""
    from mt.align.aligner import Aligner
    from mt.evaluate.align_score import score_alignments

    held: dict[float, float] = {}
    for l2 in STRENGTHS:
        golds, tests = [], []
        for k, g in enumerate(docs):
            p = fit(docs[:k] + docs[k + 1:], base=base, l2=l2).params
            turns = AlignParams(base.first, base.second, base.temperatures, {}, {"first": p.first, "second": p.second})
            al = Aligner(turns).align(g.doc)
            golds.append(g.gold)
            tests.append([(b.src, b.tgt) for b in al.beads])
        held[l2] = score_alignments(golds, tests).f1_strict
        if log:
            log(f"  penalty {l2}: leave-one-article-out F1 {held[l2]:.3f}")
    best = max(held.values())
    return max(l2 for l2, f in held.items() if f >= best - 1e-9), held


# the pull towards the shipped values per gold bead, when refitting on a store's reviews: weaker pulls lost F1
# with a few reviewed documents (eval/bench_effort.py)
STORE_STRENGTH = 1.0


def store_gold(store) -> list[GoldDoc]:
    """The store's reviewed turns as gold: every turn of a current article whose sentence beads a translator all
    reviewed (none rejected) and that still cover the turn's sentences in order; one document per turn."""
    from mt.review.realign import _spans, reviewed
    from mt.text.sentences import turn_sentences

    current = {p.en_id for p in store.pairs() if p.ar_id}
    out = []
    for en_id in sorted(current):
        turns = {b.ordinal: b for b in store.beads(en_id, level="turn")}
        by_turn: dict[int, list] = {}
        for b in store.beads(en_id, origin="human"):
            if b.parent is not None:
                by_turn.setdefault(b.parent, []).append(b)
        for k, beads in sorted(by_turn.items()):
            tb = turns.get(k)
            if tb is None or not (tb.ar.strip() and tb.en.strip()):
                continue
            if not all(reviewed(b) and b.status != "rejected" for b in beads):
                continue
            src, tgt = turn_sentences(tb.ar), turn_sentences(tb.en)
            if _spans(beads, len(src), len(tgt)) is None:
                continue
            out.append(GoldDoc(DocPair(src, tgt, "ar", "en"), [(tuple(b.ar_index), tuple(b.en_index)) for b in beads], "store"))
    return out


def fit_from_store(store, base: AlignParams, l2: float = STORE_STRENGTH, log=None) -> FitReport:
    """The aligner's values refitted on the store's reviewed turns, pulled towards ``base`` (the development collections'
    values) with strength ``l2`` per gold bead: a team's corrections on one site make the next articles of that site
    better without forgetting what the collections taught."""
    docs = store_gold(store)
    if not docs:
        raise InputError("no reviewed turns to fit on: a turn counts once a translator has reviewed all of its beads "
                         "(accepted or edited, none rejected)")
    if log:
        log(f"fitting on {len(docs)} reviewed turns ({sum(len(g.gold) for g in docs)} gold beads), strength {l2} towards the base values")
    rep = fit(docs, base=base, l2=l2, log=log)
    meta = {**base.meta, "refit": {"from": "store", "turns": len(docs), "beads": sum(len(g.gold) for g in docs), "l2": l2,
                                   "base": base.digest}}
    params = AlignParams(rep.params.first, rep.params.second, dict(base.temperatures), meta, base.turns)
    return FitReport(params, rep.seconds, rep.log)
