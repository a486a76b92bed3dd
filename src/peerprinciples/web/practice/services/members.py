"""A programme's members: adding them by user name with a role, changing roles, removing.

A programme always keeps at least one lead, or nobody could change its settings, areas or
members again: the last lead can be neither removed nor given another role. Every change
locks the programme's row first, so two leads demoting each other at once cannot both
succeed and leave the programme with none.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from peerprinciples.web.audit.services import record
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.practice.models import Programme, ProgrammeMember

Role = ProgrammeMember.Role

LAST_LEAD = (
    "{name} is the programme's only lead. Make another member a lead first, so that someone "
    "can still look after its settings, areas and members."
)


def member_snapshot(member: ProgrammeMember) -> dict[str, Any]:
    """What the audit trail keeps of a membership: the account and the role."""
    return {
        "id": member.pk,
        "programme": member.programme_id,
        "account": member.user_id,
        "username": member.user.get_username(),
        "role": member.role,
    }


def _checked_role(role: str) -> str:
    if role not in Role.values:
        raise InvalidInput({"role": "Choose programme lead, contributor or reader."})
    return role


def _lock(programme: Programme) -> None:
    Programme.objects.select_for_update().get(pk=programme.pk)


def _other_leads(member: ProgrammeMember) -> bool:
    return (
        ProgrammeMember.objects.filter(programme_id=member.programme_id, role=Role.LEAD)
        .exclude(pk=member.pk)
        .exists()
    )


@transaction.atomic
def add_member(user: Any, programme: Programme, *, username: str, role: str) -> ProgrammeMember:
    """Add the account with this user name to the programme, with ``role``."""
    _lock(programme)
    role = _checked_role(role)
    username = username.strip()
    if not username:
        raise InvalidInput({"username": "Give the user name of the person's account."})
    account = get_user_model().objects.filter(username=username).first()
    if account is None:
        raise InvalidInput(
            {
                "username": f"There is no account with the user name “{username}”. Check the "
                "spelling, or ask them for the user name they sign in with."
            }
        )
    held = ProgrammeMember.objects.filter(programme=programme, user=account).first()
    if held is not None:
        raise InvalidInput(
            {
                "username": f"{username} is already in this programme, as "
                f"{held.get_role_display().lower()}. Change their role in the list instead."
            }
        )
    member = ProgrammeMember.objects.create(programme=programme, user=account, role=role)
    record(
        user,
        "create",
        member,
        evaluation_id=None,
        summary=f"Added {username} to the programme as {member.get_role_display().lower()}",
        after=member_snapshot(member),
    )
    return member


def member_of(programme: Programme, member_id: int) -> ProgrammeMember:
    """The programme's membership with this key, or an error saying it is gone."""
    found = (
        ProgrammeMember.objects.select_related("user")
        .filter(programme=programme, pk=member_id)
        .first()
    )
    if found is None:
        raise DomainError(
            "That person is no longer in this programme: someone may have removed them. "
            "The list below is up to date."
        )
    return found


@transaction.atomic
def change_role(user: Any, programme: Programme, member_id: int, role: str) -> ProgrammeMember:
    """Give a member another role; the last lead keeps theirs."""
    _lock(programme)
    role = _checked_role(role)
    member = member_of(programme, member_id)
    if member.role == role:
        return member
    if member.role == Role.LEAD and not _other_leads(member):
        raise DomainError(LAST_LEAD.format(name=member.user.get_username()))
    before = member_snapshot(member)
    member.role = role
    member.save(update_fields=["role"])
    record(
        user,
        "change",
        member,
        evaluation_id=None,
        summary=f"{member.user.get_username()} is now {member.get_role_display().lower()}",
        before=before,
        after=member_snapshot(member),
    )
    return member


@transaction.atomic
def remove_member(user: Any, programme: Programme, member_id: int) -> str:
    """Take a member out of the programme; returns their user name. What they wrote stays,
    and the history keeps who wrote it."""
    _lock(programme)
    member = member_of(programme, member_id)
    name = member.user.get_username()
    if member.role == Role.LEAD and not _other_leads(member):
        raise DomainError(LAST_LEAD.format(name=name))
    record(
        user,
        "delete",
        member,
        evaluation_id=None,
        summary=f"Took {name} out of the programme",
        before=member_snapshot(member),
    )
    member.delete()
    return name
