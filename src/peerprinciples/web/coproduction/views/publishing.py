"""Publishing a framework version: what would be published (everyone), publishing it (the
facilitator), a published version's page and its files, and reopening agreed wording to
correct a published version in the next one (the facilitator).

Views are thin: they find objects through the guards in ``permissions`` and call
``services.publishing`` (what would be published) and ``services.publishing_store``
(publishing); the files are written by the core.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.core.coproduction.publishing_yaml import to_yaml
from peerprinciples.core.frameworks import Adaptation, Framework, diff_frameworks
from peerprinciples.core.rendering import render_framework
from peerprinciples.web.coproduction.forms.publishing import PublishForm, ReopenForm
from peerprinciples.web.coproduction.models import Publication
from peerprinciples.web.coproduction.services import publishing as services
from peerprinciples.web.coproduction.services import publishing_guides as guides
from peerprinciples.web.coproduction.services import publishing_store as store
from peerprinciples.web.coproduction.services import revision
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    in_project,
    project_access_for,
    requires,
)

NAV = "publish"

FILES = {
    "framework.yaml": "The framework as YAML, in full (what framework validate checks)",
    "adaptation.yaml": "The adaptation as YAML: only its changes, extending its base",
    "framework.md": "The readable framework, with provenance and methods, as Markdown",
    "instrument.yaml": "The fidelity index stored with it, as YAML",
    "reflection-guide.yaml": "The reflection guide stored with it, as YAML (what reflection "
    "check checks)",
}
"""The files of a publication, by name."""


def _principle_rows(framework: Framework | None) -> list[dict[str, Any]]:
    """Each principle with its provenance record (if any), for the tables."""
    if framework is None:
        return []
    record = framework.provenance.principles if framework.provenance else {}
    return [{"principle": p, "provenance": record.get(p.key)} for p in framework.principles]


def _publish_page(
    request: HttpRequest,
    access: ProjectAccess,
    *,
    form: PublishForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    project = access.project
    preview = services.preview(project)
    carryable = store.carryable(preview.framework)
    guide_choices = guides.carryable_guides(preview.framework)
    last, changes_since = revision.changes_since_last(project, preview.framework)
    if form is None:
        form = PublishForm(
            initial={
                "title": preview.draft.title,
                "summary": preview.draft.summary,
                "version": preview.draft.version,
            },
            carryable=carryable,
            guides=guide_choices,
        )
    context = project_context(access, NAV)
    context.update(
        {
            "preview": preview,
            "draft": preview.draft,
            "rows": _principle_rows(preview.framework),
            "methods": preview.draft.provenance.methods if preview.draft.provenance else "",
            "form": form,
            "refusal": refusal,
            "carryable": carryable,
            "guide_choices": guide_choices,
            "publications": Publication.objects.filter(project=project).select_related(
                "framework", "instrument"
            ),
            "last_publication": last,
            "changes_since": changes_since,
            "reopen_refusal": revision.reopen_refusal(project),
            "agreed_count": len(revision.agreed_wording(project)),
        }
    )
    return render(request, "coproduction/publishing_publish.html", context, status=status)


@requires(ProjectAction.VIEW_DRAFTS)
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, project_id: int) -> HttpResponse:
    """GET: what would be published and what stops it; POST (facilitator): publish."""
    action = ProjectAction.PUBLISH if request.method == "POST" else ProjectAction.VIEW_DRAFTS
    access = project_access_for(request, project_id, action)
    if request.method == "GET":
        return _publish_page(request, access)
    preview_framework = services.preview(access.project).framework
    form = PublishForm(
        request.POST,
        carryable=store.carryable(preview_framework),
        guides=guides.carryable_guides(preview_framework),
    )
    # A carried-over instrument or guide no longer offered is still passed on, so the
    # service can say why it cannot be carried over.
    if not form.is_valid():
        carried = {
            name: request.POST.get(name, "")
            for name in ("instrument", "guide")
            if request.POST.get(name, "").startswith(store.CARRY_PREFIX)
        }
        if not form.errors or set(form.errors) - set(carried):
            return _publish_page(request, access, form=form, status=400)
        form.cleaned_data.update(carried)
    try:
        publication = store.publish(request.user, access.project, **form.cleaned_data)
    except InvalidInput as error:
        form.add_problems(error)
        return _publish_page(request, access, form=form, status=400)
    except DomainError as refused:
        # Said once, beside the form (not as a message as well).
        return _publish_page(request, access, form=form, refusal=str(refused), status=409)
    messages.success(
        request,
        f"Published {publication.framework.ref}. It is in the library now, and never changes: "
        "a correction is published as a new version.",
    )
    return redirect("coproduction:publication", access.project.pk, publication.pk)


def _publication_for(access: ProjectAccess, publication_id: int) -> Publication:
    return in_project(
        access, Publication.objects.select_related("framework", "instrument"), publication_id
    )


def _changes(publication: Publication, framework: Framework) -> list[Any]:
    base = publication.project.base_framework
    if publication.adaptation is None or base is None:
        return []
    return diff_frameworks(base.model(), framework)


@requires(ProjectAction.VIEW_PUBLICATIONS)
@require_GET
def publication(request: HttpRequest, project_id: int, publication_id: int) -> HttpResponse:
    """A published version: the framework, its methods paragraph, provenance per principle,
    the changes from the base for an adaptation, its files, and starting an evaluation."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_PUBLICATIONS)
    found = _publication_for(access, publication_id)
    framework = found.framework.model()
    files = [
        (name, label)
        for name, label in FILES.items()
        if (name != "adaptation.yaml" or found.adaptation)
        and (name != "instrument.yaml" or found.instrument_id)
    ]
    guide = guides.guide_of(found)
    files = [(n, label) for n, label in files if n != "reflection-guide.yaml" or guide]
    context = project_context(access, NAV)
    context.update(
        {
            "publication": found,
            "guide": guide.model() if guide else None,
            # In the framework's order and by title (a guide stored in PostgreSQL's jsonb
            # comes back with its questions in key order).
            "guide_questions": [
                (title, guide.model().questions[key])
                for key, title in framework.titles().items()
                if guide and key in guide.model().questions
            ],
            "superseded_by": revision.superseded_by(found),
            "framework": framework,
            "rows": _principle_rows(framework),
            "changes": _changes(found, framework),
            "files": files,
            "evaluation_url": (
                reverse("evaluations:create") + f"?instrument={found.instrument_id}"
                if found.instrument_id
                else ""
            ),
        }
    )
    return render(request, "coproduction/publishing_publication.html", context)


def _file(found: Publication, file_name: str) -> tuple[str, str]:
    """The text and content type of one of a publication's files; 404 for any other."""
    if file_name == "framework.yaml":
        # Resolved in full, it stands on its own: a file naming a base is read as an
        # adaptation, so the base is left out here (adaptation.yaml names it).
        full = found.framework.model().model_copy(update={"extends": None})
        return to_yaml(full), "application/yaml; charset=utf-8"
    if file_name == "adaptation.yaml" and found.adaptation:
        adaptation = Adaptation.model_validate(found.adaptation)
        return to_yaml(adaptation), "application/yaml; charset=utf-8"
    if file_name == "framework.md":
        text = render_framework(found.framework.model(), markdown=True)
        return text, "text/markdown; charset=utf-8"
    if file_name == "instrument.yaml" and found.instrument is not None:
        return to_yaml(found.instrument.model()), "application/yaml; charset=utf-8"
    guide = guides.guide_of(found) if file_name == "reflection-guide.yaml" else None
    if guide is not None:
        return to_yaml(guide.model()), "application/yaml; charset=utf-8"
    raise Http404(f"This publication has no file {file_name!r}; its files are listed on its page.")


@requires(ProjectAction.VIEW_PUBLICATIONS)
@require_GET
def download(
    request: HttpRequest, project_id: int, publication_id: int, file_name: str
) -> HttpResponse:
    """One of the publication's files (see :data:`FILES`), saved as
    ``<key>-<version>-<file name>``."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_PUBLICATIONS)
    found = _publication_for(access, publication_id)
    text, content_type = _file(found, file_name)
    response = HttpResponse(text, content_type=content_type)
    # Named by key and version, so that downloading two versions keeps both.
    stored = found.framework
    saved_as = f"{stored.key}-{stored.version}-{file_name}"
    response["Content-Disposition"] = f'attachment; filename="{saved_as}"'
    return response


# --- correcting a published version ------------------------------------------------------------


def _reopen_page(
    request: HttpRequest,
    access: ProjectAccess,
    *,
    form: ReopenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    project = access.project
    agreed = revision.agreed_wording(project)
    context = project_context(access, NAV)
    context.update(
        {
            "form": form or ReopenForm(agreed=agreed),
            "agreed": agreed,
            "refusal": revision.reopen_refusal(project),
            "last_publication": revision.latest_publication(project),
        }
    )
    return render(request, "coproduction/publishing_reopen.html", context, status=status)


@requires(ProjectAction.PUBLISH)
@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, project_id: int) -> HttpResponse:
    """GET: the agreed wording, to choose what a correction reopens; POST: reopen it."""
    access = project_access_for(request, project_id, ProjectAction.PUBLISH)
    if request.method == "GET":
        return _reopen_page(request, access)
    form = ReopenForm(request.POST, agreed=revision.agreed_wording(access.project))
    # A choice no longer listed (someone reopened it meanwhile) still goes to the service,
    # which says what happened.
    chosen = request.POST.getlist("statements")
    if not form.is_valid():
        if chosen and set(form.errors) == {"statements"}:
            form.cleaned_data["statements"] = chosen
        else:
            return _reopen_page(request, access, form=form, status=400)
    try:
        reopened = revision.reopen(
            request.user,
            access.project,
            form.cleaned_data["statements"],
            form.cleaned_data["reason"],
        )
    except InvalidInput as error:
        form.add_problems(error)
        return _reopen_page(request, access, form=form, status=400)
    except DomainError as refused:
        messages.error(request, str(refused))
        return _reopen_page(request, access, form=form, status=409)
    messages.success(
        request,
        f"Reopened {'; '.join(reopened)}. The published version stays as it was: reword "
        "the drafts, put them to the panel in another round, then publish the next version.",
    )
    return redirect("coproduction:principles", access.project.pk)
