"""Reading a REDCap records export (raw values) as a ratings table.

A record is a peer worker, an event a round, a form an informant and a data access group a
service; a form's interview and rater fields say which interview and rater it holds. A value
is a point of its item's scale or a special code: by the field's own REDCap number when the
instrument was drafted from the project (its questions' ``redcap: codes:``), else by the
code's numeric value.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from peerprinciples.core.documents import Problem, read_bytes
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.interchange.redcap.common import (
    DEFAULT_RATER,
    FormFields,
    RecordLayout,
    decode_text,
    record_layout,
)
from peerprinciples.core.interchange.redcap.draft import DictionaryImport
from peerprinciples.core.ratings import RatingProblem, RatingsError, RatingsTable, read_ratings

_ARM_SUFFIX = re.compile(r"_arm_\d+$")


def read_redcap_records(
    source: Path | str,
    layout: RecordLayout | Instrument | DictionaryImport,
    *,
    instrument: Instrument | None = None,
    rater: str = DEFAULT_RATER,
    only_complete: bool = False,
    include_notes: bool = False,
) -> pd.DataFrame:
    """Read a REDCap records export (raw values, CSV) as a ratings table in the long layout.

    Parameters
    ----------
    source
        The records export: *Data Exports > All data > CSV / Microsoft Excel (raw data)*.
    layout
        Where the ratings are: an instrument (for projects made from its
        :func:`data_dictionary`), a :class:`DictionaryImport`, or a :class:`RecordLayout`.
    instrument
        The instrument, to check each value against its item's scale (the one given as
        ``layout``, or the draft's, when not given).
    rater
        The rater of forms without a rater field, or with it blank.
    only_complete
        Read only forms whose ``<form>_complete`` status is 2 (Complete).
    include_notes
        Add the form's notes field as a ``notes`` column.

    Returns
    -------
    pandas.DataFrame
        ``interview``, ``informant``, ``item``, ``rating``, ``rater``, ``peer_worker``, and
        ``service``, ``round`` and ``date`` when the export gives them; ready for
        :func:`peerprinciples.core.ratings.read_ratings`.

    Raises
    ------
    RatingsError
        With the row and field of every value that is not a choice of its field, and when the
        export lacks the record id or every item field.

    Notes
    -----
    Each form with at least one item value on a row is an interview: its id is the form's
    interview field, or else ``<record>/<event>/<form>[/<instance>]``. The record id is the
    peer worker, the event (without its ``_arm_N`` suffix) the round, the data access group
    the service. A numeric value that is a special code's REDCap value becomes that code.
    """
    if isinstance(layout, Instrument):
        instrument = instrument or layout
        layout = record_layout(layout)
    elif isinstance(layout, DictionaryImport):
        instrument = instrument or layout.instrument
        layout = layout.layout
    reader = _RecordsReader(str(source), _read_records(Path(source)), layout, instrument)
    reader.check_item_fields()
    for index in range(len(reader.frame)):
        reader.read_row(index, rater=rater, only_complete=only_complete, notes=include_notes)
    if reader.problems:
        raise RatingsError(reader.problems[:200], len(reader.problems))
    result = pd.DataFrame(
        reader.rows,
        columns=[
            "interview", "informant", "item", "rating", "rater", "peer_worker", "service",
            "round", "date", *(["notes"] if include_notes else []),
        ],
    )  # fmt: skip
    for optional in ("service", "round", "date"):
        if not (result[optional] != "").any():
            result = result.drop(columns=optional)
    result.attrs["skipped_incomplete"] = reader.skipped
    return result


class _RecordsReader:
    """Reads the forms of each row of a records export as ratings, collecting problems."""

    def __init__(
        self,
        name: str,
        frame: pd.DataFrame,
        layout: RecordLayout,
        instrument: Instrument | None,
    ) -> None:
        self.name = name
        self.frame = frame
        self.layout = layout
        self.scales = _item_scales(instrument)
        self.columns = set(frame.columns)
        first = str(frame.columns[0]) if len(frame.columns) else ""
        self.record_column = layout.record_id if layout.record_id in self.columns else first
        self.problems: list[Problem] = []
        self.rows: list[dict[str, str]] = []
        self.skipped = 0

    def check_item_fields(self) -> None:
        """Refuse an export that has none of the layout's item fields."""
        fields = [f for form in self.layout.forms for f in form.items]
        if any(f in self.columns for f in fields):
            return
        expected = fields[:4]
        raise RatingsError(
            [
                RatingProblem(
                    self.name,
                    (),
                    "the records export has none of the item fields"
                    + (f" (such as {', '.join(expected)})" if expected else "")
                    + ".",
                    "export the records of the project made from this dictionary, with all "
                    "fields, as 'CSV (raw data)'.",
                    1,
                )
            ]
        )

    def cell(self, index: int, column: str | None) -> str:
        if not column or column not in self.columns:
            return ""
        return str(self.frame.at[index, column]).strip()

    def read_row(self, index: int, *, rater: str, only_complete: bool, notes: bool) -> None:
        """Each form on the row with at least one item value is an interview."""
        row = index + 2
        record = self.cell(index, self.record_column)
        event = _ARM_SUFFIX.sub("", self.cell(index, "redcap_event_name"))
        repeat_form = self.cell(index, "redcap_repeat_instrument")
        instance = self.cell(index, "redcap_repeat_instance")
        for form in self.layout.forms:
            if repeat_form and form.form != repeat_form:
                continue
            values = {f: self.cell(index, f) for f in form.items if f in self.columns}
            if not any(values.values()):
                continue
            if only_complete and self.cell(index, f"{form.form}_complete") != "2":
                self.skipped += 1
                continue
            if not record:
                self.problems.append(
                    RatingProblem(
                        self.name,
                        (self.record_column,),
                        "the record id is empty.",
                        "export the records again; every row needs its record id.",
                        row,
                    )
                )
                continue
            base = {
                "interview": self.cell(index, form.interview)
                or "/".join(p for p in (record, event or "-", form.form, instance) if p),
                "informant": form.informant,
                "rater": self.cell(index, form.rater) or rater,
                "peer_worker": record,
                "service": self.cell(index, "redcap_data_access_group"),
                "round": event,
                "date": self.cell(index, form.date),
            }
            if notes:
                base["notes"] = self.cell(index, form.notes)
            self.read_items(row, form, values, base)

    def read_items(
        self, row: int, form: FormFields, values: Mapping[str, str], base: Mapping[str, str]
    ) -> None:
        """One rating per item value: a point of the scale, or a special code by the field's
        own REDCap number or the code's value."""
        for field_name, text in values.items():
            if not text:
                continue
            item_key = form.items[field_name]
            codes = {**self.layout.code_values, **self.layout.field_codes.get(field_name, {})}
            rating = _rating(text, codes, self.scales.get(item_key))
            if rating is None:
                self.problems.append(
                    _value_problem(
                        self.name, row, field_name, text, item_key, self.scales, self.layout
                    )
                )
                continue
            self.rows.append({**base, "item": item_key, "rating": rating})


def _read_records(path: Path) -> pd.DataFrame:
    name = str(path)
    raw = read_bytes(path, error=RatingsError, problem=RatingProblem)
    notes: list[str] = []
    text = decode_text(raw, name, notes)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as exc:
        raise RatingsError(
            [
                RatingProblem(
                    name,
                    (),
                    f"the file cannot be read as CSV: {exc}.",
                    "export the records from REDCap again as 'CSV (raw data)'.",
                )
            ]
        ) from exc
    if not records:
        raise RatingsError(
            [RatingProblem(name, (), "the file is empty.", "export the records again.", 1)]
        )
    header = [h.strip() for h in records[0]]
    width = len(header)
    repeated = [h for h, n in Counter(header).items() if n > 1 and h]
    if repeated:
        raise RatingsError(
            [
                RatingProblem(
                    name,
                    (repeated[0],),
                    f"the column '{repeated[0]}' appears twice in the header.",
                    "export the records from REDCap again, or remove one of the two columns.",
                    1,
                )
            ]
        )
    problems = [
        RatingProblem(
            name,
            (),
            f"this row has {len(r)} cells but the header has {width} columns.",
            "export the records from REDCap again as 'CSV (raw data)'.",
            i,
        )
        for i, r in enumerate(records[1:], start=2)
        if len(r) > width and any(c.strip() for c in r[width:])
    ]
    if problems:
        raise RatingsError(problems[:200], len(problems))
    body = [(r + [""] * width)[:width] for r in records[1:]]
    return pd.DataFrame(body, columns=header, dtype=object)


def _item_scales(instrument: Instrument | None) -> dict[str, tuple[int, int]]:
    if instrument is None:
        return {}
    return {
        i.key: (instrument.scale(i.scale).min, instrument.scale(i.scale).max)
        for i in instrument.items
    }


def _rating(text: str, codes: Mapping[int, str], scale: tuple[int, int] | None) -> str | None:
    if not re.fullmatch(r"-?\d+", text):
        return None
    value = int(text)
    if value in codes:
        return codes[value]
    if scale is None or scale[0] <= value <= scale[1]:
        return str(value)
    return None


def _value_problem(
    source: str,
    row: int,
    field_name: str,
    text: str,
    item_key: str,
    scales: Mapping[str, tuple[int, int]],
    layout: RecordLayout,
) -> Problem:
    scale = scales.get(item_key)
    allowed = f"{scale[0]} to {scale[1]}" if scale else "a point of the scale"
    offered = {**layout.code_values, **layout.field_codes.get(field_name, {})}
    codes = ", ".join(f"{v} ({c})" for v, c in offered.items())
    labels = not re.fullmatch(r"-?[\d.]+", text)
    return RatingProblem(
        source,
        (field_name,),
        f"'{text}' is not a choice of the field '{field_name}' (item '{item_key}'): it takes "
        f"{allowed}" + (f", or the codes {codes}" if codes else "") + ".",
        "export the records as raw data (codes), not labels."
        if labels
        else "correct the value in REDCap and export the records again.",
        row,
    )


def redcap_ratings(
    source: Path | str,
    instrument: Instrument,
    layout: RecordLayout | DictionaryImport | None = None,
    *,
    rater: str = DEFAULT_RATER,
    only_complete: bool = False,
) -> RatingsTable:
    """Read a REDCap records export and check it as a ratings table.

    Parameters
    ----------
    source
        The records export (raw data, CSV).
    instrument
        The instrument rated.
    layout
        Where the ratings are; by default the fields :func:`data_dictionary` writes for
        ``instrument``.
    rater, only_complete
        As for :func:`read_redcap_records`.

    Returns
    -------
    RatingsTable
        The checked ratings.

    Raises
    ------
    RatingsError
        With every problem found, by row and field of the export where it can be placed.
    """
    frame = read_redcap_records(
        source,
        layout if layout is not None else instrument,
        instrument=instrument,
        rater=rater,
        only_complete=only_complete,
    )
    return read_ratings(frame, instrument, layout="long", name=str(source))
