"""A project's members: adding them by pseudonymous code, their roles, and what they say
about themselves.

A code is never a name: it has to hold a digit (P07, PW-3), and it may not contain the
linked account's user name or names, so a name cannot slip in as a code by mistake. A
project always keeps at least one facilitator with an account, or nobody could run it.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F

from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import Card, Member, Project
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit

CODE_LENGTH = 20
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
GROUP_LENGTH = 100
PERSPECTIVE_LENGTH = 1000

LIVED_EXPERIENCE = {"yes": True, "no": False, "": None}
"""The answers to "do you bring lived experience?" and what is kept: "prefer not to say"
keeps nothing, exactly as if the member had not answered."""


def _name_parts(account: Any) -> set[str]:
    """The pieces of an account's user name, names and e-mail name, three letters or longer."""
    said = [
        account.get_username(),
        getattr(account, "first_name", ""),
        getattr(account, "last_name", ""),
        (getattr(account, "email", "") or "").partition("@")[0],
    ]
    parts = (part for text in said for part in re.split(r"[^a-z0-9]+", text.lower()))
    return {part for part in parts if len(part) >= 3}


def checked_code(code: str, account: Any | None) -> str:
    """A pseudonymous code, stripped; refused when it could be a name, saying how to fix it."""
    code = code.strip()
    problem = ""
    if not code:
        problem = "Give a pseudonymous code, for example P07."
    elif len(code) > CODE_LENGTH:
        problem = f"Use a code of at most {CODE_LENGTH} characters, for example P07."
    elif not CODE_PATTERN.fullmatch(code):
        problem = (
            "Use letters, digits, hyphens and underscores only, with no spaces, for example P07."
        )
    elif not any(ch.isdigit() for ch in code):
        problem = (
            "A code holds at least one digit, such as P07 or PW-3, so that a name is never "
            "used as a code by mistake."
        )
    elif account is not None and any(part in code.lower() for part in _name_parts(account)):
        problem = (
            "This code contains part of the account's own user name or name. Codes are never "
            "names: choose one such as P07."
        )
    if problem:
        raise InvalidInput({"code": problem})
    return code


def _account(username: str) -> Any | None:
    username = username.strip()
    if not username:
        return None
    account = get_user_model().objects.filter(username=username).first()
    if account is None:
        raise InvalidInput(
            {
                "username": "There is no account with that user name. Check the spelling, or "
                "leave it empty for someone taking part on paper."
            }
        )
    return account


def _checked_role(role: str) -> str:
    if role not in Member.Role.values:
        raise InvalidInput({"role": "Choose facilitator, panel member or research team member."})
    return role


def _checked_group(group: str) -> str:
    group = " ".join(group.split())
    if len(group) > GROUP_LENGTH:
        raise InvalidInput({"group": f"Use at most {GROUP_LENGTH} characters."})
    return group


def _snapshot(member: Member) -> dict[str, Any]:
    """What the audit trail keeps of a membership: never the member's perspective nor what
    they said about lived experience."""
    return {
        "id": member.pk,
        "code": member.code,
        "account": member.user_id,
        "role": member.role,
        "decides": member.decides,
        "group": member.group,
        "version": member.version,
    }


def _unique(project: Project, code: str, account: Any | None, member: Member | None) -> None:
    others = Member.objects.filter(project=project)
    if member is not None:
        others = others.exclude(pk=member.pk)
    if member is None and others.filter(code__iexact=code).exists():
        raise InvalidInput({"code": f"This project already has a member with the code {code}."})
    if account is not None:
        holder = others.filter(user=account).first()
        if holder is not None:
            raise InvalidInput(
                {"username": f"That account is already in this project, as {holder.code}."}
            )


@transaction.atomic
def add_member(
    user: Any,
    project: Project,
    *,
    username: str,
    code: str,
    role: str,
    decides: bool,
    group: str,
) -> Member:
    """Add someone to the project by code: with an account, or none for taking part on paper."""
    Project.objects.select_for_update().get(pk=project.pk)
    account = _account(username)
    code = checked_code(code, account)
    role, group = _checked_role(role), _checked_group(group)
    _unique(project, code, account, None)
    member = Member.objects.create(
        project=project, user=account, code=code, role=role, decides=decides, group=group
    )
    record(
        user,
        "create",
        member,
        evaluation_id=None,
        summary=f"Added {code} as {member.get_role_display().lower()}",
        after=_snapshot(member),
    )
    return member


def _runs_project(member: Member) -> bool:
    return member.role == Member.Role.FACILITATOR and member.user_id is not None


def _keeps_a_facilitator(member: Member, doing: str) -> None:
    """Refuse ``doing`` to the last facilitator with an account: nobody could run the project."""
    others = (
        Member.objects.select_for_update()
        .filter(project_id=member.project_id, role=Member.Role.FACILITATOR, user__isnull=False)
        .exclude(pk=member.pk)
    )
    if not others.exists():
        raise DomainError(
            f"{member.code} is the project's only facilitator with an account, so nobody "
            f"could run the project if you {doing}. Make another member facilitator first."
        )


def _locked(member: Member, expected_version: int) -> Member:
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if locked.version != expected_version:
        raise StaleEdit("member")
    return locked


@transaction.atomic
def change_member(
    user: Any,
    member: Member,
    *,
    username: str,
    role: str,
    decides: bool,
    group: str,
    expected_version: int,
) -> Member:
    """Change a member's account, role, part in decisions and group."""
    Project.objects.select_for_update().get(pk=member.project_id)
    locked = _locked(member, expected_version)
    account = _account(username)
    role, group = _checked_role(role), _checked_group(group)
    if account is not None and account.pk != locked.user_id:
        checked_code(locked.code, account)
        _unique(locked.project, locked.code, account, locked)
    stays = role == Member.Role.FACILITATOR and account is not None
    if _runs_project(locked) and not stays:
        _keeps_a_facilitator(locked, "changed this")
    before = _snapshot(locked)
    locked.user, locked.role, locked.decides, locked.group = account, role, decides, group
    locked.version = F("version") + 1
    locked.save(update_fields=["user", "role", "decides", "group", "version"])
    locked.refresh_from_db()
    record(
        user,
        "change",
        locked,
        evaluation_id=None,
        summary=f"Changed {locked.code}'s membership",
        before=before,
        after=_snapshot(locked),
    )
    return locked


def contributions(member: Member) -> list[str]:
    """What the member has put into the project, said in words (empty when nothing)."""
    said = []
    cards = Card.objects.filter(author=member).count()
    if cards:
        said.append(f"written {cards} card{'s' if cards != 1 else ''}")
    if member.sorts.exists():
        said.append("sorted the cards")
    if member.ratings.exists():
        said.append("rated statements")
    return said


@transaction.atomic
def remove_member(user: Any, member: Member, *, expected_version: int) -> str:
    """Take a member out of the project, if they have put nothing into it yet; returns their
    code."""
    Project.objects.select_for_update().get(pk=member.project_id)
    locked = _locked(member, expected_version)
    if _runs_project(locked):
        _keeps_a_facilitator(locked, "removed them")
    done = contributions(locked)
    if done:
        raise DomainError(
            f"{locked.code} has {' and '.join(done)}, which stays part of the project, so "
            "they stay a member. Change their role, or leave them out of decisions, instead."
        )
    code = locked.code
    record(
        user,
        "delete",
        locked,
        evaluation_id=None,
        summary=f"Removed {code} from the project",
        before=_snapshot(locked),
    )
    locked.delete()
    return code


def lived_experience_answer(member: Member) -> str:
    """The member's answer as the form offers it: "yes", "no" or "" (not said)."""
    return {True: "yes", False: "no"}.get(member.lived_experience, "")  # type: ignore[arg-type]


@transaction.atomic
def describe_self(
    user: Any, member: Member, *, perspective: str, lived_experience: str, expected_version: int
) -> Member:
    """The member's own words about the perspective they bring, and whether they say they
    bring lived experience ("yes", "no", or "" for prefer not to say)."""
    locked = _locked(member, expected_version)
    if locked.user_id != getattr(user, "pk", None):
        raise DomainError("Only members themselves describe their own perspective.")
    perspective = perspective.strip()
    if len(perspective) > PERSPECTIVE_LENGTH:
        raise InvalidInput(
            {
                "perspective": f"Use at most {PERSPECTIVE_LENGTH} characters; this has "
                f"{len(perspective)}."
            }
        )
    if lived_experience not in LIVED_EXPERIENCE:
        raise InvalidInput({"lived_experience": "Choose yes, no or prefer not to say."})
    locked.perspective = perspective
    locked.lived_experience = LIVED_EXPERIENCE[lived_experience]
    locked.version = F("version") + 1
    locked.save(update_fields=["perspective", "lived_experience", "version"])
    locked.refresh_from_db()
    # What a member says about themselves stays out of the trail: only that they said it.
    record(
        user,
        "change",
        locked,
        evaluation_id=None,
        summary=f"{locked.code} described their own perspective",
        before={"id": locked.pk},
        after={"id": locked.pk, "version": locked.version},
    )
    return locked
