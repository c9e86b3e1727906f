"""CPU time per stage of an audit, reported in report.json (`stats.cpu_s`) and read by the
benchmark: process time spent in each stage of this process. `fetch` is what remains: Scrapy,
Twisted and the network stack."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

CPU: Counter[str] = Counter()


@contextmanager
def stage(name: str) -> Iterator[None]:
    start = time.process_time()
    try:
        yield
    finally:
        CPU[name] += time.process_time() - start


def breakdown() -> dict[str, float]:
    """Seconds of CPU per stage so far, `fetch` being the rest of the process's CPU time."""
    total = time.process_time()
    parts = {name: round(seconds, 2) for name, seconds in sorted(CPU.items())}
    parts["fetch"] = round(max(total - sum(CPU.values()), 0.0), 2)
    parts["total"] = round(total, 2)
    return parts
