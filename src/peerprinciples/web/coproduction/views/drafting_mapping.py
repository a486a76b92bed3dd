"""The coverage of the draft principles: the grid of links from review categories and panel
piles to principles, the core's flags, the diagram (the paper's Figure 3) with a table of the
same, and the CSV.

The grid is one form: a tick box for every principle and support, saved at once. The
facilitator and the research team save it; everyone sees it (without the boxes).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.core.coproduction.coverage import coverage_csv as coverage_csv_text
from peerprinciples.core.coproduction.coverage import coverage_rows
from peerprinciples.core.coproduction.mapping_figure import figure_table, mapping_figure
from peerprinciples.web.coproduction.services import drafting_coverage as services
from peerprinciples.web.coproduction.services.drafting_coverage import (
    Clash,
    MappingConflict,
    ProjectCoverage,
)
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    project_access_for,
    requires,
)

NAV = "principles"
FIGURE_TITLE = "What supports each draft principle"


def _ticks(request: HttpRequest) -> set[tuple[int, str]]:
    """The grid's ticks, each sent as ``<principle pk>:<support id>``."""
    ticks = set()
    for sent in request.POST.getlist("link"):
        principle, _, support = sent.partition(":")
        if principle.isdigit() and support:
            ticks.add((int(principle), support))
    return ticks


def _grid(
    cover: ProjectCoverage, ticks: set[tuple[int, str]] | None
) -> list[tuple[object, list[tuple[object, str, bool]]]]:
    """Rows of the grid: each support with a cell per principle (its box's value and
    whether it is ticked: the ticks sent back, or else the links stored)."""
    shown = cover.links if ticks is None else ticks
    rows = []
    for support in cover.supports:
        cells = [(p, f"{p.pk}:{support.id}", (p.pk, support.id) in shown) for p in cover.principles]
        rows.append((support, cells))
    return rows


def _page(
    request: HttpRequest,
    access: ProjectAccess,
    *,
    ticks: set[tuple[int, str]] | None = None,
    clashes: list[Clash] | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    cover = services.project_coverage(access.project)
    context = project_context(access, NAV)
    numbered = [(services.principle_key(n), p) for n, p in enumerate(cover.principles, start=1)]
    context.update(
        {
            "cover": cover,
            "numbered": numbered,
            "grid": _grid(cover, ticks),
            "flags": cover.coverage.flags,
            "statuses": [
                (key, row)
                for (key, _), row in zip(numbered, cover.coverage.principles, strict=True)
            ],
            "matrix": coverage_rows(cover.coverage),
            "figure": figure_table(cover.coverage, title=FIGURE_TITLE),
            "clashes": clashes or [],
            "problem": problem,
            "stamp": cover.stamp,
        }
    )
    return render(request, "coproduction/drafting_mapping.html", context, status=status)


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def mapping(request: HttpRequest, project_id: int) -> HttpResponse:
    """The coverage grid, flags and diagram; the team saves the grid's ticks here."""
    if request.method == "GET":
        access = project_access_for(request, project_id, ProjectAction.VIEW_DRAFTS)
        return _page(request, access)
    access = project_access_for(request, project_id, ProjectAction.EDIT_DRAFTS)
    ticks = _ticks(request)
    seen = services.read_stamp(request.POST.get("seen", ""))
    try:
        changed = services.save_links(request.user, access.project, ticks, seen=seen)
    except MappingConflict as conflict:
        messages.error(request, str(conflict))
        return _page(request, access, ticks=ticks, clashes=conflict.clashes, status=409)
    except InvalidInput as error:
        problem = " ".join(error.problems.values())
        return _page(request, access, ticks=ticks, problem=problem, status=400)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("coproduction:mapping", project_id)
    if changed:
        messages.success(
            request,
            f"The links are saved: {changed} principle{'s' if changed != 1 else ''} changed.",
        )
    else:
        messages.info(request, "Nothing had changed, so nothing was saved.")
    return redirect("coproduction:mapping", project_id)


def _file_name(access: ProjectAccess, ending: str) -> str:
    return f"{slugify(access.project.name) or 'project'}-{ending}"


@requires(ProjectAction.VIEW_DRAFTS)
@require_GET
def mapping_svg(request: HttpRequest, project_id: int) -> HttpResponse:
    """The diagram: review categories left, principles in the middle, panel piles right."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_DRAFTS)
    cover = services.project_coverage(access.project)
    response = HttpResponse(
        mapping_figure(cover.coverage, title=FIGURE_TITLE), content_type="image/svg+xml"
    )
    if "download" in request.GET:
        name = _file_name(access, "principles-mapping.svg")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@requires(ProjectAction.VIEW_DRAFTS)
@require_GET
def coverage_csv(request: HttpRequest, project_id: int) -> HttpResponse:
    """Every principle and support, linked or not, as CSV."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_DRAFTS)
    cover = services.project_coverage(access.project)
    response = HttpResponse(
        coverage_csv_text(cover.coverage), content_type="text/csv; charset=utf-8"
    )
    name = _file_name(access, "principles-coverage.csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
