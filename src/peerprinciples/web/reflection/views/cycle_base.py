"""What every page of one reflection cycle shares."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from peerprinciples.web.evaluations.views import evaluation_context
from peerprinciples.web.permissions import Access, Action
from peerprinciples.web.reflection.models import Cycle
from peerprinciples.web.reflection.services import cycles as services

PARTICIPANT_LABELS = dict(
    zip(
        services.PARTICIPANTS,
        ("peer workers", "people supported", "supervisors", "managers", "others"),
        strict=True,
    )
)


def cycle_context(access: Access, cycle: Cycle) -> dict[str, Any]:
    """What every page of one cycle needs: the evaluation's, the cycle, and what the person
    may do in it."""
    context = evaluation_context(access, "reflection")
    context.update(
        {
            "cycle": cycle,
            "access": access,
            "reads": access.may(Action.READ_REFLECTIONS, cycle.service_id),
            "runs": access.may(Action.RUN_CYCLE, cycle.service_id),
            "assesses": access.may(Action.SELF_ASSESS, cycle.service_id),
            "is_open": cycle.status == Cycle.Status.OPEN,
            "taking_part": taking_part(cycle),
        }
    )
    return context


def taking_part(cycle: Cycle) -> list[tuple[str, int]]:
    """Who took part, by role: ``(role, number)`` for every role counted."""
    return [(label, getattr(cycle, name)) for name, label in PARTICIPANT_LABELS.items()]


def back_to(cycle: Cycle, anchor: str = "") -> HttpResponse:
    """A redirect to the cycle's page (at ``anchor``)."""
    url = reverse("reflection:cycle", args=[cycle.evaluation_id, cycle.pk])
    return redirect(url + (f"#{anchor}" if anchor else ""))
