"""What co-production projects and programmes share: a role per member, and rules by role.

A project and a programme each give a person one membership with one role, and a table of
rules says which roles may do each action. :class:`MemberAccess` answers from the membership
it was found with, and :func:`checked` turns a missing membership into 404 (an outsider may
not learn the thing exists) and a missing right into 403.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar, TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404


@dataclass(frozen=True, eq=False)
class MemberAccess:
    """What a request may do in one project or programme: the person's membership, found
    once, and the family's rules (``RULES``, set by each subclass)."""

    RULES: ClassVar[Mapping[Any, frozenset[str]]]

    user: Any
    member: Any

    @property
    def role(self) -> str:
        return str(self.member.role)

    def may(self, action: enum.StrEnum) -> bool:
        """Whether the person may do ``action`` here."""
        return self.role in self.RULES[action]

    @cached_property
    def rights(self) -> dict[str, bool]:
        """Every action's answer, by its name: what templates read as ``may``."""
        return {action.value: self.may(action) for action in self.RULES}


AccessT = TypeVar("AccessT", bound=MemberAccess)


def checked(found: AccessT | None, action: enum.StrEnum, *, missing: str, denied: str) -> AccessT:
    """``found`` if it allows ``action``: 404 with ``missing`` for an outsider (or a thing that
    does not exist: the two look the same), 403 with ``denied`` for a member without the
    right."""
    if found is None:
        raise Http404(missing)
    if not found.may(action):
        raise PermissionDenied(denied)
    return found
