"""Checking a ratings table against an evaluation, and writing it in one go.

The core has already checked the file itself (items, scales, codes, duplicates, interviews
that contradict themselves). :func:`plan_import` then checks it against the evaluation, the
way the rating pages would: every interview names a service of the evaluation that the
importing person covers, a round of the evaluation, a peer worker of that service who has
not withdrawn; its reference is new to the evaluation; its raters are members who may rate
for that service; every set of ratings rates every required item; at most two raters, and
agreed ratings only beside two raters' own. Each problem names the row and column of the
file (its first row for an interview or a set of ratings).

Everything works on whole columns (the table's categorical codes and numpy arrays), so a
million ratings are checked in about a second, with one query per kind of object.

:func:`write_import` then writes the interviews, rating sheets, ratings and agreed ratings
with PostgreSQL's ``COPY`` (``bulk_create`` elsewhere; the ratings as text built by pandas,
so a million go in seconds), with foreign keys checked once per table where the database
allows it (as the national seed does), and caches the scores of the final interviews
computed by the core exactly as
:func:`~peerprinciples.web.interviews.scores.refresh_scores` would. It must run inside the
caller's transaction, so that a failure anywhere leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from django.contrib.auth import get_user_model
from django.db import connection, models
from django.utils import timezone
from tqdm import tqdm

from peerprinciples.core.ratings import (
    CONSENSUS_RATER,
    RatingsTable,
    asked_matrix,
    first_rows,
    read_ratings,
)
from peerprinciples.core.scoring import score
from peerprinciples.web import seeding
from peerprinciples.web.evaluations.models import Evaluation, Membership, PeerWorker, Round, Service
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    InterviewScore,
    Rating,
    RatingSheet,
)
from peerprinciples.web.permissions import RULES, SERVICE_SCOPED, Action

MAX_LISTED = 200
"""At most this many problems are listed; the rest are counted."""

CODE_LENGTH = Interview._meta.get_field("code").max_length or 60
SCORE_CHUNK = 4_000
"""Interviews scored at a time (some 160,000 ratings of a 40-item index)."""
WRITE_CHUNK = 100_000
"""Ratings written at a time."""

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ImportProblem:
    """One problem, located by the row of the file (header = row 1) and the column."""

    row: int | None
    column: str
    message: str
    fix: str = ""

    def as_json(self) -> dict[str, Any]:
        """The problem as stored with an import batch."""
        return {"row": self.row, "column": self.column, "message": self.message, "fix": self.fix}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportProblem:
        """The problem stored by :meth:`as_json`."""
        return cls(data.get("row"), data.get("column", ""), data["message"], data.get("fix", ""))

    def __str__(self) -> str:
        place = ", ".join(
            part
            for part in (
                f"row {self.row}" if self.row else "",
                f"column '{self.column}'" if self.column else "",
            )
            if part
        )
        text = f"{place}: {self.message}" if place else self.message
        return f"{text} Fix: {self.fix}" if self.fix else text


class Problems:
    """Problems found so far: the first :data:`MAX_LISTED` by row, and how many in all.

    Only the problems that may still be among the first by row get their message written,
    so a file with a problem on every interview is reported as fast as one with a few.
    """

    def __init__(self) -> None:
        self.total = 0
        self._order = 0
        self._heap: list[tuple[int, int, ImportProblem]] = []  # (−row, −order, problem)

    def wants(self, row: int | None) -> bool:
        """Whether a problem on ``row`` would be listed."""
        return len(self._heap) < MAX_LISTED or (row or 0) < -self._heap[0][0]

    def add(self, problem: ImportProblem) -> None:
        """Count a problem, and list it if it is among the first by row."""
        self.total += 1
        self._keep(problem)

    def _keep(self, problem: ImportProblem) -> None:
        if not self.wants(problem.row):
            return
        self._order += 1
        entry = (-(problem.row or 0), -self._order, problem)
        if len(self._heap) < MAX_LISTED:
            heapq.heappush(self._heap, entry)
        else:
            heapq.heapreplace(self._heap, entry)

    def each(
        self,
        indices: npt.NDArray[np.int64],
        rows: npt.NDArray[np.int64],
        column: str,
        message: Callable[[int], str],
        fix: str,
    ) -> None:
        """One problem for each of ``indices``, on the row ``rows[index]``."""
        indices = np.asarray(indices, dtype=np.int64)
        self.total += len(indices)
        order = indices[np.argsort(rows[indices], kind="stable")]
        for index in order.tolist():
            row = int(rows[index])
            if not self.wants(row):
                break
            self._keep(ImportProblem(row, column, message(index), fix))

    def sorted(self) -> list[ImportProblem]:
        """The problems listed, by row."""
        return [p for _, _, p in sorted(self._heap, key=lambda e: (-e[0], -e[1]))]


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


# --- checking ------------------------------------------------------------------------------


def _categories(series: pd.Series) -> tuple[npt.NDArray[np.int64], list[str]]:
    """A categorical column's codes (−1 blank) and its categories as text."""
    codes = np.asarray(series.cat.codes.to_numpy(), dtype=np.int64)
    return codes, [str(c) for c in series.cat.categories]


def _allowed_services(user: Any, evaluation: Evaluation) -> set[int] | None:
    """The services the user may import for, or ``None`` for all of them."""
    member = Membership.objects.filter(evaluation=evaluation, user=user).first()
    if member is None or member.role not in RULES[Action.IMPORT_DATA]:
        return set()
    if member.role not in SERVICE_SCOPED:
        return None
    return set(member.services.values_list("pk", flat=True))


@dataclass(frozen=True)
class _Member:
    account: int
    role: str
    services: frozenset[int] | None  # None: every service


def _members(evaluation: Evaluation) -> dict[str, _Member]:
    """The evaluation's members by user name."""
    found: dict[str, _Member] = {}
    for member in (
        Membership.objects.filter(evaluation=evaluation)
        .select_related("user")
        .prefetch_related("services")
    ):
        scope = (
            frozenset(s.pk for s in member.services.all())
            if member.role in SERVICE_SCOPED
            else None
        )
        found[member.user.get_username()] = _Member(member.user_id, member.role, scope)
    return found


@dataclass
class _Interviews:
    """The interviews of the table: their references and first rows."""

    codes: list[str]
    first: IntArray  # position of each interview's first rating
    rows: IntArray  # the file row of each interview's first rating


@dataclass
class _Sets:
    """Sets of ratings (one interview and one rater, or its agreed ratings)."""

    interview: IntArray
    rater: IntArray  # category of the rater column
    agreed: npt.NDArray[np.bool_]
    rows: IntArray  # the file row of each set's first rating
    of_row: IntArray  # the set of each rating


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
    interview, codes = _categories(data["interview"].cat.remove_unused_categories())
    first = first_rows(interview, len(codes)).astype(np.int64)
    interviews = _Interviews(codes, first, rows[first])

    services = _interview_services(table, evaluation, user, interviews, found)
    rounds = _interview_rounds(table, evaluation, interviews, found)
    workers = _interview_workers(table, evaluation, services, interviews, found)
    _check_codes(evaluation, interviews, found)
    dates = _interview_dates(data, interviews, found)

    rater, rater_names = _categories(data["rater"])
    width = len(rater_names) + 1
    pairs, of_row = np.unique(interview * width + rater, return_inverse=True)
    of_row = of_row.astype(np.int64).ravel()
    consensus = rater_names.index(CONSENSUS_RATER) if CONSENSUS_RATER in rater_names else -2
    sets = _Sets(
        interview=pairs // width,
        rater=pairs % width,
        agreed=(pairs % width) == consensus,
        rows=rows[first_rows(of_row, len(pairs))],
        of_row=of_row,
    )
    n_raters = np.bincount(sets.interview[~sets.agreed], minlength=len(codes))
    agreed = np.bincount(sets.interview[sets.agreed], minlength=len(codes)) > 0
    _check_raters_per_interview(interviews, n_raters, agreed, found, as_importer=as_importer)
    set_user = _set_users(
        evaluation, user, rater_names, sets, services, interviews, found, as_importer=as_importer
    )
    _check_required(table, sets, interviews, rater_names, found)

    double = n_raters >= 2
    waiting = double & ~agreed
    informant_codes, informant_names = _categories(data["informant"])
    own_raters = {rater_names[r] for r in sets.rater[~sets.agreed].tolist()}
    counts = {
        "ratings": len(data),
        "interviews": len(codes),
        "sheets": int((~sets.agreed).sum()),
        "agreed_ratings": int(sets.agreed[of_row].sum()),
        "raters": (1 if len(own_raters) else 0) if as_importer else len(own_raters),
        "final": int((~waiting).sum()),
        "waiting_for_consensus": int(waiting.sum()),
        "double_rated": int(double.sum()),
        "services": len(set(services[services > 0].tolist())),
    }
    if found.total:
        return Checked(None, found.sorted(), found.total, counts)
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
        row_set=of_row,
        row_interview=interview,
        counts=counts,
    )
    return Checked(plan, [], 0, counts)


def _interview_services(
    table: RatingsTable,
    evaluation: Evaluation,
    user: Any,
    interviews: _Interviews,
    found: Problems,
) -> IntArray:
    """Each interview's Service pk (0 where there is a problem)."""
    by_code = {s.code: s for s in Service.objects.filter(evaluation=evaluation)}
    allowed = _allowed_services(user, evaluation)
    listed = _few(sorted(by_code))
    result = np.zeros(len(interviews.codes), dtype=np.int64)
    if "service" not in table.columns:
        only = next(iter(by_code.values())) if len(by_code) == 1 else None
        if only is not None and (allowed is None or only.pk in allowed):
            result[:] = only.pk
            return result
        found.add(
            ImportProblem(
                1,
                "service",
                "the file has no 'service' column, and this evaluation has "
                f"{len(by_code)} services, so it cannot tell which service each interview "
                "belongs to.",
                f"add a 'service' column with a service code ({listed}).",
            )
        )
        return result
    service_codes, names = _categories(table.data["service"])
    per_interview = service_codes[interviews.first]
    folded: dict[str, list[Service]] = {}
    for code, service in by_code.items():
        folded.setdefault(code.casefold(), []).append(service)
    for category, name in enumerate(names):
        here = np.flatnonzero(per_interview == category)
        # A REDCap data access group is written in lower case: any case matches one service.
        near = folded.get(name.casefold(), [])
        service = by_code.get(name) or (near[0] if len(near) == 1 else None)
        if service is None:
            found.each(
                here,
                interviews.rows,
                "service",
                lambda i, name=name: f"'{name}' is not a service of this evaluation.",
                f"use one of its service codes ({listed}), or ask the lead to add the service "
                "first.",
            )
        elif allowed is not None and service.pk not in allowed:
            found.each(
                here,
                interviews.rows,
                "service",
                lambda i, name=name: (
                    f"the service '{name}' is not among yours: you may "
                    "import ratings only for the services you coordinate."
                ),
                "remove this service's rows, or ask the evaluation's lead to import them.",
            )
        else:
            result[here] = service.pk
    found.each(
        np.flatnonzero(per_interview < 0),
        interviews.rows,
        "service",
        lambda i: "the service is empty.",
        f"write the code of the interview's service ({listed}).",
    )
    return result


def _interview_rounds(
    table: RatingsTable, evaluation: Evaluation, interviews: _Interviews, found: Problems
) -> IntArray:
    """Each interview's Round pk (0 where there is a problem)."""
    by_number = {r.number: r for r in Round.objects.filter(evaluation=evaluation)}
    numbers = ", ".join(str(n) for n in sorted(by_number)) or "none yet"
    result = np.zeros(len(interviews.codes), dtype=np.int64)
    if "round" not in table.columns:
        if len(by_number) == 1:
            result[:] = next(iter(by_number.values())).pk
            return result
        found.add(
            ImportProblem(
                1,
                "round",
                f"the file has no 'round' column, and this evaluation has {len(by_number)} "
                "rounds, so it cannot tell which round each interview belongs to.",
                f"add a 'round' column with the round's number ({numbers}).",
            )
        )
        return result
    round_codes, texts = _categories(table.data["round"])
    per_interview = round_codes[interviews.first]
    by_label = {_label_key(r.label): r for r in by_number.values() if r.label}
    for category, text in enumerate(texts):
        here = np.flatnonzero(per_interview == category)
        number = _whole_number(text)
        # A REDCap event (its arm removed) may name the round by its label, e.g. baseline.
        chosen = by_number.get(number) if number is not None else by_label.get(_label_key(text))
        if chosen is None:
            found.each(
                here,
                interviews.rows,
                "round",
                lambda i, text=text: f"'{text}' is not a round of this evaluation.",
                f"write the number of one of its rounds ({numbers}), or ask the lead to add "
                "the round first.",
            )
        else:
            result[here] = chosen.pk
    found.each(
        np.flatnonzero(per_interview < 0),
        interviews.rows,
        "round",
        lambda i: "the round is empty.",
        f"write the number of the interview's round ({numbers}).",
    )
    return result


def _label_key(text: str) -> str:
    """A round label as it is matched: case, spaces, '-' and '_' do not count."""
    return re.sub(r"[\s_-]+", "", text.casefold())


def _whole_number(text: str) -> int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def _interview_workers(
    table: RatingsTable,
    evaluation: Evaluation,
    services: IntArray,
    interviews: _Interviews,
    found: Problems,
) -> IntArray:
    """Each interview's PeerWorker pk (0 for none, or where there is a problem)."""
    result = np.zeros(len(interviews.codes), dtype=np.int64)
    if "peer_worker" not in table.columns:
        return result
    worker_codes, names = _categories(table.data["peer_worker"])
    per_interview = worker_codes[interviews.first]
    wanted = sorted(set(per_interview[per_interview >= 0].tolist()))
    by_code: dict[str, PeerWorker] = {}
    for begin in range(0, len(wanted), 5_000):
        chunk = [names[c] for c in wanted[begin : begin + 5_000]]
        by_code.update(
            (w.code, w)
            for w in PeerWorker.objects.filter(
                evaluation=evaluation, code__in=chunk
            ).select_related("service")
        )
    for category in wanted:
        name = names[category]
        here = per_interview == category
        worker = by_code.get(name)
        if worker is None:
            found.each(
                np.flatnonzero(here),
                interviews.rows,
                "peer_worker",
                lambda i, name=name: f"'{name}' is not a peer worker of this evaluation.",
                "correct the pseudonymous code, or ask the lead to add the peer worker first.",
            )
        elif worker.withdrawn:
            found.each(
                np.flatnonzero(here),
                interviews.rows,
                "peer_worker",
                lambda i, name=name: (
                    f"{name} has withdrawn consent, so no new interviews "
                    "about their support can be added."
                ),
                "remove the rows of their interviews.",
            )
        else:
            elsewhere = here & (services > 0) & (services != worker.service_id)
            found.each(
                np.flatnonzero(elsewhere),
                interviews.rows,
                "peer_worker",
                lambda i, worker=worker: (
                    f"{worker.code} works in the service "
                    f"'{worker.service.code}', not in the service of this interview."
                ),
                "correct the peer worker or the service.",
            )
            result[here & ~elsewhere] = worker.pk
    return result


def _check_codes(evaluation: Evaluation, interviews: _Interviews, found: Problems) -> None:
    """Interview references: short enough, and new to the evaluation."""
    codes = interviews.codes
    lengths = np.asarray([len(c) for c in codes], dtype=np.int64)
    found.each(
        np.flatnonzero(lengths > CODE_LENGTH),
        interviews.rows,
        "interview",
        lambda i: (
            f"the interview id '{codes[i][:20]}…' has {len(codes[i])} characters; at "
            f"most {CODE_LENGTH} fit."
        ),
        "use a shorter reference, such as I-0042.",
    )
    existing: dict[str, str] = {}
    for begin in range(0, len(codes), 5_000):
        existing.update(
            Interview.objects.filter(
                evaluation=evaluation, code__in=codes[begin : begin + 5_000]
            ).values_list("code", "status")
        )
    if not existing:
        return
    position = {code: i for i, code in enumerate(codes)}

    def message(i: int) -> str:
        status = existing[codes[i]]
        if status == Interview.Status.FINAL:
            return f"the evaluation already has an interview '{codes[i]}', and it is final: its "
            "ratings can no longer change."
        return (
            f"the evaluation already has an interview '{codes[i]}' "
            f"({Interview.Status(status).label.lower()}). An import only adds new interviews; "
            "it never changes or completes one already there."
        )

    found.each(
        np.asarray([position[code] for code in existing], dtype=np.int64),
        interviews.rows,
        "interview",
        message,
        "remove its rows if it was imported or rated before; if this is another interview, "
        "give it a reference of its own.",
    )


def _interview_dates(
    data: pd.DataFrame, interviews: _Interviews, found: Problems
) -> list[dt.date | None]:
    """Each interview's date (from its first row); none may lie in the future."""
    stamps = pd.DatetimeIndex(data["date"].to_numpy()[interviews.first])
    dates: list[dt.date | None] = [None if pd.isna(s) else s.date() for s in stamps]
    today = timezone.localdate()
    future = [i for i, day in enumerate(dates) if day is not None and day > today]
    found.each(
        np.asarray(future, dtype=np.int64),
        interviews.rows,
        "date",
        lambda i: f"the interview date {dates[i]} is in the future.",
        "correct the date (written YYYY-MM-DD).",
    )
    return dates


def _check_raters_per_interview(
    interviews: _Interviews,
    n_raters: IntArray,
    agreed: npt.NDArray[np.bool_],
    found: Problems,
    *,
    as_importer: bool,
) -> None:
    """One or two raters per interview; agreed ratings only beside two raters' own."""
    codes, rows = interviews.codes, interviews.rows
    found.each(
        np.flatnonzero(n_raters > 2),
        rows,
        "rater",
        lambda i: (
            f"interview '{codes[i]}' has {int(n_raters[i])} raters; an interview is rated "
            "by one rater, or by two who then agree their ratings."
        ),
        f"keep the ratings of two raters (and their agreed ratings, rater '{CONSENSUS_RATER}').",
    )
    found.each(
        np.flatnonzero((n_raters == 0) & agreed),
        rows,
        "rater",
        lambda i: f"interview '{codes[i]}' has agreed ratings but no rater's own ratings.",
        "add the two raters' ratings, or give the ratings the name of the rater who gave them.",
    )
    found.each(
        np.flatnonzero((n_raters == 1) & agreed),
        rows,
        "rater",
        lambda i: (
            f"interview '{codes[i]}' has agreed ratings (rater '{CONSENSUS_RATER}') but "
            "only one rater's own ratings; ratings are agreed between two raters."
        ),
        "add the second rater's ratings, or remove the agreed ratings.",
    )
    if as_importer:
        found.each(
            np.flatnonzero(n_raters == 2),
            rows,
            "rater",
            lambda i: (
                f"interview '{codes[i]}' has two raters, but every rating is to be "
                "recorded as yours, and one person rates an interview only once."
            ),
            "import without recording every rating as yours, so that each rater keeps their "
            "own ratings.",
        )


def _set_users(
    evaluation: Evaluation,
    user: Any,
    rater_names: list[str],
    sets: _Sets,
    services: IntArray,
    interviews: _Interviews,
    found: Problems,
    *,
    as_importer: bool,
) -> IntArray:
    """The account of each set's rater (−1 for agreed ratings), checked against the roles."""
    set_user = np.full(len(sets.rater), -1, dtype=np.int64)
    if as_importer:
        set_user[~sets.agreed] = user.pk
        return set_user
    members = _members(evaluation)
    strangers = [n for n in rater_names if n not in members and n != CONSENSUS_RATER]
    accounts = set(
        get_user_model().objects.filter(username__in=strangers).values_list("username", flat=True)
    )
    rate_roles = RULES[Action.RATE]
    fix = (
        "correct the rater's user name, add them to the evaluation as a rater for this "
        "service, or import with every rating recorded as yours."
    )
    set_service = services[sets.interview]
    for position in np.flatnonzero(~sets.agreed).tolist():
        name = rater_names[int(sets.rater[position])]
        member = members.get(name)
        message = ""
        if member is None:
            message = (
                f"'{name}' is not a member of this evaluation."
                if name in accounts
                else f"there is no account with the user name '{name}'."
            )
        elif member.role not in rate_roles:
            message = (
                f"{name} takes part as {Membership.Role(member.role).label.lower()}, a role that "
                "does not rate interviews."
            )
        elif member.services is not None and set_service[position] not in member.services:
            if set_service[position]:  # an unknown service is reported once, as such
                interview = interviews.codes[int(sets.interview[position])]
                message = f"{name} does not rate for the service of interview '{interview}'."
        else:
            set_user[position] = member.account
        if message:
            found.add(ImportProblem(int(sets.rows[position]), "rater", message, fix))
    return set_user


def _check_required(
    table: RatingsTable,
    sets: _Sets,
    interviews: _Interviews,
    rater_names: list[str],
    found: Problems,
) -> None:
    """Every set of ratings rates (or codes) every required item asked of its informant."""
    instrument = table.instrument
    items = instrument.items
    required = asked_matrix(instrument) & np.asarray([i.required for i in items])[None, :]
    data = table.data
    item_codes = np.asarray(data["item"].cat.codes.to_numpy(), dtype=np.int64)
    present = np.zeros((len(sets.rater), len(items)), dtype=bool)
    present[sets.of_row, item_codes] = True
    informant = np.asarray(data["informant"].cat.codes.to_numpy(), dtype=np.int64)
    set_informant = informant[interviews.first[sets.interview]]
    missing = required[set_informant] & ~present

    def message(i: int) -> str:
        keys = [items[j].key for j in np.flatnonzero(missing[i]).tolist()]
        who = rater_names[int(sets.rater[i])]
        whose = "the agreed ratings leave" if who == CONSENSUS_RATER else f"{who}'s ratings leave"
        plural = "s" if len(keys) > 1 else ""
        return (
            f"interview '{interviews.codes[int(sets.interview[i])]}': {whose} the required "
            f"item{plural} {_few(keys)} unrated."
        )

    found.each(
        np.flatnonzero(missing.any(axis=1)),
        sets.rows,
        "item" if table.layout == "long" else "rater",
        message,
        "rate every required item, or give it a special code such as NA (not applicable) or "
        "II (insufficient information).",
    )


def _few(values: Sequence[str], limit: int = 8) -> str:
    if not values:
        return "none"
    shown = ", ".join(values[:limit])
    return shown + (f" … ({len(values)} in all)" if len(values) > limit else "")


# --- writing -------------------------------------------------------------------------------


class _Writer:
    """Writes rows into tables: ``COPY`` on PostgreSQL, ``bulk_create`` elsewhere.

    :meth:`rows` sends Python values row by row (for the few thousand interviews and sheets);
    :meth:`frame` sends a whole table as COPY text built by pandas, which keeps a million
    ratings to a few seconds.
    """

    def __init__(self, progress: bool, total: int) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.bar = tqdm(
            total=total,
            desc="saving",
            unit="row",
            unit_scale=True,
            file=sys.stderr,
            disable=not progress or None,
        )

    def rows(self, model: type[models.Model], columns: dict[str, Sequence[Any]]) -> None:
        """Write columns of Python values (field name → values)."""
        fields = [model._meta.get_field(name) for name in columns]
        data = [c.tolist() if isinstance(c, np.ndarray) else list(c) for c in columns.values()]
        if self.postgres:
            for position, column in enumerate(fields):
                if isinstance(column, models.JSONField):
                    data[position] = [json.dumps(value) for value in data[position]]
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(self._sql(model, fields)) as copy,
            ):
                for row in zip(*data, strict=True):
                    copy.write_row(row)
        else:
            names = [f.attname for f in fields]  # type: ignore[union-attr]
            model._default_manager.bulk_create(
                [model(**dict(zip(names, row, strict=True))) for row in zip(*data, strict=True)],
                batch_size=500,
            )
        self.bar.update(len(data[0]) if data else 0)

    def frame(self, model: type[models.Model], frame: pd.DataFrame) -> None:
        """Write a table whose columns are field names, text columns free of tabs and breaks."""
        if not self.postgres:
            self.rows(
                model,
                {c: frame[c].astype(object).where(frame[c].notna(), None) for c in frame.columns},
            )
            return
        fields = [model._meta.get_field(name) for name in frame.columns]
        text = frame.to_csv(sep="\t", header=False, index=False, na_rep="\\N", lineterminator="\n")
        with connection.cursor() as cursor, cursor.cursor.copy(self._sql(model, fields)) as copy:
            copy.write(text)
        self.bar.update(len(frame))

    @staticmethod
    def _sql(model: type[models.Model], fields: list[Any]) -> str:
        quote = connection.ops.quote_name
        names = ", ".join(quote(f.column) for f in fields)
        return f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"

    def close(self) -> None:
        self.bar.close()


def _copy_text(values: Sequence[str]) -> list[str]:
    """Texts safe for COPY's text format (categories, so a handful of values)."""
    return [
        v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        for v in values
    ]


def write_import(
    plan: ImportPlan, evaluation: Evaluation, user: Any, *, progress: bool = False
) -> dict[str, int]:
    """Write everything the plan holds; call inside a transaction (see the module's text).

    Returns the counts of rows written: interviews, sheets, ratings, agreed ratings, scores.
    """
    data = plan.table.data
    n_interviews = len(plan.interview_codes)
    agreed_set = plan.set_user < 0
    sheet_sets = np.flatnonzero(~agreed_set)
    now = timezone.now()
    interview_ids = seeding._allocate(Interview, n_interviews)
    sheet_ids = seeding._allocate(RatingSheet, len(sheet_sets))
    sheet_of_set = np.full(len(plan.set_user), -1, dtype=np.int64)
    sheet_of_set[sheet_sets] = sheet_ids
    final = np.asarray([s == Interview.Status.FINAL for s in plan.interview_status], dtype=bool)
    total = n_interviews + len(sheet_sets) + len(data) + int(final.sum())
    checked_once = seeding._check_keys_once()
    writer = _Writer(progress, total)
    try:
        writer.rows(
            Interview,
            {
                "id": interview_ids,
                "evaluation": np.full(n_interviews, evaluation.pk),
                "service": plan.interview_service,
                "peer_worker": [int(w) if w else None for w in plan.interview_worker.tolist()],
                "round": plan.interview_round,
                "informant": plan.interview_informant,
                "date": plan.interview_date,
                "code": plan.interview_codes,
                "double_rated": plan.interview_double,
                "status": plan.interview_status,
                "version": np.ones(n_interviews, dtype=np.int64),
                "created_at": [now] * n_interviews,
                "created_by": np.full(n_interviews, user.pk),
            },
        )
        writer.rows(
            RatingSheet,
            {
                "id": sheet_ids,
                "interview": interview_ids[plan.set_interview[sheet_sets]],
                "rater": plan.set_user[sheet_sets],
                "status": [RatingSheet.Status.FINAL.value] * len(sheet_sets),
                "notes": [""] * len(sheet_sets),
                "version": np.full(len(sheet_sets), 2, dtype=np.int64),
                "updated_at": [now] * len(sheet_sets),
                "finalised_at": [now] * len(sheet_sets),
            },
        )
        own = _write_ratings(writer, plan, data, interview_ids, sheet_of_set, user, now)
        if checked_once:
            seeding._check_keys()
        scored = _write_scores(writer, plan, evaluation, interview_ids, final, now)
    finally:
        writer.close()
    if len(data) >= WRITE_CHUNK:
        seeding._analyse()
    return {
        "interviews": n_interviews,
        "sheets": len(sheet_sets),
        "ratings": own,
        "agreed_ratings": len(data) - own,
        "scores": scored,
    }


def _write_ratings(
    writer: _Writer,
    plan: ImportPlan,
    data: pd.DataFrame,
    interview_ids: IntArray,
    sheet_of_set: IntArray,
    user: Any,
    now: dt.datetime,
) -> int:
    """The raters' ratings and the agreed ratings, a chunk of rows at a time."""
    items = _categorical_texts(data["item"])
    codes = _categorical_texts(data["code"])
    agreed_set = plan.set_user < 0
    interview_of_row = plan.row_interview
    points = data["rating"].to_numpy()
    own_total = 0
    for begin in range(0, len(data), WRITE_CHUNK):
        part = slice(begin, begin + WRITE_CHUNK)
        sets = plan.row_set[part]
        agreed = agreed_set[sets]
        value = pd.array(points[part], dtype="Int64")  # NaN (a code) becomes missing
        item = items[data["item"].cat.codes.to_numpy()[part]]
        code = pd.Series(codes[data["code"].cat.codes.to_numpy()[part]]).fillna("").to_numpy()
        own = ~agreed
        if own.any():
            own_total += int(own.sum())
            writer.frame(
                Rating,
                pd.DataFrame(
                    {
                        "sheet": sheet_of_set[sets[own]],
                        "item": item[own],
                        "value": value[own],
                        "code": code[own],
                    }
                ),
            )
        if agreed.any():
            k = int(agreed.sum())
            writer.frame(
                ConsensusRating,
                pd.DataFrame(
                    {
                        "interview": interview_ids[interview_of_row[part][agreed]],
                        "item": item[agreed],
                        "value": value[agreed],
                        "code": code[agreed],
                        "reason": [""] * k,
                        "recorded_by": np.full(k, user.pk),
                        "recorded_at": pd.Series([now.isoformat()] * k, dtype="category"),
                    }
                ),
            )
    return own_total


def _categorical_texts(column: pd.Series) -> npt.NDArray[np.object_]:
    """A categorical column's categories made safe for COPY, then ``None`` for code −1."""
    texts = _copy_text([str(c) for c in column.cat.categories])
    return np.asarray([*texts, None], dtype=object)


def _write_scores(
    writer: _Writer,
    plan: ImportPlan,
    evaluation: Evaluation,
    interview_ids: IntArray,
    final: npt.NDArray[np.bool_],
    now: dt.datetime,
) -> int:
    """Score the final interviews with the core, a chunk at a time, and cache the scores.

    The ratings are handed to the core exactly as
    :func:`~peerprinciples.web.interviews.scores.refresh_scores` reads them back from the
    database (interviews by key, raters as ``rater-<account>``, agreed ratings as the
    consensus rater), so the cache equals what the rating pages would store.
    """
    data = plan.table.data
    instrument = plan.table.instrument
    interview_of_row = plan.row_interview
    rater_of_row = plan.set_user[plan.row_set]
    ratings = _rating_texts(data)
    informants = [str(c) for c in data["informant"].cat.categories]
    informant_codes = data["informant"].cat.codes.to_numpy()
    rater_keys, rater_codes = np.unique(rater_of_row, return_inverse=True)
    rater_names = [CONSENSUS_RATER if k < 0 else f"rater-{k}" for k in rater_keys.tolist()]
    scored = np.flatnonzero(final)
    stored = 0
    for begin in range(0, len(scored), SCORE_CHUNK):
        chunk = scored[begin : begin + SCORE_CHUNK]
        rows = np.flatnonzero(np.isin(interview_of_row, chunk))
        keys = interview_ids[chunk].astype(str).tolist()
        position = np.full(len(interview_ids), -1, dtype=np.int64)
        position[chunk] = np.arange(len(chunk))
        frame = pd.DataFrame(
            {
                "interview": pd.Categorical.from_codes(
                    position[interview_of_row[rows]], categories=keys
                ),
                "informant": pd.Categorical.from_codes(
                    informant_codes[rows], categories=informants
                ),
                "item": data["item"].iloc[rows].to_numpy(),
                "rating": ratings.iloc[rows].to_numpy(),
                "rater": pd.Categorical.from_codes(
                    rater_codes.ravel()[rows], categories=rater_names
                ),
            }
        )
        scores = score(
            read_ratings(frame, instrument, layout="long", name="interview ratings"),
            aggregate_by=[()],
            gap_by=[()],
        )
        domains, totals = seeding._by_interview(scores.final("domain"), scores.final("total"))
        workers = plan.interview_worker[chunk]
        writer.rows(
            InterviewScore,
            {
                "interview": interview_ids[chunk],
                "evaluation": np.full(len(chunk), evaluation.pk),
                "service": plan.interview_service[chunk],
                "round": plan.interview_round[chunk],
                "peer_worker": [int(w) if w else None for w in workers.tolist()],
                "informant": [plan.interview_informant[i] for i in chunk.tolist()],
                "domains": [domains.get(k, {}) for k in keys],
                "total": [totals.get(k) for k in keys],
                "computed_at": [now] * len(chunk),
            },
        )
        stored += len(chunk)
    return stored


def _rating_texts(data: pd.DataFrame) -> pd.Series:
    """Each rating as the rating pages store it: the point as text, or the special code."""
    codes = np.asarray(data["code"].cat.codes.to_numpy(), dtype=np.int64)
    points = np.nan_to_num(data["rating"].to_numpy(), nan=0).astype(np.int64)
    key = np.where(codes >= 0, -1 - codes, points)
    distinct, index = np.unique(key, return_inverse=True)
    names = [str(c) for c in data["code"].cat.categories]
    texts = [names[-1 - k] if k < 0 else str(k) for k in distinct.tolist()]
    return pd.Series(pd.Categorical.from_codes(index.ravel(), categories=texts))
