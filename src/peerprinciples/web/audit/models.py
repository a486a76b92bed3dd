"""An append-only audit trail of every change to evaluation data.

Events are never changed nor deleted, with one exception: when an interview is withdrawn,
what earlier events said about it is removed (:func:`~peerprinciples.web.audit.services.redact`),
keeping each event, who made the change and when. Each event carries its place in the trail
and hashes that chain it to the event before it (:mod:`peerprinciples.web.audit.chain`), and
database triggers refuse any other change (:mod:`peerprinciples.web.audit.guard`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """Who did what, when, to which object, with the state before and after."""

    class Action(models.TextChoices):
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        DELETE = "delete", "Deleted"
        EXPORT = "export", "Exported"
        # A tombstone: what kind of thing was erased on request, when and by whom; never
        # anything of what it held.
        ERASE = "erase", "Erased on request"
        # Written with every redaction: names, by sequence number, the earlier events whose
        # details were removed, so that checking the chain can tell a redaction from tampering.
        REDACT = "redact", "Details removed"

    # Set before the event is written (not auto_now_add, which sets it while saving) since
    # the time is part of the content hash.
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    evaluation_id = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=10, choices=Action.choices)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    summary = models.CharField(max_length=300)
    before = models.JSONField(null=True)
    after = models.JSONField(null=True)
    seq = models.BigIntegerField(unique=True)
    content_hash = models.CharField(max_length=64)
    chain_hash = models.CharField(max_length=64)
    redacted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit events are append-only and cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit events are append-only and cannot be deleted")
