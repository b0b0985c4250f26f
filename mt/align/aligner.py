"""The aligner: the scorers' features, weighed with fitted values (:mod:`mt.align.params`), on the DP core, in passes.

1. A first pass with what needs nothing learnt (length, numbers, names, quotes, structure, and
   machine translation when given), over the full lattice or, for long documents, a band found
   coarse-to-fine.
2. Moore's bootstrap: every aligned pair of the pass before, weighted by its posterior squared, trains IBM
   Model 1 in both directions (the prior lexicon as a Dirichlet prior), and the length model is
   re-fitted from the 1-1 beads.
3. A second pass with that lexicon, in a narrow band around the first path; ``rounds`` times, each
   learning from the beads of the round before, which are better.
4. Each bead's probability: its posterior marginal in the lattice at the fitted temperature.

Which weights apply is decided by whether a lexicon is in play (``first`` or ``second`` set).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mt.align.bootstrap import NULL, Counts, LinkModel, encode_ids, learn_encoded, merge_counts, prior_from_table, ranges
from mt.align.dp import DEFAULT_TYPES, NEG, Band, BeadType, log_partition_and_marginals, posteriors, viterbi
from mt.align.params import AlignParams, load_params, type_name
from mt.align.scorers import SCORERS, DocPair, LengthScorer, Scorer
from mt.align.scorers.base import shared_bounds
from mt.align.scorers.length import segment_chars
from mt.align.scorers.match import JOINED_FROM, lexical_ids
from mt.collector import collector_paused
from mt.errors import InputError, ModelError
from mt.records import Alignment, Bead

BAND_FEATURES = "band-features"  # doc.cache key of a static scorer's features over the last band it scored
REUSE_CELLS = 500_000  # band cells whose static features a batch keeps for its next round (about 120 MB at most)
LEXICON_FILE_STRENGTH = 10.0  # a lexicon file's probabilities count as if each of its words had been seen this often
Path4 = list[tuple[int, int, int, int]]


@dataclass(frozen=True)
class AlignConfig:
    """How widely the aligner searches: budgets and switches, not weights (those are fitted, see AlignParams)."""

    types: tuple[BeadType, ...] = DEFAULT_TYPES
    full_cells: int = 40_000  # a full lattice up to this size (200 x 200); coarse-to-fine above it, so time grows linearly
    radius: int = 6  # of the second pass's band around the first path
    rounds: int = 2  # bootstrap rounds, each learning from the beads of the round before
    bootstrap: bool = True
    mt_max_cells: int = 20_000  # exact chrF per candidate is too slow over more cells: MT joins in the narrow band


@dataclass
class Lattice:
    """Bead scores over a band and, when kept (for fitting), the features they were weighed from."""

    band: Band
    scores: dict[BeadType, np.ndarray]
    names: tuple[str, ...]
    features: dict[BeadType, tuple[np.ndarray, np.ndarray]] | None = None  # type -> (cells mask, K x cells)
    lexicon: bool = False  # whether the lexical signal is in it (which weights and temperature apply)


@dataclass
class Pass:
    beads: Path4
    probs: np.ndarray
    lattice: Lattice
    method: str


class PriorSource:
    """Counts of word links known before a document is aligned (the store's corpus lexicon implements this)."""

    def counts(self, src_vocab: list[str], tgt_vocab: list[str]) -> tuple[Counts | None, Counts | None]:
        raise NotImplementedError


class Aligner:
    """Aligns documents. Scorers can be switched off by name (``disabled``) to measure what each brings.

    ``params``: fitted values (default: the package's, or ``$MT_ALIGN_PARAMS``); ``lexicon``: a
    lexicon file (:class:`mt.translate.lexicon.Lexicon`) used as a prior; ``prior``: a
    :class:`PriorSource` such as the store's corpus lexicon.
    """

    def __init__(self, params: AlignParams | None = None, config: AlignConfig | None = None, *, lexicon=None,
                 prior: PriorSource | None = None, disabled: tuple[str, ...] = (), extra: list[Scorer] | None = None,
                 mapper: Callable[[Callable, list], list] | None = None):
        """``mapper``: how the passes of several documents are run, ``mapper(fn, jobs) -> results`` in order
        (e.g. a Ray runner's ``map``); by default in this process. The bootstrap between passes always runs here."""
        self.mapper = mapper
        self.params = params or load_params()
        self.config = config or AlignConfig()
        self.lexicon = lexicon
        self.prior = prior
        self.disabled = set(disabled)
        self.extra = extra or []
        self.model: LinkModel | None = None  # the lexicon the last documents were aligned with
        self._reuse_budget = 0  # band cells whose static features may still be kept in this batch

    # -- scorers and lattices ---------------------------------------------------------------------

    def scorers(self, doc: DocPair, model: LinkModel | None, length: LengthScorer | None = None) -> list[Scorer]:
        chosen: list[Scorer] = []
        for name, cls in SCORERS.items():  # every registered scorer that applies to this document
            s = length if name == "length" and length is not None else cls.for_document(doc, model)
            if s is not None:
                chosen.append(s)
        chosen += self.extra
        out = []
        for s in chosen:
            if s.name in self.disabled:
                continue
            s.prepare(doc)
            out.append(s)
        return out

    def _weights(self, scorers: list[Scorer], doc: DocPair) -> dict[str, float]:
        turns = doc.src_roles is not None and doc.tgt_roles is not None
        return self.params.weights(any(s.name == "lexical" for s in scorers), turns)

    @staticmethod
    def _weight(weights: dict[str, float], name: str) -> float:
        try:
            return weights[name]
        except KeyError:
            raise ModelError(f"the aligner parameters have no weight for {name!r}; refit them with `mt align fit`") from None

    def lattice(self, scorers: list[Scorer], band: Band, weights: dict[str, float], keep: bool = False,
                reuse: bool = False, types: tuple[BeadType, ...] | None = None) -> Lattice:
        """Scores of every bead type (or of ``types``) at every cell of the band (and the features, with ``keep``);
        with ``reuse``, static scorers' features are kept on their document for the next lattice over the same band."""
        if band.cells > self.config.mt_max_cells:
            scorers = [s for s in scorers if s.name != "mt"]
        stored: dict[int, dict] = {}  # a static scorer's features over this band, by bead type, kept on its document
        for k, s in enumerate(scorers):
            doc = getattr(s, "doc", None) if reuse and s.static else None
            entry = doc.cache.get((BAND_FEATURES, s.name)) if doc is not None else None
            if entry is not None and entry[0] is band:
                stored[k] = entry[1]
                continue
            s.prepare_band(band)
            if doc is not None and self._reuse_budget >= band.cells:
                self._reuse_budget -= band.cells
                stored[k] = {}
                doc.cache[(BAND_FEATURES, s.name)] = (band, stored[k])
        names = tuple(f for s in scorers for f in s.features)
        scores: dict = {}
        feats: dict | None = {} if keep else None
        with shared_bounds():  # every scorer asks the bounds of its blocks of the same arrays
            self._score_types(scorers, band, weights, names, stored, types or self.config.types, scores, feats)
        return Lattice(band, scores, names, feats, "lexical" in (s.name for s in scorers))

    def _score_types(self, scorers: list[Scorer], band: Band, weights: dict[str, float], names: tuple[str, ...],
                     stored: dict[int, dict], types: tuple[BeadType, ...], scores: dict, feats: dict | None) -> None:
        """Each bead type's scores (and features) over the band, into ``scores`` (and ``feats``)."""
        w = np.array([self._weight(weights, f) for f in names])
        shape = (band.n + 1, band.width)
        for a, b in types:
            S = np.full(shape, NEG)
            ok, I, J = band.ends(a, b)
            # 1-1 is the reference of the fitted priors (0); a set of weights may still give it one (Gale-Church's log 0.89)
            prior = weights.get("type:1-1", 0.0) if (a, b) == (1, 1) else self._weight(weights, type_name(a, b))
            if a == 0 or b == 0:
                F = np.zeros((0, int(ok.sum())))
                S[ok] = prior
            else:
                F = np.vstack([self._features(s, stored.get(k), a, b, I, J) for k, s in enumerate(scorers)]) if scorers \
                    else np.zeros((0, len(I)))
                S[ok] = prior + w @ F
            scores[(a, b)] = S
            if feats is not None:
                feats[(a, b)] = (ok, F.astype(np.float32))

    @staticmethod
    def _features(s: Scorer, stored: dict | None, a: int, b: int, I: np.ndarray, J: np.ndarray) -> np.ndarray:
        if stored is None:
            return s.score(a, b, I, J)
        if (a, b) not in stored:
            stored[(a, b)] = s.score(a, b, I, J)
        return stored[(a, b)]

    def _posteriors(self, lat: Lattice, beads: Path4) -> np.ndarray:
        t = self.params.temperature(lat.lexicon)
        _, marg = log_partition_and_marginals({k: v / t for k, v in lat.scores.items()}, lat.band)
        return posteriors(marg, lat.band, beads)

    # -- passes -----------------------------------------------------------------------------------

    def first_band(self, doc: DocPair, model: LinkModel | None) -> Band:
        n, m = doc.n, doc.m
        if (n + 1) * (m + 1) <= self.config.full_cells:
            return Band.full(n, m)
        k = math.ceil(math.sqrt((n + 1) * (m + 1) / self.config.full_cells))
        coarse = DocPair(_group(doc.src, k), _group(doc.tgt, k), doc.src_lang, doc.tgt_lang)
        coarse.cache[JOINED_FROM] = (doc, k)  # its word tokens and names are the document's own, joined
        cbeads = self.run_pass(coarse, model, None, posterior=False).beads
        points = []
        for i0, i1, j0, j1 in cbeads:
            for i in range(i0 * k, min(n, i1 * k) + 1):
                points.append((i, min(m, j0 * k)))
                points.append((i, min(m, j1 * k)))
        return Band.around(points, n, m, radius=k + 2)

    def run_pass(self, doc: DocPair, model: LinkModel | None, band: Band | None, length: LengthScorer | None = None,
                 posterior: bool = True, keep: bool = False, reuse: bool = False) -> Pass:
        """One pass over ``band`` (None: the first pass's); ``reuse``: static scorers' features may be kept on the
        document for another pass over the same band (the bootstrap's rounds; :meth:`passes` clears them)."""
        band = band or self.first_band(doc, model)  # first: the coarse pass prepares scorers of its own (and shared extras)
        scorers = self.scorers(doc, model, length)
        lat = self.lattice(scorers, band, self._weights(scorers, doc), keep, reuse)
        beads, _ = viterbi(lat.scores, band)
        probs = self._posteriors(lat, beads) if posterior else np.ones(len(beads))
        return Pass(beads, probs, lat, "+".join(s.name for s in scorers))

    def similarity(self, doc: DocPair, max_cells: int = 250_000) -> np.ndarray:
        """The 1-1 bead score of every (source, target) segment pair, as the last pass saw it (with the lexicon
        this aligner bootstrapped, if it has aligned): what reports draw paths over."""
        if doc.n * doc.m == 0 or doc.n * doc.m > max_cells:
            return np.zeros((doc.n, doc.m))
        scorers = self.scorers(doc, self.model)
        lat = self.lattice(scorers, Band.full(doc.n, doc.m), self._weights(scorers, doc), types=((1, 1),))
        return lat.scores[(1, 1)][1:, 1:]

    # -- the whole job ----------------------------------------------------------------------------

    def align(self, doc: DocPair) -> Alignment:
        return self.align_many([doc])[0]

    @collector_paused()
    def align_many(self, docs: list[DocPair]) -> list[Alignment]:
        """Align several documents, bootstrapping one lexicon from all of their first passes."""
        live = [d for d in docs if d.n and d.m]
        passes = self.passes(live)
        done = iter(passes)
        out = []
        for d in docs:
            if d.n and d.m:
                p = next(done)
                beads = tuple(Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), float(q)) for (i0, i1, j0, j1), q in zip(p.beads, p.probs))
                out.append(Alignment(beads, d.src_lang, d.tgt_lang, p.method))
            else:
                out.append(_trivial(d))
        return out

    def passes(self, docs: list[DocPair], keep: bool = False) -> list[Pass]:
        """The last pass of every document (each with at least one segment on both sides)."""
        self.model = None
        if not docs:
            return []
        # the first pass never uses a lexicon, as when it was fitted: a prior only joins the bootstrap
        firsts = self._passes([(d, None, None, None) for d in docs], keep)
        learn_lex = "lexical" not in self.disabled
        if not (self.config.bootstrap and learn_lex):
            return firsts
        prior_f, prior_b = self.prior_counts(docs)
        bands = [self.band_around(d, f.beads) for d, f in zip(docs, firsts)]  # every round's: static features are reused
        self._reuse_budget = REUSE_CELLS
        try:
            return self._rounds(docs, firsts, bands, prior_f, prior_b, keep)
        finally:
            for d in docs:  # what the rounds shared, not kept past them
                for key in [k for k in d.cache if isinstance(k, tuple) and k[0] == BAND_FEATURES]:
                    del d.cache[key]

    def _rounds(self, docs: list[DocPair], firsts: list[Pass], bands: list[Band], prior_f: Counts | None,
                prior_b: Counts | None, keep: bool) -> list[Pass]:
        current, model = firsts, None
        for _ in range(self.config.rounds):
            learnt, length = self.bootstrap(docs, current, prior_f, prior_b, start=model)
            if learnt is None:  # too little to learn from: the prior alone, if there is one
                if model is not None or (prior_f is None and prior_b is None):
                    break
                learnt = LinkModel(None, None, prior_f, prior_b)
            model = learnt
            current = self._passes([(d, model, band, length) for d, band in zip(docs, bands)], keep, reuse=True)
            self.model = model
        return current

    def _passes(self, jobs: list[tuple], keep: bool, reuse: bool = False) -> list[Pass]:
        """One pass per (document, lexicon, band, length scorer): each depends on its document alone."""
        if self.mapper is None or self.extra or len(jobs) < 2:  # extra scorers keep state across documents: here
            return [self.run_pass(d, m, b, length, keep=keep, reuse=reuse) for d, m, b, length in jobs]
        spec = (self.params, self.config, tuple(sorted(self.disabled)))
        return self.mapper(run_pass_job, [(spec, d, m, b, length, keep) for d, m, b, length in jobs])

    def band_around(self, doc: DocPair, beads: Path4) -> Band:
        points = [(i, j) for i0, i1, j0, j1 in beads for i, j in ((i0, j0), (i1, j1))]
        return Band.around(points, doc.n, doc.m, self.config.radius)

    def prior_counts(self, docs: list[DocPair]) -> tuple[Counts | None, Counts | None]:
        """What is known of the documents' words before they are aligned: the prior source and the lexicon file."""
        if (self.prior is None and self.lexicon is None) or "lexical" in self.disabled:
            return None, None
        # every document's vocabulary, with NULL (each is known already: the bootstrap numbers its words by them)
        sv = sorted({NULL}.union(*(lexical_ids(d)[0][0] for d in docs)))
        tv = sorted({NULL}.union(*(lexical_ids(d)[1][0] for d in docs)))
        found: list[tuple[Counts | None, Counts | None]] = []
        if self.prior is not None:
            found.append(self.prior.counts(sv, tv))
        if self.lexicon is not None:
            sl, tl = docs[0].src_lang, docs[0].tgt_lang
            found.append((prior_from_table(self.lexicon.table(sl, tl), sv, LEXICON_FILE_STRENGTH),
                          prior_from_table(self.lexicon.table(tl, sl), tv, LEXICON_FILE_STRENGTH)))
        fwd = merge_counts([f for f, _ in found])
        bwd = merge_counts([b for _, b in found])
        return fwd, bwd

    def bootstrap(self, docs: list[DocPair], passes: list[Pass], prior_f: Counts | None = None,
                  prior_b: Counts | None = None, start: LinkModel | None = None) -> tuple[LinkModel | None, LengthScorer | None]:
        """A lexicon learnt from the aligned pairs of the passes, and the length model re-fitted from the 1-1 beads.

        A pair counts with the square of its posterior, so that beads the pass is unsure of teach
        little (on the leave-one-collection-out benchmark this beat both the posterior itself and
        the top 70 % of 1-1 beads by score).
        """
        vocabs = [lexical_ids(d) for d in docs]
        # one vocabulary for every document (a document's own when there is one): each document's ids mapped into it
        src_vocab, src_map = _union([v[0][0] for v in vocabs])
        tgt_vocab, tgt_map = _union([v[1][0] for v in vocabs])
        src_ids, src_len, tgt_ids, tgt_len, weights, lengths = [], [], [], [], [], []
        for k, (d, p) in enumerate(zip(docs, passes)):
            (_, s_ids, s_at), (_, t_ids, t_at) = vocabs[k]
            beads = np.asarray(p.beads, dtype=np.int64).reshape(-1, 4)
            probs = np.asarray(p.probs, dtype=float)
            i0, i1, j0, j1 = beads.T
            two = (i1 > i0) & (j1 > j0) & (probs > 0)
            # a pair's words: those of its run of segments, a slice of the document's
            src_ids.append(_runs(s_ids, s_at[i0[two]], s_at[i1[two]], src_map[k]))
            tgt_ids.append(_runs(t_ids, t_at[j0[two]], t_at[j1[two]], tgt_map[k]))
            src_len.append(s_at[i1[two]] - s_at[i0[two]])
            tgt_len.append(t_at[j1[two]] - t_at[j0[two]])
            weights += [q ** 2 for q in probs[two].tolist()]  # Python's power, as the weights always were
            one = two & (i1 - i0 == 1) & (j1 - j0 == 1)
            chars = segment_chars(d)
            lengths.append(np.column_stack([chars[0][i0[one]], chars[1][j0[one]], probs[one]]))
        if len(weights) < 3:
            return None, None
        w = np.array(weights, dtype=float)
        live = np.flatnonzero(w > 0)
        try:
            source = encode_ids(np.concatenate(src_ids), np.concatenate(src_len), src_vocab, live)
            target = encode_ids(np.concatenate(tgt_ids), np.concatenate(tgt_len), tgt_vocab, live)
            model = learn_encoded(source, target, w[live], prior_f, prior_b, start=start)
        except InputError:  # no words on either side: nothing to learn from, align without a lexicon
            return None, None
        length = LengthScorer()
        length.fit(np.concatenate(lengths))
        return model, length


def _union(vocabs: list[list[str]]) -> tuple[list[str], list[np.ndarray | None]]:
    """The sorted union of sorted vocabularies, and each one's ids in it (None when it is the union itself)."""
    if len(vocabs) == 1:
        return vocabs[0], [None]
    union = sorted(set().union(*vocabs))
    index = {w: k for k, w in enumerate(union)}
    return union, [np.fromiter(map(index.__getitem__, v), np.int64, len(v)) for v in vocabs]


def _runs(ids: np.ndarray, starts: np.ndarray, ends: np.ndarray, mapping: np.ndarray | None) -> np.ndarray:
    """``ids[starts[k]:ends[k]]`` for every k, laid end to end (through ``mapping``, if any)."""
    out = ids[ranges(starts, ends - starts)]
    return out if mapping is None else mapping[out]


def _group(segments: list[str], k: int) -> list[str]:
    return [" ".join(segments[i:i + k]) for i in range(0, len(segments), k)]


def _trivial(doc: DocPair) -> Alignment:
    """One side empty: every segment of the other is unaligned."""
    beads = [Bead((i,), (), 1.0) for i in range(doc.n)] + [Bead((), (j,), 1.0) for j in range(doc.m)]
    return Alignment(tuple(beads), doc.src_lang, doc.tgt_lang, "trivial")


def run_pass_job(job: tuple) -> Pass:
    """One document's pass, wherever it runs (a worker has no store: the lexicon comes with the job)."""
    (params, config, disabled), doc, model, band, length, keep = job
    return Aligner(params, config, disabled=disabled).run_pass(doc, model, band, length, keep=keep)
