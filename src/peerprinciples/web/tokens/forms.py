"""The form for making a token."""

from __future__ import annotations

from typing import Any

from django import forms

from peerprinciples.web.evaluations.models import Membership
from peerprinciples.web.permissions import token_roles
from peerprinciples.web.tokens.services import LONGEST_DAYS


class MakeTokenForm(forms.Form):
    """Which evaluation, which role, what for and for how long."""

    name = forms.CharField(
        max_length=100,
        label="What the token is for",
        help_text="For example “nightly pull into R” or “REDCap pipeline”.",
    )
    evaluation = forms.TypedChoiceField(coerce=int, label="Evaluation")
    role = forms.ChoiceField(
        choices=Membership.Role.choices,
        initial=Membership.Role.VIEWER,  # the fewest rights: choose more only when needed
        label="Role the token acts with",
        help_text="Your own role or one with fewer rights: give a program only what it needs "
        "(a viewer's token reads aggregates only).",
    )
    days = forms.IntegerField(
        min_value=1,
        max_value=LONGEST_DAYS,
        initial=90,
        label="Days until it stops working",
        help_text=f"From 1 to {LONGEST_DAYS}. Make a new token before this one expires.",
    )

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = {member.evaluation_id: member for member in memberships}
        self.fields["evaluation"].choices = [  # type: ignore[attr-defined]
            (member.evaluation_id, f"{member.evaluation.name} (you: {member.get_role_display()})")
            for member in memberships
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        member = self.memberships.get(data.get("evaluation", -1))
        role = data.get("role")
        if member is not None and role and role not in token_roles(member.role):
            allowed = ", ".join(
                str(Membership.Role(value).label).lower() for value in token_roles(member.role)
            )
            self.add_error(
                "role",
                f"Your role in {member.evaluation.name} is {member.get_role_display().lower()}, "
                f"so a token for it can act as: {allowed}.",
            )
        return data
