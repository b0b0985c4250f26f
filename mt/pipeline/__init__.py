"""``mt pipeline``: ingest, pair, align, translate, evaluate and export as one resumable run.

Each stage (one module each, in ``run.STAGES`` order) reads records from the store and writes records
back, with a fingerprint of its inputs; a stage whose fingerprint is unchanged is skipped, and
translation resumes chunk by chunk from the cache, so an interrupted run continues where it stopped.
"""

from mt.pipeline.base import PipelineConfig, PipelineResult, Reporter, StageResult
from mt.pipeline.run import run_pipeline

__all__ = ["PipelineConfig", "PipelineResult", "Reporter", "StageResult", "run_pipeline"]
