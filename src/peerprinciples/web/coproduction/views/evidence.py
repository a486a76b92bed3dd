"""The literature review's pages: Figure 1 and its numbers, the sources, the codebook.

Every member reads them; the facilitator and the research team add and change sources,
categories and codes (:attr:`ProjectAction.EDIT_EVIDENCE`). Each edit form carries the
item's ``version``, so a save over someone else's change is refused and the page shows both.
Importing and exporting files are in ``evidence_transfer``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.core.coproduction.evidence_figure import Level
from peerprinciples.web.coproduction.forms.evidence import (
    EditCategoryForm,
    EditCodeForm,
    EditSourceForm,
    NewCategoryForm,
    NewCodeForm,
    NewSourceForm,
)
from peerprinciples.web.coproduction.models import Category, Code, Quotation, Source
from peerprinciples.web.coproduction.services import evidence_items as items
from peerprinciples.web.coproduction.services.evidence_summary import (
    figure,
    figure_csv_text,
    project_summary,
)
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.coproduction.views.evidence_transfer import (
    export_evidence,
    import_evidence,
)
from peerprinciples.web.errors import InvalidInput, StaleEdit
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    in_project,
    project_access_for,
    requires,
)

__all__ = [
    "category",
    "code",
    "codebook",
    "evidence",
    "export_evidence",
    "figure_csv",
    "figure_svg",
    "import_evidence",
    "source",
    "sources",
]

NAV = "evidence"


def _context(access: ProjectAccess, **more: Any) -> dict[str, Any]:
    context = project_context(access, NAV)
    context.update(more)
    return context


def _access(request: HttpRequest, project_id: int) -> ProjectAccess:
    """Reading for every member; a POST needs the right to edit the evidence."""
    editing = request.method == "POST"
    action = ProjectAction.EDIT_EVIDENCE if editing else ProjectAction.VIEW_EVIDENCE
    return project_access_for(request, project_id, action)


# --- Figure 1 ---------------------------------------------------------------------------------


@requires(ProjectAction.VIEW_EVIDENCE)
@require_GET
def evidence(request: HttpRequest, project_id: int) -> HttpResponse:
    """Figure 1 with a table of the same numbers, per category and per code."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_EVIDENCE)
    summary = project_summary(access.project)
    context = _context(access, summary=summary, figure=figure(summary))
    return render(request, "coproduction/evidence.html", context)


@requires(ProjectAction.VIEW_EVIDENCE)
@require_GET
def figure_svg(request: HttpRequest, project_id: int) -> HttpResponse:
    """Figure 1 alone, as an SVG file to put in a report."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_EVIDENCE)
    drawn = figure(project_summary(access.project))
    response = HttpResponse(drawn.svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="evidence-figure.svg"'
    return response


@requires(ProjectAction.VIEW_EVIDENCE)
@require_GET
def figure_csv(request: HttpRequest, project_id: int) -> HttpResponse:
    """The numbers of Figure 1 as a CSV file: a row per category, or per code with
    ``?by=code``."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_EVIDENCE)
    by: Level = "code" if request.GET.get("by") == "code" else "category"
    text = figure_csv_text(project_summary(access.project), by)
    response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    name = "evidence-codes.csv" if by == "code" else "evidence-categories.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- sources ----------------------------------------------------------------------------------


@requires(ProjectAction.VIEW_EVIDENCE)
@require_http_methods(["GET", "POST"])
def sources(request: HttpRequest, project_id: int) -> HttpResponse:
    """Every source of the review, and the form to add one."""
    access = _access(request, project_id)
    form = NewSourceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            added = items.add_source(
                request.user,
                access.project,
                citation=data["citation"],
                kind=data["kind"],
                year=data["year"],
                doi=data["doi"],
                key=data["key"],
            )
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, f"Source {added.key} is added.")
            return redirect("coproduction:sources", project_id)
    listed = access.project.sources.order_by("key")
    context = _context(access, form=form, sources=_with_counts(listed))
    status = 400 if form.errors else 200
    return render(request, "coproduction/evidence_sources.html", context, status=status)


def _with_counts(listed: Any) -> list[Source]:
    """Sources with how many quotations each has (as ``quoted``)."""
    return list(listed.annotate(quoted=Count("quotations")))


def _stale_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    error: StaleEdit,
) -> HttpResponse:
    messages.error(request, str(error))
    return render(request, template, context, status=409)


@requires(ProjectAction.VIEW_EVIDENCE)
@require_http_methods(["GET", "POST"])
def source(request: HttpRequest, project_id: int, source_id: int) -> HttpResponse:
    """One source: its details (to change, for those who may) and its quotations."""
    access = _access(request, project_id)
    found = in_project(access, Source.objects.all(), source_id)
    template = "coproduction/evidence_source.html"
    quotations = found.quotations.prefetch_related("codes").order_by("key")

    def page(form: EditSourceForm, *, theirs: Source | None = None) -> dict[str, Any]:
        return _context(access, source=found, form=form, theirs=theirs, quotations=quotations)

    if request.method == "GET":
        initial = {f: getattr(found, f) for f in ("citation", "kind", "year", "doi", "version")}
        return render(request, template, page(EditSourceForm(initial=initial)))
    form = EditSourceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            items.edit_source(
                request.user,
                found,
                citation=data["citation"],
                kind=data["kind"],
                year=data["year"],
                doi=data["doi"],
                expected_version=data["version"],
            )
        except StaleEdit as error:
            theirs = Source.objects.get(pk=found.pk)
            kept = EditSourceForm(initial={**data, "version": theirs.version})
            return _stale_page(request, template, page(kept, theirs=theirs), error)
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, f"Source {found.key} is saved.")
            return redirect("coproduction:sources", project_id)
    return render(request, template, page(form), status=400)


# --- the codebook -----------------------------------------------------------------------------


@requires(ProjectAction.VIEW_EVIDENCE)
@require_http_methods(["GET", "POST"])
def codebook(request: HttpRequest, project_id: int) -> HttpResponse:
    """Categories with their codes and definitions, and the forms to add either."""
    access = _access(request, project_id)
    project = access.project
    posted = request.POST if request.method == "POST" else None
    adding = posted.get("adding") if posted is not None else None
    category_form = NewCategoryForm(posted if adding == "category" else None)
    code_form = NewCodeForm(posted if adding == "code" else None, project=project)
    if adding == "category" and category_form.is_valid():
        data = category_form.cleaned_data
        try:
            added_category = items.add_category(
                request.user,
                project,
                label=data["label"],
                description=data["description"],
                key=data["key"],
            )
        except InvalidInput as error:
            category_form.add_problems(error)
        else:
            messages.success(request, f"The category {added_category.label} is added.")
            return redirect("coproduction:codebook", project_id)
    elif adding == "code" and code_form.is_valid():
        data = code_form.cleaned_data
        try:
            added_code = items.add_code(
                request.user,
                project,
                label=data["label"],
                definition=data["definition"],
                category=data["category"],
                key=data["key"],
            )
        except InvalidInput as error:
            code_form.add_problems(error)
        else:
            messages.success(request, f"The code {added_code.label} is added.")
            return redirect("coproduction:codebook", project_id)
    categories = list(project.categories.prefetch_related("codes").order_by("label", "pk"))
    loose = project.codes.filter(category__isnull=True).order_by("label", "pk")
    context = _context(
        access,
        categories=categories,
        loose=loose,
        category_form=category_form,
        code_form=code_form,
    )
    status = 400 if posted is not None else 200
    return render(request, "coproduction/evidence_codebook.html", context, status=status)


@requires(ProjectAction.VIEW_EVIDENCE)
@require_http_methods(["GET", "POST"])
def category(request: HttpRequest, project_id: int, category_id: int) -> HttpResponse:
    """One category: its name and description (to change) and its codes."""
    access = _access(request, project_id)
    found = in_project(access, Category.objects.all(), category_id)
    template = "coproduction/evidence_category.html"

    def page(form: EditCategoryForm, *, theirs: Category | None = None) -> dict[str, Any]:
        codes = found.codes.order_by("label", "pk")
        return _context(access, category=found, form=form, theirs=theirs, codes=codes)

    if request.method == "GET":
        initial = {"label": found.label, "description": found.description, "version": found.version}
        return render(request, template, page(EditCategoryForm(initial=initial)))
    form = EditCategoryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            items.edit_category(
                request.user,
                found,
                label=data["label"],
                description=data["description"],
                expected_version=data["version"],
            )
        except StaleEdit as error:
            theirs = Category.objects.get(pk=found.pk)
            kept = EditCategoryForm(initial={**data, "version": theirs.version})
            return _stale_page(request, template, page(kept, theirs=theirs), error)
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, f"The category {data['label']} is saved.")
            return redirect(reverse("coproduction:codebook", args=[project_id]) + f"#c{found.pk}")
    return render(request, template, page(form), status=400)


@requires(ProjectAction.VIEW_EVIDENCE)
@require_http_methods(["GET", "POST"])
def code(request: HttpRequest, project_id: int, code_id: int) -> HttpResponse:
    """One code: its name, definition and category (to change), and its quotations with the
    sources they come from."""
    access = _access(request, project_id)
    found = in_project(access, Code.objects.select_related("category", "parent"), code_id)
    template = "coproduction/evidence_code.html"
    quotations = Quotation.objects.filter(codes=found).select_related("source")
    quotations = quotations.order_by("source__key", "key")

    def page(form: EditCodeForm, *, theirs: Code | None = None) -> dict[str, Any]:
        return _context(access, code=found, form=form, theirs=theirs, quotations=quotations)

    project = access.project
    if request.method == "GET":
        initial = {
            "label": found.label,
            "definition": found.definition,
            "category": found.category_id,
            "version": found.version,
        }
        return render(request, template, page(EditCodeForm(initial=initial, project=project)))
    form = EditCodeForm(request.POST, project=project)
    if form.is_valid():
        data = form.cleaned_data
        try:
            items.edit_code(
                request.user,
                found,
                label=data["label"],
                definition=data["definition"],
                category=data["category"],
                expected_version=data["version"],
            )
        except StaleEdit as error:
            theirs = Code.objects.select_related("category").get(pk=found.pk)
            kept = EditCodeForm(
                initial={
                    **data,
                    "category": data["category"].pk if data["category"] else None,
                    "version": theirs.version,
                },
                project=project,
            )
            return _stale_page(request, template, page(kept, theirs=theirs), error)
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, f"The code {data['label']} is saved.")
            return redirect(reverse("coproduction:codebook", args=[project_id]) + f"#k{found.pk}")
    return render(request, template, page(form), status=400)
