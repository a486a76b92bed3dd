"""Interviews: the list, recording one, its page, rating it, and agreeing a consensus.

Views are thin: they parse what was posted, call a service, show the outcome and redirect
after a successful POST. Interviews and sheets come only through the guards in
``permissions``; a second rater never sees the first rater's sheet until both are final.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.evaluations.models import PeerWorker
from peerprinciples.web.evaluations.views import evaluation_context
from peerprinciples.web.interviews import services
from peerprinciples.web.interviews.forms import (
    AGREED_PREFIX,
    ITEM_PREFIX,
    REASON_PREFIX,
    InterviewFilterForm,
    InterviewForm,
    answer_text,
    blank_form_key,
    consensus_groups,
    describe,
    flat_items,
    rating_form,
    sheet_groups,
)
from peerprinciples.web.interviews.models import Interview, RatingSheet
from peerprinciples.web.permissions import (
    Access,
    Action,
    access_for,
    interview_for,
    peer_worker_for,
    requires,
    service_for,
    sheet_for,
)

INTERVIEWS_PER_PAGE = 50
"""Interviews on one page of the list (a national evaluation has tens of thousands)."""


@requires(Action.VIEW_INTERVIEWS)
@require_GET
def interview_list(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The interviews the user may see, narrowed by service, round and status, a page at a
    time (newest first; the links between pages keep the choice)."""
    access = access_for(request, evaluation_id, Action.VIEW_INTERVIEWS)
    evaluation = access.evaluation
    chosen = any(name in request.GET for name in InterviewFilterForm.base_fields)
    form = InterviewFilterForm(
        request.GET if chosen else None,
        services=access.visible_services(),
        rounds=evaluation.rounds.all(),
    )
    wanted = form.cleaned_data if form.is_bound and form.is_valid() else {}
    interviews = services.narrow(
        access.visible_interviews(),
        service_id=wanted.get("service"),
        round_id=wanted.get("round"),
        status=wanted.get("status"),
    )
    page = Paginator(interviews, INTERVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    instrument = evaluation.instrument.model()
    informants = {i.key: i.title for i in instrument.informants}
    context = evaluation_context(access, "interviews")
    context.update(
        {
            "form": form,
            "page": page,
            "interviews": [
                (interview, informants.get(interview.informant, interview.informant))
                for interview in page
            ],
            "filtered": form.is_bound,
        }
    )
    return render(request, "interviews/list.html", context)


def _interview_form(access: Access, data: Any = None) -> InterviewForm:
    evaluation = access.evaluation
    scope = access.visible_services()
    workers = PeerWorker.objects.filter(
        evaluation=evaluation, service__in=scope, withdrawn=False
    ).select_related("service")
    return InterviewForm(
        data,
        instrument=evaluation.instrument.model(),
        services=list(scope),
        workers=workers,
        rounds=evaluation.rounds.all(),
    )


@requires(Action.CREATE_INTERVIEW)
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Record an interview, ready to be rated."""
    access = access_for(request, evaluation_id, Action.CREATE_INTERVIEW)
    evaluation = access.evaluation
    form = _interview_form(access, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        service = service_for(access, data["service"], Action.CREATE_INTERVIEW)
        worker = (
            peer_worker_for(access, data["peer_worker"], Action.CREATE_INTERVIEW)
            if data["peer_worker"] is not None
            else None
        )
        try:
            interview = services.create_interview(
                request.user,
                evaluation,
                service=service,
                peer_worker=worker,
                round=data["round"],
                informant=data["informant"],
                date=data["date"],
                code=data["code"],
                double_rated=data["double_rated"],
            )
        except InvalidInput as error:
            form.add_problems(error)
        else:
            messages.success(
                request, f"Interview {interview.code} is recorded and ready to be rated."
            )
            return redirect("interviews:detail", evaluation.pk, interview.pk)
    context = evaluation_context(access, "interviews")
    context.update(
        {
            "form": form,
            "ready": bool(form.fields["service"].choices[1:]) and evaluation.rounds.exists(),
        }
    )
    return render(request, "interviews/create.html", context, status=400 if form.errors else 200)


@dataclass(frozen=True)
class _Draft:
    """The user's own sheet of an interview as the rating form needs it."""

    pk: int
    status: str
    version: int
    notes: str
    answers: dict[str, services.Answer]


def _own_draft(interview: Interview, user: Any) -> _Draft | None:
    """The user's sheet with its ratings, read in one query (a join on the sheet's ratings)."""
    rows = list(
        RatingSheet.objects.filter(interview=interview, rater=user).values_list(
            "pk", "status", "version", "notes", "ratings__item", "ratings__value", "ratings__code"
        )
    )
    if not rows:
        return None
    pk, status, version, notes = rows[0][:4]
    answers = {
        item: services.Answer(value, code or "")
        for *_, item, value, code in rows
        if item is not None
    }
    return _Draft(pk, status, version, notes, answers)


def _why_not_rate(interview: Interview, sheet: RatingSheet | _Draft | None) -> str | None:
    """Why the user cannot (yet) rate this interview, or ``None`` if they can."""
    if sheet is None and interview.status == Interview.Status.FINAL:
        return "This interview is final; it needs no more ratings."
    if sheet is None and interview.sheets.count() >= interview.raters_needed:
        return (
            "This interview already has all the raters it needs. The lead can mark it for "
            "double rating if a second rating is wanted."
        )
    return None


@requires(Action.VIEW_INTERVIEWS)
@require_GET
def detail(request: HttpRequest, evaluation_id: int, interview_id: int) -> HttpResponse:
    """An interview: its details, status, and the rating sheets the user may open."""
    access = access_for(request, evaluation_id, Action.VIEW_INTERVIEWS)
    evaluation = access.evaluation
    interview = interview_for(access, interview_id, Action.VIEW_INTERVIEWS)
    instrument = evaluation.instrument.model()
    sheets = list(interview.sheets.select_related("rater").order_by("pk"))
    own = next((s for s in sheets if s.rater_id == request.user.pk), None)
    service = interview.service
    may_rate = access.may(Action.RATE, service)
    context = evaluation_context(access, "interviews")
    context.update(
        {
            "interview": interview,
            "informant": instrument.informant(interview.informant).title,
            "sheets": [
                {"sheet": s, "own": s == own, "visible": access.can_see_sheet(s, interview)}
                for s in sheets
            ],
            "own_sheet": own,
            "may_start": may_rate and own is None and _why_not_rate(interview, None) is None,
            "may_consensus": access.may(Action.RECORD_CONSENSUS, service)
            and interview.status == Interview.Status.CONSENSUS,
            "may_consent": access.may(Action.RECORD_CONSENT, service),
            "may_withdraw": access.may(Action.WITHDRAW_INTERVIEW, service),
            "may_erase": access.may(Action.ERASE_ON_REQUEST, service),
            "consent_uses": [Interview.CONSENT_USES[use] for use in interview.consent_uses],
            "may_set_double": context["may"][Action.MANAGE_EVALUATION]
            and interview.status in (Interview.Status.DRAFT, Interview.Status.RATED)
            and (not interview.double_rated or len(sheets) <= 1),
            "consensus": _consensus_rows(interview, instrument)
            if interview.status == Interview.Status.FINAL and interview.double_rated
            else [],
        }
    )
    return render(request, "interviews/detail.html", context)


def _consensus_rows(interview: Interview, instrument: Any) -> list[dict[str, Any]]:
    items = {
        item.key: (n, item)
        for n, item in enumerate(instrument.items_for(interview.informant), start=1)
    }
    rows = []
    for rating in interview.consensus_ratings.all():
        if rating.item in items:
            number, item = items[rating.item]
            label, _ = describe(instrument, item, services.Answer(rating.value, rating.code))
            rows.append({"number": number, "label": label, "reason": rating.reason})
    return sorted(rows, key=lambda row: row["number"])


@requires(Action.MANAGE_EVALUATION)
@require_POST
def double_rating(request: HttpRequest, evaluation_id: int, interview_id: int) -> HttpResponse:
    """Mark an interview for double rating, or undo it while only one rater has started."""
    access = access_for(request, evaluation_id, Action.MANAGE_EVALUATION)
    evaluation = access.evaluation
    interview = interview_for(access, interview_id, Action.MANAGE_EVALUATION)
    wanted = request.POST.get("double_rated") == "1"
    try:
        services.set_double_rated(
            request.user, interview, double_rated=wanted, expected_version=_version(request)
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Interview {interview.code} will {'now' if wanted else 'no longer'} be double-rated.",
        )
    return redirect("interviews:detail", evaluation.pk, interview.pk)


def _version(request: HttpRequest) -> int:
    """The version a form was opened at; anything unreadable counts as out of date."""
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else -1


@requires(Action.RATE)
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, evaluation_id: int, interview_id: int) -> HttpResponse:
    """The user's own rating sheet for an interview: save a draft, or make it final."""
    access = access_for(request, evaluation_id, Action.RATE)
    evaluation = access.evaluation
    interview = interview_for(access, interview_id, Action.RATE)
    sheet = _own_draft(interview, request.user)
    if sheet is not None and sheet.status == RatingSheet.Status.FINAL:
        messages.info(
            request, "Your ratings of this interview are final, so they can no longer change."
        )
        return redirect("interviews:sheet", evaluation.pk, interview.pk, sheet.pk)
    blocked = _why_not_rate(interview, sheet)
    if blocked:
        messages.info(request, blocked)
        return redirect("interviews:detail", evaluation.pk, interview.pk)
    instrument = evaluation.instrument.model()
    items = instrument.items_for(interview.informant)
    if request.method == "GET":
        saved = sheet.answers if sheet else {}
        values = {key: answer_text(answer) for key, answer in saved.items()}
        version = str(sheet.version) if sheet else ""
        return _rating_page(
            request,
            access,
            interview,
            values,
            sheet.notes if sheet else "",
            version,
            problems={},
            summary="",
        )
    values = {item.key: request.POST.get(f"{ITEM_PREFIX}{item.key}", "") for item in items}
    notes = request.POST.get("notes", "")
    raw_version = request.POST.get("version", "")
    finalise = request.POST.get("action") == "final"
    try:
        answers = services.parse_answers(instrument, interview.informant, values)
        services.save_sheet(
            request.user,
            interview,
            answers=answers,
            notes=notes,
            expected_version=_version(request) if raw_version else None,
            finalise=finalise,
        )
    except StaleEdit as error:
        messages.error(request, str(error))
        return _rating_page(
            request,
            access,
            interview,
            values,
            notes,
            raw_version,
            problems={},
            summary="",
            status=409,
            stale=True,
        )
    except InvalidInput as error:
        return _rating_page(
            request,
            access,
            interview,
            values,
            notes,
            raw_version,
            problems=error.problems,
            summary=str(error),
            status=400,
            finalising=finalise,
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("interviews:detail", evaluation.pk, interview.pk)
    if finalise:
        messages.success(
            request, f"Your ratings of interview {interview.code} are final. Thank you."
        )
        return redirect("interviews:detail", evaluation.pk, interview.pk)
    messages.success(request, "Draft saved. You can come back to it at any time.")
    return redirect("interviews:rate", evaluation.pk, interview.pk)


def _rating_page(
    request: HttpRequest,
    access: Access,
    interview: Interview,
    values: dict[str, str],
    notes: str,
    version: str,
    *,
    problems: dict[str, str],
    summary: str,
    status: int = 200,
    stale: bool = False,
    finalising: bool = False,
) -> HttpResponse:
    evaluation = access.evaluation
    stored = evaluation.instrument
    instrument = stored.model()
    informant = interview.informant
    # A form with nothing chosen and nothing wrong is the same for every interview of this
    # informant: the template keeps it drawn whole (see blank_form_key), so only forms with
    # values or problems are laid out item by item.
    blank = not problems and not any(values.values())
    sections = SimpleLazyObject(
        lambda: rating_form(stored, evaluation.framework.model(), informant, values, problems)
    )
    context = evaluation_context(access, "interviews")
    context.update(
        {
            "interview": interview,
            "informant": instrument.informant(informant).title,
            "sections": sections,
            "blank_form": blank_form_key(stored, informant) if blank else "",
            "errors": [] if blank else [i for sect in sections for i in sect.items if i.error],
            "summary": summary.rstrip("."),
            "notes": notes,
            "version": version,
            "stale": stale,
            "finalising": finalising,
            "codes": instrument.codes,
        }
    )
    return render(request, "interviews/rate.html", context, status=status)


@requires(Action.VIEW_INTERVIEWS)
@require_GET
def sheet(
    request: HttpRequest, evaluation_id: int, interview_id: int, sheet_id: int
) -> HttpResponse:
    """One rater's sheet, read only: one's own, or another's once every sheet is final."""
    access = access_for(request, evaluation_id, Action.VIEW_INTERVIEWS)
    evaluation = access.evaluation
    interview = interview_for(access, interview_id, Action.VIEW_INTERVIEWS)
    found = sheet_for(access, interview, sheet_id)
    instrument = evaluation.instrument.model()
    answers = {r.item: services.Answer(r.value, r.code) for r in found.ratings.all()}
    context = evaluation_context(access, "interviews")
    context.update(
        {
            "interview": interview,
            "sheet": found,
            "informant": instrument.informant(interview.informant).title,
            "groups": sheet_groups(
                instrument, evaluation.framework.model(), interview.informant, answers
            ),
            "own": found.rater_id == request.user.pk,
        }
    )
    return render(request, "interviews/sheet.html", context)


@requires(Action.RECORD_CONSENSUS)
@require_http_methods(["GET", "POST"])
def consensus(request: HttpRequest, evaluation_id: int, interview_id: int) -> HttpResponse:
    """Agree the ratings of a double-rated interview, with both raters' ratings side by side."""
    access = access_for(request, evaluation_id, Action.RECORD_CONSENSUS)
    evaluation = access.evaluation
    interview = interview_for(access, interview_id, Action.RECORD_CONSENSUS)
    instrument = evaluation.instrument.model()
    items = instrument.items_for(interview.informant)
    if request.method == "GET":
        if interview.status != Interview.Status.CONSENSUS:
            messages.info(
                request,
                "Consensus is recorded once both raters have made their "
                "ratings final, and only once.",
            )
            return redirect("interviews:detail", evaluation.pk, interview.pk)
        return _consensus_page(
            request,
            access,
            interview,
            None,
            {},
            str(interview.version),
            problems={},
            summary="",
        )
    agreed = {item.key: request.POST.get(f"{AGREED_PREFIX}{item.key}", "") for item in items}
    reasons = {item.key: request.POST.get(f"{REASON_PREFIX}{item.key}", "") for item in items}
    try:
        answers = services.parse_answers(instrument, interview.informant, agreed)
        services.record_consensus(
            request.user,
            interview,
            answers=answers,
            reasons=reasons,
            expected_version=_version(request),
        )
    except InvalidInput as error:
        return _consensus_page(
            request,
            access,
            interview,
            agreed,
            reasons,
            request.POST.get("version", ""),
            problems=error.problems,
            summary=str(error),
            status=400,
        )
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("interviews:detail", evaluation.pk, interview.pk)
    messages.success(
        request,
        f"The consensus ratings of interview {interview.code} are "
        "recorded; the interview is final.",
    )
    return redirect("interviews:detail", evaluation.pk, interview.pk)


def _consensus_page(
    request: HttpRequest,
    access: Access,
    interview: Interview,
    agreed: dict[str, str] | None,
    reasons: dict[str, str],
    version: str,
    *,
    problems: dict[str, str],
    summary: str,
    status: int = 200,
) -> HttpResponse:
    evaluation = access.evaluation
    instrument = evaluation.instrument.model()
    sheets = [
        (
            s.rater.get_username(),
            {r.item: services.Answer(r.value, r.code) for r in s.ratings.all()},
        )
        for s in services.final_sheets(interview)
    ]
    groups = consensus_groups(
        instrument,
        evaluation.framework.model(),
        interview.informant,
        sheets,
        agreed,
        reasons,
        problems,
    )
    context = evaluation_context(access, "interviews")
    context.update(
        {
            "interview": interview,
            "informant": instrument.informant(interview.informant).title,
            "raters": [rater for rater, _ in sheets],
            "groups": groups,
            "errors": [item for item in flat_items(groups) if item.error],
            "summary": summary.rstrip("."),
            "version": version,
        }
    )
    return render(request, "interviews/consensus.html", context, status=status)
