"""A project's members: the list everyone sees, the facilitator adding and changing members,
and each member's own page about the perspective they bring.

The URL plan names these views in :mod:`.projects`, which imports them from here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from peerprinciples.web.coproduction.forms.projects import (
    AddMemberForm,
    EditMemberForm,
    PerspectiveForm,
    RemoveMemberForm,
)
from peerprinciples.web.coproduction.models import Member
from peerprinciples.web.coproduction.services import members as services
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    in_project,
    project_access_for,
    requires,
)


@requires(ProjectAction.VIEW_PROJECT)
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, project_id: int) -> HttpResponse:
    """Every member by code, role, group and what they chose to say; the facilitator adds
    members here."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_PROJECT)
    if request.method == "GET":
        return _members_page(request, access, AddMemberForm())
    access = project_access_for(request, project_id, ProjectAction.MANAGE_PROJECT)
    form = AddMemberForm(request.POST)
    if form.is_valid():
        try:
            added = services.add_member(request.user, access.project, **form.cleaned_data)
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, f"{added.code} is now a member of the project.")
            return redirect("coproduction:members", project_id)
    return _members_page(request, access, form, status=400)


def _members_page(
    request: HttpRequest, access: ProjectAccess, form: AddMemberForm, status: int = 200
) -> HttpResponse:
    context = project_context(access, "members")
    context.update(
        {
            "members": Member.objects.filter(project=access.project).order_by("role", "code"),
            "form": form,
        }
    )
    return render(request, "coproduction/projects_members.html", context, status=status)


@requires(ProjectAction.MANAGE_PROJECT)
@require_http_methods(["GET", "POST"])
def member(request: HttpRequest, project_id: int, member_id: int) -> HttpResponse:
    """The facilitator changes one member's account, role, part in decisions and group, or
    takes them out of the project."""
    access = project_access_for(request, project_id, ProjectAction.MANAGE_PROJECT)
    found = in_project(access, Member.objects.select_related("user"), member_id)
    if request.method == "GET":
        return _member_page(request, access, found, EditMemberForm(initial=_fields(found)))
    if "remove" in request.POST:
        return _remove(request, access, found)
    form = EditMemberForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.change_member(
                request.user,
                found,
                username=data["username"],
                role=data["role"],
                decides=data["decides"],
                group=data["group"],
                expected_version=data["version"],
            )
        except StaleEdit as error:
            messages.error(request, str(error))
            theirs = Member.objects.select_related("user").get(pk=found.pk)
            kept = EditMemberForm(initial={**data, "version": theirs.version})
            return _member_page(request, access, found, kept, theirs=theirs, status=409)
        except InvalidInput as error:
            form.add_problems(error)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The changes to {changed.code} are saved.")
            if changed.user_id == request.user.pk and not _still_facilitates(request, project_id):
                return redirect("coproduction:project", project_id)
            return redirect("coproduction:members", project_id)
    return _member_page(request, access, found, form, status=400)


def _remove(request: HttpRequest, access: ProjectAccess, found: Member) -> HttpResponse:
    """Take the member out of the project, if they have put nothing into it yet."""
    form = RemoveMemberForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The page was incomplete: reload it and try again.")
        return _member_page(
            request, access, found, EditMemberForm(initial=_fields(found)), status=400
        )
    try:
        code = services.remove_member(
            request.user, found, expected_version=form.cleaned_data["version"]
        )
    except DomainError as error:
        messages.error(request, str(error))
        status = 409 if isinstance(error, StaleEdit) else 400
        fresh = Member.objects.select_related("user").get(pk=found.pk)
        return _member_page(
            request, access, fresh, EditMemberForm(initial=_fields(fresh)), status=status
        )
    messages.success(request, f"{code} is no longer a member of the project.")
    if found.user_id == request.user.pk:
        return redirect("coproduction:index")
    return redirect("coproduction:members", access.project.pk)


def _still_facilitates(request: HttpRequest, project_id: int) -> bool:
    """Whether the person still runs the project after changing their own membership."""
    return Member.objects.filter(
        project_id=project_id, user=request.user, role=Member.Role.FACILITATOR
    ).exists()


def _fields(found: Member) -> dict[str, Any]:
    return EditMemberForm.fields_of(found)


def _member_page(
    request: HttpRequest,
    access: ProjectAccess,
    found: Member,
    form: EditMemberForm,
    *,
    theirs: Member | None = None,
    status: int = 200,
) -> HttpResponse:
    context = project_context(access, "members")
    context.update(
        {
            "form": form,
            "shown": found,
            "theirs": theirs,
            "contributions": services.contributions(found),
        }
    )
    return render(request, "coproduction/projects_member.html", context, status=status)


@requires(ProjectAction.VIEW_PROJECT)
@require_http_methods(["GET", "POST"])
def me(request: HttpRequest, project_id: int) -> HttpResponse:
    """A member's own words about the perspective they bring, and whether they say they bring
    lived experience."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_PROJECT)
    mine = access.member
    if request.method == "GET":
        return _me_page(request, access, PerspectiveForm(initial=_own(mine)))
    form = PerspectiveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.describe_self(
                request.user,
                mine,
                perspective=data["perspective"],
                lived_experience=data["lived_experience"],
                expected_version=data["version"],
            )
        except StaleEdit as error:
            messages.error(request, str(error))
            theirs = Member.objects.get(pk=mine.pk)
            kept = PerspectiveForm(initial={**data, "version": theirs.version})
            return _me_page(request, access, kept, status=409)
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(request, "What you said about yourself is saved.")
            return redirect("coproduction:members", project_id)
    return _me_page(request, access, form, status=400)


def _own(mine: Member) -> dict[str, Any]:
    return {
        "perspective": mine.perspective,
        "lived_experience": services.lived_experience_answer(mine),
        "version": mine.version,
    }


def _me_page(
    request: HttpRequest, access: ProjectAccess, form: PerspectiveForm, status: int = 200
) -> HttpResponse:
    context = project_context(access, "members")
    context["form"] = form
    return render(request, "coproduction/projects_me.html", context, status=status)
