"""Panel members and the facilitator rate every card on each question, during the rating
stage; they can save part of the way and come back."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.coproduction_mapping_fixtures import add_cards, add_scales

from peerprinciples.web.coproduction.models import Card, Project, StatementRating
from peerprinciples.web.coproduction.services.ratings import ratings_of, ratings_stamp

pytestmark = pytest.mark.django_db


@pytest.fixture
def rating_project(panel) -> Any:  # type: ignore[no-untyped-def]
    """The panel's project at the rating stage, with nine cards and two scales."""
    panel.project.stage = Project.Stage.RATING
    panel.project.save()
    add_cards(panel.project)
    add_scales(panel.project)
    return panel.project


def _url(project: Project) -> str:
    return reverse("coproduction:rate", args=[project.pk])


def _field(card: Card, key: str) -> str:
    return f"rating-{card.pk}-{card.project.scales.get(key=key).pk}"


def _stamp(panel, user) -> str:  # type: ignore[no-untyped-def]
    return ratings_stamp(ratings_of(panel.member(user)))


def test_the_sheet_asks_every_live_card_on_every_scale(panel, rating_project) -> None:  # type: ignore[no-untyped-def]
    merged = Card.objects.get(project=rating_project, number=9)
    merged.merged_into = Card.objects.get(project=rating_project, number=1)
    merged.save()
    page = panel.client_for(panel.panel).get(_url(rating_project)).content.decode()
    assert page.count('type="radio"') == 8 * 2 * 6  # eight live cards, two scales, 5 points + none
    assert "Card 8" in page
    assert "Card 9" not in page
    assert "You have given <strong>0</strong> of 16 ratings" in page


def test_a_member_saves_part_and_comes_back_to_the_rest(panel, rating_project) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.panel)
    first, second = Card.objects.filter(project=rating_project).order_by("number")[:2]
    response = client.post(
        _url(rating_project),
        {
            "stamp": _stamp(panel, panel.panel),
            _field(first, "importance"): "5",
            _field(first, "feasibility"): "2",
            _field(second, "importance"): "",
        },
    )
    assert response.status_code == 302
    assert ratings_of(panel.member(panel.panel)) == {
        (first.pk, first.project.scales.get(key="importance").pk): 5,
        (first.pk, first.project.scales.get(key="feasibility").pk): 2,
    }
    page = client.get(_url(rating_project)).content.decode()
    assert "You have given <strong>2</strong> of 18 ratings" in page
    again = client.post(
        _url(rating_project),
        {
            "stamp": _stamp(panel, panel.panel),
            _field(first, "importance"): "",
            _field(second, "importance"): "4",
        },
    )
    assert again.status_code == 302
    values = sorted(
        StatementRating.objects.filter(member__user=panel.panel).values_list(
            "card__number", "value"
        )
    )
    assert values == [(1, 2), (2, 4)]


def test_coming_back_the_sheet_links_to_the_questions_still_open(panel, rating_project) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.panel)
    page = client.get(_url(rating_project)).content.decode()
    assert "Still to rate" not in page  # nothing given yet: every question is open
    cards = list(Card.objects.filter(project=rating_project).order_by("number"))
    answers = {_field(card, key): "3" for card in cards for key in ("importance", "feasibility")}
    del answers[_field(cards[2], "feasibility")]
    del answers[_field(cards[6], "importance")]
    client.post(_url(rating_project), {"stamp": _stamp(panel, panel.panel), **answers})
    page = client.get(_url(rating_project)).content.decode()
    assert "You have given <strong>16</strong> of 18 ratings" in page
    assert (
        f'Still to rate: <a href="#{_field(cards[2], "feasibility")}">card 3 (Feasibility)</a>, '
        f'<a href="#{_field(cards[6], "importance")}">card 7 (Importance)</a>.'
    ) in page
    assert f'id="{_field(cards[2], "feasibility")}"' in page  # the link's target


def test_a_save_over_ratings_changed_in_another_window_is_refused(panel, rating_project) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.panel)
    card = Card.objects.get(project=rating_project, number=1)
    opened = _stamp(panel, panel.panel)
    client.post(_url(rating_project), {"stamp": opened, _field(card, "importance"): "5"})
    stale = client.post(_url(rating_project), {"stamp": opened, _field(card, "importance"): "1"})
    assert stale.status_code == 409
    assert "changed since this page was opened" in stale.content.decode()
    assert StatementRating.objects.get(card=card).value == 5


@pytest.mark.parametrize("value", ["6", "0", "three"])
def test_a_value_off_the_scale_is_refused_and_nothing_is_saved(
    panel, rating_project, value
) -> None:  # type: ignore[no-untyped-def]
    cards = Card.objects.filter(project=rating_project).order_by("number")
    response = panel.client_for(panel.panel).post(
        _url(rating_project),
        {
            "stamp": _stamp(panel, panel.panel),
            _field(cards[0], "importance"): "4",
            _field(cards[1], "importance"): value,
        },
    )
    assert response.status_code == 400
    assert "Card 2: choose a point from 1 to 5" in response.content.decode()
    assert not StatementRating.objects.exists()


def test_a_card_merged_away_after_the_page_opened_is_refused(panel, rating_project) -> None:  # type: ignore[no-untyped-def]
    cards = list(Card.objects.filter(project=rating_project).order_by("number"))
    wanted = {"stamp": _stamp(panel, panel.panel), _field(cards[8], "importance"): "3"}
    cards[8].merged_into = cards[0]
    cards[8].save()
    response = panel.client_for(panel.panel).post(_url(rating_project), wanted)
    assert response.status_code == 400
    assert "no longer in the project" in response.content.decode()
    assert not StatementRating.objects.exists()


@pytest.mark.parametrize(
    "stage", [Project.Stage.CARDS, Project.Stage.SORTING, Project.Stage.MAPPING]
)
def test_outside_the_rating_stage_the_page_says_why_and_saves_nothing(
    panel, rating_project, stage
) -> None:  # type: ignore[no-untyped-def]
    rating_project.stage = stage
    rating_project.save()
    client = panel.client_for(panel.panel)
    page = client.get(_url(rating_project))
    assert page.status_code == 200
    text = page.content.decode()
    assert "cannot be rated now" in text
    assert "facilitator" in text
    assert 'type="radio"' not in text
    card = Card.objects.get(project=rating_project, number=1)
    refused = client.post(
        _url(rating_project), {"stamp": _stamp(panel, panel.panel), _field(card, "importance"): "3"}
    )
    assert refused.status_code == 409
    assert not StatementRating.objects.exists()


def test_the_facilitator_rates_too_but_not_the_research_team(panel, rating_project) -> None:  # type: ignore[no-untyped-def]
    assert panel.client_for(panel.facilitator).get(_url(rating_project)).status_code == 200
    assert panel.client_for(panel.research).get(_url(rating_project)).status_code == 403


def test_without_scales_the_page_says_so(panel) -> None:  # type: ignore[no-untyped-def]
    panel.project.stage = Project.Stage.RATING
    panel.project.save()
    add_cards(panel.project)
    page = panel.client_for(panel.panel).get(_url(panel.project)).content.decode()
    assert "has not set the rating questions yet" in page
