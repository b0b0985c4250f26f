"""Fitting the aligner's values from gold beads: a linear-chain CRF trained through the DP.

A path's score is a weighted sum of its beads' features (:meth:`mt.align.aligner.Aligner.lattice`),
so P(path) = exp(score) / Z over all paths of the lattice is a conditional random field whose
features are the scorers' outputs and the bead-type indicators. The weights maximise the
log-likelihood of the gold paths, with an L2 penalty, by L-BFGS; the gradient is the gold
feature counts minus their expectation under the model, which the forward-backward pass of the
DP core gives (:func:`mt.align.dp.log_partition_and_marginals`). The likelihood is concave in the
weights, so the fit has one optimum and does not depend on a starting point.

The procedure (:func:`fit`), on documents with gold beads, mirrors how the aligner runs:

1. ``first`` weights on the first pass's lattices (no lexicon);
2. with them, each collection's documents are aligned together and a lexicon is bootstrapped from
   them, as :meth:`~mt.align.aligner.Aligner.align_many` does; ``second`` weights on the second
   pass's lattices (band around the first path and the gold path), and once more for each further
   bootstrap round;
3. the ``temperature`` of each pass: the value that makes the posteriors of the beads that pass
   outputs best predict whether they are right (log loss), by golden-section search; the first
   pass's before the lexicon is learnt, since its posteriors weigh what the lexicon learns from.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from mt.align.aligner import AlignConfig, Aligner, Lattice, Pass
from mt.align.dp import Band, BatchPlan, batch_partition_and_marginals, posteriors
from mt.align.params import AlignParams, type_name
from mt.align.scorers import DocPair
from mt.clock import utc_now
from mt.errors import InputError

Beads = list[tuple[tuple[int, ...], tuple[int, ...]]]
Path4 = list[tuple[int, int, int, int]]
L2 = 1e-4  # the penalty on the squared weights, per gold bead: keeps rarely seen features (1-3 beads) from running off


class _Zero(dict):
    """Weights of zero for every name: the lattice's features are wanted, not its scores."""

    def __missing__(self, key):
        return 0.0


def gold_path(gold: Beads, n: int, m: int) -> Path4:
    """Gold beads as a path through the lattice: in order, contiguous, every segment once."""
    beads = sorted(((tuple(s), tuple(t)) for s, t in gold if s or t), key=lambda b: (b[0][0] if b[0] else -1, b[1][0] if b[1] else -1))
    path, i, j = [], 0, 0
    pending = list(beads)
    while pending:
        for k, (s, t) in enumerate(pending):
            if (not s or s[0] == i) and (not t or t[0] == j):
                if list(s) != list(range(i, i + len(s))) or list(t) != list(range(j, j + len(t))):
                    raise InputError(f"gold bead {list(s)}:{list(t)} is not contiguous")
                path.append((i, i + len(s), j, j + len(t)))
                i, j = i + len(s), j + len(t)
                pending.pop(k)
                break
        else:
            raise InputError(f"gold beads do not form a path (stuck at source {i}, target {j})")
    if (i, j) != (n, m):
        raise InputError(f"gold beads cover {i} of {n} source and {j} of {m} target segments")
    return path


@dataclass
class Example:
    """One document's lattice (with features) and its gold path."""

    lattice: Lattice
    gold: Path4


@dataclass
class _Prepared:
    band: Band
    types: list
    masks: list  # per type: cells mask
    feats: list  # per type: K x cells (float64)
    idx: list  # per type: parameter index of each feature row
    prior_idx: list  # per type: parameter index of the type's prior, or -1 for 1-1
    gold_phi: np.ndarray
    n_gold: int
    cost: list  # per type: 1 at the cells whose bead is not a gold bead (softmax-margin)


def _prepare(ex: Example, index: dict[str, int]) -> _Prepared:
    lat = ex.lattice
    assert lat.features is not None, "fitting needs lattices made with their features kept"
    types: list = []
    masks: list = []
    feats: list = []
    idx: list = []
    prior_idx: list = []
    phi = np.zeros(len(index))
    for (a, b), (ok, F) in lat.features.items():
        types.append((a, b))
        masks.append(ok)
        feats.append(F.astype(np.float64))
        idx.append(np.array([index[n] for n in lat.names], dtype=np.int64) if a and b else np.zeros(0, dtype=np.int64))
        prior_idx.append(-1 if (a, b) == (1, 1) else index[type_name(a, b)])
    cost = [np.ones(ok.shape) for ok in masks]
    pos = {t: k for k, t in enumerate(types)}
    cells = [np.flatnonzero(ok.ravel()) for ok in masks]  # cells of each type, in the order of the feature columns
    band = lat.band
    for i0, i1, j0, j1 in ex.gold:
        k = pos.get((i1 - i0, j1 - j0))
        w = j1 - band.lo[i1]
        flat = i1 * band.width + w
        col = int(np.searchsorted(cells[k], flat)) if k is not None and 0 <= w < band.width else -1
        if k is None or col < 0 or col >= len(cells[k]) or cells[k][col] != flat:
            raise InputError(f"a gold bead ({i1 - i0}-{j1 - j0} ending at {i1}, {j1}) lies outside the lattice the aligner searches")
        if prior_idx[k] >= 0:
            phi[prior_idx[k]] += 1
        if len(idx[k]):
            phi[idx[k]] += feats[k][:, col]
        cost[k][i1, w] = 0.0
    return _Prepared(band, types, masks, feats, idx, prior_idx, phi, len(ex.gold), cost)


def _scores(p: _Prepared, theta: np.ndarray, margin: float = 0.0) -> dict:
    out = {}
    for t, ok, F, ix, pi, cost in zip(p.types, p.masks, p.feats, p.idx, p.prior_idx, p.cost):
        S = np.full(ok.shape, -1e18)
        S[ok] = (theta[pi] if pi >= 0 else 0.0) + (theta[ix] @ F if len(ix) else 0.0)
        if margin:
            S[ok] += margin * cost[ok]
        out[t] = S
    return out


def _objective(theta: np.ndarray, prepared: list[_Prepared], l2: float, margin: float,
               center: np.ndarray, batches: list) -> tuple[float, np.ndarray]:
    total, grad = 0.0, np.zeros_like(theta)
    beads = 0
    for group, plan in batches:
        ps = [prepared[k] for k in group]
        results = batch_partition_and_marginals([_scores(p, theta, margin) for p in ps], [p.band for p in ps], plan)
        for p, (z, marg) in zip(ps, results):
            total += float(p.gold_phi @ theta) - z
            expect = np.zeros_like(theta)
            for t, ok, F, ix, pi in zip(p.types, p.masks, p.feats, p.idx, p.prior_idx):
                P = marg[t][ok]
                if pi >= 0:
                    expect[pi] += P.sum()
                if len(ix):
                    np.add.at(expect, ix, F @ P)
            grad += p.gold_phi - expect
            beads += p.n_gold
    lam = l2 * beads
    diff = theta - center
    total -= 0.5 * lam * float(diff @ diff)
    grad -= lam * diff
    return -total / beads, -grad / beads


def _batches(prepared: list[_Prepared], cells: int = 400_000) -> list:
    """Documents of similar length together (padding wastes little), each group under ``cells`` padded cells."""
    order = sorted(range(len(prepared)), key=lambda k: (prepared[k].band.n, prepared[k].band.width))
    groups: list[list[int]] = []
    cur: list[int] = []
    for k in order:
        trial = cur + [k]
        rows = max(prepared[j].band.n for j in trial) + 1
        width = max(prepared[j].band.width for j in trial)
        if cur and rows * width * len(trial) > cells:
            groups.append(cur)
            trial = [k]
        cur = trial
    if cur:
        groups.append(cur)
    types = tuple(prepared[0].types)
    return [(g, BatchPlan([prepared[k].band for k in g], types)) for g in groups]


# evidence of likeness can only count for a bead, and a clash of roles only against it: fitted weights keep these signs
POSITIVE = ("lexical", "names", "mt", "numbers:match", "quotes", "structure:same")
NEGATIVE = ("structure:clash",)


def fit_weights(examples: list[Example], l2: float = L2, init: dict[str, float] | None = None,
                margin: float = 0.0, center: dict[str, float] | None = None) -> dict[str, float]:
    """CRF weights (feature weights, bead-type priors, deletion scores) maximising the gold paths' penalised likelihood.

    The L2 penalty pulls the weights towards ``center`` (zero by default; values fitted on other
    data when there is little gold of one kind, as for interview turns). ``margin``: softmax-margin
    training (every wrong bead's score raised by it inside Z); plain likelihood (0) did as well on
    the leave-one-collection-out benchmark as margins of 1 and 3, and needs no margin chosen.
    """
    from scipy.optimize import minimize

    if not examples:
        raise InputError("no documents with gold beads to fit on")
    names = sorted({n for e in examples for n in e.lattice.names}
                   | {type_name(a, b) for e in examples for (a, b) in (e.lattice.features or {}) if (a, b) != (1, 1)})
    index = {n: k for k, n in enumerate(names)}
    prepared = [_prepare(e, index) for e in examples]
    c = np.array([(center or {}).get(n, 0.0) for n in names])
    start = {**(center or {}), **(init or {})}
    theta0 = np.array([start.get(n, 0.0) for n in names])
    bounds = [(0.0, None) if n in POSITIVE else (None, 0.0) if n in NEGATIVE else (None, None) for n in names]
    theta0 = np.array([min(max(v, lo if lo is not None else v), hi if hi is not None else v) for v, (lo, hi) in zip(theta0, bounds)])
    res = minimize(_objective, theta0, args=(prepared, l2, margin, c, _batches(prepared)), jac=True, method="L-BFGS-B", bounds=bounds,
                   options={"maxiter": 300, "gtol": 1e-4})
    return {n: round(float(v), 6) for n, v in zip(names, res.x)}


def fit_temperature(lattices: list[Lattice], paths: list[Path4], golds: list[Path4]) -> float:
    """The temperature whose posteriors best predict which output beads are right (log loss), by golden-section search."""
    right = np.concatenate([np.array([b in set(g) for b in p], dtype=float) for p, g in zip(paths, golds)])
    types = tuple(lattices[0].scores)
    chunks = [list(range(k, min(k + 16, len(lattices)))) for k in range(0, len(lattices), 16)]
    groups = [(g, BatchPlan([lattices[k].band for k in g], types)) for g in chunks]

    def loss(log_t: float) -> float:
        t = math.exp(log_t)
        probs = []
        for g, plan in groups:
            results = batch_partition_and_marginals([{k: v / t for k, v in lattices[j].scores.items()} for j in g],
                                                    [lattices[j].band for j in g], plan)
            probs += [posteriors(marg, lattices[j].band, paths[j]) for j, (_, marg) in zip(g, results)]
        p = np.clip(np.concatenate(probs), 1e-6, 1 - 1e-6)
        return float(-np.mean(right * np.log(p) + (1 - right) * np.log(1 - p)))

    lo, hi = math.log(0.1), math.log(10.0)
    g = (math.sqrt(5) - 1) / 2
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    fa, fb = loss(a), loss(b)
    for _ in range(14):
        if fa < fb:
            hi, b, fb = b, a, fa
            a = hi - g * (hi - lo)
            fa = loss(a)
        else:
            lo, a, fa = a, b, fb
            b = lo + g * (hi - lo)
            fb = loss(b)
    return round(math.exp((lo + hi) / 2), 4)


@dataclass
class GoldDoc:
    """A document with gold beads, and the collection it comes from (documents of one collection are aligned together)."""

    doc: DocPair
    gold: Beads
    collection: str = ""


@dataclass
class FitReport:
    params: AlignParams
    seconds: float
    log: list[str] = field(default_factory=list)


def _plain(first: dict, second: dict, temperatures: dict | None) -> AlignParams:
    """Values whose sets apply to every document (while fitting, turns too)."""
    t = temperatures or {"first": 1.0, "second": 1.0}
    return AlignParams(first, second, dict(t), {}, {"first": first, "second": second})


def _band_with(aligner: Aligner, doc: DocPair, beads: Path4, gold: Path4, radius: int) -> Band:
    points = [(i, j) for path in (beads, gold) for i0, i1, j0, j1 in path for i, j in ((i0, j0), (i1, j1))]
    return Band.around(points, doc.n, doc.m, radius)


def fit(docs: list[GoldDoc], config: AlignConfig | None = None, disabled: tuple[str, ...] = (), *,
        l2: float = L2, extra_meta: dict | None = None, log=None, base: AlignParams | None = None) -> FitReport:
    """Fit every value of :class:`AlignParams` on documents with gold beads (see the module's docstring).

    ``base``: values fitted before on other data, the centre the penalty pulls towards and the
    temperatures kept (how interview turns are fitted on a little interview gold after everything
    is fitted on the development collections).
    """
    t0 = time.perf_counter()
    config = config or AlignConfig()
    notes: list[str] = []

    def say(line: str) -> None:
        notes.append(line)
        if log:
            log(line)

    docs = [g for g in docs if g.doc.n and g.doc.m]
    if not docs:
        raise InputError("no documents with gold beads to fit on")
    golds = [gold_path(g.gold, g.doc.n, g.doc.m) for g in docs]
    zero = AlignParams(_Zero(), _Zero())
    probe = Aligner(zero, config, disabled=disabled)
    # 1. first pass: the lattice the aligner would search, widened to hold the gold path where it is banded
    ex = []
    for g, gp in zip(docs, golds):
        scorers = probe.scorers(g.doc, None)
        full = (g.doc.n + 1) * (g.doc.m + 1) <= config.full_cells
        band = Band.full(g.doc.n, g.doc.m) if full else _band_with(probe, g.doc, [], gp, max(config.radius, 8))
        ex.append(Example(probe.lattice(scorers, band, _Zero(), keep=True), gp))
    first = fit_weights(ex, l2, center=base.first if base else None)
    say(f"first pass: {len(first)} weights on {len(ex)} documents, {sum(len(p) for p in golds)} gold beads")
    aligner = Aligner(_plain(first, first, base.temperatures if base else None), config, disabled=disabled)
    firsts = [aligner.run_pass(g.doc, None, None) for g in docs]
    t_first = base.temperatures["first"] if base else fit_temperature([p.lattice for p in firsts], [p.beads for p in firsts], golds)
    say(f"first pass temperature {t_first}")
    second = dict(base.second) if base else dict(first)
    params = _plain(first, second, {"first": t_first, "second": t_first})
    learn = config.bootstrap and "lexical" not in disabled
    finals: list[Pass] = []
    if learn:
        groups: dict[str, list[int]] = {}
        for k, g in enumerate(docs):
            groups.setdefault(g.collection, []).append(k)
        for r in range(config.rounds):
            aligner = Aligner(params, config, disabled=disabled)
            ex = []
            for ks in groups.values():
                group = [docs[k].doc for k in ks]
                firsts = [aligner.run_pass(d, None, None) for d in group]
                current, model = firsts, None
                for _ in range(r):  # the rounds before this one, with the weights fitted so far
                    model, length = aligner.bootstrap(group, current, start=model)
                    current = [aligner.run_pass(d, model, aligner.band_around(d, f.beads), length) for d, f in zip(group, firsts)]
                model, length = aligner.bootstrap(group, current, start=model)
                for k, d, f in zip(ks, group, firsts):
                    band = _band_with(aligner, d, f.beads, golds[k], config.radius)
                    scorers = aligner.scorers(d, model, length)
                    ex.append(Example(aligner.lattice(scorers, band, _Zero(), keep=True), golds[k]))
            second = fit_weights(ex, l2, init=second, center=base.second if base else None)
            params = _plain(first, second, {"first": t_first, "second": t_first})
            say(f"second pass, round {r + 1}: {len(second)} weights")
        # the aligner's own output with these weights, for the temperature
        aligner = Aligner(params, config, disabled=disabled)
        by_doc: dict[int, Pass] = {}
        for ks in groups.values():
            by_doc.update(zip(ks, aligner.passes([docs[k].doc for k in ks])))
        finals = [by_doc[k] for k in range(len(docs))]
    else:
        finals = firsts
    if base:
        temperature = base.temperatures["second"]
    else:
        temperature = fit_temperature([p.lattice for p in finals], [p.beads for p in finals], golds) if learn else t_first
    say(f"last pass temperature {temperature}")
    right = sum(len(set(p.beads) & set(g)) for p, g in zip(finals, golds))
    meta = {
        "procedure": "linear-chain CRF through the DP (L-BFGS on the penalised log-likelihood of the gold paths; "
                     f"L2 {l2} per gold bead); first pass without a lexicon, then {config.rounds} bootstrap round(s) "
                     "aligning each collection together; temperature by golden-section search on the log loss of "
                     "the output beads",
        "fitted": utc_now(),
        "documents": len(docs),
        "gold_beads": sum(len(g) for g in golds),
        "collections": sorted({g.collection for g in docs}),
        "disabled": sorted(disabled),
        "training_beads_right": round(right / max(1, sum(len(p.beads) for p in finals)), 4),
        **(extra_meta or {}),
    }
    from mt import __version__

    meta["mt_version"] = __version__
    params = AlignParams(first, second, {"first": t_first, "second": temperature}, meta)
    return FitReport(params, time.perf_counter() - t0, notes)
