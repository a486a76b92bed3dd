"""Evaluations, read only: the ones the caller is a member of (a token: its one)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from peerprinciples.web.api.paging import Pages
from peerprinciples.web.api.problems import ERRORS
from peerprinciples.web.evaluations.models import Evaluation, Membership
from peerprinciples.web.permissions import Action, access_for

router = Router(tags=["evaluations"])


class EvaluationOut(Schema):
    """An evaluation and the caller's role in it."""

    id: int
    name: str
    kind: str
    framework: str
    instrument: str
    created_at: datetime
    role: str
    is_demo: bool


def _out(evaluation: Evaluation, role: str) -> EvaluationOut:
    return EvaluationOut(
        id=evaluation.pk,
        name=evaluation.name,
        kind=evaluation.kind,
        framework=str(evaluation.framework),
        instrument=str(evaluation.instrument),
        created_at=evaluation.created_at,
        role=role,
        is_demo=evaluation.is_demo,
    )


@router.get("/", response={200: list[EvaluationOut], **ERRORS}, summary="List your evaluations")
@paginate(Pages)
def list_evaluations(request: HttpRequest) -> list[EvaluationOut]:
    memberships = (
        Membership.objects.filter(user_id=request.user.pk)
        .select_related("evaluation__framework", "evaluation__instrument")
        .defer("evaluation__framework__document", "evaluation__instrument__document")
        .order_by("evaluation_id")
    )
    token = getattr(request, "access_token", None)
    if token is not None:
        memberships = memberships.filter(evaluation_id=token.evaluation_id)
    return [
        _out(member.evaluation, token.role if token is not None else member.role)
        for member in memberships
    ]


@router.get(
    "/{evaluation_id}",
    response={200: EvaluationOut, **ERRORS},
    summary="One evaluation",
)
def get_evaluation(request: HttpRequest, evaluation_id: int) -> EvaluationOut:
    access = access_for(request, evaluation_id, Action.VIEW_EVALUATION)
    return _out(access.evaluation, access.role)
