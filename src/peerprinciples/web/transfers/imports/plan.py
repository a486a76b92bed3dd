"""Checking a ratings table against an evaluation: the plan of what an import would create.

The core has already checked the file itself (items, scales, codes, duplicates, interviews
that contradict themselves). :func:`plan_import` then checks it against the evaluation, the
way the rating pages would (see :mod:`.interview_checks` and :mod:`.rater_checks`), and
either lists the problems or returns everything :func:`~.writing.write_import` needs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from peerprinciples.core.ratings import CONSENSUS_RATER, RatingsTable, first_rows
from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.transfers.imports.columns import (
    IntArray,
    Interviews,
    RatingSets,
    categories,
)
from peerprinciples.web.transfers.imports.interview_checks import (
    check_codes,
    interview_dates,
    interview_rounds,
    interview_services,
    interview_workers,
)
from peerprinciples.web.transfers.imports.problems import ImportProblem, Problems
from peerprinciples.web.transfers.imports.rater_checks import (
    check_raters_per_interview,
    check_required,
    set_users,
)


@dataclass
class ImportPlan:
    """What an import would create: everything :func:`write_import` needs, as arrays.

    Interviews are numbered as the table's interview categories, sets of ratings (one
    interview and one rater, or its agreed ratings) as found in the table.
    """

    table: RatingsTable
    interview_codes: list[str]
    interview_service: IntArray  # Service pk
    interview_round: IntArray  # Round pk
    interview_worker: IntArray  # PeerWorker pk, 0 for none
    interview_informant: list[str]
    interview_date: list[dt.date | None]
    interview_status: list[str]
    interview_double: npt.NDArray[np.bool_]
    set_interview: IntArray
    set_user: IntArray  # the rater's account pk, −1 for the agreed ratings
    row_set: IntArray  # the set of each rating row
    row_interview: IntArray  # the interview of each rating row
    counts: dict[str, int]


@dataclass
class Checked:
    """The outcome of checking a table against an evaluation."""

    plan: ImportPlan | None
    problems: list[ImportProblem]
    total: int
    counts: dict[str, int]

    @property
    def ok(self) -> bool:
        """Whether the whole file may be saved."""
        return self.plan is not None and self.total == 0


def plan_import(
    table: RatingsTable, evaluation: Evaluation, user: Any, *, as_importer: bool = False
) -> Checked:
    """Check a core-checked ratings table against the evaluation; see the module's text.

    Parameters
    ----------
    table
        The file, read and checked by the core.
    evaluation
        Where the ratings would go.
    user
        The importing person: a lead, or a coordinator (then only for their services).
    as_importer
        Record every rating as the importing person's, whatever the file's rater column
        says (each interview may then have one rater's ratings only).

    Returns
    -------
    Checked
        The plan when nothing is wrong, the problems (first 200 by row) and their count, and
        counts of what the file holds.
    """
    data = table.data
    found = Problems()
    rows = data["row"].to_numpy(dtype=np.int64)
    # A wide row with an interview id but no rating leaves an interview without ratings.
    interview, codes = categories(data["interview"].cat.remove_unused_categories())
    first = first_rows(interview, len(codes)).astype(np.int64)
    interviews = Interviews(codes, first, rows[first])

    services = interview_services(table, evaluation, user, interviews, found)
    rounds = interview_rounds(table, evaluation, interviews, found)
    workers = interview_workers(table, evaluation, services, interviews, found)
    check_codes(evaluation, interviews, found)
    dates = interview_dates(data, interviews, found)

    rater, rater_names = categories(data["rater"])
    sets = _rating_sets(interview, rater, rater_names, rows)
    n_raters = np.bincount(sets.interview[~sets.agreed], minlength=len(codes))
    agreed = np.bincount(sets.interview[sets.agreed], minlength=len(codes)) > 0
    check_raters_per_interview(interviews, n_raters, agreed, found, as_importer=as_importer)
    set_user = set_users(
        evaluation, user, rater_names, sets, services, interviews, found, as_importer=as_importer
    )
    check_required(table, sets, interviews, rater_names, found)

    double = n_raters >= 2
    waiting = double & ~agreed
    counts = _counts(len(data), sets, rater_names, services, double, waiting, as_importer)
    if found.total:
        return Checked(None, found.sorted(), found.total, counts)
    informant_codes, informant_names = categories(data["informant"])
    status = np.where(waiting, Interview.Status.CONSENSUS.value, Interview.Status.FINAL.value)
    plan = ImportPlan(
        table=table,
        interview_codes=codes,
        interview_service=services,
        interview_round=rounds,
        interview_worker=workers,
        interview_informant=[informant_names[i] for i in informant_codes[first].tolist()],
        interview_date=dates,
        interview_status=[str(s) for s in status.tolist()],
        interview_double=double,
        set_interview=sets.interview.astype(np.int64),
        set_user=set_user,
        row_set=sets.of_row,
        row_interview=interview,
        counts=counts,
    )
    return Checked(plan, [], 0, counts)


def _rating_sets(
    interview: IntArray, rater: IntArray, rater_names: list[str], rows: IntArray
) -> RatingSets:
    """One set per interview and rater; an interview's agreed ratings are a set of their own."""
    width = len(rater_names) + 1
    pairs, of_row = np.unique(interview * width + rater, return_inverse=True)
    of_row = of_row.astype(np.int64).ravel()
    consensus = rater_names.index(CONSENSUS_RATER) if CONSENSUS_RATER in rater_names else -2
    return RatingSets(
        interview=pairs // width,
        rater=pairs % width,
        agreed=(pairs % width) == consensus,
        rows=rows[first_rows(of_row, len(pairs))],
        of_row=of_row,
    )


def _counts(
    n_ratings: int,
    sets: RatingSets,
    rater_names: list[str],
    services: IntArray,
    double: npt.NDArray[np.bool_],
    waiting: npt.NDArray[np.bool_],
    as_importer: bool,
) -> dict[str, int]:
    """What the file holds, as the preview shows it."""
    own_raters = {rater_names[r] for r in sets.rater[~sets.agreed].tolist()}
    return {
        "ratings": n_ratings,
        "interviews": len(double),
        "sheets": int((~sets.agreed).sum()),
        "agreed_ratings": int(sets.agreed[sets.of_row].sum()),
        "raters": (1 if len(own_raters) else 0) if as_importer else len(own_raters),
        "final": int((~waiting).sum()),
        "waiting_for_consensus": int(waiting.sum()),
        "double_rated": int(double.sum()),
        "services": len(set(services[services > 0].tolist())),
    }
