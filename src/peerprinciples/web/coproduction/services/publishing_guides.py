"""The reflection guide published with a framework version, so reflection cycles of
evaluations pinned to it can start.

A reflection cycle follows a stored guide, and a guide follows one framework version. When
publishing, the facilitator chooses one of: no guide, a starter guide drafted from the
wording (``core.coproduction.starter_guide``), or a stored guide carried over (re-pinned to
the new version) when the new framework still has every principle and theme it asks about,
as a guide for the base of an adaptation or for the project's previous version usually does.
"""

from __future__ import annotations

from dataclasses import dataclass

from peerprinciples.core.coproduction.publishing import suggest_key
from peerprinciples.core.coproduction.starter_guide import (
    GuideCarryOverError,
    carry_over_guide,
    starter_guide,
)
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.reflection.model import ReflectionGuide
from peerprinciples.web.coproduction.models import Publication
from peerprinciples.web.errors import InvalidInput
from peerprinciples.web.library.models import StoredGuide

NO_GUIDE = "none"
STARTER_GUIDE = "starter"
CARRY_GUIDE_PREFIX = "carry-"
"""Choices of the reflection guide: none, a starter guide, or ``carry-<pk>``."""


@dataclass(frozen=True)
class CarryableGuide:
    """A stored reflection guide, and why it cannot be carried over (empty when it can)."""

    stored: StoredGuide
    reason: str = ""


def carryable_guides(framework: Framework | None) -> list[CarryableGuide]:
    """Every stored guide, each with why it cannot follow ``framework``."""
    found = []
    for stored in StoredGuide.objects.select_related("framework").order_by("key", "version"):
        if framework is None:
            found.append(CarryableGuide(stored, "There is nothing to publish yet."))
            continue
        try:
            carry_over_guide(stored.model(), framework, framework.version + "-check")
        except GuideCarryOverError as refused:
            found.append(CarryableGuide(stored, str(refused)))
        else:
            found.append(CarryableGuide(stored))
    return found


def _carried_key(stored: StoredGuide, framework: Framework) -> str:
    """The same key for a guide of an earlier version of the same framework; otherwise one
    naming both, so the base's guide keeps its own key."""
    if stored.framework.key == framework.key:
        return stored.key
    return suggest_key(f"{stored.key} for {framework.key}", fallback="reflection")


def guide_for(framework: Framework, choice: str) -> ReflectionGuide | None:
    """The guide stored with ``framework`` for ``choice`` (see the module's choices).

    Raises :class:`InvalidInput` (on ``guide``) for an unknown choice, or a guide that does
    not fit the framework, with the core's reason.
    """
    if choice in ("", NO_GUIDE):
        return None
    if choice == STARTER_GUIDE:
        key = suggest_key(f"{framework.key} reflection", fallback="reflection")
        return starter_guide(framework, key, framework.version)
    if choice.startswith(CARRY_GUIDE_PREFIX):
        number = choice[len(CARRY_GUIDE_PREFIX) :]
        stored = (
            StoredGuide.objects.select_related("framework").filter(pk=number).first()
            if number.isdigit()
            else None
        )
        if stored is not None:
            try:
                carried = carry_over_guide(stored.model(), framework, framework.version)
            except GuideCarryOverError as refused:
                raise InvalidInput({"guide": str(refused)}) from refused
            return carried.model_copy(update={"key": _carried_key(stored, framework)})
    raise InvalidInput(
        {"guide": "Choose one of the reflection guides listed, or no guide for now."}
    )


def guide_of(publication: Publication) -> StoredGuide | None:
    """The reflection guide stored with a publication (it follows its framework version)."""
    return StoredGuide.objects.filter(framework_id=publication.framework_id).order_by("pk").first()
