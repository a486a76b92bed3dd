"""Panel members write their cards while the cards stage lasts, change or delete their own,
and see everyone's by number and words, never who wrote them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.conftest import Panel

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import (
    Card,
    GroupSort,
    Pile,
    Placement,
    Project,
)
from peerprinciples.web.coproduction.services.cards import CARD_LENGTH, live_cards

pytestmark = pytest.mark.django_db


def _url(panel: Panel, name: str, *args: Any) -> str:
    return reverse(f"coproduction:{name}", args=[panel.project.pk, *args])


@pytest.fixture
def writing(panel: Panel) -> Panel:
    """The panel, with the project in its cards stage."""
    Project.objects.filter(pk=panel.project.pk).update(stage=Project.Stage.CARDS)
    panel.project.refresh_from_db()
    return panel


def _write(panel: Panel, user: Any, text: str) -> Any:
    return panel.client_for(user).post(_url(panel, "cards"), {"text": text})


def test_a_panel_member_writes_a_card_and_is_told_how_many_are_left(writing: Panel) -> None:
    client = writing.client_for(writing.panel)
    page = client.get(_url(writing, "cards")).content.decode()
    assert "What makes peer support work well in our community?" in page
    assert "You have written 0 of 5 cards." in page
    response = client.post(_url(writing, "cards"), {"text": "  Being   believed. "})
    assert response.status_code == 302
    card = Card.objects.get(project=writing.project)
    assert (card.number, card.text, card.author.code) == (1, "Being believed.", "P01")
    assert not card.from_paper
    page = client.get(response["Location"]).content.decode()
    assert "Card 1 is saved. You have written 1 of 5 cards." in page
    assert "You can write 4 more." in page
    event = AuditEvent.objects.get(object_type="coproduction.Card")
    assert event.summary == "P01 wrote card 1"
    assert "believed" not in str(event.after)


def test_the_limit_is_said_plainly_and_kept(writing: Panel) -> None:
    for n in range(5):
        _write(writing, writing.panel, f"Statement {n}")
    client = writing.client_for(writing.panel)
    page = client.get(_url(writing, "cards")).content.decode()
    assert "You have written 5 of 5 cards." in page
    assert 'id="write-card"' not in page
    response = client.post(_url(writing, "cards"), {"text": "One too many"})
    assert (
        "You have written 5 of 5 cards, the most each member writes"
        in client.get(response["Location"]).content.decode()
    )
    assert Card.objects.filter(project=writing.project).count() == 5


def test_at_the_limit_the_page_says_which_own_cards_can_still_change(writing: Panel) -> None:
    for n in range(5):
        _write(writing, writing.panel, f"Statement {n}")
    client = writing.client_for(writing.panel)
    page = client.get(_url(writing, "cards")).content.decode()
    assert "you can still change your cards while this stage lasts" in page
    assert "the facilitator sets it on the project’s settings page" in page
    # Once others have sorted some of them, the page says which stay as they are.
    group = GroupSort.objects.create(
        project=writing.project, title="Meeting", created_by=writing.facilitator
    )
    pile = Pile.objects.create(group_sort=group, label="All")
    own = list(Card.objects.filter(project=writing.project).order_by("number"))
    for card in own[:2]:
        Placement.objects.create(pile=pile, card=card, group_sort=group)
    page = client.get(_url(writing, "cards")).content.decode()
    assert "you can still change the cards not marked below" in page
    assert page.count("Sorted or rated already, so it stays as it is.") == 2
    for card in own[2:]:
        Placement.objects.create(pile=pile, card=card, group_sort=group)
    page = client.get(_url(writing, "cards")).content.decode()
    assert "Your cards have been sorted or rated already, so they stay as they are." in page
    assert "you can still change" not in page


def test_cards_are_numbered_in_the_order_they_arrive(writing: Panel) -> None:
    _write(writing, writing.panel, "First")
    _write(writing, writing.panel_b, "Second")
    _write(writing, writing.facilitator, "Third")
    assert [(c.number, c.text) for c in live_cards(writing.project)] == [
        (1, "First"),
        (2, "Second"),
        (3, "Third"),
    ]


def test_outside_the_cards_stage_the_page_says_why_and_who_moves_it(panel: Panel) -> None:
    client = panel.client_for(panel.panel)
    page = client.get(_url(panel, "cards")).content.decode()
    assert "The project is at the stage <strong>“Setting up”</strong>" in page
    assert "The facilitator (F01) moves the project" in page
    assert 'id="write-card"' not in page
    response = client.post(_url(panel, "cards"), {"text": "Too early"})
    assert response.status_code == 302
    assert (
        "cards are not written or changed online now"
        in client.get(response["Location"]).content.decode()
    )
    assert not Card.objects.exists()


def test_the_research_team_reads_cards_but_does_not_write_them(writing: Panel) -> None:
    _write(writing, writing.panel, "Hope matters.")
    client = writing.client_for(writing.research)
    page = client.get(_url(writing, "cards")).content.decode()
    assert "Hope matters." in page
    assert "Your cards" not in page
    assert _write(writing, writing.research, "Not mine to write").status_code == 403
    assert Card.objects.count() == 1


def test_members_never_see_who_wrote_a_card(writing: Panel) -> None:
    _write(writing, writing.panel, "Hope matters.")
    card = Card.objects.get()
    for user in (writing.panel_b, writing.research):
        client = writing.client_for(user)
        listed = client.get(_url(writing, "cards")).content.decode()
        alone = client.get(_url(writing, "card", card.pk)).content.decode()
        for page in (listed, alone):
            assert "Hope matters." in page
            assert "P01" not in page
            assert "Written by" not in page


def test_the_facilitator_sees_who_wrote_each_card(writing: Panel) -> None:
    _write(writing, writing.panel, "Hope matters.")
    page = writing.client_for(writing.facilitator).get(_url(writing, "cards")).content.decode()
    assert "Written by" in page
    assert "<td>P01</td>" in page


def test_an_empty_or_too_long_card_is_refused_and_kept(writing: Panel) -> None:
    response = _write(writing, writing.panel, "x" * (CARD_LENGTH + 1))
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_text"' in page
    assert _write(writing, writing.panel, "   ").status_code == 400
    assert not Card.objects.exists()


# --- one's own card -----------------------------------------------------------------------------


def _card(panel: Panel, text: str = "Hope matters.") -> Card:
    _write(panel, panel.panel, text)
    return Card.objects.get(project=panel.project, text=text)


def test_the_author_changes_their_card(writing: Panel) -> None:
    card = _card(writing)
    client = writing.client_for(writing.panel)
    assert 'id="change-card"' in client.get(_url(writing, "card", card.pk)).content.decode()
    response = client.post(
        _url(writing, "card", card.pk), {"text": "Hope matters most.", "version": "1"}
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.text, card.version) == ("Hope matters most.", 2)


def test_another_member_cannot_change_a_card(writing: Panel) -> None:
    card = _card(writing)
    client = writing.client_for(writing.panel_b)
    assert 'id="change-card"' not in client.get(_url(writing, "card", card.pk)).content.decode()
    response = client.post(_url(writing, "card", card.pk), {"text": "Mine now", "version": "1"})
    assert response.status_code == 403
    # The facilitator corrects cards typed up from paper, never one written online.
    online = writing.client_for(writing.facilitator).post(
        _url(writing, "card", card.pk), {"text": "Mine now", "version": "1"}
    )
    assert online.status_code == 403
    card.refresh_from_db()
    assert card.text == "Hope matters."


def test_a_second_save_over_a_changed_card_is_refused(writing: Panel) -> None:
    card = _card(writing)
    client = writing.client_for(writing.panel)
    client.post(_url(writing, "card", card.pk), {"text": "First change", "version": "1"})
    response = client.post(_url(writing, "card", card.pk), {"text": "Second", "version": "1"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "First change" in page
    assert "Second" in page
    card.refresh_from_db()
    assert card.text == "First change"


def test_after_the_cards_stage_a_card_no_longer_changes(writing: Panel) -> None:
    card = _card(writing)
    Project.objects.filter(pk=writing.project.pk).update(stage=Project.Stage.SORTING)
    client = writing.client_for(writing.panel)
    page = client.get(_url(writing, "card", card.pk)).content.decode()
    assert 'id="change-card"' not in page
    assert "cards are not written or changed online now" in page
    client.post(_url(writing, "card", card.pk), {"text": "Late change", "version": "1"})
    card.refresh_from_db()
    assert card.text == "Hope matters."


def test_a_deleted_cards_number_is_never_given_again(writing: Panel) -> None:
    first = _card(writing, "First")
    _card(writing, "Second")
    client = writing.client_for(writing.panel)
    response = client.post(_url(writing, "card", first.pk), {"delete": "1", "version": "1"})
    assert response.status_code == 302
    assert "Card 1 is deleted" in client.get(response["Location"]).content.decode()
    second = Card.objects.get(text="Second")
    client.post(_url(writing, "card", second.pk), {"delete": "1", "version": "1"})
    third = _card(writing, "Third")
    assert third.number == 3
    assert AuditEvent.objects.filter(object_type="coproduction.Card", action="delete").count() == 2


def test_a_card_already_in_a_pile_is_neither_changed_nor_deleted(writing: Panel) -> None:
    card = _card(writing)
    meeting = GroupSort.objects.create(project=writing.project, created_by=writing.facilitator)
    pile = Pile.objects.create(group_sort=meeting, label="Hope")
    Placement.objects.create(pile=pile, card=card, group_sort=meeting)
    client = writing.client_for(writing.panel)
    response = client.post(_url(writing, "card", card.pk), {"delete": "1", "version": "1"})
    assert (
        "Card 1 is in 1 sort already, so it cannot be deleted"
        in client.get(response["Location"]).content.decode()
    )
    client.post(_url(writing, "card", card.pk), {"text": "Changed", "version": "1"})
    card.refresh_from_db()
    assert card.text == "Hope matters."


def test_a_card_of_another_project_is_not_found(writing: Panel) -> None:
    other = Project.objects.create(name="Other", framing_question="?", created_by=writing.outsider)
    stranger = Card.objects.create(project=other, number=1, text="Elsewhere")
    response = writing.client_for(writing.panel).get(_url(writing, "card", stranger.pk))
    assert response.status_code == 404
