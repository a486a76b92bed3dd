"""Recording changes in the append-only audit trail, and reading it back filtered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.forms.models import model_to_dict
from django.utils import timezone

from peerprinciples.web.audit import chain
from peerprinciples.web.audit.models import AuditEvent

CHAIN_LOCK = 0x7070_6175_6469_7431
"""The PostgreSQL advisory lock that one transaction at a time holds to append to the trail."""

REDACT_BATCH = 500


def snapshot(instance: models.Model) -> dict[str, Any]:
    """A JSON-ready picture of a model instance's fields."""
    data = model_to_dict(instance)
    data["id"] = instance.pk
    return {key: _jsonable(value) for key, value in data.items()}


def _jsonable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def record(
    user: Any,
    action: str,
    instance: models.Model,
    *,
    evaluation_id: int | None,
    summary: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event; call inside the same transaction as the change it records."""
    return _append(
        user=user,
        evaluation_id=evaluation_id,
        action=action,
        object_type=instance._meta.label,
        object_id=str(instance.pk),
        summary=summary,
        before=before,
        after=after if after is not None else (snapshot(instance) if action != "delete" else None),
    )


def record_erasure(user: Any, *, evaluation_id: int | None, kind: str, summary: str) -> AuditEvent:
    """Append the tombstone of an erasure on request: the kind of thing erased (a model
    label such as ``evaluations.PeerWorker``), by whom and when, and a summary that must say
    nothing of what was erased (no code, no text). Call inside the erasing transaction."""
    return _append(
        user=user,
        evaluation_id=evaluation_id,
        action=AuditEvent.Action.ERASE,
        object_type=kind,
        object_id="",
        summary=summary,
        before=None,
        after=None,
    )


def _append(
    *,
    user: Any,
    evaluation_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    summary: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEvent:
    """The one place an event is written: every event goes through here.

    The event takes the next sequence number and links to the last event's chain hash, so
    two transactions must never read the same last event. On PostgreSQL the transaction
    takes an advisory lock first and holds it until it commits or rolls back; on SQLite
    every transaction already holds the database's write lock from its start (settings:
    ``transaction_mode="IMMEDIATE"``), so writers are serialised anyway.

    What the lock costs on PostgreSQL: from its first event to its commit, a transaction
    that records a change waits for, and makes wait, every other transaction that records
    one, across all evaluations. Most such transactions are short (a form saved) and the
    wait is one of theirs; a long import holds the trail for its whole transaction, and so
    it records its one event last. A transaction that, after recording, waits for a row
    another recording transaction holds can deadlock with it; PostgreSQL then cancels one
    of the two after a second, which fails like any other lost race (the page asks to try
    again). Record at the end of a transaction, after taking row locks.
    """
    # No savepoint: an event that cannot be written fails the change it records, whole.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "chain_hash").first()
        seq, previous = (last[0] + 1, last[1]) if last else (1, chain.GENESIS)
        author = user if getattr(user, "is_authenticated", False) else None
        content = {
            "at": timezone.now(),
            "user_id": author.pk if author is not None else None,
            "evaluation_id": evaluation_id,
            "action": str(action),
            "object_type": object_type,
            "object_id": object_id,
            "summary": summary[:300],
            "before": chain.stored_form(before),
            "after": chain.stored_form(after),
        }
        digest = chain.content_hash(**content)
        return AuditEvent.objects.create(
            **content, seq=seq, content_hash=digest, chain_hash=chain.link(previous, digest)
        )


def redact(
    evaluation_id: int,
    model: type[models.Model],
    object_ids: Iterable[Any],
    summary: str,
    *,
    user: Any = None,
) -> int:
    """Remove what earlier events said about these objects, keeping each event, its author
    and its time; returns how many events were changed.

    The one exception to the trail being append-only: when a person withdraws and their
    data are erased or anonymised, the trail must not keep what was removed (references,
    ratings, notes). Call inside the transaction that removes the data.

    Each event keeps its hashes and is marked ``redacted``; then one event of the action
    ``redact`` (by ``user`` when given) names the redacted events by sequence number, so
    that checking the chain accepts their changed content (:mod:`.chain`). Nothing else
    may change an event: the database's triggers allow exactly this update.
    """
    keys = [str(pk) for pk in object_ids]
    if not keys:
        return 0
    label = model._meta.label
    with transaction.atomic(savepoint=False):
        seqs: list[int] = []
        for start in range(0, len(keys), REDACT_BATCH):
            seqs += list(
                AuditEvent.objects.filter(
                    evaluation_id=evaluation_id,
                    object_type=label,
                    object_id__in=keys[start : start + REDACT_BATCH],
                ).values_list("seq", flat=True)
            )
        seqs.sort()
        for start in range(0, len(seqs), REDACT_BATCH):
            AuditEvent.objects.filter(seq__in=seqs[start : start + REDACT_BATCH]).update(
                summary=summary[:300], before=None, after=None, redacted=True
            )
        if seqs:
            plural = "" if len(seqs) == 1 else "s"
            _append(
                user=user,
                evaluation_id=evaluation_id,
                action=AuditEvent.Action.REDACT,
                object_type=label,
                object_id="",
                summary=f"Removed the details of {len(seqs)} earlier event{plural} about "
                f"{model._meta.verbose_name_plural}",
                before=None,
                after={"redacted": seqs},
            )
    return len(seqs)


def trail(
    evaluation_id: int,
    *,
    person: str = "",
    action: str = "",
    kind: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
    text: str = "",
) -> QuerySet[AuditEvent]:
    """An evaluation's events, newest first, narrowed by whatever is given: the page's and
    the API's one query.

    ``since`` and ``until`` are a date (the whole day counts, both ends included, as the
    page's date fields read) or a time (``since`` included, ``until`` not: one night's pull
    ends where the next begins, with no event read twice). A time without a zone is read
    in the server's zone.
    """
    events = AuditEvent.objects.filter(evaluation_id=evaluation_id).select_related("user")
    if person.strip():
        events = events.filter(user__username__iexact=person.strip())
    if action:
        events = events.filter(action=action)
    if kind:
        events = events.filter(object_type=kind)
    if isinstance(since, dt.datetime):
        events = events.filter(at__gte=_aware(since))
    elif since is not None:
        events = events.filter(at__date__gte=since)
    if isinstance(until, dt.datetime):
        events = events.filter(at__lt=_aware(until))
    elif until is not None:
        events = events.filter(at__date__lte=until)
    if text.strip():
        events = events.filter(summary__icontains=text.strip())
    return events.order_by("-at", "-id")


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
