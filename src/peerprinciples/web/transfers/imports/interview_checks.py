"""Checks of each interview against the evaluation: its service, round, peer worker,
reference and date.

Each function returns the interview's value (a key, 0 where there is a problem) and adds
the problems it finds, placed on the interview's first row.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd
from django.utils import timezone

from peerprinciples.core.ratings import RatingsTable
from peerprinciples.web.evaluations.models import Evaluation, PeerWorker, Round, Service
from peerprinciples.web.interviews.models import Interview
from peerprinciples.web.permissions import import_services
from peerprinciples.web.transfers.imports.columns import IntArray, Interviews, categories
from peerprinciples.web.transfers.imports.problems import ImportProblem, Problems, few

CODE_LENGTH = Interview._meta.get_field("code").max_length or 60


def interview_services(
    table: RatingsTable,
    evaluation: Evaluation,
    user: Any,
    interviews: Interviews,
    found: Problems,
) -> IntArray:
    """Each interview's Service pk (0 where there is a problem)."""
    by_code = {s.code: s for s in Service.objects.filter(evaluation=evaluation)}
    allowed = import_services(user, evaluation)
    listed = few(sorted(by_code))
    result = np.zeros(len(interviews.codes), dtype=np.int64)
    if "service" not in table.columns:
        only = next(iter(by_code.values())) if len(by_code) == 1 else None
        if only is not None and (allowed is None or only.pk in allowed):
            result[:] = only.pk
            return result
        found.add(
            ImportProblem(
                1,
                "service",
                "the file has no 'service' column, and this evaluation has "
                f"{len(by_code)} services, so it cannot tell which service each interview "
                "belongs to.",
                f"add a 'service' column with a service code ({listed}).",
            )
        )
        return result
    service_codes, names = categories(table.data["service"])
    per_interview = service_codes[interviews.first]
    folded: dict[str, list[Service]] = {}
    for code, service in by_code.items():
        folded.setdefault(code.casefold(), []).append(service)
    for category, name in enumerate(names):
        here = np.flatnonzero(per_interview == category)
        # A REDCap data access group is written in lower case: any case matches one service.
        near = folded.get(name.casefold(), [])
        service = by_code.get(name) or (near[0] if len(near) == 1 else None)
        if service is None:
            found.each(
                here,
                interviews.rows,
                "service",
                lambda i, name=name: f"'{name}' is not a service of this evaluation.",
                f"use one of its service codes ({listed}), or ask the lead to add the service "
                "first.",
            )
        elif allowed is not None and service.pk not in allowed:
            found.each(
                here,
                interviews.rows,
                "service",
                lambda i, name=name: (
                    f"the service '{name}' is not among yours: you may "
                    "import ratings only for the services you coordinate."
                ),
                "remove this service's rows, or ask the evaluation's lead to import them.",
            )
        else:
            result[here] = service.pk
    found.each(
        np.flatnonzero(per_interview < 0),
        interviews.rows,
        "service",
        lambda i: "the service is empty.",
        f"write the code of the interview's service ({listed}).",
    )
    return result


def interview_rounds(
    table: RatingsTable, evaluation: Evaluation, interviews: Interviews, found: Problems
) -> IntArray:
    """Each interview's Round pk (0 where there is a problem)."""
    by_number = {r.number: r for r in Round.objects.filter(evaluation=evaluation)}
    numbers = ", ".join(str(n) for n in sorted(by_number)) or "none yet"
    result = np.zeros(len(interviews.codes), dtype=np.int64)
    if "round" not in table.columns:
        if len(by_number) == 1:
            result[:] = next(iter(by_number.values())).pk
            return result
        found.add(
            ImportProblem(
                1,
                "round",
                f"the file has no 'round' column, and this evaluation has {len(by_number)} "
                "rounds, so it cannot tell which round each interview belongs to.",
                f"add a 'round' column with the round's number ({numbers}).",
            )
        )
        return result
    round_codes, texts = categories(table.data["round"])
    per_interview = round_codes[interviews.first]
    by_label = {_label_key(r.label): r for r in by_number.values() if r.label}
    for category, text in enumerate(texts):
        here = np.flatnonzero(per_interview == category)
        number = _whole_number(text)
        # A REDCap event (its arm removed) may name the round by its label, e.g. baseline.
        chosen = by_number.get(number) if number is not None else by_label.get(_label_key(text))
        if chosen is None:
            found.each(
                here,
                interviews.rows,
                "round",
                lambda i, text=text: f"'{text}' is not a round of this evaluation.",
                f"write the number of one of its rounds ({numbers}), or ask the lead to add "
                "the round first.",
            )
        else:
            result[here] = chosen.pk
    found.each(
        np.flatnonzero(per_interview < 0),
        interviews.rows,
        "round",
        lambda i: "the round is empty.",
        f"write the number of the interview's round ({numbers}).",
    )
    return result


def _label_key(text: str) -> str:
    """A round label as it is matched: case, spaces, '-' and '_' do not count."""
    return re.sub(r"[\s_-]+", "", text.casefold())


def _whole_number(text: str) -> int | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return int(value) if value.is_integer() else None


def interview_workers(
    table: RatingsTable,
    evaluation: Evaluation,
    services: IntArray,
    interviews: Interviews,
    found: Problems,
) -> IntArray:
    """Each interview's PeerWorker pk (0 for none, or where there is a problem)."""
    result = np.zeros(len(interviews.codes), dtype=np.int64)
    if "peer_worker" not in table.columns:
        return result
    worker_codes, names = categories(table.data["peer_worker"])
    per_interview = worker_codes[interviews.first]
    wanted = sorted(set(per_interview[per_interview >= 0].tolist()))
    by_code: dict[str, PeerWorker] = {}
    for begin in range(0, len(wanted), 5_000):
        chunk = [names[c] for c in wanted[begin : begin + 5_000]]
        by_code.update(
            (w.code, w)
            for w in PeerWorker.objects.filter(
                evaluation=evaluation, code__in=chunk
            ).select_related("service")
        )
    for category in wanted:
        name = names[category]
        here = per_interview == category
        worker = by_code.get(name)
        if worker is None:
            found.each(
                np.flatnonzero(here),
                interviews.rows,
                "peer_worker",
                lambda i, name=name: f"'{name}' is not a peer worker of this evaluation.",
                "correct the pseudonymous code, or ask the lead to add the peer worker first.",
            )
        elif worker.withdrawn:
            found.each(
                np.flatnonzero(here),
                interviews.rows,
                "peer_worker",
                lambda i, name=name: (
                    f"{name} has withdrawn consent, so no new interviews "
                    "about their support can be added."
                ),
                "remove the rows of their interviews.",
            )
        else:
            elsewhere = here & (services > 0) & (services != worker.service_id)
            found.each(
                np.flatnonzero(elsewhere),
                interviews.rows,
                "peer_worker",
                lambda i, worker=worker: (
                    f"{worker.code} works in the service "
                    f"'{worker.service.code}', not in the service of this interview."
                ),
                "correct the peer worker or the service.",
            )
            result[here & ~elsewhere] = worker.pk
    return result


def check_codes(evaluation: Evaluation, interviews: Interviews, found: Problems) -> None:
    """Interview references: short enough, and new to the evaluation."""
    codes = interviews.codes
    lengths = np.asarray([len(c) for c in codes], dtype=np.int64)
    found.each(
        np.flatnonzero(lengths > CODE_LENGTH),
        interviews.rows,
        "interview",
        lambda i: (
            f"the interview id '{codes[i][:20]}…' has {len(codes[i])} characters; at "
            f"most {CODE_LENGTH} fit."
        ),
        "use a shorter reference, such as I-0042.",
    )
    existing: dict[str, str] = {}
    for begin in range(0, len(codes), 5_000):
        existing.update(
            Interview.objects.filter(
                evaluation=evaluation, code__in=codes[begin : begin + 5_000]
            ).values_list("code", "status")
        )
    if not existing:
        return
    position = {code: i for i, code in enumerate(codes)}

    def message(i: int) -> str:
        status = existing[codes[i]]
        if status == Interview.Status.FINAL:
            return f"the evaluation already has an interview '{codes[i]}', and it is final: its "
            "ratings can no longer change."
        return (
            f"the evaluation already has an interview '{codes[i]}' "
            f"({Interview.Status(status).label.lower()}). An import only adds new interviews; "
            "it never changes or completes one already there."
        )

    found.each(
        np.asarray([position[code] for code in existing], dtype=np.int64),
        interviews.rows,
        "interview",
        message,
        "remove its rows if it was imported or rated before; if this is another interview, "
        "give it a reference of its own.",
    )


def interview_dates(
    data: pd.DataFrame, interviews: Interviews, found: Problems
) -> list[dt.date | None]:
    """Each interview's date (from its first row); none may lie in the future."""
    stamps = pd.DatetimeIndex(data["date"].to_numpy()[interviews.first])
    dates: list[dt.date | None] = [None if pd.isna(s) else s.date() for s in stamps]
    today = timezone.localdate()
    future = [i for i, day in enumerate(dates) if day is not None and day > today]
    found.each(
        np.asarray(future, dtype=np.int64),
        interviews.rows,
        "date",
        lambda i: f"the interview date {dates[i]} is in the future.",
        "correct the date (written YYYY-MM-DD).",
    )
    return dates
