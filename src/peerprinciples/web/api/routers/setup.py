"""An evaluation's set-up: its services, peer worker codes and rounds, listed and added.

Who sees what follows the overview page: services and rounds for those who run or study the
evaluation, peer worker codes only for those who see individual results (and only in their
own services); adding any of them is a lead's step, through the same services the page's
forms call.
"""

# Without postponed annotations: ninja reads the parameters of a paginated route off the
# wrapper, whose module cannot resolve this one's names.

from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from peerprinciples.web.api.paging import Pages
from peerprinciples.web.api.problems import ERRORS
from peerprinciples.web.api.text import Code, Line
from peerprinciples.web.errors import InvalidInput
from peerprinciples.web.evaluations import services
from peerprinciples.web.evaluations.models import PeerWorker, Round, Service
from peerprinciples.web.permissions import Action, access_for

router = Router(tags=["set-up"])


class ServiceOut(Schema):
    """A service (a site or team) of the evaluation."""

    id: int
    code: str
    name: str


class ServiceIn(Schema):
    """A service to add: a short code such as NORTH or T2, and a name if it has one."""

    code: Code
    name: Annotated[Line, Field(max_length=200)] = ""


class PeerWorkerOut(Schema):
    """A peer worker, known only by a pseudonymous code, in one service."""

    id: int
    code: str
    service_id: int
    service_code: str
    withdrawn: bool

    @staticmethod
    def resolve_service_code(worker: PeerWorker) -> str:
        return worker.service.code


class PeerWorkerIn(Schema):
    """A peer worker to add: their pseudonymous code (never a name) and their service."""

    code: Code
    service_id: int


class PeerWorkerFilters(Schema):
    """Narrow the peer workers listed."""

    service_id: int | None = None
    withdrawn: bool | None = None


class RoundOut(Schema):
    """A round: a timepoint or review cycle."""

    id: int
    number: int
    label: str


class RoundIn(Schema):
    """A round to add, numbered from 1, with a label such as Baseline."""

    number: int = Field(ge=1, le=32767)
    label: Annotated[Line, Field(max_length=100)] = ""


@router.get("/services", response={200: list[ServiceOut], **ERRORS}, summary="List the services")
@paginate(Pages)
def list_services(request: HttpRequest, evaluation_id: Path[int]) -> QuerySet[Service]:
    access = access_for(request, evaluation_id, Action.VIEW_SET_UP)
    return access.evaluation.services.order_by("code", "pk")


@router.post("/services", response={201: ServiceOut, **ERRORS}, summary="Add a service")
def add_service(
    request: HttpRequest, evaluation_id: Path[int], payload: ServiceIn
) -> Status[Service]:
    access = access_for(request, evaluation_id, Action.MANAGE_EVALUATION)
    added = services.add_service(
        request.user, access.evaluation, code=payload.code, name=payload.name
    )
    return Status(201, added)


@router.get(
    "/peer-workers",
    response={200: list[PeerWorkerOut], **ERRORS},
    summary="List the peer worker codes in your services",
)
@paginate(Pages)
def list_peer_workers(
    request: HttpRequest, evaluation_id: Path[int], filters: Query[PeerWorkerFilters]
) -> QuerySet[PeerWorker]:
    access = access_for(request, evaluation_id, Action.VIEW_INDIVIDUAL_RESULTS)
    workers = PeerWorker.objects.filter(
        evaluation=access.evaluation, service__in=access.visible_services()
    ).select_related("service")
    if filters.service_id is not None:
        workers = workers.filter(service_id=filters.service_id)
    if filters.withdrawn is not None:
        workers = workers.filter(withdrawn=filters.withdrawn)
    return workers.order_by("code", "pk")


@router.post(
    "/peer-workers", response={201: PeerWorkerOut, **ERRORS}, summary="Add a peer worker code"
)
def add_peer_worker(
    request: HttpRequest, evaluation_id: Path[int], payload: PeerWorkerIn
) -> Status[PeerWorker]:
    access = access_for(request, evaluation_id, Action.MANAGE_EVALUATION)
    service = access.visible_services().filter(pk=payload.service_id).first()
    if service is None:
        raise InvalidInput(
            {
                "service_id": f"This evaluation has no service {payload.service_id}: list them "
                "with GET …/services and send one of their ids."
            }
        )
    worker = services.add_peer_worker(
        request.user, access.evaluation, service=service, code=payload.code
    )
    return Status(201, worker)


@router.get("/rounds", response={200: list[RoundOut], **ERRORS}, summary="List the rounds")
@paginate(Pages)
def list_rounds(request: HttpRequest, evaluation_id: Path[int]) -> QuerySet[Round]:
    access = access_for(request, evaluation_id, Action.VIEW_SET_UP)
    return access.evaluation.rounds.order_by("number")


@router.post("/rounds", response={201: RoundOut, **ERRORS}, summary="Add a round")
def add_round(request: HttpRequest, evaluation_id: Path[int], payload: RoundIn) -> Status[Round]:
    access = access_for(request, evaluation_id, Action.MANAGE_EVALUATION)
    added = services.add_round(
        request.user, access.evaluation, number=payload.number, label=payload.label
    )
    return Status(201, added)
