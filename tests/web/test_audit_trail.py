"""The audit trail: every change is recorded, append-only, and only the lead reads it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.evaluations import services as setup

pytestmark = pytest.mark.django_db


def _url(team) -> str:  # type: ignore[no-untyped-def]
    return reverse("audit:log", args=[team.evaluation.pk])


def test_creating_rating_and_finalising_are_recorded_with_before_and_after(team) -> None:  # type: ignore[no-untyped-def]
    interview = team.interview()
    keys = team.required_keys()
    team.rate(interview, team.rater, {k: "3" for k in keys}, finalise=False)
    team.rate(interview, team.rater, {k: "4" for k in keys}, finalise=True)
    events = list(AuditEvent.objects.filter(evaluation_id=team.evaluation.pk).order_by("id"))
    summaries = [e.summary for e in events]
    assert "Created interview I-0001 (peer_worker, A)" in summaries
    assert "Saved a draft of ratings for I-0001" in summaries
    final = next(e for e in events if e.summary == "Finalised ratings for I-0001")
    assert final.user == team.rater
    assert final.before["ratings"][keys[0]] == 3
    assert final.after["ratings"][keys[0]] == 4
    assert final.after["status"] == "final"


def test_events_can_be_neither_changed_nor_deleted(team) -> None:  # type: ignore[no-untyped-def]
    event = AuditEvent.objects.filter(evaluation_id=team.evaluation.pk).first()
    event.summary = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get(pk=event.pk).summary != "rewritten"


def test_the_lead_reads_and_filters_the_trail(team) -> None:  # type: ignore[no-untyped-def]
    setup.add_service(team.lead, team.evaluation, code="C", name="East team")
    client = team.client_for(team.lead)
    page = client.get(_url(team))
    assert page.status_code == 200
    assert b"Added the service C" in page.content
    filtered = client.get(_url(team), {"text": "service C"})
    assert b"Added the service C" in filtered.content
    assert b"Added the service A" not in filtered.content
    by_person = client.get(_url(team), {"person": "outsider"})
    assert b"No changes match your choice" in by_person.content


def test_a_date_range_ending_before_it_starts_is_explained(team) -> None:  # type: ignore[no-untyped-def]
    page = team.client_for(team.lead).get(
        _url(team), {"since": "2025-05-02", "until": "2025-05-01"}
    )
    assert page.status_code == 200
    assert b"The end date is before the start date." in page.content


def test_the_trail_shows_only_this_evaluations_changes(team) -> None:  # type: ignore[no-untyped-def]
    page = team.client_for(team.lead).get(_url(team))
    assert b"I-X1" not in page.content
    assert b"Another study" not in page.content


@pytest.mark.parametrize("persona", ["coordinator", "rater", "viewer"])
def test_other_roles_may_not_read_the_trail(team, persona: str) -> None:  # type: ignore[no-untyped-def]
    assert team.client_for(getattr(team, persona)).get(_url(team)).status_code == 403


def test_an_outsider_is_told_the_evaluation_does_not_exist(team) -> None:  # type: ignore[no-untyped-def]
    assert team.client_for(team.outsider).get(_url(team)).status_code == 404


def test_the_trail_is_read_only(team) -> None:  # type: ignore[no-untyped-def]
    assert team.client_for(team.lead).post(_url(team)).status_code == 405
