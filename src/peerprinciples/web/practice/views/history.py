"""The matrix's history: every change to the programme, newest first, and one cell's changes.

Both read the audit trail that the pages changing the matrix write; everyone in the programme
may read them, with who made each change and when.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from peerprinciples.web.permissions import (
    ProgrammeAction,
    programme_access_for,
    requires,
)
from peerprinciples.web.practice.models import Area, Cell
from peerprinciples.web.practice.services import history as services
from peerprinciples.web.practice.views.base import programme_context

NAV = "history"
PAGE_SIZE = 50


@requires(ProgrammeAction.VIEW_PROGRAMME)
@require_GET
def history(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Every recorded change to the programme's cells, areas, prompts, sections, members
    and settings, newest first, a page at a time."""
    access = programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    programme = access.programme
    page = Paginator(services.programme_history(programme), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    count = page.paginator.count
    context = programme_context(
        access,
        NAV,
        page=page,
        entries=services.entries(page.object_list, programme),
        caption=f"{count} change{'s' if count != 1 else ''}, newest first",
    )
    return render(request, "practice/history.html", context)


@requires(ProgrammeAction.VIEW_PROGRAMME)
@require_GET
def cell_history(
    request: HttpRequest, programme_id: int, area: str, principle: str
) -> HttpResponse:
    """Every recorded change to one cell, newest first."""
    access = programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    programme = access.programme
    found = Area.objects.filter(programme=programme, key=area).first()
    if found is None:
        raise Http404("This matrix has no such area.")
    titles = programme.framework.model().titles()
    cell = Cell.objects.filter(area=found, principle=principle).first()
    if cell is None and principle not in titles:
        raise Http404("This matrix has no such principle.")
    page = Paginator(services.cell_history(cell), PAGE_SIZE).get_page(request.GET.get("page"))
    context = programme_context(
        access,
        NAV,
        area=found,
        principle_key=principle,
        principle_title=titles.get(principle, principle),
        page=page,
        entries=services.entries(page.object_list, programme),
    )
    return render(request, "practice/cell_history.html", context)
