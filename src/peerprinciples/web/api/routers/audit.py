"""The audit trail, for the evaluation's leads: every recorded change, newest first."""

from datetime import UTC, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Router, Schema
from ninja.pagination import paginate

from peerprinciples.web.api.paging import Pages
from peerprinciples.web.api.problems import ERRORS
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.audit.services import trail
from peerprinciples.web.errors import InvalidInput
from peerprinciples.web.permissions import Action, access_for

router = Router(tags=["audit"])

AuditAction = Literal["create", "change", "delete", "export", "erase"]
"""What was done (:class:`AuditEvent.Action`)."""


class EventOut(Schema):
    """Who did what, when, to which object, with the state before and after."""

    id: int
    at: datetime
    user: str | None
    """The user name, or ``null`` for a change made by the system."""
    action: str
    object_type: str
    """The kind of object, as ``app.Model`` (``interviews.Interview``)."""
    object_id: str
    summary: str
    before: Any = None
    after: Any = None

    @staticmethod
    def resolve_user(event: AuditEvent) -> str | None:
        return event.user.get_username() if event.user is not None else None


@router.get("/", response={200: list[EventOut], **ERRORS}, summary="The audit trail")
@paginate(Pages)
def list_events(
    request: HttpRequest,
    evaluation_id: Path[int],
    since: datetime | None = None,
    until: datetime | None = None,
    action: AuditAction | None = None,
    object_type: str = "",
    person: str = "",
) -> QuerySet[AuditEvent]:
    """Newest first. ``since`` (included) and ``until`` (not included) are ISO 8601 times,
    read in the server's zone when they carry none, so one night's pull can start where the
    last one ended; ``action``, ``object_type`` (``transfers.ImportBatch``) and ``person``
    (a user name) narrow the list further."""
    access = access_for(request, evaluation_id, Action.VIEW_AUDIT)
    since, until = _aware(since, "since"), _aware(until, "until")
    if since is not None and until is not None and since >= until:
        raise InvalidInput({"query.until": "The end of the time range is not after its start."})
    events = trail(
        access.evaluation.pk,
        person=person,
        action=action or "",
        kind=object_type,
        since=since,
        until=until,
    )
    return events


def _aware(moment: datetime | None, field: str) -> datetime | None:
    """The time in UTC, read in the server's zone when it carries none."""
    if moment is None:
        return None
    try:
        aware = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        return aware.astimezone(UTC)
    except (OverflowError, ValueError):
        raise InvalidInput(
            {f"query.{field}": "This time is out of range; give one between the years 1 and 9999."}
        ) from None
