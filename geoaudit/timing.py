"""CPU time per stage of an audit, reported in report.json (`stats.cpu_s`) and read by the
benchmark. Stages of this process are timed here; extraction workers time their own stages and
hand the seconds back with each page (`take`, then `add_worker`). `fetch` is what remains of
this process's time: Scrapy, Twisted and the network stack."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager

CPU: defaultdict[str, float] = defaultdict(float)
WORKER_CPU: defaultdict[str, float] = defaultdict(float)


@contextmanager
def stage(name: str) -> Iterator[None]:
    start = time.process_time()
    try:
        yield
    finally:
        CPU[name] += time.process_time() - start


def take() -> dict[str, float]:
    """In a worker: the seconds per stage since the last call, and start counting afresh."""
    taken: dict[str, float] = dict(CPU)
    CPU.clear()
    return taken


def add_worker(seconds: dict[str, float]) -> None:
    """In the crawl's process: stage seconds a worker reported."""
    for name, value in seconds.items():
        WORKER_CPU[name] += value


def breakdown() -> dict[str, float]:
    """Seconds of CPU per stage so far (this process and its workers), `fetch` being the rest
    of this process's time and `total` the sum of all."""
    own = time.process_time()
    summed = defaultdict(float, CPU)
    for name, value in WORKER_CPU.items():
        summed[name] += value
    parts: dict[str, float] = {
        name: round(seconds, 2) for name, seconds in sorted(summed.items()) if seconds > 0
    }
    parts["fetch"] = round(max(own - sum(CPU.values()), 0.0), 2)
    parts["total"] = round(own + sum(WORKER_CPU.values()), 2)
    return parts
