"""The self-contained HTML report: per principle, scores with charts and tables, quality
statistics with flags explained in plain words, and the data notes.

It is written for services and panels as much as for statisticians: it prompts reflection,
shows no ranking of individual peer workers, and pairs every chart with its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import jinja2
import numpy as np
import pandas as pd

from peerprinciples import __version__
from peerprinciples.core.analysis import Analysis
from peerprinciples.core.charts import distribution_chart, group_means_chart
from peerprinciples.core.psychometrics import DomainQuality

_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.PackageLoader("peerprinciples.core", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _number(value: Any, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "–"
    return f"{value:.{digits}f}"


_ENVIRONMENT.filters["num"] = _number


@dataclass
class GroupRow:
    """One group's summary of a domain score."""

    label: str
    n: int
    mean: float
    sd: float


@dataclass
class DomainSection:
    """Everything the report shows for one domain."""

    key: str
    title: str
    description: str
    principles: list[tuple[str, str]]
    overall: GroupRow | None
    distribution_svg: str
    groups: dict[str, tuple[str, list[GroupRow]]] = field(default_factory=dict)
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
            svg = group_means_chart(
                [r.label for r in rows],
                [r.mean for r in rows],
                heading,
                low=scale.min,
                high=scale.max,
            )
            section.groups[grouping] = (svg, rows)
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


def render_report(analysis: Analysis) -> str:
    """The report as one HTML document with inline styles and SVG charts."""
    instrument = analysis.instrument
    sections = [
        _section(analysis, d.key)
        for d in instrument.domains
        if not analysis.scores.final("domain").empty
    ]
    total = _rows(analysis.scores.aggregates, "all", "total", {})
    synthetic = analysis.table.data["interview"].astype(str).str.startswith("DEMO-").all()
    template = _ENVIRONMENT.get_template("report.html.j2")
    return template.render(
        analysis=analysis,
        instrument=instrument,
        framework=analysis.framework,
        sections=sections,
        total=total[0] if total else None,
        flags=analysis.quality.flags,
        synthetic=bool(synthetic),
        notes=list(analysis.table.notes) + list(analysis.scores.notes),
        generated=datetime.now(UTC).strftime("%d %B %Y, %H:%M UTC"),
        version=__version__,
        thresholds=analysis.quality.thresholds,
    )
