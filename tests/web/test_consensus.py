"""Agreeing the ratings of a double-rated interview."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.conftest import Team

from peerprinciples.web.interviews.models import ConsensusRating, Interview

pytestmark = pytest.mark.django_db


def _double_rated(team: Team) -> Interview:
    """Both raters agree on every item except the first: 4 against 2."""
    interview = team.interview(double_rated=True)
    keys = team.item_keys()
    team.rate(interview, team.rater, {**dict.fromkeys(keys, "3"), keys[0]: "4"})
    team.rate(interview, team.second_rater, {**dict.fromkeys(keys, "3"), keys[0]: "2"})
    interview.refresh_from_db()
    return interview


def _url(team: Team, interview: Interview) -> str:
    return reverse("interviews:consensus", args=[team.evaluation.pk, interview.pk])


def _form(team: Team, interview: Interview, first: str, reason: str = "") -> dict[str, Any]:
    keys = team.item_keys()
    form: dict[str, Any] = {f"agreed-{key}": "3" for key in keys}
    form[f"agreed-{keys[0]}"] = first
    form[f"reason-{keys[0]}"] = reason
    form["version"] = interview.version
    return form


def test_it_shows_both_ratings_side_by_side_and_marks_differences_in_words(team: Team) -> None:
    interview = _double_rated(team)
    response = team.client_for(team.coordinator).get(_url(team, interview))
    page = response.content.decode()
    first, second = team.item_keys()[:2]
    assert response.status_code == 200
    assert page.count(">Differs<") == 1
    assert "4 — Present most of the time" in page
    assert "2 — Present now and then" in page
    assert f'<select name="agreed-{first}" id="agreed-{first}">' in page
    prefilled = page.split(f'name="agreed-{second}"')[1].split("</select>")[0]
    assert '<option value="3" selected>' in prefilled
    undecided = page.split(f'name="agreed-{first}"')[1].split("</select>")[0]
    assert '<option value="" selected>' in undecided


def test_an_agreed_rating_unlike_both_raters_needs_a_reason(team: Team) -> None:
    interview = _double_rated(team)
    client = team.client_for(team.coordinator)
    response = client.post(_url(team, interview), _form(team, interview, "5"))
    page = response.content.decode()
    first = team.item_keys()[0]
    assert response.status_code == 400
    assert "say briefly how you reached it" in page
    assert f'href="#agreed-{first}"' in page
    assert '<option value="5" selected>' in page
    assert not ConsensusRating.objects.exists()

    response = client.post(
        _url(team, interview), _form(team, interview, "5", reason="Heard more in the recording.")
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.status == "final"
    assert ConsensusRating.objects.get(interview=interview, item=first).value == 5


def test_an_agreed_rating_matching_one_rater_needs_no_reason(team: Team) -> None:
    interview = _double_rated(team)
    response = team.client_for(team.lead).post(_url(team, interview), _form(team, interview, "4"))
    assert response.status_code == 302
    assert ConsensusRating.objects.filter(interview=interview).count() == len(team.item_keys())


def test_consensus_posted_twice_is_recorded_once(team: Team) -> None:
    interview = _double_rated(team)
    client = team.client_for(team.coordinator)
    form = _form(team, interview, "4")
    client.post(_url(team, interview), form)
    response = client.post(_url(team, interview), form, follow=True)
    assert "Someone else changed this interview" in response.content.decode()
    assert ConsensusRating.objects.filter(interview=interview).count() == len(team.item_keys())


def test_consensus_waits_until_both_ratings_are_final(team: Team) -> None:
    interview = team.interview(double_rated=True)
    team.rate(interview, team.rater, dict.fromkeys(team.item_keys(), "3"))
    response = team.client_for(team.coordinator).get(_url(team, interview))
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "interviews:detail", args=[team.evaluation.pk, interview.pk]
    )


def test_a_rater_may_not_record_consensus(team: Team) -> None:
    interview = _double_rated(team)
    client = team.client_for(team.rater)
    assert client.get(_url(team, interview)).status_code == 403
    assert client.post(_url(team, interview), _form(team, interview, "4")).status_code == 403
    assert not ConsensusRating.objects.exists()
