"""The self-contained HTML report: per principle, scores with charts and tables, quality
statistics with flags explained in plain words, and the data notes.

It is written for services and panels as much as for statisticians: it prompts reflection,
shows no ranking of individual peer workers, and pairs every chart with its numbers.

It reads the same at any scale: no chart has more than :data:`~peerprinciples.core.charts.MAX_BARS`
bars. With more services than that, each principle shows the spread of the services' means
(unnamed), and every service's figures go in one sortable table of all principles, in a
scrolling box, so four hundred services add one table rather than four hundred bars per
principle. Codes sort naturally (S2 before S10).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from peerprinciples import __version__
from peerprinciples.core import html
from peerprinciples.core.analysis import Analysis
from peerprinciples.core.charts import MAX_BARS, distribution_chart, means_chart
from peerprinciples.core.naturalsort import natural_key
from peerprinciples.core.psychometrics import DomainQuality


def _number(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    return f"{value:.{digits}f}"


html.add_filter("num", _number)


@dataclass
class GroupRow:
    """One group's summary of a domain score."""

    label: str
    n: int
    mean: float
    sd: float


@dataclass
class Grouping:
    """One grouping of a domain's scores: its chart and, when it fits there, its table."""

    key: str
    heading: str
    svg: str
    rows: list[GroupRow]
    table: bool
    """Whether the section shows the table (else the groups are in the table by service)."""


@dataclass
class ServiceTable:
    """Every service's mean of every domain and the total, for many services."""

    columns: list[str]
    rows: list[tuple[str, int, list[float | None]]]
    """``(service, interviews scored for the total, means by column)`` in natural order."""


@dataclass
class DomainSection:
    """Everything the report shows for one domain."""

    key: str
    title: str
    description: str
    principles: list[tuple[str, str]]
    overall: GroupRow | None
    distribution_svg: str
    groups: list[Grouping] = field(default_factory=list)
    gap: tuple[float, float, float] | None = None
    quality: DomainQuality | None = None
    item_titles: dict[str, str] = field(default_factory=dict)


_GROUPINGS = (("service", "By service"), ("round", "By round"), ("informant", "By informant"))


def _rows(
    aggregates: pd.DataFrame, grouping: str, domain: str, labels: dict[str, str]
) -> list[GroupRow]:
    part = aggregates[
        (aggregates["grouping"] == grouping).to_numpy()
        & (aggregates["domain"] == domain).to_numpy()
    ]
    keys = ["all"] * len(part) if grouping == "all" else part[grouping].astype(str).tolist()
    rows = []
    for key, n, mean, sd in zip(
        keys,
        part["n"].to_numpy(dtype=np.int64),
        part["mean"].to_numpy(dtype=np.float64),
        part["sd"].to_numpy(dtype=np.float64),
        strict=True,
    ):
        if np.isfinite(mean):
            rows.append(GroupRow(labels.get(key, key), int(n), float(mean), float(sd)))
    if grouping in ("service", "round"):
        rows.sort(key=lambda row: natural_key(row.label))
    return rows


def _section(analysis: Analysis, domain_key: str) -> DomainSection:
    instrument, framework = analysis.instrument, analysis.framework
    domain = instrument.domain(domain_key)
    scale = instrument.scale(instrument.items_in(domain_key)[0].scale)
    aggregates = analysis.scores.aggregates
    informants = {i.key: i.title for i in instrument.informants}
    finals = analysis.scores.final("domain")
    values = finals.loc[(finals["domain"] == domain_key).to_numpy(), "score"].dropna()
    counts = {p: int((values.round() == p).sum()) for p in scale.points}
    overall = _rows(aggregates, "all", domain_key, {})
    section = DomainSection(
        key=domain_key,
        title=domain.title,
        description=domain.description,
        principles=[
            (framework.principle(k).title, framework.principle(k).definition)
            for k in domain.principles
        ],
        overall=overall[0] if overall else None,
        distribution_svg=distribution_chart(counts, "How scores spread"),
        item_titles={
            i.key: (next(iter(i.informants.values())).question)
            for i in instrument.items_in(domain_key)
        },
    )
    for grouping, heading in _GROUPINGS:
        rows = _rows(aggregates, grouping, domain_key, informants)
        if rows:
            svg = means_chart(
                [r.label for r in rows],
                [r.mean for r in rows],
                heading,
                low=scale.min,
                high=scale.max,
                noun=f"{grouping}s",
            )
            section.groups.append(Grouping(grouping, heading, svg, rows, len(rows) <= MAX_BARS))
    gaps = analysis.scores.informant_gaps
    if len(domain.principles) == 1 and not gaps.empty:
        mine = gaps[
            (gaps["grouping"] == "all").to_numpy()
            & (gaps["principle"] == domain.principles[0]).to_numpy()
        ]
        if len(mine) and np.isfinite(mine["gap"].iloc[0]):
            section.gap = (
                float(mine["self_mean"].iloc[0]),
                float(mine["others_mean"].iloc[0]),
                float(mine["gap"].iloc[0]),
            )
    try:
        section.quality = analysis.quality.domain(domain_key)
    except KeyError:
        section.quality = None
    return section


def _service_table(analysis: Analysis) -> ServiceTable | None:
    """The table of every service and domain, when there are too many services to chart."""
    aggregates = analysis.scores.aggregates
    if "service" not in aggregates.columns:
        return None
    keys = [d.key for d in analysis.instrument.domains] + ["total"]
    by_domain = {key: {r.label: r for r in _rows(aggregates, "service", key, {})} for key in keys}
    services = sorted({label for rows in by_domain.values() for label in rows}, key=natural_key)
    if len(services) <= MAX_BARS:
        return None
    titles = [d.title for d in analysis.instrument.domains] + ["Overall"]
    rows = []
    for label in services:
        total = by_domain["total"].get(label)
        means = [by_domain[key][label].mean if label in by_domain[key] else None for key in keys]
        rows.append((label, total.n if total else 0, means))
    return ServiceTable(titles, rows)


def _all_demo(interviews: pd.Series) -> bool:
    """Whether every interview reference marks synthetic demonstration data."""
    # Each distinct reference is checked once: a million ratings hold some 20,000 of them.
    distinct = pd.Series(interviews.unique()).astype(str)
    return bool(len(distinct)) and bool(distinct.str.startswith("DEMO-").all())


def render_report(analysis: Analysis) -> str:
    """The report as one HTML document with inline styles and SVG charts."""
    instrument = analysis.instrument
    sections = [
        _section(analysis, d.key)
        for d in instrument.domains
        if not analysis.scores.final("domain").empty
    ]
    total = _rows(analysis.scores.aggregates, "all", "total", {})
    synthetic = _all_demo(analysis.table.data["interview"])
    template = html.ENVIRONMENT.get_template("report.html.j2")
    return template.render(
        analysis=analysis,
        instrument=instrument,
        framework=analysis.framework,
        sections=sections,
        service_table=_service_table(analysis),
        max_bars=MAX_BARS,
        total=total[0] if total else None,
        flags=analysis.quality.flags,
        synthetic=bool(synthetic),
        notes=list(analysis.table.notes) + list(analysis.scores.notes),
        generated=datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC"),
        version=__version__,
        thresholds=analysis.quality.thresholds,
    )
