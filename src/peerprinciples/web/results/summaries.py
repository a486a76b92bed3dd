"""Computing summaries of cached scores: by service, round and informant, and suppression.

Nothing here renders or stores anything. :func:`score_frame` turns
:class:`~peerprinciples.web.interviews.models.InterviewScore` rows into a table,
:func:`summarise` gives the mean, standard deviation and number of interviews of every
measure for every group of :data:`AXES` ("all" included), and :func:`suppressed` hides, for
people who see aggregates only, every summary of fewer than ``settings.SMALL_NUMBER_THRESHOLD``
interviews or about fewer than ``settings.SMALL_NUMBER_PEER_WORKERS`` peer workers, with
whatever they could be worked out from (the rule itself is the core's
:mod:`peerprinciples.core.suppression`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings

from peerprinciples.core.suppression import (
    FEW_WORKERS,
    LINKED,
    OTHERS,
    SMALL,
    few_workers,
    suppress,
)

__all__ = [
    "AXES",
    "EMPTY",
    "FEW_WORKERS",
    "LINKED",
    "OTHERS",
    "SCORE_COLUMNS",
    "SELF_INFORMANT",
    "SMALL",
    "TOTAL",
    "Cube",
    "Key",
    "Summary",
    "few_workers",
    "peer_worker_counts",
    "protect_others",
    "score_frame",
    "summarise",
    "suppress",
    "suppressed",
    "threshold",
    "worker_threshold",
]

TOTAL = "total"
"""The measure key of the total score (domain keys are the others)."""

SELF_INFORMANT = "peer_worker"
"""The informant whose own view is compared with everyone else's (as the core does)."""

AXES = ("service", "round", "informant")

Key = tuple[int | None, int | None, str | None]
"""A group: (service id, round id, informant key), where ``None`` means all of them."""


def threshold() -> int:
    """The smallest number of interviews a summary may show to people who see aggregates."""
    return int(settings.SMALL_NUMBER_THRESHOLD)


def worker_threshold() -> int:
    """The smallest number of peer workers a summary may be about, for the same people."""
    return int(settings.SMALL_NUMBER_PEER_WORKERS)


@dataclass(frozen=True)
class Summary:
    """The scores of one group of interviews: how many, their mean and standard deviation.

    ``hidden`` is ``""`` when the summary may be shown, :data:`SMALL` or :data:`LINKED`
    when it is hidden to protect privacy.
    """

    n: int
    mean: float | None
    sd: float | None
    hidden: str = ""

    @property
    def shown(self) -> bool:
        """Whether there is a score to show (some interviews, not hidden)."""
        return self.n > 0 and self.mean is not None and not self.hidden

    def hide(self, reason: str) -> Summary:
        """The same summary, hidden for ``reason``."""
        return Summary(self.n, self.mean, self.sd, reason)


EMPTY = Summary(0, None, None)


SCORE_COLUMNS = ("service_id", "round_id", "informant", "domains", "total", "peer_worker_id")
"""The :class:`InterviewScore` fields :func:`score_frame` reads, in order."""


def score_frame(
    scores: Iterable[tuple[int, int, str, dict[str, float | None], float | None, int | None]],
    measures: Sequence[str],
) -> pd.DataFrame:
    """Cached scores as a table: service, round, informant, one column per measure, and the
    peer worker (``None`` for an interview about a service as a whole).

    ``scores`` are rows of :class:`InterviewScore`'s :data:`SCORE_COLUMNS`; a domain missing
    from ``domains`` has no score.
    """
    rows = list(scores)
    domains = pd.DataFrame.from_records(
        [row[3] for row in rows], columns=[m for m in measures if m != TOTAL]
    )
    frame = domains.astype(float) if len(rows) else domains
    frame.insert(0, "service", [row[0] for row in rows])
    frame.insert(1, "round", [row[1] for row in rows])
    frame.insert(2, "informant", [row[2] for row in rows])
    frame[TOTAL] = [row[4] for row in rows]
    frame[TOTAL] = frame[TOTAL].astype(float)
    frame["peer_worker"] = pd.array([row[5] for row in rows], dtype="Int64")
    return frame


Cube = dict[str, dict[Key, "Summary"]]
"""Summaries of every measure (outer key) for every group (inner key)."""


def peer_worker_counts(frame: pd.DataFrame, measures: Sequence[str]) -> dict[str, dict[Key, int]]:
    """How many different peer workers the scored interviews of every group are about.

    The groups are :func:`summarise`'s (every combination of :data:`AXES`, margins
    included), counted per measure over the interviews with a score for it; interviews
    about a service as a whole count no one.
    """
    found: dict[str, dict[Key, int]] = {measure: {} for measure in measures}
    if frame.empty:
        return found
    for measure in measures:
        scored = frame.loc[frame[measure].notna() & frame["peer_worker"].notna()]
        for kept in itertools.product((True, False), repeat=len(AXES)):
            columns = [axis for axis, keep in zip(AXES, kept, strict=True) if keep]
            if columns:
                counted = scored.groupby(columns, sort=False)["peer_worker"].nunique()
                pairs = [(i if isinstance(i, tuple) else (i,), int(n)) for i, n in counted.items()]
            else:
                pairs = [((), int(scored["peer_worker"].nunique()))]
            for index, n in pairs:
                values = iter(index)
                key: Key = tuple(  # type: ignore[assignment]
                    _plain(next(values)) if keep else None for keep in kept
                )
                found[measure][key] = n
    return found


def summarise(
    frame: pd.DataFrame, measures: Sequence[str], axes: Sequence[str] = AXES
) -> dict[str, dict[Key, Summary]]:
    """Summaries of every measure for every group of ``axes``, margins ("all") included.

    ``axes`` are three columns of ``frame``: :data:`AXES` by default; the per-peer-worker
    results group by ``("peer_worker", "round", "informant")`` instead.

    The mean and standard deviation (n − 1) of the interviews that have a score; ``n``
    counts those interviews.

    Notes
    -----
    One grouped sum per combination of axes gives, for every measure, the count ``n``, the
    sum and the sum of squares of the scores (centred on the measure's overall mean, which
    keeps the variance ``(Σx² − (Σx)²/n) / (n − 1)`` accurate); means and standard
    deviations follow from those.
    """
    cube: dict[str, dict[Key, Summary]] = {measure: {} for measure in measures}
    if frame.empty:
        return cube
    values = frame[list(measures)].to_numpy(dtype=float)
    present = ~np.isnan(values)
    width = len(measures)
    counts = present.sum(axis=0)
    centre = np.divide(
        np.where(present, values, 0.0).sum(axis=0), counts, out=np.zeros(width), where=counts > 0
    )
    centred = np.where(present, values - centre, 0.0)
    parts = pd.DataFrame(
        np.hstack([present.astype(float), centred, centred**2]),
        index=frame.index,
    )
    for kept in itertools.product((True, False), repeat=len(axes)):
        columns = [axis for axis, keep in zip(axes, kept, strict=True) if keep]
        if columns:
            sums = parts.groupby([frame[c] for c in columns], sort=False).sum()
            indexes = [i if isinstance(i, tuple) else (i,) for i in sums.index]
            table = sums.to_numpy()
        else:
            indexes = [()]
            table = parts.to_numpy().sum(axis=0, keepdims=True)
        for index, row in zip(indexes, table, strict=True):
            found = iter(index)
            key: Key = tuple(  # type: ignore[assignment]
                _plain(next(found)) if keep else None for keep in kept
            )
            for position, measure in enumerate(measures):
                n = round(row[position])
                total, squares = row[width + position], row[2 * width + position]
                mean = centre[position] + total / n if n else None
                sd = math.sqrt(max(squares - total * total / n, 0.0) / (n - 1)) if n > 1 else None
                cube[measure][key] = Summary(n, None if mean is None else float(mean), sd)
    return cube


def _plain(value: object) -> int | str:
    return value.item() if isinstance(value, np.generic) else value  # type: ignore[return-value]


def suppressed(
    cube: dict[str, dict[Key, Summary]], workers: dict[str, dict[Key, int]], minimum: int
) -> dict[str, dict[Key, Summary]]:
    """``cube`` as people who see aggregates only see it: small groups hidden, with every
    summary they could be worked out from (see :func:`peerprinciples.core.suppression.suppress`).
    """
    result = {}
    least = worker_threshold()
    for measure, summaries in cube.items():
        hidden = suppress(
            {key: s.n for key, s in summaries.items()},
            minimum,
            also=few_workers(workers[measure], least),
        )
        result[measure] = {
            key: s.hide(hidden[key]) if key in hidden else s for key, s in summaries.items()
        }
    return result


def protect_others(
    cube: Mapping[str, Mapping[Key, Summary]],
    others: Mapping[str, Mapping[Key, int]],
    others_workers: Mapping[str, Mapping[Key, int]],
    minimum: int,
) -> dict[str, dict[Key, Summary]]:
    """``cube`` with every summary hidden that shows a small group of other services'
    interviews (few interviews, or interviews about few peer workers).

    ``others`` and ``others_workers`` count the interviews and peer workers from services
    outside the reader's, for the groups over all services. Suppression among them
    (:func:`suppress`) keeps a hidden group from being worked out from the margins shown.
    """
    result = {}
    least = worker_threshold()
    for measure, summaries in cube.items():
        counts = dict(others[measure])
        hidden = suppress(counts, minimum, also=few_workers(others_workers[measure], least, counts))
        result[measure] = {
            key: (
                summary.hide(OTHERS if hidden[key] in (SMALL, FEW_WORKERS) else LINKED)
                if key in hidden
                else summary
            )
            for key, summary in summaries.items()
        }
    return result
