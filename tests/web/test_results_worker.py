"""Results are worked out by the task worker after the data change, and pages read them.

These tests use the real database backend of the tasks framework and a real worker (the
``db_worker`` loop that ``peerprinciples worker`` runs), on SQLite and, with
``DATABASE_URL`` naming it, PostgreSQL. The change is committed (a transactional test), so
the refresh is queued exactly as in production: once the transaction commits.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
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


MIGRATE = """
from peerprinciples.web.serve import setup_django
setup_django()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
"""

ENQUEUE = """
from peerprinciples.web.serve import setup_django
setup_django()
from peerprinciples.web.results.tasks import refresh_results
print(refresh_results.enqueue(10**9, 1).id)
"""

STATUS = """
import sys
from peerprinciples.web.serve import setup_django
setup_django()
from django_tasks_db.models import DBTaskResult
task = DBTaskResult.objects.get(id=sys.argv[1])
print(task.status, task.return_value)
"""


def _env(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PEERPRINCIPLES_DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "PEERPRINCIPLES_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "DJANGO_SETTINGS_MODULE": "peerprinciples.web.settings",
    }


def _python(script: str, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file of this version's tables, made once for the tests below."""
    folder = tmp_path_factory.mktemp("migrated")
    _python(MIGRATE, _env(folder))
    return folder / "db.sqlite3"


def _queued(migrated: Path, folder: Path) -> tuple[dict[str, str], str]:
    """A copy of the migrated database with one refresh queued: its settings and task id."""
    shutil.copy(migrated, folder / "db.sqlite3")
    env = _env(folder)
    return env, _python(ENQUEUE, env)


@pytest.mark.django_db(transaction=False)
def test_the_worker_command_runs_the_queued_tasks(migrated: Path, tmp_path: Path) -> None:
    env, task_id = _queued(migrated, tmp_path)
    assert _python(STATUS, env, task_id) == "READY None"
    done = subprocess.run(
        [sys.executable, "-m", "peerprinciples.cli.main", "worker", "--batch", "--quiet"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert _python(STATUS, env, task_id) == "SUCCESSFUL False"


@pytest.mark.django_db(transaction=False)
def test_the_worker_started_beside_the_server_runs_tasks_and_stops_with_it(
    migrated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from peerprinciples.web.serve import start_worker, stop_worker

    env, task_id = _queued(migrated, tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    process = start_worker()
    try:
        deadline = time.monotonic() + 120
        while _python(STATUS, env, task_id) != "SUCCESSFUL False":
            assert process.poll() is None, "the worker stopped by itself"
            assert time.monotonic() < deadline, "the worker did not run the task"
            time.sleep(0.5)
    finally:
        stop_worker(process)
    assert process.returncode is not None
