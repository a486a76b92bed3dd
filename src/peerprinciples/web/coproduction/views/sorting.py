"""Sorting the cards: group sorts recorded at meetings, each member's own sort online, and
who has finished theirs.

Everyone in a project sees the group sorts; the facilitator records them, at any stage.
Members who sort (panel members and the facilitator) sort online while the project is at
the sorting stage, and see only their own sort; the facilitator and the research team see
who has finished, never anyone's piles. Moving cards and changing piles go through
:mod:`.sorting_board`, shared by both kinds of sort.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerprinciples.web.coproduction.forms.sorting import GroupSortForm, VersionForm
from peerprinciples.web.coproduction.models import GroupSort, IndividualSort, Project
from peerprinciples.web.coproduction.services import sorting as services
from peerprinciples.web.coproduction.views import sorting_board as shared
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    in_project,
    project_access_for,
    requires,
)

NAV = "sorting"


def _context(access: ProjectAccess, **more: Any) -> dict[str, Any]:
    context = project_context(access, NAV)
    context["sorting_open"] = access.project.stage == Project.Stage.SORTING
    context["stage_label"] = access.project.get_stage_display()
    context.update(more)
    return context


# --- group sorts -------------------------------------------------------------------------


@requires(ProjectAction.VIEW_SORTS)
@require_http_methods(["GET", "POST"])
def group_sorts(request: HttpRequest, project_id: int) -> HttpResponse:
    """The sorting page: the group sorts (the facilitator starts one here), a way to each
    member's own sort, and to the progress of the sorts online."""
    if request.method == "POST":
        access = project_access_for(request, project_id, ProjectAction.RECORD_GROUP_SORT)
        form = GroupSortForm(request.POST)
        if form.is_valid():
            try:
                started = services.create_group_sort(
                    request.user, access.project, **form.cleaned_data
                )
            except InvalidInput as error:
                form.add_problems(error)
            else:
                messages.success(
                    request, "The group sort is started. Add the piles the panel agrees."
                )
                return redirect("coproduction:group_sort", project_id, started.pk)
        return _group_sorts_page(request, access, form, status=400)
    access = project_access_for(request, project_id, ProjectAction.VIEW_SORTS)
    return _group_sorts_page(request, access, GroupSortForm(initial={"title": "Group sort"}))


def _group_sorts_page(
    request: HttpRequest, access: ProjectAccess, form: GroupSortForm, status: int = 200
) -> HttpResponse:
    rows = []
    for group_sort in GroupSort.objects.filter(project=access.project).order_by("held_on", "pk"):
        shown = services.board(group_sort)
        rows.append((group_sort, len(shown.piles), shown.sorted_count, shown.card_count))
    own = None
    if access.may(ProjectAction.SORT_CARDS):
        own = services.own_sort(access.member)
    context = _context(access, group_sorts=rows, form=form, own=own)
    return render(request, "coproduction/sorting_group_sorts.html", context, status=status)


def _group_sort_of(access: ProjectAccess, sort_id: int) -> GroupSort:
    return in_project(access, GroupSort.objects.all(), sort_id)


def _group_redraw(request: HttpRequest, access: ProjectAccess, group_sort: GroupSort) -> Any:
    def redraw(page: str, status: int, **extra: Any) -> HttpResponse:
        group_sort.refresh_from_db()
        if page == "piles":
            return _group_piles_page(request, access, group_sort, status, **extra)
        return _group_sort_page(request, access, group_sort, status, **extra)

    return redraw


def _group_urls(group_sort: GroupSort) -> dict[str, str]:
    args = [group_sort.project_id, group_sort.pk]
    return {
        "board": reverse("coproduction:group_sort", args=args),
        "piles": reverse("coproduction:group_piles", args=args),
        "place": reverse("coproduction:group_place", args=args),
    }


def _group_editing(access: ProjectAccess, group_sort: GroupSort) -> dict[str, Any]:
    urls = _group_urls(group_sort)
    return shared.editing_context(
        group_sort,
        place_url=urls["place"],
        piles_url=urls["piles"],
        editable=access.may(ProjectAction.RECORD_GROUP_SORT),
    )


def _group_sort_page(
    request: HttpRequest,
    access: ProjectAccess,
    group_sort: GroupSort,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = _context(access, group_sort=group_sort, **_group_editing(access, group_sort))
    context.update(extra)
    return render(request, "coproduction/sorting_group_sort.html", context, status=status)


def _group_piles_page(
    request: HttpRequest,
    access: ProjectAccess,
    group_sort: GroupSort,
    status: int = 200,
    bound: Any = None,
    **extra: Any,
) -> HttpResponse:
    context = _context(access, group_sort=group_sort, **_group_editing(access, group_sort))
    context["pile_forms"] = shared.pile_forms(context["board"], bound)
    context["board_url"] = _group_urls(group_sort)["board"]
    context.update(extra)
    return render(request, "coproduction/sorting_group_piles.html", context, status=status)


@requires(ProjectAction.VIEW_SORTS)
@require_GET
def group_sort(request: HttpRequest, project_id: int, sort_id: int) -> HttpResponse:
    """One group sort: its piles with their cards, like the paper's Figure 2, and the cards
    not in a pile yet; the facilitator moves cards here."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_SORTS)
    return _group_sort_page(request, access, _group_sort_of(access, sort_id))


@requires(ProjectAction.RECORD_GROUP_SORT)
@require_http_methods(["GET", "POST"])
def group_piles(request: HttpRequest, project_id: int, sort_id: int) -> HttpResponse:
    """Add, rename or remove the piles of a group sort."""
    access = project_access_for(request, project_id, ProjectAction.RECORD_GROUP_SORT)
    found = _group_sort_of(access, sort_id)
    if request.method == "GET":
        return _group_piles_page(request, access, found)
    redraw = _group_redraw(request, access, found)
    return shared.piles(request, request.user, found, urls=_group_urls(found), redraw=redraw)


@requires(ProjectAction.RECORD_GROUP_SORT)
@require_POST
def group_place(request: HttpRequest, project_id: int, sort_id: int) -> HttpResponse:
    """Move cards of a group sort between piles (a plain form, or the page's script)."""
    access = project_access_for(request, project_id, ProjectAction.RECORD_GROUP_SORT)
    found = _group_sort_of(access, sort_id)
    return shared.place(
        request,
        request.user,
        found,
        done_url=_group_urls(found)["board"],
        redraw=_group_redraw(request, access, found),
    )


# --- a member's own sort -----------------------------------------------------------------

MY_URLS = {
    "board": "coproduction:my_sort",
    "piles": "coproduction:my_sort_piles",
    "place": "coproduction:my_sort_place",
}


def _my_urls(project: Project) -> dict[str, str]:
    return {key: reverse(name, args=[project.pk]) for key, name in MY_URLS.items()}


def _my_page(
    request: HttpRequest,
    access: ProjectAccess,
    page: str = "board",
    status: int = 200,
    bound: Any = None,
    **extra: Any,
) -> HttpResponse:
    own = services.own_sort(access.member)
    urls = _my_urls(access.project)
    context = _context(access, own=own, board_url=urls["board"])
    open_ = context["sorting_open"]
    context |= shared.editing_context(
        own, place_url=urls["place"], piles_url=urls["piles"], editable=open_
    )
    context["warnings"] = services.sort_warnings(context["board"]) if own.pk else []
    context["finish_form"] = VersionForm(initial={"version": own.version})
    if page == "piles":
        context["pile_forms"] = shared.pile_forms(context["board"], bound)
    context.update(extra)
    template = "sorting_my_piles" if page == "piles" else "sorting_my_sort"
    return render(request, f"coproduction/{template}.html", context, status=status)


def _my_redraw(request: HttpRequest, access: ProjectAccess) -> Any:
    def redraw(page: str, status: int, **extra: Any) -> HttpResponse:
        return _my_page(request, access, page, status, **extra)

    return redraw


def _started(request: HttpRequest, access: ProjectAccess) -> IndividualSort | None:
    """The member's sort, saved so it can change; ``None`` (with the reason shown) when
    sorting online is closed."""
    try:
        return services.start_sort(access.member)
    except DomainError as error:
        messages.error(request, str(error))
        return None


@requires(ProjectAction.SORT_CARDS)
@require_http_methods(["GET", "POST"])
def my_sort(request: HttpRequest, project_id: int) -> HttpResponse:
    """A member's own sort: their piles, the cards in none, and marking it finished (or not
    finished after all)."""
    access = project_access_for(request, project_id, ProjectAction.SORT_CARDS)
    if request.method == "GET":
        return _my_page(request, access)
    here = reverse("coproduction:my_sort", args=[project_id])
    form = VersionForm(request.POST)
    do = request.POST.get("do")
    if not form.is_valid() or do not in ("finish", "reopen"):
        messages.error(request, "The form was not complete. Use the buttons on the page.")
        return _my_page(request, access, status=400)
    own = _started(request, access)
    if own is None:
        return _my_page(request, access, status=409)
    try:
        warnings = services.set_finished(
            request.user,
            own,
            finished=do == "finish",
            expected_version=form.cleaned_data["version"],
        )
    except DomainError as error:
        messages.error(request, str(error))
        return _my_page(request, access, status=409)
    if do == "finish":
        messages.success(
            request,
            "Your sort is finished and will be part of the concept map. You can still change "
            "it while sorting is open.",
        )
        for warning in warnings:
            messages.warning(request, warning)
    else:
        messages.success(request, "Your sort is saved as not finished; finish it when ready.")
    return redirect(here)


@requires(ProjectAction.SORT_CARDS)
@require_http_methods(["GET", "POST"])
def my_sort_piles(request: HttpRequest, project_id: int) -> HttpResponse:
    """Add, rename or remove the piles of a member's own sort."""
    access = project_access_for(request, project_id, ProjectAction.SORT_CARDS)
    if request.method == "GET":
        return _my_page(request, access, "piles")
    own = _started(request, access)
    if own is None:
        return _my_page(request, access, "piles", status=409)
    urls = _my_urls(access.project)
    return shared.piles(request, request.user, own, urls=urls, redraw=_my_redraw(request, access))


@requires(ProjectAction.SORT_CARDS)
@require_POST
def my_sort_place(request: HttpRequest, project_id: int) -> HttpResponse:
    """Move cards of a member's own sort between their piles."""
    access = project_access_for(request, project_id, ProjectAction.SORT_CARDS)
    redraw = _my_redraw(request, access)
    try:
        own = services.start_sort(access.member)
    except DomainError as error:
        if shared.wants_json(request):
            return JsonResponse({"error": str(error), "problems": {}}, status=409)
        messages.error(request, str(error))
        return redraw("board", 409)
    done = reverse("coproduction:my_sort", args=[project_id])
    return shared.place(request, request.user, own, done_url=done, redraw=redraw)


# --- progress ----------------------------------------------------------------------------


@requires(ProjectAction.VIEW_SORT_PROGRESS)
@require_GET
def progress(request: HttpRequest, project_id: int) -> HttpResponse:
    """Who has finished sorting online, who is part way and who has not started, by code,
    with how many cards each left unsorted; nobody's piles."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_SORT_PROGRESS)
    rows = services.progress(access.project)
    counts = {status: sum(r.status == status for r in rows) for status in services.STATUS_LABELS}
    context = _context(
        access, rows=rows, counts=counts, card_count=services.live_cards(access.project).count()
    )
    return render(request, "coproduction/sorting_progress.html", context)
