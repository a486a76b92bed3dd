"""The concept map: the latest map (or an earlier one) with its numbers, running the
analysis, choosing the number of clusters, naming and merging clusters, and downloads.

Everyone in the project sees the maps and may look at any number of clusters (a GET form
that changes nothing); the facilitator and the research team run the analysis; the
facilitator chooses the solution and names and merges its clusters. Views are thin: they
find objects through the guards in ``permissions`` and call ``services.mapping``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerprinciples.core.coproduction.conceptmap import ConceptMap, suggested_clusters
from peerprinciples.core.coproduction.map_chart import concept_map_svg, map_rows
from peerprinciples.core.coproduction.map_chart import map_csv as map_csv_text
from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.forms.mapping import (
    ChooseForm,
    MergeForm,
    RenameForm,
    RunForm,
    ShowForm,
    VersionedForm,
)
from peerprinciples.web.coproduction.services import mapping as services
from peerprinciples.web.coproduction.services.cards import live_cards
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.errors import DomainError
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    in_project,
    project_access_for,
    requires,
)

NAV = "map"


def _asked(request: HttpRequest, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


def _map_for(access: ProjectAccess, map_id: int) -> models.ConceptMap:
    return in_project(access, models.ConceptMap.objects.all(), map_id)


def _shown_map(request: HttpRequest, access: ProjectAccess) -> models.ConceptMap | None:
    """The map asked for (``?map=``), or else the latest."""
    asked = _asked(request, "map")
    if asked is not None:
        return _map_for(access, asked)
    return models.ConceptMap.objects.filter(project=access.project).first()


def _regions(result: ConceptMap, k: int, texts: dict[str, str]) -> list[dict[str, Any]]:
    """Each region of the solution with its statements, suggested names and clusters."""
    suggested = result.names.get(k, ())
    rows = []
    for region in result.regions(k):
        rows.append(
            {
                "region": region,
                "statements": [(key, texts.get(key, "")) for key in region.statements],
                "suggested": [
                    (cluster, suggested[cluster - 1] if cluster <= len(suggested) else ())
                    for cluster in region.clusters
                ],
            }
        )
    return rows


def map_context(
    access: ProjectAccess, stored: models.ConceptMap, result: ConceptMap, k: int
) -> dict[str, Any]:
    """What the map page shows of one stored map (and its result, read) and one solution."""
    texts = dict(services.statement_texts(access.project, result.keys))
    rows = map_rows(result, k)
    return {
        "stored": stored,
        "result": result,
        "shown": k,
        "chosen": stored.chosen_clusters,
        "suggested": suggested_clusters(result),
        "svg": concept_map_svg(result, k, title=f"Concept map, {k} clusters"),
        "rows": [(row, texts.get(row.statement, "")) for row in rows],
        "regions": _regions(result, k, texts),
        "stability": [result.stability[c] for c in result.cluster_counts if c in result.stability],
        "best_start": result.starts[result.best_start] if result.starts else None,
        "unsorted_cards": sum(len(cards) for cards in result.unsorted.values()),
        # Notes about one sorter's sort (cards they left out, one pile for everything) say
        # something of that person's piles: only those who follow sorting progress see them.
        "sorter_warnings": [w for w in result.warnings if w.where.startswith("sorter ")],
        "other_warnings": [w for w in result.warnings if not w.where.startswith("sorter ")],
    }


def _page(
    request: HttpRequest,
    access: ProjectAccess,
    *,
    run_form: RunForm | None = None,
    problems: list[Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    project = access.project
    context = project_context(access, NAV)
    stored = _shown_map(request, access)
    context.update(
        {
            "maps": models.ConceptMap.objects.filter(project=project).defer("result"),
            "run_form": run_form or RunForm(),
            "problems": problems or [],
            "finished_sorts": models.IndividualSort.objects.filter(
                project=project, status=models.IndividualSort.Status.DONE
            ).count(),
            "live_cards": live_cards(project).count(),
            "min_sorts": services.MIN_SORTS,
            "min_cards": services.MIN_CARDS,
        }
    )
    if stored is not None:
        result = services.result_of(stored)
        k = services.shown_clusters(stored, result, _asked(request, "clusters"))
        context.update(map_context(access, stored, result, k))
        counts = result.cluster_counts
        context["show_form"] = ShowForm(initial={"clusters": k}, counts=counts)
        context["choose_form"] = ChooseForm(
            initial={"clusters": k, "version": stored.version}, counts=counts
        )
        context["latest"] = stored == context["maps"].first()
    return render(request, "coproduction/mapping_map.html", context, status=status)


@requires(ProjectAction.VIEW_MAP)
@require_GET
def concept_map(request: HttpRequest, project_id: int) -> HttpResponse:
    """The latest concept map (or one asked for), with the numbers behind it."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_MAP)
    return _page(request, access)


@requires(ProjectAction.RUN_ANALYSIS)
@require_POST
def run(request: HttpRequest, project_id: int) -> HttpResponse:
    """Run the analysis over the finished sorts and keep the map (it takes seconds)."""
    access = project_access_for(request, project_id, ProjectAction.RUN_ANALYSIS)
    form = RunForm(request.POST)
    if not form.is_valid():
        return _page(request, access, run_form=form, status=400)
    try:
        stored = services.run_map(
            request.user,
            access.project,
            seed=form.cleaned_data["seed"],
            starts=form.cleaned_data["starts"],
        )
    except services.MapRefused as refused:
        messages.error(request, str(refused))
        return _page(request, access, run_form=form, problems=refused.problems, status=409)
    messages.success(
        request,
        f"The map is drawn from {stored.sorters} sorts (seed {stored.seed}, stress "
        f"{stored.stress:.3f}).",
    )
    return redirect("coproduction:map", access.project.pk)


def _download_clusters(request: HttpRequest, stored: models.ConceptMap) -> tuple[ConceptMap, int]:
    result = services.result_of(stored)
    return result, services.shown_clusters(stored, result, _asked(request, "clusters"))


def _file_name(stored: models.ConceptMap, k: int, extension: str) -> str:
    project = slugify(stored.project.name) or "project"
    return f"{project}-concept-map-{stored.created_at:%Y%m%d-%H%M}-{k}-clusters.{extension}"


@requires(ProjectAction.VIEW_MAP)
@require_GET
def map_svg(request: HttpRequest, project_id: int, map_id: int) -> HttpResponse:
    """The map as an SVG file (the solution chosen, or ``?clusters=``)."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_MAP)
    stored = _map_for(access, map_id)
    result, k = _download_clusters(request, stored)
    response = HttpResponse(
        concept_map_svg(result, k, title=f"Concept map, {k} clusters"),
        content_type="image/svg+xml",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(stored, k, "svg")}"'
    return response


@requires(ProjectAction.VIEW_MAP)
@require_GET
def map_csv(request: HttpRequest, project_id: int, map_id: int) -> HttpResponse:
    """Each statement's place and cluster as CSV (the solution chosen, or ``?clusters=``)."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_MAP)
    stored = _map_for(access, map_id)
    result, k = _download_clusters(request, stored)
    response = HttpResponse(map_csv_text(result, k), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(stored, k, "csv")}"'
    return response


# --- the facilitator's choices ---------------------------------------------------------------


def _region_names(stored: models.ConceptMap, result: ConceptMap) -> list[tuple[int, str]]:
    if stored.chosen_clusters is None:
        return []
    return [(r.number, r.name) for r in result.regions(stored.chosen_clusters)]


def _clusters_page(
    request: HttpRequest,
    access: ProjectAccess,
    stored: models.ConceptMap,
    *,
    failed: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    result = services.result_of(stored)
    regions = _region_names(stored, result)
    initial = {"version": stored.version}
    forms = {
        "rename_form": RenameForm(initial=initial, regions=regions),
        "merge_form": MergeForm(initial=initial, regions=regions),
        "choose_form": ChooseForm(
            initial={**initial, "clusters": stored.chosen_clusters},
            counts=result.cluster_counts,
        ),
    }
    forms.update(failed or {})
    context = project_context(access, NAV)
    context.update(forms)
    if stored.chosen_clusters is not None:
        context.update(map_context(access, stored, result, stored.chosen_clusters))
    else:
        context["stored"] = stored
    return render(request, "coproduction/mapping_clusters.html", context, status=status)


@requires(ProjectAction.NAME_CLUSTERS)
@require_http_methods(["GET", "POST"])
def clusters(request: HttpRequest, project_id: int, map_id: int) -> HttpResponse:
    """Choose the number of clusters; rename and merge the chosen solution's clusters."""
    access = project_access_for(request, project_id, ProjectAction.NAME_CLUSTERS)
    stored = _map_for(access, map_id)
    if request.method != "POST":
        return _clusters_page(request, access, stored)
    action = request.POST.get("action", "")
    result = services.result_of(stored)
    regions = _region_names(stored, result)
    counts = result.cluster_counts
    made = {
        "choose": lambda: ChooseForm(request.POST, counts=counts),
        "rename": lambda: RenameForm(request.POST, regions=regions),
        "merge": lambda: MergeForm(request.POST, regions=regions),
        "reset": lambda: VersionedForm(request.POST),
    }
    if action not in made:
        messages.error(request, "Choose what to do: choose a solution, rename or merge.")
        return _clusters_page(request, access, stored, status=400)
    form = made[action]()
    name = f"{action}_form"
    if not form.is_valid():
        if action == "reset":
            messages.error(request, "The page was incomplete: reload it and try again.")
        return _clusters_page(request, access, stored, failed={name: form}, status=400)
    try:
        _apply(request, stored, action, form.cleaned_data)
    except DomainError as error:
        messages.error(request, str(error))
        return _clusters_page(request, access, stored, status=409)
    if action == "choose" and request.POST.get("back") != "names":
        # Chosen on the map page: back to the map. Chosen on this page: stay, to name them.
        return redirect(reverse("coproduction:map", args=[access.project.pk]) + f"?map={stored.pk}")
    return redirect("coproduction:map_clusters", access.project.pk, stored.pk)


def _apply(
    request: HttpRequest, stored: models.ConceptMap, action: str, data: dict[str, Any]
) -> None:
    user, version = request.user, data["version"]
    if action == "choose":
        services.choose_clusters(user, stored, data["clusters"], version=version)
        messages.success(request, f"The map shows {data['clusters']} clusters now.")
    elif action == "rename":
        services.rename_cluster(user, stored, data["cluster"], data["name"], version=version)
        messages.success(request, f"Cluster {data['cluster']} is named “{data['name'].strip()}”.")
    elif action == "merge":
        services.merge_clusters(
            user, stored, data["first"], data["second"], data["name"], version=version
        )
        messages.success(request, f"Clusters {data['first']} and {data['second']} are one now.")
    else:
        services.reset_clusters(user, stored, version=version)
        messages.success(request, "The clusters are back as the analysis found them.")
