"""Working out the quality checks of an evaluation's final ratings.

The psychometrics page runs the core's quality summary over the final ratings themselves
(:func:`compute_quality`), exactly as the command line does. It reads every final rating
(about a million in a national evaluation, some seconds of work), so it is worked out when
the ratings change and stored (see :mod:`peerprinciples.web.results.store`), never while a
page waits.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peerprinciples.core.analysis import analyse
from peerprinciples.core.documents import DocumentError
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.psychometrics import (
    DomainQuality,
    ItemQuality,
    PsychometricsError,
    QualityFlag,
    QualityReport,
)
from peerprinciples.core.ratings import read_ratings
from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.interviews.scores import final_ratings

QUALITY_MIN_INTERVIEWS = 10
"""Final interviews the quality checks need before they are shown. With fewer, alpha and the
other statistics swing so widely from one interview to the next that they say nothing (the
core computes them from two cases, where alpha can come out as −3)."""


@dataclass(frozen=True)
class ItemRow:
    """One item of a domain with its question and quality statistics."""

    key: str
    question: str
    quality: ItemQuality


@dataclass(frozen=True)
class DomainRow:
    """One domain's quality statistics with the words a reader needs."""

    key: str
    title: str
    quality: DomainQuality
    items: tuple[ItemRow, ...]

    @property
    def flags(self) -> tuple[QualityFlag, ...]:
        """The domain's flags, then its items'."""
        return self.quality.all_flags


@dataclass(frozen=True)
class Quality:
    """The quality summary of an evaluation's final ratings, or why there is none yet."""

    n_interviews: int
    problem: str = ""
    """Why there is no summary, in plain words (empty when there is one)."""
    details: tuple[str, ...] = ()
    """What exactly the core could not accept, one problem each."""
    too_few: bool = False
    """Whether the reason is simply that too few interviews are final yet."""
    report: QualityReport | None = None
    domains: tuple[DomainRow, ...] = ()

    @property
    def n_double_rated(self) -> int:
        """Interviews rated by two raters that the agreement statistics use."""
        return self.report.n_double_rated if self.report else 0


def _rater_rank(rater: object) -> float:
    number = str(rater).removeprefix("rater-")
    return float(number) if number.isdigit() else math.inf  # the consensus comes last


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    # One case per interview is its first rater's ratings: make "first" mean the rater with
    # the lowest account number, so the page does not depend on the database's row order.
    # A national evaluation has about a million rows but only a few thousand raters and tens
    # of thousands of interviews, so each distinct value is converted once.
    rank = _per_distinct(frame["rater"], _rater_rank)
    interview = _per_distinct(frame["interview"], _as_number)
    return frame.iloc[np.lexsort((rank, interview))].reset_index(drop=True)


def _as_number(value: object) -> float:
    try:
        return float(str(value))
    except ValueError:
        return math.nan


def _per_distinct(column: pd.Series, convert: Callable[[object], float]) -> np.ndarray:
    """``convert`` applied to every value of ``column``, working out each distinct one once."""
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    return np.array([convert(value) for value in distinct], dtype=float)[codes]


def compute_quality(evaluation: Evaluation) -> Quality:
    """The core's quality summary over the evaluation's final ratings.

    The same analysis as the command line's ``psychometrics.json``: one case per interview
    (its first rater's item scores after reverse keying, all informants pooled) for spread
    and internal consistency, and both raters of every double-rated interview for agreement
    (ICC1, raters numbered first and second). Problems with the data come back as
    ``problem`` in plain words rather than as an error.
    """
    interviews = list(
        Interview.objects.filter(evaluation=evaluation, status=Interview.Status.FINAL).only(
            "pk", "informant"
        )
    )
    count = len(interviews)
    if not interviews:
        return Quality(0, "No interview is final yet, so there is nothing to check.", too_few=True)
    if count < QUALITY_MIN_INTERVIEWS:
        return Quality(
            count,
            f"The quality checks need at least {QUALITY_MIN_INTERVIEWS} final interviews to "
            f"say anything useful; this evaluation has {count} so far.",
            too_few=True,
        )
    frame = _ordered(final_ratings(interviews))
    instrument = evaluation.instrument.model()
    try:
        table = read_ratings(frame, instrument, layout="long", name="the final ratings")
        analysis = analyse(table, evaluation.framework.model())
    except DocumentError as error:
        return Quality(
            count,
            "Some final ratings do not fit the fidelity index, so the checks cannot be "
            "worked out until they are corrected:",
            details=_problems(error, frame),
        )
    except PsychometricsError as error:
        return Quality(
            count, "The checks cannot be worked out from these ratings:", details=(str(error),)
        )
    return Quality(
        len(interviews),
        report=analysis.quality,
        domains=tuple(_domain_row(instrument, d) for d in analysis.quality.domains),
    )


def _problems(error: DocumentError, frame: pd.DataFrame) -> tuple[str, ...]:
    """Each problem of the core, placed by interview reference rather than by table row."""

    def interview_at(line: int | None) -> int | None:
        # The core numbers rows as a spreadsheet does: the header is row 1.
        if line is None or not 2 <= line < len(frame) + 2:
            return None
        return int(str(frame["interview"].iat[line - 2]))

    places = [interview_at(problem.line) for problem in error.problems]
    codes = dict(
        Interview.objects.filter(pk__in=[p for p in places if p]).values_list("pk", "code")
    )
    return tuple(
        (f"Interview {codes.get(pk, pk)}: " if pk else "")
        + problem.message
        + (f" To put it right: {problem.fix}" if problem.fix else "")
        for problem, pk in zip(error.problems, places, strict=True)
    )


def _domain_row(instrument: Instrument, quality: DomainQuality) -> DomainRow:
    domain = instrument.domain(quality.domain)
    items = []
    for entry in quality.items:
        item = instrument.item(entry.item)
        question = next(iter(item.informants.values())).question
        items.append(ItemRow(entry.item, question, entry))
    return DomainRow(quality.domain, domain.title, quality, tuple(items))
