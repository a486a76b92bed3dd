"""Benchmark: ``peerprinciples score`` end to end on a million ratings, report included.

The ratings of :mod:`benchmarks.bench_scoring` (1,000,000 ratings of 20,834 interviews on a
40-item index) spread over 400 services, as a national evaluation is, are written to a CSV
file, and the command runs on it as a user would: read, check, score, psychometrics, every
output file and the HTML report. Rows:

* ``score command``: the whole command, held to :data:`TARGET_SECONDS`;
* ``outside scoring``: the command less the scoring (its share of the command is
  reported), made of the rows below but one:
* ``read + check``: :func:`read_ratings` on the CSV file;
* ``score``: :func:`score` alone on the checked table (the scoring itself);
* ``psychometrics``: :func:`analyse` less the scoring;
* ``report``: drawing the HTML report alone, with its size;
* ``tables and the rest``: the command less all of the above (reading the instrument
  file and the library, writing the four tables);
* ``reference``: a plain ``groupby().mean()`` over the same rows, measured in the same run,
  so figures from different machines compare by their ratio.

Run with ``python -m benchmarks report``.
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from benchmarks.bench_scoring import bench_instrument, bench_ratings
from peerprinciples.cli.main import main as command
from peerprinciples.core.analysis import analyse
from peerprinciples.core.library import Library
from peerprinciples.core.ratings import read_ratings
from peerprinciples.core.report import render_report
from peerprinciples.core.scoring import score

SERVICES = 400
TARGET_SECONDS = 5.0


def _timed(step: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def run() -> list[dict[str, Any]]:
    """Time the score command, its scoring and its report on a million ratings."""
    instrument = bench_instrument()
    frame = bench_ratings(instrument, services=SERVICES)
    n = len(frame)
    reference_frame = frame[["interview", "rater"]].assign(
        value=pd.to_numeric(frame["rating"], errors="coerce")
    )
    reference = min(
        _timed(lambda: reference_frame.groupby(["interview", "rater"], sort=False)["value"].mean())[
            0
        ]
        for _ in range(3)
    )
    with tempfile.TemporaryDirectory() as folder:
        ratings = Path(folder) / "ratings.csv"
        frame.to_csv(ratings, index=False)
        index = Path(folder) / "bench-index.yaml"
        index.write_text(
            yaml.safe_dump(instrument.model_dump(mode="json", exclude_none=True)),
            encoding="utf-8",
        )
        out = Path(folder) / "out"
        arguments = ["score", str(ratings), "--instrument", str(index), "--out", str(out)]
        with contextlib.redirect_stdout(io.StringIO()):
            total, code = _timed(lambda: command([*arguments, "--quiet"]))
        if code != 0:
            raise RuntimeError(f"peerprinciples score failed with exit code {code}")
        report_bytes = (out / "report.html").stat().st_size
        checking, table = _timed(lambda: read_ratings(ratings, instrument))
        scoring = min(_timed(lambda: score(table))[0] for _ in range(3))
        framework = Library().framework(instrument.framework)
        analysing, analysis = _timed(lambda: analyse(table, framework))
        drawing, html = _timed(lambda: render_report(analysis))

    def row(name: str, seconds: float, **extra: Any) -> dict[str, Any]:
        return {
            "name": name,
            "ratings": n,
            "seconds": seconds,
            "reference_seconds": reference,
            "ratio": seconds / reference,
            **extra,
        }

    return [
        row(
            "score command",
            total,
            target_seconds=TARGET_SECONDS,
            meets_target=total < TARGET_SECONDS,
            services=SERVICES,
        ),
        row("outside scoring", total - scoring, share=(total - scoring) / total),
        row("read + check", checking),
        row("score", scoring),
        row("psychometrics", max(analysing - scoring, 0.0)),
        row("report", drawing, report_bytes=len(html.encode()), file_bytes=report_bytes),
        row("tables and the rest", max(total - checking - analysing - drawing, 0.0)),
        row("reference groupby().mean()", reference),
    ]


def main() -> int:
    """Print the benchmark as a table."""
    results = run()
    print(f"{'step':<28} {'seconds':>8} {'x reference':>12}  notes")
    for r in results:
        notes = []
        if "share" in r:
            notes.append(f"{r['share']:.0%} of the command")
        if "report_bytes" in r:
            notes.append(f"{r['report_bytes'] / 1e6:.2f} MB of HTML")
        if "meets_target" in r:
            verdict = "meets" if r["meets_target"] else "misses"
            notes.append(
                f"{verdict} the {r['target_seconds']:.0f} s target ({r['services']} services)"
            )
        print(f"{r['name']:<28} {r['seconds']:>8.3f} {r['ratio']:>12.1f}  {'; '.join(notes)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
