"""Who must sign in with two factors: the one rule, which a middleware enforces on every page.

With ``REQUIRE_TWO_FACTOR_FOR_LEADS`` on, anyone who leads anything (an evaluation, a
co-production project as its facilitator, a programme) sees or changes everything in it, so
a stolen password alone must not be enough: until their session is confirmed by a code,
they may only set up two-factor sign-in or sign out. Everyone else may choose.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from peerprinciples.web.coproduction.models import Member as ProjectMember
from peerprinciples.web.evaluations.models import Membership
from peerprinciples.web.practice.models import ProgrammeMember


def leads_anything(user: Any) -> bool:
    """Whether ``user`` leads an evaluation, a co-production project or a programme (one
    query)."""
    person = OuterRef("pk")
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(
            Exists(Membership.objects.filter(user=person, role=Membership.Role.LEAD))
            | Exists(ProjectMember.objects.filter(user=person, role=ProjectMember.Role.FACILITATOR))
            | Exists(ProgrammeMember.objects.filter(user=person, role=ProgrammeMember.Role.LEAD))
        )
        .exists()
    )


def must_set_up_two_factor(user: Any) -> bool:
    """Whether this signed-in session must set up (or confirm with) two-factor sign-in before
    any other page: the setting is on, the session is not confirmed by a code, and the person
    leads something. While the setting is on, a session without a code costs one query a
    page for this; with it off (the default), none."""
    if not settings.REQUIRE_TWO_FACTOR_FOR_LEADS or not user.is_authenticated:
        return False
    if user.is_verified():
        return False
    return leads_anything(user)
