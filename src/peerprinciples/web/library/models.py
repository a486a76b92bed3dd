"""Frameworks and instruments stored as validated JSON documents beside the relational data.

An evaluation pins one stored framework version and one instrument version; the documents
are immutable once stored, so later versions never change how an evaluation is scored.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument


class StoredFramework(models.Model):
    """One framework version, resolved (an adaptation is stored in full, with its base)."""

    key = models.SlugField(max_length=80)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    document = models.JSONField()
    stored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="unique_framework_version")
        ]
        ordering = ["key", "version"]

    def __str__(self) -> str:
        return f"{self.title} ({self.key}@{self.version})"

    @property
    def ref(self) -> str:
        """``key@version``."""
        return f"{self.key}@{self.version}"

    def model(self) -> Framework:
        """The validated core model."""
        return Framework.model_validate(self.document)


class StoredInstrument(models.Model):
    """One instrument version, tied to the stored framework version it is pinned to."""

    key = models.SlugField(max_length=80)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    framework = models.ForeignKey(
        StoredFramework, on_delete=models.PROTECT, related_name="instruments"
    )
    document = models.JSONField()
    stored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="unique_instrument_version")
        ]
        ordering = ["key", "version"]

    def __str__(self) -> str:
        return f"{self.title} ({self.key}@{self.version})"

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_model", None)
        return state

    @property
    def ref(self) -> str:
        """``key@version``."""
        return f"{self.key}@{self.version}"

    def model(self) -> Instrument:
        """The validated core model (cached on the instance: documents never change)."""
        cached: Instrument | None = getattr(self, "_model", None)
        if cached is None:
            cached = Instrument.model_validate(self.document)
            self._model = cached
        return cached
