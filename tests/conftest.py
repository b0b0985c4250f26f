"""Fixtures shared by the whole suite."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import CORPUS, SEED  # noqa: F401  (fixtures below use them)


@pytest.fixture
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"seed article not present at {SEED}")
    return SEED


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "corpus.db"


@pytest.fixture
def write(tmp_path):
    """Write text (UTF-8 unless told) or bytes to a file under tmp_path and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        p = tmp_path / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return p

    return _write


@pytest.fixture
def ingest_text():
    """Ingest one text given as a string; return the single article."""
    from mt.ingest import ingest_bytes

    def _ingest(text: str, name: str = "article.txt", lang: str = "auto"):
        (article,) = ingest_bytes(text.encode("utf-8"), name, lang=lang)
        return article

    return _ingest


# real tiny models, built once per session and shared by the engine and CLI tests
from tests.models import parallel_pairs, tiny_ct2, tiny_marian  # noqa: E402,F401


@pytest.fixture(scope="session")
def pipeline_db(tmp_path_factory) -> Path:
    """The store of one pipeline run over the sample corpus (copy it before changing it)."""
    from mt.pipeline import PipelineConfig, run_pipeline

    out = tmp_path_factory.mktemp("pipeline-db")
    run_pipeline(PipelineConfig(CORPUS, out))
    return out / "corpus.db"


@pytest.fixture()
def review_db(pipeline_db, tmp_path) -> Path:
    """A private copy of the pipeline's store for a test that changes it."""
    import shutil

    db = tmp_path / "review.db"
    shutil.copy(pipeline_db, db)
    return db


def pytest_collection_modifyitems(config, items):
    """Tests on the tiny real models (a sentencepiece model trained and a Marian built, then converted) are slow."""
    for item in items:
        if {"tiny_marian", "tiny_ct2"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
