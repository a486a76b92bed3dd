"""Recording an interview, only in the user's own services and this evaluation."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.interviews.models import Interview

pytestmark = pytest.mark.django_db


def _form(team: Team, **changes: Any) -> dict[str, Any]:
    form = {
        "service": team.service_a.pk,
        "peer_worker": team.worker_a.pk,
        "round": team.round.pk,
        "informant": "supported_person",
        "date": "2025-02-03",
        "code": "I-0100",
    }
    form.update(changes)
    return form


def _post(team: Team, user: object, form: dict[str, Any]) -> Any:
    return team.client_for(user).post(reverse("interviews:create", args=[team.evaluation.pk]), form)


def test_a_rater_records_an_interview_in_their_service(team: Team) -> None:
    response = _post(team, team.rater, _form(team, double_rated="on"))
    interview = Interview.objects.get(code="I-0100")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "interviews:detail", args=[team.evaluation.pk, interview.pk]
    )
    assert interview.peer_worker == team.worker_a
    assert interview.double_rated
    assert interview.date == dt.date(2025, 2, 3)


def test_an_interview_may_be_about_the_service_rather_than_a_peer_worker(team: Team) -> None:
    _post(team, team.rater, _form(team, peer_worker=""))
    assert Interview.objects.get(code="I-0100").peer_worker is None


def test_a_peer_worker_of_another_evaluation_is_refused(team: Team) -> None:
    response = _post(team, team.lead, _form(team, peer_worker=team.other_worker.pk))
    assert response.status_code == 400
    assert not Interview.objects.filter(code="I-0100").exists()


def test_a_peer_worker_of_another_service_is_refused(team: Team) -> None:
    response = _post(team, team.lead, _form(team, peer_worker=team.worker_b.pk))
    assert response.status_code == 400
    assert "PW-B1 works in another service" in response.content.decode()


def test_a_rater_cannot_record_an_interview_in_a_service_not_theirs(team: Team) -> None:
    response = _post(
        team, team.rater, _form(team, service=team.service_b.pk, peer_worker=team.worker_b.pk)
    )
    assert response.status_code == 400
    assert not Interview.objects.filter(code="I-0100").exists()


def test_a_withdrawn_peer_worker_gets_no_new_interviews(team: Team) -> None:
    team.worker_a.withdrawn = True
    team.worker_a.save()
    response = _post(team, team.lead, _form(team))
    assert response.status_code == 400
    assert not Interview.objects.filter(code="I-0100").exists()


def test_a_future_date_is_refused_and_the_input_kept(team: Team) -> None:
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    response = _post(team, team.lead, _form(team, date=tomorrow))
    page = response.content.decode()
    assert response.status_code == 400
    assert "cannot be in the future" in page
    assert 'value="I-0100"' in page
    assert f'value="{tomorrow}"' in page
    assert 'aria-describedby="id_date_helptext id_date_error"' in page


def test_a_viewer_cannot_record_interviews(team: Team) -> None:
    assert _post(team, team.viewer, _form(team)).status_code == 403


def test_recording_an_interview_refuses_other_methods(team: Team) -> None:
    response = team.client_for(team.lead).delete(
        reverse("interviews:create", args=[team.evaluation.pk])
    )
    assert response.status_code == 405
