"""A programme's members: everyone in it reads the list; the lead adds people by user name,
changes roles and takes people out. The URL plan names the view in :mod:`.programmes`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.permissions import (
    ProgrammeAccess,
    ProgrammeAction,
    programme_access_for,
    requires,
)
from peerprinciples.web.practice.forms.programmes import (
    AddMemberForm,
    MemberForm,
    MemberRoleForm,
)
from peerprinciples.web.practice.models import ProgrammeMember
from peerprinciples.web.practice.services import members as services
from peerprinciples.web.practice.views.base import programme_context


@requires(ProgrammeAction.VIEW_PROGRAMME)
@require_http_methods(["GET", "POST"])
def members(request: HttpRequest, programme_id: int, **kwargs: Any) -> HttpResponse:
    """Who is in the programme and in which role; the lead changes that here."""
    access = programme_access_for(request, programme_id, ProgrammeAction.VIEW_PROGRAMME)
    if request.method == "GET":
        return _page(request, access, AddMemberForm())
    access = programme_access_for(request, programme_id, ProgrammeAction.MANAGE_PROGRAMME)
    action = request.POST.get("action", "")
    if action in ("role", "remove"):
        return _change(request, access, action)
    form = AddMemberForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            added = services.add_member(
                request.user, access.programme, username=data["username"], role=data["role"]
            )
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(
                request,
                f"{added.user.get_username()} is now in the programme as "
                f"{added.get_role_display().lower()}.",
            )
            return redirect("practice:members", programme_id)
    return _page(request, access, form, status=400)


def _change(request: HttpRequest, access: ProgrammeAccess, action: str) -> HttpResponse:
    form: MemberForm | MemberRoleForm = (
        MemberRoleForm(request.POST) if action == "role" else MemberForm(request.POST)
    )
    if not form.is_valid():
        messages.error(request, "The page was incomplete: reload it and try again.")
        return _page(request, access, AddMemberForm(), status=400)
    data = form.cleaned_data
    programme = access.programme
    try:
        if action == "role":
            changed = services.change_role(request.user, programme, data["member"], data["role"])
            said = f"{changed.user.get_username()} is now {changed.get_role_display().lower()}."
        else:
            name = services.remove_member(request.user, programme, data["member"])
            said = f"{name} is no longer in the programme."
    except DomainError as error:
        messages.error(request, str(error))
        return _page(request, access, AddMemberForm(), status=400)
    messages.success(request, said)
    still_lead = ProgrammeMember.objects.filter(
        programme=programme, user=request.user, role=ProgrammeMember.Role.LEAD
    ).exists()
    if still_lead:
        return redirect("practice:members", programme.pk)
    # Someone who stepped down or left cannot manage members any more.
    if action == "role":
        return redirect("practice:matrix", programme.pk)
    return redirect("practice:index")


def _page(
    request: HttpRequest, access: ProgrammeAccess, form: AddMemberForm, status: int = 200
) -> HttpResponse:
    found = list(
        ProgrammeMember.objects.filter(programme=access.programme)
        .select_related("user")
        .order_by("role", "user__username")
    )
    context = programme_context(
        access,
        "members",
        members=found,
        form=form,
        roles=ProgrammeMember.Role.choices,
        lead_count=sum(1 for m in found if m.role == ProgrammeMember.Role.LEAD),
    )
    return render(request, "practice/members.html", context, status=status)
