"""The lead's pages: settings (version-checked), members (the last lead stays) and areas
(reword, level, add, reorder, remove only when empty)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.web.practice_fixtures import AREA, PRINCIPLE, Crew, assert_kept_message, crew

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.practice.models import Area, Cell, Programme, ProgrammeMember

pytestmark = pytest.mark.django_db

__all__ = ["crew"]

Role = ProgrammeMember.Role


def _settings(crew: Crew, **fields: object) -> dict[str, object]:
    return {"name": "Peer support in the community", "description": "", "version": 1} | fields


def test_settings_are_saved_and_audited(crew: Crew) -> None:
    client = crew.client_for(crew.lead)
    page = client.get(reverse("practice:settings", args=[crew.programme.pk])).content.decode()
    assert "Share this matrix for side-by-side comparison" in page
    assert "never as a ranking" in page  # what another programme would see is explained
    response = client.post(
        reverse("practice:settings", args=[crew.programme.pk]),
        _settings(crew, shares_matrix="on"),
    )
    assert response.status_code == 302
    programme = Programme.objects.get(pk=crew.programme.pk)
    assert (programme.name, programme.shares_matrix, programme.version) == (
        "Peer support in the community",
        True,
        2,
    )
    event = AuditEvent.objects.get(object_type="practice.Programme", action="change")
    assert event.before["shares_matrix"] is False
    assert event.after["shares_matrix"] is True


def test_settings_without_a_name_are_refused(crew: Crew) -> None:
    response = crew.client_for(crew.lead).post(
        reverse("practice:settings", args=[crew.programme.pk]), _settings(crew, name="")
    )
    assert response.status_code == 400
    assert "Give the programme a name." in response.content.decode()
    assert Programme.objects.get(pk=crew.programme.pk).version == 1


def test_settings_saved_over_another_leads_change_are_refused(crew: Crew) -> None:
    ProgrammeMember.objects.filter(user=crew.contributor).update(role=Role.LEAD)
    url = reverse("practice:settings", args=[crew.programme.pk])
    first = crew.client_for(crew.contributor).post(url, _settings(crew, name="Cora's name"))
    second = crew.client_for(crew.lead).post(url, _settings(crew, name="Lena's name"))
    assert first.status_code == 302
    assert second.status_code == 409
    page = second.content.decode()
    assert "Cora&#x27;s name" in page
    assert "Lena&#x27;s name" in page
    assert_kept_message(page, "programme&#x27;s settings")
    assert Programme.objects.get(pk=crew.programme.pk).name == "Cora's name"


def _members(crew: Crew) -> str:
    return reverse("practice:members", args=[crew.programme.pk])


def test_everyone_reads_the_members_but_only_the_lead_sees_forms(crew: Crew) -> None:
    page = crew.client_for(crew.reader).get(_members(crew)).content.decode()
    assert "lena" in page
    assert "cora" in page
    assert "Programme lead" in page
    assert "Add to the programme" not in page


def test_the_lead_adds_someone_by_user_name_with_a_role(crew: Crew) -> None:
    response = crew.client_for(crew.lead).post(
        _members(crew), {"username": "otis", "role": Role.READER}
    )
    assert response.status_code == 302
    member = ProgrammeMember.objects.get(programme=crew.programme, user=crew.outsider)
    assert member.role == Role.READER
    event = AuditEvent.objects.get(object_type="practice.ProgrammeMember", action="create")
    assert event.after["username"] == "otis"
    assert event.after["role"] == "reader"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "nobody", "role": "reader"}, "There is no account with the user name"),
        ({"username": "cora", "role": "reader"}, "cora is already in this programme"),
        ({"username": "", "role": "reader"}, "Give the user name of the person"),
        ({"username": "otis", "role": "owner"}, "Select a valid choice"),
    ],
)
def test_adding_a_member_wrongly_says_what_to_fix(
    crew: Crew, data: dict[str, str], message: str
) -> None:
    response = crew.client_for(crew.lead).post(_members(crew), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ProgrammeMember.objects.filter(programme=crew.programme).count() == 3


def _member(crew: Crew, user: object) -> ProgrammeMember:
    return ProgrammeMember.objects.get(programme=crew.programme, user=user)


def test_the_lead_changes_a_role_and_takes_someone_out(crew: Crew) -> None:
    client = crew.client_for(crew.lead)
    cora = _member(crew, crew.contributor)
    assert (
        client.post(
            _members(crew), {"action": "role", "member": cora.pk, "role": Role.READER}
        ).status_code
        == 302
    )
    assert _member(crew, crew.contributor).role == Role.READER
    rita = _member(crew, crew.reader)
    assert client.post(_members(crew), {"action": "remove", "member": rita.pk}).status_code == 302
    assert not ProgrammeMember.objects.filter(pk=rita.pk).exists()
    actions = sorted(
        AuditEvent.objects.filter(object_type="practice.ProgrammeMember").values_list(
            "action", flat=True
        )
    )
    assert actions == ["change", "delete"]


def test_the_last_lead_can_be_neither_demoted_nor_removed(crew: Crew) -> None:
    client = crew.client_for(crew.lead)
    lena = _member(crew, crew.lead)
    page = client.get(_members(crew)).content.decode()
    assert "The only lead" in page
    demoted = client.post(_members(crew), {"action": "role", "member": lena.pk, "role": "reader"})
    assert demoted.status_code == 400
    assert "only lead" in demoted.content.decode()
    removed = client.post(_members(crew), {"action": "remove", "member": lena.pk})
    assert removed.status_code == 400
    assert _member(crew, crew.lead).role == Role.LEAD
    assert not AuditEvent.objects.filter(object_type="practice.ProgrammeMember").exists()


def test_a_lead_may_step_down_once_there_is_another(crew: Crew) -> None:
    ProgrammeMember.objects.filter(user=crew.contributor).update(role=Role.LEAD)
    lena = _member(crew, crew.lead)
    response = crew.client_for(crew.lead).post(
        _members(crew), {"action": "role", "member": lena.pk, "role": "contributor"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("practice:matrix", args=[crew.programme.pk])
    assert _member(crew, crew.lead).role == Role.CONTRIBUTOR


def test_changing_someone_already_gone_says_so(crew: Crew) -> None:
    response = crew.client_for(crew.lead).post(
        _members(crew), {"action": "remove", "member": 999999}
    )
    assert response.status_code == 400
    assert "no longer in this programme" in response.content.decode()


def _areas(crew: Crew) -> str:
    return reverse("practice:areas", args=[crew.programme.pk])


def _area(crew: Crew, key: str) -> Area:
    return Area.objects.get(programme=crew.programme, key=key)


def _edit(area: Area, **fields: object) -> dict[str, object]:
    prefix = f"area-{area.pk}"
    data = {
        "title": area.title,
        "description": area.description,
        "level": area.level,
        "area": area.pk,
        "version": area.version,
    } | fields
    return {"action": "edit", "form": prefix} | {f"{prefix}-{k}": v for k, v in data.items()}


def test_the_lead_rewords_an_area_and_changes_its_level(crew: Crew) -> None:
    area = _area(crew, AREA)
    response = crew.client_for(crew.lead).post(
        _areas(crew), _edit(area, title="Supervision and reflective practice", level="team")
    )
    assert response.status_code == 302
    changed = _area(crew, AREA)
    assert (changed.title, changed.level, changed.version) == (
        "Supervision and reflective practice",
        "team",
        2,
    )
    event = AuditEvent.objects.get(object_type="practice.Area", action="change")
    assert event.before["level"] == "individual"
    assert event.after["level"] == "team"


def test_an_area_without_a_title_or_level_is_refused(crew: Crew) -> None:
    area = _area(crew, AREA)
    response = crew.client_for(crew.lead).post(_areas(crew), _edit(area, title="", level="galaxy"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Give the area a title" in page
    assert "Select a valid choice" in page
    assert _area(crew, AREA).version == 1


def test_rewording_an_area_someone_else_changed_is_refused(crew: Crew) -> None:
    area = _area(crew, AREA)
    client = crew.client_for(crew.lead)
    assert client.post(_areas(crew), _edit(area, title="First")).status_code == 302
    stale = client.post(_areas(crew), _edit(area, title="Second"))
    assert stale.status_code == 409
    assert "Second" in stale.content.decode()  # kept in the form
    assert_kept_message(stale.content.decode(), "area")
    assert _area(crew, AREA).title == "First"


def test_the_lead_adds_a_local_area_and_moves_it_up(crew: Crew) -> None:
    client = crew.client_for(crew.lead)
    response = client.post(
        _areas(crew),
        {"action": "add", "new-title": "Lone working", "new-description": "", "new-level": "team"},
    )
    assert response.status_code == 302
    added = _area(crew, "lone-working")
    assert not added.built_in
    assert added.position == 12
    response = client.post(
        _areas(crew), {"action": "up", "area": added.pk, "version": added.version}
    )
    assert response.status_code == 302
    order = list(
        Area.objects.filter(programme=crew.programme)
        .order_by("position")
        .values_list("key", flat=True)
    )
    assert order[-2:] == ["lone-working", "evaluation-reflection"]
    first = order[0]
    refused = client.post(
        _areas(crew), {"action": "up", "area": _area(crew, first).pk, "version": 1}
    )
    assert refused.status_code == 400
    assert "already first" in refused.content.decode()


def test_adding_an_area_without_a_title_is_refused(crew: Crew) -> None:
    response = crew.client_for(crew.lead).post(
        _areas(crew), {"action": "add", "new-title": "", "new-level": "team"}
    )
    assert response.status_code == 400
    assert "Give the area a title" in response.content.decode()
    assert Area.objects.filter(programme=crew.programme).count() == 11


def test_a_local_area_is_removed_only_while_its_cells_are_empty(crew: Crew) -> None:
    client = crew.client_for(crew.lead)
    client.post(
        _areas(crew), {"action": "add", "new-title": "Lone working", "new-level": "individual"}
    )
    area = _area(crew, "lone-working")
    Cell.objects.create(programme=crew.programme, area=area, principle=PRINCIPLE, text="Buddy")
    refused = client.post(_areas(crew), {"action": "remove", "area": area.pk, "version": 1})
    assert refused.status_code == 400
    assert "its cells for mutuality have something written" in refused.content.decode()
    assert Area.objects.filter(pk=area.pk).exists()
    Cell.objects.filter(area=area).update(text="")
    removed = client.post(_areas(crew), {"action": "remove", "area": area.pk, "version": 1})
    assert removed.status_code == 302
    assert not Area.objects.filter(pk=area.pk).exists()
    assert AuditEvent.objects.filter(object_type="practice.Area", action="delete").exists()


def test_a_built_in_area_is_never_removed(crew: Crew) -> None:
    area = _area(crew, AREA)
    response = crew.client_for(crew.lead).post(
        _areas(crew), {"action": "remove", "area": area.pk, "version": 1}
    )
    assert response.status_code == 400
    assert "built-in areas" in response.content.decode()
    assert Area.objects.filter(pk=area.pk).exists()
