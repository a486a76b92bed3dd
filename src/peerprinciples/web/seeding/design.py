"""The synthetic data of the national seed: who rated which interview, and the ratings.

Everything is drawn from one seeded numpy generator, so the same plan gives the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from peerprinciples.core.instruments import Instrument
from peerprinciples.web.seeding.plan import BENCH_RATER_SERVICES, NationalPlan


@dataclass
class Design:
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


def draw_design(plan: NationalPlan, n_informants: int, rng: np.random.Generator) -> Design:
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
    return Design(
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


def draw_ratings(
    plan: NationalPlan, instrument: Instrument, design: Design, rng: np.random.Generator
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
