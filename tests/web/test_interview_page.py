"""An interview's page, its rating sheets, and marking it for double rating."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.interviews.models import Interview

pytestmark = pytest.mark.django_db


def _page(team: Team, user: object, interview: Interview) -> Any:
    return team.client_for(user).get(
        reverse("interviews:detail", args=[team.evaluation.pk, interview.pk])
    )


def _all(team: Team, value: str = "3") -> dict[str, str]:
    return dict.fromkeys(team.item_keys(), value)


def test_it_shows_the_interview_by_codes_only(team: Team) -> None:
    interview = team.interview()
    response = _page(team, team.rater, interview)
    page = response.content.decode()
    assert response.status_code == 200
    assert "PW-A1" in page
    assert "Rate this interview" in page


def test_an_interview_of_another_evaluation_is_not_found(team: Team) -> None:
    response = _page(team, team.lead, team.other_interview)
    assert response.status_code == 404


def test_a_coordinator_cannot_open_an_interview_outside_their_services(team: Team) -> None:
    interview = team.interview("I-B", service=team.service_b, worker=team.worker_b)
    assert _page(team, team.coordinator, interview).status_code == 403


def test_a_second_rater_cannot_see_the_first_raters_sheet_until_both_are_final(
    team: Team,
) -> None:
    interview = team.interview(double_rated=True)
    team.rate(interview, team.rater, _all(team, "4"))
    first = interview.sheets.get(rater=team.rater)
    sheet_url = reverse("interviews:sheet", args=[team.evaluation.pk, interview.pk, first.pk])
    team.rate(interview, team.second_rater, _all(team, "2"), finalise=False)

    second = team.client_for(team.second_rater)
    assert sheet_url not in _page(team, team.second_rater, interview).content.decode()
    assert second.get(sheet_url).status_code == 403

    team.rate(interview, team.second_rater, _all(team, "2"))
    assert sheet_url in _page(team, team.second_rater, interview).content.decode()
    response = second.get(sheet_url)
    assert response.status_code == 200
    assert "4 — Present most of the time" in response.content.decode()


def test_a_sheet_of_another_interview_is_not_found(team: Team) -> None:
    interview = team.interview(double_rated=True)
    other = team.interview("I-0002")
    team.rate(other, team.rater, _all(team))
    sheet = other.sheets.get()
    url = reverse("interviews:sheet", args=[team.evaluation.pk, interview.pk, sheet.pk])
    assert team.client_for(team.rater).get(url).status_code == 404


def test_the_lead_marks_an_interview_for_double_rating(team: Team) -> None:
    interview = team.interview()
    response = team.client_for(team.lead).post(
        reverse("interviews:double_rating", args=[team.evaluation.pk, interview.pk]),
        {"double_rated": "1", "version": interview.version},
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.double_rated


def test_a_stale_double_rating_form_changes_nothing_and_says_why(team: Team) -> None:
    interview = team.interview()
    opened_at = interview.version
    team.rate(interview, team.rater, _all(team))  # someone else finishes it meanwhile
    client = team.client_for(team.lead)
    response = client.post(
        reverse("interviews:double_rating", args=[team.evaluation.pk, interview.pk]),
        {"double_rated": "1", "version": opened_at},
        follow=True,
    )
    interview.refresh_from_db()
    assert not interview.double_rated
    assert "Someone else changed this interview" in response.content.decode()


def test_only_the_lead_marks_double_rating_and_only_by_post(team: Team) -> None:
    interview = team.interview()
    url = reverse("interviews:double_rating", args=[team.evaluation.pk, interview.pk])
    form = {"double_rated": "1", "version": interview.version}
    assert team.client_for(team.rater).post(url, form).status_code == 403
    assert team.client_for(team.coordinator).post(url, form).status_code == 403
    assert team.client_for(team.lead).get(url).status_code == 405
    interview.refresh_from_db()
    assert not interview.double_rated
