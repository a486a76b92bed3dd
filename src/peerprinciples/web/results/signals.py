"""Marking results as changed where scores are written other than by ``refresh_scores``.

Saving an import writes interviews, ratings and their cached scores in bulk (with ``COPY``
on PostgreSQL), past the score refresh that marks an evaluation's results as changed. The
import's batch is saved as ``saved`` in the same transaction, so that is where the mark is
made, and where the refresh of the stored results is queued (to run once the import
commits; nothing is queued for an import that rolls back).
"""

from __future__ import annotations

from typing import Any

from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.results.store import request_refresh
from peerprinciples.web.transfers.models import ImportBatch


def import_saved(sender: type[Any], instance: ImportBatch, **kwargs: Any) -> None:
    """After an import batch is saved: its evaluation's results changed if it was written."""
    if instance.status == ImportBatch.Status.SAVED and instance.evaluation_id is not None:
        Evaluation.results_changed(instance.evaluation_id)
        request_refresh(instance.evaluation_id)
