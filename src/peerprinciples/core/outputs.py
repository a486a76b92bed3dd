"""The files a team shares, written from an :class:`~peerprinciples.core.analysis.Analysis`.

:func:`write_outputs` writes ``scores.csv``, ``aggregates.csv``, ``informant_gaps.csv``,
``psychometrics.json`` and a self-contained ``report.html``. Files are written into a
temporary folder beside the target and moved into place only when all of them are complete,
so a failed run never leaves partial output.

This module sits above both the analysis and the report, which draws an analysis, so that
neither of those two needs the other's module to import it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peerprinciples import __version__
from peerprinciples.core.analysis import Analysis, Progress
from peerprinciples.core.report import render_report
from peerprinciples.core.scoring import TOTAL

PSYCHOMETRICS_SCHEMA_VERSION = "1.0"
OUTPUT_FILES = (
    "scores.csv",
    "aggregates.csv",
    "informant_gaps.csv",
    "psychometrics.json",
    "report.html",
)


def scores_frame(analysis: Analysis) -> pd.DataFrame:
    """``scores.csv``: one row per interview, set of ratings and domain (and the total)."""
    scores = analysis.scores
    domains = scores.domain_scores.copy()
    totals = scores.total_scores.copy()
    totals["domain"] = TOTAL
    totals["principles"] = ""
    columns = [
        "interview",
        "service",
        "peer_worker",
        "round",
        "informant",
        "rater",
        "final",
        "consensus_source",
        "domain",
        "principles",
        "n_expected",
        "n_rated",
        "share_rated",
        "score",
        "band",
    ]
    frame = pd.concat([domains, totals], ignore_index=True)
    present = [c for c in columns if c in frame.columns]
    return frame[present].sort_values(["interview", "rater", "domain"], kind="stable")


def psychometrics_document(analysis: Analysis) -> dict[str, Any]:
    """``psychometrics.json``: the documented, versioned quality summary."""
    table = analysis.table
    instrument = analysis.instrument
    return {
        "schema_version": PSYCHOMETRICS_SCHEMA_VERSION,
        "generated_by": f"peerprinciples {__version__}",
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "instrument": instrument.ref,
        "framework": analysis.framework.ref,
        "source": Path(table.source).name,
        "n_ratings": table.n_ratings,
        "n_interviews": table.n_interviews,
        "n_double_rated": analysis.quality.n_double_rated,
        "cases": "one case per interview: the first rater's item scores after reverse "
        "keying; all informants pooled. Agreement statistics use every double-rated "
        "interview's two raters, numbered first and second (ICC1).",
        "domains_to_principles": {d.key: d.principles for d in instrument.domains},
        "quality": _finite(analysis.quality.to_dict()),
        "notes": list(table.notes) + list(analysis.scores.notes),
    }


def _finite(value: Any) -> Any:
    """Replace NaN and infinities (not valid JSON) by null."""
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def write_outputs(
    analysis: Analysis, out_dir: Path, progress: Progress | None = None
) -> list[Path]:
    """Write every output file into ``out_dir`` all together, or none of them."""
    step = progress or (lambda _: None)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".peerprinciples-", dir=out_dir))
    try:
        step("writing tables")
        scores_frame(analysis).to_csv(staging / "scores.csv", index=False)
        analysis.scores.aggregates.to_csv(staging / "aggregates.csv", index=False)
        analysis.scores.informant_gaps.to_csv(staging / "informant_gaps.csv", index=False)
        (staging / "psychometrics.json").write_text(
            json.dumps(psychometrics_document(analysis), indent=2, allow_nan=False) + "\n",
            encoding="utf-8",
        )
        step("drawing the report")
        (staging / "report.html").write_text(render_report(analysis), encoding="utf-8")
        targets = []
        for name in OUTPUT_FILES:
            target = out_dir / name
            os.replace(staging / name, target)
            targets.append(target)
        return targets
    finally:
        shutil.rmtree(staging, ignore_errors=True)
