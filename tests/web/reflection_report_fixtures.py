"""Reflection cycles for the tests of the cycle's report, replies, release and timeline.

``finished_cycle`` is service A's cycle in the team's round: finished, with a reply window
that ended yesterday, reflections on two principles, two condition checks, a team
self-assessment, an action and a reply. Everything written in it carries a marker word,
so a test can tell whether a page shows what was said.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from tests.web.conftest import Team

from peerprinciples.web.evaluations.models import Round, Service
from peerprinciples.web.library.models import StoredGuide
from peerprinciples.web.reflection.models import (
    Action,
    ActionReview,
    ConditionCheck,
    Cycle,
    Reflection,
    Reply,
    SelfAssessment,
)

SAID = "SAID-IN-THE-ROOM"
"""A word in every text the cycle holds: shown only to those who may read reflections."""


def open_cycle(team: Team, service: Service | None = None, round_: Round | None = None) -> Cycle:
    """An open cycle with nothing written yet (service A in the team's round by default)."""
    return Cycle.objects.create(
        evaluation=team.evaluation,
        service=service or team.service_a,
        round=round_ or team.round,
        guide=StoredGuide.objects.get(key="enrich-reflection"),
        opened_by=team.facilitator,
    )


def finish(cycle: Cycle, *, replies_until: dt.date | None = None) -> Cycle:
    """Mark the cycle finished, with a reply window ending on ``replies_until``."""
    cycle.status = Cycle.Status.FINISHED
    cycle.finished_at = timezone.now()
    cycle.replies_until = replies_until
    cycle.save()
    return cycle


def fill(team: Team, cycle: Cycle) -> dict[str, Any]:
    """Write a reflection, conditions, a self-assessment, an action and a reply in the cycle."""
    user = team.facilitator
    cycle.met_on = dt.date(2025, 4, 2)
    cycle.peer_workers, cycle.supervisors, cycle.people_supported = 3, 1, 2
    cycle.save()
    reflection = Reflection.objects.create(
        cycle=cycle,
        principle="relationships",
        principle_title="Relationships based on shared lived experience",
        going_well=f"Warm time together {SAID}",
        hard=f"Caseloads squeeze time {SAID}",
        try_next=f"A weekly walk {SAID}",
        updated_by=user,
    )
    ConditionCheck.objects.create(
        cycle=cycle,
        condition="peer-space",
        state="partly",
        note=f"A room on Fridays {SAID}",
        updated_by=user,
    )
    SelfAssessment.objects.create(
        cycle=cycle,
        answers={"rel-time": 4, "rel-common-ground": 3, "mut-both-ways": None},
        notes={"relationships": f"We make time {SAID}"},
        created_by=user,
    )
    action = Action.objects.create(
        cycle=cycle,
        principle="relationships",
        principle_title="Relationships based on shared lived experience",
        what=f"Agree a weekly time to meet {SAID}",
        who="Peer worker team",
        due=dt.date(2025, 6, 30),
        created_by=user,
    )
    reply = Reply.objects.create(
        cycle=cycle,
        peer_worker=team.worker_a,
        about="relationships",
        text=f"The walk was my idea {SAID}",
        created_by=team.peer_worker,
    )
    return {"reflection": reflection, "action": action, "reply": reply}


def finished_cycle(team: Team) -> Cycle:
    """Service A's cycle, filled in and finished, its reply window over since yesterday."""
    cycle = open_cycle(team)
    fill(team, cycle)
    return finish(cycle, replies_until=timezone.localdate() - dt.timedelta(days=1))


def review(team: Team, action: Action, later: Cycle, outcome: str = "done") -> ActionReview:
    """A later cycle's look back at ``action``."""
    return ActionReview.objects.create(
        action=action,
        cycle=later,
        outcome=outcome,
        what_happened=f"We met every week {SAID}",
        reviewed_by=team.facilitator,
    )
