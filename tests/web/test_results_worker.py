"""Results are worked out by the task worker after the data change, and pages read them.

These tests use the real database backend of the tasks framework and a real worker (the
``db_worker`` loop that ``peerprinciples worker`` runs), on SQLite and, with
``DATABASE_URL`` naming it, PostgreSQL. The change is committed (a transactional test), so
the refresh is queued exactly as in production: once the transaction commits.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from tests.web.conftest import Team
from tests.web.results_fixtures import cells, count_of, text

from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.results.models import ResultsState, StoredResults

pytestmark = pytest.mark.django_db(transaction=True)

PENDING = "Newer data are still being worked out"


@pytest.fixture(autouse=True)
def _database_queue(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _run_worker() -> None:
    """Run the worker until the queue is empty, as ``peerprinciples worker --batch`` does."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def _final(team: Team, code: str, value: str) -> None:
    interview = team.interview(code)
    team.rate(interview, team.rater, dict.fromkeys(team.item_keys(), value))
    interview.refresh_from_db()
    assert interview.status == Interview.Status.FINAL


def _overview(team: Team) -> str:
    response = team.client_for(team.lead).get(
        reverse("results:overview", args=[team.evaluation.pk])
    )
    assert response.status_code == 200
    return response.content.decode()


def _stored_version(team: Team) -> int:
    return ResultsState.objects.get(evaluation=team.evaluation).version


def test_a_finalise_queues_a_refresh_that_the_worker_stores(team: Team) -> None:
    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_results")
    _final(team, "I-0001", "4")
    assert queued.ready().count() == 1
    page = _overview(team)  # nothing stored yet: worked out once, on the first look
    assert "1 final interview." in text(page)
    assert PENDING not in page
    before = _stored_version(team)
    _run_worker()  # finds the results already stored at that version: nothing to do
    assert _stored_version(team) == before

    _final(team, "I-0002", "2")
    assert queued.ready().count() == 1
    page = _overview(team)
    assert PENDING in page  # the page shows what is stored and says newer data are coming
    assert "1 final interview." in text(page)
    assert queued.ready().count() == 1  # the reader did not queue a second refresh

    _run_worker()
    assert queued.successful().count() == 2
    assert _stored_version(team) > before
    assert _stored_version(team) == Evaluation.objects.get(pk=team.evaluation.pk).results_version
    page = _overview(team)
    assert PENDING not in page
    assert "2 final interviews." in text(page)
    assert count_of(cells(page)["cell:total/all/all"]) == 2
    assert "Numbers brought up to date" in page


def test_many_finalises_in_a_row_cost_one_computation(team: Team) -> None:
    _overview(team)
    for number in range(1, 5):
        _final(team, f"I-000{number}", "3")
    queued = DBTaskResult.objects.filter(task_path__endswith="refresh_results")
    assert queued.ready().count() == 4
    _run_worker()
    outcomes = sorted(queued.values_list("return_value", flat=True), key=bool)
    assert outcomes == [False, False, False, True]  # the first did all; the others skipped
    stored = StoredResults.objects.get(evaluation=team.evaluation, scope="evaluation")
    assert stored.data["n"] == 4


def test_a_refresh_for_a_deleted_evaluation_does_nothing(team: Team) -> None:
    from peerprinciples.web.results.tasks import refresh_results

    refresh_results.enqueue(10**9, 1)
    _run_worker()
    task = DBTaskResult.objects.get(task_path__endswith="refresh_results")
    assert task.return_value is False
    assert task.status == "SUCCESSFUL"
