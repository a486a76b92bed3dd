"""The peer workers' right of reply to a cycle's draft report, and its release.

A peer worker whose account is linked to a code in the service replies to the draft report
about one principle or about the whole report; the reply is filed under their code and
shown beside what it answers. A lead releases the report once the cycle is finished and the
reply window (``Cycle.replies_until``) has come; after release no reply is taken. Replies
are audited without their text, which stays in the report only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils import dateformat, timezone

from peerprinciples.web.audit.services import record
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.evaluations.models import PeerWorker
from peerprinciples.web.reflection.models import Cycle, Reply

REPLY_LIMIT = 5000
"""The longest reply taken, in characters: room for a considered answer, not a document."""


def long_date(day: dt.date | dt.datetime) -> str:
    """A day as the pages write it: "3 December 2026" (a moment in the local time zone)."""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day)
    return dateformat.format(day, "j F Y")


@dataclass(frozen=True)
class ReleaseState:
    """Where a cycle's report stands on its way to release, as the pages say it."""

    replies: int
    """How many replies the draft received (a count only, never their text)."""
    released: bool
    ready: bool
    """Whether a lead may release the report today."""
    waiting: str
    """Why the report cannot be released yet, and from when; empty once it can (or was)."""

    @property
    def replies_said(self) -> str:
        """The count of replies in words: "no reply yet", "1 reply", "3 replies"."""
        if not self.replies:
            return "no reply yet"
        return f"{self.replies} repl{'y' if self.replies == 1 else 'ies'}"


def waiting_for(cycle: Cycle, today: dt.date | None = None) -> str:
    """Why the cycle's report cannot be released today, and from when ("" when it can)."""
    today = today or timezone.localdate()
    if cycle.report_status == Cycle.Report.RELEASED:
        return ""
    if cycle.status != Cycle.Status.FINISHED:
        return (
            "The cycle is still open: finish it first, so peer workers can reply to the "
            "whole report before it is released."
        )
    if cycle.replies_until is not None and today < cycle.replies_until:
        return (
            f"Peer workers can reply until {long_date(cycle.replies_until)}: the report "
            "can be released from that day on."
        )
    return ""


def reply_counts(cycles: Iterable[Cycle]) -> dict[int, int]:
    """Cycle id -> how many replies its draft received, in one query."""
    found = (
        Reply.objects.filter(cycle__in=[c.pk for c in cycles])
        .values("cycle_id")
        .annotate(n=Count("pk"))
    )
    return {row["cycle_id"]: row["n"] for row in found}


def release_states(
    cycles: Iterable[Cycle], today: dt.date | None = None
) -> dict[int, ReleaseState]:
    """Cycle id -> where its report stands on the way to release."""
    cycles = list(cycles)
    counts = reply_counts(cycles)
    states = {}
    for cycle in cycles:
        waiting = waiting_for(cycle, today)
        released = cycle.report_status == Cycle.Report.RELEASED
        states[cycle.pk] = ReleaseState(
            counts.get(cycle.pk, 0), released, not released and not waiting, waiting
        )
    return states


def release_state(cycle: Cycle, today: dt.date | None = None) -> ReleaseState:
    """Where the cycle's report stands on its way to release."""
    return release_states([cycle], today)[cycle.pk]


def _locked(cycle: Cycle) -> Cycle:
    return Cycle.objects.select_for_update().get(pk=cycle.pk)


@transaction.atomic
def reply(user: Any, cycle: Cycle, *, worker: PeerWorker, about: str, text: str) -> Reply:
    """Add a peer worker's reply to the cycle's draft report.

    ``about`` is a principle (or theme) key of the cycle's guide, or ``""`` for the whole
    report. Refused once the report is released, for a code of another service, and for an
    empty or overlong text.
    """
    current = _locked(cycle)
    if current.report_status == Cycle.Report.RELEASED:
        raise DomainError(
            "This report was released, so it no longer takes replies. Talk to the lead or "
            "the facilitator if something in it needs putting right."
        )
    if worker.service_id != current.service_id:
        raise DomainError("Only peer workers of the cycle's own service can reply to it.")
    problems = {}
    about = about.strip()
    if about and about not in current.guide.model().questions:
        problems["about"] = "Choose a principle of this report, or the report as a whole."
    text = text.strip()
    if not text:
        problems["text"] = "Write your reply before sending it."
    elif len(text) > REPLY_LIMIT:
        problems["text"] = f"Keep the reply under {REPLY_LIMIT} characters."
    if problems:
        raise InvalidInput(problems)
    answer = Reply.objects.create(
        cycle=current, peer_worker=worker, about=about, text=text, created_by=user
    )
    record(
        user,
        "create",
        answer,
        evaluation_id=current.evaluation_id,
        summary=f"A peer worker replied to the draft report of {current.service.code} "
        f"({'about ' + about if about else 'about the whole report'})",
        after={"id": answer.pk, "cycle": current.pk, "about": about},
    )
    return answer


@transaction.atomic
def release(user: Any, cycle: Cycle, *, today: dt.date | None = None) -> Cycle:
    """Release the cycle's report: only a finished cycle, and only once the reply window
    has come (from ``replies_until`` on). Releasing twice is refused."""
    current = _locked(cycle)
    today = today or timezone.localdate()
    if current.report_status == Cycle.Report.RELEASED:
        on = f" on {long_date(current.released_at)}" if current.released_at else ""
        raise DomainError(f"This report was already released{on}.")
    waiting = waiting_for(current, today)
    if waiting:
        raise DomainError(waiting)
    current.report_status = Cycle.Report.RELEASED
    current.released_at = timezone.now()
    current.released_by = user
    current.version += 1
    current.save(update_fields=["report_status", "released_at", "released_by", "version"])
    record(
        user,
        "change",
        current,
        evaluation_id=current.evaluation_id,
        summary=f"Released the reflection report of {current.service.code} in {current.round}",
        after={"id": current.pk, "report_status": current.report_status},
    )
    return current
