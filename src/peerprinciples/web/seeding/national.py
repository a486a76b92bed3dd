"""Seeding, finding and removing the national-scale evaluation."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.library import Library
from peerprinciples.web.accounts.services import reset_password
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.audit.services import record
from peerprinciples.web.bulk import BulkWriter, OrphanRows, allocate_keys
from peerprinciples.web.evaluations.models import Evaluation, Membership, PeerWorker, Round, Service
from peerprinciples.web.evaluations.services import create_evaluation
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    InterviewScore,
    Rating,
    RatingSheet,
)
from peerprinciples.web.library.models import StoredInstrument
from peerprinciples.web.library.services import store_instrument
from peerprinciples.web.results.store import request_refresh
from peerprinciples.web.seeding.design import draw_design, draw_ratings
from peerprinciples.web.seeding.plan import (
    ACCOUNTS,
    BENCH_RATER_SERVICES,
    LEAD,
    NATIONAL_NAME,
    RATER,
    RATER_POOL_PREFIX,
    NationalPlan,
    SeedingError,
    SeedResult,
    national_instrument,
)
from peerprinciples.web.seeding.writing import Seed, write_ratings, write_scores

_RATING_TABLES = (Interview, RatingSheet, Rating, ConsensusRating, InterviewScore)


def find_national() -> Evaluation | None:
    """The seeded evaluation, if there is one."""
    return Evaluation.objects.filter(name=NATIONAL_NAME, is_demo=True).order_by("pk").first()


def seed_record(evaluation: Evaluation) -> dict[str, Any] | None:
    """What :func:`seed_national` recorded about ``evaluation``: its marker, counts and times."""
    event = (
        AuditEvent.objects.filter(
            evaluation_id=evaluation.pk,
            object_type=Evaluation._meta.label,
            summary__startswith="Seeded ",
        )
        .order_by("-at", "-id")
        .first()
    )
    return event.after if event is not None and isinstance(event.after, dict) else None


def seed_marker(evaluation: Evaluation) -> str | None:
    """The marker :func:`seed_national` recorded for ``evaluation`` (``None`` if it did not)."""
    marker = (seed_record(evaluation) or {}).get("seed_marker")
    return marker if isinstance(marker, str) else None


def delete_national(evaluation: Evaluation) -> None:
    """Remove a seeded evaluation, largest tables first (the audit trail keeps its events).

    The ratings go with plain ``DELETE`` statements: the ORM would load every row first.
    """
    # Only the models' own table names, quoted, go into the SQL; the evaluation's key is
    # passed as a parameter (hence the "nosec B608" marks for bandit).
    table = {m: connection.ops.quote_name(m._meta.db_table) for m in _RATING_TABLES}
    interviews = f"SELECT id FROM {table[Interview]} WHERE evaluation_id = %s"  # nosec B608
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in (
            f"DELETE FROM {table[InterviewScore]} WHERE evaluation_id = %s",  # nosec B608
            f"DELETE FROM {table[ConsensusRating]} WHERE interview_id IN ({interviews})",  # nosec B608
            f"DELETE FROM {table[Rating]} WHERE sheet_id IN (SELECT id FROM "  # nosec B608
            f"{table[RatingSheet]} WHERE interview_id IN ({interviews}))",
            f"DELETE FROM {table[RatingSheet]} WHERE interview_id IN ({interviews})",  # nosec B608
            f"DELETE FROM {table[Interview]} WHERE evaluation_id = %s",  # nosec B608
        ):
            cursor.execute(sql, [evaluation.pk])
        PeerWorker.objects.filter(evaluation=evaluation).delete()
        record(
            evaluation.created_by,
            "delete",
            evaluation,
            evaluation_id=evaluation.pk,
            summary=f"Removed the synthetic evaluation {evaluation.name!r} to seed it again",
        )
        evaluation.delete()


def reset_accounts() -> dict[str, str]:
    """Give the load-test accounts new random passwords (creating them); returns them."""
    return {username: reset_password(username, create=True) for username in ACCOUNTS}


# --- seeding ------------------------------------------------------------------------------------


def seed_national(
    plan: NationalPlan | None = None,
    *,
    library: Library | None = None,
    replace: bool = False,
    progress: bool = True,
) -> SeedResult:
    """Create the national-scale evaluation in one transaction; see the module's text.

    Raises :class:`SeedingError` when the evaluation exists already and ``replace`` is not
    set. The database must be prepared (migrated) first.
    """
    plan = plan or NationalPlan()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    with transaction.atomic():
        _make_room(replace, seconds, started)
        passwords = reset_accounts()
        library = library or Library()
        instrument = national_instrument(library)
        stored = store_instrument(instrument, library.framework(instrument.framework))
        mark = time.perf_counter()  # "insert" counts creating the people and keys too
        seed = _prepare(plan, stored, instrument)
        scored = _write(seed, progress, seconds, since=mark)
        counts = seed.counts() | {"scores": scored}
        evaluation = seed.evaluation
        # The scores were written directly, not through refresh_scores.
        Evaluation.results_changed(evaluation.pk)
        request_refresh(evaluation.pk)  # the stored results, once this commits
        mark = time.perf_counter()
        record(
            evaluation.created_by,
            "create",
            evaluation,
            evaluation_id=evaluation.pk,
            summary=f"Seeded the synthetic national-scale evaluation ({plan.marker})",
            after={
                "seed_marker": plan.marker,
                "counts": counts,
                "seconds_before_commit": seconds | {"total": time.perf_counter() - started},
            },
        )
    seconds["commit"] = time.perf_counter() - mark
    seconds["total"] = time.perf_counter() - started
    return SeedResult(evaluation, passwords, counts, seconds)


def _make_room(replace: bool, seconds: dict[str, float], started: float) -> None:
    """Refuse to seed a second time, or delete the earlier seed when asked to replace it."""
    existing = find_national()
    if existing is None:
        return
    if not replace:
        raise SeedingError(
            f"The evaluation {NATIONAL_NAME!r} is already there (id {existing.pk}); "
            "seed again only with replace, which deletes it first."
        )
    delete_national(existing)
    seconds["delete"] = time.perf_counter() - started


def _write(seed: Seed, progress: bool, seconds: dict[str, float], *, since: float) -> int:
    """Write every row and cache the scores, timing each step; the number of scores."""
    mark = since
    with BulkWriter(progress=progress, total=seed.total_rows(), label="seeding") as writer:
        writer.defer_key_checks()
        write_ratings(seed, writer)
        seconds["insert"] = time.perf_counter() - mark
        mark = time.perf_counter()
        scored = write_scores(seed, writer)
        seconds["scores"] = time.perf_counter() - mark
        if writer.keys_deferred:
            mark = time.perf_counter()
            try:
                writer.check_keys()
            except OrphanRows as error:
                raise SeedingError(str(error)) from error
            seconds["check keys"] = time.perf_counter() - mark
        mark = time.perf_counter()
        writer.analyse()
        seconds["analyse"] = time.perf_counter() - mark
    return scored


def _prepare(plan: NationalPlan, stored: StoredInstrument, instrument: Instrument) -> Seed:
    """Draw the data, and create the evaluation, its services, rounds, people and keys."""
    rng = np.random.default_rng(plan.seed)
    design = draw_design(plan, len(instrument.informants), rng)
    values, codes, agreed = draw_ratings(plan, instrument, design, rng)
    users = {u.username: u for u in get_user_model().objects.filter(username__in=ACCOUNTS)}
    lead = users[LEAD]
    evaluation = create_evaluation(
        lead,
        name=NATIONAL_NAME,
        kind=Evaluation.Kind.RESEARCH,
        instrument=stored,
        is_demo=True,
    )
    Service.objects.bulk_create(
        [
            Service(evaluation=evaluation, code=f"N{s + 1:03d}", name=f"Synthetic service {s + 1}")
            for s in range(plan.services)
        ]
    )
    service_ids = _ids(Service, evaluation, "code", [f"N{s + 1:03d}" for s in range(plan.services)])
    Round.objects.bulk_create(
        [
            Round(evaluation=evaluation, number=r + 1, label=f"Round {r + 1} (synthetic)")
            for r in range(plan.rounds)
        ]
    )
    round_ids = _ids(Round, evaluation, "number", list(range(1, plan.rounds + 1)))
    worker_codes = [f"NPW-{w + 1:05d}" for w in range(plan.peer_workers)]
    PeerWorker.objects.bulk_create(
        [
            PeerWorker(evaluation=evaluation, service_id=int(service_ids[s]), code=code)
            for code, s in zip(worker_codes, design.service, strict=True)
        ],
        batch_size=2_000,
    )
    worker_ids = _ids(PeerWorker, evaluation, "code", worker_codes)
    pool = _rater_pool(plan, evaluation, service_ids, users)
    return Seed(
        plan=plan,
        instrument=instrument,
        evaluation=evaluation,
        design=design,
        values=values,
        codes=codes,
        agreed=agreed,
        lead=lead.pk,
        service_ids=service_ids,
        round_ids=round_ids,
        worker_ids=worker_ids,
        interview_ids=allocate_keys(Interview, plan.interviews),
        sheet_ids=allocate_keys(RatingSheet, len(design.sheet_interview)),
        sheet_raters=np.where(
            design.sheet_rater < 0, users[RATER].pk, pool[np.maximum(design.sheet_rater, 0)]
        ),
        now=timezone.now(),
    )


def _ids(model: type[models.Model], evaluation: Evaluation, key: str, order: list[Any]) -> Any:
    """The primary keys of freshly created rows, in the order of ``order`` (as numpy)."""
    rows = model._default_manager.filter(evaluation=evaluation).values_list(key, "pk")
    found = dict(rows)
    return np.asarray([found[k] for k in order], dtype=np.int64)


def _rater_pool(
    plan: NationalPlan, evaluation: Evaluation, service_ids: np.ndarray, users: dict[str, Any]
) -> np.ndarray:
    """Synthetic raters (who cannot sign in) and the memberships of every account.

    Rater ``k`` covers the services ``s`` with ``s % raters`` equal to ``k`` or ``k - 1``, so
    every service has two raters; the load-test rater covers the first services.
    """
    model = get_user_model()
    names = [f"{RATER_POOL_PREFIX}{k + 1:03d}" for k in range(plan.raters)]
    existing = set(model.objects.filter(username__in=names).values_list("username", flat=True))
    fresh = []
    for name in names:
        if name not in existing:
            person = model(username=name)
            person.set_unusable_password()
            fresh.append(person)
    model.objects.bulk_create(fresh)
    found = dict(model.objects.filter(username__in=names).values_list("username", "pk"))
    pool = np.asarray([found[name] for name in names], dtype=np.int64)
    Membership.objects.bulk_create(
        [
            Membership(evaluation=evaluation, user_id=int(pk), role=Membership.Role.RATER)
            for pk in pool
        ]
        + [
            Membership(evaluation=evaluation, user=users[name], role=role)
            for name, role in ACCOUNTS.items()
            if role != Membership.Role.LEAD
        ]
    )
    member = dict(Membership.objects.filter(evaluation=evaluation).values_list("user_id", "pk"))
    through = Membership.services.through
    links = [
        through(membership_id=member[int(pk)], service_id=int(service_pk))
        for k, pk in enumerate(pool)
        for s, service_pk in enumerate(service_ids)
        if s % plan.raters in (k, (k - 1) % plan.raters)
    ]
    links += [
        through(membership_id=member[users[RATER].pk], service_id=int(service_pk))
        for service_pk in service_ids[:BENCH_RATER_SERVICES]
    ]
    through.objects.bulk_create(links, batch_size=2_000)
    return pool
