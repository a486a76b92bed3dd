"""The facilitator types up cards written on paper: several at once, all or none."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.conftest import Panel

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import Card, Member, Project
from peerprinciples.web.coproduction.services.cards import CARD_LENGTH

pytestmark = pytest.mark.django_db


def _url(panel: Panel, name: str, *args: Any) -> str:
    return reverse(f"coproduction:{name}", args=[panel.project.pk, *args])


@pytest.fixture
def on_paper(panel: Panel) -> Member:
    """A panel member taking part on paper, without an account."""
    return Member.objects.create(project=panel.project, code="P09", role=Member.Role.PANEL)


def _enter(panel: Panel, author: Member, text: str) -> Any:
    return panel.client_for(panel.facilitator).post(
        _url(panel, "paper_cards"), {"author": str(author.pk), "text": text}
    )


def test_the_facilitator_types_up_several_cards_at_any_stage(
    panel: Panel, on_paper: Member
) -> None:
    assert panel.project.stage == Project.Stage.SETTING_UP
    client = panel.client_for(panel.facilitator)
    page = client.get(_url(panel, "paper_cards")).content.decode()
    assert "P09 — 0 of 5 cards so far" in page
    assert "R01" not in page  # the research team writes no cards
    response = client.post(
        _url(panel, "paper_cards"),
        {
            "author": str(on_paper.pk),
            "text": "Being believed.\n\n  Time to talk.  \nSmall steps.\n",
        },
    )
    assert response.status_code == 302
    cards = list(Card.objects.filter(project=panel.project).order_by("number"))
    assert [(c.number, c.text) for c in cards] == [
        (1, "Being believed."),
        (2, "Time to talk."),
        (3, "Small steps."),
    ]
    assert all(
        c.from_paper and c.author == on_paper and c.entered_by == panel.facilitator for c in cards
    )
    assert "Added cards 1 to 3 for P09." in client.get(response["Location"]).content.decode()
    summaries = set(
        AuditEvent.objects.filter(object_type="coproduction.Card").values_list("summary", flat=True)
    )
    assert summaries == {f"Entered paper card {n} for P09" for n in (1, 2, 3)}


def test_cards_past_the_limit_add_none_and_say_how_many_fit(panel: Panel, on_paper: Member) -> None:
    _enter(panel, on_paper, "One\nTwo\nThree")
    response = _enter(panel, on_paper, "Four\nFive\nSix")
    page = response.content.decode()
    assert response.status_code == 400
    assert "P09 has written 3 of 5 cards, so 2 more can be added, not 3." in page
    assert "Nothing was added." in page
    assert Card.objects.filter(author=on_paper).count() == 3


def test_a_line_too_long_is_named_and_nothing_is_added(panel: Panel, on_paper: Member) -> None:
    response = _enter(panel, on_paper, "Short\n\n" + "x" * (CARD_LENGTH + 5))
    page = response.content.decode()
    assert response.status_code == 400
    assert f"line 3 has {CARD_LENGTH + 5} characters" in page
    assert not Card.objects.exists()


def test_an_empty_entry_is_refused(panel: Panel, on_paper: Member) -> None:
    response = _enter(panel, on_paper, "\n   \n")
    assert response.status_code == 400
    assert "Type at least one card: one card on each line." in response.content.decode()
    assert not Card.objects.exists()


def test_a_research_team_member_is_no_author(panel: Panel) -> None:
    rex = panel.member(panel.research)
    response = _enter(panel, rex, "Not a panel card")
    assert response.status_code == 400
    assert 'href="#id_author"' in response.content.decode()
    assert not Card.objects.exists()


def test_a_member_of_another_project_is_no_author(panel: Panel) -> None:
    other = Project.objects.create(name="Other", framing_question="?", created_by=panel.outsider)
    stranger = Member.objects.create(project=other, code="P01")
    assert _enter(panel, stranger, "Elsewhere").status_code == 400
    assert not Card.objects.exists()


def test_numbers_follow_cards_written_online(panel: Panel, on_paper: Member) -> None:
    Project.objects.filter(pk=panel.project.pk).update(stage=Project.Stage.CARDS)
    panel.client_for(panel.panel).post(_url(panel, "cards"), {"text": "Online"})
    _enter(panel, on_paper, "Paper")
    assert list(Card.objects.order_by("number").values_list("number", "text")) == [
        (1, "Online"),
        (2, "Paper"),
    ]


def test_the_facilitator_corrects_a_paper_card_after_the_cards_stage(
    panel: Panel, on_paper: Member
) -> None:
    _enter(panel, on_paper, "Beign believed.")
    card = Card.objects.get()
    Project.objects.filter(pk=panel.project.pk).update(stage=Project.Stage.SORTING)
    response = panel.client_for(panel.facilitator).post(
        _url(panel, "card", card.pk), {"text": "Being believed.", "version": "1"}
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.text == "Being believed."


def test_only_the_facilitator_types_up_paper_cards(panel: Panel, on_paper: Member) -> None:
    for user in (panel.research, panel.panel):
        response = panel.client_for(user).post(
            _url(panel, "paper_cards"), {"author": str(on_paper.pk), "text": "Sneaked in"}
        )
        assert response.status_code == 403
    assert not Card.objects.exists()
