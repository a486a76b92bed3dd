"""Opening a reflection cycle: one per service and round, for the person's own services."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.reflection_cycle_fixtures import as_, open_cycle
from tests.web.results_fixtures import Scored, scored_fixture  # noqa: F401 (the scored fixture)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.errors import InvalidInput
from peerprinciples.web.evaluations.models import Round
from peerprinciples.web.library.models import StoredFramework, StoredGuide
from peerprinciples.web.reflection.models import Cycle
from peerprinciples.web.reflection.services import cycles as services

pytestmark = pytest.mark.django_db


def _open(team: Team) -> str:
    return reverse("reflection:open", args=[team.evaluation.pk])


def _choice(team: Team, service: int, round: Round | None = None) -> dict[str, object]:
    return {
        "pair": f"{service}-{(round or team.round).pk}",
        "guide": StoredGuide.objects.get(key="enrich-reflection").pk,
    }


def _offered(page: str) -> list[str]:
    """The labels of the service-and-round choices on the page."""
    found = re.search(r'<select name="pair".*?</select>', page, re.S)
    return re.findall(r"<option[^>]*>([^<]*)</option>", found.group(0)) if found else []


def test_a_facilitator_opens_their_services_cycle_and_it_is_audited(team: Team) -> None:
    response = as_(team, "facilitator").post(_open(team), _choice(team, team.service_a.pk))
    cycle = Cycle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reflection:cycle", args=[team.evaluation.pk, cycle.pk])
    assert (cycle.service, cycle.round, cycle.opened_by) == (
        team.service_a,
        team.round,
        team.facilitator,
    )
    event = AuditEvent.objects.get(object_type="reflection.Cycle", action="create")
    assert event.user == team.facilitator
    assert "Opened the reflection cycle of A in Baseline" in event.summary


def test_the_form_offers_the_facilitators_own_services_and_the_newest_guide(team: Team) -> None:
    page = as_(team, "facilitator").get(_open(team)).content.decode()
    assert _offered(page) == ["A (North team) — Baseline"]
    assert "South team" not in page
    assert "enrich-reflection@1" in page


def test_rounds_that_have_a_cycle_are_not_offered_and_the_newest_free_one_is_chosen(
    team: Team,
) -> None:
    Round.objects.create(evaluation=team.evaluation, number=2, label="Autumn review")
    third = Round.objects.create(evaluation=team.evaluation, number=3)
    open_cycle(team, round=third)
    page = as_(team, "lead").get(_open(team)).content.decode()
    assert _offered(page) == [
        "A (North team) — Baseline",
        "A (North team) — Autumn review",
        "B (South team) — Baseline",
        "B (South team) — Autumn review",
        "B (South team) — Round 3",
    ]
    assert f'value="{team.service_b.pk}-{third.pk}" selected' in page


def test_when_every_round_has_a_cycle_a_facilitator_is_told_to_ask_the_lead(team: Team) -> None:
    open_cycle(team)
    response = as_(team, "facilitator").get(_open(team))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="pair"' not in page
    assert "Every round of A already has a reflection cycle." in page
    assert "A lead adds a new round on the evaluation’s page, under Rounds" in page
    assert reverse("evaluations:detail", args=[team.evaluation.pk]) + "#rounds" not in page


def test_when_every_round_has_a_cycle_a_lead_gets_a_link_to_add_one(team: Team) -> None:
    open_cycle(team)
    open_cycle(team, team.service_b)
    page = as_(team, "lead").get(_open(team)).content.decode()
    assert "Every round of A and B already has a reflection cycle." in page
    assert reverse("evaluations:detail", args=[team.evaluation.pk]) + "#rounds" in page


def test_a_cycle_opened_meanwhile_for_the_same_service_and_round_links_to_it(team: Team) -> None:
    first = open_cycle(team)
    response = as_(team, "facilitator").post(_open(team), _choice(team, team.service_a.pk))
    assert response.status_code == 409
    page = response.content.decode()
    assert "already has a reflection cycle in Baseline" in page
    assert reverse("reflection:cycle", args=[team.evaluation.pk, first.pk]) in page
    assert Cycle.objects.count() == 1


def test_a_facilitator_of_a_reaching_for_b_is_refused(team: Team) -> None:
    response = as_(team, "facilitator").post(_open(team), _choice(team, team.service_b.pk))
    assert response.status_code == 403
    assert not Cycle.objects.exists()


def test_a_coordinator_may_not_open_a_cycle(team: Team) -> None:
    response = as_(team, "coordinator").post(_open(team), _choice(team, team.service_a.pk))
    assert response.status_code == 403


def test_a_missing_choice_is_explained(team: Team) -> None:
    response = as_(team, "lead").post(_open(team), {"guide": ""})
    assert response.status_code == 400
    assert "There are problems to put right" in response.content.decode()


def test_a_round_of_another_evaluation_is_not_taken(team: Team) -> None:
    foreign = Round.objects.exclude(evaluation=team.evaluation).first()
    assert foreign is not None
    response = as_(team, "lead").post(_open(team), _choice(team, team.service_a.pk, foreign))
    assert response.status_code == 400
    assert not Cycle.objects.exists()


def test_a_guide_following_another_framework_is_refused(team: Team) -> None:
    stored = team.evaluation.framework
    other = StoredFramework.objects.create(
        key="other-framework", version="1", title="Other", document=stored.document
    )
    mine = StoredGuide.objects.get(key="enrich-reflection")
    foreign = StoredGuide.objects.create(
        key="other-guide", version="1", title="Other", document=mine.document, framework=other
    )
    with pytest.raises(InvalidInput) as caught:
        services.open_cycle(
            team.lead, team.evaluation, service=team.service_a, round=team.round, guide=foreign
        )
    assert "guide" in caught.value.problems
    page = as_(team, "lead").get(_open(team)).content.decode()
    assert "other-guide" not in page


def test_without_results_the_cycle_says_it_is_self_assessment_only(team: Team) -> None:
    cycle = open_cycle(team)
    page = as_(team, "facilitator").get(
        reverse("reflection:cycle", args=[team.evaluation.pk, cycle.pk])
    )
    assert "No fidelity results for this round: this cycle is self-assessment only." in (
        page.content.decode()
    )


def test_with_results_the_cycle_says_there_are_results_for_this_round(scored: Scored) -> None:
    team = scored.team
    cycle = open_cycle(team)
    page = as_(team, "facilitator").get(
        reverse("reflection:cycle", args=[team.evaluation.pk, cycle.pk])
    )
    assert "There are fidelity results for this round." in page.content.decode()


def test_the_form_refuses_other_methods(team: Team) -> None:
    assert as_(team, "lead").put(_open(team)).status_code == 405
