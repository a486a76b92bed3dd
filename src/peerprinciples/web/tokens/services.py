"""Making, finding and revoking personal access tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from peerprinciples.web.audit.services import record
from peerprinciples.web.errors import DomainError
from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.permissions import may_make_token
from peerprinciples.web.tokens.models import AccessToken

SCHEME = "ppat"
"""Every token starts ``ppat_``, so secret scanners and people can recognise one."""
PREFIX_LENGTH = 8
LONGEST_DAYS = 366
LAST_USE_EVERY = timedelta(minutes=1)
"""How often the time of last use is written: at most once a minute per token, so a busy
pipeline does not write a row for every request."""


@dataclass(frozen=True)
class MadeToken:
    """A new token and its secret, which is shown to its maker once and never again."""

    token: AccessToken
    secret: str


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def make_token(user: Any, evaluation: Evaluation, *, name: str, role: str, days: int) -> MadeToken:
    """Make a token for ``evaluation`` acting with ``role`` for ``days`` days."""
    name = name.strip()
    if not name:
        raise DomainError("Give the token a name that says what it is for, e.g. nightly pull.")
    if not 1 <= days <= LONGEST_DAYS:
        raise DomainError(f"A token lasts from 1 to {LONGEST_DAYS} days; {days} is outside that.")
    if not may_make_token(user, evaluation, role):
        raise DomainError(
            "A token's role can be no higher than your own role in the evaluation; "
            "choose your role or one with fewer rights."
        )
    body = secrets.token_urlsafe(32)
    secret = f"{SCHEME}_{body}"
    with transaction.atomic():
        token = AccessToken.objects.create(
            user=user,
            evaluation=evaluation,
            role=role,
            name=name[:100],
            prefix=body[:PREFIX_LENGTH],
            digest=_digest(secret),
            expires_at=timezone.now() + timedelta(days=days),
        )
        record(
            user,
            "create",
            token,
            evaluation_id=evaluation.pk,
            summary=f"Made the access token “{token.name}” ({token.prefix}…), role {role}",
            after={"name": token.name, "prefix": token.prefix, "role": role, "days": days},
        )
    return MadeToken(token, secret)


def revoke_token(user: Any, token: AccessToken) -> AccessToken:
    """Stop a token working from now on (only its maker revokes it; the view checks)."""
    with transaction.atomic():
        locked = AccessToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            record(
                user,
                "change",
                locked,
                evaluation_id=locked.evaluation_id,
                summary=f"Revoked the access token “{locked.name}” ({locked.prefix}…)",
                after={"revoked": True},
            )
    return locked


def find_token(secret: str) -> AccessToken | None:
    """The active token whose secret this is, or ``None`` (unknown, revoked or expired).

    The token is found by its prefix and then its digest compared in constant time.
    """
    scheme, _, body = secret.partition("_")
    if scheme != SCHEME or len(body) < PREFIX_LENGTH:
        return None
    token = AccessToken.objects.select_related("user").filter(prefix=body[:PREFIX_LENGTH]).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    if not token.active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USE_EVERY:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
