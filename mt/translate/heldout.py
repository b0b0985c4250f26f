"""Lexicons held out by article: an article is only ever translated by a lexicon that never saw it, so MT
scores measured on the corpus are honest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

BEAD_THRESHOLD = 0.5  # sentence beads at least this likely to be right train the corpus's own lexicons


def folds(ids: list[str], k: int, seed: int) -> dict[str, int]:
    """Articles into ``k`` folds by a seeded hash, so that each is translated by a lexicon that never saw it."""
    order = sorted(ids, key=lambda i: hashlib.sha256(f"{seed}:{i}".encode()).hexdigest())
    return {a: n % k for n, a in enumerate(order)}


def training_rows(store, en_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Per article, the (Arabic, English) sentence pairs the aligner is sure enough of to learn from."""
    return {i: [(b.ar, b.en) for b in store.beads(i) if b.origin == "human" and b.complete and b.score >= BEAD_THRESHOLD]
            for i in en_ids}


def _rows_to_learn_from(store, ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """Training rows of these articles, or a clear error when none is sure enough to learn from."""
    from mt.errors import InputError

    rows = training_rows(store, ids)
    if not any(rows.values()):
        raise InputError("no aligned pairs to train a lexicon on")
    return rows


def lexicon_file(folder: Path, rows: list[tuple[str, str]], note: dict) -> Path:
    """A lexicon trained on aligned rows, once: the file is named by what it was trained on."""
    from mt.fingerprint import fingerprint
    from mt.translate.lexicon import train

    path = folder / f"{fingerprint('lexicon', rows)[:16]}.npz"
    if not path.exists():
        # mt's own IBM-1 links, not eflomal's sampled ones: the same rows must give the same lexicon
        lex = train([r[0] for r in rows], [r[1] for r in rows], "ar", "en", aligner="ibm1", sources=note)
        lex.save(path)
    return path


@dataclass
class HeldOut:
    """A lexicon file per article, and a note when holding out was not possible."""

    files: dict[str, Path]
    note: str | None = None


def held_out_lexicons(store, ids: list[str], folder: Path, *, k: int, seed: int) -> HeldOut:
    """For every article of ``ids``, a lexicon trained on the other folds' articles (``k`` folds)."""
    rows = _rows_to_learn_from(store, ids)
    k = min(k, len(ids))
    if k < 2:
        path = lexicon_file(folder, rows[ids[0]], {"articles": ids})
        return HeldOut({i: path for i in ids}, "one pair only: its lexicon is trained on the text it translates, "
                                               "so MT scores are optimistic")
    fold = folds(ids, k, seed)
    files = {}
    for f in range(k):
        train_ids = [i for i in ids if fold[i] != f]
        path = lexicon_file(folder, [r for i in train_ids for r in rows[i]], {"articles": train_ids, "held_out_fold": f})
        files.update({i: path for i in ids if fold[i] == f})
    return HeldOut(files)


def training_split_lexicon(store, ids: list[str], folder: Path, *, seed: int) -> Path:
    """A lexicon on the pairs of the training split only (the export's split), so that what it makes
    carries nothing learnt from validation or test articles."""
    from mt.export import assign_splits, split_key

    rows = _rows_to_learn_from(store, ids)
    keys = {i: split_key(store.get_article(i)) for i in ids}
    splits = assign_splits(list(keys.values()), seed)
    train_ids = [i for i in ids if splits[keys[i]] == "train"] or ids
    return lexicon_file(folder, [r for i in train_ids for r in rows[i]], {"articles": train_ids})
