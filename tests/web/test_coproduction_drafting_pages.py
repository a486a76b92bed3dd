"""The pages of values, draft principles, aspects and themes: what they show, what a save
does, and how each refusal reads (stale versions show both, locked wording, deleting
something in use, a member's own pile)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.coproduction_drafting_supports import Supports, add_supports

from peerprinciples.web.coproduction.models import (
    DraftAspect,
    DraftingRound,
    DraftPrinciple,
    DraftTheme,
    Value,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def supports(panel: Any) -> Supports:
    return add_supports(panel)


def _url(name: str, panel: Any, *more: int) -> str:
    return reverse(f"coproduction:{name}", args=[panel.project.pk, *more])


def _text(response: Any) -> str:
    return response.content.decode()


def test_adding_a_value_with_its_supports(panel, supports) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.research)
    page = _text(client.get(_url("values", panel)))
    assert "No value has been written yet" in page
    assert "My own pile" not in page  # a member's own pile is never offered
    response = client.post(
        _url("values", panel),
        {"title": "Being believed", "scope": "general", "supports": supports.ids("trust", "heard")},
        follow=True,
    )
    page = _text(response)
    assert "The value “Being believed” is added." in page
    assert "Trust; Being heard" in page
    assert Value.objects.get().key == "being-believed"


def test_a_panel_member_reads_the_values_without_the_form(panel) -> None:  # type: ignore[no-untyped-def]
    Value.objects.create(project=panel.project, key="hope", title="Hope")
    page = _text(panel.client_for(panel.panel).get(_url("values", panel)))
    assert "Hope" in page
    assert "Add the value" not in page


def test_a_private_pile_sent_in_a_post_is_refused_on_the_page(panel, supports) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.facilitator).post(
        _url("values", panel),
        {"title": "Hope", "scope": "general", "supports": supports.ids("private", "stranger")},
    )
    assert response.status_code == 400
    page = _text(response)
    assert "belongs to a member&#x27;s own sort, which stays private" in page
    assert f"C{supports.stranger.pk} is not a category of this project" in page
    assert not Value.objects.exists()


def test_a_local_value_without_its_community_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.facilitator).post(
        _url("values", panel), {"title": "Knowing the place", "scope": "local"}
    )
    assert response.status_code == 400
    assert "Say which community or setting" in _text(response)


def test_a_stale_value_save_shows_both_versions(panel) -> None:  # type: ignore[no-untyped-def]
    value = Value.objects.create(project=panel.project, key="hope", title="Hope")
    url = _url("value", panel, value.pk)
    first, second = panel.client_for(panel.facilitator), panel.client_for(panel.research)
    sent = {"title": "Hope that is earned", "key": "hope", "scope": "general", "version": 1}
    assert first.post(url, sent).status_code == 302
    response = second.post(url, {**sent, "title": "Hope for all"})
    assert response.status_code == 409
    page = _text(response)
    assert "Someone else saved this value after you opened it" in page
    assert "Hope that is earned" in page
    assert 'value="Hope for all"' in page
    assert 'name="version" value="2"' in page
    assert second.post(url, {**sent, "title": "Hope for all", "version": 2}).status_code == 302
    value.refresh_from_db()
    assert (value.title, value.version) == ("Hope for all", 3)


def test_a_protected_value_is_not_deleted_and_the_page_says_which(panel) -> None:  # type: ignore[no-untyped-def]
    value = Value.objects.create(project=panel.project, key="hope", title="Hope")
    principle = DraftPrinciple.objects.create(project=panel.project, key="p", title="Growing")
    principle.values.add(value)
    client = panel.client_for(panel.facilitator)
    url = _url("value", panel, value.pk)
    assert "stays while a draft principle protects it: Growing" in _text(client.get(url))
    page = _text(client.post(url, {"delete": "1", "version": 1}, follow=True))
    assert "1 draft principle protects it (“Growing”)" in page
    principle.values.clear()
    page = _text(client.post(url, {"delete": "1", "version": 1}, follow=True))
    assert "“Hope” is deleted." in page
    assert not Value.objects.exists()


def test_adding_a_principle_then_its_aspects(panel) -> None:  # type: ignore[no-untyped-def]
    value = Value.objects.create(project=panel.project, key="hope", title="Hope")
    client = panel.client_for(panel.research)
    response = client.post(
        _url("principles", panel),
        {
            "principle-title": "Room to grow",
            "principle-scope": "general",
            "principle-values": [value.pk],
        },
    )
    principle = DraftPrinciple.objects.get()
    assert response["Location"] == _url("principle", panel, principle.pk)
    url = _url("principle", panel, principle.pk)
    for text in ("Supervision from peers.", "Time out when needed."):
        assert client.post(url, {"action": "aspect_add", "text": text}).status_code == 302
    second = DraftAspect.objects.get(text="Time out when needed.")
    client.post(url, {"action": "aspect_up", "aspect": second.pk, "version": 1})
    assert [a.text for a in principle.aspects.all()] == [
        "Time out when needed.",
        "Supervision from peers.",
    ]
    page = _text(
        client.post(url, {"action": "aspect_up", "aspect": second.pk, "version": 1}, follow=True)
    )
    assert "Someone else changed this aspect" in page
    response = client.post(url, {"action": "aspect_add", "text": " "})
    assert response.status_code == 400
    assert "Write what the principle means in practice" in _text(response)
    listing = _text(client.get(_url("principles", panel)))
    assert "1. Room to grow" in listing
    assert "Time out when needed." in listing
    assert "Protects: Hope." in listing


def test_a_principle_without_a_title_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    response = panel.client_for(panel.facilitator).post(
        _url("principles", panel), {"principle-title": "", "principle-scope": "general"}
    )
    assert response.status_code == 400
    assert "Give the principle a title" in _text(response)


def test_agreed_wording_is_locked_on_the_page(panel) -> None:  # type: ignore[no-untyped-def]
    agreed = DraftingRound.objects.create(
        project=panel.project, number=1, rule={}, opened_by=panel.facilitator
    )
    principle = DraftPrinciple.objects.create(
        project=panel.project, key="p", title="Growing", agreed_in=agreed
    )
    client = panel.client_for(panel.facilitator)
    url = _url("principle", panel, principle.pk)
    page = _text(client.get(url))
    assert "was agreed in round 1, so it is locked" in page
    assert "Save the principle" not in page
    page = _text(
        client.post(
            url, {"action": "save", "title": "Grown", "scope": "general", "version": 1}, follow=True
        )
    )
    assert "stays as the panel agreed it" in page
    principle.refresh_from_db()
    assert principle.title == "Growing"


def test_a_stale_principle_save_shows_both(panel) -> None:  # type: ignore[no-untyped-def]
    principle = DraftPrinciple.objects.create(project=panel.project, key="p", title="Growing")
    url = _url("principle", panel, principle.pk)
    sent = {"action": "save", "title": "Growing well", "key": "p", "scope": "general", "version": 1}
    assert panel.client_for(panel.facilitator).post(url, sent).status_code == 302
    response = panel.client_for(panel.research).post(url, {**sent, "title": "Growing up"})
    assert response.status_code == 409
    page = _text(response)
    assert "Someone else saved this principle" in page
    assert "Growing well" in page


def test_deleting_a_principle_from_the_base_framework_says_the_adaptation_removes_it(panel) -> None:  # type: ignore[no-untyped-def]
    principle = DraftPrinciple.objects.create(
        project=panel.project, key="p", title="Growing", base_key="growing"
    )
    client = panel.client_for(panel.facilitator)
    url = _url("principle", panel, principle.pk)
    page = _text(client.get(url))
    # The base framework's title (here its key: the project has no base) differs.
    assert "From the base framework, where it is titled “growing”" in page
    assert "deleting it means this adaptation removes it" in page
    page = _text(client.post(url, {"action": "delete", "version": 1}, follow=True))
    assert "The adaptation removes it from the base framework." in page
    assert not DraftPrinciple.objects.exists()


def test_a_base_principle_of_the_same_title_does_not_repeat_it(panel) -> None:  # type: ignore[no-untyped-def]
    principle = DraftPrinciple.objects.create(
        project=panel.project, key="p", title="growing", base_key="growing"
    )
    page = _text(panel.client_for(panel.panel).get(_url("principle", panel, principle.pk)))
    assert "From the base framework. The team may reword it" in page
    assert "where it is titled" not in page
    listed = _text(panel.client_for(panel.panel).get(_url("principles", panel)))
    assert "From the base framework" in listed
    assert "From the base framework: growing" not in listed


def test_themes_are_added_and_changed(panel) -> None:  # type: ignore[no-untyped-def]
    principle = DraftPrinciple.objects.create(project=panel.project, key="p", title="Growing")
    client = panel.client_for(panel.research)
    response = client.post(
        _url("principles", panel),
        {"add_theme": "1", "theme-title": "Diversity of lived experience"},
        follow=True,
    )
    assert "The theme “Diversity of lived experience” is added." in _text(response)
    assert "applies to every principle" in _text(response)
    theme = DraftTheme.objects.get()
    url = _url("theme", panel, theme.pk)
    sent = {"title": "Diversity", "key": theme.key, "applies_to": [principle.pk], "version": 1}
    assert client.post(url, sent).status_code == 302
    assert list(theme.applies_to.all()) == [principle]
    response = client.post(url, {**sent, "title": "Other"})
    assert response.status_code == 409
    assert "Someone else saved this theme" in _text(response)
    response = client.post(_url("principles", panel), {"add_theme": "1", "theme-title": ""})
    assert response.status_code == 400
    assert "Give the theme a title" in _text(response)


def test_the_overview_points_to_the_values_and_principles_at_their_stages(panel) -> None:  # type: ignore[no-untyped-def]
    client = panel.client_for(panel.panel)
    panel.project.stage = "values"
    panel.project.save()
    page = _text(client.get(_url("project", panel)))
    assert "Where the project is now: Agreeing the values" in page
    assert f'<a href="{_url("values", panel)}">Go to the values</a>' in page
    panel.project.stage = "drafting"
    panel.project.save()
    page = _text(client.get(_url("project", panel)))
    assert "Go to the draft principles" in page
