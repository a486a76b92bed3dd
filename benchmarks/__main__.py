"""Run every benchmark and print its figures: ``make bench`` or ``python -m benchmarks``.

Each benchmark measures its own reference in the same run, so the ratios it reports hold on
any machine; absolute times are printed for context only. Pass names to run a subset:
``python -m benchmarks scoring``.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from collections.abc import Callable
from importlib import import_module
from importlib.metadata import version
from typing import Any

SUITES = {
    "scoring": "benchmarks.bench_scoring",
    "report": "benchmarks.bench_report",
    "psychometrics": "benchmarks.bench_psychometrics",
    "import": "benchmarks.bench_import",
    "web": "benchmarks.bench_web",
    "cold": "benchmarks.bench_cold",
    "costs": "benchmarks.bench_costs",
    "conceptmap": "benchmarks.bench_conceptmap",
    "delphi": "benchmarks.bench_delphi",
    "handbook": "benchmarks.bench_handbook",
    "audit": "benchmarks.bench_audit",
}
PACKAGES = (
    "numpy",
    "pandas",
    "scipy",
    "pingouin",
    "krippendorff",
    "scikit-learn",
    "statsmodels",
    "django",
)


def _print_rows(rows: list[dict[str, Any]]) -> None:
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row if k not in keys]
    widths = {k: max(len(k), *(len(_cell(r.get(k))) for r in rows)) for k in keys}
    print("  ".join(k.ljust(widths[k]) for k in keys))
    for row in rows:
        print("  ".join(_cell(row.get(k)).ljust(widths[k]) for k in keys))


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


def main(names: list[str]) -> int:
    """Run the named suites (all by default) and print a table per suite."""
    chosen = names or list(SUITES)
    unknown = [n for n in chosen if n not in SUITES]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(SUITES)}")
        return 2
    print(
        f"python {platform.python_version()} on {platform.machine()}; "
        + ", ".join(f"{p} {version(p)}" for p in PACKAGES)
    )
    results: dict[str, Any] = {}
    for name in chosen:
        run: Callable[[], list[dict[str, Any]]] = import_module(SUITES[name]).run
        print(f"\n== {name} ==", flush=True)
        started = time.perf_counter()
        rows = run()
        _print_rows(rows)
        print(f"({time.perf_counter() - started:.1f} s)")
        results[name] = rows
    with open("benchmark-results.json", "w", encoding="utf-8") as handle:
        json.dump(results, handle, indent=2, default=str)
    print("\nwritten: benchmark-results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
