"""Values, draft principles and themes: lists, adding, changing and deleting.

Everyone in the project reads them; the research team and the facilitator draft them.
Views are thin: the guards in ``permissions`` find the rows, ``services.drafting`` and
``services.drafting_principles`` make the changes and say why one is refused. A save over
someone else's newer version shows both; the person's entries stay in the form.
The principle page with its aspects is in ``views.drafting_principle``; the coverage grid
and its downloads in ``views.drafting_mapping``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from peerprinciples.web.coproduction.forms.drafting import (
    EditThemeForm,
    EditValueForm,
    PrincipleForm,
    ThemeForm,
    ValueForm,
    VersionForm,
)
from peerprinciples.web.coproduction.models import DraftPrinciple, DraftTheme, Value
from peerprinciples.web.coproduction.services import drafting as services
from peerprinciples.web.coproduction.services import drafting_principles as principles_services
from peerprinciples.web.coproduction.services.drafting import ValueText, base_titles, supports_of
from peerprinciples.web.coproduction.services.drafting_principles import ThemeText
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.coproduction.views.drafting_principle import principle_text
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    in_project,
    project_access_for,
    requires,
)

NAV_VALUES = "values"
NAV_PRINCIPLES = "principles"


def _access(request: HttpRequest, project_id: int) -> ProjectAccess:
    """Reading for a GET, drafting for a POST."""
    action = ProjectAction.EDIT_DRAFTS if request.method == "POST" else ProjectAction.VIEW_DRAFTS
    return project_access_for(request, project_id, action)


def _deleting(request: HttpRequest) -> VersionForm | None:
    """The delete form, when the POST asks to delete (``None`` otherwise)."""
    return VersionForm(request.POST) if "delete" in request.POST else None


def _supports_listed(value: Any) -> list[str]:
    return (
        [c.label for c in value.categories.all()]
        + [p.label for p in value.piles.all()]
        + [str(c) for c in value.clusters.all()]
    )


# --- values ---------------------------------------------------------------------------------


def _value_text(data: dict[str, Any]) -> ValueText:
    return ValueText(
        title=data["title"],
        key=data["key"],
        description=data["description"],
        scope=data["scope"],
        community=data["community"],
        supports=data["supports"],
    )


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def values(request: HttpRequest, project_id: int) -> HttpResponse:
    """Every value with what supports it and the principles that protect it; the form to
    add one."""
    access = _access(request, project_id)
    choices = supports_of(access.project).choices
    if request.method == "GET":
        return _values_page(request, access, ValueForm(supports=choices))
    form = ValueForm(request.POST, supports=choices)
    if form.is_valid():
        try:
            added = services.add_value(request.user, access.project, _value_text(form.cleaned_data))
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, f"The value “{added.title}” is added.")
            return redirect("coproduction:values", project_id)
    return _values_page(request, access, form, status=400)


def _values_page(
    request: HttpRequest, access: ProjectAccess, form: ValueForm, status: int = 200
) -> HttpResponse:
    project = access.project
    rows = Value.objects.filter(project=project).prefetch_related(
        "categories", "piles", "clusters", "principles"
    )
    base = base_titles(project)["values"]
    context = project_context(access, NAV_VALUES)
    context.update(
        {
            "form": form,
            "rows": [(v, _supports_listed(v), base.get(v.base_key, v.base_key)) for v in rows],
        }
    )
    return render(request, "coproduction/drafting_values.html", context, status=status)


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def value(request: HttpRequest, project_id: int, value_id: int) -> HttpResponse:
    """One value: what it means and what supports it; changing and deleting it."""
    access = _access(request, project_id)
    found = in_project(access, Value.objects.all(), value_id)
    choices = supports_of(access.project).choices
    initial = {
        "title": found.title,
        "key": found.key,
        "description": found.description,
        "scope": found.scope,
        "community": found.community,
        "supports": services.support_ids(found),
        "version": found.version,
    }
    if request.method == "GET":
        return _value_page(request, access, found, EditValueForm(initial=initial, supports=choices))
    deleting = _deleting(request)
    if deleting is not None:
        return _delete(request, access, deleting, found, services.delete_value, "values")
    form = EditValueForm(request.POST, supports=choices)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_value(request.user, found, _value_text(data), version=data["version"])
        except StaleEdit as error:
            messages.error(request, str(error))
            theirs = Value.objects.get(pk=found.pk)
            kept = EditValueForm(initial={**data, "version": theirs.version}, supports=choices)
            return _value_page(request, access, found, kept, theirs=theirs, status=409)
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, f"The value “{data['title'].strip()}” is saved.")
            return redirect("coproduction:values", project_id)
    return _value_page(request, access, found, form, status=400)


def _delete(
    request: HttpRequest,
    access: ProjectAccess,
    form: VersionForm,
    found: Any,
    delete: Any,
    back: str,
) -> HttpResponse:
    """Delete ``found`` with the service's ``delete`` and go back to the ``back`` list, or
    back to its page with the reason it stays."""
    here = request.path
    if not form.is_valid():
        messages.error(request, "The page was incomplete: reload it and try again.")
        return redirect(here)
    try:
        title = delete(request.user, found, version=form.cleaned_data["version"])
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(here)
    removed = " The adaptation removes it from the base framework." if found.base_key else ""
    messages.success(request, f"“{title}” is deleted.{removed}")
    return redirect(f"coproduction:{back}", access.project.pk)


def _value_page(
    request: HttpRequest,
    access: ProjectAccess,
    found: Value,
    form: EditValueForm,
    *,
    theirs: Value | None = None,
    status: int = 200,
) -> HttpResponse:
    context = project_context(access, NAV_VALUES)
    context.update(
        {
            "value": found,
            "form": form,
            "theirs": theirs,
            "theirs_supports": _supports_listed(theirs) if theirs else [],
            "supports": _supports_listed(found),
            "protected_by": services.protected_by(found),
            "base_title": base_titles(access.project)["values"].get(found.base_key, found.base_key),
        }
    )
    return render(request, "coproduction/drafting_value.html", context, status=status)


# --- principles and themes ------------------------------------------------------------------


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def principles(request: HttpRequest, project_id: int) -> HttpResponse:
    """Every draft principle with its aspects, and the themes; forms to add either."""
    access = _access(request, project_id)
    project = access.project
    project_values = list(Value.objects.filter(project=project))
    drafted = list(DraftPrinciple.objects.filter(project=project))
    forms = {
        "principle_form": PrincipleForm(values=project_values, prefix="principle"),
        "theme_form": ThemeForm(principles=drafted, prefix="theme"),
    }
    if request.method == "GET":
        return _principles_page(request, access, forms)
    if "add_theme" in request.POST:
        theme_form = ThemeForm(request.POST, principles=drafted, prefix="theme")
        forms["theme_form"] = theme_form
        if theme_form.is_valid():
            try:
                added_theme = principles_services.add_theme(
                    request.user, project, _theme_text(theme_form.cleaned_data)
                )
            except InvalidInput as error:
                theme_form.add_problems(error)
            else:
                messages.success(request, f"The theme “{added_theme.title}” is added.")
                return redirect("coproduction:principles", project_id)
        return _principles_page(request, access, forms, status=400)
    form = PrincipleForm(request.POST, values=project_values, prefix="principle")
    forms["principle_form"] = form
    if form.is_valid():
        try:
            added = principles_services.add_principle(
                request.user, project, principle_text(form.cleaned_data)
            )
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(
                request, f"The draft principle “{added.title}” is added. Add its aspects here."
            )
            return redirect("coproduction:principle", project_id, added.pk)
    return _principles_page(request, access, forms, status=400)


def _theme_text(data: dict[str, Any]) -> ThemeText:
    return ThemeText(
        title=data["title"],
        key=data["key"],
        description=data["description"],
        applies_to=data["applies_to"],
    )


def _principles_page(
    request: HttpRequest, access: ProjectAccess, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    project = access.project
    context = project_context(access, NAV_PRINCIPLES)
    base = base_titles(project)
    context.update(forms)
    drafted = list(
        DraftPrinciple.objects.filter(project=project)
        .select_related("agreed_in")
        .prefetch_related("aspects", "values")
    )
    themes = list(DraftTheme.objects.filter(project=project).prefetch_related("applies_to"))
    for row in drafted:
        row.base_title = base["principles"].get(row.base_key, row.base_key)  # type: ignore[attr-defined]
    for row in themes:
        row.base_title = base["themes"].get(row.base_key, row.base_key)  # type: ignore[attr-defined]
    context.update({"principles": drafted, "themes": themes})
    return render(request, "coproduction/drafting_principles.html", context, status=status)


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def theme(request: HttpRequest, project_id: int, theme_id: int) -> HttpResponse:
    """One theme: what it means and which principles it applies to; changing, deleting."""
    access = _access(request, project_id)
    found = in_project(access, DraftTheme.objects.select_related("agreed_in"), theme_id)
    drafted = list(DraftPrinciple.objects.filter(project=access.project))
    initial = {
        "title": found.title,
        "key": found.key,
        "description": found.description,
        "applies_to": list(found.applies_to.values_list("pk", flat=True)),
        "version": found.version,
    }
    if request.method == "GET":
        form = EditThemeForm(initial=initial, principles=drafted)
        return _theme_page(request, access, found, form)
    deleting = _deleting(request)
    if deleting is not None:
        return _delete(
            request, access, deleting, found, principles_services.delete_theme, "principles"
        )
    form = EditThemeForm(request.POST, principles=drafted)
    if form.is_valid():
        data = form.cleaned_data
        try:
            principles_services.edit_theme(
                request.user, found, _theme_text(data), version=data["version"]
            )
        except StaleEdit as error:
            messages.error(request, str(error))
            theirs = DraftTheme.objects.get(pk=found.pk)
            kept = EditThemeForm(initial={**data, "version": theirs.version}, principles=drafted)
            return _theme_page(request, access, found, kept, theirs=theirs, status=409)
        except InvalidInput as error:
            form.add_problems(error)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("coproduction:theme", project_id, found.pk)
        else:
            messages.success(request, f"The theme “{data['title'].strip()}” is saved.")
            return redirect("coproduction:principles", project_id)
    return _theme_page(request, access, found, form, status=400)


def _theme_page(
    request: HttpRequest,
    access: ProjectAccess,
    found: DraftTheme,
    form: EditThemeForm,
    *,
    theirs: DraftTheme | None = None,
    status: int = 200,
) -> HttpResponse:
    context = project_context(access, NAV_PRINCIPLES)
    context.update(
        {
            "theme": found,
            "form": form,
            "theirs": theirs,
            "applies_to": list(found.applies_to.all()),
            "shown_in": principles_services.rounds_showing(theme=found),
            "base_title": base_titles(access.project)["themes"].get(found.base_key, found.base_key),
        }
    )
    return render(request, "coproduction/drafting_theme.html", context, status=status)
