"""Co-production projects: the list of one's projects, starting one, its overview and its
settings and stage. The members' pages are in :mod:`.members`.

Views are thin: they parse a form, call a service, show the outcome and redirect after a
successful POST. Every project comes through ``project_access_for``.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.web.coproduction.forms.projects import CreateProjectForm, SettingsForm
from peerprinciples.web.coproduction.models import Project
from peerprinciples.web.coproduction.services import overview
from peerprinciples.web.coproduction.services import projects as services
from peerprinciples.web.coproduction.services.adaptations import base_frameworks
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.coproduction.views.members import me, member, members
from peerprinciples.web.errors import InvalidInput, StaleEdit
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    project_access_for,
    requires,
    signed_in,
)

__all__ = ["create", "index", "me", "member", "members", "project", "settings"]


@signed_in
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The projects the person belongs to, with their role, code and the project's stage."""
    memberships = services.projects_of(request.user)
    return render(
        request,
        "coproduction/projects_index.html",
        {"memberships": memberships, "nav": "coproduction"},
    )


@signed_in
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Start a project; whoever starts it facilitates it."""
    form = CreateProjectForm(
        request.POST if request.method == "POST" else None,
        frameworks=base_frameworks(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(request.user, **form.cleaned_data)
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(
                request,
                f"The project {project.name!r} has started, with you as its facilitator. "
                "Add its members next.",
            )
            return redirect("coproduction:members", project.pk)
    status = 400 if form.errors else 200
    context = {"form": form, "nav": "coproduction"}
    return render(request, "coproduction/projects_create.html", context, status=status)


@requires(ProjectAction.VIEW_PROJECT)
@require_GET
def project(request: HttpRequest, project_id: int) -> HttpResponse:
    """The overview: the question, the stage and what follows it, progress in counts, and who
    leads the project."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_PROJECT)
    current = access.project
    context = project_context(access, "project")
    progress = services.progress(current)
    context.update(
        {
            "stage": overview.guide_for(current, services.stage_guide(current.stage)),
            "stages": overview.stage_rows(current, progress),
            "progress": progress,
            "leadership": services.leadership(current),
            "adaptation_note": services.ADAPTATION_NOTE,
            "publications": overview.publications(current),
            "vote_in": (
                overview.round_to_vote_in(current, access.member)
                if access.may(ProjectAction.VOTE)
                else None
            ),
        }
    )
    return render(request, "coproduction/projects_overview.html", context)


@requires(ProjectAction.MANAGE_PROJECT)
@require_http_methods(["GET", "POST"])
def settings(request: HttpRequest, project_id: int) -> HttpResponse:
    """The facilitator's settings: name, question, description, cards per member, stage."""
    access = project_access_for(request, project_id, ProjectAction.MANAGE_PROJECT)
    current = access.project
    if request.method == "GET":
        form = SettingsForm(initial=SettingsForm.fields_of(current))
        return _settings_page(request, access, form)
    form = SettingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.change_project(
                request.user,
                current,
                name=data["name"],
                framing_question=data["framing_question"],
                description=data["description"],
                cards_per_member=data["cards_per_member"],
                stage=data["stage"],
                expected_version=data["version"],
            )
        except StaleEdit as error:
            messages.error(request, str(error))
            theirs = Project.objects.get(pk=current.pk)
            kept = SettingsForm(initial={**data, "version": theirs.version})
            return _settings_page(request, access, kept, theirs=theirs, status=409)
        except InvalidInput as error:
            form.add_problems(error)
        else:
            moved = saved.stage != current.stage
            messages.success(
                request,
                f"The project is now at the stage “{saved.get_stage_display()}”."
                if moved
                else "The settings are saved.",
            )
            return redirect("coproduction:project", saved.pk)
    return _settings_page(request, access, form, status=400)


def _settings_page(
    request: HttpRequest,
    access: ProjectAccess,
    form: SettingsForm,
    *,
    theirs: Project | None = None,
    status: int = 200,
) -> HttpResponse:
    context = project_context(access, "project")
    context.update(
        {
            "form": form,
            "theirs": theirs,
            "theirs_stage": services.stage_guide(theirs.stage) if theirs else None,
            "stage_options": list(zip(form["stage"], services.STAGES, strict=True)),
        }
    )
    return render(request, "coproduction/projects_settings.html", context, status=status)
