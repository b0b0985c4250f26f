"""Run an engine on Ray Data: ``map_batches`` over a pool of actors that each hold the model once.

Only the chunks the cache does not already have are sent; each finished batch comes back to the
driver, which writes it to the cache as in a local run, so a cluster job resumes the same way.
The model must be reachable from every worker: a hub id, or a path on storage they share.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass

from mt.errors import ModelError
from mt.translate.base import DecodeOptions, Engine


@dataclass(frozen=True)
class EngineSpec:
    """What an actor needs to load the same engine the driver has."""

    name: str
    model: str | None
    src: str
    tgt: str
    options: dict

    @classmethod
    def of(cls, engine: Engine) -> EngineSpec:
        return cls(engine.name, engine.model_name, engine.src, engine.tgt, asdict(engine.options))

    def load(self) -> Engine:
        from mt.translate import load_engine

        return load_engine(self.name, self.model, self.src, self.tgt, DecodeOptions(**self.options))


class _EngineActor:
    """One per worker slot: loads the engine once, then translates the batches Ray Data hands it.

    The spec travels with the class (see :func:`actor_class`), not as constructor arguments, which
    Ray would keep in its object store for restarts.
    """

    spec: EngineSpec
    identity: str

    def __init__(self):
        self.engine = self.spec.load()
        if self.engine.identity != self.identity:  # another model file on this worker would poison the driver's cache
            raise ModelError(f"worker loaded {self.engine.identity}, the driver has {self.identity}; give workers the same model")

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        from mt.translate.translator import LocalRunner

        texts = [str(t) for t in batch["text"]]
        out = [""] * len(texts)
        for idx, translated in LocalRunner().run(self.engine, texts):
            for i, t in zip(idx, translated):
                out[i] = t
        return {"i": batch["i"], "translation": np.array(out, dtype=object)}


def _job_failed(e: Exception) -> ModelError:
    """Ray's error in one line: the first line that names an error (its tracebacks run for pages)."""
    first = next((line for line in str(e).splitlines() if "Error" in line), str(e).splitlines()[0] if str(e) else "")
    return ModelError(f"the Ray job failed: {first.strip()[:300]}")


def actor_class(spec: EngineSpec, identity: str) -> type:
    return type("EngineActor", (_EngineActor,), {"spec": spec, "identity": identity})


class RayRunner:
    """A runner for :class:`~mt.translate.translator.Translator` that spreads batches over Ray actors.

    ``address``: a cluster (``ray://host:10001`` or ``auto``); None starts a local Ray instance.
    ``actors``: how many model-holding actors; default one per GPU, or one per ``cpus_per_actor`` CPUs.
    """

    def __init__(self, address: str | None = None, *, actors: int | None = None, cpus_per_actor: int = 2,
                 batch_size: int = 64):
        self.address, self.actors, self.cpus_per_actor, self.batch_size = address, actors, cpus_per_actor, batch_size

    def _connect(self):
        try:
            import ray
        except ImportError:
            raise ModelError("--ray needs Ray: pip install 'mt[ray]'") from None
        if not ray.is_initialized():
            try:
                ray.init(address=self.address or None, include_dashboard=False, log_to_driver=False,
                         logging_level="warning", **({} if self.address else {"num_cpus": None}))
            except (ConnectionError, RuntimeError, ValueError) as e:
                raise ModelError(f"cannot reach the Ray cluster at {self.address or 'a local instance'}: "
                                 f"{str(e).splitlines()[0] if str(e) else type(e).__name__}") from None
        return ray

    def plan(self, ray) -> tuple[int, float, float]:
        """(actors, CPUs and GPUs per actor) from what the cluster has."""
        res = ray.cluster_resources()
        gpus = int(res.get("GPU", 0))
        if gpus:
            return self.actors or gpus, 1, 1
        cpus = int(res.get("CPU", 1))
        n = self.actors or max(1, cpus // self.cpus_per_actor)
        return n, max(1, min(self.cpus_per_actor, cpus // n)), 0

    def map(self, fn, jobs: list) -> list:
        """``[fn(job) for job in jobs]`` as Ray tasks, results in order (e.g. the aligner's per-document passes)."""
        if not jobs:
            return []
        self._connect()
        import ray
        import ray.exceptions

        task = ray.remote(num_cpus=1, max_retries=0)(fn)
        try:
            return ray.get([task.remote(j) for j in jobs])
        except ray.exceptions.RayError as e:
            raise _job_failed(e) from None

    def run(self, engine: Engine, texts: list[str]) -> Iterator[tuple[list[int], list[str]]]:
        if not texts:
            return
        self._connect()
        import logging
        import warnings

        import ray
        import ray.data
        import ray.exceptions

        logging.getLogger("ray.data").setLevel(logging.ERROR)
        ctx = ray.data.DataContext.get_current()
        ctx.enable_progress_bars = False  # mt draws its own, counted in whole segments
        warnings.filterwarnings("ignore", message=".*minimum number of concurrent actors.*")
        actors, cpus, gpus = self.plan(ray)
        lengths = engine.count_tokens(texts)
        order = sorted(range(len(texts)), key=lambda i: -lengths[i])  # similar lengths share a batch: less padding
        # enough blocks that every actor has work, not so many that scheduling costs more than translating
        blocks = min(len(texts), max(actors * 2, min(math.ceil(len(texts) / self.batch_size), actors * 32)))
        ds = ray.data.from_items([{"i": i, "text": texts[i]} for i in order], override_num_blocks=blocks)
        with warnings.catch_warnings():
            # max_restarts=0: a worker that cannot load the model fails the job instead of retrying forever
            warnings.simplefilter("ignore")
            out = ds.map_batches(actor_class(EngineSpec.of(engine), engine.identity), batch_size=self.batch_size,
                                 concurrency=actors, num_cpus=cpus, num_gpus=gpus or None, batch_format="numpy",
                                 max_restarts=0)
        try:
            for batch in out.iter_batches(batch_size=self.batch_size, batch_format="numpy"):
                yield [int(i) for i in batch["i"]], [str(t) for t in batch["translation"]]
        except ray.exceptions.RayError as e:
            raise _job_failed(e) from None
