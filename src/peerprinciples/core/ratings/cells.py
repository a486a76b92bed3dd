"""Cell values: blank or not, as text, and whole columns as integer codes into their texts.

The checks work on codes (one integer per row) and the few distinct texts of a column, so a
million rows are checked with array operations, not a loop per row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from peerprinciples.core.ratings.table import CONSENSUS_RATER, BoolArray, IntArray


def column_letter(index: int) -> str:
    """The spreadsheet letter of a column position (0 is A, 26 is AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_name(value: object) -> str:
    """A header cell as a column name: stripped, lower-case, inner spaces as '_'."""
    return re.sub(r"\s+", "_", str(value).strip().lower())


# --- cell values --------------------------------------------------------------------------------


def is_blank(value: object) -> bool:
    """Whether a cell is empty: None, NaN, NaT, NA or only white space."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, str) and not value.strip()


def as_text(value: object) -> str:
    """A cell as text: blank cells give '', whole floats lose their '.0'."""
    if is_blank(value):
        return ""
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, datetime | pd.Timestamp):
        return value.isoformat()
    return str(value).strip()


def factorize(values: pd.Series) -> tuple[IntArray, list[object]]:
    """Integer codes (−1 for missing) and the distinct values, without a loop per row."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        category_codes = np.asarray(values.cat.codes.to_numpy(), dtype=np.intp)
        return category_codes, values.cat.categories.to_numpy(dtype=object).tolist()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes, dtype=np.intp), np.asarray(uniques, dtype=object).tolist()


def lookup(codes: IntArray, table: Sequence[int] | IntArray) -> IntArray:
    """Map codes through ``table``; code −1 (missing) maps to −1."""
    mapping = np.asarray(table, dtype=np.intp)
    if np.array_equal(mapping, np.arange(len(mapping))):
        return codes  # nothing to merge or blank out
    extended = np.append(mapping, -1)
    result: IntArray = extended[codes]
    return result


@dataclass
class Column:
    """A column as codes into its distinct texts (−1 = blank)."""

    codes: IntArray
    texts: list[str]

    @classmethod
    def of(cls, values: pd.Series, kind: Literal["text", "key", "rater"] = "text") -> Column:
        """Codes and texts of a column: stripped; keys lower-cased; 'consensus' in any case."""
        codes, uniques = factorize(values)
        if pd.api.types.infer_dtype(uniques, skipna=False) == "string":
            texts = np.strings.strip(np.asarray(uniques, dtype=np.str_))
        else:
            texts = np.asarray([as_text(u) for u in uniques], dtype=np.str_)
        if kind == "key":
            texts = np.strings.lower(texts)
        elif kind == "rater":
            texts = np.where(np.strings.lower(texts) == CONSENSUS_RATER, CONSENSUS_RATER, texts)
        merged, distinct = pd.factorize(texts.astype(object))
        table = np.asarray(merged, dtype=np.intp)
        names = [str(t) for t in distinct]
        if "" in names:
            blank = names.index("")
            table = np.where(table == blank, -1, np.where(table > blank, table - 1, table))
            names.pop(blank)
        return cls(lookup(codes, table), names)

    def take(self, positions: IntArray) -> Column:
        """The column at ``positions`` only, with the same texts."""
        return Column(self.codes[positions], self.texts)

    def text(self, index: int) -> str:
        """The text of row ``index`` ('' when blank)."""
        code = int(self.codes[index])
        return self.texts[code] if code >= 0 else ""

    def categorical(self, categories: Sequence[str] | None = None) -> pd.Categorical[str]:
        """The column as a categorical, over its own texts or over ``categories``."""
        if categories is None:
            return pd.Categorical.from_codes(self.codes, categories=pd.Index(self.texts, dtype=str))
        position = {key: i for i, key in enumerate(categories)}
        table = [position.get(t, -1) for t in self.texts]
        return pd.Categorical.from_codes(
            lookup(self.codes, table), categories=pd.Index(list(categories), dtype=str)
        )


def key_positions(column: Column, keys: Sequence[str]) -> tuple[IntArray, BoolArray]:
    """Indexes into ``keys`` (−1 blank) and a mask of rows whose value is not a key."""
    position = {key: i for i, key in enumerate(keys)}
    table = [position.get(t, -2) for t in column.texts]
    index = lookup(column.codes, table)
    return index, index == -2


def first_positions(keys: npt.NDArray[np.int64]) -> dict[int, int]:
    """For each distinct key, the position of its first occurrence."""
    uniques, first = np.unique(keys, return_index=True)
    return dict(zip(uniques.tolist(), first.tolist(), strict=True))
