"""From a checked ratings table to scores and psychometrics.

:func:`analyse` scores the table by the instrument's rules and computes the quality summary
of every domain. The files a team shares are written from the result by
:mod:`peerprinciples.core.outputs`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.psychometrics import QualityReport, quality_summary
from peerprinciples.core.ratings import CONSENSUS_RATER, RatingsTable
from peerprinciples.core.scoring import Scores, score

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
