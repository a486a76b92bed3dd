"""Turning pandas input into checked numpy arrays, with clear errors."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._errors import (
    ConstantItemError,
    NoDataError,
    NonNumericDataError,
    PsychometricsError,
    SingleRaterError,
    TooFewCasesError,
    TooFewItemsError,
)

FloatArray = npt.NDArray[np.float64]


def check_frame(data: object, func: str) -> pd.DataFrame:
    """Return ``data`` if it is a DataFrame, else raise ``TypeError``."""
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"{func} expects a pandas DataFrame, got {type(data).__name__}; "
            "wrap your data with pandas.DataFrame(...) first."
        )
    return data


def check_choice(value: object, allowed: Sequence[str], argument: str, func: str) -> None:
    """Raise ``PsychometricsError`` unless ``value`` is one of ``allowed``."""
    if value not in allowed:
        options = ", ".join(repr(option) for option in allowed)
        raise PsychometricsError(f"{func}: {argument} must be one of {options}, got {value!r}.")


def check_confidence(confidence: float, func: str) -> None:
    """Raise ``PsychometricsError`` unless ``0 < confidence < 1``."""
    if not 0.0 < confidence < 1.0:
        raise PsychometricsError(
            f"{func}: confidence must lie strictly between 0 and 1 (e.g. 0.95), got {confidence!r}."
        )


def label(value: Hashable) -> str:
    """Column or index label as text, for messages and results."""
    return str(value)


def format_value(value: Any) -> str:
    """A rating as text: ``3`` rather than ``3.0``."""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value)


def numeric_items(data: pd.DataFrame, func: str) -> tuple[list[str], FloatArray]:
    """Item names and a float matrix (cases × items, NaN = missing) from a wide table.

    Raises ``NoDataError`` for an empty table or one without any rating, and
    ``NonNumericDataError`` naming the non-numeric columns.
    """
    if data.shape[1] == 0 or data.shape[0] == 0:
        raise NoDataError(
            f"{func} got an empty table ({data.shape[0]} rows × {data.shape[1]} columns); "
            "pass one row per case and one column per item."
        )
    values = data.to_numpy()
    if values.dtype.kind in "biuf":  # plain numeric columns: the common, fast case
        values = values.astype(np.float64)
    else:
        bad = [
            label(name)
            for name, dtype in data.dtypes.items()
            if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype))
        ]
        if bad:
            raise NonNumericDataError(
                f"{func} needs numeric ratings, but column(s) {', '.join(map(repr, bad))} are "
                "not numeric; convert them (e.g. with pandas.to_numeric) or drop them."
            )
        values = data.to_numpy(dtype=np.float64, na_value=np.nan)
    names = [label(name) for name in data.columns]
    if len(set(names)) != len(names):
        raise PsychometricsError(
            f"{func}: column names must be unique, but {names!r} repeats a name; rename them."
        )
    if np.isinf(values).any():
        raise NonNumericDataError(
            f"{func}: the table contains infinite values; replace them with NaN (missing) or "
            "with valid ratings."
        )
    if np.isnan(values).all():
        raise NoDataError(
            f"{func}: every rating is missing, so there is nothing to compute; check that the "
            "right columns were selected and that the ratings were imported."
        )
    return names, values


def require_items(names: Sequence[str], minimum: int, func: str, why: str) -> None:
    """Raise ``TooFewItemsError`` if there are fewer than ``minimum`` items."""
    if len(names) < minimum:
        raise TooFewItemsError(
            f"{func} needs at least {minimum} items {why}, but got {len(names)} "
            f"({', '.join(map(repr, names)) or 'none'}); pass more item columns."
        )


def check_no_empty_items(names: Sequence[str], values: FloatArray, func: str) -> None:
    """Raise ``NoDataError`` naming any item whose ratings are all missing."""
    empty = np.isnan(values).all(axis=0)
    if empty.any():
        which = ", ".join(repr(names[int(i)]) for i in np.flatnonzero(empty))
        raise NoDataError(
            f"{func}: item(s) {which} have no ratings at all (every value is missing); drop "
            "them or check the import."
        )


def check_constant_items(names: Sequence[str], values: FloatArray, func: str, case: str) -> None:
    """Raise ``ConstantItemError`` for the first item with a single observed value."""
    if np.isnan(values).any():
        low = np.nanmin(values, axis=0)
        high = np.nanmax(values, axis=0)
    else:
        low = values.min(axis=0)
        high = values.max(axis=0)
    constant = np.flatnonzero(low == high)
    if constant.size:
        i = int(constant[0])
        raise ConstantItemError(
            f"{func} needs items with variance; item {names[i]!r} has the same rating "
            f"({format_value(low[i])}) in every {case}, so it cannot be correlated with the "
            "others — drop it or check the data."
        )


@dataclass(frozen=True, slots=True)
class RatingsMatrix:
    """Ratings as targets × raters (NaN or None = missing) with the labels."""

    values: npt.NDArray[Any]
    missing: npt.NDArray[np.bool_]
    target_index: pd.Index
    raters: list[str]
    numeric: bool

    def target(self, row: int) -> str:
        """The label of target ``row`` (labels are only formatted when a message needs one)."""
        return label(self.target_index[row])


def _is_numeric(data: pd.DataFrame) -> bool:
    return all(
        pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)
        for dtype in data.dtypes
    )


def ratings_matrix(
    data: pd.DataFrame,
    targets: str | None,
    raters: str | None,
    ratings: str | None,
    func: str,
) -> RatingsMatrix:
    """Targets × raters ratings from wide data or from long data with three column names."""
    given = [name is not None for name in (targets, raters, ratings)]
    if any(given) and not all(given):
        raise PsychometricsError(
            f"{func}: for long-format data pass all three of targets=, raters= and ratings= "
            "(column names); for wide data (one row per target, one column per rater) pass none."
        )
    if data.shape[0] == 0 or data.shape[1] == 0:
        raise NoDataError(f"{func} got an empty table; there are no ratings to compare.")
    if targets is not None and raters is not None and ratings is not None:
        missing = [name for name in (targets, raters, ratings) if name not in data.columns]
        if missing:
            raise PsychometricsError(
                f"{func}: column(s) {', '.join(map(repr, missing))} not found; the table has "
                f"{', '.join(map(repr, map(label, data.columns)))}."
            )
        return _long_to_matrix(data, targets, raters, ratings, func)
    values: npt.NDArray[Any] = data.to_numpy()
    # Plain numeric columns need no per-column check (the common, fast case).
    numeric = values.dtype.kind in "biuf" or _is_numeric(data)
    if numeric:
        values = (
            values.astype(np.float64)
            if values.dtype.kind in "biuf"
            else data.to_numpy(dtype=np.float64, na_value=np.nan)
        )
        if np.isinf(values).any():
            raise NonNumericDataError(
                f"{func}: the ratings contain infinite values; replace them with NaN (missing) "
                "or with valid ratings."
            )
    else:
        values = data.astype(object).where(data.notna(), None).to_numpy(dtype=object)
    return RatingsMatrix(
        values=values,
        missing=missing_mask(values),
        target_index=data.index,
        raters=[label(name) for name in data.columns],
        numeric=numeric,
    )


def _long_to_matrix(
    data: pd.DataFrame, targets: str, raters: str, ratings: str, func: str
) -> RatingsMatrix:
    target_codes, target_labels = pd.factorize(data[targets], sort=True)
    rater_codes, rater_labels = pd.factorize(data[raters], sort=True)
    if (target_codes < 0).any() or (rater_codes < 0).any():
        raise PsychometricsError(
            f"{func}: some rows have no {targets!r} or no {raters!r}; every rating needs both."
        )
    n_targets, n_raters = len(target_labels), len(rater_labels)
    flat = target_codes.astype(np.int64) * n_raters + rater_codes
    if np.unique(flat).size != flat.size:
        pairs = pd.Series(flat).duplicated(keep=False).to_numpy()
        row = int(np.flatnonzero(pairs)[0])
        raise PsychometricsError(
            f"{func}: target {label(data[targets].iloc[row])!r} has more than one rating from "
            f"rater {label(data[raters].iloc[row])!r}; keep one rating per target and rater."
        )
    column = data[ratings]
    numeric = pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(
        column.dtype
    )
    values: npt.NDArray[Any]
    if numeric:
        values = np.full(n_targets * n_raters, np.nan)
        values[flat] = column.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        values = np.full(n_targets * n_raters, None, dtype=object)
        values[flat] = column.astype(object).where(column.notna(), None).to_numpy(dtype=object)
    matrix = values.reshape(n_targets, n_raters)
    return RatingsMatrix(
        values=matrix,
        missing=missing_mask(matrix),
        target_index=pd.Index(target_labels),
        raters=[label(name) for name in rater_labels],
        numeric=numeric,
    )


def missing_mask(values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
    """True where a rating is missing (NaN for numbers, None/NaN for objects)."""
    if values.dtype == object:
        return np.asarray(pd.isna(values), dtype=np.bool_)
    return np.asarray(np.isnan(values), dtype=np.bool_)


def require_raters(matrix: RatingsMatrix, func: str) -> npt.NDArray[np.intp]:
    """Raise ``NoDataError`` / ``SingleRaterError`` for no ratings or a single rater.

    Returns the number of ratings of each rater.
    """
    per_rater = np.count_nonzero(~matrix.missing, axis=0)
    if not per_rater.any():
        raise NoDataError(
            f"{func}: every rating is missing, so there is nothing to compare; check that the "
            "right columns were selected and that the ratings were imported."
        )
    if np.count_nonzero(per_rater) < 2:
        only = matrix.raters[int(np.flatnonzero(per_rater)[0])]
        raise SingleRaterError(
            f"{func} needs ratings from at least 2 raters of the same targets, but only rater "
            f"{only!r} has ratings; add the second rater's ratings (double-rated interviews)."
        )
    return np.asarray(per_rater, dtype=np.intp)


def complete_targets(
    matrix: RatingsMatrix, nan_policy: str, func: str, minimum: int
) -> tuple[npt.NDArray[Any], int]:
    """Rows with every rating present (listwise), and the number of rows dropped.

    With ``nan_policy="raise"`` any missing rating raises. Raises ``TooFewCasesError`` when
    fewer than ``minimum`` complete targets remain.
    """
    incomplete = matrix.missing.any(axis=1)
    if incomplete.any() and nan_policy == "raise":
        row = int(np.flatnonzero(incomplete)[0])
        raise PsychometricsError(
            f"{func}: target {matrix.target(row)!r} is missing a rating and "
            "nan_policy='raise'; use nan_policy='listwise' to leave such targets out."
        )
    kept = matrix.values[~incomplete]
    if kept.shape[0] < minimum:
        raise TooFewCasesError(
            f"{func} needs at least {minimum} targets rated by all {len(matrix.raters)} raters, "
            f"but only {kept.shape[0]} of {len(matrix.target_index)} are complete; rate more "
            "targets by every rater, or drop the raters who rated few targets."
        )
    return kept, int(incomplete.sum())
