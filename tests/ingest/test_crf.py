"""The reader's sequence model on arrays: exact marginals and best paths, a true gradient, constraints that hold."""

import itertools

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import approx_fprime
from scipy.special import logsumexp

from mt.ingest import crf


def _random_weights(rng, F):
    return crf.Weights(rng.normal(size=(F, crf.T)), rng.normal(size=(crf.T, crf.T)), rng.normal(size=crf.T), rng.normal(size=crf.T))


def _brute(E, w):
    A, s = w.masked()
    seqs = list(itertools.product(range(crf.T), repeat=E.shape[0]))
    scores = np.array([s[t[0]] + sum(E[i, t[i]] for i in range(len(t))) + sum(A[t[i - 1], t[i]] for i in range(1, len(t)))
                       + w.end[t[-1]] for t in seqs])
    return seqs, scores


@pytest.mark.parametrize("n", [1, 2, 4])
def test_marginals_and_best_path_are_those_of_every_sequence_counted(n):
    rng = np.random.default_rng(n)
    w = _random_weights(rng, 3)
    E = rng.normal(size=(n, crf.T))
    seqs, scores = _brute(E, w)
    probs = np.exp(scores - logsumexp(scores))
    want = np.zeros((n, crf.T))
    for t, p in zip(seqs, probs):
        for i, tag in enumerate(t):
            want[i, tag] += p
    assert np.allclose(crf.marginals(E, w), want, atol=1e-9)
    assert tuple(crf.viterbi(E, w)) == seqs[int(scores.argmax())]


def test_impossible_sequences_never_come_out():
    rng = np.random.default_rng(7)
    w = _random_weights(rng, 2)
    w.transition[crf.BA, crf.IQ] = 50.0  # however much the weights like it, an answer never goes on as a question
    w.start[crf.IA] = 50.0
    for _ in range(20):
        tags = crf.viterbi(rng.normal(size=(6, crf.T)) * 3, w)
        assert tags[0] not in (crf.IQ, crf.IA)
        for a, b in zip(tags, tags[1:]):
            assert crf.ALLOWED[a, b], (a, b)


def test_a_fixed_tag_is_obeyed():
    rng = np.random.default_rng(3)
    w = _random_weights(rng, 2)
    fixed = np.ones((5, crf.T), dtype=bool)
    fixed[2] = False
    fixed[2, crf.BA] = True
    X = sparse.csr_matrix(np.eye(5, 2))
    got = crf.viterbi(crf.emissions(X, w, fixed), w)
    assert got[2] == crf.BA


def test_the_gradient_is_the_objectives():
    rng = np.random.default_rng(1)
    F = 5
    pages = [crf.Page(sparse.csr_matrix((rng.random((n, F)) < 0.5).astype(float)), np.array(y))
             for n, y in ((3, [0, 1, 3]), (4, [1, 2, 3, 4]), (2, [3, 0]))]
    objective, x0, _ = crf.objective_of(pages, F, 0.3, None)
    x = rng.normal(size=x0.shape) * 0.5
    grad = objective(x)[1]
    numeric = approx_fprime(x, lambda v: objective(v)[0], 1e-6)
    assert np.max(np.abs((grad - numeric) * (grad != 0))) < 1e-4


def test_fitting_recovers_tags_the_features_tell_apart():
    F = 4
    X = sparse.csr_matrix(np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], dtype=float))
    y = np.array([crf.O, crf.BQ, crf.BA, crf.BQ, crf.IQ])
    w = crf.fit([crf.Page(X, y)], F, l2=0.01)
    assert crf.viterbi(crf.emissions(X, w), w) == list(y)
    # a piece going on with a turn weighs the same whichever turn it goes on with
    assert np.allclose(w.emission[:, crf.IQ], w.emission[:, crf.IA])


def test_a_question_marker_is_never_read_as_an_answer_whatever_the_weights():
    """Values that would read every "Q:" as an answer (as an ill-fitted reader might) still cannot: the marker
    fixes the side, and so does a recurring speaker's label fix where a turn begins."""
    from mt.ingest.blocks import Block
    from mt.ingest.params import ReaderParams
    from mt.ingest.segment import segment

    names = ("mk=q", "mk=a", "bias", "mk=label")
    em = np.zeros((len(names), crf.T))
    em[0, crf.BA] = em[0, crf.IA] = 40.0  # "Q:" as an answer far more than as a question
    em[0, crf.BQ] = em[1, crf.BA] = 1.0
    em[1, crf.BQ] = em[1, crf.IQ] = 40.0  # "A:" as a question
    em[3, crf.IQ] = em[3, crf.IA] = 40.0  # every label going on with the turn before
    em[3, crf.BQ] = 1.0
    values = ReaderParams(names, crf.Weights(em, np.zeros((crf.T, crf.T)), np.zeros(crf.T), np.zeros(crf.T)))
    turns, _, _ = segment([Block("Q: Why did the wells dry up?"), Block("A: No rain."), Block("Q: And now?"), Block("A: We wait.")],
                          "en", values)
    assert [t.role for t in turns] == ["question", "answer"] * 2
    turns, _, _ = segment([Block("Rana: Why now?"), Block("Omar: Because."), Block("Rana: And then?"), Block("Omar: We wait.")],
                          "en", values)
    assert [t.speaker for t in turns] == ["Rana", "Omar", "Rana", "Omar"]
