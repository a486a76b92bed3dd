"""Interviews and their rating sheets: list, read, record, and rate as the pages do.

The routes call the services the pages call, with the same guards: an interview comes only
from the caller's services, a new one only with a service, peer worker and round the
recording form would offer, and a rating sheet is saved with the version it was read at, so
a stale copy never overwrites a newer one (409). Another rater's sheet opens only once every
sheet of the interview is final, which keeps double rating independent.
"""

# Without postponed annotations: ninja reads the parameters of a paginated route off the
# wrapper, whose module cannot resolve this one's names.

import datetime as dt
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from peerprinciples.web.api.paging import Pages
from peerprinciples.web.api.problems import ERRORS
from peerprinciples.web.api.text import Line
from peerprinciples.web.errors import InvalidInput
from peerprinciples.web.evaluations.models import PeerWorker
from peerprinciples.web.interviews import services
from peerprinciples.web.interviews.models import Interview, RatingSheet
from peerprinciples.web.permissions import Access, Action, access_for, interview_for, sheet_for

router = Router(tags=["interviews"])

Reference = Annotated[Line, Field(max_length=60)]
"""An interview's reference or an informant's key (the columns hold 60 characters)."""


class InterviewOut(Schema):
    """An interview: who was interviewed, about whose support, in which round; its status."""

    id: int
    code: str
    service_id: int
    service_code: str
    peer_worker_id: int | None
    peer_worker_code: str | None
    round_id: int
    round_number: int
    informant: str
    date: dt.date | None
    double_rated: bool
    status: Interview.Status
    version: int

    @staticmethod
    def resolve_service_code(interview: Interview) -> str:
        return interview.service.code

    @staticmethod
    def resolve_peer_worker_code(interview: Interview) -> str | None:
        return interview.peer_worker.code if interview.peer_worker else None

    @staticmethod
    def resolve_round_number(interview: Interview) -> int:
        return interview.round.number


class SheetSummary(Schema):
    """A rating sheet of an interview, as its page lists it: whether it is the caller's own,
    and whether the caller may open it yet (``GET …/sheets/{sheet_id}``)."""

    id: int
    status: RatingSheet.Status
    own: bool
    visible: bool


class InterviewDetail(InterviewOut):
    """An interview with its rating sheets."""

    sheets: list[SheetSummary]

    @staticmethod
    def resolve_sheets(interview: Interview) -> list[SheetSummary]:
        return interview.listed_sheets  # type: ignore[attr-defined, no-any-return]


class InterviewFilters(Schema):
    """Narrow the interviews listed; every filter left out means any."""

    service_id: int | None = None
    round_id: int | None = None
    peer_worker: Annotated[Line, Field(max_length=40)] | None = Field(
        None, description="A peer worker's code, such as PW-014."
    )
    informant: Reference | None = None
    status: Interview.Status | None = None
    date_from: dt.date | None = Field(None, description="Interviews on or after this day.")
    date_to: dt.date | None = Field(None, description="Interviews on or before this day.")


class InterviewIn(Schema):
    """An interview to record, ready to be rated."""

    service_id: int
    peer_worker_id: int | None = Field(
        None, description="Whose support it is about; none if about the service as a whole."
    )
    round_id: int
    informant: Reference = Field(description="One of the instrument's informants' keys.")
    date: dt.date | None = None
    code: Reference = Field(description="A reference such as I-0042; never a name.")
    double_rated: bool = False


Answer = int | Annotated[Line, Field(max_length=20)]
"""A point of the item's scale, or one of the instrument's codes (such as ``NA``)."""


class SheetOut(Schema):
    """A rater's sheet: ``status`` is ``new`` (and ``id`` and ``version`` are null) until the
    first save. Send ``version`` back when saving."""

    id: int | None
    rater: str
    status: Literal["new", "draft", "final"]
    version: int | None
    notes: str
    answers: dict[str, Answer]
    updated_at: dt.datetime | None
    finalised_at: dt.datetime | None


class SheetIn(Schema):
    """The caller's ratings: every item answered so far, by item key."""

    version: int | None = Field(
        description="The version the sheet was read at; null for a sheet not yet saved."
    )
    answers: dict[Annotated[Line, Field(max_length=60)], Answer] = {}
    notes: Annotated[Line, Field(max_length=20_000)] = ""
    finalise: bool = Field(
        False, description="Make the ratings final: every required item needs an answer."
    )


def _detail(access: Access, interview: Interview, user_id: int) -> Interview:
    """The interview, with the sheets its page would list (``InterviewDetail.sheets``)."""
    interview.listed_sheets = [  # type: ignore[attr-defined]
        SheetSummary(
            id=sheet.pk,
            status=RatingSheet.Status(sheet.status),
            own=sheet.rater_id == user_id,
            visible=access.can_see_sheet(sheet, interview),
        )
        for sheet in interview.sheets.order_by("pk")
    ]
    return interview


def _sheet(sheet: RatingSheet | None, rater: str) -> SheetOut:
    if sheet is None:
        return SheetOut(
            id=None,
            rater=rater,
            status="new",
            version=None,
            notes="",
            answers={},
            updated_at=None,
            finalised_at=None,
        )
    return SheetOut(
        id=sheet.pk,
        rater=rater,
        status="final" if sheet.status == RatingSheet.Status.FINAL else "draft",
        version=sheet.version,
        notes=sheet.notes,
        answers={
            rating.item: rating.value if rating.value is not None else rating.code
            for rating in sheet.ratings.order_by("item")
        },
        updated_at=sheet.updated_at,
        finalised_at=sheet.finalised_at,
    )


@router.get(
    "/",
    response={200: list[InterviewOut], **ERRORS},
    summary="List the interviews in your services",
)
@paginate(Pages)
def list_interviews(
    request: HttpRequest, evaluation_id: Path[int], filters: Query[InterviewFilters]
) -> QuerySet[Interview]:
    access = access_for(request, evaluation_id, Action.VIEW_INTERVIEWS)
    return services.narrow(
        access.visible_interviews(),
        service_id=filters.service_id,
        round_id=filters.round_id,
        status=filters.status,
        peer_worker_code=filters.peer_worker,
        informant=filters.informant,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )


@router.post("/", response={201: InterviewOut, **ERRORS}, summary="Record an interview")
def create_interview(
    request: HttpRequest, evaluation_id: Path[int], payload: InterviewIn
) -> Status[Interview]:
    access = access_for(request, evaluation_id, Action.CREATE_INTERVIEW)
    evaluation = access.evaluation
    # What the recording form offers: the caller's services, their peer workers who have
    # not withdrawn (the service says so, by name, of one who has), the evaluation's rounds.
    service = access.visible_services().filter(pk=payload.service_id).first()
    round_ = evaluation.rounds.filter(pk=payload.round_id).first()
    worker = None
    if payload.peer_worker_id is not None:
        worker = PeerWorker.objects.filter(
            evaluation=evaluation, service__in=access.visible_services(), pk=payload.peer_worker_id
        ).first()
    problems = {}
    if service is None:
        problems["service_id"] = (
            f"{payload.service_id} is not one of your services here: list them with GET …/services."
        )
    if round_ is None:
        problems["round_id"] = (
            f"{payload.round_id} is not a round of this evaluation: list them with GET …/rounds."
        )
    if payload.peer_worker_id is not None and worker is None:
        problems["peer_worker_id"] = (
            f"{payload.peer_worker_id} is not a peer worker in your services: list them with "
            "GET …/peer-workers."
        )
    if problems or service is None or round_ is None:
        raise InvalidInput(problems)
    fields = {"service": "service_id", "round": "round_id", "peer_worker": "peer_worker_id"}
    try:
        interview = services.create_interview(
            request.user,
            evaluation,
            service=service,
            peer_worker=worker,
            round=round_,
            informant=payload.informant,
            date=payload.date,
            code=payload.code,
            double_rated=payload.double_rated,
        )
    except InvalidInput as error:
        raise InvalidInput(
            {fields.get(field, field): text for field, text in error.problems.items()}
        ) from None
    return Status(201, interview)


@router.get("/{interview_id}", response={200: InterviewDetail, **ERRORS}, summary="One interview")
def get_interview(request: HttpRequest, evaluation_id: Path[int], interview_id: int) -> Interview:
    access = access_for(request, evaluation_id, Action.VIEW_INTERVIEWS)
    interview = interview_for(access, interview_id, Action.VIEW_INTERVIEWS)
    return _detail(access, interview, request.user.pk)


def _own(interview: Interview, user: object) -> RatingSheet | None:
    return RatingSheet.objects.filter(interview=interview, rater=user).first()


@router.get(
    "/{interview_id}/sheet",
    response={200: SheetOut, **ERRORS},
    summary="Your rating sheet for an interview",
)
def get_own_sheet(request: HttpRequest, evaluation_id: Path[int], interview_id: int) -> SheetOut:
    access = access_for(request, evaluation_id, Action.RATE)
    interview = interview_for(access, interview_id, Action.RATE)
    return _sheet(_own(interview, request.user), request.user.get_username())


@router.put(
    "/{interview_id}/sheet",
    response={200: SheetOut, **ERRORS},
    summary="Save your ratings as a draft, or make them final",
)
def save_own_sheet(
    request: HttpRequest, evaluation_id: Path[int], interview_id: int, payload: SheetIn
) -> SheetOut:
    access = access_for(request, evaluation_id, Action.RATE)
    interview = interview_for(access, interview_id, Action.RATE)
    instrument = access.evaluation.instrument.model()
    asked = [item.key for item in instrument.items_for(interview.informant)]
    unknown = {
        f"body.answers.{key}": f"{key!r} is not an item this informant is asked; the items "
        f"are {', '.join(asked)}."
        for key in payload.answers
        if key not in asked
    }
    if unknown:
        raise InvalidInput(unknown)
    raw = {key: str(value) for key, value in payload.answers.items()}
    try:
        answers = services.parse_answers(instrument, interview.informant, raw)
        sheet = services.save_sheet(
            request.user,
            interview,
            answers=answers,
            notes=payload.notes,
            expected_version=payload.version,
            finalise=payload.finalise,
        )
    except InvalidInput as error:
        raise InvalidInput(
            {f"body.answers.{key}": text for key, text in error.problems.items()}
        ) from None
    return _sheet(sheet, request.user.get_username())


@router.get(
    "/{interview_id}/sheets/{sheet_id}",
    response={200: SheetOut, **ERRORS},
    summary="One rating sheet: your own, or another rater's once every sheet is final",
)
def get_sheet(
    request: HttpRequest, evaluation_id: Path[int], interview_id: int, sheet_id: int
) -> SheetOut:
    access = access_for(request, evaluation_id, Action.VIEW_INTERVIEWS)
    interview = interview_for(access, interview_id, Action.VIEW_INTERVIEWS)
    found = sheet_for(access, interview, sheet_id)
    return _sheet(found, found.rater.get_username())
