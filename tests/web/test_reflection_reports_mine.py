"""A peer worker's own results: only when the lead turns it on, others' views protected."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.results_fixtures import (
    Scored,
    cells,
    mean_of,
    scored_fixture,  # noqa: F401 (the scored fixture)
)

pytestmark = pytest.mark.django_db


def _url(team: Team) -> str:
    return reverse("results:mine", args=[team.evaluation.pk])


def _share(team: Team, on: bool = True) -> None:
    team.evaluation.peer_workers_see_own_results = on
    team.evaluation.save(update_fields=["peer_workers_see_own_results"])


def test_with_own_results_off_the_peer_worker_is_told_the_lead_has_not_turned_it_on(
    team: Team,
) -> None:
    response = team.client_for(team.peer_worker).get(_url(team))
    assert response.status_code == 403
    assert "has not turned on peer workers seeing their own results" in response.content.decode()


def test_with_own_results_on_the_peer_worker_sees_their_own_view_by_round(scored: Scored) -> None:
    team = scored.team
    _share(team)
    response = team.client_for(team.peer_worker).get(_url(team))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your own results (PW-A1)" in page
    shown = cells(page)
    frame = scored.scores()
    own = frame[(frame["peer_worker"] == "PW-A1") & (frame["informant"] == "peer_worker")]
    domain = team.instrument.domains[0].key
    for number, round_ in enumerate(scored.rounds, start=1):
        expected = own[own["round"] == number][domain].mean()
        mark = f"cell:{domain}/{round_.number}/peer_worker"
        assert mean_of(shown[mark]) == pytest.approx(expected, abs=0.005), mark


def test_what_a_few_others_said_is_hidden_from_the_peer_worker(scored: Scored) -> None:
    team = scored.team
    _share(team)
    shown = cells(team.client_for(team.peer_worker).get(_url(team)).content.decode())
    domain = team.instrument.domains[0].key
    for round_ in scored.rounds:
        for informant in ("supervisor", "supported_person"):
            mark = f"cell:{domain}/{round_.number}/{informant}"
            assert "Hidden" in shown[mark], mark
        # Each round's margin holds two of others' interviews: taking the own view away
        # would show them, so it is hidden too.
        assert "Hidden" in shown[f"cell:{domain}/{round_.number}/all"]
    assert "Hidden" in shown[f"cell:{domain}/all/all"]
    assert "Hidden" not in shown[f"cell:{domain}/all/peer_worker"]


def test_own_results_are_for_peer_workers_only(team: Team) -> None:
    _share(team)
    for user in (team.lead, team.coordinator, team.facilitator, team.viewer):
        assert team.client_for(user).get(_url(team)).status_code == 403


def test_an_outsider_is_told_the_evaluation_does_not_exist(team: Team) -> None:
    _share(team)
    assert team.client_for(team.outsider).get(_url(team)).status_code == 404


def test_own_results_take_no_post(team: Team) -> None:
    _share(team)
    assert team.client_for(team.peer_worker).post(_url(team)).status_code == 405


def test_home_and_overview_link_to_own_results_only_when_shared(team: Team) -> None:
    client = team.client_for(team.peer_worker)
    overview = reverse("evaluations:detail", args=[team.evaluation.pk])
    assert _url(team) not in client.get(reverse("home")).content.decode()
    assert _url(team) not in client.get(overview).content.decode()
    _share(team)
    assert _url(team) in client.get(reverse("home")).content.decode()
    assert _url(team) in client.get(overview).content.decode()
