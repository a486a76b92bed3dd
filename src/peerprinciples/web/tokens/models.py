"""A personal access token, kept only as a hash of its secret."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from peerprinciples.web.evaluations.models import Evaluation, Membership


class AccessToken(models.Model):
    """One token: whose it is, the one evaluation it opens, the role it acts with, and when
    it stops working.

    The secret is shown once, when the token is made; only its SHA-256 is stored (the secret
    is 256 random bits, so a fast hash is enough: there is nothing to guess, unlike a
    password). ``prefix`` is the secret's first characters, kept in clear so that people can
    tell their tokens apart in lists and logs, and so a token is found by an index.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="access_tokens"
    )
    role = models.CharField(max_length=20, choices=Membership.Role.choices)
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. nightly pull")
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def active(self) -> bool:
        """Neither revoked nor past its expiry."""
        return self.revoked_at is None and self.expires_at > timezone.now()
