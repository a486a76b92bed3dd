"""Presenting summaries: the rows, gaps, words and charts a results page shows.

:func:`build` lays out one scope's summaries (the whole evaluation, a service or a peer
worker), read from what is stored, as :class:`Results`: for every principle's domain and the
total, one row per round (then all rounds) with a cell per informant, the gap between peer
workers' own view and everyone else's, and a small SVG chart drawn with the core's chart
code. Nothing here reads the scores or decides what to hide; it only shows what it is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from peerprinciples.core.charts import means_chart
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument
from peerprinciples.web.evaluations.models import Round
from peerprinciples.web.results.summaries import (
    EMPTY,
    LINKED,
    SELF_INFORMANT,
    SMALL,
    TOTAL,
    Key,
    Summary,
)


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


def chart(entries: Sequence[tuple[str, Summary]], title: str, low: int, high: int) -> str:
    """A bar chart of the shown means of ``entries`` (``""`` when none is shown)."""
    shown = [(label, s.mean) for label, s in entries if s.shown and s.mean is not None]
    if not shown:
        return ""
    # The chart code escapes every label itself, and drawing takes microseconds; past 30
    # bars (an evaluation of many rounds) it draws their spread instead.
    return means_chart(
        [label for label, _ in shown],
        [float(mean) for _, mean in shown],
        title,
        low=low,
        high=high,
        noun="groups",
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


def _total_description(instrument: Instrument) -> str:
    if instrument.scoring.total.method == "mean_of_items":
        return "The mean of every rated item of an interview, across all the principles."
    return "The mean of an interview's principle scores: one number across all the principles."


def build(
    *,
    cube: Mapping[str, Mapping[Key, Summary]],
    instrument: Instrument,
    framework: Framework,
    rounds: Sequence[Round],
    n_interviews: int,
    aggregates_only: bool,
    minimum: int,
    charts: bool = True,
    place: int | None = None,
    others_protected: bool = False,
) -> Results:
    """The results of one scope from its summaries.

    ``cube`` holds every measure's summaries keyed by (service, round, informant);
    ``place`` is the service whose summaries are shown (``None``: the groups over all the
    services in ``cube``).
    """
    informants = tuple((i.key, i.title) for i in instrument.informants)
    layout = _Layout(
        instrument=instrument,
        framework=framework,
        place=place,
        levels=(*((str(r), str(r.number), r.pk) for r in rounds), ("All rounds", "all", None)),
        informants=informants,
        aggregates_only=aggregates_only,
        minimum=minimum,
        charts=charts,
    )
    low, high = _scale(instrument)
    measures = [d.key for d in instrument.domains] + [TOTAL]
    return Results(
        measures=tuple(layout.measure(m, cube.get(m, {})) for m in measures),
        informants=informants,
        rounds=tuple(rounds),
        n_interviews=n_interviews,
        suppressed=aggregates_only,
        threshold=minimum,
        scale_min=low,
        scale_max=high,
        self_title=next((t for k, t in informants if k == SELF_INFORMANT), ""),
        others_protected=others_protected,
    )
