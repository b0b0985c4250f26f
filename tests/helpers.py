"""Helpers the tests share (one module, imported by test files; fixtures live in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mt.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
# the seed article lies outside the repository (../shared/seed/); the tests that need it say so once,
# through the seed_path fixture, and are skipped where it is absent
SEED = ROOT.parent / "shared" / "seed" / "syria-direct-2015-03-23.txt"
CORPUS = ROOT / "corpora" / "sample"

# a tiny parallel text for lexicon tests
AR = ["الولد يأكل التفاح", "البنت تأكل الخبز", "الولد يشرب الماء", "البنت تشرب الحليب", "الولد والبنت في المدرسة",
      "التفاح والخبز على الطاولة", "المعلم في المدرسة", "المعلم يشرب الماء", "البنت والمعلم", "الخبز والحليب"]
EN = ["the boy eats apples", "the girl eats bread", "the boy drinks water", "the girl drinks milk", "the boy and the girl are at school",
      "apples and bread are on the table", "the teacher is at school", "the teacher drinks water", "the girl and the teacher", "bread and milk"]


def mt(*args, cwd=None, input=None):
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    env.pop("MT_DB", None)
    return subprocess.run([sys.executable, "-m", "mt", *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env, input=input, timeout=120)


def roles(article) -> list[str]:
    return [t.role for t in article.turns]


def gold_documents():
    """(gold, Arabic article, English article) for every pair of the sample corpus that has gold beads."""
    import json

    from mt.ingest import ingest_paths

    for g in sorted((CORPUS / "gold").glob("*.json")):
        gold = json.loads(g.read_text("utf-8"))
        if gold.get("ar"):
            (ar,) = ingest_paths([CORPUS / gold["ar"]]).articles
            (en,) = ingest_paths([CORPUS / gold["en"]]).articles
            yield gold, ar, en


def dev_chapters(name: str, k: int, max_len: int = 80):
    devdata = pytest.importorskip("mt.align.devdata")
    try:
        docs, golds = devdata.held_out(name, 40, seed=4242)
    except InputError as e:
        pytest.skip(str(e))
    keep = [(d, g) for d, g in zip(docs, golds) if 10 <= d.n <= max_len][:k]
    return [d for d, _ in keep], [g for _, g in keep]
