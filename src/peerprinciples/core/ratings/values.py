"""The values of a ratings table: ratings and special codes, duplicates, interviews, dates.

Only the distinct cells of a column are parsed; each row then picks its result by its code.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.ratings.cells import Column, as_text, factorize, first_positions, is_blank
from peerprinciples.core.ratings.problems import Collector
from peerprinciples.core.ratings.table import (
    CONSENSUS_RATER,
    INTERVIEW_ATTRIBUTES,
    FloatArray,
    IntArray,
    first_rows,
)

NUMBER, CODE, BLANK, INVALID = 0, 1, 2, 3
OK, NOT_WHOLE, OFF_SCALE = 0, 4, 5  # verdicts, besides BLANK and INVALID


@dataclass
class ParsedCells:
    """The distinct rating cells, parsed; a last entry stands for a missing cell (code −1)."""

    value: FloatArray  # the number, or NaN
    code: IntArray  # index of the special code, or −1
    kind: npt.NDArray[np.int8]
    texts: list[str]

    def verdicts(self, low: FloatArray, high: FloatArray) -> npt.NDArray[np.int8]:
        """Item (plus unknown and blank items) × distinct cell: what is wrong, if anything.

        A row's verdict is then one look-up, ``verdicts[item, cell]``, for a million rows.
        """
        n_items = len(low)
        verdict = np.zeros((n_items + 2, len(self.kind)), dtype=np.int8)
        verdict[:, self.kind == BLANK] = BLANK
        verdict[:, self.kind == INVALID] = INVALID
        numeric = self.kind == NUMBER
        value = np.where(numeric, self.value, 0.0)
        not_whole = numeric & (np.floor(value) != value)
        verdict[:, not_whole] = NOT_WHOLE
        whole = numeric & ~not_whole
        off = (value[None, :] < low[:, None]) | (value[None, :] > high[:, None])
        verdict[:n_items][off & whole[None, :]] = OFF_SCALE
        return verdict


def parse_ratings(uniques: list[object], instrument: Instrument) -> ParsedCells:
    """Parse each distinct rating cell: a number, a special code, blank or invalid.

    Only the distinct cell values are parsed; rows pick their result by code.
    """
    by_text = {c.code: i for i, c in enumerate(instrument.codes)}
    by_value = {float(c.value): i for i, c in enumerate(instrument.codes) if c.value is not None}
    u_value: list[float] = []
    u_code: list[int] = []
    u_kind: list[int] = []
    u_text: list[str] = []
    for unique in [*uniques, None]:
        text = as_text(unique)
        number: float | None = None
        if isinstance(unique, int | float | np.integer | np.floating) and not isinstance(
            unique, bool | np.bool_
        ):
            number = float(unique)
        elif text and text.upper() not in by_text:
            try:
                number = float(text)
            except ValueError:
                number = None
        result: tuple[float, int, int]
        if not text:
            result = (np.nan, -1, BLANK)
        elif text.upper() in by_text:
            result = (np.nan, by_text[text.upper()], CODE)
        elif number is not None and number in by_value:
            result = (np.nan, by_value[number], CODE)
        elif number is not None and math.isfinite(number):
            result = (number, -1, NUMBER)
        else:
            result = (np.nan, -1, INVALID)
        u_value.append(result[0])
        u_code.append(result[1])
        u_kind.append(result[2])
        u_text.append(text)
    return ParsedCells(
        np.asarray(u_value, dtype=np.float64),
        np.asarray(u_code, dtype=np.intp),
        np.asarray(u_kind, dtype=np.int8),
        u_text,
    )


@dataclass
class RatingTexts:
    """The text of each rating cell, looked up only for the rows that are reported."""

    codes: IntArray
    texts: list[str]

    def __getitem__(self, index: int) -> str:
        return self.texts[int(self.codes[index])]


def check_duplicates(
    found: Collector, interview: Column, rater: Column, item: IntArray, item_keys: list[str]
) -> None:
    """No two ratings of the same item in the same interview by the same rater."""
    valid = (interview.codes >= 0) & (rater.codes >= 0) & (item >= 0)
    n_items = len(item_keys)
    n_raters = len(rater.texts) + 1
    # number each interview-rater pair present, then count ratings per pair and item
    pair = interview.codes.astype(np.int64) * n_raters + rater.codes
    pair = np.where(valid, pair, 0)
    present = np.zeros((len(interview.texts) + 1) * n_raters, dtype=bool)
    present[pair] = True
    pair_id = (np.cumsum(present, dtype=np.int64) - 1)[pair]
    key = pair_id * n_items + np.where(valid, item, 0)
    counts = np.bincount(key[valid], minlength=int(present.sum()) * n_items)
    if counts.max(initial=0) <= 1:
        return
    key = np.where(valid, key, -1 - np.arange(len(key), dtype=np.int64))
    repeated = pd.Series(key).duplicated().to_numpy()
    involved = np.flatnonzero(np.isin(key, key[repeated]))
    first = {k: int(involved[i]) for k, i in first_positions(key[involved]).items()}
    rows = found.rows
    found.rows_where(
        repeated,
        "rater",
        lambda i: (
            f"interview '{interview.text(i)}' already has a rating of item "
            f"'{item_keys[int(item[i])]}' by rater '{rater.text(i)}' (row "
            f"{int(rows[first[int(key[i])]])})."
        ),
        "keep one of the two rows; a second rater needs a name of their own, and the agreed "
        f"rating the rater '{CONSENSUS_RATER}'.",
    )


def check_interviews(found: Collector, interview: Column, columns: dict[str, Column]) -> None:
    """Every row of an interview names the same informant, service, peer worker and round."""
    codes = interview.codes
    valid = codes >= 0
    first_of = first_rows(codes, len(interview.texts))
    reference = first_of[np.where(valid, codes, 0)] if len(first_of) else codes
    rows = found.rows
    for column_name in INTERVIEW_ATTRIBUTES:
        if column_name not in columns:
            continue
        column = columns[column_name]
        values = column.codes
        differs = valid & (values != values[reference])
        if not differs.any():
            continue
        # each interview once, at its first row that differs
        once = differs & ~pd.Series(np.where(differs, codes, -1)).duplicated().to_numpy()
        label = column_name.replace("_", " ")

        def message(i: int, column: Column = column, label: str = label) -> str:
            j = int(first_of[codes[i]])
            here = f"'{column.text(i)}'" if column.text(i) else "none"
            there = f"'{column.text(j)}'" if column.text(j) else "none"
            return (
                f"interview '{interview.text(i)}' has the {label} {here} here but {there} on "
                f"row {int(rows[j])}; every row of an interview must give the same {label}."
            )

        def fix(i: int, label: str = label) -> str:
            return (
                f"correct the {label} on this row or on row {int(rows[first_of[codes[i]]])}; "
                "if these are two interviews, give them different ids."
            )

        found.rows_where(once, column_name, message, fix)


def parse_dates(found: Collector, dates: pd.Series) -> npt.NDArray[np.datetime64]:
    """Dates as datetime64: cells that are dates, or text written YYYY-MM-DD."""
    codes, uniques = factorize(dates)
    parsed: list[pd.Timestamp | None] = []
    bad: list[bool] = []
    for unique in uniques:
        stamp: pd.Timestamp | None = None
        if isinstance(unique, datetime | date):
            stamp = pd.Timestamp(unique)
        elif not is_blank(unique):
            text = as_text(unique)
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}([ T].*)?", text):
                converted = pd.to_datetime(text, format="ISO8601", errors="coerce")
                stamp = None if pd.isna(converted) else pd.Timestamp(converted)
        parsed.append(stamp)
        bad.append(stamp is None and not is_blank(unique))
    values = pd.DatetimeIndex([*parsed, None]).astype("datetime64[ns]").to_numpy()
    bad_rows = np.asarray([*bad, False], dtype=bool)[codes]
    texts = [as_text(u) for u in uniques]
    found.rows_where(
        bad_rows,
        "date",
        lambda i: f"'{texts[int(codes[i])]}' is not a date.",
        "write dates as YYYY-MM-DD, e.g. 2024-03-31.",
    )
    result: npt.NDArray[np.datetime64] = values[codes]
    return result
