"""The facilitator merges cards that say the same thing, once their authors agree; merged
cards are kept but drop out of every list, and sorted or rated cards are never merged away."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.conftest import Panel

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import (
    Card,
    IndividualSort,
    Pile,
    Placement,
    Project,
    RatingScale,
    StatementRating,
)
from peerprinciples.web.coproduction.services.cards import live_cards, merge_stamp

pytestmark = pytest.mark.django_db


def _url(panel: Panel, name: str, *args: Any) -> str:
    return reverse(f"coproduction:{name}", args=[panel.project.pk, *args])


@pytest.fixture
def cards(panel: Panel) -> list[Card]:
    """Four cards: 1 and 3 say the same thing, as do 2 and 4."""
    pam, pat = panel.member(panel.panel), panel.member(panel.panel_b)
    texts = [
        (pam, "Being believed."),
        (pam, "Time to talk."),
        (pat, "Being believed by the peer worker."),
        (pat, "Time to talk, with no forms."),
    ]
    made = [
        Card.objects.create(project=panel.project, number=n, text=text, author=author)
        for n, (author, text) in enumerate(texts, start=1)
    ]
    Project.objects.filter(pk=panel.project.pk).update(last_card_number=4)
    return made


def _merge(
    panel: Panel,
    chosen: list[Card],
    keep: Card,
    note: str = "Asked at the meeting; P01 and P02 agreed.",
    seen: str | None = None,
) -> Any:
    return panel.client_for(panel.facilitator).post(
        _url(panel, "merge_cards"),
        {
            "cards": [str(c.pk) for c in chosen],
            "keep": str(keep.pk),
            "agreement": note,
            "seen": merge_stamp(live_cards(panel.project)) if seen is None else seen,
        },
    )


def test_the_facilitator_sees_every_card_with_its_author(panel: Panel, cards: list[Card]) -> None:
    page = panel.client_for(panel.facilitator).get(_url(panel, "merge_cards")).content.decode()
    assert "Being believed by the peer worker." in page
    assert "<td>P02" in page
    assert "Merge card 3" in page
    assert "Card 1 stays" in page
    assert "Ask the authors first" in page


def test_merged_cards_are_kept_and_drop_out_of_the_lists(panel: Panel, cards: list[Card]) -> None:
    response = _merge(panel, [cards[0], cards[2]], keep=cards[0])
    assert response.status_code == 302
    merged = Card.objects.get(pk=cards[2].pk)
    assert merged.merged_into_id == cards[0].pk
    assert merged.merge_agreement == "Asked at the meeting; P01 and P02 agreed."
    assert [c.number for c in live_cards(panel.project)] == [1, 2, 4]
    listed = panel.client_for(panel.panel).get(_url(panel, "cards")).content.decode()
    everyone = listed[listed.index('id="all"') :]
    assert "Being believed by the peer worker." not in everyone
    facilitator = panel.client_for(panel.facilitator).get(_url(panel, "cards")).content.decode()
    assert "Cards merged into others" in facilitator
    assert "Asked at the meeting; P01 and P02 agreed." in facilitator
    event = AuditEvent.objects.get(object_type="coproduction.Card", object_id=str(merged.pk))
    assert event.summary == "Merged card 3 into card 1"
    assert "believed" not in str(event.after)


def test_the_author_of_a_merged_card_sees_what_became_of_it(
    panel: Panel, cards: list[Card]
) -> None:
    _merge(panel, [cards[0], cards[2]], keep=cards[0])
    page = panel.client_for(panel.panel_b).get(_url(panel, "cards")).content.decode()
    assert "Merged into card 1, which now stands for both." in page
    alone = panel.client_for(panel.panel_b).get(_url(panel, "card", cards[2].pk)).content.decode()
    assert "This card was merged into" in alone
    assert "Asked at the meeting" not in alone  # the note stays with the facilitator


def test_the_card_kept_counts_as_chosen(panel: Panel, cards: list[Card]) -> None:
    _merge(panel, [cards[3]], keep=cards[1])
    assert Card.objects.get(pk=cards[3].pk).merged_into_id == cards[1].pk


def test_merging_needs_a_note_of_how_the_authors_agreed(panel: Panel, cards: list[Card]) -> None:
    response = _merge(panel, [cards[0], cards[2]], keep=cards[0], note="   ")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Record how the authors agreed" in page
    assert 'href="#id_agreement"' in page
    assert live_cards(panel.project).count() == 4


def test_merging_needs_a_second_card(panel: Panel, cards: list[Card]) -> None:
    response = _merge(panel, [cards[0]], keep=cards[0])
    assert response.status_code == 400
    assert "Choose at least one other card to merge into card 1" in response.content.decode()


def test_nothing_is_merged_without_a_card_that_stays(panel: Panel, cards: list[Card]) -> None:
    response = panel.client_for(panel.facilitator).post(
        _url(panel, "merge_cards"),
        {"cards": [str(cards[0].pk), str(cards[2].pk)], "agreement": "Agreed"},
    )
    assert response.status_code == 400
    assert "Choose which card stays" in response.content.decode()
    assert live_cards(panel.project).count() == 4


def test_a_card_changed_since_the_page_opened_stops_the_merge(
    panel: Panel, cards: list[Card]
) -> None:
    seen = merge_stamp(live_cards(panel.project))
    Card.objects.filter(pk=cards[2].pk).update(text="Changed meanwhile", version=2)
    response = _merge(panel, [cards[0], cards[2]], keep=cards[0], seen=seen)
    page = response.content.decode()
    assert response.status_code == 409
    assert "Card 3 changed or was merged after you opened this page" in page
    assert "Changed meanwhile" in page
    assert live_cards(panel.project).count() == 4


def test_a_card_merged_meanwhile_is_not_merged_again(panel: Panel, cards: list[Card]) -> None:
    seen = merge_stamp(live_cards(panel.project))
    _merge(panel, [cards[0], cards[2]], keep=cards[0])
    response = _merge(panel, [cards[2], cards[3]], keep=cards[3], seen=seen)
    assert response.status_code == 400
    assert "A card you chose was merged or deleted after you opened this page" in (
        response.content.decode()
    )
    assert Card.objects.get(pk=cards[2].pk).merged_into_id == cards[0].pk


def test_a_card_already_sorted_is_not_merged_away(panel: Panel, cards: list[Card]) -> None:
    pat = panel.member(panel.panel_b)
    sort = IndividualSort.objects.create(project=panel.project, member=pat)
    pile = Pile.objects.create(sort=sort, label="Believed")
    Placement.objects.create(pile=pile, card=cards[2], sort=sort)
    response = _merge(panel, [cards[0], cards[2]], keep=cards[0])
    page = response.content.decode()
    assert response.status_code == 409
    assert "Nothing was merged: card 3 is in 1 sort." in page
    assert "To merge them, choose card 3 as the card that stays" in page
    assert "Merge duplicates before sorting starts" in page
    assert live_cards(panel.project).count() == 4
    # Keeping the sorted card and merging the other into it is fine.
    assert _merge(panel, [cards[0], cards[2]], keep=cards[2]).status_code == 302
    assert Card.objects.get(pk=cards[0].pk).merged_into_id == cards[2].pk


def test_a_card_already_rated_is_not_merged_away(panel: Panel, cards: list[Card]) -> None:
    scale = RatingScale.objects.create(project=panel.project, key="importance", label="Importance")
    StatementRating.objects.create(
        member=panel.member(panel.panel), card=cards[3], scale=scale, value=5
    )
    response = _merge(panel, [cards[1], cards[3]], keep=cards[1])
    assert response.status_code == 409
    assert "card 4 is rated 1 time" in response.content.decode()
    assert live_cards(panel.project).count() == 4


def test_a_card_of_another_project_cannot_be_merged(panel: Panel, cards: list[Card]) -> None:
    other = Project.objects.create(name="Other", framing_question="?", created_by=panel.outsider)
    stranger = Card.objects.create(project=other, number=1, text="Elsewhere")
    response = _merge(panel, [cards[0], stranger], keep=cards[0])
    assert response.status_code == 400
    assert Card.objects.get(pk=stranger.pk).merged_into_id is None


def test_numbers_are_not_reused_after_a_merge(panel: Panel, cards: list[Card]) -> None:
    _merge(panel, [cards[2], cards[3]], keep=cards[2])
    on_paper = panel.member(panel.panel)
    panel.client_for(panel.facilitator).post(
        _url(panel, "paper_cards"), {"author": str(on_paper.pk), "text": "New"}
    )
    assert Card.objects.get(text="New").number == 5


def test_only_the_facilitator_merges(panel: Panel, cards: list[Card]) -> None:
    for user in (panel.research, panel.panel):
        response = panel.client_for(user).post(
            _url(panel, "merge_cards"),
            {
                "cards": [str(cards[0].pk), str(cards[2].pk)],
                "keep": str(cards[0].pk),
                "agreement": "x",
            },
        )
        assert response.status_code == 403
    assert live_cards(panel.project).count() == 4


def test_two_cards_in_use_cannot_both_take_part_and_the_page_says_so(
    panel: Panel, cards: list[Card]
) -> None:
    pat = panel.member(panel.panel_b)
    sort = IndividualSort.objects.create(project=panel.project, member=pat)
    pile = Pile.objects.create(sort=sort, label="Believed")
    for card in (cards[1], cards[2]):
        Placement.objects.create(pile=pile, card=card, sort=sort)
    response = _merge(panel, [cards[0], cards[1], cards[2]], keep=cards[1])
    page = response.content.decode()
    assert response.status_code == 409
    assert "Cards 2 and 3 are both in use, and only one card in use can take part" in page
    assert "choose card" not in page
    assert live_cards(panel.project).count() == 4
