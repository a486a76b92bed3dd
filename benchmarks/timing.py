"""Timing one computation against its reference in the same run, for the core suites."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def paired(
    ours: Callable[[], object], reference: Callable[[], object], repeats: int
) -> tuple[float, float, float, float]:
    """Best-of-``repeats`` wall and CPU seconds of ours and of the reference, run alternately:
    ``(wall, cpu, reference wall, reference cpu)``."""
    best = [float("inf")] * 4
    for _ in range(repeats):
        for offset, func in ((0, ours), (2, reference)):
            wall, cpu = time.perf_counter(), time.process_time()
            func()
            best[offset] = min(best[offset], time.perf_counter() - wall)
            best[offset + 1] = min(best[offset + 1], time.process_time() - cpu)
    return best[0], best[1], best[2], best[3]


def ratio_row(
    name: str, reference_name: str, timings: tuple[float, float, float, float]
) -> dict[str, Any]:
    """A result row: the times of both, and ``ratio`` = our CPU time / the reference's."""
    seconds, cpu, reference, reference_cpu = timings
    return {
        "name": name,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "reference_name": reference_name,
        "reference_seconds": reference,
        "reference_cpu_seconds": reference_cpu,
        "ratio": cpu / reference_cpu,
    }
