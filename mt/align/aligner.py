"""The aligner: scorers combined on the DP core, in passes.

1. A first pass with the signals that need nothing learnt (length, numbers, names, structure, and
   a lexicon or machine translation when given), over the full lattice or, for long documents, a
   band found coarse-to-fine.
2. Moore's bootstrap: the most confident 1-1 beads of the first pass (of one document, or of a
   whole batch) train an IBM Model 1 lexicon in both directions, and the length model is re-fitted.
3. A second pass with the lexicon, in a narrow band around the first path.
4. Each bead's probability: its posterior in the lattice (forward-backward with the same scores).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mt.align.dp import DEFAULT_TYPES, NEG, Band, BeadType, forward, posteriors, reverse_lattice, viterbi
from mt.align.scorers import DocPair, LengthScorer, LexicalScorer, MTScorer, NameScorer, NumberScorer, QuoteScorer, Scorer, StructureScorer
from mt.records import Alignment, Bead


MT_MAX_CELLS = 20_000


@dataclass(frozen=True)
class AlignConfig:
    types: tuple[BeadType, ...] = DEFAULT_TYPES
    weights: dict[str, float] = field(default_factory=lambda: {
        "length": 0.1, "lexical": 8.0, "numbers": 1.0, "names": 2.5, "structure": 3.0, "mt": 8.0, "quotes": 0.5,
    })
    # log-prior of each bead type, tuned on the development benchmark (eval/bench_align.py)
    priors: dict[BeadType, float] = field(default_factory=lambda: {
        (1, 1): 0.0, (1, 2): -0.35, (2, 1): -0.35, (2, 2): -1.0, (1, 3): -1.5, (3, 1): -1.5,
    })
    deletion: float = -0.55  # score of a segment aligned to nothing
    full_cells: int = 40_000  # a full lattice up to this size (200 x 200); coarse-to-fine above it, so time grows linearly
    radius: int = 6  # of the second pass's band around the first path
    bootstrap: bool = True
    bootstrap_share: float = 0.7  # of the first pass's 1-1 beads that train the lexicon
    bootstrap_rounds: int = 2  # each round trains on the beads of the round before, which are better
    temperature: float = 0.25  # of the posteriors: fitted on the development benchmark for calibration (Brier score)


class Aligner:
    """Aligns documents. Scorers can be switched off by name (``disabled``) to measure what each brings."""

    def __init__(self, config: AlignConfig | None = None, lexicon=None, disabled: tuple[str, ...] = (), extra: list[Scorer] | None = None):
        self.config = config or AlignConfig()
        self.lexicon = lexicon
        self.disabled = set(disabled)
        self.extra = extra or []

    # -- scorers ----------------------------------------------------------------------------------

    def _scorers(self, doc: DocPair, lexicon, length: LengthScorer | None = None) -> list[tuple[Scorer, float]]:
        w = self.config.weights
        chosen: list[Scorer] = [length or LengthScorer(), NumberScorer(), NameScorer(), QuoteScorer(), StructureScorer(), *self.extra]
        if doc.src_mt is not None:
            chosen.append(MTScorer())
        if lexicon is not None:
            chosen.append(LexicalScorer(lexicon))
        out = []
        for s in chosen:
            if s.name in self.disabled:
                continue
            s.prepare(doc)
            out.append((s, w.get(s.name, 1.0)))
        return out

    def _bead_score(self, scorers, a: int, b: int, I: np.ndarray, J: np.ndarray) -> np.ndarray:
        if a == 0 or b == 0:
            return np.full(I.shape, self.config.deletion)
        total = np.full(I.shape, self.config.priors.get((a, b), -2.0))
        for s, weight in scorers:
            total += weight * s.score(a, b, I, J)
        return total

    def _path_scores(self, scorers, beads: list[tuple[int, int, int, int]]) -> np.ndarray:
        """Scores of given beads, one scorer call per bead type."""
        out = np.zeros(len(beads))
        by_type: dict[BeadType, list[int]] = {}
        for k, (i0, i1, j0, j1) in enumerate(beads):
            by_type.setdefault((i1 - i0, j1 - j0), []).append(k)
        for (a, b), idx in by_type.items():
            out[idx] = self._bead_score(scorers, a, b, np.array([beads[k][1] for k in idx]), np.array([beads[k][3] for k in idx]))
        return out

    def _lattice(self, scorers, band: Band) -> dict[BeadType, np.ndarray]:
        if band.cells > MT_MAX_CELLS:
            # exact chrF per candidate is too slow over a whole lattice: translation similarity joins in the narrow band
            scorers = [(s, w) for s, w in scorers if s.name != "mt"]
        for s, _ in scorers:
            if hasattr(s, "prepare_band"):
                s.prepare_band(band)
        rows, cols = band.grid()
        out = {}
        for a, b in self.config.types:
            S = np.full(rows.shape, NEG)
            ok = (rows - a >= 0) & (cols - b >= 0) & (cols <= band.m)
            if ok.any():
                S[ok] = self._bead_score(scorers, a, b, rows[ok], cols[ok])
            out[(a, b)] = S
        return out

    # -- passes -----------------------------------------------------------------------------------

    def _first_band(self, doc: DocPair, lexicon) -> Band:
        n, m = doc.n, doc.m
        if (n + 1) * (m + 1) <= self.config.full_cells:
            return Band.full(n, m)
        k = math.ceil(math.sqrt((n + 1) * (m + 1) / self.config.full_cells))
        coarse = DocPair(_group(doc.src, k), _group(doc.tgt, k), doc.src_lang, doc.tgt_lang)
        cbeads, _ = self._pass(coarse, lexicon, None)
        points = []
        for i0, i1, j0, j1 in cbeads:
            for i in range(i0 * k, min(n, i1 * k) + 1):
                points.append((i, min(m, j0 * k)))
                points.append((i, min(m, j1 * k)))
        return Band.around(points, n, m, radius=k + 2)

    def _pass(self, doc: DocPair, lexicon, band: Band | None, length: LengthScorer | None = None):
        scorers = self._scorers(doc, lexicon, length)
        band = band or self._first_band(doc, lexicon)
        S = self._lattice(scorers, band)
        beads, _ = viterbi(S, band)
        return beads, (scorers, band, S)

    def similarity(self, doc: DocPair, max_cells: int = 250_000) -> np.ndarray:
        """The 1-1 bead score of every (source, target) segment pair, as the first pass sees it: what reports draw paths over."""
        if doc.n * doc.m == 0 or doc.n * doc.m > max_cells:
            return np.zeros((doc.n, doc.m))
        scorers = self._scorers(doc, self.lexicon)
        band = Band.full(doc.n, doc.m)
        for s, _ in scorers:
            if hasattr(s, "prepare_band"):
                s.prepare_band(band)
        I, J = np.meshgrid(np.arange(1, doc.n + 1), np.arange(1, doc.m + 1), indexing="ij")
        return self._bead_score(scorers, 1, 1, I.ravel(), J.ravel()).reshape(doc.n, doc.m)

    def first_pass(self, doc: DocPair):
        """Path and per-bead scores with what needs no training."""
        beads, (scorers, band, S) = self._pass(doc, self.lexicon, None)
        return beads, list(self._path_scores(scorers, beads))

    def second_pass(self, doc: DocPair, first: list[tuple[int, int, int, int]], lexicon, length: LengthScorer | None,
                    with_probs: bool = True):
        """Realign in a band around ``first`` with the lexicon; the alignment, its raw beads and their scores."""
        points = [(i, j) for i0, i1, j0, j1 in first for i, j in ((i0, j0), (i1, j1))]
        band = Band.around(points, doc.n, doc.m, self.config.radius)
        beads, (scorers, band, S) = self._pass(doc, lexicon, band, length)
        scores = self._path_scores(scorers, beads)
        probs = self._posteriors(S, band, beads, scores) if with_probs else np.ones(len(beads))
        method = "+".join(s.name for s, _ in scorers)
        al = Alignment(
            tuple(Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), float(p)) for (i0, i1, j0, j1), p in zip(beads, probs)),
            doc.src_lang, doc.tgt_lang, method,
        )
        return al, beads, scores

    def _posteriors(self, S, band, beads, scores):
        """Each bead's posterior in the lattice: forward to its start, its score, and backward from its end."""
        t = self.config.temperature
        fwd, _ = forward({k: v / t for k, v in S.items()}, band, soft=True)
        rS, rband = reverse_lattice(S, band)
        bwd, _ = forward({k: v / t for k, v in rS.items()}, rband, soft=True)
        return posteriors(fwd, bwd, band, beads, np.asarray(scores) / t)

    # -- the whole job ----------------------------------------------------------------------------

    def align(self, doc: DocPair) -> Alignment:
        return self.align_many([doc])[0]

    def align_many(self, docs: list[DocPair]) -> list[Alignment]:
        """Align several documents, bootstrapping one lexicon from all of their first passes."""
        live = [d for d in docs if d.n and d.m]
        firsts = [self.first_pass(d) for d in live]
        lexicon, length = self.lexicon, None
        learn = self.config.bootstrap and lexicon is None and "lexical" not in self.disabled
        rounds = self.config.bootstrap_rounds if learn else 1
        current = firsts
        results: list[Alignment] = []
        for r in range(rounds):
            if learn:
                lexicon, length = self._bootstrap(live, current)
            last = r == rounds - 1
            passes = [self.second_pass(d, b, lexicon, length, with_probs=last) for d, (b, _) in zip(live, firsts)]
            current = [(b, s) for _, b, s in passes]
            results = [a for a, _, _ in passes]
        done = iter(results)
        return [next(done) if d.n and d.m else _trivial(d) for d in docs]

    def _bootstrap(self, docs, firsts):
        from mt.text.tokenize import tokenize
        from mt.translate.lexicon import Lexicon, ibm1

        cand = []
        for d, (beads, scores) in zip(docs, firsts):
            for (i0, i1, j0, j1), s in zip(beads, scores):
                if i1 - i0 == 1 and j1 - j0 == 1:
                    cand.append((s, d, i0, j0))
        if len(cand) < 3:
            return None, None
        cand.sort(key=lambda x: -x[0])
        keep = cand[: max(3, int(len(cand) * self.config.bootstrap_share))]
        src = _content([[t for t in tokenize(d.src[i], d.src_lang) if not t.endswith("+")] for _, d, i, _ in keep])
        tgt = _content([[t for t in tokenize(d.tgt[j], d.tgt_lang) if not t.endswith("+")] for _, d, _, j in keep])
        try:
            fwd, bwd = ibm1(src, tgt), ibm1(tgt, src)
        except Exception:  # noqa: BLE001 - nothing to learn from (no words): align without a lexicon
            return None, None
        d0 = docs[0]
        lexicon = Lexicon(d0.src_lang, d0.tgt_lang, fwd, bwd, {"format": "mt-lexicon", "bootstrapped": len(keep)})
        length = LengthScorer()
        length.prepare(d0)
        from mt.align.scorers.length import char_lengths

        length.fit([(float(char_lengths([d.src[i]])[0]), float(char_lengths([d.tgt[j]])[0])) for _, d, i, j in keep])
        return lexicon, length


def _content(sentences: list[list[str]], share: float = 0.5) -> list[list[str]]:
    """Drop the words found in more than ``share`` of the sentences: they tell no pair from another, and
    they are most of IBM-1's work (its time grows with the product of sentence lengths)."""
    from collections import Counter

    df = Counter(w for s in sentences for w in set(s))
    common = {w for w, c in df.items() if c > share * len(sentences)} if len(sentences) >= 20 else set()
    return [[w for w in s if w not in common] for s in sentences]


def _group(segments: list[str], k: int) -> list[str]:
    return [" ".join(segments[i:i + k]) for i in range(0, len(segments), k)]


def _trivial(doc: DocPair) -> Alignment:
    """One side empty: every segment of the other is unaligned."""
    beads = [Bead((i,), (), 1.0) for i in range(doc.n)] + [Bead((), (j,), 1.0) for j in range(doc.m)]
    return Alignment(tuple(beads), doc.src_lang, doc.tgt_lang, "trivial")
