"""One principle's three questions, with the service's results beside them as prompts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.conftest import Team
from tests.web.reflection_cycle_fixtures import (
    SECRET,
    as_,
    cycle_a_fixture,  # noqa: F401 (the cycle_a fixture)
    cycle_b_fixture,  # noqa: F401 (the cycle_b fixture)
    open_cycle,
    url,
)
from tests.web.results_fixtures import (
    Scored,
    cells,
    scored_fixture,  # noqa: F401 (the scored fixture)
)

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.reflection.models import Cycle, Reflection
from peerprinciples.web.reflection.services import cycles as services

pytestmark = pytest.mark.django_db


def _answers(
    going_well: str = "", hard: str = "", try_next: str = "", version: object = ""
) -> dict:
    return {"going_well": going_well, "hard": hard, "try_next": try_next, "version": version}


def test_the_page_asks_the_three_questions_of_the_principle(team: Team, cycle_a: Cycle) -> None:
    page = as_(team, "facilitator").get(url("reflect", cycle_a, "mutuality")).content.decode()
    assert "<h1>Mutuality and reciprocity</h1>" in page
    for question in (
        "When did support flow both ways, with each person giving and receiving?",
        "Where did the relationship feel one-sided, or like staff and patient?",
        "What could we try so that both people share and learn from each other?",
    ):
        assert question in page
    assert "No fidelity results for this round: this cycle is self-assessment only." in page


def test_saving_keeps_the_answers_and_the_principles_title_and_audits_without_the_text(
    team: Team, cycle_a: Cycle
) -> None:
    response = as_(team, "facilitator").post(
        url("reflect", cycle_a, "relationships"), _answers(going_well=SECRET)
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#topic-relationships")
    saved = Reflection.objects.get()
    assert (saved.going_well, saved.hard, saved.principle_title) == (
        SECRET,
        "",
        "Relationships built on shared lived experience",
    )
    event = AuditEvent.objects.get(object_type="reflection.Reflection")
    assert "Wrote the reflection on Relationships built on" in event.summary
    assert SECRET not in str(event.summary) + str(event.after) + str(event.before)


def test_every_answer_is_optional(team: Team, cycle_a: Cycle) -> None:
    response = as_(team, "facilitator").post(url("reflect", cycle_a, "mutuality"), _answers())
    assert response.status_code == 302
    assert Reflection.objects.get().version == 1


def test_a_theme_is_reflected_on_too_and_has_no_score(scored: Scored) -> None:
    team = scored.team
    cycle = open_cycle(team)
    page = as_(team, "facilitator").get(url("reflect", cycle, "diversity-of-lived-experience"))
    assert "The fidelity index gives no score for this theme" in page.content.decode()
    response = as_(team, "facilitator").post(
        url("reflect", cycle, "diversity-of-lived-experience"), _answers(hard="Our leaflets")
    )
    assert response.status_code == 302
    assert (
        Reflection.objects.get().principle_title == "Respecting the diversity of lived experience"
    )


def test_a_key_the_guide_has_not_got_is_not_found(team: Team, cycle_a: Cycle) -> None:
    assert as_(team, "facilitator").get(url("reflect", cycle_a, "kindness")).status_code == 404


def test_a_second_save_over_someone_elses_is_refused_and_nothing_is_lost(
    team: Team, cycle_a: Cycle
) -> None:
    target = url("reflect", cycle_a, "relationships")
    # Both open the empty page; the lead saves first.
    as_(team, "lead").post(target, _answers(going_well="Weekly walks went well"))
    response = as_(team, "facilitator").post(target, _answers(going_well="Peer group is thriving"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this reflection after you opened it" in page
    assert "What someone else saved meanwhile" in page
    assert "Weekly walks went well" in page  # theirs, beside
    assert "Peer group is thriving</textarea>" in page  # yours, still in the form
    assert 'name="version" value="1"' in page
    assert Reflection.objects.get().going_well == "Weekly walks went well"
    # Having brought the two together, the facilitator saves again.
    merged = _answers(going_well="Weekly walks; the peer group is thriving", version=1)
    assert as_(team, "facilitator").post(target, merged).status_code == 302
    saved = Reflection.objects.get()
    assert (saved.going_well, saved.version) == ("Weekly walks; the peer group is thriving", 2)


def test_a_save_from_an_old_version_is_refused(team: Team, cycle_a: Cycle) -> None:
    services.save_reflection(
        team.lead, cycle_a, "mutuality", answers=_answers(hard="first"), expected_version=None
    )
    services.save_reflection(
        team.lead, cycle_a, "mutuality", answers=_answers(hard="second"), expected_version=1
    )
    response = as_(team, "facilitator").post(
        url("reflect", cycle_a, "mutuality"), _answers(hard="mine", version=1)
    )
    assert response.status_code == 409
    assert Reflection.objects.get().hard == "second"


def test_the_results_are_the_services_own_hidden_exactly_as_a_viewer_gets_them(
    scored: Scored,
) -> None:
    team = scored.team
    cycle = open_cycle(team, round=scored.rounds[1])
    page = as_(team, "facilitator").get(url("reflect", cycle, "relationships")).content.decode()
    shown = {k: v for k, v in cells(page).items() if k.startswith("cell:relationships/")}
    viewers = cells(
        as_(team, "viewer")
        .get(reverse("results:service", args=[team.evaluation.pk, team.service_a.pk]))
        .content.decode()
    )
    assert shown  # both rounds, every informant and all of them
    assert {k.split("/")[1] for k in shown} == {"1", "2"}
    for mark, text in shown.items():
        assert text == viewers[mark], mark
    assert any("Hidden: fewer than 5 interviews" in text for text in shown.values())
    assert "Peer workers’ own view and others’ views in Follow-up" in page


def test_an_earlier_rounds_cycle_shows_no_later_round(scored: Scored) -> None:
    team = scored.team
    cycle = open_cycle(team)
    page = as_(team, "facilitator").get(url("reflect", cycle, "relationships")).content.decode()
    rounds = {k.split("/")[1] for k in cells(page) if k.startswith("cell:")}
    assert rounds == {"1"}


def test_a_finished_cycles_reflections_are_read_only(team: Team, cycle_a: Cycle) -> None:
    services.save_reflection(
        team.lead, cycle_a, "mutuality", answers=_answers(hard="kept"), expected_version=None
    )
    services.finish_cycle(team.lead, cycle_a)
    target = url("reflect", cycle_a, "mutuality")
    page = as_(team, "facilitator").get(target).content.decode()
    assert "This cycle is finished" in page
    assert "<textarea" not in page
    response = as_(team, "facilitator").post(target, _answers(hard="changed", version=1))
    assert response.status_code == 409
    assert "This cycle is finished" in response.content.decode()
    assert Reflection.objects.get().hard == "kept"


@pytest.mark.parametrize("persona", ["coordinator", "peer_worker", "rater", "viewer"])
def test_only_the_people_running_it_write_reflections(
    team: Team, cycle_a: Cycle, persona: str
) -> None:
    assert as_(team, persona).get(url("reflect", cycle_a, "mutuality")).status_code == 403


def test_a_facilitator_of_a_reaching_for_b_is_refused(team: Team, cycle_b: Cycle) -> None:
    response = as_(team, "facilitator").post(url("reflect", cycle_b, "mutuality"), _answers("x"))
    assert response.status_code == 403
    assert not Reflection.objects.exists()


def test_the_page_refuses_other_methods(team: Team, cycle_a: Cycle) -> None:
    assert as_(team, "facilitator").put(url("reflect", cycle_a, "mutuality")).status_code == 405
