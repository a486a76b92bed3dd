"""One cell of the matrix: its page, every refusal of its form, two people saving it at
once, its audit events, and the programme's own prompt for it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.practice_fixtures import AREA, PRINCIPLE, Crew, assert_kept_message, crew

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.practice.models import Cell, Prompt

pytestmark = pytest.mark.django_db

__all__ = ["crew"]


def _url(crew: Crew, name: str = "practice:cell", principle: str = PRINCIPLE) -> str:
    return reverse(name, args=[crew.programme.pk, AREA, principle])


def _form(**fields: Any) -> dict[str, Any]:
    return {
        "text": "",
        "evidence": "",
        "status": "",
        "why": "",
        "holder": "",
        "version": 0,
    } | fields


def test_the_page_gives_principle_area_and_prompt_for_context(crew: Crew) -> None:
    page = crew.client_for(crew.contributor).get(_url(crew)).content.decode()
    mutuality = next(p for p in crew.framework.model().principles if p.key == PRINCIPLE)
    assert mutuality.title in page
    assert mutuality.definition in page
    assert mutuality.aspects[0] in page
    assert "Supervision (individual)" in page
    assert "Individual level" in page
    assert "A prompt to start from" in page
    assert "a role, not a person" in page.lower()
    assert 'name="version" value="0"' in page
    for label in ("In place", "Partly in place", "Not yet", "Not relevant here"):
        assert label in page
    assert "Not looked at yet" in page


def test_a_reader_sees_the_cell_without_a_form(crew: Crew) -> None:
    page = crew.client_for(crew.reader).get(_url(crew)).content.decode()
    assert "Save the cell" not in page
    assert "Nothing is written in this cell yet." in page


def test_an_unknown_area_or_principle_is_not_found(crew: Crew) -> None:
    client = crew.client_for(crew.lead)
    assert (
        client.get(
            reverse("practice:cell", args=[crew.programme.pk, "nowhere", PRINCIPLE])
        ).status_code
        == 404
    )
    assert client.get(_url(crew, principle="no-such-principle")).status_code == 404


def test_the_first_save_creates_the_cell_and_audits_it(crew: Crew) -> None:
    response = crew.client_for(crew.contributor).post(
        _url(crew),
        _form(
            text="  Supervisors share what they learn from peer workers. ",
            evidence="Supervision notes template has a two-way section.",
            status="partly",
            holder="Peer support  supervisor",
        ),
    )
    assert response.status_code == 302
    cell = Cell.objects.get(principle=PRINCIPLE, area__key=AREA, programme=crew.programme)
    assert cell.text == "Supervisors share what they learn from peer workers."
    assert cell.holder == "Peer support supervisor"
    assert (cell.status, cell.version, cell.updated_by) == ("partly", 1, crew.contributor)
    event = AuditEvent.objects.get(object_type="practice.Cell", object_id=str(cell.pk))
    assert event.action == "create"
    assert event.user == crew.contributor
    assert event.after["area"] == AREA
    assert event.after["principle"] == PRINCIPLE
    assert event.after["status"] == "partly"


def test_a_change_is_audited_with_before_and_after(crew: Crew) -> None:
    client = crew.client_for(crew.lead)
    client.post(_url(crew), _form(text="First words", status="not_yet"))
    response = client.post(_url(crew), _form(text="Second words", status="in_place", version=1))
    assert response.status_code == 302
    cell = Cell.objects.get(programme=crew.programme, principle=PRINCIPLE)
    assert (cell.text, cell.version) == ("Second words", 2)
    change = AuditEvent.objects.get(object_type="practice.Cell", action="change")
    assert change.before["text"] == "First words"
    assert change.before["status"] == "not_yet"
    assert change.after["text"] == "Second words"
    assert change.after["status"] == "in_place"
    assert change.before["area"] == change.after["area"] == AREA
    assert change.after["principle"] == PRINCIPLE


def test_not_relevant_needs_a_reason(crew: Crew) -> None:
    response = crew.client_for(crew.lead).post(_url(crew), _form(status="not_relevant"))
    assert response.status_code == 400
    assert "Say why this principle is not relevant in this area" in response.content.decode()
    assert not Cell.objects.exists()
    assert not AuditEvent.objects.filter(object_type="practice.Cell").exists()


def test_partly_and_not_yet_may_leave_why_empty(crew: Crew) -> None:
    client = crew.client_for(crew.lead)
    assert client.post(_url(crew), _form(status="not_yet")).status_code == 302
    assert client.post(_url(crew), _form(status="partly", version=1)).status_code == 302


def test_a_holder_that_looks_like_an_email_address_is_refused(crew: Crew) -> None:
    response = crew.client_for(crew.lead).post(
        _url(crew), _form(text="Kept", holder="jo.bloggs@trust.nhs.uk")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "looks like an e-mail address" in page
    assert "jo.bloggs@trust.nhs.uk" in page  # kept in the form to correct
    assert not Cell.objects.exists()


def test_an_unknown_status_is_refused(crew: Crew) -> None:
    response = crew.client_for(crew.lead).post(_url(crew), _form(status="brilliant"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Cell.objects.exists()


def test_a_holder_too_long_is_refused(crew: Crew) -> None:
    response = crew.client_for(crew.lead).post(_url(crew), _form(holder="role " * 40))
    assert response.status_code == 400
    assert not Cell.objects.exists()


def test_a_form_without_its_version_is_refused(crew: Crew) -> None:
    data = _form(text="No version")
    del data["version"]
    response = crew.client_for(crew.lead).post(_url(crew), data)
    assert response.status_code == 400
    assert not Cell.objects.exists()


def test_two_people_saving_one_cell_the_second_is_refused_with_both_texts(crew: Crew) -> None:
    lena = crew.client_for(crew.lead)
    cora = crew.client_for(crew.contributor)
    # Both open the empty cell (version 0), then both save.
    assert 'name="version" value="0"' in lena.get(_url(crew)).content.decode()
    assert 'name="version" value="0"' in cora.get(_url(crew)).content.decode()
    first = lena.post(
        _url(crew), _form(text="Lena's wording of mutual supervision", status="partly")
    )
    second = cora.post(
        _url(crew), _form(text="Cora's wording from the peer workers' meeting", status="in_place")
    )
    assert first.status_code == 302
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else saved this cell after you opened it" in page
    # The message at the top says the same as the panel: nothing typed is lost.
    assert_kept_message(page, "cell")
    assert "Lena&#x27;s wording of mutual supervision" in page
    assert (
        page.count("Cora&#x27;s wording from the peer workers&#x27; meeting") == 2
    )  # shown and kept
    assert 'name="version" value="1"' in page  # a save from here replaces theirs knowingly
    cell = Cell.objects.get(programme=crew.programme, principle=PRINCIPLE)
    assert cell.text == "Lena's wording of mutual supervision"
    assert AuditEvent.objects.filter(object_type="practice.Cell").count() == 1
    # Saving again from the kept form, now at the current version, goes through.
    third = cora.post(
        _url(crew), _form(text="Cora's wording, with Lena's", status="in_place", version=1)
    )
    assert third.status_code == 302
    assert Cell.objects.get(pk=cell.pk).text == "Cora's wording, with Lena's"


def test_a_reader_may_not_save(crew: Crew) -> None:
    response = crew.client_for(crew.reader).post(_url(crew), _form(text="Reader's words"))
    assert response.status_code == 403
    assert not Cell.objects.exists()


def test_the_lead_writes_changes_and_removes_the_programmes_own_prompt(crew: Crew) -> None:
    client = crew.client_for(crew.lead)
    url = _url(crew, "practice:prompt")
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": "Who learns from whom in our supervision?", "version": 0})
    assert response.status_code == 302
    prompt = Prompt.objects.get(programme=crew.programme, principle=PRINCIPLE)
    page = client.get(_url(crew)).content.decode()
    assert "Who learns from whom in our supervision?" in page
    assert "the programme&#x27;s own prompt" in page.lower()
    assert client.post(url, {"text": "Changed?", "version": 1}).status_code == 302
    stale = client.post(url, {"text": "Over it", "version": 1})
    assert stale.status_code == 409
    assert "Changed?" in stale.content.decode()
    assert_kept_message(stale.content.decode(), "prompt")
    assert Prompt.objects.get(pk=prompt.pk).text == "Changed?"
    assert client.post(url, {"text": "", "version": 2}).status_code == 302
    assert not Prompt.objects.exists()
    actions = list(
        AuditEvent.objects.filter(object_type="practice.Prompt")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "change", "delete"]
    deleted = AuditEvent.objects.get(object_type="practice.Prompt", action="delete")
    assert deleted.before["area"] == AREA
    assert deleted.before["principle"] == PRINCIPLE


def test_an_empty_prompt_with_none_to_remove_is_refused(crew: Crew) -> None:
    response = crew.client_for(crew.lead).post(
        _url(crew, "practice:prompt"), {"text": " ", "version": 0}
    )
    assert response.status_code == 400
    assert "Write the prompt" in response.content.decode()
    assert not Prompt.objects.exists()


def test_an_empty_save_of_an_untouched_cell_writes_nothing(crew: Crew) -> None:
    client = crew.client_for(crew.contributor)
    response = client.post(_url(crew), _form(text="  ", holder=" "), follow=True)
    page = response.content.decode()
    assert "Nothing to save: the cell is still empty." in page
    assert "is saved" not in page
    assert not Cell.objects.exists()
    assert not AuditEvent.objects.filter(object_type="practice.Cell").exists()
    # Once written, emptying the cell again is a change like any other.
    assert client.post(_url(crew), _form(text="Both learn.")).status_code == 302
    assert client.post(_url(crew), _form(version=1)).status_code == 302
    assert Cell.objects.get(programme=crew.programme).text == ""
    assert AuditEvent.objects.filter(object_type="practice.Cell").count() == 2


THEME = "diversity-of-lived-experience"


def test_a_themes_row_is_called_a_theme_in_labels_and_problems(crew: Crew) -> None:
    client = crew.client_for(crew.contributor)
    page = client.get(_url(crew, principle=THEME)).content.decode()
    assert "How the theme shows in this area" in page
    assert "this principle" not in page
    response = client.post(_url(crew, principle=THEME), _form(status="not_relevant"))
    assert response.status_code == 400
    refused = response.content.decode()
    assert "Say why this theme is not relevant in this area" in refused
    assert "this principle" not in refused
    assert not Cell.objects.exists()
    # A principle's row keeps its own word.
    principle_page = client.get(_url(crew)).content.decode()
    assert "How the principle shows in this area" in principle_page


def test_the_why_hint_fits_every_status(crew: Crew) -> None:
    page = crew.client_for(crew.contributor).get(_url(crew)).content.decode()
    assert "say why it does not apply here" in page
    assert "what stands in the way" in page
    assert "What stands in the way, or what is still to do." not in page
