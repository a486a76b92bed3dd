"""Drafting rounds: the consensus rule and the list of rounds, the ballot, closing a round,
a round's results (and their CSV file), and "what we changed and why".

Everyone in the project reads the rounds; the facilitator sets the rule and opens and
closes rounds; the members whose role votes hand in a ballot; the research team answers a
closed round's comments. Views are thin: they find objects through the guards in
``permissions``, read a form, and call ``services.rounds`` (changes) or
``services.round_pages`` (what a page shows).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from peerprinciples.web.coproduction import models
from peerprinciples.web.coproduction.forms.rounds import (
    NOT_RATED,
    ChangeNoteForm,
    OpenForm,
    RuleForm,
    read_ballot,
)
from peerprinciples.web.coproduction.services import round_pages as pages
from peerprinciples.web.coproduction.services import rounds as services
from peerprinciples.web.coproduction.views.base import project_context
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.permissions import (
    ProjectAccess,
    ProjectAction,
    project_access_for,
    requires,
)

NAV = "rounds"


def _round_for(access: ProjectAccess, number: int) -> models.DraftingRound:
    found = models.DraftingRound.objects.filter(project=access.project, number=number).first()
    if found is None:
        raise Http404("No such drafting round in this project.")
    return found


def _rounds_page(
    request: HttpRequest,
    access: ProjectAccess,
    *,
    rule_form: RuleForm | None = None,
    open_form: OpenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    project = access.project
    rounds = list(models.DraftingRound.objects.filter(project=project).order_by("number"))
    taking_part = pages.participation_of(project)
    settled = services.rule_settled(project)
    context = project_context(access, NAV)
    context.update(
        {
            "rounds": [
                (r, taking_part.get(r.number), pages.response_rate(taking_part.get(r.number)))
                for r in rounds
            ],
            "open_round": next((r for r in rounds if r.status == services.Status.OPEN), None),
            "rule": services.round_rule(rounds[0]) if rounds else services.rule_of(project),
            "settled": settled,
            "rule_form": None if settled else rule_form or RuleForm.for_project(project),
            "open_form": open_form or OpenForm(),
            "principles": models.DraftPrinciple.objects.filter(project=project).count(),
            "voted": {
                b.round_id
                for b in models.Ballot.objects.filter(round__project=project, member=access.member)
            },
            "quantiles": pages.QUANTILES,
        }
    )
    return render(request, "coproduction/rounds_list.html", context, status=status)


@requires(ProjectAction.VIEW_ROUNDS)
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest, project_id: int) -> HttpResponse:
    """The consensus rule and the rounds; the facilitator sets the rule and opens rounds."""
    action = ProjectAction.RUN_ROUNDS if request.method == "POST" else ProjectAction.VIEW_ROUNDS
    access = project_access_for(request, project_id, action)
    if request.method != "POST":
        return _rounds_page(request, access)
    if request.POST.get("action") == "rule":
        return _set_rule(request, access)
    form = OpenForm(request.POST)
    if not form.is_valid():
        return _rounds_page(request, access, open_form=form, status=400)
    try:
        opened = services.open_round(
            request.user, access.project, form.cleaned_data["introduction"]
        )
    except DomainError as error:
        messages.error(request, str(error))
        return _rounds_page(request, access, open_form=form, status=409)
    invited = opened.invited.count()
    messages.success(
        request,
        f"Round {opened.number} is open: {invited} member{'s are' if invited != 1 else ' is'} "
        "invited to vote.",
    )
    return redirect("coproduction:round", access.project.pk, opened.number)


def _set_rule(request: HttpRequest, access: ProjectAccess) -> HttpResponse:
    form = RuleForm.for_project(access.project, request.POST)
    if not form.is_valid():
        return _rounds_page(request, access, rule_form=form, status=400)
    values = {name: form.cleaned_data[name] for name in services.RULE_FIELDS}
    try:
        project = services.set_rule(
            request.user, access.project, values, version=form.cleaned_data["version"]
        )
    except InvalidInput as error:
        form.add_problems(error)
        return _rounds_page(request, access, rule_form=form, status=400)
    except DomainError as error:
        messages.error(request, str(error))
        return _rounds_page(request, access, rule_form=form, status=409)
    messages.success(request, "The consensus rule is set. " + services.rule_of(project).describe())
    return redirect("coproduction:rounds", access.project.pk)


@requires(ProjectAction.VIEW_ROUNDS)
@require_GET
def round_page(request: HttpRequest, project_id: int, number: int) -> HttpResponse:
    """A round: while open, its wording and how many have voted; once closed, its results."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_ROUNDS)
    drafting_round = _round_for(access, number)
    context = project_context(access, NAV)
    taking_part = pages.participation_of(access.project)
    rows = pages.result_rows(drafting_round)
    context.update(
        {
            "round": drafting_round,
            "rule": services.round_rule(drafting_round),
            "closed": pages.is_closed(drafting_round),
            "rows": rows,
            "summary": pages.round_summary(rows),
            "ballots": drafting_round.ballots.count(),
            "invited": drafting_round.invited.count(),
            "taking_part": [taking_part[n] for n in sorted(taking_part)],
            "has_voted": services.has_voted(drafting_round, access.member),
            "may_vote": drafting_round.invited.filter(pk=access.member.pk).exists(),
            "quantiles": pages.QUANTILES,
        }
    )
    return render(request, "coproduction/rounds_round.html", context)


def _ballot_page(
    request: HttpRequest,
    access: ProjectAccess,
    drafting_round: models.DraftingRound,
    *,
    typed: dict[int, tuple[str, str]] | None = None,
    problems: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    items, locked = pages.ballot_items(drafting_round, access.member)
    for item in items:
        rating, comment = (typed or {}).get(item.statement.pk, ("", ""))
        item.rating, item.comment = rating, comment
        item.error = (problems or {}).get(str(item.statement.pk), "")
    previous = models.DraftingRound.objects.filter(
        project=access.project, number=drafting_round.number - 1
    ).first()
    context = project_context(access, NAV)
    context.update(
        {
            "round": drafting_round,
            "rule": services.round_rule(drafting_round),
            "items": items,
            "locked": locked,
            "points": pages.scale_points(drafting_round),
            "not_rated": NOT_RATED,
            "previous": previous,
            "closed": pages.is_closed(drafting_round),
            "has_voted": services.has_voted(drafting_round, access.member),
            "invited": drafting_round.invited.filter(pk=access.member.pk).exists(),
            "problems": problems or {},
            "shown_back": bool(typed) and status == 409,
        }
    )
    return render(request, "coproduction/rounds_vote.html", context, status=status)


@requires(ProjectAction.VOTE)
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, project_id: int, number: int) -> HttpResponse:
    """The member's ballot for a round, handed in once."""
    access = project_access_for(request, project_id, ProjectAction.VOTE)
    drafting_round = _round_for(access, number)
    if request.method != "POST":
        return _ballot_page(request, access, drafting_round)
    shown, _ = pages.ballot_items(drafting_round, access.member)
    entries, problems, typed = read_ballot(request.POST, [item.statement for item in shown])
    if problems:
        return _ballot_page(
            request, access, drafting_round, typed=typed, problems=problems, status=400
        )
    try:
        services.submit_ballot(request.user, access.member, drafting_round, entries)
    except InvalidInput as error:
        return _ballot_page(
            request, access, drafting_round, typed=typed, problems=error.problems, status=400
        )
    except DomainError as error:
        messages.error(request, str(error))
        return _ballot_page(request, access, drafting_round, typed=typed, status=409)
    messages.success(
        request,
        f"Your ballot for round {drafting_round.number} is handed in. The results are "
        "shown when the facilitator closes the round.",
    )
    return redirect("coproduction:round", access.project.pk, drafting_round.number)


@requires(ProjectAction.RUN_ROUNDS)
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest, project_id: int, number: int) -> HttpResponse:
    """Confirm, then close a round: its results are worked out and agreed wording locked."""
    access = project_access_for(request, project_id, ProjectAction.RUN_ROUNDS)
    drafting_round = _round_for(access, number)
    status = 200
    if request.method == "POST":
        try:
            closed = services.close_round(request.user, drafting_round)
        except DomainError as error:
            messages.error(request, str(error))
            status = 409
        else:
            agreed = closed.statements.filter(agreed=True).count()
            messages.success(
                request,
                f"Round {closed.number} is closed: {agreed} statement"
                f"{'s' if agreed != 1 else ''} agreed and locked.",
            )
            return redirect("coproduction:round", access.project.pk, closed.number)
    missing = pages.not_voted(drafting_round)
    context = project_context(access, NAV)
    context.update(
        {
            "round": drafting_round,
            "closed": pages.is_closed(drafting_round),
            "invited": drafting_round.invited.count(),
            "ballots": drafting_round.ballots.count(),
            "missing": missing,
        }
    )
    return render(request, "coproduction/rounds_close.html", context, status=status)


def _changes_page(
    request: HttpRequest,
    access: ProjectAccess,
    drafting_round: models.DraftingRound,
    *,
    failed: tuple[int, ChangeNoteForm] | None = None,
    theirs: str | None = None,
    status: int = 200,
) -> HttpResponse:
    items: list[tuple[Any, ChangeNoteForm]] = []
    for item in pages.change_items(drafting_round):
        if failed is not None and failed[0] == item.statement.pk:
            form = failed[1]
        else:
            note = item.note
            form = ChangeNoteForm(
                initial={"text": note.text if note else "", "version": note.version if note else 0},
                prefix=f"note-{item.statement.pk}",
            )
        items.append((item, form))
    context = project_context(access, NAV)
    context.update(
        {
            "round": drafting_round,
            "closed": pages.is_closed(drafting_round),
            "items": items,
            "failed": failed[0] if failed else None,
            "theirs": theirs,
        }
    )
    return render(request, "coproduction/rounds_changes.html", context, status=status)


@requires(ProjectAction.VIEW_ROUNDS)
@require_http_methods(["GET", "POST"])
def changes(request: HttpRequest, project_id: int, number: int) -> HttpResponse:
    """What we changed and why: each statement not agreed, its comments and the answer."""
    action = ProjectAction.EDIT_DRAFTS if request.method == "POST" else ProjectAction.VIEW_ROUNDS
    access = project_access_for(request, project_id, action)
    drafting_round = _round_for(access, number)
    if request.method != "POST":
        return _changes_page(request, access, drafting_round)
    statement = (
        models.RoundStatement.objects.select_related("round")
        .filter(round=drafting_round, pk=_int(request.POST.get("statement")))
        .first()
    )
    if statement is None:
        messages.error(
            request,
            f"Choose a statement of round {drafting_round.number} to answer: the form named "
            "none of them. Reload the page and use the form below the statement.",
        )
        return _changes_page(request, access, drafting_round, status=400)
    form = ChangeNoteForm(request.POST, prefix=f"note-{statement.pk}")
    if not form.is_valid():
        return _changes_page(
            request, access, drafting_round, failed=(statement.pk, form), status=400
        )
    try:
        services.save_change_note(
            request.user, statement, form.cleaned_data["text"], version=form.cleaned_data["version"]
        )
    except services.StaleNote as error:
        messages.error(request, str(error))
        return _changes_page(
            request,
            access,
            drafting_round,
            failed=(statement.pk, form),
            theirs=error.theirs,
            status=409,
        )
    except InvalidInput as error:
        for message in error.problems.values():
            form.add_error("text", message)
        return _changes_page(
            request, access, drafting_round, failed=(statement.pk, form), status=400
        )
    except DomainError as error:
        messages.error(request, str(error))
        return _changes_page(request, access, drafting_round, status=409)
    messages.success(request, "The answer is saved; the panel reads it before the next round.")
    return redirect("coproduction:round_changes", access.project.pk, drafting_round.number)


def _int(text: Any) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0


@requires(ProjectAction.VIEW_ROUNDS)
@require_GET
def results_csv(request: HttpRequest, project_id: int, number: int) -> HttpResponse:
    """A closed round's results as a CSV file (an open round's results are not shown)."""
    access = project_access_for(request, project_id, ProjectAction.VIEW_ROUNDS)
    drafting_round = _round_for(access, number)
    if not pages.is_closed(drafting_round):
        return HttpResponse(
            "The results are shown once the round closes.", status=409, content_type="text/plain"
        )
    response = HttpResponse(pages.results_csv(drafting_round), content_type="text/csv")
    name = slugify(access.project.name) or "project"
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-round-{drafting_round.number}-results.csv"'
    )
    return response
