"""Benchmark: checking and scoring a million ratings.

A synthetic 40-item instrument (the example index's informants, scales, codes and domains,
with eight items per domain) is rated in 25,000 interview-rater sets of 40 ratings each:
1,000,000 ratings, a sixth of the interviews rated twice. The table is built in memory as text
cells and written to a CSV file, then

* ``read csv``: :func:`read_table` reads the file into a DataFrame (reported apart);
* ``check``: :func:`read_ratings` checks and normalises that DataFrame;
* ``score``: :func:`score` computes item, domain, principle and total scores, consensus,
  aggregates and informant gaps;
* ``check + score``: both, the figure held to at least 2,000,000 ratings per second;
* ``check + score, text columns``: the same from a DataFrame of plain text columns (as a
  caller might build one), which must first be factorised column by column;
* ``reference``: a plain ``groupby().mean()`` over the same rows, measured in the same run,
  so that figures from different machines can be compared by their ratio.

Run with ``python benchmarks/bench_scoring.py``. Steps use one core (numpy and pandas do not
spread these operations over threads).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.library import Library
from peerprinciples.core.ratings import RatingsTable, read_ratings, read_table
from peerprinciples.core.scoring import score

ITEMS_PER_DOMAIN = 8
SETS = 25_000
DOUBLE_RATED = 4_166  # interviews with a second rater: 20,834 interviews, 25,000 sets
TARGET = 2_000_000  # ratings per second for check + score


def bench_instrument() -> Instrument:
    """The example index grown to 40 items: eight per domain, asked of every informant."""
    example = Library().instrument("enrich-example-index")
    data = example.model_dump(mode="python")
    template = data["items"][0]
    informants = {
        key: template["informants"]["peer_worker"] for key in (i.key for i in example.informants)
    }
    items = []
    for d, domain in enumerate(example.domains):
        for k in range(ITEMS_PER_DOMAIN):
            items.append(
                {
                    **template,
                    "key": f"{domain.key[:3]}_{k + 1}",
                    "domain": domain.key,
                    "reverse": k == ITEMS_PER_DOMAIN - 1,
                    "required": not (k == ITEMS_PER_DOMAIN - 2 and d % 2 == 0),
                    "informants": informants,
                }
            )
    data.update(key="bench-index", version="1", items=items)
    return Instrument.model_validate(data)


def bench_ratings(instrument: Instrument, seed: int = 1, services: int = 20) -> pd.DataFrame:
    """1,000,000 ratings as text cells, in the long layout, over ``services`` services (the
    1,000 peer workers are shared out among them in turn)."""
    rng = np.random.default_rng(seed)
    n_items = len(instrument.items)
    n_interviews = SETS - DOUBLE_RATED
    set_interview = np.concatenate([np.arange(n_interviews), np.arange(DOUBLE_RATED)])
    set_rater = np.concatenate([rng.integers(0, 5, n_interviews), np.full(DOUBLE_RATED, 5)])
    informants = np.asarray([i.key for i in instrument.informants])
    interview_informant = rng.integers(0, len(informants), n_interviews)
    level = rng.normal(0, 0.6, n_interviews)
    latent = 3.2 + level[set_interview][:, None] + rng.normal(0, 1.0, (SETS, n_items))
    points = np.clip(np.rint(latent), 1, 5).astype(np.int64).astype(str).astype(object)
    points[rng.random(points.shape) < 0.02] = "II"
    points[rng.random(points.shape) < 0.01] = "NA"
    interview_ids = np.asarray([f"I{k:06d}" for k in range(n_interviews)], dtype=object)
    codes = np.asarray([f"S{k:02d}" for k in range(services)], dtype=object)
    workers = np.asarray([f"PW-{k:04d}" for k in range(1000)], dtype=object)
    worker = np.arange(n_interviews) % 1000
    rows = np.repeat(set_interview, n_items)
    return pd.DataFrame(
        {
            "interview": interview_ids[rows],
            "informant": informants.astype(object)[interview_informant[rows]],
            "item": np.tile(np.asarray([i.key for i in instrument.items], dtype=object), SETS),
            "rating": points.ravel(),
            "rater": np.asarray([f"R{k}" for k in range(6)], dtype=object)[
                np.repeat(set_rater, n_items)
            ],
            "service": codes[((worker * services) // 1000)[rows]],
            "peer_worker": workers[worker[rows]],
            "round": np.asarray(["1", "2"], dtype=object)[(np.arange(n_interviews) % 2)[rows]],
        }
    )


def _best(step: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """The shortest wall-clock and processor times of ``repeat`` runs, and the last result."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = step()
        cpu = min(cpu, time.process_time() - start_cpu)
        wall = min(wall, time.perf_counter() - start)
    return wall, cpu, result


def run(repeat: int = 5) -> list[dict[str, Any]]:
    """Time reading, checking and scoring 1,000,000 ratings, with a pandas reference.

    Each row gives the best of ``repeat`` runs as wall-clock ``seconds`` and as processor
    time on the one core used (``cpu_seconds``); rates and the ratio to the reference are
    computed from processor time, which other work on the machine disturbs less.
    """
    instrument = bench_instrument()
    text_frame = bench_ratings(instrument)
    n = len(text_frame)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ratings.csv"
        text_frame.to_csv(path, index=False)
        reading = _best(lambda: read_table(path), 1)
    frame = reading[2]
    assert isinstance(frame, pd.DataFrame)

    numeric = pd.to_numeric(text_frame["rating"], errors="coerce")
    reference_frame = text_frame[["interview", "rater"]].assign(value=numeric)
    reference = _best(
        lambda: reference_frame.groupby(["interview", "rater"], sort=False)["value"].mean(),
        repeat,
    )
    check = _best(lambda: read_ratings(frame, instrument), repeat)
    table = check[2]
    assert isinstance(table, RatingsTable)
    scoring = _best(lambda: score(table), repeat)
    both = _best(lambda: score(read_ratings(frame, instrument)), repeat)
    from_text = _best(lambda: score(read_ratings(text_frame, instrument)), 1)

    def row(name: str, timing: tuple[float, float, Any]) -> dict[str, Any]:
        wall, cpu, _ = timing
        return {
            "name": name,
            "ratings": n,
            "seconds": wall,
            "cpu_seconds": cpu,
            "items_per_s": n / cpu,
            "reference_seconds": reference[1],
            "ratio": cpu / reference[1],
        }

    results = [
        row("read csv (read_table)", reading),
        row("check (read_ratings)", check),
        row("score", scoring),
        row("check + score", both),
        row("check + score, text columns", from_text),
        row("reference groupby().mean()", reference),
    ]
    results[3]["target_items_per_s"] = TARGET
    results[3]["meets_target"] = results[3]["items_per_s"] >= TARGET
    return results


def main() -> int:
    """Print the benchmark as a table."""
    results = run()
    print(
        f"{'step':<30} {'ratings':>10} {'wall s':>8} {'cpu s':>8} {'ratings/cpu s':>14} "
        f"{'x reference':>12}"
    )
    for r in results:
        print(
            f"{r['name']:<30} {r['ratings']:>10,} {r['seconds']:>8.3f} {r['cpu_seconds']:>8.3f} "
            f"{r['items_per_s']:>14,.0f} {r['ratio']:>12.2f}"
        )
    both = results[3]
    verdict = "meets" if both["meets_target"] else "misses"
    print(f"check + score {verdict} the target of {TARGET:,} ratings per second of one core.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
