"""What a personal access token may do: never more than the person who made it.

A token opens one evaluation and acts with one role. That role must be one whose every right
the maker's own role has too (:func:`token_roles`), checked when the token is made and again
on every request, since the maker's role may have been lowered, or their membership ended,
since then. A token of a service-scoped role covers the maker's own services.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from peerprinciples.web.evaluations.models import Evaluation
from peerprinciples.web.permissions.evaluations import (
    RULES,
    Access,
    Action,
    Role,
    _find_access,
)


def _rights(role: str) -> frozenset[Action]:
    return frozenset(action for action, roles in RULES.items() if role in roles)


def token_roles(role: str) -> list[str]:
    """The roles a member with ``role`` may give a token: their own, and any whose rights are
    all among theirs (a lead may make a viewer's token; a rater may not make a lead's)."""
    own = _rights(role)
    return [candidate for candidate in Role.values if _rights(candidate) <= own]


def token_access(token: Any, evaluation_id: int) -> Access | None:
    """The access a token gives to an evaluation, or ``None`` where it gives none: another
    evaluation, a maker who is no longer a member, or a role the maker no longer covers."""
    if token.evaluation_id != evaluation_id:
        return None
    found = _find_access(token.user, evaluation_id)
    if found is None or token.role not in token_roles(found.role):
        return None
    # A scoped token keeps its maker's services; a lead's rater token covers every service,
    # as the lead does.
    return Access(token.user, found.membership, found.services, token_role=token.role)


def token_access_for(token: Any, evaluation_id: int, action: Action) -> Access:
    """The guard for API requests made with a token, answering like :func:`access_for`."""
    found = token_access(token, evaluation_id)
    if found is None:
        raise Http404("No such evaluation.")
    if not found.may(action):
        raise PermissionDenied("This token's role in the evaluation does not include this.")
    return found


def may_make_token(user: Any, evaluation: Evaluation, role: str) -> bool:
    """Whether ``user`` may make a token with ``role`` for ``evaluation``."""
    found = _find_access(user, evaluation.pk)
    return found is not None and role in token_roles(found.role)
