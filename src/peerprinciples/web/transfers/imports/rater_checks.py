"""Checks of who rated each interview and what they rated: one or two raters, each a
member who may rate for the interview's service, agreed ratings only beside two raters'
own, and every required item rated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from django.contrib.auth import get_user_model

from peerprinciples.core.ratings import CONSENSUS_RATER, RatingsTable, asked_matrix
from peerprinciples.web.evaluations.models import Evaluation, Membership
from peerprinciples.web.permissions import RULES, SERVICE_SCOPED, Action
from peerprinciples.web.transfers.imports.columns import IntArray, Interviews, RatingSets
from peerprinciples.web.transfers.imports.problems import ImportProblem, Problems, few


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


def check_raters_per_interview(
    interviews: Interviews,
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


def set_users(
    evaluation: Evaluation,
    user: Any,
    rater_names: list[str],
    sets: RatingSets,
    services: IntArray,
    interviews: Interviews,
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


def check_required(
    table: RatingsTable,
    sets: RatingSets,
    interviews: Interviews,
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
            f"item{plural} {few(keys)} unrated."
        )

    found.each(
        np.flatnonzero(missing.any(axis=1)),
        sets.rows,
        "item" if table.layout == "long" else "rater",
        message,
        "rate every required item, or give it a special code such as NA (not applicable) or "
        "II (insufficient information).",
    )
