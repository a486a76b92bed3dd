"""Scored interviews for the results tests, and a small reader of the cells a page shows.

``scored`` fills the team's evaluation with synthetic final interviews in services A and B
over two rounds: three peer workers a service, each interviewed once as themselves, once
through their supervisor and once through a person they support, in every round. So every
service, round and informant holds 3 interviews (fewer than 5: hidden from viewers), while a
service's round holds 9 and a service's informant across rounds 6 (shown). About a third of
the interviews are double-rated, with agreed ratings.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pandas as pd
import pytest
from tests.web.conftest import Team

from peerprinciples.core.demo_data import demo_ratings
from peerprinciples.core.ratings import CONSENSUS_RATER
from peerprinciples.web.evaluations.models import PeerWorker, Round, Service
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    InterviewScore,
    Rating,
    RatingSheet,
)
from peerprinciples.web.interviews.scores import refresh_scores


@dataclass
class Scored:
    """The team, its two rounds and every scored interview."""

    team: Team
    rounds: list[Round]
    workers: dict[str, PeerWorker]

    def scores(self) -> pd.DataFrame:
        """Every cached score as a table: service code, round number, informant, peer worker
        code and one column per domain plus ``total``."""
        rows = []
        for s in InterviewScore.objects.filter(evaluation=self.team.evaluation).select_related(
            "service", "round", "peer_worker"
        ):
            rows.append(
                {
                    "service": s.service.code,
                    "round": s.round.number,
                    "informant": s.informant,
                    "peer_worker": s.peer_worker.code if s.peer_worker else None,
                    **{k: (float("nan") if v is None else v) for k, v in s.domains.items()},
                    "total": float("nan") if s.total is None else s.total,
                }
            )
        return pd.DataFrame(rows)


def _answer(value: str) -> dict[str, Any]:
    return (
        {"value": int(value), "code": ""}
        if value.lstrip("-").isdigit()
        else {"value": None, "code": value}
    )


def add_final_interviews(
    team: Team,
    frame: pd.DataFrame,
    services: dict[str, Service],
    rounds: dict[int, Round],
    workers: dict[str, PeerWorker],
) -> None:
    """Store the interviews of a long ratings table as final, with consensus, and score them.

    The first two raters of an interview become the team's rater and second rater (in that
    order); double-rated interviews without agreed ratings take the first rater's.
    """
    raters = [team.rater, team.second_rater]
    for code, rows in frame.groupby("interview", sort=True):
        first = rows.iloc[0]
        names = [r for r in dict.fromkeys(rows["rater"]) if r != CONSENSUS_RATER]
        interview = Interview.objects.create(
            evaluation=team.evaluation,
            service=services[first["service"]],
            peer_worker=workers[first["peer_worker"]],
            round=rounds[int(first["round"])],
            informant=first["informant"],
            date=dt.date(2025, 3, 1),
            code=str(code),
            double_rated=len(names) > 1,
            status=Interview.Status.FINAL,
            created_by=team.lead,
        )
        for position, name in enumerate(names):
            sheet = RatingSheet.objects.create(
                interview=interview, rater=raters[position], status=RatingSheet.Status.FINAL
            )
            Rating.objects.bulk_create(
                Rating(sheet=sheet, item=item, **_answer(str(value)))
                for item, value in rows.loc[rows["rater"] == name, ["item", "rating"]].itertuples(
                    index=False
                )
            )
        if len(names) > 1:
            agreed = rows.loc[rows["rater"] == CONSENSUS_RATER, ["item", "rating"]]
            if agreed.empty:
                agreed = rows.loc[rows["rater"] == names[0], ["item", "rating"]]
            ConsensusRating.objects.bulk_create(
                ConsensusRating(
                    interview=interview, item=item, recorded_by=team.lead, **_answer(str(value))
                )
                for item, value in agreed.itertuples(index=False)
            )
    refresh_scores(
        Interview.objects.filter(evaluation=team.evaluation).select_related(
            "evaluation__instrument"
        )
    )


@pytest.fixture(name="scored")
def scored_fixture(team: Team) -> Scored:
    """The team's evaluation with 36 scored final interviews (see the module docstring)."""
    frame = demo_ratings(
        team.instrument,
        seed=7,
        services=2,
        rounds=2,
        peer_workers=3,
        supported_people=1,
        double_rated=0.35,
        raters=2,
    )
    services = {"S01": team.service_a, "S02": team.service_b}
    second = Round.objects.create(evaluation=team.evaluation, number=2, label="Follow-up")
    rounds = {1: team.round, 2: second}
    workers: dict[str, PeerWorker] = {}
    for code, service in (
        frame[["peer_worker", "service"]].drop_duplicates().itertuples(index=False)
    ):
        if service == "S01" and team.worker_a.pk not in {w.pk for w in workers.values()}:
            workers[code] = team.worker_a
        elif service == "S02" and team.worker_b.pk not in {w.pk for w in workers.values()}:
            workers[code] = team.worker_b
        else:
            workers[code] = PeerWorker.objects.create(
                evaluation=team.evaluation,
                service=services[service],
                code=code.replace("S01", "A").replace("S02", "B"),
            )
    add_final_interviews(team, frame, services, rounds, workers)
    return Scored(team, [team.round, second], workers)


# --- reading a page -------------------------------------------------------------------------------


class _Cells(HTMLParser):
    """Collects the text of every element carrying a ``data-cell`` or ``data-gap`` mark."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}
        self._open: list[tuple[str, str, int]] = []
        self._depth = 0
        self._text: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._depth += 1
        for name, value in attrs:
            if name in ("data-cell", "data-gap") and value is not None:
                mark = f"{name[5:]}:{value}"
                self._open.append((mark, tag, self._depth))
                self._text[mark] = []

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][1] == tag and self._open[-1][2] == self._depth:
            mark = self._open.pop()[0]
            self.found[mark] = " ".join("".join(self._text[mark]).split())
        self._depth -= 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pass

    def handle_data(self, data: str) -> None:
        for mark, _, _ in self._open:
            self._text[mark].append(data)


VOID = re.compile(r"<(br|img|input|meta|link|hr)\b[^>]*>", re.I)


def cells(html: str) -> dict[str, str]:
    """The text of every marked cell of a page: ``cell:<measure>/<round>/<informant>`` and
    ``gap:<measure>/<round>`` (round a number or ``all``, informant a key or ``all``)."""
    parser = _Cells()
    parser.feed(VOID.sub(" ", html))
    return parser.found


def text(html: str) -> str:
    """A page's markup with its tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


NUMBER = re.compile(r"[−-]?\+?\d+\.\d+")
COUNT = re.compile(r"\((\d+) interviews?\)")


def mean_of(cell: str) -> float:
    """The first number with decimals in a cell's text (a mean, or a signed gap)."""
    found = NUMBER.search(cell)
    assert found, f"no number in {cell!r}"
    return float(found.group().replace("−", "-").replace("+", ""))


def count_of(cell: str) -> int:
    """The number of interviews a cell says it covers."""
    found = COUNT.search(cell)
    assert found, f"no count in {cell!r}"
    return int(found.group(1))


def expected_cells(frame: pd.DataFrame, measures: list[str]) -> dict[str, tuple[float, int]]:
    """Mean and count of every measure by round and informant, margins included, worked out
    with pandas from the cached scores: keys like the pages' ``cell:`` marks."""
    found: dict[str, tuple[float, int]] = {}
    for measure in measures:
        for by in (["round", "informant"], ["round"], ["informant"], []):
            groups = frame.groupby(by) if by else [((), frame)]
            for key, part in groups:
                values = part[measure].dropna()
                if values.empty:
                    continue
                labels = dict(zip(by, key if isinstance(key, tuple) else (key,), strict=True))
                mark = (
                    f"cell:{measure}/{labels.get('round', 'all')}/{labels.get('informant', 'all')}"
                )
                found[mark] = (float(values.mean()), len(values))
    return found
