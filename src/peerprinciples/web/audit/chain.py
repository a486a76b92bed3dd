"""The audit trail's hash chain: what each event's hashes are made of, and checking them.

Every event carries three things besides what it records:

``seq``
    its place in the trail, 1, 2, 3 … with no gaps, across the whole installation;
``content_hash``
    the SHA-256 (hex) of its content in the canonical form below;
``chain_hash``
    the SHA-256 (hex) of the previous event's ``chain_hash`` followed by this event's
    ``content_hash``, both as their 64 hex digits in ASCII. The first event's previous
    hash is :data:`GENESIS`, 64 zeros.

The canonical form of an event's content is the UTF-8 bytes of
``json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)``, where
``content`` holds exactly the keys ``at`` (the time in UTC as ISO 8601 with microseconds,
``2026-03-01T09:30:00.000000+00:00``), ``user_id``, ``evaluation_id`` (integers or null),
``action``, ``object_type``, ``object_id``, ``summary`` (strings) and ``before``, ``after``
(JSON or null). In ``before`` and ``after`` a number without a fractional part is written as
an integer (``3.0`` as ``3``): PostgreSQL's ``jsonb`` gives ``1e20`` back as
``100000000000000000000``, and the hash must be the same whichever database it is
worked out from.

Changing an event's content changes its content hash; changing the stored hash too breaks
the link to the next event; removing or inserting an event leaves a gap or a broken link.
Someone able to rewrite every later event, hashes and all, could make a consistent trail:
keep the count and last hash that ``peerprinciples audit verify`` reports somewhere else
(a backup's log, a ticket) and compare them with a later run to notice that.

Redaction (an interview withdrawn, data erased on request) is the one change allowed: it
sets ``redacted`` and removes the summary, ``before`` and ``after``, and keeps both hashes.
A redacted event's content is not hashed again; instead it must be named by a later event
of the action ``redact``, whose ``after`` is ``{"redacted": [seq, ...]}``, written in the
same transaction by :func:`~peerprinciples.web.audit.services.redact`. A redacted event
that no later redaction event names is reported.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.db import connections

GENESIS = "0" * 64
"""The chain hash before the first event."""

BATCH = 5_000
"""Events read at a time when checking the chain: memory stays bounded however long it is."""

CONTENT_CHANGED = "content changed"
LINK_BROKEN = "link broken"
SEQUENCE_GAP = "sequence gap"
UNEXPLAINED_REDACTION = "redacted without a tombstone"

_FIELDS = (
    "id",
    "seq",
    "at",
    "user_id",
    "evaluation_id",
    "action",
    "object_type",
    "object_id",
    "summary",
    "before",
    "after",
    "content_hash",
    "chain_hash",
    "redacted",
)


def stored_form(value: Any) -> Any:
    """``value`` as it reads back from a JSON column (tuples as lists, keys as strings), so
    that the hash written is the hash later worked out from the stored row."""
    return None if value is None else json.loads(json.dumps(value))


def _numbers(value: Any) -> Any:
    if isinstance(value, float):
        if value.is_integer():
            return int(decimal.Decimal(repr(value)))
        return value
    if isinstance(value, dict):
        return {key: _numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_numbers(item) for item in value]
    return value


def canonical(
    *,
    at: dt.datetime,
    user_id: int | None,
    evaluation_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    summary: str,
    before: Any,
    after: Any,
) -> bytes:
    """The bytes an event's content hash is worked out from (see the module's docstring)."""
    content = {
        "at": at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "user_id": user_id,
        "evaluation_id": evaluation_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "summary": summary,
        "before": _numbers(before),
        "after": _numbers(after),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(**content: Any) -> str:
    """The SHA-256 (hex) of :func:`canonical` of the content."""
    return hashlib.sha256(canonical(**content)).hexdigest()


def link(previous: str, content: str) -> str:
    """The chain hash of an event: over the previous event's chain hash and its content hash."""
    return hashlib.sha256((previous + content).encode("ascii")).hexdigest()


def named_by_redaction(after: Any) -> list[int]:
    """The sequence numbers a redaction event names; none if ``after`` is not of its form."""
    names = after.get("redacted") if isinstance(after, dict) else None
    if not isinstance(names, list):
        return []
    return [n for n in names if isinstance(n, int) and not isinstance(n, bool)]


@dataclass(frozen=True)
class Break:
    """The first place where the trail is not as it was written."""

    seq: int
    event_id: int
    problem: str
    """One of ``content changed``, ``link broken``, ``sequence gap`` and
    ``redacted without a tombstone``."""
    detail: str


@dataclass(frozen=True)
class ChainReport:
    """What checking the chain found: how many events, the last one's hash, the first break."""

    events: int
    last_seq: int
    last_hash: str
    first_break: Break | None
    guarded: bool
    """Whether the database's triggers that refuse changes to the trail are in place."""

    @property
    def ok(self) -> bool:
        return self.first_break is None

    def summary(self) -> str:
        """The finding in a sentence or two, for the command line and a restore's report."""
        if self.first_break is None:
            return (
                f"OK: {self.events:,} events, the chain is whole; last event {self.last_seq}, "
                f"hash {self.last_hash}"
            )
        found = self.first_break
        return (
            f"BROKEN at event {found.seq} (id {found.event_id}): {found.problem}: "
            f"{found.detail}.\n{self.events:,} events before it are whole; the last of them "
            f"is {self.last_seq}, hash {self.last_hash}"
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data


Progress = Callable[[int, int], None]
"""Called after each batch with the events checked so far and the number there were at the
start."""


def verify_chain(
    *, using: str = "default", batch: int = BATCH, progress: Progress | None = None
) -> ChainReport:
    """Check every event of the trail in order and report the first break, if any.

    The events are read ``batch`` at a time in order of ``seq`` (each batch a query of its
    own, so events appended meanwhile are checked too); memory holds one batch and the
    sequence numbers of redacted events whose redaction event has not been reached yet.
    A redaction commits with its redaction event, so a redacted event read here always has
    that event later in the trail.
    """
    from peerprinciples.web.audit import guard
    from peerprinciples.web.audit.models import AuditEvent

    events = AuditEvent.objects.using(using).order_by("seq")
    total = events.count()
    checked, last_seq, previous = 0, 0, GENESIS
    waiting: dict[int, int] = {}  # redacted events not yet named: seq -> id
    found: Break | None = None
    read: int | None = None  # the last sequence number read; the first batch from the lowest
    while found is None:
        rows = events if read is None else events.filter(seq__gt=read)
        rows = list(rows.values_list(*_FIELDS)[:batch])
        if not rows:
            break
        read = rows[-1][1]
        for row in rows:
            found = _check(dict(zip(_FIELDS, row, strict=True)), last_seq, previous, waiting)
            if found is not None:
                break
            last_seq, previous = row[1], row[-2]
            checked += 1
        if progress is not None:
            progress(checked, total)
    if waiting:
        # Past a break, redaction events that were not reached may still name the
        # waiting events; the earliest event that none names is the break if before it.
        after_break = events.filter(seq__gt=last_seq, action="redact").values_list("after")
        for (after,) in after_break.iterator(chunk_size=batch):
            for seq in named_by_redaction(after):
                waiting.pop(seq, None)
        if waiting:
            seq = min(waiting)
            if found is None or seq < found.seq:
                found = Break(
                    seq,
                    waiting[seq],
                    UNEXPLAINED_REDACTION,
                    f"event {seq} was redacted, but no later redaction event names it: its "
                    "summary, before and after were removed without a withdrawal or an erasure",
                )
    return ChainReport(
        events=checked,
        last_seq=last_seq,
        last_hash=previous,
        first_break=found,
        guarded=guard.installed(connections[using]),
    )


def _check(
    event: dict[str, Any], last_seq: int, previous: str, waiting: dict[int, int]
) -> Break | None:
    seq, event_id = event["seq"], event["id"]
    if seq != last_seq + 1:
        if seq <= last_seq:
            removed = f"sequence numbers start at 1 and go up by one, but event {seq} came next"
        elif seq == last_seq + 2:
            removed = (
                f"the sequence goes from {last_seq} to {seq}: event {last_seq + 1} was removed"
            )
        else:
            removed = (
                f"the sequence goes from {last_seq} to {seq}: events {last_seq + 1} to "
                f"{seq - 1} were removed"
            )
        return Break(seq, event_id, SEQUENCE_GAP, removed)
    if event["redacted"]:
        if event["before"] is not None or event["after"] is not None:
            return Break(
                seq,
                event_id,
                CONTENT_CHANGED,
                f"event {seq} is marked redacted but still holds a before or an after",
            )
        waiting[seq] = event_id
    else:
        worked_out = content_hash(
            at=event["at"],
            user_id=event["user_id"],
            evaluation_id=event["evaluation_id"],
            action=event["action"],
            object_type=event["object_type"],
            object_id=event["object_id"],
            summary=event["summary"],
            before=event["before"],
            after=event["after"],
        )
        if worked_out != event["content_hash"]:
            return Break(
                seq,
                event_id,
                CONTENT_CHANGED,
                f"event {seq}'s content does not match its hash: its time, author, action, "
                "object, summary, before or after was changed after it was written",
            )
    if link(previous, event["content_hash"]) != event["chain_hash"]:
        return Break(
            seq,
            event_id,
            LINK_BROKEN,
            f"event {seq} does not follow from the event before it: an event was inserted, "
            "moved or had its hash rewritten",
        )
    if event["action"] == "redact":
        for named in named_by_redaction(event["after"]):
            if named < seq:
                waiting.pop(named, None)
    return None
