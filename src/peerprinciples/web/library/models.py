"""Frameworks and instruments stored as validated JSON documents beside the relational data.

An evaluation pins one stored framework version and one instrument version; the documents
are immutable once stored, so later versions never change how an evaluation is scored.
"""

from __future__ import annotations

import threading
from typing import Any, TypeVar

from django.db import models
from pydantic import BaseModel

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.reflection.model import ReflectionGuide

ModelT = TypeVar("ModelT", bound=BaseModel)

MODELS_KEPT = 64
"""Validated documents kept per process (an installation stores a handful of versions)."""


class _ModelCache:
    """Validated core models per process, by stored row.

    A stored document never changes (storing another document under the same version is
    refused), so its validated model can be shared by every request of the process. The key
    holds the row's version and the time it was stored as well as its primary key, so a row
    of another database that happens to reuse the key (a test database, a rebuilt one)
    never gets another document's model.
    """

    def __init__(self) -> None:
        self._models: dict[tuple[Any, ...], BaseModel] = {}
        self._lock = threading.Lock()

    def get(self, row: _StoredDocument, kind: type[ModelT]) -> ModelT:
        key = (kind.__name__, row.pk, row.key, row.version, row.stored_at)
        found = self._models.get(key)
        if found is None:
            found = kind.model_validate(row.document)
            with self._lock:
                if len(self._models) >= MODELS_KEPT:
                    self._models.clear()
                self._models[key] = found
        assert isinstance(found, kind)
        return found


_validated = _ModelCache()


class _StoredDocument(models.Model):
    """What every stored document version has: its identity, the JSON and a cached model."""

    key = models.SlugField(max_length=80)
    version = models.CharField(max_length=40)
    title = models.CharField(max_length=300)
    document = models.JSONField()
    stored_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
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

    def _validated(self, kind: type[ModelT]) -> ModelT:
        """The validated core model (validated once per process: documents never change).

        The document is read only when the model is not known yet, so pages may load the
        row without it (``defer("document")``).
        """
        cached = getattr(self, "_model", None)
        if not isinstance(cached, kind):
            cached = _validated.get(self, kind)
            self._model = cached
        return cached


SYNTHETIC_CHOICE = "synthetic demonstration — not for use in a service"
"""How a choice of a synthetic framework, or of an instrument pinned to one, is labelled."""


def synthetic_last(rows: models.QuerySet[Any], *, through: str = "") -> models.QuerySet[Any]:
    """``rows`` (frameworks, or instruments ``through="framework"``) with the synthetic ones
    last, each part in key and version order."""
    synthetic = [row.pk for row in rows if (getattr(row, through) if through else row).synthetic]
    return rows.order_by(
        models.Case(models.When(pk__in=synthetic, then=1), default=0), "key", "version"
    )


class StoredFramework(_StoredDocument):
    """One framework version, resolved (an adaptation is stored in full, with its base)."""

    class Meta(_StoredDocument.Meta):
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="unique_framework_version")
        ]

    def model(self) -> Framework:
        """The validated core model of the framework."""
        return self._validated(Framework)

    @property
    def synthetic(self) -> bool:
        """Whether its provenance says it was published from made-up demonstration data."""
        provenance = self.model().provenance
        return bool(provenance and provenance.synthetic)


class StoredInstrument(_StoredDocument):
    """One instrument version, tied to the stored framework version it is pinned to."""

    framework = models.ForeignKey(
        StoredFramework, on_delete=models.PROTECT, related_name="instruments"
    )

    class Meta(_StoredDocument.Meta):
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="unique_instrument_version")
        ]

    def model(self) -> Instrument:
        """The validated core model of the instrument."""
        return self._validated(Instrument)


class StoredGuide(_StoredDocument):
    """One reflection guide version, resolved (an adaptation is stored in full), tied to the
    stored framework version it follows."""

    framework = models.ForeignKey(
        StoredFramework, on_delete=models.PROTECT, related_name="reflection_guides"
    )

    class Meta(_StoredDocument.Meta):
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="unique_guide_version")
        ]

    def model(self) -> ReflectionGuide:
        """The validated core model of the reflection guide."""
        return self._validated(ReflectionGuide)
