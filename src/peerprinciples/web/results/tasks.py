"""The background task that brings an evaluation's stored results up to date.

It runs in the task worker (``peerprinciples worker``, or beside the web server under
``peerprinciples serve``), queued through Django's tasks framework (the ``django-tasks``
backport, with its database backend) once a change is committed.
"""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_results(evaluation_id: int, version: int) -> bool:
    """Work out and store the results of an evaluation changed at ``version``.

    Returns whether anything was stored: nothing is when the stored results already
    describe ``version`` or later (a task queued by an earlier change of a burst finds
    that a later one has done its work), or the evaluation was deleted meanwhile.
    """
    from peerprinciples.web.results.store import refresh

    return refresh(evaluation_id, version=version)
