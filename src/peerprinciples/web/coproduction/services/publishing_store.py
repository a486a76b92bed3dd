"""Publishing a framework version: the checks, the library, the publication, the stage.

A publication is made in one transaction: the framework version (and the instrument chosen
for evaluations and the reflection guide for reflection cycles, if any) go into the library
with ``store_framework``, ``store_instrument`` and ``store_guide``, the :class:`Publication`
row records them, and the project moves to "Published". A version
is never changed once stored, so publishing the same key and version twice is refused (two
facilitators pressing the button at once included: the project row is locked while one of
them publishes, and the other then finds the version taken).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F

from peerprinciples.core.coproduction.publishing import suggest_key
from peerprinciples.core.coproduction.starter_index import (
    CarryOverError,
    carry_over,
    starter_index,
)
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import Project, Publication
from peerprinciples.web.coproduction.services import publishing as previews
from peerprinciples.web.coproduction.services.publishing_guides import NO_GUIDE, guide_for
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.library.models import StoredFramework, StoredInstrument
from peerprinciples.web.library.services import store_framework, store_guide, store_instrument

NO_INSTRUMENT = "none"
STARTER_INDEX = "starter"
CARRY_PREFIX = "carry-"
"""Choices of what evaluations will use: nothing, a starter index, or ``carry-<pk>``."""

VERSION_LENGTH = 40


@dataclass(frozen=True)
class Carryable:
    """A stored instrument, and whether it can be carried over to the new framework."""

    stored: StoredInstrument
    reason: str = ""
    """Why it cannot be carried over (empty when it can)."""


def carryable(framework: Framework | None) -> list[Carryable]:
    """Every stored instrument, each with why it cannot be re-pinned to ``framework``."""
    found = []
    for stored in StoredInstrument.objects.order_by("key", "version"):
        if framework is None:
            found.append(Carryable(stored, "There is nothing to publish yet."))
            continue
        try:
            carry_over(stored.model(), framework, framework.version + "-check")
        except CarryOverError as refused:
            found.append(Carryable(stored, str(refused)))
        else:
            found.append(Carryable(stored))
    return found


def instrument_for(framework: Framework, choice: str) -> Instrument | None:
    """The instrument stored with ``framework`` for ``choice`` (see the module's choices).

    Raises :class:`InvalidInput` (on ``instrument``) for an unknown choice or an instrument
    whose domains rest on principles the framework does not have, with the core's reason.
    """
    if choice == NO_INSTRUMENT:
        return None
    if choice == STARTER_INDEX:
        key = suggest_key(f"{framework.key} starter index", fallback="index")
        return starter_index(framework, key, framework.version)
    if choice.startswith(CARRY_PREFIX):
        stored = StoredInstrument.objects.filter(pk=choice[len(CARRY_PREFIX) :]).first()
        if stored is not None:
            key = suggest_key(f"{stored.key} for {framework.key}", fallback="index")
            try:
                carried = carry_over(stored.model(), framework, framework.version)
            except CarryOverError as refused:
                raise InvalidInput({"instrument": str(refused)}) from refused
            return carried.model_copy(update={"key": key})
    raise InvalidInput(
        {"instrument": "Choose one of the ways listed for evaluations to use the framework."}
    )


def _checked_version(version: str) -> str:
    version = version.strip()
    if not version:
        raise InvalidInput({"version": "Give the version, for example 1 or 1.1."})
    if len(version) > VERSION_LENGTH or "@" in version or any(c.isspace() for c in version):
        raise InvalidInput(
            {
                "version": f"Use up to {VERSION_LENGTH} characters with no spaces and no "
                "'@', for example 1 or 2025.1."
            }
        )
    return version


def _refused_preview(preview: previews.Preview) -> None:
    if preview.open_round is not None:
        raise DomainError(
            f"Round {preview.open_round.number} is still open for votes. Close it on the rounds "
            "page first, so that the published wording is the wording the panel agreed."
        )
    if preview.not_agreed:
        count = len(preview.not_agreed)
        raise DomainError(
            f"{count} statement{'s are' if count != 1 else ' is'} not agreed yet (listed on "
            "this page). Run another drafting round on them, or take them out of the drafts, "
            "then publish."
        )
    if preview.problems or preview.framework is None:
        raise DomainError(
            "The wording cannot be published as it is: "
            + " ".join(preview.problems)
            + " Correct the drafts, then publish."
        )


@transaction.atomic
def publish(
    user: Any,
    project: Project,
    *,
    title: str,
    summary: str,
    version: str,
    instrument: str = NO_INSTRUMENT,
    guide: str = NO_GUIDE,
) -> Publication:
    """Publish the project's agreed wording as ``version`` of its framework (see the module).

    Refused with :class:`DomainError` while a round is open, while something is not
    agreed, or when the version is already stored; with :class:`InvalidInput` for an empty
    title or version, or an instrument or reflection guide that cannot be carried over.
    """
    locked = Project.objects.select_for_update().get(pk=project.pk)
    title, version = title.strip(), _checked_version(version)
    if not title:
        raise InvalidInput({"title": "Give the framework a title."})
    key = previews.framework_key(locked)
    if StoredFramework.objects.filter(key=key, version=version).exists():
        raise DomainError(
            f"{key}@{version} is already published, and a published version never changes. "
            f"To correct or add to it, publish a new version, such as "
            f"{previews.suggested_version(key)}."
        )
    preview = previews.preview(locked, title=title, summary=summary.strip(), version=version)
    _refused_preview(preview)
    framework = preview.framework
    assert framework is not None
    chosen = instrument_for(framework, instrument)
    chosen_guide = guide_for(framework, guide)
    try:
        with transaction.atomic():
            stored = store_framework(framework)
            stored_instrument = store_instrument(chosen, framework) if chosen else None
            if chosen_guide is not None:
                store_guide(chosen_guide, framework)
            publication = Publication.objects.create(
                project=locked,
                framework=stored,
                instrument=stored_instrument,
                adaptation=(
                    preview.adaptation.model_dump(mode="json", exclude_none=True)
                    if preview.adaptation
                    else None
                ),
                methods=framework.provenance.methods if framework.provenance else "",
                published_by=user,
            )
    except IntegrityError as clash:
        raise DomainError(
            f"{key}@{version} was published by someone else a moment ago. Reload the page to "
            "see it; a correction is published as a new version."
        ) from clash
    before = {"stage": locked.stage, "framework_key": locked.framework_key}
    locked.stage = Project.Stage.PUBLISHED
    locked.framework_key = key
    locked.version = F("version") + 1
    locked.save(update_fields=["stage", "framework_key", "version"])
    record(
        user,
        "create",
        publication,
        evaluation_id=None,
        summary=f"Published {framework.ref}"
        + (f" with the instrument {chosen.ref}" if chosen else "")
        + (f" and the reflection guide {chosen_guide.ref}" if chosen_guide else ""),
        before=before,
        after={
            "stage": Project.Stage.PUBLISHED.value,
            "framework": framework.ref,
            "instrument": chosen.ref if chosen else None,
            "reflection_guide": chosen_guide.ref if chosen_guide else None,
            "adaptation_of": preview.base.ref if preview.base else None,
        },
    )
    return publication
