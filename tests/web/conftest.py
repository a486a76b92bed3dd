"""Personas for the web tests: the people who appear in every story, and their evaluation.

``team`` holds a lead, a service coordinator for service A, two raters for service A, a
viewer, and an outsider who leads another evaluation. The built-in instrument is stored
first, as a real installation does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings
from tests.personas import PASSWORD, Personas, make_personas

from peerprinciples.core.library import Library
from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.evaluations.models import Evaluation, PeerWorker, Round
from peerprinciples.web.interviews import services as rating
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.library.services import load_library

__all__ = ["PASSWORD", "Team"]


@dataclass
class Team(Personas):
    """The personas, an outsider with an evaluation of their own, and web-test helpers."""

    outsider: Any
    other_evaluation: Evaluation
    other_worker: PeerWorker
    other_interview: Interview

    def client_for(self, user: Any) -> Client:
        """A browser signed in as ``user``."""
        client = Client()
        client.force_login(user)
        return client

    def item_keys(self, informant: str = "peer_worker") -> list[str]:
        """The keys of the items this informant is asked."""
        return [item.key for item in self.instrument.items_for(informant)]

    def required_keys(self, informant: str = "peer_worker") -> list[str]:
        """The keys of the required items this informant is asked."""
        return [item.key for item in self.instrument.items_for(informant) if item.required]


FAST_PASSWORDS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS_AT_ONCE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Hashing passwords properly is slow by design; tests do not need that."""
    settings.PASSWORD_HASHERS = FAST_PASSWORDS


@pytest.fixture(autouse=True)
def _api_rates_out_of_the_way(settings: Any) -> None:
    """The API's rate limits count calls in each process's cache, which outlives a test;
    tests of the limits set their own low rate."""
    settings.PEERPRINCIPLES_API_RATE_PER_TOKEN = "1000000/min"
    settings.PEERPRINCIPLES_API_RATE_ANONYMOUS = "1000000/min"


@pytest.fixture(autouse=True)
def _tasks_at_once(settings: Any) -> None:
    """Results are refreshed by a task; here it runs at once, in the process that queues it
    (tests of the real worker choose the database backend themselves)."""
    settings.TASKS = TASKS_AT_ONCE


@pytest.fixture(scope="module")
def module_db(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The database opened for one module's shared data, made once, and emptied of it again
    when the module's tests are done.

    A module fixture that builds something big (the demo, say) asks for this one and builds
    inside it, in one transaction that is rolled back at the end. Each test of the module runs
    in a savepoint of that transaction (pytest-django's ``django_db``), rolled back after the
    test, so a test that changes the data leaves the next one the same state. The settings
    the function-scoped fixtures above give each test apply to the building too.
    """
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_PASSWORDS, TASKS=TASKS_AT_ONCE),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="session")
def builtin_library() -> Library:
    """The built-in library, read once: reading and checking it is the slow part."""
    return Library()


@pytest.fixture
def make_user(db: None) -> Callable[[str], Any]:
    """Create an account with the test password and an e-mail address."""

    def make(username: str) -> Any:
        return get_user_model().objects.create_user(
            username=username, email=f"{username}@example.org", password=PASSWORD
        )

    return make


@pytest.fixture
def team(make_user: Callable[[str], Any], builtin_library: Library) -> Team:
    """The personas and one evaluation with services A and B, one round and two peer workers."""
    stored = next(s for s in load_library(builtin_library) if s.key == "enrich-example-index")
    personas = make_personas(make_user, stored)
    outsider = make_user("outsider")
    other = setup.create_evaluation(
        outsider, name="Another study", kind=Evaluation.Kind.RESEARCH, instrument=stored
    )
    other_service = setup.add_service(outsider, other, code="X")
    other_round = Round.objects.create(evaluation=other, number=1)
    other_worker = setup.add_peer_worker(outsider, other, service=other_service, code="PW-X1")
    other_interview = rating.create_interview(
        outsider,
        other,
        service=other_service,
        peer_worker=other_worker,
        round=other_round,
        informant="peer_worker",
        date=None,
        code="I-X1",
        double_rated=False,
    )
    return Team(
        **personas,
        outsider=outsider,
        other_evaluation=other,
        other_worker=other_worker,
        other_interview=other_interview,
    )


@dataclass
class Panel:
    """A co-production project with one person in each role, and an outsider."""

    project: Any
    facilitator: Any
    research: Any
    panel: Any
    panel_b: Any
    outsider: Any

    def client_for(self, user: Any) -> Client:
        """A browser signed in as ``user``."""
        client = Client()
        client.force_login(user)
        return client

    def member(self, user: Any) -> Any:
        """The membership of ``user`` in the project."""
        return self.project.members.get(user=user)


@pytest.fixture
def panel(make_user: Callable[[str], Any]) -> Panel:
    """A project asking what matters in peer support, facilitated by ``fay`` with ``rex``
    from the research team and two panel members, ``pam`` and ``pat``; ``otto`` is in no
    project."""
    from peerprinciples.web.coproduction.models import Member, Project

    people = {name: make_user(name) for name in ("fay", "rex", "pam", "pat", "otto")}
    project = Project.objects.create(
        name="What matters in peer support here",
        framing_question="What makes peer support work well in our community?",
        created_by=people["fay"],
    )
    roles = {
        "fay": (Member.Role.FACILITATOR, "F01"),
        "rex": (Member.Role.RESEARCH, "R01"),
        "pam": (Member.Role.PANEL, "P01"),
        "pat": (Member.Role.PANEL, "P02"),
    }
    for name, (role, code) in roles.items():
        Member.objects.create(project=project, user=people[name], role=role, code=code)
    return Panel(
        project,
        people["fay"],
        people["rex"],
        people["pam"],
        people["pat"],
        people["otto"],
    )
