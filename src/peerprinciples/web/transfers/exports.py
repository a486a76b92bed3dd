"""An evaluation's stored ratings as the core's ratings table, and written as export files.

Only final interviews are exported (their final rating sheets and agreed ratings), from the
services the person's role covers; an interview withdrawn with its ratings kept anonymised
counts in the group results only, so it is never exported as a row of its own. The table
names interviews by their reference, services and peer workers by their pseudonymous codes,
rounds by number and raters by user name, so an exported ratings file reads back with
``read_ratings`` and imports into another evaluation. The files themselves are written by
:mod:`peerprinciples.core.interchange.exports`, with variable and value labels.
"""

from __future__ import annotations

import zipfile
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.interchange.codebook import codebook, write_codebook
from peerprinciples.core.interchange.exports import (
    EXPORT_FILES,
    Notes,
    export_evaluation,
    ratings_long,
    ratings_wide,
    scores_wide,
    write_csv,
)
from peerprinciples.core.ratings import CONSENSUS_RATER, RatingsTable, read_ratings
from peerprinciples.web.evaluations.models import Evaluation, Service
from peerprinciples.web.interviews.models import (
    ConsensusRating,
    Interview,
    Rating,
    RatingSheet,
)


@dataclass(frozen=True)
class ExportKind:
    """One file people can download."""

    key: str
    label: str
    file_name: str
    content_type: str
    needs_data: bool = True


KINDS: dict[str, ExportKind] = {
    kind.key: kind
    for kind in (
        ExportKind(
            "long", "Ratings, long: one row per rating (CSV)", "ratings-long.csv", "text/csv"
        ),
        ExportKind(
            "wide",
            "Ratings, wide: one row per interview and rater (CSV)",
            "ratings-wide.csv",
            "text/csv",
        ),
        ExportKind("scores", "Scores per interview (CSV)", "scores.csv", "text/csv"),
        ExportKind(
            "xlsx",
            "Excel workbook: ratings, scores and codebook (XLSX)",
            "evaluation.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ExportKind(
            "sav", "SPSS data with labels (.sav)", "evaluation.sav", "application/x-spss-sav"
        ),
        ExportKind(
            "dta",
            "Stata data with labels (.dta, Stata 14 or later)",
            "evaluation.dta",
            "application/x-stata-dta",
        ),
        ExportKind(
            "codebook-html",
            "Codebook (HTML)",
            "codebook.html",
            "text/html; charset=utf-8",
            needs_data=False,
        ),
        ExportKind("codebook-csv", "Codebook (CSV)", "codebook.csv", "text/csv", needs_data=False),
        ExportKind("zip", "Everything above in one ZIP file", "evaluation.zip", "application/zip"),
    )
}
"""Every download, by key, in the order the export page lists them."""


class NothingToExport(Exception):
    """There are no final interviews in the services asked for."""


def evaluation_ratings(
    evaluation: Evaluation, services: Iterable[Service] | None = None
) -> tuple[RatingsTable, dict[tuple[str, str], str]]:
    """The final ratings of an evaluation (of some services) as a checked ratings table.

    Parameters
    ----------
    evaluation
        The evaluation.
    services
        The services to include; every service when ``None``.

    Returns
    -------
    tuple
        The ratings table (long layout, rater ``consensus`` for agreed ratings) and the
        raters' notes per (interview reference, rater user name).

    Raises
    ------
    NothingToExport
        When there is no final interview to export.
    """
    instrument = evaluation.instrument.model()
    interviews = Interview.objects.filter(
        evaluation=evaluation, status=Interview.Status.FINAL, anonymised=False
    )
    if services is not None:
        interviews = interviews.filter(service__in=list(services))
    rows = list(
        interviews.order_by("code").values_list(
            "pk", "code", "informant", "service__code", "peer_worker__code", "round__number", "date"
        )
    )
    if not rows:
        raise NothingToExport("There are no final interviews to export yet.")
    position = {row[0]: i for i, row in enumerate(rows)}
    sheets = RatingSheet.objects.filter(
        interview__in=interviews, status=RatingSheet.Status.FINAL
    ).values_list("pk", "interview_id", "rater__username", "notes")
    rater_names: list[str] = []
    rater_index: dict[str, int] = {}
    sheet_of: dict[int, tuple[int, int]] = {}
    notes: dict[tuple[str, str], str] = {}
    for sheet, interview, username, note in sheets:
        if username not in rater_index:
            rater_index[username] = len(rater_names)
            rater_names.append(username)
        sheet_of[sheet] = (position[interview], rater_index[username])
        if note.strip():
            notes[(rows[position[interview]][1], username)] = note.strip()
    consensus = len(rater_names)
    rater_names.append(CONSENSUS_RATER)

    items = {item.key: i for i, item in enumerate(instrument.items)}
    texts: list[str] = []
    text_index: dict[str, int] = {}
    interview_of, rater_of, item_of, rating_of = (array("q"), array("q"), array("q"), array("q"))

    def add(interview: int, rater: int, item: str, value: int | None, code: str) -> None:
        text = code or str(value)
        if text not in text_index:
            text_index[text] = len(texts)
            texts.append(text)
        interview_of.append(interview)
        rater_of.append(rater)
        item_of.append(items[item])
        rating_of.append(text_index[text])

    own = Rating.objects.filter(
        sheet__interview__in=interviews, sheet__status=RatingSheet.Status.FINAL
    ).values_list("sheet_id", "item", "value", "code")
    for sheet, item, value, code in own.iterator(chunk_size=20_000):
        interview, rater = sheet_of[sheet]
        add(interview, rater, item, value, code)
    agreed = ConsensusRating.objects.filter(interview__in=interviews).values_list(
        "interview_id", "item", "value", "code"
    )
    for interview_id, item, value, code in agreed.iterator(chunk_size=20_000):
        add(position[interview_id], consensus, item, value, code)

    at = np.frombuffer(interview_of, dtype=np.int64)
    frame = pd.DataFrame(
        {
            "interview": _categorical(at, [r[1] for r in rows]),
            "informant": _categorical(at, [r[2] for r in rows]),
            "service": _categorical(at, [r[3] for r in rows]),
            "peer_worker": _categorical(at, [r[4] or "" for r in rows]),
            "round": _categorical(at, [str(r[5]) for r in rows]),
            "date": pd.to_datetime(pd.Series([r[6] for r in rows], dtype="object")).to_numpy()[at],
            "rater": pd.Categorical.from_codes(
                np.frombuffer(rater_of, dtype=np.int64), categories=rater_names
            ),
            "item": pd.Categorical.from_codes(
                np.frombuffer(item_of, dtype=np.int64), categories=list(items)
            ),
            "rating": pd.Categorical.from_codes(
                np.frombuffer(rating_of, dtype=np.int64), categories=texts
            ),
        }
    )
    table = read_ratings(frame, instrument, layout="long", name=evaluation.name)
    return table, notes


def _categorical(at: np.ndarray, values: list[str]) -> pd.Categorical:
    """Per-interview values spread over the ratings, as a categorical column."""
    categories, codes = np.unique(np.asarray(values, dtype=object), return_inverse=True)
    return pd.Categorical.from_codes(codes.ravel()[at], categories=list(categories))


def write_export(
    kind: ExportKind,
    folder: Path,
    *,
    table: RatingsTable | None,
    instrument: Instrument,
    framework: Framework | None,
    notes: Notes | None,
    include_notes: bool,
) -> Path:
    """Write one download into ``folder``; returns its path.

    ``framework`` gives the codebook its principle titles. ``table`` may be ``None`` only
    for the codebooks, which describe the instrument's variables without any data.
    """
    if not kind.needs_data:
        book = codebook(instrument, framework=framework)
        return write_codebook(book, folder / kind.file_name)
    if table is None:
        raise NothingToExport("There are no final interviews to export yet.")
    with_notes = {"notes": notes, "include_notes": include_notes}
    if kind.key == "long":
        return write_csv(ratings_long(table, **with_notes), folder / kind.file_name)  # type: ignore[arg-type]
    if kind.key == "wide":
        return write_csv(ratings_wide(table, **with_notes), folder / kind.file_name)  # type: ignore[arg-type]
    if kind.key == "scores":
        return write_csv(scores_wide(table), folder / kind.file_name)
    if kind.key in ("xlsx", "sav", "dta"):
        (path,) = export_evaluation(
            table,
            folder,
            formats=[kind.key],  # type: ignore[list-item]
            framework=framework,
            notes=notes,
            include_notes=include_notes,
        )
        return path
    files = export_evaluation(
        table, folder / "files", framework=framework, notes=notes, include_notes=include_notes
    )
    target = folder / kind.file_name
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, arcname=path.name)
    return target


ALL_FILES = tuple(name for names in EXPORT_FILES.values() for name in names)
"""The files inside the ZIP download."""
