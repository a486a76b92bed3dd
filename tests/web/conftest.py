"""Personas for the web tests: the people who appear in every story, and their evaluation.

``team`` holds a lead, a service coordinator for service A, two raters for service A, a
viewer, and an outsider who leads another evaluation. The built-in instrument is stored
first, as a real installation does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.library import Library
from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.evaluations.models import Evaluation, PeerWorker, Round, Service
from peerprinciples.web.interviews import services as rating
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.library.models import StoredInstrument
from peerprinciples.web.library.services import load_library

PASSWORD = "a-long-enough-test-password"


@dataclass
class Team:
    """Everyone and everything in the story, plus helpers that read as sentences."""

    lead: Any
    coordinator: Any
    rater: Any
    second_rater: Any
    viewer: Any
    outsider: Any
    evaluation: Evaluation
    service_a: Service
    service_b: Service
    round: Round
    worker_a: PeerWorker
    worker_b: PeerWorker
    other_evaluation: Evaluation
    other_worker: PeerWorker
    other_interview: Interview
    stored_instrument: StoredInstrument

    @property
    def instrument(self) -> Instrument:
        """The core model of the evaluation's instrument."""
        return self.stored_instrument.model()

    def client_for(self, user: Any) -> Client:
        """A browser signed in as ``user``."""
        client = Client()
        client.force_login(user)
        return client

    def interview(
        self,
        code: str = "I-0001",
        *,
        informant: str = "peer_worker",
        double_rated: bool = False,
        service: Service | None = None,
        worker: PeerWorker | None = None,
    ) -> Interview:
        """An interview in service A about the support of ``worker_a`` (unless told)."""
        service = service or self.service_a
        if worker is None and service == self.service_a:
            worker = self.worker_a
        return rating.create_interview(
            self.lead,
            self.evaluation,
            service=service,
            peer_worker=worker,
            round=self.round,
            informant=informant,
            date=dt.date(2025, 3, 1),
            code=code,
            double_rated=double_rated,
        )

    def item_keys(self, informant: str = "peer_worker") -> list[str]:
        """The keys of the items this informant is asked."""
        return [item.key for item in self.instrument.items_for(informant)]

    def required_keys(self, informant: str = "peer_worker") -> list[str]:
        """The keys of the required items this informant is asked."""
        return [item.key for item in self.instrument.items_for(informant) if item.required]

    def rate(
        self, interview: Interview, rater: Any, values: Mapping[str, str], *, finalise: bool = True
    ) -> None:
        """Save ``rater``'s ratings (``item key -> "3"`` or a code) through the service."""
        interview.refresh_from_db()
        sheet = interview.sheets.filter(rater=rater).first()
        answers = rating.parse_answers(self.instrument, interview.informant, values)
        rating.save_sheet(
            rater,
            interview,
            answers=answers,
            notes="",
            expected_version=sheet.version if sheet else None,
            finalise=finalise,
        )


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    """Hashing passwords properly is slow by design; tests do not need that."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    lead = make_user("lead")
    evaluation = setup.create_evaluation(
        lead, name="Fidelity review 2025", kind=Evaluation.Kind.SERVICE_REVIEW, instrument=stored
    )
    service_a = setup.add_service(lead, evaluation, code="A", name="North team")
    service_b = setup.add_service(lead, evaluation, code="B", name="South team")
    round_ = Round.objects.create(evaluation=evaluation, number=1, label="Baseline")
    worker_a = setup.add_peer_worker(lead, evaluation, service=service_a, code="PW-A1")
    worker_b = setup.add_peer_worker(lead, evaluation, service=service_b, code="PW-B1")
    people = {}
    for username, role, services in (
        ("coordinator", "coordinator", [service_a]),
        ("rater", "rater", [service_a]),
        ("second_rater", "rater", [service_a]),
        ("viewer", "viewer", []),
    ):
        people[username] = make_user(username)
        setup.add_member(lead, evaluation, username=username, role=role, services=services)

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
        lead=lead,
        coordinator=people["coordinator"],
        rater=people["rater"],
        second_rater=people["second_rater"],
        viewer=people["viewer"],
        outsider=outsider,
        evaluation=evaluation,
        service_a=service_a,
        service_b=service_b,
        round=round_,
        worker_a=worker_a,
        worker_b=worker_b,
        other_evaluation=other,
        other_worker=other_worker,
        other_interview=other_interview,
        stored_instrument=stored,
    )
