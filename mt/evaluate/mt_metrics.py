"""MT quality through sacrebleu: BLEU, chrF++ and TER with their signatures, and paired significance tests.

BLEU uses the ``intl`` tokenizer when Arabic is the target (``13a`` only knows Latin punctuation) and
``13a`` otherwise. ``flores200``/spBLEU download a sentencepiece model on first use, so they are
refused offline with a clear error rather than replaced silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from mt.errors import InputError

METRICS = ("BLEU", "chrF++", "TER")
HIGHER_IS_BETTER = {"BLEU": True, "chrF++": True, "TER": False}
DEFAULT_RESAMPLES = 1000


@dataclass(frozen=True)
class Score:
    metric: str
    value: float
    signature: str


@dataclass(frozen=True)
class MTScores:
    """Corpus-level scores of one system on ``segments`` segments."""

    bleu: Score
    chrf: Score
    ter: Score
    segments: int

    def as_dict(self) -> dict:
        """The three scores (a score not measured is left out) and the number of segments."""
        return {s.metric: round(s.value, 2) for s in (self.bleu, self.chrf, self.ter) if s.value == s.value} | {"segments": self.segments}

    @property
    def signatures(self) -> dict[str, str]:
        return {s.metric: s.signature for s in (self.bleu, self.chrf, self.ter)}


@dataclass(frozen=True)
class Comparison:
    """One system against the baseline on one metric: paired bootstrap mean, 95% CI half-width, p-value."""

    system: str
    metric: str
    score: float
    mean: float
    ci: float
    p_value: float | None  # None for the baseline itself
    signature: str

    @property
    def significant(self) -> bool:
        return self.p_value is not None and self.p_value < 0.05


def bleu_tokenizer(tgt_lang: str) -> str:
    return "intl" if tgt_lang == "ar" else "13a"


def metrics(tgt_lang: str, tokenize: str | None = None, *, sentence: bool = False) -> dict:
    """The three metrics; ``sentence`` turns on BLEU's effective order, as sentence-level BLEU needs."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    tok = tokenize or bleu_tokenizer(tgt_lang)
    if tok in ("flores101", "flores200", "spm"):
        raise InputError(f"BLEU tokenizer {tok!r} downloads a sentencepiece model at first use, which needs the network; "
                         f"use 'intl' (Arabic) or '13a' (English)")
    return {"BLEU": BLEU(tokenize=tok, effective_order=sentence), "chrF++": CHRF(word_order=2), "TER": TER()}


def _check(hyps: list[str], refs: list[str]) -> None:
    if len(hyps) != len(refs):
        raise InputError(f"{len(hyps)} hypotheses but {len(refs)} references; they must be line-aligned")
    if not hyps:
        raise InputError("nothing to score: no segments")


def corpus_scores(hyps: list[str], refs: list[str], tgt_lang: str, tokenize: str | None = None) -> MTScores:
    _check(hyps, refs)
    out = {}
    for name, m in metrics(tgt_lang, tokenize).items():
        out[name] = Score(name, float(m.corpus_score(hyps, [refs]).score), str(m.get_signature()))
    return MTScores(out["BLEU"], out["chrF++"], out["TER"], len(hyps))


class SegmentStats:
    """Each segment's sufficient statistics for BLEU, chrF++ and TER, extracted once (TER's edit distance with
    shifts is the costly part); the scores of any set of segments come from their summed statistics, which is
    exactly how sacrebleu computes a corpus score."""

    def __init__(self, hyps: list[str], refs: list[str], tgt_lang: str, tokenize: str | None = None, *,
                 ter_max: int | None = None, seed: int = 12345):
        import random

        import numpy as np

        _check(hyps, refs)
        self.tgt_lang, self.tokenize = tgt_lang, tokenize
        self.metrics = metrics(tgt_lang, tokenize)
        self.sentence_bleu = metrics(tgt_lang, tokenize, sentence=True)["BLEU"]
        self.n = len(hyps)
        # TER's shift search is pure Python (tens of ms a segment): beyond ``ter_max`` segments it is measured on a
        # seeded sample of that many, the same on every run; BLEU and chrF++ always on all
        self.ter_rows = list(range(self.n)) if ter_max is None or self.n <= ter_max else \
            sorted(random.Random(seed).sample(range(self.n), ter_max))
        self._ter_at = {r: k for k, r in enumerate(self.ter_rows)}
        self.stats = {name: np.asarray(m._extract_corpus_statistics(
            [hyps[i] for i in self.ter_rows] if name == "TER" else hyps,
            [[refs[i] for i in self.ter_rows] if name == "TER" else refs])) for name, m in self.metrics.items()}

    @property
    def ter_sampled(self) -> bool:
        return len(self.ter_rows) < self.n

    def _summed(self, name: str, rows) -> list:
        import numpy as np

        if name == "TER" and rows is not None:
            rows = [self._ter_at[r] for r in rows if r in self._ter_at]
        s = self.stats[name][rows].sum(axis=0) if rows is not None else self.stats[name].sum(axis=0)
        return [x.item() for x in np.atleast_1d(s)]

    def scores(self, rows: list[int] | None = None) -> MTScores:
        """Corpus-level scores of the segments ``rows`` (all by default)."""
        if rows is not None and not rows:
            raise InputError("nothing to score: no segments")
        out = {name: Score(name, float(m._compute_score_from_stats(self._summed(name, rows)).score), str(m.get_signature()))
               for name, m in self.metrics.items()}
        if self.ter_sampled and rows is not None:
            # an article's few sampled segments would make a noisy TER: only the corpus gets the sampled figure
            out["TER"] = Score("TER", float("nan"), out["TER"].signature)
        return MTScores(out["BLEU"], out["chrF++"], out["TER"], self.n if rows is None else len(rows))

    def group_scores(self, groups: list[list[int]]) -> list[dict[str, float]]:
        """Sentence-style scores (BLEU with effective order) of each group of segments, e.g. the sentences of a turn."""
        out = []
        for rows in groups:
            d = {name: float(m._compute_score_from_stats(self._summed(name, rows)).score) for name, m in self.metrics.items()
                 if name != "TER" or not self.ter_sampled}
            d["BLEU"] = float(self.sentence_bleu._compute_score_from_stats(self._summed("BLEU", rows)).score)
            out.append({k: round(v, 2) for k, v in d.items()})
        return out


def segment_scores(hyps: list[str], refs: list[str], tgt_lang: str) -> list[dict[str, float]]:
    """Per-segment BLEU (exp-smoothed), chrF++ and TER: for finding the worst turns, not for ranking systems."""
    _check(hyps, refs)
    ms = metrics(tgt_lang, sentence=True)
    return [{name: round(float(m.sentence_score(h, [r]).score), 2) for name, m in ms.items()} for h, r in zip(hyps, refs)]


def compare(refs: list[str], systems: list[tuple[str, list[str]]], tgt_lang: str, *,
            resamples: int = DEFAULT_RESAMPLES) -> list[Comparison]:
    """Paired bootstrap resampling (sacrebleu's ``PairedTest``), the first system being the baseline.

    The seed is sacrebleu's (``SACREBLEU_SEED``, 12345 unless set), so a run is reproducible.
    """
    from sacrebleu.significance import PairedTest, Result

    if len(systems) < 2:
        raise InputError("a comparison needs at least two systems")
    for name, hyps in systems:
        if len(hyps) != len(refs):
            raise InputError(f"system {name!r} has {len(hyps)} segments but there are {len(refs)} references")
    if not refs:
        raise InputError("nothing to compare: no segments")
    ms = metrics(tgt_lang)
    sigs, res = PairedTest(list(systems), ms, [refs], test_type="bs", n_samples=resamples)()
    same = {name for name, hyps in systems[1:] if list(hyps) == list(systems[0][1])}
    out = []
    # sacrebleu types every column str | Result: "System" holds the names, each metric's column a Result per system
    names = cast(list[str], res["System"])
    # sacrebleu names chrF with word n-grams "chrF2++"; keep our names, in our order
    for metric, key in zip(ms, [k for k in res if k != "System"]):
        for name, r in zip(names, cast(list[Result], res[key])):
            assert r.mean is not None and r.ci is not None  # the bootstrap test (resamples >= 1) gives every system both
            # sacrebleu reports its smallest p-value for a system identical to the baseline; no difference is p = 1
            p = None if r.p_value is None else 1.0 if name in same else float(r.p_value)
            out.append(Comparison(name, metric, float(r.score), float(r.mean), float(r.ci), p, str(sigs[key])))
    return out
