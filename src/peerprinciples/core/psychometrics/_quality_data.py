"""The data the quality summary works on: ratings arranged as a cube of targets, raters and
items for agreement, ICC per item, the spread of a score, and row means that skip gaps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._data import FloatArray, check_frame, label, numeric_items
from ._errors import ConstantItemError, PsychometricsError
from ._results import IccEstimate, ScoreSpread
from .intraclass import icc_arrays, icc_estimates
from .percent import percent_arrays
from .spread import check_on_scale


@dataclass(frozen=True, slots=True)
class RatingsCube:
    """Double-rated data as targets × raters × columns (NaN = missing)."""

    values: FloatArray
    columns: dict[str, int]
    n_double_rated: int


def ratings_cube(
    agreement_data: pd.DataFrame,
    targets: str | None,
    raters: str | None,
    items: Sequence[str],
    scale_min: int,
    scale_max: int,
) -> RatingsCube:
    func = "quality_summary"
    check_frame(agreement_data, func)
    if targets is None or raters is None:
        raise PsychometricsError(
            f"{func}: with agreement_data pass targets= and raters=, the columns naming the "
            "interview and the rater (or first/second rating) of each row."
        )
    columns = {label(column): column for column in agreement_data.columns}
    missing = [name for name in (targets, raters, *items) if name not in columns]
    if missing:
        raise PsychometricsError(
            f"{func}: agreement_data lacks the column(s) {', '.join(map(repr, missing))}; it "
            "needs one row per rating with the targets and raters columns and every item."
        )
    names, values = numeric_items(agreement_data[[columns[name] for name in items]], func)
    check_on_scale(names, values, scale_min, scale_max, func)
    target_codes, target_labels = pd.factorize(agreement_data[columns[targets]], sort=True)
    rater_codes, rater_labels = pd.factorize(agreement_data[columns[raters]], sort=True)
    if (target_codes < 0).any() or (rater_codes < 0).any():
        raise PsychometricsError(
            f"{func}: some rows of agreement_data have no {targets!r} or no {raters!r}."
        )
    n_targets, n_raters = len(target_labels), len(rater_labels)
    flat = target_codes.astype(np.int64) * n_raters + rater_codes
    if np.unique(flat).size != flat.size:
        row = int(np.flatnonzero(pd.Series(flat).duplicated().to_numpy())[0])
        raise PsychometricsError(
            f"{func}: in agreement_data, target {label(target_labels[target_codes[row]])!r} has "
            f"more than one row for rater {label(rater_labels[rater_codes[row]])!r}; keep one "
            "row per target and rater."
        )
    flat_cube = np.full((n_targets * n_raters, len(items)), np.nan)
    flat_cube[flat] = values
    cube = flat_cube.reshape(n_targets, n_raters, len(items))
    rated = (~np.isnan(cube)).any(axis=2).sum(axis=1)
    keep = rated >= 2
    return RatingsCube(
        values=cube[keep],
        columns={name: i for i, name in enumerate(items)},
        n_double_rated=int(keep.sum()),
    )


def icc_per_column(
    cube: FloatArray, icc_form: str
) -> tuple[list[IccEstimate | PsychometricsError], FloatArray, FloatArray]:
    """Chosen ICC form, % exact and % adjacent for every column of a targets × raters × m cube.

    Targets missing a rating of a column are left out of that column (listwise per column).
    """
    m = cube.shape[2]
    complete = np.asarray(~np.isnan(cube).any(axis=1), dtype=np.bool_)
    estimates: list[IccEstimate | PsychometricsError] = []
    exact = np.full(m, np.nan)
    adjacent = np.full(m, np.nan)
    groups: dict[bytes, list[int]] = {}
    for j in range(m):
        groups.setdefault(complete[:, j].tobytes(), []).append(j)
    results: dict[int, IccEstimate | PsychometricsError] = {}
    k = cube.shape[1]
    for columns in groups.values():
        rows = complete[:, columns[0]]
        block = cube[rows][:, :, columns]
        n = block.shape[0]
        if n < 2:
            error = PsychometricsError(
                f"only {n} interview(s) have ratings from every rater for this item; at least "
                "2 are needed."
            )
            results.update(dict.fromkeys(columns, error))
            continue
        exact[columns], adjacent[columns] = percent_arrays(block, 1.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            arrays = icc_arrays(block, 0.95)
        for position, j in enumerate(columns):
            if arrays["ss_total"][position] == 0:
                results[j] = ConstantItemError(
                    "every double-rated interview got the same rating from every rater, so "
                    "agreement is perfect but there is no variation to measure it against."
                )
            elif arrays["msb"][position] == 0:
                results[j] = ConstantItemError(
                    "every double-rated interview has the same average rating, so the "
                    "interviews cannot be told apart and the ICC is undefined."
                )
            else:
                results[j] = icc_estimates(arrays, position, n, k, 0.95)[icc_form]
    estimates = [results[j] for j in range(m)]
    return estimates, exact, adjacent


def spread_of_scores(scores: FloatArray, scale_min: int, scale_max: int) -> ScoreSpread | None:
    present = scores[~np.isnan(scores)]
    n = present.size
    if n == 0:
        return None
    return ScoreSpread(
        n=int(n),
        mean=float(present.mean()),
        sd=float(present.std(ddof=1)) if n >= 2 else None,
        percent_floor=float(100.0 * (present == scale_min).mean()),
        percent_ceiling=float(100.0 * (present == scale_max).mean()),
    )


def row_means(values: FloatArray) -> FloatArray:
    """Mean of the answered items per row (NaN for a row with no answer), without warnings."""
    answered = ~np.isnan(values)
    counts = answered.sum(axis=-1)
    sums = np.where(answered, values, 0.0).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(np.where(counts > 0, sums / counts, np.nan), dtype=np.float64)
