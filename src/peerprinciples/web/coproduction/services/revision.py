"""After publishing: correcting agreed wording as a new version.

A published version never changes. To correct it, the facilitator reopens agreed wording
(a principle's title and definition, an aspect, a theme, or several at once) with a reason:
``agreed_in`` is cleared on each, so the team may reword it and put it to the panel in
another round, and the project goes back to the drafting stage. The versions already
published, their documents and their files stay exactly as they were; the next publication
is a new version, and the earlier one then shows which version supersedes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F

from peerprinciples.core.frameworks import Change, Framework, diff_frameworks
from peerprinciples.web.audit.services import record
from peerprinciples.web.coproduction.models import (
    DraftAspect,
    DraftingRound,
    DraftPrinciple,
    DraftTheme,
    Project,
    Publication,
)
from peerprinciples.web.errors import DomainError, InvalidInput

REASON_LENGTH = 2000

_MODELS: dict[str, Any] = {
    "principle": DraftPrinciple,
    "aspect": DraftAspect,
    "theme": DraftTheme,
}


@dataclass(frozen=True)
class Agreed:
    """Wording the panel agreed, which a correction may reopen."""

    kind: str
    """"principle" (its title and definition), "aspect" or "theme"."""
    pk: int
    text: str
    round_number: int
    principle: DraftPrinciple | None = None
    """The principle an aspect belongs to (for a principle, itself)."""

    @property
    def choice(self) -> str:
        """How a form names it: ``principle-4``, ``aspect-9``, ``theme-2``."""
        return f"{self.kind}-{self.pk}"


def agreed_wording(project: Project) -> list[Agreed]:
    """Every agreed principle, aspect and theme of ``project``, in the drafts' order."""
    found: list[Agreed] = []
    principles = DraftPrinciple.objects.filter(project=project).prefetch_related(
        "aspects__agreed_in"
    )
    for principle in principles.select_related("agreed_in"):
        if principle.agreed_in is not None:
            text = f"{principle.title}: {principle.definition}".rstrip(": ")
            found.append(
                Agreed("principle", principle.pk, text, principle.agreed_in.number, principle)
            )
        for aspect in principle.aspects.all():
            if aspect.agreed_in is not None:
                found.append(
                    Agreed("aspect", aspect.pk, aspect.text, aspect.agreed_in.number, principle)
                )
    themes = DraftTheme.objects.filter(project=project, agreed_in__isnull=False)
    for theme in themes.select_related("agreed_in"):
        assert theme.agreed_in is not None
        text = f"{theme.title}: {theme.description}".rstrip(": ")
        found.append(Agreed("theme", theme.pk, text, theme.agreed_in.number))
    return found


# --- versions ----------------------------------------------------------------------------------


def latest_publication(project: Project) -> Publication | None:
    """The version the project published last."""
    return (
        Publication.objects.filter(project=project)
        .select_related("framework")
        .order_by("-published_at", "-pk")
        .first()
    )


def superseded_by(publication: Publication) -> Publication | None:
    """The version the same project published next, if any."""
    return (
        Publication.objects.filter(project_id=publication.project_id, pk__gt=publication.pk)
        .select_related("framework")
        .order_by("pk")
        .first()
    )


def changes_since_last(
    project: Project, framework: Framework | None
) -> tuple[Publication | None, list[Change]]:
    """The last published version, and what ``framework`` (the wording as it would be
    published now) changes in it, as ``framework diff`` lists it; no changes when nothing
    is published or the wording cannot be published as it is."""
    last = latest_publication(project)
    if last is None or framework is None:
        return last, []
    return last, diff_frameworks(last.framework.model(), framework)


# --- reopening ---------------------------------------------------------------------------------


def reopen_refusal(project: Project) -> str:
    """Why the project's agreed wording cannot be reopened now (empty when it can)."""
    if not Publication.objects.filter(project=project).exists():
        return (
            "Nothing is published yet, so there is no version to correct: agreed wording "
            "stays as the panel agreed it. Publish the agreed text first; a correction is "
            "then drafted, agreed in another round and published as the next version."
        )
    opened = DraftingRound.objects.filter(project=project, status=DraftingRound.Status.OPEN)
    drafting_round = opened.first()
    if drafting_round is not None:
        return (
            f"Round {drafting_round.number} is open for votes: close it on the rounds page "
            "first, so the panel never rates wording that changes under them."
        )
    return ""


def _parsed(chosen: Iterable[str]) -> list[tuple[str, int]]:
    found = []
    for choice in chosen:
        kind, _, number = choice.partition("-")
        if kind not in _MODELS or not number.isdigit():
            raise InvalidInput(
                {
                    "statements": f"{choice!r} is not agreed wording of this project. Choose "
                    "from the list."
                }
            )
        found.append((kind, int(number)))
    if not found:
        raise InvalidInput(
            {"statements": "Choose at least one principle, aspect or theme to reopen."}
        )
    return sorted(set(found))


def _checked_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput(
            {
                "reason": "Say why the wording needs correcting: the reason is kept in the "
                "audit log and read by the panel in the next round."
            }
        )
    if len(reason) > REASON_LENGTH:
        raise InvalidInput({"reason": f"Keep the reason under {REASON_LENGTH} characters."})
    return reason


def _row(project: Project, kind: str, pk: int) -> Any:
    model = _MODELS[kind]
    queryset = model.objects.select_for_update(of=("self",)).select_related("agreed_in")
    if kind == "aspect":
        queryset = queryset.filter(principle__project=project)
    else:
        queryset = queryset.filter(project=project)
    row = queryset.filter(pk=pk).first()
    if row is None:
        raise InvalidInput(
            {"statements": f"There is no {kind} {pk} in this project. Choose from the list."}
        )
    return row


def _label(kind: str, row: Any) -> str:
    if kind == "aspect":
        return f"the aspect “{row.text}”"
    return f"the {kind} “{row.title}”"


def reopen(user: Any, project: Project, chosen: Iterable[str], reason: str) -> list[str]:
    """Reopen agreed wording for a new version (see the module); returns what was reopened,
    described for a message.

    Raises :class:`InvalidInput` (on ``statements`` or ``reason``) for an empty choice, an
    unknown statement or a missing reason, and :class:`DomainError` before anything is
    published, while a round is open, or when a chosen statement is no longer agreed (it was
    reopened by someone else meanwhile). Nothing changes when it is refused.
    """
    targets = _parsed(chosen)
    reason = _checked_reason(reason)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        refused = reopen_refusal(locked)
        if refused:
            raise DomainError(refused)
        rows = [(kind, _row(locked, kind, pk)) for kind, pk in targets]
        not_agreed = [_label(kind, row) for kind, row in rows if row.agreed_in_id is None]
        if not_agreed:
            raise DomainError(
                f"{'; '.join(not_agreed)} {'is' if len(not_agreed) == 1 else 'are'} not agreed "
                "wording (any more): someone may have reopened it a moment ago. Reload the "
                "page to see what is agreed now; nothing was reopened."
            )
        reopened = []
        for kind, row in rows:
            number = row.agreed_in.number
            type(row).objects.filter(pk=row.pk).update(agreed_in=None, version=F("version") + 1)
            row.refresh_from_db()
            label = _label(kind, row)
            reopened.append(label)
            record(
                user,
                "change",
                row,
                evaluation_id=None,
                summary=f"Reopened {label}, agreed in round {number}, for a new version: {reason}",
                before={"agreed_in": number},
                after={"agreed_in": None, "reason": reason},
            )
        before = {"stage": locked.stage}
        locked.stage = Project.Stage.DRAFTING
        locked.version = F("version") + 1
        locked.save(update_fields=["stage", "version"])
        record(
            user,
            "change",
            locked,
            evaluation_id=None,
            summary=f"Reopened {len(reopened)} agreed statement"
            f"{'s' if len(reopened) != 1 else ''} to correct the published version",
            before=before,
            after={"stage": Project.Stage.DRAFTING.value, "reason": reason},
        )
    return reopened
