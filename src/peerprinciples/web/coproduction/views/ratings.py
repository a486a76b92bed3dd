"""Rating the statements: the scales, the rating sheet, and the results with the ladder and
the go-zone.

Views are thin: they find the project through the guards in ``permissions``, parse a form,
call ``services.ratings`` (changes) or ``services.rating_results`` (what the results show)
and redirect after a successful POST.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.core.coproduction.rating_charts import (
    go_zone_chart,
    go_zone_table,
    ladder_chart,
    ladder_table,
)
from peerprinciples.web.coproduction.forms.ratings import (
    CompareForm,
    ScaleChangeForm,
    ScaleForm,
    read_sheet,
    sheet,
)
from peerprinciples.web.coproduction.models import Card, Member, RatingScale
from peerprinciples.web.coproduction.services import rating_results as results_service
from peerprinciples.web.coproduction.services import ratings as services
from peerprinciples.web.coproduction.services.cards import live_cards
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    in_project,
    project_access_for,
    requires,
)

NAV = "ratings"


def _scales_page(
    request: HttpRequest,
    access: ProjectAccess,
    *,
    new: ScaleForm | None = None,
    failed: ScaleChangeForm | None = None,
    failed_scale: int | None = None,
    status: int = 200,
) -> HttpResponse:
    scales = services.scales_of(access.project)
    forms = [
        (
            scale,
            failed
            if scale.pk == failed_scale and failed is not None
            else ScaleChangeForm.for_scale(scale),
        )
        for scale in scales
    ]
    context = project_context(access, NAV)
    context.update(
        {
            "scale_forms": forms,
            "new_form": new or ScaleForm(prefix="new"),
            "defaults": services.DEFAULT_SCALES,
            "rated": {scale.pk for scale in scales if scale.ratings.exists()},
        }
    )
    return render(request, "coproduction/ratings_scales.html", context, status=status)


@requires(ProjectAction.MANAGE_PROJECT)
@require_http_methods(["GET", "POST"])
def scales(request: HttpRequest, project_id: int) -> HttpResponse:
    """The questions every statement is rated on: add the usual two, add, change, remove."""
    access = project_access_for(request, project_id, ProjectAction.MANAGE_PROJECT)
    if request.method != "POST":
        return _scales_page(request, access)
    action = request.POST.get("action", "")
    handler = _SCALE_ACTIONS.get(action)
    if handler is None:
        messages.error(request, "Choose what to do: add a scale, change one or remove one.")
        return _scales_page(request, access, status=400)
    try:
        failed = handler(request, access)
    except DomainError as error:
        messages.error(request, str(error))
        return _scales_page(request, access, status=409)
    return failed or redirect("coproduction:scales", access.project.pk)


def _add_defaults(request: HttpRequest, access: ProjectAccess) -> HttpResponse | None:
    services.add_default_scales(request.user, access.project)
    messages.success(request, "Importance and feasibility, 1 to 5, are the questions now.")
    return None


def _add(request: HttpRequest, access: ProjectAccess) -> HttpResponse | None:
    form = ScaleForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            services.add_scale(request.user, access.project, form.draft())
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, "The question was added.")
            return None
    return _scales_page(request, access, new=form, status=400)


def _change(request: HttpRequest, access: ProjectAccess) -> HttpResponse | None:
    scale = in_project(access, RatingScale.objects.all(), _int(request.POST.get("scale")))
    form = ScaleChangeForm.for_scale(scale, request.POST)
    if form.is_valid():
        try:
            services.change_scale(
                request.user, scale, form.draft(), version=form.cleaned_data["version"]
            )
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, "The question was changed.")
            return None
    return _scales_page(request, access, failed=form, failed_scale=scale.pk, status=400)


def _remove(request: HttpRequest, access: ProjectAccess) -> HttpResponse | None:
    scale = in_project(access, RatingScale.objects.all(), _int(request.POST.get("scale")))
    services.remove_scale(request.user, scale, version=_int(request.POST.get("version")))
    messages.success(request, "The question was removed.")
    return None


_SCALE_ACTIONS = {"defaults": _add_defaults, "add": _add, "change": _change, "remove": _remove}
"""What the scales page's forms ask for, by their ``action``; each returns a page to show
when something needs putting right, or ``None`` after a change."""


def _int(text: Any) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0


@requires(ProjectAction.RATE_STATEMENTS)
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, project_id: int) -> HttpResponse:
    """The member's rating sheet: every live card on every scale; save now, finish later."""
    access = project_access_for(request, project_id, ProjectAction.RATE_STATEMENTS)
    project, member = access.project, access.member
    cards = list(live_cards(project))
    scales = services.scales_of(project)
    current = services.ratings_of(member)
    values: dict[tuple[int, int], int | None] = dict(current)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        wanted, errors = read_sheet(request.POST, cards, scales)
        if not errors:
            try:
                saved = services.save_ratings(
                    request.user, member, wanted, stamp=request.POST.get("stamp", "")
                )
            except InvalidInput as error:
                errors = error.problems
            except DomainError as error:
                messages.error(request, str(error))
                status = 409
            else:
                _say_saved(request, saved, cards, scales, member)
                return redirect("coproduction:rate", project.pk)
        if errors:
            values.update(wanted)
            status = 400
    given, total = services.progress(cards, scales, current)
    drawn = sheet(cards, scales, values, errors)
    context = project_context(access, NAV)
    context.update(
        {
            "open": services.may_rate_now(project),
            "stage_notice": services.stage_notice(project),
            "scales": scales,
            "sheet": drawn,
            # Coming back part of the way through: the questions still open, to jump to.
            "to_rate": [
                (entry.card.number, results_service.scale_name(question.scale), question.name)
                for entry in drawn
                for question in entry.questions
                if not question.rated
            ]
            if given
            else [],
            "errors": errors,
            "stamp": services.ratings_stamp(current),
            "given": given,
            "total": total,
        }
    )
    return render(request, "coproduction/ratings_rate.html", context, status=status)


def _say_saved(
    request: HttpRequest,
    saved: services.SavedRatings,
    cards: list[Card],
    scales: list[RatingScale],
    member: Member,
) -> None:
    given, total = services.progress(cards, scales, services.ratings_of(member))
    if not saved.total:
        messages.info(
            request, f"Nothing had changed, so nothing was saved. {given} of {total} given."
        )
        return
    messages.success(
        request,
        f"Your ratings are saved: {given} of {total} given. You can come back and change "
        "them while the rating stage is open.",
    )


def _compared(
    request: HttpRequest, data: results_service.RatingData
) -> tuple[CompareForm, results_service.Comparison]:
    """The small GET form, and what it asks to compare (the defaults until it is sent)."""
    default = results_service.defaults(data)
    scales = [data.name(scale) for scale in data.rated_scales]
    groups = [group.name for group in data.shown_groups()]
    fields = {f.name for f in dataclasses.fields(results_service.Comparison)}
    if not fields & set(request.GET):
        initial = dataclasses.asdict(default)
        return CompareForm(initial=initial, scales=scales, groups=groups), default
    # What the query leaves out keeps its default: a link may name the ladder only.
    form = CompareForm(
        {**dataclasses.asdict(default), **request.GET.dict()}, scales=scales, groups=groups
    )
    if not form.is_valid():
        return form, default
    return form, results_service.Comparison(**form.cleaned_data)


def _chart(draw: Any, *args: Any) -> tuple[Any, str]:
    """What a chart function returns, or ``None`` and the reason it cannot be drawn."""
    try:
        return draw(*args), ""
    except results_service.NotComparable as error:
        return None, str(error)


@requires(ProjectAction.VIEW_RATINGS)
@require_GET
def results(request: HttpRequest, project_id: int) -> HttpResponse:
    """Averages per card and per cluster, by group, with the ladder and the go-zone."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_RATINGS)
    data = results_service.read(access.project)
    form, asked = _compared(request, data)
    context = project_context(access, NAV)
    context.update(
        {
            "data": data,
            "scale_names": [data.name(scale) for scale in data.rated_scales],
            "scale_meanings": [(data.name(scale), scale) for scale in data.rated_scales],
            "groups": data.groups,
            "shown_groups": data.shown_groups(),
            "min_group_raters": results_service.MIN_GROUP_RATERS,
            "statement_rows": results_service.statement_rows(data),
            "cluster_rows": results_service.cluster_rows(data),
            "form": form,
            "query": request.GET.urlencode(),
        }
    )
    if data.ratings:
        found, context["ladder_problem"] = _chart(results_service.ladder_of, data, asked)
        if found is not None:
            context["ladder_svg"] = ladder_chart(found)
            context["ladder_table"] = ladder_table(found)
        zone, context["go_zone_problem"] = _chart(results_service.go_zone_of, data, asked)
        if zone is not None:
            names = data.clusters.names if data.clusters else None
            context["go_zone_svg"] = go_zone_chart(zone, names=names)
            context["go_zone_table"] = go_zone_table(zone, texts=data.names, names=names)
    return render(request, "coproduction/ratings_results.html", context)


def _svg_download(svg: str, name: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _refused(reason: str) -> HttpResponse:
    return HttpResponse(reason, status=400, content_type="text/plain; charset=utf-8")


@requires(ProjectAction.VIEW_RATINGS)
@require_GET
def ladder_svg(request: HttpRequest, project_id: int) -> HttpResponse:
    """The ladder the results page shows (same query), as an SVG file."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_RATINGS)
    data = results_service.read(access.project)
    _, asked = _compared(request, data)
    found, reason = _chart(results_service.ladder_of, data, asked)
    if found is None:
        return _refused(reason)
    return _svg_download(ladder_chart(found), f"{slugify(access.project.name)}-ladder.svg")


@requires(ProjectAction.VIEW_RATINGS)
@require_GET
def go_zone_svg(request: HttpRequest, project_id: int) -> HttpResponse:
    """The go-zone the results page shows (same query), as an SVG file."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_RATINGS)
    data = results_service.read(access.project)
    _, asked = _compared(request, data)
    zone, reason = _chart(results_service.go_zone_of, data, asked)
    if zone is None:
        return _refused(reason)
    names = data.clusters.names if data.clusters else None
    return _svg_download(
        go_zone_chart(zone, names=names), f"{slugify(access.project.name)}-go-zone.svg"
    )
