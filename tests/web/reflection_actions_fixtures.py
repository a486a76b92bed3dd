"""Cycles and actions for the tests of actions and looking back at them.

Cycles are made directly (opening one is another page's job): ``Story.cycle`` opens a cycle
for a service in a round, and ``Story.round`` adds the next rounds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.evaluations import services as setup
from peerprinciples.web.evaluations.models import Round, Service
from peerprinciples.web.library.models import StoredGuide
from peerprinciples.web.permissions import access_of
from peerprinciples.web.reflection.models import Action, Cycle
from peerprinciples.web.reflection.services import actions as services

TAGS = Template(
    "{% load reflection_actions %}{% looking_back cycle access %}"
    "<hr id='between'>{% cycle_actions cycle access %}"
)


@dataclass
class Story:
    """The team, and helpers that read as sentences."""

    team: Team
    rounds: list[Round] = field(default_factory=list)

    def round(self, number: int) -> Round:
        """The evaluation's round ``number`` (added when missing)."""
        for made in [self.team.round, *self.rounds]:
            if made.number == number:
                return made
        made = setup.add_round(self.team.lead, self.team.evaluation, number=number)
        self.rounds.append(made)
        return made

    def cycle(
        self,
        number: int = 1,
        *,
        service: Service | None = None,
        guide: StoredGuide | None = None,
        finished: bool = False,
    ) -> Cycle:
        """A cycle of service A (unless told) in round ``number``."""
        return Cycle.objects.create(
            evaluation=self.team.evaluation,
            service=service or self.team.service_a,
            round=self.round(number),
            guide=guide or StoredGuide.objects.get(key="enrich-reflection", version="1"),
            opened_by=self.team.lead,
            status=Cycle.Status.FINISHED if finished else Cycle.Status.OPEN,
        )

    def agree(self, cycle: Cycle, what: str = "Agree a weekly time to meet as peers") -> Action:
        """An action agreed in ``cycle`` by the facilitator, about relationships."""
        return services.add_action(
            self.team.lead,
            cycle,
            principle="relationships",
            what=what,
            who="Peer worker team",
            due=dt.date(2025, 9, 30),
        )

    def earlier_action(self, service: Service | None = None) -> Action:
        """An action agreed in round 1's cycle (of service A unless told), now finished."""
        cycle = self.cycle(1, service=service)
        action = self.agree(cycle)
        self.finish(cycle)
        return action

    def finish(self, cycle: Cycle) -> None:
        """Mark the cycle finished (finishing it properly is another page's job)."""
        cycle.status = Cycle.Status.FINISHED
        cycle.save(update_fields=["status"])

    def review(self, cycle: Cycle, action: Action, outcome: str, what_happened: str = "") -> Any:
        """The facilitator looks back at ``action`` in ``cycle`` through the page."""
        seen = ""
        found = action.reviews.filter(cycle=cycle).first()
        if found is not None:
            seen = services.review_stamp(found)
        prefix = f"review-{action.pk}"
        return self.team.client_for(self.team.facilitator).post(
            review_url(self.team, cycle, action),
            {
                f"{prefix}-outcome": outcome,
                f"{prefix}-what_happened": what_happened,
                f"{prefix}-seen": seen,
            },
        )

    def look_back(self, cycle: Cycle, said: dict[Action, tuple[str, str]], user: Any = None) -> Any:
        """Someone (the facilitator unless told) sends the cycle's whole look back from its one
        form: ``said`` maps each action to its outcome ("" for not decided yet) and what
        happened; every other earlier action is sent as not decided yet, as the form would."""
        data: dict[str, str] = {}
        for group in services.looking_back(cycle):
            for item in group.items:
                outcome, what_happened = said.get(item.action, ("", ""))
                prefix = f"review-{item.action.pk}"
                data[f"{prefix}-outcome"] = outcome
                data[f"{prefix}-what_happened"] = what_happened
                data[f"{prefix}-seen"] = services.review_stamp(item.review)
        client = self.team.client_for(user or self.team.facilitator)
        return client.post(look_back_url(self.team, cycle), data)

    def tags(self, cycle: Cycle, user: Any) -> str:
        """The two tags drawn as the cycle's page draws them, for ``user``."""
        request = RequestFactory().get("/")
        request.user = user
        access = access_of(user, self.team.evaluation)
        cycle = Cycle.objects.select_related("round", "service", "guide__framework").get(
            pk=cycle.pk
        )
        return TAGS.render(Context({"cycle": cycle, "access": access, "request": request}))


@pytest.fixture(name="story")
def story_fixture(team: Team) -> Story:
    """The team, ready for cycles and actions."""
    return Story(team)


def add_url(team: Team, cycle: Cycle) -> str:
    return reverse("reflection:add_action", args=[team.evaluation.pk, cycle.pk])


def action_url(team: Team, action: Action) -> str:
    return reverse("reflection:action", args=[team.evaluation.pk, action.pk])


def review_url(team: Team, cycle: Cycle, action: Action) -> str:
    return reverse("reflection:review", args=[team.evaluation.pk, cycle.pk, action.pk])


def look_back_url(team: Team, cycle: Cycle) -> str:
    return reverse("reflection:look_back", args=[team.evaluation.pk, cycle.pk])


def cycle_url(team: Team, cycle: Cycle) -> str:
    return reverse("reflection:cycle", args=[team.evaluation.pk, cycle.pk])


def messages_of(response: Any) -> list[str]:
    """The messages a response left for the next page."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def text(html: str) -> str:
    """Markup with its tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
