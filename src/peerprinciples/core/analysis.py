"""From a checked ratings table to scores, psychometrics and the files a team shares.

:func:`analyse` scores the table by the instrument's rules and computes the quality summary
of every domain; :func:`write_outputs` writes ``scores.csv``, ``aggregates.csv``,
``informant_gaps.csv``, ``psychometrics.json`` and a self-contained ``report.html``. Files are
written into a temporary folder beside the target and moved into place only when all of them
are complete, so a failed run never leaves partial output.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from peerprinciples import __version__
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.psychometrics import QualityReport, quality_summary
from peerprinciples.core.ratings import CONSENSUS_RATER, RatingsTable
from peerprinciples.core.scoring import TOTAL, Scores, score

PSYCHOMETRICS_SCHEMA_VERSION = "1.0"
OUTPUT_FILES = (
    "scores.csv",
    "aggregates.csv",
    "informant_gaps.csv",
    "psychometrics.json",
    "report.html",
)
Progress = Callable[[str], None]


@dataclass(frozen=True)
class Analysis:
    """Everything computed from one ratings table."""

    table: RatingsTable
    framework: Framework
    scores: Scores
    quality: QualityReport
    item_matrix: pd.DataFrame
    """Item scores after reverse keying, one row per interview (its first rater's), one column
    per item: the cases for internal consistency and spread."""

    @property
    def instrument(self) -> Instrument:
        """The instrument the ratings were given on."""
        return self.table.instrument


def _item_matrix(scores: Scores) -> pd.DataFrame:
    # One case per interview: its first rater's own item scores. Consensus scores can be the
    # mean of two ratings (3.5), which is not a point of the scale that spread is counted on.
    items = scores.item_scores
    own = items[(items["rater"] != CONSENSUS_RATER).to_numpy()]
    first = own.groupby("interview", observed=True)["rater"].transform("first")
    items = own[(own["rater"] == first).to_numpy()]
    matrix = items.pivot_table(
        index="interview", columns="item", values="score", aggfunc="first", observed=True
    )
    order = [i.key for i in scores.instrument.items if i.key in matrix.columns]
    return matrix.reindex(columns=order)


def _agreement_frame(scores: Scores) -> pd.DataFrame | None:
    """Each rater's own item scores for interviews with two or more raters, one row per rating.

    Different people rate different interviews, so raters are numbered within each interview
    (first, second) rather than named.
    """
    items = scores.item_scores
    own = items[(items["rater"] != CONSENSUS_RATER).to_numpy()]
    if own.empty:
        return None
    wide = own.pivot_table(
        index=["interview", "rater"], columns="item", values="score", aggfunc="first", observed=True
    ).reset_index()
    raters_per_interview = wide.groupby("interview", observed=True)["rater"].transform("size")
    wide = wide[(raters_per_interview >= 2).to_numpy()].copy()
    if wide.empty:
        return None
    wide["rating_order"] = wide.groupby("interview", observed=True).cumcount() + 1
    wide["interview"] = wide["interview"].astype(str)
    return wide.drop(columns=["rater"])


def analyse(
    table: RatingsTable, framework: Framework, progress: Progress | None = None
) -> Analysis:
    """Score a checked ratings table and summarise the quality of every domain and item."""
    step = progress or (lambda _: None)
    instrument = table.instrument
    step("scoring")
    scores = score(table)
    step("psychometrics")
    matrix = _item_matrix(scores)
    domains = {
        d.key: [i.key for i in instrument.items_in(d.key) if i.key in matrix.columns]
        for d in instrument.domains
    }
    domains = {k: v for k, v in domains.items() if v}
    scale = instrument.scale(instrument.items[0].scale)
    agreement = _agreement_frame(scores)
    quality = quality_summary(
        matrix.reset_index(drop=True),
        domains,
        scale_min=scale.min,
        scale_max=scale.max,
        agreement_data=agreement,
        targets="interview" if agreement is not None else None,
        raters="rating_order" if agreement is not None else None,
        icc_form="ICC1",
    )
    return Analysis(table, framework, scores, quality, matrix)


# --- output files ---------------------------------------------------------------------------


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
    from peerprinciples.core.report import render_report

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
