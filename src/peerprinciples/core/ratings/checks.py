"""The checks of a ratings table: its header, its layout, and every value in it.

Each check marks the rows that break a rule with a boolean mask and files one problem per
row (with the row as a spreadsheet shows it, the column and how to fix it); every problem is
found before any is raised.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.ratings.cells import (
    Column,
    column_letter,
    factorize,
    first_positions,
    header_name,
    is_blank,
    key_positions,
)
from peerprinciples.core.ratings.problems import DOCS, Collector
from peerprinciples.core.ratings.table import (
    CONSENSUS_RATER,
    KEY_COLUMNS,
    LONG_COLUMNS,
    OPTIONAL_COLUMNS,
    IntArray,
    Layout,
    RatingsTable,
    asked_matrix,
)
from peerprinciples.core.ratings.values import (
    BLANK,
    INVALID,
    NOT_WHOLE,
    OFF_SCALE,
    OK,
    RatingTexts,
    check_duplicates,
    check_interviews,
    parse_dates,
    parse_ratings,
)


def _list(keys: Sequence[str], limit: int = 12) -> str:
    shown = ", ".join(keys[:limit])
    return shown + (f", ... ({len(keys)} in all)" if len(keys) > limit else "")


def check_frame(
    frame: pd.DataFrame,
    instrument: Instrument,
    *,
    source: str,
    layout: Layout,
) -> RatingsTable:
    """Check a frame of text cells against the instrument and normalise it to the long layout."""
    item_keys = [item.key for item in instrument.items]
    notes: list[str] = []

    # --- the header --------------------------------------------------------------------------
    header = Collector(source, np.zeros(0, dtype=np.intp), None)
    names = [
        header_name(c) if not is_blank(c) else f"column {column_letter(i)}"
        for i, c in enumerate(frame.columns)
    ]
    seen: dict[str, int] = {}
    keep: list[int] = []
    for position, column_name in enumerate(names):
        if column_name in seen:
            header.file(
                f"the column '{column_name}' appears twice in the header (columns "
                f"{column_letter(seen[column_name])} and {column_letter(position)}).",
                "remove or rename one of them.",
                column_name,
                1,
            )
        else:
            seen[column_name] = position
            keep.append(position)
    frame = frame.iloc[:, keep]
    frame.columns = pd.Index([names[i] for i in keep])
    columns = list(frame.columns)

    if layout == "auto":
        named_items = [c for c in columns if c in item_keys]
        layout = (
            "wide" if named_items and "item" not in columns and "rating" not in columns else "long"
        )
    required = LONG_COLUMNS if layout == "long" else KEY_COLUMNS
    for column_name in required:
        if column_name not in columns:
            header.file(
                f"the required column '{column_name}' is missing (the header has: "
                f"{', '.join(columns) or 'nothing'}).",
                f"add a column '{column_name}' ({_COLUMN_HELP[column_name]}); see {DOCS} for "
                f"the {layout} layout.",
                column_name,
                1,
            )
    if "consensus" in columns:
        header.file(
            "a 'consensus' column is not used: the agreed rating of two or more raters is "
            f"a row (in the wide layout, a row per interview) with the rater "
            f"'{CONSENSUS_RATER}'.",
            f"remove the column and give each agreed rating the rater '{CONSENSUS_RATER}'.",
            "consensus",
            1,
        )
    known = set(LONG_COLUMNS) | set(OPTIONAL_COLUMNS) | {"consensus"}
    if layout == "wide":
        item_columns = [c for c in columns if c in item_keys]
        if not item_columns and all(c in columns for c in KEY_COLUMNS):
            header.file(
                "the wide layout needs a column for each item, named by its key, but the "
                "header names no item.",
                f"name the item columns by their keys ({_list(item_keys)}), or use the long "
                "layout.",
                None,
                1,
            )
        unnamed = [c for c in columns if c.startswith("column ")]
        if unnamed:
            notes.append(f"columns without a header, not used: {', '.join(unnamed)}")
        for column_name in columns:
            if column_name.startswith("column "):
                continue
            if column_name not in known and column_name not in item_keys:
                header.file(
                    f"the column '{column_name}' is neither an item of {instrument.ref} nor a "
                    "column of the ratings format.",
                    f"rename it to an item key ({_list(item_keys)}) or remove it.",
                    column_name,
                    1,
                )
        for column_name in ("item", "rating"):
            if column_name in columns:
                header.file(
                    f"the column '{column_name}' belongs to the long layout, but this "
                    "table has item columns (wide layout).",
                    "use one layout: either 'item' and 'rating' columns, or one column per item.",
                    column_name,
                    1,
                )
    else:
        ignored = [c for c in columns if c not in known]
        if ignored:
            notes.append(f"columns not used: {', '.join(ignored)}")
    header.raise_if_any()

    if layout == "long":
        return _check_long(frame, instrument, source, notes)
    return _check_wide(frame, instrument, source, notes, item_columns)


_COLUMN_HELP = {
    "interview": "an id for each interview",
    "informant": "who was interviewed, e.g. peer_worker",
    "item": "the item's key, e.g. rel_1",
    "rating": "the rating, or a special code such as NA",
    "rater": f"who rated; '{CONSENSUS_RATER}' for an agreed rating",
}


@dataclass
class _Long:
    """The long layout as codes, one entry per rating, before the checks on values."""

    rows: IntArray  # spreadsheet row of each rating
    columns: dict[str, Column]  # key and optional columns, per rating
    item: IntArray  # index into instrument items (−1 blank, −2 unknown)
    item_column: Column | None  # long layout only, for messages
    rating_codes: IntArray  # codes into rating_uniques
    rating_uniques: list[object]
    dates: pd.Series | None  # per rating
    rating_columns: list[str] | None = None  # wide layout: the item columns
    column_of_rating: IntArray | None = None  # wide layout: index into rating_columns


def _base_columns(frame: pd.DataFrame) -> dict[str, Column]:
    base: dict[str, Column] = {}
    for column_name in (*KEY_COLUMNS, *OPTIONAL_COLUMNS):
        if column_name not in frame.columns or column_name == "date":
            continue
        kind: Literal["text", "key", "rater"] = "text"
        if column_name == "informant":
            kind = "key"
        elif column_name == "rater":
            kind = "rater"
        base[column_name] = Column.of(frame[column_name], kind)
    return base


def _check_long(
    frame: pd.DataFrame, instrument: Instrument, source: str, notes: list[str]
) -> RatingsTable:
    base = _base_columns(frame)
    item_col = Column.of(frame["item"], "key")
    rating_codes, rating_uniques = factorize(frame["rating"])
    blank_unique = np.asarray([is_blank(u) for u in rating_uniques] + [True])
    blank = blank_unique[rating_codes] & (item_col.codes < 0)
    for column in base.values():
        blank &= column.codes < 0
    dates = frame["date"] if "date" in frame.columns else None
    rows = np.arange(len(frame), dtype=np.intp) + 2
    if blank.any():
        keep = np.flatnonzero(~blank).astype(np.intp)
        base = {k: c.take(keep) for k, c in base.items()}
        item_col, rating_codes, rows = item_col.take(keep), rating_codes[keep], rows[keep]
        dates = dates.iloc[keep] if dates is not None else None
    item_index, _ = key_positions(item_col, [item.key for item in instrument.items])
    long = _Long(rows, base, item_index, item_col, rating_codes, rating_uniques, dates)
    return _check_values(long, instrument, source, "long", notes)


def _check_wide(
    frame: pd.DataFrame,
    instrument: Instrument,
    source: str,
    notes: list[str],
    item_columns: list[str],
) -> RatingsTable:
    item_keys = [item.key for item in instrument.items]
    base = _base_columns(frame)
    n_base = len(frame)
    cells = pd.concat([frame[c].astype(object) for c in item_columns], ignore_index=True)
    codes, uniques = factorize(cells)
    blank_unique = np.asarray([is_blank(u) for u in uniques] + [True])
    filled = ~blank_unique[codes]
    key_blank = np.ones(n_base, dtype=bool)
    for column in base.values():
        key_blank &= column.codes < 0
    filled_any = filled.reshape(len(item_columns), n_base).any(axis=0)
    base_keep = ~(key_blank & ~filled_any)

    found = Collector(source, np.arange(n_base, dtype=np.intp) + 2, None)
    interview, rater = base["interview"], base["rater"]
    valid = base_keep & (interview.codes >= 0) & (rater.codes >= 0)
    pair = interview.codes.astype(np.int64) * (len(rater.texts) + 1) + rater.codes
    pair = np.where(valid, pair, -1 - np.arange(n_base, dtype=np.int64))
    repeated = pd.Series(pair).duplicated().to_numpy() & valid
    if repeated.any():
        first = first_positions(pair)
        found.rows_where(
            repeated,
            "interview",
            lambda i: (
                f"interview '{interview.text(i)}' already has a row by rater "
                f"'{rater.text(i)}' (row {first[int(pair[i])] + 2})."
            ),
            "keep one of the two rows; a second rater needs a name of their own, and the agreed "
            f"ratings the rater '{CONSENSUS_RATER}'.",
        )

    flat = np.flatnonzero(filled & np.tile(base_keep, len(item_columns)))
    positions = (flat % n_base).astype(np.intp)
    which = (flat // n_base).astype(np.intp)
    column_item = np.asarray([item_keys.index(c) for c in item_columns], dtype=np.intp)
    dates = frame["date"].iloc[positions] if "date" in frame.columns else None
    long = _Long(
        rows=positions + 2,
        columns={k: c.take(positions) for k, c in base.items()},
        item=column_item[which],
        item_column=None,
        rating_codes=codes[flat],
        rating_uniques=uniques,
        dates=dates,
        rating_columns=item_columns,
        column_of_rating=which,
    )
    return _check_values(long, instrument, source, "wide", notes, found)


def _check_values(
    long: _Long,
    instrument: Instrument,
    source: str,
    layout: Literal["long", "wide"],
    notes: list[str],
    earlier: Collector | None = None,
) -> RatingsTable:
    items = instrument.items
    item_keys = [item.key for item in items]
    informant_keys = [inf.key for inf in instrument.informants]
    code_keys = [code.code for code in instrument.codes]
    n = len(long.rows)
    rating_cols, column_of_rating = long.rating_columns, long.column_of_rating

    def rating_column(index: int) -> str:
        if rating_cols is None or column_of_rating is None:
            return "rating"
        return rating_cols[int(column_of_rating[index])]

    found = Collector(source, long.rows, rating_column)
    if earlier is not None:
        found.problems += earlier.problems
        found.total += earlier.total
    if n == 0:
        found.file(
            "the table has no ratings.",
            f"add one row per rating below the header (see {DOCS}).",
            None,
            2,
        )
        found.raise_if_any()

    columns = long.columns
    interview, rater = columns["interview"], columns["rater"]
    informant_col = columns["informant"]
    informant, unknown_informant = key_positions(informant_col, informant_keys)

    # --- empty and unknown keys ---------------------------------------------------------------
    found.rows_where(
        interview.codes < 0,
        "interview",
        lambda i: "the interview id is empty.",
        "write the id of the interview this rating comes from.",
    )
    found.rows_where(
        rater.codes < 0,
        "rater",
        lambda i: "the rater is empty.",
        "write who gave the rating (a pseudonymous code is enough), or "
        f"'{CONSENSUS_RATER}' for an agreed rating.",
    )
    found.rows_where(
        informant == -1,
        "informant",
        lambda i: "the informant is empty.",
        f"write who was interviewed: one of {', '.join(informant_keys)}.",
    )
    found.rows_where(
        unknown_informant,
        "informant",
        lambda i: f"'{informant_col.text(i)}' is not an informant of {instrument.ref}.",
        f"use one of its informants: {', '.join(informant_keys)}.",
    )
    item = long.item
    if long.item_column is not None:
        item_col = long.item_column
        found.rows_where(
            item == -1,
            "item",
            lambda i: "the item is empty.",
            f"write the key of the item rated, e.g. {item_keys[0]}.",
        )
        found.rows_where(
            item == -2,
            "item",
            lambda i: f"'{item_col.text(i)}' is not an item of {instrument.ref}.",
            f"use one of its item keys: {_list(item_keys)}.",
        )

    # --- items not asked of the informant -----------------------------------------------------
    # Codes −1 (blank) and −2 (unknown) index the last two rows and columns, which pass.
    asked = np.ones((len(informant_keys) + 2, len(items) + 2), dtype=bool)
    asked[: len(informant_keys), : len(items)] = asked_matrix(instrument)
    found.rows_where(
        ~asked[informant, item],
        "item" if layout == "long" else None,
        lambda i: (
            f"the item '{item_keys[int(item[i])]}' is not asked of the informant "
            f"'{informant_keys[int(informant[i])]}' (only of "
            f"{', '.join(items[int(item[i])].informants)})."
        ),
        "check the item and the informant on this row; remove the rating if it was entered "
        "by mistake.",
    )

    # --- ratings --------------------------------------------------------------------------------
    parsed = parse_ratings(long.rating_uniques, instrument)
    rating_codes = long.rating_codes
    texts = RatingTexts(rating_codes, parsed.texts)
    low = np.asarray([instrument.scale(it.scale).min for it in items], dtype=np.float64)
    high = np.asarray([instrument.scale(it.scale).max for it in items], dtype=np.float64)
    # the verdict on each (item, distinct cell): rows of the items, then unknown and blank items
    verdict = parsed.verdicts(low, high)
    row_verdict = verdict[item, rating_codes]
    if (row_verdict != OK).any():
        code_list = ", ".join(f"{c.code} ({c.label})" for c in instrument.codes) or "none"
        found.rows_where(
            row_verdict == BLANK,
            "rating",
            lambda i: "the rating is empty.",
            "write the rating, or a special code such as "
            f"{code_keys[-1] if code_keys else 'II'} when it could not be rated; or remove "
            "the row.",
        )

        def invalid_fix(index: int) -> str:
            if re.fullmatch(r"-?\d+,\d+", texts[index]):
                return (
                    "write numbers with a decimal point, not a comma, and give whole points of "
                    "the scale."
                )
            return f"write a point of the item's scale, or one of the codes {code_list}."

        found.rows_where(
            row_verdict == INVALID,
            None,
            lambda i: (
                f"'{texts[i]}' is neither a number nor one of the special codes of "
                f"{instrument.ref}."
            ),
            invalid_fix,
        )
        found.rows_where(
            row_verdict == NOT_WHOLE,
            None,
            lambda i: f"the rating {texts[i]} is not a whole number.",
            "give a whole point of the scale; where raters disagree, give each rater's rating "
            f"on a row of its own and the agreed value with the rater '{CONSENSUS_RATER}'.",
        )
        found.rows_where(
            row_verdict == OFF_SCALE,
            None,
            lambda i: (
                f"the rating {texts[i]} is off the scale: '{item_keys[int(item[i])]}' is "
                f"rated from {int(low[item[i]])} to {int(high[item[i]])}."
            ),
            lambda i: (
                f"give a whole number from {int(low[item[i]])} to {int(high[item[i]])}, or "
                f"one of the codes {code_list}."
            ),
        )

    # --- duplicates and interviews -------------------------------------------------------------
    if layout == "long":
        check_duplicates(found, interview, rater, item, item_keys)
    check_interviews(found, interview, columns)
    date_values = parse_dates(found, long.dates) if long.dates is not None else None
    found.raise_if_any()

    # --- the normalised table ------------------------------------------------------------------
    data: dict[str, object] = {
        "interview": interview.categorical(),
        "informant": _categorical(informant, informant_keys),
        "item": _categorical(item, item_keys),
        "rater": rater.categorical(),
        "rating": parsed.value[rating_codes],
        "code": _categorical(parsed.code[rating_codes], code_keys),
    }
    for column_name in ("service", "peer_worker", "round"):
        if column_name in columns:
            data[column_name] = columns[column_name].categorical()
        else:
            data[column_name] = _categorical(np.full(n, -1, dtype=np.intp), [])
    data["date"] = (
        date_values
        if date_values is not None
        else np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    )
    data["row"] = long.rows.astype(np.int64)
    present = tuple(
        c for c in OPTIONAL_COLUMNS if c in columns or (c == "date" and long.dates is not None)
    )
    return RatingsTable(
        pd.DataFrame(data, copy=False), instrument, source, layout, present, tuple(notes)
    )


def _categorical(codes: IntArray, categories: Sequence[str]) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(categories), dtype=str))
