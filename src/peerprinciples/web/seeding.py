"""A national-scale evaluation of synthetic data, for load tests and capacity planning.

:func:`seed_national` fills the database with one clearly marked evaluation (name
:data:`NATIONAL_NAME`, ``is_demo`` set) the size of a national programme: by default 200
services, 2,000 peer workers, 4 rounds and 25,000 interviews rated on a 40-item index
(:func:`national_instrument`), a tenth of them by two raters with agreed ratings, which
makes about 1.1 million ratings. Everything is synthetic and pseudonymous.

It is built for speed and safety:

* the ratings come from a seeded numpy generator, so the same plan gives the same data;
* rows are written with PostgreSQL's ``COPY`` (``bulk_create`` on other databases);
* everything runs in one transaction, so an interrupted seed leaves nothing behind;
* the cached :class:`~peerprinciples.web.interviews.models.InterviewScore` of every final
  interview is then computed by the core, in chunks so memory stays flat, through the same
  :func:`~peerprinciples.web.interviews.scores.refresh_scores` the web pages rely on.

Load-test accounts (:data:`ACCOUNTS`) get fresh random passwords each time; the caller shows
them once. A second seed of the same evaluation is refused unless ``replace`` is given.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from tqdm import tqdm

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.library import Library
from peerprinciples.core.ratings import CONSENSUS_RATER, read_ratings
from peerprinciples.core.scoring import score
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.audit.services import record
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
from peerprinciples.web.serve import reset_password

NATIONAL_NAME = "NATIONAL SCALE TEST (synthetic)"
"""The name of the seeded evaluation: it says plainly that the data is synthetic."""

INSTRUMENT_KEY = "national-scale-index"
SOURCE_INSTRUMENT = "enrich-example-index"
ITEMS_PER_DOMAIN = 8
GENERATOR_VERSION = 1
"""Bumped whenever the generator changes, so a stored seed marker no longer matches."""

LEAD, RATER, VIEWER = "bench-lead", "bench-rater", "bench-viewer"
ACCOUNTS: dict[str, str] = {
    LEAD: Membership.Role.LEAD,
    RATER: Membership.Role.RATER,
    VIEWER: Membership.Role.VIEWER,
}
"""Accounts that load tests sign in with, and their roles in the seeded evaluation."""

RATER_POOL_PREFIX = "national-rater-"
BENCH_RATER_SERVICES = 5
"""The load-test rater covers the first services."""

CODES = ("", "NA", "II")
SCORE_CHUNK = 4_000
"""Interviews scored at a time: about 180,000 ratings, well under 100 MB."""
COPY_CHUNK = 100_000


class SeedingError(Exception):
    """The seed cannot go ahead (e.g. the evaluation is already there)."""


@dataclass(frozen=True)
class NationalPlan:
    """How big the seeded evaluation is, and the seed of its random generator."""

    services: int = 200
    peer_workers: int = 2_000
    rounds: int = 4
    interviews: int = 25_000
    double_rated: float = 0.1
    open_interviews: int = 40
    """Interviews left open for the load-test rater (a draft sheet half filled)."""
    raters: int = 40
    seed: int = 2017

    def __post_init__(self) -> None:
        if self.services < 1 or self.rounds < 1 or self.raters < 2:
            raise SeedingError("A plan needs at least one service and round, and two raters.")
        if self.peer_workers < self.services:
            raise SeedingError("Every service needs at least one peer worker.")
        if not 0 <= self.double_rated <= 1:
            raise SeedingError("The double-rated share lies between 0 and 1.")
        if not 0 <= self.open_interviews < self.interviews:
            raise SeedingError("Open interviews must be fewer than all interviews.")

    @property
    def marker(self) -> str:
        """A text naming the generator version and every setting: equal markers, equal data."""
        settings = " ".join(f"{key}={value}" for key, value in asdict(self).items())
        return f"national-seed v{GENERATOR_VERSION} {settings}"


@dataclass
class SeedResult:
    """What was seeded, the load-test accounts' new passwords and how long it took."""

    evaluation: Evaluation
    passwords: dict[str, str]
    counts: dict[str, int]
    seconds: dict[str, float] = field(default_factory=dict)


# --- the instrument -----------------------------------------------------------------------------


def national_instrument(library: Library | None = None) -> Instrument:
    """The example index grown to 40 items (eight per domain), every item asked of everyone.

    Questions are borrowed from the example's items of the same domain, so the rating form
    looks like a real one; the last item of every domain is reverse-keyed and one item in
    every other domain is optional, as in the scoring benchmark.
    """
    example = (library or Library()).instrument(SOURCE_INSTRUMENT)
    data = example.model_dump(mode="python")
    informants = [i.key for i in example.informants]
    items = []
    for d, domain in enumerate(example.domains):
        sources = [i for i in data["items"] if i["domain"] == domain.key]
        for k in range(ITEMS_PER_DOMAIN):
            source = sources[k % len(sources)]
            fallback = next(iter(source["informants"].values()))
            items.append(
                {
                    **source,
                    "key": f"{domain.key[:3]}_{k + 1}",
                    "reverse": k == ITEMS_PER_DOMAIN - 1,
                    "required": not (k == ITEMS_PER_DOMAIN - 2 and d % 2 == 0),
                    "informants": {
                        key: source["informants"].get(key, fallback) for key in informants
                    },
                }
            )
    data.update(
        key=INSTRUMENT_KEY,
        version=f"{GENERATOR_VERSION}",
        title="National scale test index (synthetic, 40 items; not for real use)",
        items=items,
        translations={},
    )
    return Instrument.model_validate(data)


# --- finding, refusing, replacing ---------------------------------------------------------------


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
    table = {m: connection.ops.quote_name(m._meta.db_table) for m in _BULK_MODELS}
    interviews = f"SELECT id FROM {table[Interview]} WHERE evaluation_id = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in (
            f"DELETE FROM {table[InterviewScore]} WHERE evaluation_id = %s",
            f"DELETE FROM {table[ConsensusRating]} WHERE interview_id IN ({interviews})",
            f"DELETE FROM {table[Rating]} WHERE sheet_id IN (SELECT id FROM "
            f"{table[RatingSheet]} WHERE interview_id IN ({interviews}))",
            f"DELETE FROM {table[RatingSheet]} WHERE interview_id IN ({interviews})",
            f"DELETE FROM {table[Interview]} WHERE evaluation_id = %s",
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
        existing = find_national()
        if existing is not None:
            if not replace:
                raise SeedingError(
                    f"The evaluation {NATIONAL_NAME!r} is already there (id {existing.pk}); "
                    "seed again only with replace, which deletes it first."
                )
            delete_national(existing)
            seconds["delete"] = time.perf_counter() - started
        passwords = reset_accounts()
        library = library or Library()
        instrument = national_instrument(library)
        stored = store_instrument(instrument, library.framework(instrument.framework))
        mark = time.perf_counter()
        seed = _prepare(plan, stored, instrument)
        checked_once = _check_keys_once()
        with _writer(progress, seed.total_rows()) as write:
            _write_ratings(seed, write)
            seconds["insert"] = time.perf_counter() - mark
            mark = time.perf_counter()
            scored = _write_scores(seed, write)
        seconds["scores"] = time.perf_counter() - mark
        if checked_once:
            mark = time.perf_counter()
            _check_keys()
            seconds["check keys"] = time.perf_counter() - mark
        mark = time.perf_counter()
        _analyse()
        seconds["analyse"] = time.perf_counter() - mark
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


@dataclass
class _Design:
    """Who and what every interview and sheet is about, as numpy arrays."""

    service: np.ndarray  # per peer worker
    interview_worker: np.ndarray
    interview_service: np.ndarray
    interview_round: np.ndarray
    interview_informant: np.ndarray
    interview_day: np.ndarray
    open_: np.ndarray  # bool per interview
    double: np.ndarray  # bool per interview
    sheet_interview: np.ndarray  # interview index per sheet
    sheet_rater: np.ndarray  # rater index per sheet (-1: the load-test rater)
    sheet_final: np.ndarray  # bool per sheet


def _design(plan: NationalPlan, n_informants: int, rng: np.random.Generator) -> _Design:
    n = plan.interviews
    worker_service = np.arange(plan.peer_workers) * plan.services // plan.peer_workers
    worker = np.arange(n) % plan.peer_workers
    round_ = np.arange(n) * plan.rounds // n
    informant = (np.arange(n) // plan.peer_workers) % n_informants
    day = round_ * 182 + rng.integers(0, 120, n)
    service = worker_service[worker]
    # Open interviews: the newest round's interviews in the load-test rater's services.
    candidates = np.flatnonzero(
        (round_ == plan.rounds - 1) & (service < min(BENCH_RATER_SERVICES, plan.services))
    )
    open_ = np.zeros(n, dtype=bool)
    if plan.open_interviews:
        open_[candidates[-plan.open_interviews :]] = True
    double = (rng.random(n) < plan.double_rated) & ~open_
    # Rater k covers the services s with s % raters in (k, k - 1): two raters per service.
    first = np.where(rng.random(n) < 0.5, service, service + 1) % plan.raters
    second = np.where(first == service % plan.raters, service + 1, service) % plan.raters
    rater = np.where(open_, -1, first)
    extra = np.flatnonzero(double)
    sheet_interview = np.concatenate([np.arange(n), extra])
    sheet_rater = np.concatenate([rater, second[extra]])
    order = np.argsort(sheet_interview, kind="stable")
    sheet_interview, sheet_rater = sheet_interview[order], sheet_rater[order]
    return _Design(
        service=worker_service,
        interview_worker=worker,
        interview_service=service,
        interview_round=round_,
        interview_informant=informant,
        interview_day=day,
        open_=open_,
        double=double,
        sheet_interview=sheet_interview,
        sheet_rater=sheet_rater,
        sheet_final=~open_[sheet_interview],
    )


def _ratings(
    plan: NationalPlan, instrument: Instrument, design: _Design, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Values (int16) and codes (index into :data:`CODES`) per sheet and item, and agreed values.

    A latent-trait model: service, peer worker, round and self-rating effects, an interview
    effect, item offsets and noise; a second rater disagrees by a point now and then.
    """
    n_items = len(instrument.items)
    scale = instrument.scale(instrument.items[0].scale)
    informant_keys = [i.key for i in instrument.informants]
    self_index = informant_keys.index("peer_worker") if "peer_worker" in informant_keys else -1
    service_effect = rng.normal(0, 0.35, plan.services)
    worker_effect = rng.normal(0, 0.3, plan.peer_workers)
    level = (
        3.0
        + service_effect[design.interview_service]
        + worker_effect[design.interview_worker]
        + 0.2 * design.interview_round
        + 0.35 * (design.interview_informant == self_index)
        + rng.normal(0, 0.35, plan.interviews)
    )
    offsets = rng.normal(0, 0.25, n_items)
    latent = level[:, None] + offsets[None, :] + rng.normal(0, 0.75, (plan.interviews, n_items))
    first = np.clip(np.rint(latent), scale.min, scale.max).astype(np.int16)
    reverse = np.asarray([item.reverse for item in instrument.items])
    first[:, reverse] = scale.min + scale.max - first[:, reverse]
    optional = np.asarray([not item.required for item in instrument.items])
    draw = rng.random((plan.interviews, n_items))
    codes = np.where(draw < 0.01 + 0.07 * optional, 1, np.where(draw > 0.985, 2, 0)).astype(np.int8)
    # One row per sheet: the first sheet of an interview has the first rater's values.
    is_second = np.zeros(len(design.sheet_interview), dtype=bool)
    is_second[1:] = design.sheet_interview[1:] == design.sheet_interview[:-1]
    values = first[design.sheet_interview]
    shift = rng.choice(
        np.asarray([-1, 0, 1], dtype=np.int16), size=values.shape, p=[0.08, 0.84, 0.08]
    )
    values[is_second] = np.clip(values[is_second] + shift[is_second], scale.min, scale.max)
    sheet_codes = codes[design.sheet_interview]
    # Draft sheets of open interviews are half filled.
    half = np.arange(n_items) >= n_items // 2
    sheet_codes[np.ix_(~design.sheet_final, half)] = -1
    return values, sheet_codes, first


@dataclass
class _Seed:
    """Everything to write, as numpy arrays indexed like the plan (not yet by database key)."""

    plan: NationalPlan
    instrument: Instrument
    evaluation: Evaluation
    design: _Design
    values: np.ndarray  # int16 per sheet and item
    codes: np.ndarray  # index into CODES per sheet and item; -1: not rated (yet)
    agreed: np.ndarray  # int16 per interview and item: the agreed value when double-rated
    lead: int
    service_ids: np.ndarray
    round_ids: np.ndarray
    worker_ids: np.ndarray
    interview_ids: np.ndarray
    sheet_ids: np.ndarray
    sheet_raters: np.ndarray  # account key per sheet
    now: dt.datetime

    @property
    def item_keys(self) -> np.ndarray:
        return np.asarray([item.key for item in self.instrument.items], dtype=object)

    @property
    def informant_keys(self) -> np.ndarray:
        return np.asarray([i.key for i in self.instrument.informants], dtype=object)

    def counts(self) -> dict[str, int]:
        double = int(self.design.double.sum())
        return {
            "services": self.plan.services,
            "peer_workers": self.plan.peer_workers,
            "rounds": self.plan.rounds,
            "interviews": self.plan.interviews,
            "final_interviews": int((~self.design.open_).sum()),
            "double_rated": double,
            "sheets": len(self.sheet_ids),
            "ratings": int((self.codes >= 0).sum()),
            "consensus_ratings": double * len(self.instrument.items),
        }

    def total_rows(self) -> int:
        counts = self.counts()
        return (
            counts["interviews"]
            + counts["sheets"]
            + counts["ratings"]
            + counts["consensus_ratings"]
            + counts["final_interviews"]
        )


def _prepare(plan: NationalPlan, stored: StoredInstrument, instrument: Instrument) -> _Seed:
    """Draw the data, and create the evaluation, its services, rounds, people and keys."""
    rng = np.random.default_rng(plan.seed)
    design = _design(plan, len(instrument.informants), rng)
    values, codes, agreed = _ratings(plan, instrument, design, rng)
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
    return _Seed(
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
        interview_ids=_allocate(Interview, plan.interviews),
        sheet_ids=_allocate(RatingSheet, len(design.sheet_interview)),
        sheet_raters=np.where(
            design.sheet_rater < 0, users[RATER].pk, pool[np.maximum(design.sheet_rater, 0)]
        ),
        now=timezone.now(),
    )


def _write_ratings(seed: _Seed, write: Write) -> None:
    """Interviews, rating sheets, ratings and agreed ratings."""
    design, n = seed.design, seed.plan.interviews
    start = dt.date(2022, 1, 10)
    write(
        Interview,
        {
            "id": seed.interview_ids,
            "evaluation": np.full(n, seed.evaluation.pk),
            "service": seed.service_ids[design.interview_service],
            "peer_worker": seed.worker_ids[design.interview_worker],
            "round": seed.round_ids[design.interview_round],
            "informant": seed.informant_keys[design.interview_informant],
            "date": [start + dt.timedelta(days=int(d)) for d in design.interview_day],
            "code": [f"N-{k + 1:06d}" for k in range(n)],
            "double_rated": design.double,
            "status": np.where(design.open_, Interview.Status.DRAFT, Interview.Status.FINAL),
            "version": np.ones(n, dtype=np.int64),
            "created_at": [seed.now] * n,
            "created_by": np.full(n, seed.lead),
        },
    )
    final = design.sheet_final
    n_sheets = len(seed.sheet_ids)
    write(
        RatingSheet,
        {
            "id": seed.sheet_ids,
            "interview": seed.interview_ids[design.sheet_interview],
            "rater": seed.sheet_raters,
            "status": np.where(final, RatingSheet.Status.FINAL, RatingSheet.Status.DRAFT),
            "notes": [""] * n_sheets,
            "version": np.where(final, 2, 1),
            "updated_at": [seed.now] * n_sheets,
            "finalised_at": [seed.now if f else None for f in final],
        },
    )
    code_text = np.asarray(CODES, dtype=object)
    items = seed.item_keys
    step = max(1, COPY_CHUNK // len(items))
    for begin in range(0, n_sheets, step):
        rows = slice(begin, begin + step)
        given = seed.codes[rows] >= 0
        codes = seed.codes[rows][given]
        values = seed.values[rows][given].astype(object)
        values[codes > 0] = None
        write(
            Rating,
            {
                "sheet": np.repeat(seed.sheet_ids[rows], given.sum(axis=1)),
                "item": np.broadcast_to(items, given.shape)[given],
                "value": values,
                "code": code_text[codes],
            },
        )
    double = np.flatnonzero(design.double)
    codes = seed.codes[np.searchsorted(design.sheet_interview, double)]  # same on both sheets
    values = seed.agreed[double].astype(object)
    values[codes > 0] = None
    size = len(double) * len(items)
    write(
        ConsensusRating,
        {
            "interview": np.repeat(seed.interview_ids[double], len(items)),
            "item": np.tile(items, len(double)),
            "value": values.ravel(),
            "code": code_text[codes.ravel()],
            "reason": [""] * size,
            "recorded_by": np.full(size, seed.lead),
            "recorded_at": [seed.now] * size,
        },
    )


def _write_scores(seed: _Seed, write: Write) -> int:
    """Score every final interview with the core, a chunk at a time, and cache the scores.

    The ratings handed to the core are built exactly as
    :func:`~peerprinciples.web.interviews.scores.refresh_scores` reads them from the
    database (raters named ``rater-<account>``, agreed ratings as the consensus rater), and
    the scores are stored the same way, so the cache equals what the web pages would compute.
    """
    design, items = seed.design, seed.item_keys
    final = np.flatnonzero(~design.open_)
    rating_text = np.asarray([str(v) for v in range(-1, 100)] + list(CODES[1:]), dtype=object)
    stored = 0
    for begin in range(0, len(final), SCORE_CHUNK):
        chunk = final[begin : begin + SCORE_CHUNK]
        sheets = np.flatnonzero(np.isin(design.sheet_interview, chunk))
        double = chunk[design.double[chunk]]
        first = np.searchsorted(design.sheet_interview, double)
        interview = np.concatenate([design.sheet_interview[sheets], double])
        codes = np.concatenate([seed.codes[sheets], seed.codes[first]])
        values = np.concatenate([seed.values[sheets], seed.agreed[double]])
        raters = np.concatenate(
            [
                np.asarray([f"rater-{r}" for r in seed.sheet_raters[sheets]], dtype=object),
                np.full(len(double), CONSENSUS_RATER, dtype=object),
            ]
        )
        text = rating_text[np.where(codes > 0, 100 + codes, values.astype(np.int64) + 1)]
        keys = seed.interview_ids[interview].astype(str).astype(object)
        frame = pd.DataFrame(
            {
                "interview": np.repeat(keys, len(items)),
                "informant": np.repeat(
                    seed.informant_keys[design.interview_informant[interview]], len(items)
                ),
                "item": np.tile(items, len(interview)),
                "rating": text.ravel(),
                "rater": np.repeat(raters, len(items)),
            }
        )
        scores = score(
            read_ratings(frame, seed.instrument, layout="long", name="interview ratings"),
            aggregate_by=[()],
            gap_by=[()],
        )
        domains, total = _by_interview(scores.final("domain"), scores.final("total"))
        ids = seed.interview_ids[chunk]
        write(
            InterviewScore,
            {
                "interview": ids,
                "evaluation": np.full(len(chunk), seed.evaluation.pk),
                "service": seed.service_ids[design.interview_service[chunk]],
                "round": seed.round_ids[design.interview_round[chunk]],
                "peer_worker": seed.worker_ids[design.interview_worker[chunk]],
                "informant": seed.informant_keys[design.interview_informant[chunk]],
                "domains": [domains.get(str(i), {}) for i in ids],
                "total": [total.get(str(i)) for i in ids],
                "computed_at": [seed.now] * len(chunk),
            },
        )
        stored += len(chunk)
    return stored


def _by_interview(
    domains: pd.DataFrame, totals: pd.DataFrame
) -> tuple[dict[str, dict[str, float | None]], dict[str, float | None]]:
    """The core's final domain and total scores by interview, as the score cache keeps them."""
    by_interview: dict[str, dict[str, float | None]] = {}
    for key, domain, value in zip(
        domains["interview"].astype(str),
        domains["domain"].astype(str),
        domains["score"],
        strict=True,
    ):
        by_interview.setdefault(key, {})[domain] = None if math.isnan(value) else float(value)
    total = {
        str(k): (None if math.isnan(v) else float(v))
        for k, v in zip(totals["interview"], totals["score"], strict=True)
    }
    return by_interview, total


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


def _allocate(model: type[models.Model], n: int) -> np.ndarray:
    """Reserve ``n`` primary keys for rows written with explicit keys."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, n],
            )
            return np.asarray([row[0] for row in cursor.fetchall()], dtype=np.int64)
    highest = model.objects.aggregate(top=models.Max("pk"))["top"] or 0
    return np.arange(highest + 1, highest + 1 + n, dtype=np.int64)


Write = Callable[[type[models.Model], dict[str, Sequence[Any]]], None]
"""Writes columns of rows (field name -> values) into a model's table."""


@contextmanager
def _writer(progress: bool, total: int) -> Iterator[Write]:
    """A function writing columns of rows into a table: ``COPY`` on PostgreSQL."""
    with tqdm(
        total=total,
        desc="seeding",
        unit="row",
        unit_scale=True,
        file=sys.stderr,
        disable=not progress or None,
    ) as bar:

        def write(model: type[models.Model], columns: dict[str, Sequence[Any]]) -> None:
            fields = [model._meta.get_field(name) for name in columns]
            data = [c.tolist() if isinstance(c, np.ndarray) else list(c) for c in columns.values()]
            postgres = connection.vendor == "postgresql"
            for position, column in enumerate(fields):
                if postgres and isinstance(column, models.JSONField):
                    data[position] = [json.dumps(value) for value in data[position]]
            n = len(data[0]) if data else 0
            if postgres:
                names = ", ".join(connection.ops.quote_name(f.column) for f in fields)  # type: ignore[union-attr]
                sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN"
                with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                    for row in zip(*data, strict=True):
                        copy.write_row(row)
            else:
                attnames = [f.attname for f in fields]  # type: ignore[union-attr]
                model._default_manager.bulk_create(
                    [
                        model(**dict(zip(attnames, row, strict=True)))
                        for row in zip(*data, strict=True)
                    ],
                    batch_size=500,
                )
            bar.update(n)

        yield write


_BULK_MODELS: tuple[type[models.Model], ...] = (
    Interview,
    RatingSheet,
    Rating,
    ConsensusRating,
    InterviewScore,
)


def _check_keys_once() -> bool:
    """Check foreign keys once per table after loading, instead of once per row, if allowed.

    PostgreSQL checks every foreign key of every copied row with a query of its own (at
    commit: Django's keys are deferred), which costs more than the copy itself. Where the
    database role may switch that off for this transaction (``session_replication_role``,
    normally a superuser's right), :func:`_check_keys` then checks every key of the loaded
    tables with one set-based query per key, and the seed fails if any row points nowhere.
    Elsewhere the row-by-row checks stay.
    """
    if connection.vendor != "postgresql":
        return False
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        return False
    return True


def _check_keys() -> None:
    """Raise :class:`SeedingError` if any loaded row's foreign key points to no row."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = origin")
        for model in _BULK_MODELS:
            for key in model._meta.concrete_fields:
                if not key.is_relation or key.related_model is None:
                    continue
                target = key.target_field  # type: ignore[attr-defined]
                cursor.execute(
                    f"SELECT count(*) FROM {quote(model._meta.db_table)} AS child "
                    f"WHERE child.{quote(key.column)} IS NOT NULL AND NOT EXISTS "
                    f"(SELECT 1 FROM {quote(target.model._meta.db_table)} AS parent "
                    f"WHERE parent.{quote(target.column)} = child.{quote(key.column)})"
                )
                (orphans,) = cursor.fetchone()
                if orphans:
                    raise SeedingError(
                        f"{orphans} row(s) of {model._meta.label} point to no "
                        f"{target.model._meta.label} through {key.name}: nothing was saved."
                    )


def _analyse() -> None:
    """Refresh the planner's statistics, so the first queries after a seed use the indexes."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in _BULK_MODELS:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
