"""Synthetic ratings for demonstrations and tests: realistic in shape, about no one.

The generator follows a simple latent-trait model. Each peer worker has a level of fidelity
to each principle, made of a service effect, a peer worker effect and a principle-specific
deviation, and improves a little from round to round. Each interview adds its own effect and
the informant's tendency (peer workers rate themselves a bit higher than their supervisors
and the people they support do); each item adds a small offset and noise. The latent value is
rounded to the nearest point of the scale, and reversed for reverse-keyed items. This gives
the internal consistency of a real index (Cronbach's alpha near 0.8), differences between
services, improvement between rounds and a positive self-rating gap.

About a fifth of interviews are rated by a second rater, who disagrees by one point now and
then; half of those carry agreed ratings (rater ``consensus``). A few ratings are special
codes: ``II`` (insufficient information) here and there, ``NA`` (not applicable) more often on
optional items.

Every identifier is pseudonymous and marked as synthetic: interviews are ``DEMO-0001``...,
services ``S01``..., peer workers ``PW-S01-03``..., raters ``R01``....
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.ratings import CONSENSUS_RATER, asked_matrix

DEMO_PREFIX = "DEMO-"
"""The prefix of every synthetic interview id."""

SELF_BIAS = 0.35
"""How much higher, on the latent scale, peer workers rate their own practice."""

ROUND_GAIN = 0.25
"""Latent improvement from one round to the next."""


def demo_ratings(
    instrument: Instrument,
    *,
    seed: int = 2017,
    services: int = 4,
    rounds: int = 2,
    peer_workers: int = 4,
    supported_people: int = 2,
    double_rated: float = 0.2,
    raters: int = 6,
) -> pd.DataFrame:
    """Make a synthetic ratings table in the long layout.

    Parameters
    ----------
    instrument
        The instrument rated; its informants, items, scales and codes shape the data. The
        informants ``peer_worker``, ``supervisor`` and ``supported_person`` are interviewed
        once, once and ``supported_people`` times per peer worker and round; other informants
        once.
    seed
        The seed of the random generator: the same seed gives the same table.
    services
        How many services take part.
    rounds
        How many rounds of interviews there are.
    peer_workers
        Peer workers per service.
    supported_people
        Interviews with people receiving support, per peer worker and round.
    double_rated
        The share of interviews rated by a second rater.
    raters
        How many raters there are.

    Returns
    -------
    pandas.DataFrame
        Columns ``interview``, ``informant``, ``item``, ``rating`` (text: a point of the
        scale or a code), ``rater``, ``service``, ``peer_worker``, ``round`` and ``date``
        (text, YYYY-MM-DD).

    Raises
    ------
    ValueError
        When a count is not positive or ``double_rated`` is not between 0 and 1.
    """
    for name, count in (
        ("services", services),
        ("rounds", rounds),
        ("peer_workers", peer_workers),
        ("raters", raters),
    ):
        if count < 1:
            raise ValueError(f"{name} must be at least 1, not {count}.")
    if supported_people < 0:
        raise ValueError(f"supported_people must be 0 or more, not {supported_people}.")
    if not 0 <= double_rated <= 1:
        raise ValueError(f"double_rated must be between 0 and 1, not {double_rated}.")
    if double_rated > 0 and raters < 2:
        raise ValueError("double rating needs at least 2 raters.")

    rng = np.random.default_rng(seed)
    informants = [informant.key for informant in instrument.informants]
    domains = [domain.key for domain in instrument.domains]
    items = instrument.items
    n_items = len(items)
    item_domain = np.asarray([domains.index(item.domain) for item in items])
    low = np.asarray([instrument.scale(item.scale).min for item in items], dtype=float)
    high = np.asarray([instrument.scale(item.scale).max for item in items], dtype=float)
    reverse = np.asarray([item.reverse for item in items])
    optional = ~np.asarray([item.required for item in items])
    asked = asked_matrix(instrument)
    bias = {"peer_worker": SELF_BIAS, "supervisor": 0.0, "supported_person": -0.05}
    per_round = {"peer_worker": 1, "supervisor": 1, "supported_person": supported_people}

    # --- who is interviewed: one row per interview ---------------------------------------------
    service_effect = rng.normal(0.0, 0.3, services)
    rows: list[tuple[int, int, int, int]] = []  # service, peer worker, round, informant
    for s in range(services):
        for w in range(peer_workers):
            for r in range(rounds):
                for i, informant in enumerate(informants):
                    rows += [(s, w, r, i)] * per_round.get(informant, 1)
    plan = np.asarray(rows, dtype=np.intp).reshape(-1, 4)
    service, worker, round_, informant_index = plan.T
    n_interviews = len(plan)
    worker_id = service * peer_workers + worker
    worker_effect = rng.normal(0.0, 0.3, services * peer_workers)
    worker_domain = rng.normal(0.0, 0.2, (services * peer_workers, len(domains)))
    informant_bias = np.asarray([bias.get(key, 0.0) for key in informants])[informant_index]
    interview_effect = rng.normal(0.0, 0.25, n_interviews)
    centre = low + (high - low) * 0.55
    level = (
        service_effect[service]
        + worker_effect[worker_id]
        + ROUND_GAIN * round_
        + informant_bias
        + interview_effect
    )

    # --- ratings: interview × item ---------------------------------------------------------------
    item_offset = rng.normal(0.0, 0.2, n_items)
    latent = (
        centre[None, :]
        + level[:, None]
        + worker_domain[worker_id][:, item_domain]
        + item_offset[None, :]
        + rng.normal(0.0, 1.1, (n_interviews, n_items))
    )
    points = np.clip(np.rint(latent), low, high)
    points = np.where(reverse[None, :], low + high - points, points)
    code_keys = [code.code for code in instrument.codes]
    codes = np.full(points.shape, "", dtype=object)
    if "II" in code_keys:
        codes[rng.random(points.shape) < 0.015] = "II"
    if "NA" in code_keys:
        codes[(rng.random(points.shape) < 0.12) & optional[None, :]] = "NA"
    first_rater = rng.integers(0, raters, n_interviews)
    second = rng.random(n_interviews) < double_rated
    second_rater = (first_rater + rng.integers(1, max(raters, 2), n_interviews)) % raters
    with_consensus = second & (rng.random(n_interviews) < 0.5)

    interview_ids = np.asarray([f"{DEMO_PREFIX}{k + 1:04d}" for k in range(n_interviews)])
    service_ids = np.asarray([f"S{s + 1:02d}" for s in range(services)])
    worker_ids = np.asarray(
        [f"PW-S{s + 1:02d}-{w + 1:02d}" for s in range(services) for w in range(peer_workers)]
    )
    rater_ids = np.asarray([f"R{r + 1:02d}" for r in range(raters)] + [CONSENSUS_RATER])
    day = rng.integers(0, 60, n_interviews)
    dates = (
        np.datetime64("2024-03-01")
        + (round_ * 182).astype("timedelta64[D]")
        + day.astype("timedelta64[D]")
    )

    cell_interview, cell_item = np.nonzero(asked[informant_index])
    first_points = points[cell_interview, cell_item]
    first_codes = codes[cell_interview, cell_item]
    parts = [(cell_interview, cell_item, first_points, first_codes, first_rater[cell_interview])]

    double = second[cell_interview]
    d_interview, d_item = cell_interview[double], cell_item[double]
    step = rng.choice([-1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0], len(d_item))
    second_points = np.clip(first_points[double] + step, low[d_item], high[d_item])
    second_codes = first_codes[double].copy()
    second_codes[(rng.random(len(d_item)) < 0.01) & (second_codes == "")] = "II"
    parts.append((d_interview, d_item, second_points, second_codes, second_rater[d_interview]))

    agreed = with_consensus[d_interview]
    keep_first = rng.random(int(agreed.sum())) < 0.5
    agreed_points = np.where(keep_first, first_points[double][agreed], second_points[agreed])
    agreed_codes = first_codes[double][agreed]
    parts.append(
        (
            d_interview[agreed],
            d_item[agreed],
            agreed_points,
            agreed_codes,
            np.full(int(agreed.sum()), raters),
        )
    )

    interview = np.concatenate([p[0] for p in parts])
    item = np.concatenate([p[1] for p in parts])
    value = np.concatenate([p[2] for p in parts]).astype(np.int64).astype(str).astype(object)
    code = np.concatenate([p[3] for p in parts])
    rating = np.where(code != "", code, value)
    rater = np.concatenate([p[4] for p in parts])
    order = np.lexsort((rater == raters, rater, item, interview))
    interview, item, rating, rater = interview[order], item[order], rating[order], rater[order]
    item_keys = np.asarray([it.key for it in items])
    return pd.DataFrame(
        {
            "interview": interview_ids[interview],
            "informant": np.asarray(informants)[informant_index[interview]],
            "item": item_keys[item],
            "rating": rating.astype(str),
            "rater": rater_ids[rater],
            "service": service_ids[service[interview]],
            "peer_worker": worker_ids[worker_id[interview]],
            "round": round_[interview] + 1,
            "date": np.datetime_as_string(dates[interview], unit="D"),
        }
    )


def write_demo_ratings(
    path: Path | str,
    instrument: Instrument | None = None,
    *,
    seed: int = 2017,
    services: int = 4,
    rounds: int = 2,
) -> Path:
    """Write synthetic ratings to a CSV file (UTF-8).

    Parameters
    ----------
    path
        The file to write.
    instrument
        The instrument; by default the built-in example index.
    seed, services, rounds
        As for :func:`demo_ratings`.

    Returns
    -------
    pathlib.Path
        The path written.
    """
    if instrument is None:
        from peerprinciples.core.library import Library

        instrument = Library().instrument("enrich-example-index")
    table = demo_ratings(instrument, seed=seed, services=services, rounds=rounds)
    target = Path(path)
    table.to_csv(target, index=False, encoding="utf-8", lineterminator="\n")
    return target
