"""The people and the evaluation that every web and browser story starts from.

A lead; a service coordinator, two raters and a reflection facilitator for service A; a
viewer; an evaluation on the built-in example index with services A and B, a round and a peer
worker in each service; and an account linked to service A's peer worker's code.
The web and browser test folders add what their stories need (an outsider's evaluation,
signed-in clients, page paths) on top.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from peerprinciples.core.instruments import Instrument
from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.evaluations.models import Evaluation, PeerWorker, Round, Service
from peerprinciples.web.interviews import services as rating
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.library.models import StoredInstrument

PASSWORD = "a-long-enough-test-password"


@dataclass
class Personas:
    """Everyone and everything in the story, plus helpers that read as sentences."""

    lead: Any
    coordinator: Any
    rater: Any
    second_rater: Any
    viewer: Any
    facilitator: Any
    peer_worker: Any
    evaluation: Evaluation
    service_a: Service
    service_b: Service
    round: Round
    worker_a: PeerWorker
    worker_b: PeerWorker
    stored_instrument: StoredInstrument

    @property
    def instrument(self) -> Instrument:
        """The core model of the evaluation's instrument."""
        return self.stored_instrument.model()

    def interview(
        self,
        code: str = "I-0001",
        *,
        informant: str = "peer_worker",
        double_rated: bool = False,
        service: Service | None = None,
        worker: PeerWorker | None = None,
    ) -> Interview:
        """An interview in service A (unless told) about the support of the service's peer
        worker (services other than A and B have none unless ``worker`` is given)."""
        service = service or self.service_a
        if worker is None:
            worker = {self.service_a.pk: self.worker_a, self.service_b.pk: self.worker_b}.get(
                service.pk
            )
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

    def give_both_services(self, user: Any) -> None:
        """The lead makes ``user``'s membership cover services A and B, in the same role."""
        member = self.evaluation.memberships.get(user=user)
        setup.add_member(
            self.lead,
            self.evaluation,
            username=user.get_username(),
            role=member.role,
            services=[self.service_a, self.service_b],
        )

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


def make_personas(make_user: Callable[[str], Any], stored: StoredInstrument) -> dict[str, Any]:
    """Create the people and the evaluation; the fields of :class:`Personas`, by name."""
    lead = make_user("lead")
    evaluation = setup.create_evaluation(
        lead, name="Fidelity review 2025", kind=Evaluation.Kind.SERVICE_REVIEW, instrument=stored
    )
    service_a = setup.add_service(lead, evaluation, code="A", name="North team")
    service_b = setup.add_service(lead, evaluation, code="B", name="South team")
    round_ = setup.add_round(lead, evaluation, number=1, label="Baseline")
    worker_a = setup.add_peer_worker(lead, evaluation, service=service_a, code="PW-A1")
    worker_b = setup.add_peer_worker(lead, evaluation, service=service_b, code="PW-B1")
    people = {}
    for username, role, services in (
        ("coordinator", "coordinator", [service_a]),
        ("rater", "rater", [service_a]),
        ("second_rater", "rater", [service_a]),
        ("viewer", "viewer", []),
        ("facilitator", "facilitator", [service_a]),
    ):
        people[username] = make_user(username)
        setup.add_member(lead, evaluation, username=username, role=role, services=services)
    people["peer_worker"] = make_user("peer_worker")
    setup.link_account(lead, evaluation, username="peer_worker", worker=worker_a)
    return {
        "lead": lead,
        **people,
        "evaluation": evaluation,
        "service_a": service_a,
        "service_b": service_b,
        "round": round_,
        "worker_a": worker_a,
        "worker_b": worker_b,
        "stored_instrument": stored,
    }
