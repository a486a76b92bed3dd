"""One draft principle's page: rewording it, its aspects (add, reword, move, remove), and
deleting it.

Each form on the page says what it does in a hidden ``action``; every one carries the
version of the row it changes, so a change over someone else's is refused.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from peerprinciples.web.coproduction.forms.drafting import (
    AspectForm,
    EditAspectForm,
    EditPrincipleForm,
    VersionForm,
)
from peerprinciples.web.coproduction.models import DraftPrinciple, DraftTheme, Value
from peerprinciples.web.coproduction.services import drafting_principles as services
from peerprinciples.web.coproduction.services.drafting import base_titles
from peerprinciples.web.coproduction.services.drafting_principles import PrincipleText
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    in_project,
    project_access_for,
    requires,
)

NAV = "principles"
ASPECT_ACTIONS = ("aspect_add", "aspect_edit", "aspect_up", "aspect_down", "aspect_delete")


def principle_text(data: dict[str, Any]) -> PrincipleText:
    return PrincipleText(
        title=data["title"],
        key=data["key"],
        definition=data["definition"],
        scope=data["scope"],
        values=data["values"],
    )


def _initial(found: DraftPrinciple) -> dict[str, Any]:
    return {
        "title": found.title,
        "key": found.key,
        "definition": found.definition,
        "scope": found.scope,
        "values": list(found.values.values_list("pk", flat=True)),
        "version": found.version,
    }


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def principle(request: HttpRequest, project_id: int, principle_id: int) -> HttpResponse:
    """A draft principle with its aspects, values and supports; the team changes it here."""
    action_needed = (
        ProjectAction.EDIT_DRAFTS if request.method == "POST" else ProjectAction.VIEW_DRAFTS
    )
    access = project_access_for(request, project_id, action_needed)
    found = in_project(access, DraftPrinciple.objects.select_related("agreed_in"), principle_id)
    project_values = list(Value.objects.filter(project=access.project))
    if request.method == "GET":
        form = EditPrincipleForm(initial=_initial(found), values=project_values)
        return _page(request, access, found, form)
    action = request.POST.get("action", "")
    if action in ASPECT_ACTIONS:
        return _aspect(request, access, found, action)
    if action == "delete":
        return _delete(request, access, found)
    form = EditPrincipleForm(request.POST, values=project_values)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_principle(
                request.user, found, principle_text(data), version=data["version"]
            )
        except StaleEdit as error:
            messages.error(request, str(error))
            theirs = DraftPrinciple.objects.get(pk=found.pk)
            kept = EditPrincipleForm(
                initial={**data, "version": theirs.version}, values=project_values
            )
            return _page(request, access, found, kept, theirs=theirs, status=409)
        except InvalidInput as error:
            form.add_problems(error)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("coproduction:principle", project_id, found.pk)
        else:
            messages.success(request, f"The draft principle “{data['title'].strip()}” is saved.")
            return redirect("coproduction:principle", project_id, found.pk)
    return _page(request, access, found, form, status=400)


def _delete(request: HttpRequest, access: ProjectAccess, found: DraftPrinciple) -> HttpResponse:
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was incomplete: reload it and try again.")
        return redirect(request.path)
    try:
        title = services.delete_principle(request.user, found, version=form.cleaned_data["version"])
    except DomainError as error:
        messages.error(request, str(error))
        return redirect(request.path)
    removed = " The adaptation removes it from the base framework." if found.base_key else ""
    messages.success(request, f"The draft principle “{title}” is deleted.{removed}")
    return redirect("coproduction:principles", access.project.pk)


def _aspect(
    request: HttpRequest, access: ProjectAccess, found: DraftPrinciple, action: str
) -> HttpResponse:
    here = reverse("coproduction:principle", args=[access.project.pk, found.pk]) + "#aspects"
    if action == "aspect_add":
        add_form = AspectForm(request.POST)
        if add_form.is_valid():
            try:
                services.add_aspect(request.user, found, add_form.cleaned_data["text"])
            except InvalidInput as error:
                add_form.add_problems(error)
            else:
                messages.success(request, "The aspect is added.")
                return redirect(here)
        form = EditPrincipleForm(
            initial=_initial(found), values=Value.objects.filter(project=access.project)
        )
        return _page(request, access, found, form, aspect_form=add_form, status=400)
    form = EditAspectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was incomplete: reload it and try again.")
        return redirect(here)
    data = form.cleaned_data
    aspect_id, version = data["aspect"], data["version"]
    try:
        if action == "aspect_edit":
            services.edit_aspect(request.user, found, aspect_id, data["text"], version=version)
            said = "The aspect is saved."
        elif action == "aspect_delete":
            services.delete_aspect(request.user, found, aspect_id, version=version)
            said = "The aspect is removed."
        else:
            up = action == "aspect_up"
            services.move_aspect(request.user, found, aspect_id, up, version=version)
            said = f"The aspect moved {'up' if up else 'down'}."
    except InvalidInput as error:
        messages.error(request, " ".join(error.problems.values()))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, said)
    return redirect(here)


def _page(
    request: HttpRequest,
    access: ProjectAccess,
    found: DraftPrinciple,
    form: EditPrincipleForm,
    *,
    theirs: DraftPrinciple | None = None,
    aspect_form: AspectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = project_context(access, NAV)
    context.update(
        {
            "principle": found,
            "form": form,
            "aspect_form": aspect_form or AspectForm(),
            "theirs": theirs,
            "aspects": list(found.aspects.select_related("agreed_in")),
            "values": list(found.values.all()),
            "categories": list(found.categories.all()),
            "piles": list(found.piles.all()),
            "clusters": list(found.clusters.all()),
            "themes": list(
                DraftTheme.objects.filter(project=access.project)
                .filter(Q(applies_to=found) | Q(applies_to=None))
                .distinct()
            ),
            "shown_in": services.rounds_showing(principle=found),
            "base_title": base_titles(access.project)["principles"].get(
                found.base_key, found.base_key
            ),
        }
    )
    return render(request, "coproduction/drafting_principle.html", context, status=status)
