"""Domain actions for setting up an evaluation; each runs in one transaction and is audited."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from peerprinciples.web.audit.services import record, snapshot
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.evaluations.models import (
    CODE_VALIDATOR,
    Evaluation,
    Membership,
    PeerWorker,
    Round,
    Service,
)
from peerprinciples.web.library.models import StoredInstrument


def _check_code(code: str, field: str = "code") -> str:
    code = code.strip()
    try:
        CODE_VALIDATOR(code)
    except ValidationError as exc:
        raise InvalidInput({field: " ".join(exc.messages)}) from None
    return code


@transaction.atomic
def create_evaluation(
    user: Any, *, name: str, kind: str, instrument: StoredInstrument, is_demo: bool = False
) -> Evaluation:
    """Create an evaluation pinned to ``instrument`` and its framework; the creator leads it.

    An evaluation pinned to a framework published from synthetic demonstration data is
    marked a demonstration too (``is_demo``), so it says so on every page."""
    name = name.strip()
    if not name:
        raise InvalidInput({"name": "Give the evaluation a name."})
    if kind not in Evaluation.Kind.values:
        raise InvalidInput({"kind": "Choose a research study or a service review."})
    evaluation = Evaluation.objects.create(
        name=name,
        kind=kind,
        instrument=instrument,
        framework=instrument.framework,
        is_demo=is_demo or instrument.framework.synthetic,
        created_by=user,
    )
    record(
        user,
        "create",
        evaluation,
        evaluation_id=evaluation.pk,
        summary=f"Created the evaluation {name!r} with {instrument.ref}",
    )
    membership = Membership.objects.create(
        evaluation=evaluation, user=user, role=Membership.Role.LEAD
    )
    record(
        user, "create", membership, evaluation_id=evaluation.pk, summary=f"{user} leads {name!r}"
    )
    return evaluation


def _create_unique(
    user: Any, evaluation: Evaluation, model: type[Any], field: str, summary: str, /, **fields: Any
) -> Any:
    try:
        with transaction.atomic():
            instance = model.objects.create(evaluation=evaluation, **fields)
            record(user, "create", instance, evaluation_id=evaluation.pk, summary=summary)
            # Results pages list the services, rounds and peer workers.
            Evaluation.results_changed(evaluation.pk)
    except IntegrityError:
        raise InvalidInput({field: f"This evaluation already has that {field}."}) from None
    return instance


def add_service(user: Any, evaluation: Evaluation, *, code: str, name: str = "") -> Service:
    """Add a service (site or team) by code."""
    code = _check_code(code)
    return _create_unique(
        user, evaluation, Service, "code", f"Added the service {code}", code=code, name=name.strip()
    )


def add_peer_worker(
    user: Any, evaluation: Evaluation, *, service: Service, code: str
) -> PeerWorker:
    """Add a peer worker by pseudonymous code, in one of the evaluation's services."""
    code = _check_code(code)
    if service.evaluation_id != evaluation.pk:
        raise InvalidInput({"service": "That service belongs to another evaluation."})
    return _create_unique(
        user,
        evaluation,
        PeerWorker,
        "code",
        f"Added the peer worker {code} in {service.code}",
        code=code,
        service=service,
    )


def add_round(user: Any, evaluation: Evaluation, *, number: int, label: str = "") -> Round:
    """Add a round (timepoint or review cycle)."""
    if number < 1:
        raise InvalidInput({"number": "Rounds are numbered from 1."})
    return _create_unique(
        user,
        evaluation,
        Round,
        "number",
        f"Added round {number}",
        number=number,
        label=label.strip(),
    )


@transaction.atomic
def add_member(
    user: Any, evaluation: Evaluation, *, username: str, role: str, services: list[Service]
) -> Membership:
    """Give an existing account a role in the evaluation (and services, for scoped roles)."""
    account = get_user_model().objects.filter(username=username.strip()).first()
    if account is None:
        raise InvalidInput({"username": "There is no account with that user name."})
    if role == Membership.Role.PEER_WORKER:
        raise InvalidInput(
            {
                "role": "A peer worker's account is linked to their code: use 'Link an account' "
                "beside the peer worker instead."
            }
        )
    if role not in Membership.Role.values:
        raise InvalidInput(
            {"role": "Choose lead, service coordinator, rater, viewer or facilitator."}
        )
    if any(s.evaluation_id != evaluation.pk for s in services):
        raise InvalidInput({"services": "Choose services of this evaluation only."})
    scoped = (Membership.Role.COORDINATOR, Membership.Role.RATER, Membership.Role.FACILITATOR)
    if role in scoped and not services:
        raise InvalidInput(
            {"services": "Coordinators, raters and facilitators need at least one service."}
        )
    existing = (
        Membership.objects.select_for_update().filter(evaluation=evaluation, user=account).first()
    )
    if existing is not None and existing.peer_worker_id is not None:
        raise InvalidInput(
            {"username": "This account is linked to a peer worker's code; unlink it first."}
        )
    before = snapshot(existing) if existing else None
    membership = existing or Membership(evaluation=evaluation, user=account)
    membership.role = role
    membership.save()
    membership.services.set(services)
    record(
        user,
        "change" if existing else "create",
        membership,
        evaluation_id=evaluation.pk,
        summary=f"{account} is {membership.get_role_display()}",
        before=before,
        after=snapshot(membership),
    )
    return membership


@transaction.atomic
def set_withdrawn(user: Any, evaluation: Evaluation, worker: PeerWorker, withdrawn: bool) -> None:
    """Record that a peer worker withdrew consent (no new interviews) or rejoined."""
    if worker.evaluation_id != evaluation.pk:
        raise DomainError("That peer worker belongs to another evaluation.")
    before = snapshot(worker)
    worker.withdrawn = withdrawn
    worker.save(update_fields=["withdrawn"])
    Evaluation.results_changed(evaluation.pk)
    record(
        user,
        "change",
        worker,
        evaluation_id=evaluation.pk,
        before=before,
        summary=f"{worker.code} {'withdrew' if withdrawn else 'rejoined'}",
    )


@transaction.atomic
def set_withdrawal_protocol(user: Any, evaluation: Evaluation, *, keeps_anonymised: bool) -> None:
    """Record what the study's protocol allows when someone withdraws an interview: erasing
    it always; keeping its ratings, anonymised, in group results when ``keeps_anonymised``."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    before = locked.withdrawal_keeps_anonymised
    if before == keeps_anonymised:
        return
    locked.withdrawal_keeps_anonymised = keeps_anonymised
    locked.save(update_fields=["withdrawal_keeps_anonymised"])
    evaluation.withdrawal_keeps_anonymised = keeps_anonymised
    record(
        user,
        "change",
        locked,
        evaluation_id=evaluation.pk,
        summary="Withdrawal: "
        + (
            "people may choose to keep their ratings anonymised, or to erase them"
            if keeps_anonymised
            else "interviews withdrawn are erased"
        ),
        before={"withdrawal_keeps_anonymised": before},
        after={"withdrawal_keeps_anonymised": keeps_anonymised},
    )


@transaction.atomic
def link_account(
    user: Any, evaluation: Evaluation, *, username: str, worker: PeerWorker
) -> Membership:
    """Link an existing account to a peer worker's pseudonymous code (a lead's step).

    The account gets the peer worker role for the code's service; the code stays the only
    identity in the evaluation's data. An account that already has another role here, or a
    code that already has an account, is refused.
    """
    if worker.evaluation_id != evaluation.pk:
        raise DomainError("That peer worker belongs to another evaluation.")
    account = get_user_model().objects.filter(username=username.strip()).first()
    if account is None:
        raise InvalidInput({"username": "There is no account with that user name."})
    if Membership.objects.filter(evaluation=evaluation, user=account).exists():
        raise InvalidInput(
            {
                "username": f"{account} already has a role in this evaluation; an account linked "
                "to a peer worker's code can have no other."
            }
        )
    if Membership.objects.filter(peer_worker=worker).exists():
        raise InvalidInput({"username": f"{worker.code} is already linked to an account."})
    membership = Membership.objects.create(
        evaluation=evaluation, user=account, role=Membership.Role.PEER_WORKER, peer_worker=worker
    )
    membership.services.set([worker.service_id])
    record(
        user,
        "create",
        membership,
        evaluation_id=evaluation.pk,
        summary=f"Linked an account to {worker.code}",
        after=snapshot(membership),
    )
    return membership


@transaction.atomic
def unlink_account(user: Any, evaluation: Evaluation, *, worker: PeerWorker) -> None:
    """Unlink the account linked to a peer worker's code: its membership goes with it.

    The code and everything filed under it (interviews, replies) stay; the account keeps
    no role in the evaluation.
    """
    if worker.evaluation_id != evaluation.pk:
        raise DomainError("That peer worker belongs to another evaluation.")
    membership = (
        Membership.objects.select_for_update()
        .filter(evaluation=evaluation, peer_worker=worker)
        .first()
    )
    if membership is None:
        raise DomainError(f"{worker.code} has no linked account to unlink.")
    before = snapshot(membership)
    record(
        user,
        "delete",
        membership,
        evaluation_id=evaluation.pk,
        summary=f"Unlinked the account from {worker.code}",
        before=before,
    )
    membership.delete()


@transaction.atomic
def set_sharing(user: Any, evaluation: Evaluation, *, own_results: bool) -> Evaluation:
    """Let peer workers with a linked account see their own results, or stop it."""
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if locked.peer_workers_see_own_results == own_results:
        return locked
    before = snapshot(locked)
    locked.peer_workers_see_own_results = own_results
    locked.save(update_fields=["peer_workers_see_own_results"])
    evaluation.peer_workers_see_own_results = own_results
    record(
        user,
        "change",
        locked,
        evaluation_id=evaluation.pk,
        summary="Peer workers "
        + ("may now see their own results" if own_results else "no longer see their own results"),
        before=before,
    )
    return locked
