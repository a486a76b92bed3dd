"""Results read from the score cache: summaries by round and informant, gaps and suppression.

Pages never score anything. They read :class:`~peerprinciples.web.interviews.models.InterviewScore`
rows (one per final interview, written by the core) with one indexed query and summarise them
with pandas: the mean, standard deviation and number of interviews of every principle's
score and the total, for every service, round and informant and for every combination of
them ("all" included).

People who see aggregates only never see a summary of fewer than
``settings.SMALL_NUMBER_THRESHOLD`` interviews. Hiding a small group is not enough when the
group's total and its other members are shown, because the hidden mean could then be worked
out by subtraction; so :func:`suppress` also hides as few other summaries as it takes to
prevent that (complementary suppression, applied across services, rounds and informants
together so that every page agrees).

The psychometrics page is different: it runs the core's quality summary over the final
ratings themselves (:func:`quality`), exactly as the command line does.

Both are kept in Django's cache (per process, see ``CACHES`` in the settings) under a key
holding the evaluation's ``results_version``, which goes up in the same transaction as any
change to the cached scores or to the services and rounds the pages list. A key is
therefore never stale: a change makes the pages use new keys, and old entries are simply
never read again until the cache drops them.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.conf import settings
from django.core.cache import cache

from peerprinciples.core.analysis import analyse
from peerprinciples.core.charts import group_means_chart
from peerprinciples.core.documents import DocumentError
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.psychometrics import (
    DomainQuality,
    ItemQuality,
    PsychometricsError,
    QualityFlag,
    QualityReport,
)
from peerprinciples.core.ratings import read_ratings
from peerprinciples.web.evaluations.models import Evaluation, PeerWorker, Round, Service
from peerprinciples.web.interviews.models import Interview, InterviewScore
from peerprinciples.web.interviews.scores import final_ratings

TOTAL = "total"
"""The measure key of the total score (domain keys are the others)."""

SELF_INFORMANT = "peer_worker"
"""The informant whose own view is compared with everyone else's (as the core does)."""

SMALL = "small"
"""Why a summary is hidden: it covers fewer interviews than the threshold."""

LINKED = "linked"
"""Why a summary is hidden: otherwise a small group could be worked out by subtraction."""

FEW_WORKERS = "few-peer-workers"
"""Why a summary is hidden: its interviews are about fewer peer workers than
``settings.SMALL_NUMBER_PEER_WORKERS``, so it would describe one person's practice."""

OTHERS = "others"
"""Why a summary is hidden from a reader whose rights cover some services only: it holds
fewer than the threshold of interviews from the other services, which the reader could work
out by taking away their own services' interviews."""

QUALITY_MIN_INTERVIEWS = 10
"""Final interviews the quality checks need before they are shown. With fewer, alpha and the
other statistics swing so widely from one interview to the next that they say nothing (the
core computes them from two cases, where alpha can come out as −3)."""

AXES = ("service", "round", "informant")

Key = tuple[int | None, int | None, str | None]
"""A group: (service id, round id, informant key), where ``None`` means all of them."""


def threshold() -> int:
    """The smallest number of interviews a summary may show to people who see aggregates."""
    return int(settings.SMALL_NUMBER_THRESHOLD)


def worker_threshold() -> int:
    """The smallest number of peer workers a summary may be about, for the same people."""
    return int(settings.SMALL_NUMBER_PEER_WORKERS)


# --- the cache -------------------------------------------------------------------------------


def cache_key(evaluation: Evaluation, *parts: object) -> str:
    """A cache key for something worked out from the evaluation's results.

    It holds the evaluation's ``results_version`` (so it changes whenever the results may
    have), the small-number threshold, and the evaluation's creation time beside its
    primary key (so an evaluation of another database reusing the key never shares it).
    ``parts`` say what is kept and for whom.
    """
    raw = repr(
        (
            evaluation.pk,
            evaluation.created_at.isoformat() if evaluation.created_at else "",
            evaluation.results_version,
            threshold(),
            worker_threshold(),
            *parts,
        )
    )
    return "peerprinciples.results." + hashlib.sha256(raw.encode()).hexdigest()


# --- summaries --------------------------------------------------------------------------------


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


def summarise(frame: pd.DataFrame, measures: Sequence[str]) -> dict[str, dict[Key, Summary]]:
    """Summaries of every measure for every group of :data:`AXES`, margins ("all") included.

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
    for kept in itertools.product((True, False), repeat=len(AXES)):
        columns = [axis for axis, keep in zip(AXES, kept, strict=True) if keep]
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


# --- suppression ---------------------------------------------------------------------------------


def _partitions(keys: Iterable[Key]) -> list[tuple[Key, list[Key]]]:
    """Every margin with the groups that add up to it along one axis."""
    groups: dict[tuple[Key, int], list[Key]] = defaultdict(list)
    for key in keys:
        for axis, value in enumerate(key):
            if value is not None:
                margin: Key = (*key[:axis], None, *key[axis + 1 :])  # type: ignore[assignment]
                groups[(margin, axis)].append(key)
    return sorted(
        ((margin, sorted(cells, key=repr)) for (margin, _), cells in groups.items()),
        key=lambda entry: repr(entry[0]),
    )


def suppress(
    counts: Mapping[Key, int], minimum: int, *, also: Iterable[Key] = ()
) -> dict[Key, str]:
    """Which summaries to hide, and why, so that no group of fewer than ``minimum`` shows.

    First every group with ``0 < n < minimum`` is hidden (:data:`SMALL`), and every other
    group of ``also`` that holds interviews (:data:`FEW_WORKERS`: groups to hide for another
    reason, such as being about too few peer workers). Then, for every
    margin and the groups that add up to it along one axis: when the margin is shown, the
    hidden groups could be worked out together from it, so there must be none, or at least
    two covering ``minimum`` interviews or more between them; when the margin is hidden, at
    least one of its groups must be hidden too, or the margin could be added up. Where a rule
    fails, the smallest shown group (or else the margin) is hidden as well (:data:`LINKED`),
    and the rules are checked again until all hold.

    Parameters
    ----------
    counts
        The number of interviews of every group, margins included; a key holds ``None`` on
        the axes it sums over.
    minimum
        The smallest number of interviews a shown summary may cover.

    Returns
    -------
    dict
        The hidden keys, each with :data:`SMALL` or :data:`LINKED`.

    Notes
    -----
    This is the usual iterative heuristic for complementary cell suppression in
    statistical tables with margins; it hides more than an optimal pattern might, never
    less than the rules above require.
    """
    hidden = {key: SMALL for key, n in counts.items() if 0 < n < minimum}
    for key in also:
        if counts.get(key, 0) > 0:
            hidden.setdefault(key, FEW_WORKERS)
    partitions = _partitions(counts)
    changed = True
    while changed:
        changed = False
        for margin, members in partitions:
            cells = [c for c in members if counts[c] > 0]
            if not cells:
                continue
            covered = [c for c in cells if c in hidden]
            shown = [c for c in cells if c not in hidden]
            if margin in hidden:
                exposed = not covered
            else:
                exposed = len(covered) == 1 or (
                    len(covered) > 1 and sum(counts[c] for c in covered) < minimum
                )
            if not exposed:
                continue
            target = min(shown, key=lambda c: (counts[c], repr(c))) if shown else margin
            hidden[target] = LINKED
            changed = True
    return hidden


def few_workers(workers: Mapping[Key, int], keys: Iterable[Key] | None = None) -> list[Key]:
    """The groups about some peer workers, but fewer than :func:`worker_threshold`."""
    least = worker_threshold()
    chosen = None if keys is None else set(keys)
    return [
        key for key, n in workers.items() if 0 < n < least and (chosen is None or key in chosen)
    ]


def _suppressed(
    cube: dict[str, dict[Key, Summary]], workers: dict[str, dict[Key, int]], minimum: int
) -> dict[str, dict[Key, Summary]]:
    result = {}
    for measure, summaries in cube.items():
        hidden = suppress(
            {key: s.n for key, s in summaries.items()},
            minimum,
            also=few_workers(workers[measure]),
        )
        result[measure] = {
            key: s.hide(hidden[key]) if key in hidden else s for key, s in summaries.items()
        }
    return result


# --- results of a scope --------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One round (or all rounds) of a measure: a summary per informant and for all of them."""

    label: str
    round: str
    """The round's number, or ``"all"``."""
    cells: tuple[tuple[str, Summary], ...]
    """``(informant key, summary)`` in instrument order."""
    margin: Summary


@dataclass(frozen=True)
class Gap:
    """How the self-rating informant's mean compares with everyone else's, pooled."""

    label: str
    round: str
    own: Summary
    others: Summary
    hidden: str = ""

    @property
    def value(self) -> float | None:
        """``own mean − others' mean``, or ``None`` when either side is empty or hidden."""
        if self.hidden or self.own.mean is None or self.others.mean is None:
            return None
        return self.own.mean - self.others.mean

    @property
    def signed(self) -> str:
        """The gap with its sign, to two decimals (for display only)."""
        value = self.value
        return "" if value is None else f"{value:+.2f}".replace("-", "−")


@dataclass(frozen=True)
class Measure:
    """Everything shown for one principle's domain, or for the total score."""

    key: str
    title: str
    description: str
    principles: tuple[tuple[str, str, tuple[str, ...]], ...]
    """``(title, definition, aspects)`` of the principles the domain rates."""
    rows: tuple[Row, ...]
    """One per round, then all rounds."""
    gaps: tuple[Gap, ...]
    """One per round, then all rounds (empty when the instrument has no self-rating)."""
    chart: str = ""
    """Bars of the mean of every round (all informants), then of every informant (all rounds):
    the last column and the last row of the table."""

    @property
    def overall(self) -> Summary:
        """All rounds and informants together."""
        return self.rows[-1].margin


@dataclass(frozen=True)
class Results:
    """The results of one scope: the evaluation, one service or one peer worker."""

    measures: tuple[Measure, ...]
    informants: tuple[tuple[str, str], ...]
    """``(key, title)`` in instrument order."""
    rounds: tuple[Round, ...]
    n_interviews: int
    suppressed: bool
    threshold: int
    scale_min: int
    scale_max: int
    self_title: str
    others_protected: bool = False
    """Whether summaries holding few interviews of services outside the reader's are hidden
    (readers whose rights cover some services only, on pages about the whole evaluation)."""

    @property
    def empty(self) -> bool:
        """Whether no interview in scope is final yet."""
        return self.n_interviews == 0

    @property
    def principles(self) -> tuple[Measure, ...]:
        """The measures of the principles' domains (without the total)."""
        return tuple(m for m in self.measures if m.key != TOTAL)


def _scale(instrument: Instrument) -> tuple[int, int]:
    scale = instrument.scale(instrument.items[0].scale)
    return scale.min, scale.max


@functools.lru_cache(maxsize=1024)
def _chart(
    groups: tuple[str, ...], means: tuple[float, ...], title: str, low: int, high: int
) -> str:
    # Drawing is the slow part of a page; the same numbers always give the same chart.
    return group_means_chart(list(groups), list(means), title, low=low, high=high)


def _chart_label(text: str) -> str:
    # Labels come from people (round labels): keep them out of the chart's markup and
    # matplotlib's mathtext, where "$" starts a formula.
    return text.replace('"', "”").replace("$", r"\$")


def chart(entries: Sequence[tuple[str, Summary]], title: str, low: int, high: int) -> str:
    """A bar chart of the shown means of ``entries`` (``""`` when none is shown)."""
    shown = [(label, s.mean) for label, s in entries if s.shown and s.mean is not None]
    if not shown:
        return ""
    return _chart(
        tuple(_chart_label(label) for label, _ in shown),
        tuple(float(mean) for _, mean in shown),
        _chart_label(title),
        low,
        high,
    )


def _others(margin: Summary, own: Summary) -> Summary:
    n = margin.n - own.n
    if n <= 0 or margin.mean is None:
        return EMPTY
    own_sum = own.mean * own.n if own.mean is not None else 0.0
    return Summary(n, (margin.mean * margin.n - own_sum) / n, None)


def _gap(
    label: str, number: str, own: Summary, margin: Summary, aggregates_only: bool, minimum: int
) -> Gap:
    others = _others(margin, own)
    hidden = ""
    if aggregates_only and not (
        own.shown and margin.shown and own.n >= minimum and others.n >= minimum
    ):
        hidden = SMALL if min(own.n, others.n) < minimum else LINKED
    elif own.hidden or margin.hidden:
        hidden = LINKED  # a gap would give the hidden side away
    return Gap(label, number, own, others, hidden)


Principles = tuple[tuple[str, str, tuple[str, ...]], ...]


def _principles(framework: Framework, keys: Sequence[str]) -> Principles:
    found = []
    for key in keys:
        try:
            principle = framework.principle(key)
        except KeyError:
            continue
        found.append((principle.title, principle.definition, tuple(principle.aspects)))
    return tuple(found)


@dataclass(frozen=True)
class _Layout:
    """What every measure of one page shares: its rows, columns, place and privacy rule."""

    instrument: Instrument
    framework: Framework
    place: int | None
    """The service summarised, or ``None`` for all the summaries' interviews."""
    levels: tuple[tuple[str, str, int | None], ...]
    """``(label, number, round id)`` of every round, then of all rounds."""
    informants: tuple[tuple[str, str], ...]
    aggregates_only: bool
    minimum: int
    charts: bool

    def measure(self, key: str, summaries: Mapping[Key, Summary]) -> Measure:
        """Rows, gaps, words and chart of one measure."""

        def get(round_id: int | None, informant: str | None) -> Summary:
            return summaries.get((self.place, round_id, informant), EMPTY)

        rows = tuple(
            Row(label, number, tuple((k, get(rid, k)) for k, _ in self.informants), get(rid, None))
            for label, number, rid in self.levels
        )
        gaps: tuple[Gap, ...] = ()
        if any(k == SELF_INFORMANT for k, _ in self.informants):
            gaps = tuple(
                _gap(
                    label,
                    number,
                    get(rid, SELF_INFORMANT),
                    get(rid, None),
                    self.aggregates_only,
                    self.minimum,
                )
                for label, number, rid in self.levels
            )
        principles: Principles = ()
        if key == TOTAL:
            title, description = "Overall score", _total_description(self.instrument)
        else:
            domain = self.instrument.domain(key)
            title, description = domain.title, domain.description
            principles = _principles(self.framework, domain.principles)
        return Measure(key, title, description, principles, rows, gaps, self._chart(rows))

    def _chart(self, rows: tuple[Row, ...]) -> str:
        if not self.charts:
            return ""
        low, high = _scale(self.instrument)
        by_informant = zip(self.informants, rows[-1].cells, strict=True)
        return chart(
            [(r.label, r.margin) for r in rows[:-1]] + [(t, s) for (_, t), (_, s) in by_informant],
            "Mean score by round, then by informant",
            low,
            high,
        )


def results(
    evaluation: Evaluation,
    *,
    aggregates_only: bool,
    service: Service | None = None,
    peer_worker: PeerWorker | None = None,
    charts: bool = True,
    own_services: frozenset[int] | None = None,
) -> Results:
    """:func:`compute_results`, kept in the cache under the evaluation's results version."""
    if aggregates_only and peer_worker is not None:
        raise ValueError("A peer worker's results are not aggregates.")
    key = cache_key(
        evaluation,
        "results",
        aggregates_only,
        service.pk if service is not None else None,
        peer_worker.pk if peer_worker is not None else None,
        charts,
        tuple(sorted(own_services)) if own_services is not None else None,
    )
    found = cache.get(key)
    if not isinstance(found, Results):
        found = compute_results(
            evaluation,
            aggregates_only=aggregates_only,
            service=service,
            peer_worker=peer_worker,
            charts=charts,
            own_services=own_services,
        )
        cache.set(key, found, None)
    return found


def compute_results(
    evaluation: Evaluation,
    *,
    aggregates_only: bool,
    service: Service | None = None,
    peer_worker: PeerWorker | None = None,
    charts: bool = True,
    own_services: frozenset[int] | None = None,
) -> Results:
    """The results of the evaluation, one of its services or one peer worker.

    Parameters
    ----------
    evaluation
        The evaluation.
    aggregates_only
        Whether the reader sees aggregates only: then every summary of too few interviews,
        and every summary it could be worked out from, is hidden. Summaries are then worked
        out over the whole evaluation, so every page hides the same ones.
    service, peer_worker
        The scope (the whole evaluation when neither is given). A peer worker's results
        are never for readers who see aggregates only.
    charts
        Whether to draw the charts.
    own_services
        For a reader whose rights cover some services only (a coordinator or rater), those
        services. Summaries of the whole evaluation then hide every group holding fewer
        than the threshold of interviews from the *other* services, and any summary it
        could be worked out from (:data:`OTHERS`, :data:`LINKED`): knowing their own
        services' interviews, such a reader could otherwise take them away and read a small
        group of services they have no right to see.
    """
    if aggregates_only and peer_worker is not None:
        raise ValueError("A peer worker's results are not aggregates.")
    instrument = evaluation.instrument.model()
    measures = [d.key for d in instrument.domains] + [TOTAL]
    minimum = threshold()
    place = service.pk if (aggregates_only and service is not None) else None
    if aggregates_only:
        protected = _protected(evaluation, measures)
        cube = protected.cube
        n_interviews = protected.per_service.get(place, 0) if place else protected.n_interviews
    else:
        scores = InterviewScore.objects.filter(evaluation=evaluation)
        if peer_worker is not None:
            scores = scores.filter(peer_worker=peer_worker)
        elif service is not None:
            scores = scores.filter(service=service)
        frame = score_frame(scores.values_list(*SCORE_COLUMNS), measures)
        cube = summarise(frame, measures)
        n_interviews = len(frame)
        if own_services is not None and service is None and peer_worker is None:
            others = frame[~frame["service"].isin(list(own_services))]
            cube = _protect_others(
                cube,
                summarise(others, measures),
                peer_worker_counts(others, measures),
                minimum,
            )
    rounds = tuple(evaluation.rounds.all())
    informants = tuple((i.key, i.title) for i in instrument.informants)
    layout = _Layout(
        instrument=instrument,
        framework=evaluation.framework.model(),
        place=place,
        levels=(*((str(r), str(r.number), r.pk) for r in rounds), ("All rounds", "all", None)),
        informants=informants,
        aggregates_only=aggregates_only,
        minimum=minimum,
        charts=charts,
    )
    low, high = _scale(instrument)
    return Results(
        measures=tuple(layout.measure(m, cube[m]) for m in measures),
        informants=informants,
        rounds=rounds,
        n_interviews=n_interviews,
        suppressed=aggregates_only,
        threshold=minimum,
        scale_min=low,
        scale_max=high,
        self_title=next((t for k, t in informants if k == SELF_INFORMANT), ""),
        others_protected=any(
            summary.hidden for summaries in cube.values() for summary in summaries.values()
        )
        and not aggregates_only,
    )


def _protect_others(
    cube: dict[str, dict[Key, Summary]],
    others: dict[str, dict[Key, Summary]],
    others_workers: dict[str, dict[Key, int]],
    minimum: int,
) -> dict[str, dict[Key, Summary]]:
    """``cube`` with every summary hidden that shows a small group of ``others``' interviews
    (few interviews, or interviews about few peer workers).

    Only the summaries over all services are decided (the reader never sees another
    service's own summaries); suppression among them (:func:`suppress`) keeps a hidden
    group from being worked out from the margins shown.
    """
    result = {}
    for measure, summaries in cube.items():
        counts = {key: summary.n for key, summary in others[measure].items() if key[0] is None}
        hidden = suppress(counts, minimum, also=few_workers(others_workers[measure], counts))
        result[measure] = {
            key: (
                summary.hide(OTHERS if hidden[key] in (SMALL, FEW_WORKERS) else LINKED)
                if key in hidden
                else summary
            )
            for key, summary in summaries.items()
        }
    return result


@dataclass(frozen=True)
class _Protected:
    """The whole evaluation's summaries as readers of aggregates only see them."""

    cube: dict[str, dict[Key, Summary]]
    per_service: dict[int, int]
    """Final interviews per service."""
    n_interviews: int


def _protected(evaluation: Evaluation, measures: Sequence[str]) -> _Protected:
    """Every summary of the evaluation with small numbers suppressed, kept in the cache.

    Suppression is worked out over the whole evaluation, so every service page a viewer
    opens needs the same summaries: they are worked out once per results version.
    """
    key = cache_key(evaluation, "protected", tuple(measures))
    found = cache.get(key)
    if not isinstance(found, _Protected):
        frame = score_frame(
            InterviewScore.objects.filter(evaluation=evaluation).values_list(*SCORE_COLUMNS),
            measures,
        )
        found = _Protected(
            _suppressed(
                summarise(frame, measures), peer_worker_counts(frame, measures), threshold()
            ),
            {int(k): int(v) for k, v in frame["service"].value_counts().items()},
            len(frame),
        )
        cache.set(key, found, None)
    return found


def _total_description(instrument: Instrument) -> str:
    if instrument.scoring.total.method == "mean_of_items":
        return "The mean of every rated item of an interview, across all the principles."
    return "The mean of an interview's principle scores: one number across all the principles."


# --- psychometrics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRow:
    """One item of a domain with its question and quality statistics."""

    key: str
    question: str
    quality: ItemQuality


@dataclass(frozen=True)
class DomainRow:
    """One domain's quality statistics with the words a reader needs."""

    key: str
    title: str
    quality: DomainQuality
    items: tuple[ItemRow, ...]

    @property
    def flags(self) -> tuple[QualityFlag, ...]:
        """The domain's flags, then its items'."""
        return self.quality.all_flags


@dataclass(frozen=True)
class Quality:
    """The quality summary of an evaluation's final ratings, or why there is none yet."""

    n_interviews: int
    problem: str = ""
    """Why there is no summary, in plain words (empty when there is one)."""
    details: tuple[str, ...] = ()
    """What exactly the core could not accept, one problem each."""
    too_few: bool = False
    """Whether the reason is simply that too few interviews are final yet."""
    report: QualityReport | None = None
    domains: tuple[DomainRow, ...] = ()

    @property
    def n_double_rated(self) -> int:
        """Interviews rated by two raters that the agreement statistics use."""
        return self.report.n_double_rated if self.report else 0


def _rater_rank(rater: object) -> float:
    number = str(rater).removeprefix("rater-")
    return float(number) if number.isdigit() else math.inf  # the consensus comes last


def _ordered(frame: pd.DataFrame) -> pd.DataFrame:
    # One case per interview is its first rater's ratings: make "first" mean the rater with
    # the lowest account number, so the page does not depend on the database's row order.
    # A national evaluation has about a million rows but only a few thousand raters and tens
    # of thousands of interviews, so each distinct value is converted once.
    rank = _per_distinct(frame["rater"], _rater_rank)
    interview = _per_distinct(frame["interview"], _as_number)
    return frame.iloc[np.lexsort((rank, interview))].reset_index(drop=True)


def _as_number(value: object) -> float:
    try:
        return float(str(value))
    except ValueError:
        return math.nan


def _per_distinct(column: pd.Series, convert: Callable[[object], float]) -> np.ndarray:
    """``convert`` applied to every value of ``column``, working out each distinct one once."""
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    return np.array([convert(value) for value in distinct], dtype=float)[codes]


def quality(evaluation: Evaluation) -> Quality:
    """:func:`compute_quality`, kept in the cache under the evaluation's results version.

    The analysis reads every final rating (about a million in a national evaluation, some
    seconds of work), and those change only with the scores.
    """
    key = cache_key(evaluation, "quality")
    found = cache.get(key)
    if not isinstance(found, Quality):
        found = compute_quality(evaluation)
        cache.set(key, found, None)
    return found


def compute_quality(evaluation: Evaluation) -> Quality:
    """The core's quality summary over the evaluation's final ratings.

    The same analysis as the command line's ``psychometrics.json``: one case per interview
    (its first rater's item scores after reverse keying, all informants pooled) for spread
    and internal consistency, and both raters of every double-rated interview for agreement
    (ICC1, raters numbered first and second). Problems with the data come back as
    ``problem`` in plain words rather than as an error.
    """
    interviews = list(
        Interview.objects.filter(evaluation=evaluation, status=Interview.Status.FINAL).only(
            "pk", "informant"
        )
    )
    count = len(interviews)
    if not interviews:
        return Quality(0, "No interview is final yet, so there is nothing to check.", too_few=True)
    if count < QUALITY_MIN_INTERVIEWS:
        return Quality(
            count,
            f"The quality checks need at least {QUALITY_MIN_INTERVIEWS} final interviews to "
            f"say anything useful; this evaluation has {count} so far.",
            too_few=True,
        )
    frame = _ordered(final_ratings(interviews))
    instrument = evaluation.instrument.model()
    try:
        table = read_ratings(frame, instrument, layout="long", name="the final ratings")
        analysis = analyse(table, evaluation.framework.model())
    except DocumentError as error:
        return Quality(
            count,
            "Some final ratings do not fit the fidelity index, so the checks cannot be "
            "worked out until they are corrected:",
            details=_problems(error, frame),
        )
    except PsychometricsError as error:
        return Quality(
            count, "The checks cannot be worked out from these ratings:", details=(str(error),)
        )
    return Quality(
        len(interviews),
        report=analysis.quality,
        domains=tuple(_domain_row(instrument, d) for d in analysis.quality.domains),
    )


def _problems(error: DocumentError, frame: pd.DataFrame) -> tuple[str, ...]:
    """Each problem of the core, placed by interview reference rather than by table row."""

    def interview_at(line: int | None) -> int | None:
        # The core numbers rows as a spreadsheet does: the header is row 1.
        if line is None or not 2 <= line < len(frame) + 2:
            return None
        return int(str(frame["interview"].iat[line - 2]))

    places = [interview_at(problem.line) for problem in error.problems]
    codes = dict(
        Interview.objects.filter(pk__in=[p for p in places if p]).values_list("pk", "code")
    )
    return tuple(
        (f"Interview {codes.get(pk, pk)}: " if pk else "")
        + problem.message
        + (f" To put it right: {problem.fix}" if problem.fix else "")
        for problem, pk in zip(error.problems, places, strict=True)
    )


def _domain_row(instrument: Instrument, quality: DomainQuality) -> DomainRow:
    domain = instrument.domain(quality.domain)
    items = []
    for entry in quality.items:
        item = instrument.item(entry.item)
        question = next(iter(item.informants.values())).question
        items.append(ItemRow(entry.item, question, entry))
    return DomainRow(quality.domain, domain.title, quality, tuple(items))
