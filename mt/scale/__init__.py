"""Batch translation beyond one machine: the same engines on Ray Data (``mt translate --ray``)."""

from mt.scale.ray_runner import EngineSpec, RayRunner

__all__ = ["EngineSpec", "RayRunner"]
