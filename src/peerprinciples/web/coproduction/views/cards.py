"""The panel's cards: writing them, one card's page, typing up paper cards, and merging
duplicates.

Members see every card's number and words, never who wrote it; the facilitator sees the
authors' codes, to type up paper cards and to ask authors before merging duplicates. A
page outside the cards stage says what the stage is and who moves it on, rather than
failing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from peerprinciples.web.coproduction.forms.cards import (
    CardForm,
    DeleteCardForm,
    EditCardForm,
    MergeForm,
    PaperCardsForm,
)
from peerprinciples.web.coproduction.models import Card, Member, Project
from peerprinciples.web.coproduction.services import cards as services
from peerprinciples.web.coproduction.services.projects import stage_guide
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    in_project,
    may_change_card,
    project_access_for,
    requires,
)

NAV = "cards"


def _context(access: ProjectAccess, **more: Any) -> dict[str, Any]:
    project = access.project
    context = project_context(access, NAV)
    context.update(
        {
            "writing": project.stage == Project.Stage.CARDS,
            "stage": stage_guide(project.stage),
            "facilitators": Member.objects.filter(
                project=project, role=Member.Role.FACILITATOR
            ).order_by("code"),
            **more,
        }
    )
    return context


@requires(ProjectAction.VIEW_CARDS)
@require_http_methods(["GET", "POST"])
def cards(request: HttpRequest, project_id: int) -> HttpResponse:
    """Every card by number and words; a member's own cards and the form to write one."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_CARDS)
    if request.method == "GET":
        return _cards_page(request, access, CardForm())
    access = project_access_for(request, project_id, ProjectAction.WRITE_CARDS)
    form = CardForm(request.POST)
    if form.is_valid():
        try:
            card = services.write_card(request.user, access.member, form.cleaned_data["text"])
        except InvalidInput as error:
            form.add_problems(error)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("coproduction:cards", project_id)
        else:
            have = services.allowance(access.member)
            messages.success(request, f"Card {card.number} is saved. You have written {have}.")
            return redirect(reverse("coproduction:cards", args=[project_id]) + "#yours")
    return _cards_page(request, access, form, status=400)


def _cards_page(
    request: HttpRequest, access: ProjectAccess, form: CardForm, status: int = 200
) -> HttpResponse:
    project, member = access.project, access.member
    sees_authors = access.may(ProjectAction.SEE_AUTHORS)
    shown = services.live_cards(project)
    if sees_authors:
        shown = shown.select_related("author")
    writes = access.may(ProjectAction.WRITE_CARDS) and services.writes_cards(member)
    own = list(services.own_cards(member)) if writes else []
    kept = services.kept_as_they_are(own)
    context = _context(
        access,
        form=form,
        cards=shown,
        writes=writes,
        allowance=services.allowance(member) if writes else None,
        own=own,
        own_kept=kept,
        own_open=len(own) - len(kept),
        sees_authors=sees_authors,
        merged=services.merged_cards(project) if sees_authors else [],
    )
    return render(request, "coproduction/cards_list.html", context, status=status)


@requires(ProjectAction.VIEW_CARDS)
@require_http_methods(["GET", "POST"])
def card(request: HttpRequest, project_id: int, card_id: int) -> HttpResponse:
    """One card: its words for everyone; its author (or the facilitator, for a paper card)
    changes or deletes it here."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_CARDS)
    found = in_project(access, Card.objects.select_related("merged_into", "author"), card_id)
    found.project = access.project
    may_change = may_change_card(access, found)
    if request.method == "GET":
        form = EditCardForm(initial={"text": found.text, "version": found.version})
        return _card_page(request, access, found, form, may_change=may_change)
    if not may_change:
        raise PermissionDenied(
            "Only the member who wrote a card changes it (and the facilitator a paper card)."
        )
    back = reverse("coproduction:cards", args=[project_id]) + "#yours"
    if "delete" in request.POST:
        return _delete(request, access, found, back)
    form = EditCardForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_card(
                request.user,
                access.member,
                found,
                data["text"],
                expected_version=data["version"],
            )
        except StaleEdit as error:
            messages.error(request, str(error))
            theirs = Card.objects.get(pk=found.pk)
            kept = EditCardForm(initial={**data, "version": theirs.version})
            return _card_page(
                request, access, found, kept, may_change=True, theirs=theirs, status=409
            )
        except InvalidInput as error:
            form.add_problems(error)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("coproduction:card", project_id, found.pk)
        else:
            messages.success(request, f"Card {found.number} is saved.")
            return redirect(back)
    return _card_page(request, access, found, form, may_change=True, status=400)


def _delete(request: HttpRequest, access: ProjectAccess, found: Card, back: str) -> HttpResponse:
    """Delete the card, whatever its words box holds, if nobody changed it meanwhile."""
    form = DeleteCardForm(request.POST)
    here = reverse("coproduction:card", args=[access.project.pk, found.pk])
    if not form.is_valid():
        messages.error(request, "The page was incomplete: reload it and try again.")
        return redirect(here)
    try:
        number = services.delete_card(
            request.user, access.member, found, expected_version=form.cleaned_data["version"]
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(here)
    messages.success(request, f"Card {number} is deleted. Its number is not given again.")
    return redirect(back)


def _card_page(
    request: HttpRequest,
    access: ProjectAccess,
    found: Card,
    form: EditCardForm,
    *,
    may_change: bool,
    theirs: Card | None = None,
    status: int = 200,
) -> HttpResponse:
    own = found.author_id == access.member.pk
    held_back = services.why_unchangeable(found, access.member) if may_change else None
    context = _context(
        access,
        card=found,
        form=form,
        own=own,
        may_change=may_change and held_back is None,
        held_back=held_back,
        sees_authors=access.may(ProjectAction.SEE_AUTHORS),
        theirs=theirs,
    )
    return render(request, "coproduction/cards_card.html", context, status=status)


@requires(ProjectAction.ENTER_PAPER_CARDS)
@require_http_methods(["GET", "POST"])
def paper_cards(request: HttpRequest, project_id: int) -> HttpResponse:
    """The facilitator types up cards written on paper, several at once, for one member."""
    access = project_access_for(request, project_id, ProjectAction.ENTER_PAPER_CARDS)
    project = access.project
    writers = [m for m in Member.objects.filter(project=project) if services.writes_cards(m)]
    counts = services.written_by(project)
    authors = [
        (m, services.Allowance(counts.get(m.pk, 0), project.cards_per_member)) for m in writers
    ]
    if request.method == "GET":
        return _paper_page(request, access, PaperCardsForm(authors=authors))
    form = PaperCardsForm(request.POST, authors=authors)
    if form.is_valid():
        author = next(m for m in writers if m.pk == form.cleaned_data["author"])
        try:
            added = services.enter_paper_cards(
                request.user, project, author=author, text=form.cleaned_data["text"]
            )
        except InvalidInput as error:
            form.add_problems(error)
        else:
            numbers = [card.number for card in added]
            said = (
                f"card {numbers[0]}"
                if len(numbers) == 1
                else f"cards {numbers[0]} to {numbers[-1]}"
            )
            messages.success(request, f"Added {said} for {author.code}.")
            return redirect("coproduction:paper_cards", project_id)
    return _paper_page(request, access, form, status=400)


def _paper_page(
    request: HttpRequest, access: ProjectAccess, form: PaperCardsForm, status: int = 200
) -> HttpResponse:
    context = _context(access, form=form)
    return render(request, "coproduction/cards_paper.html", context, status=status)


@requires(ProjectAction.MERGE_CARDS)
@require_http_methods(["GET", "POST"])
def merge_cards(request: HttpRequest, project_id: int) -> HttpResponse:
    """The facilitator merges cards that say the same thing, once their authors agree."""
    access = project_access_for(request, project_id, ProjectAction.MERGE_CARDS)
    project = access.project
    shown = list(services.live_cards(project).select_related("author"))
    stamp = services.merge_stamp(shown)
    if request.method == "GET":
        return _merge_page(request, access, MergeForm(initial={"seen": stamp}, cards=shown), shown)
    form = MergeForm(request.POST, cards=shown)
    if form.is_valid():
        data = form.cleaned_data
        try:
            kept = services.merge_cards(
                request.user,
                project,
                cards=data["cards"],
                keep=data["keep"],
                agreement=data["agreement"],
                seen=services.read_stamp(data["seen"]),
            )
        except InvalidInput as error:
            form.add_problems(error)
        except DomainError as error:
            # Show the cards as they are now, with the ticks and the note kept.
            fresh = list(services.live_cards(project).select_related("author"))
            again = request.POST.copy()
            again["seen"] = services.merge_stamp(fresh)
            form = MergeForm(again, cards=fresh)
            form.is_valid()
            form.add_error(None, str(error))
            return _merge_page(request, access, form, fresh, status=409)
        else:
            messages.success(
                request,
                f"Merged into card {kept.number}. The cards merged are kept with the note, and "
                "no longer appear in lists, sorts or the analysis.",
            )
            return redirect("coproduction:cards", project_id)
    return _merge_page(request, access, form, shown, status=400)


def _merge_page(
    request: HttpRequest,
    access: ProjectAccess,
    form: MergeForm,
    shown: list[Card],
    status: int = 200,
) -> HttpResponse:
    boxes = list(form["cards"])
    radios = list(form["keep"])
    context = _context(access, form=form, rows=list(zip(shown, boxes, radios, strict=True)))
    return render(request, "coproduction/cards_merge.html", context, status=status)
