"""The members list, the facilitator adding and changing members, and each member's own
words about what they bring."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.web.conftest import Panel

from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import Card, Member

pytestmark = pytest.mark.django_db


def _url(panel: Panel, name: str, *args: Any) -> str:
    return reverse(f"coproduction:{name}", args=[panel.project.pk, *args])


def _add(panel: Panel, **fields: str) -> Any:
    data = {"member-code": "P03", "member-role": "panel", "member-group": "carer"}
    data.update({f"member-{key}": value for key, value in fields.items()})
    return panel.client_for(panel.facilitator).post(_url(panel, "members"), data)


def _membership(member: Member, **changes: Any) -> dict[str, Any]:
    member.refresh_from_db()
    data = {
        "username": member.user.get_username() if member.user else "",
        "role": member.role,
        "group": member.group,
        "version": member.version,
        **changes,
    }
    if changes.get("decides", member.decides):
        data["decides"] = "on"
    else:
        data.pop("decides", None)
    return data


# --- the list -----------------------------------------------------------------------------------


def test_every_member_sees_codes_roles_groups_and_what_members_chose_to_say(panel: Panel) -> None:
    Member.objects.filter(code="P02").update(
        group="peer worker", lived_experience=True, perspective="I run a hearing voices group."
    )
    page = panel.client_for(panel.research).get(_url(panel, "members")).content.decode()
    for said in ("F01", "R01", "P01", "P02", "peer worker", "I run a hearing voices group."):
        assert said in page
    assert "Brings lived experience" in page
    assert "pat" not in page  # user names stay with the facilitator
    assert "Add a member" not in page


def test_the_facilitator_sees_who_takes_part_on_paper_and_the_form(panel: Panel) -> None:
    Member.objects.create(project=panel.project, code="P09", role=Member.Role.PANEL)
    page = panel.client_for(panel.facilitator).get(_url(panel, "members")).content.decode()
    assert "On paper" in page
    assert "With an account" in page
    assert "Add a member" in page
    assert "never a name" in page
    # and the way on, once everyone is in: the stage, on the settings page
    settings = _url(panel, "settings")
    assert f'<a href="{settings}">move the project to its next stage</a>' in page
    assert "(it is at “Setting up”)" in page


# --- adding -------------------------------------------------------------------------------------


def test_the_facilitator_adds_a_member_with_an_account(panel: Panel, make_user: Any) -> None:
    sam = make_user("sam")
    response = _add(panel, username="sam", decides="on")
    assert response.status_code == 302
    added = Member.objects.get(project=panel.project, code="P03")
    assert (added.user, added.role, added.decides, added.group) == (sam, "panel", True, "carer")
    event = AuditEvent.objects.filter(object_type="coproduction.Member").latest("at")
    assert event.summary == "Added P03 as panel member"


def test_the_facilitator_adds_someone_taking_part_on_paper(panel: Panel) -> None:
    _add(panel, username="")
    assert Member.objects.get(project=panel.project, code="P03").user is None


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("", "Give a pseudonymous code"),
        ("Sam Smith", "no spaces"),
        ("Sam", "at least one digit"),
        ("P01", "already has a member with the code P01"),
        ("p01", "already has a member with the code p01"),
        ("X" * 21, "at most 20 characters"),
    ],
)
def test_a_code_that_could_be_a_name_or_is_taken_is_refused(
    panel: Panel, code: str, problem: str
) -> None:
    response = _add(panel, code=code)
    page = response.content.decode()
    assert response.status_code == 400
    assert problem in page
    assert 'href="#id_member-code"' in page
    assert Member.objects.filter(project=panel.project).count() == 4


def test_a_code_holding_the_accounts_own_name_is_refused(panel: Panel, make_user: Any) -> None:
    make_user("jo.bloggs")
    response = _add(panel, username="jo.bloggs", code="BLOGGS-1")
    assert response.status_code == 400
    assert "contains part of the account" in response.content.decode()
    assert not Member.objects.filter(code="BLOGGS-1").exists()


def test_an_unknown_user_name_is_explained(panel: Panel) -> None:
    response = _add(panel, username="nobody")
    assert response.status_code == 400
    assert "There is no account with that user name" in response.content.decode()


def test_an_account_already_in_the_project_is_refused(panel: Panel) -> None:
    response = _add(panel, username="pat")
    assert response.status_code == 400
    assert "already in this project, as P02" in response.content.decode()


def test_only_the_facilitator_adds_members(panel: Panel) -> None:
    for user in (panel.research, panel.panel):
        response = panel.client_for(user).post(
            _url(panel, "members"), {"member-code": "P03", "member-role": "panel"}
        )
        assert response.status_code == 403
    assert not Member.objects.filter(code="P03").exists()


# --- changing and removing ----------------------------------------------------------------------


def test_the_facilitator_changes_role_decisions_and_group(panel: Panel) -> None:
    pat = panel.member(panel.panel_b)
    response = panel.client_for(panel.facilitator).post(
        _url(panel, "member", pat.pk),
        _membership(pat, role="research", decides=True, group="researcher"),
    )
    assert response.status_code == 302
    pat.refresh_from_db()
    assert (pat.role, pat.decides, pat.group, pat.version) == ("research", True, "researcher", 2)


def test_a_second_save_over_a_members_change_is_refused(panel: Panel) -> None:
    pat = panel.member(panel.panel_b)
    opened = _membership(pat)
    client = panel.client_for(panel.facilitator)
    client.post(_url(panel, "member", pat.pk), {**opened, "group": "carer"})
    response = client.post(_url(panel, "member", pat.pk), {**opened, "group": "manager"})
    assert response.status_code == 409
    assert "Someone else saved P02" in response.content.decode()
    pat.refresh_from_db()
    assert pat.group == "carer"


def test_the_last_facilitator_cannot_stop_facilitating(panel: Panel) -> None:
    fay = panel.member(panel.facilitator)
    client = panel.client_for(panel.facilitator)
    response = client.post(_url(panel, "member", fay.pk), _membership(fay, role="panel"))
    assert response.status_code == 400
    assert "only facilitator with an account" in response.content.decode()
    unlinked = client.post(_url(panel, "member", fay.pk), _membership(fay, username=""))
    assert unlinked.status_code == 400
    fay.refresh_from_db()
    assert (fay.role, fay.user) == ("facilitator", panel.facilitator)


def test_a_facilitator_hands_over_and_then_steps_down(panel: Panel) -> None:
    fay, rex = panel.member(panel.facilitator), panel.member(panel.research)
    client = panel.client_for(panel.facilitator)
    client.post(_url(panel, "member", rex.pk), _membership(rex, role="facilitator"))
    response = client.post(_url(panel, "member", fay.pk), _membership(fay, role="panel"))
    assert response.status_code == 302
    assert response["Location"] == _url(panel, "project")
    fay.refresh_from_db()
    assert fay.role == "panel"


def test_a_member_who_has_done_nothing_yet_is_taken_out(panel: Panel) -> None:
    pat = panel.member(panel.panel_b)
    response = panel.client_for(panel.facilitator).post(
        _url(panel, "member", pat.pk), {"remove": "1", "version": str(pat.version)}
    )
    assert response.status_code == 302
    assert not Member.objects.filter(pk=pat.pk).exists()
    event = AuditEvent.objects.filter(object_type="coproduction.Member").latest("at")
    assert (event.action, event.summary) == ("delete", "Removed P02 from the project")


def test_a_member_who_wrote_cards_stays(panel: Panel) -> None:
    pat = panel.member(panel.panel_b)
    Card.objects.create(project=panel.project, number=1, text="Hope", author=pat)
    client = panel.client_for(panel.facilitator)
    assert "has written 1 card" in client.get(_url(panel, "member", pat.pk)).content.decode()
    response = client.post(
        _url(panel, "member", pat.pk), {"remove": "1", "version": str(pat.version)}
    )
    assert response.status_code == 400
    assert "P02 has written 1 card, which stays part of the project" in response.content.decode()
    assert Member.objects.filter(pk=pat.pk).exists()


def test_the_last_facilitator_cannot_be_taken_out(panel: Panel) -> None:
    fay = panel.member(panel.facilitator)
    response = panel.client_for(panel.facilitator).post(
        _url(panel, "member", fay.pk), {"remove": "1", "version": str(fay.version)}
    )
    assert response.status_code == 400
    assert Member.objects.filter(pk=fay.pk).exists()


def test_a_member_of_another_project_is_not_found(panel: Panel) -> None:
    from peerprinciples.web.coproduction.models import Project

    other = Project.objects.create(name="Other", framing_question="?", created_by=panel.outsider)
    stranger = Member.objects.create(project=other, code="X01", user=panel.outsider)
    response = panel.client_for(panel.facilitator).get(_url(panel, "member", stranger.pk))
    assert response.status_code == 404


# --- a member's own words -----------------------------------------------------------------------


def test_a_member_says_what_they_bring_and_the_trail_keeps_none_of_it(panel: Panel) -> None:
    pam = panel.member(panel.panel)
    client = panel.client_for(panel.panel)
    page = client.get(_url(panel, "me")).content.decode()
    assert "in your own words — never a diagnosis" in page.lower()
    response = client.post(
        _url(panel, "me"),
        {
            "perspective": "I found peer support after a long time in services.",
            "lived_experience": "yes",
            "version": "1",
        },
    )
    assert response.status_code == 302
    pam.refresh_from_db()
    assert pam.lived_experience is True
    assert pam.perspective.startswith("I found peer support")
    event = AuditEvent.objects.filter(object_type="coproduction.Member").latest("at")
    assert event.summary == "P01 described their own perspective"
    assert "peer support" not in str(event.before) + str(event.after)
    assert "True" not in str(event.after)


def test_prefer_not_to_say_keeps_nothing(panel: Panel) -> None:
    Member.objects.filter(code="P01").update(lived_experience=False)
    panel.client_for(panel.panel).post(
        _url(panel, "me"), {"perspective": "", "lived_experience": "", "version": "1"}
    )
    assert panel.member(panel.panel).lived_experience is None


def test_saying_about_oneself_twice_from_old_pages_is_refused(panel: Panel) -> None:
    client = panel.client_for(panel.panel)
    client.post(
        _url(panel, "me"), {"perspective": "First", "lived_experience": "no", "version": "1"}
    )
    response = client.post(
        _url(panel, "me"), {"perspective": "Second", "lived_experience": "no", "version": "1"}
    )
    assert response.status_code == 409
    assert panel.member(panel.panel).perspective == "First"


def test_a_perspective_too_long_is_refused(panel: Panel) -> None:
    response = panel.client_for(panel.panel).post(
        _url(panel, "me"), {"perspective": "x" * 1001, "lived_experience": "", "version": "1"}
    )
    assert response.status_code == 400
    assert panel.member(panel.panel).perspective == ""
