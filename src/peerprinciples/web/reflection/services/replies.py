"""The peer workers' right of reply to a cycle's draft report, and its release.

A peer worker whose account is linked to a code in the service replies to the draft report
about one principle or about the whole report; the reply is filed under their code and
shown beside what it answers. A lead releases the report once the cycle is finished and the
reply window (``Cycle.replies_until``) has come; after release no reply is taken. Replies
are audited without their text, which stays in the report only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerprinciples.web.audit.services import record
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.evaluations.models import PeerWorker
from peerprinciples.web.reflection.models import Cycle, Reply

REPLY_LIMIT = 5000
"""The longest reply taken, in characters: room for a considered answer, not a document."""


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
        released = timezone.localtime(current.released_at) if current.released_at else None
        on = f" on {released:%-d %B %Y}" if released else ""
        raise DomainError(f"This report was already released{on}.")
    if current.status != Cycle.Status.FINISHED:
        raise DomainError(
            "The cycle is still open: finish it first, so peer workers can reply to the "
            "whole report before it is released."
        )
    if current.replies_until is not None and today < current.replies_until:
        raise DomainError(
            f"Peer workers can reply until {current.replies_until:%-d %B %Y}: the report "
            "can be released from that day on."
        )
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
