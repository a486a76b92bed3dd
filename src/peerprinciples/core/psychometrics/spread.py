"""Spread of item ratings over their scale: n, mean, SD, distribution, floor and ceiling."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._data import FloatArray, check_frame, check_no_empty_items, format_value, numeric_items
from ._errors import OutOfScaleError, PsychometricsError
from ._results import ItemSpread, ScalePoint

__all__ = ["item_spread"]


def check_scale(scale_min: int, scale_max: int, func: str) -> None:
    for name, value in (("scale_min", scale_min), ("scale_max", scale_max)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise PsychometricsError(
                f"{func}: {name} must be a whole number (the lowest/highest scale point), "
                f"got {value!r}."
            )
    if scale_min >= scale_max:
        raise PsychometricsError(
            f"{func}: scale_min ({scale_min}) must be below scale_max ({scale_max})."
        )


def check_on_scale(
    names: list[str], values: FloatArray, scale_min: int, scale_max: int, func: str
) -> None:
    observed = ~np.isnan(values)
    off = observed & (
        (values < scale_min) | (values > scale_max) | (values != np.floor(np.nan_to_num(values)))
    )
    if off.any():
        row, col = (int(i[0]) for i in np.nonzero(off))
        raise OutOfScaleError(
            f"{func}: item {names[col]!r} has the rating {format_value(values[row, col])} in row "
            f"{row + 1}, which is not a point of the scale {scale_min}–{scale_max}; correct the "
            "rating, mark it missing, or pass the right scale_min/scale_max."
        )


def _scale_counts(values: FloatArray, scale_min: int, scale_max: int) -> npt.NDArray[np.int64]:
    """Counts per item (rows) and scale point (columns) of the non-missing ratings."""
    n_points = scale_max - scale_min + 1
    n_items = values.shape[1]
    observed = ~np.isnan(values)
    columns = np.broadcast_to(np.arange(n_items), values.shape)[observed]
    codes = values[observed].astype(np.int64) - scale_min
    flat = columns * n_points + codes
    return np.bincount(flat, minlength=n_items * n_points).reshape(n_items, n_points)


def item_spread(
    data: pd.DataFrame,
    *,
    scale_min: int,
    scale_max: int,
) -> tuple[ItemSpread, ...]:
    """Distribution of every item's ratings over its scale.

    For each item (column) gives the number of ratings, mean, standard deviation, the count and
    percentage at every point of the scale (including unused points) and the percentage at the
    floor (``scale_min``) and ceiling (``scale_max``).

    Parameters
    ----------
    data : pandas.DataFrame
        Wide table: one row per case (interview), one numeric column per item. Missing ratings
        are NaN (or ``pd.NA``); they are left out of every figure and counted in ``n_missing``.
    scale_min, scale_max : int
        Lowest and highest point of the rating scale, e.g. ``1`` and ``5``. Every rating must be
        a whole number in this range.

    Returns
    -------
    tuple of ItemSpread
        One entry per column, in column order.

    Raises
    ------
    NoDataError
        If the table is empty, every rating is missing, or an item has no ratings at all.
    NonNumericDataError
        If a column is not numeric.
    OutOfScaleError
        If a rating is not a whole number between ``scale_min`` and ``scale_max``.

    Notes
    -----
    With :math:`x_1, \\dots, x_n` the non-missing ratings of an item,

    .. math::

        \\bar x = \\frac{1}{n}\\sum_i x_i, \\qquad
        s = \\sqrt{\\frac{1}{n-1}\\sum_i (x_i - \\bar x)^2}, \\qquad
        \\%_{c} = 100\\,\\frac{\\#\\{i : x_i = c\\}}{n}

    for every scale point :math:`c`. The floor and ceiling percentages are
    :math:`\\%_{\\min}` and :math:`\\%_{\\max}`. Terwee et al. [1]_ regard more than 15% at the
    floor or ceiling as a floor or ceiling effect. The standard deviation is ``None`` for a
    single rating.

    References
    ----------
    .. [1] Terwee, C. B., Bot, S. D. M., de Boer, M. R., et al. (2007). Quality criteria were
           proposed for measurement properties of health status questionnaires. Journal of
           Clinical Epidemiology, 60(1), 34–42. https://doi.org/10.1016/j.jclinepi.2006.03.012

    Examples
    --------
    >>> import pandas as pd
    >>> from peerprinciples.psychometrics import item_spread
    >>> data = pd.DataFrame({"rel_1": [5, 5, 4, 5], "rel_2": [1, 2, 3, None]})
    >>> first, second = item_spread(data, scale_min=1, scale_max=5)
    >>> first.percent_ceiling
    75.0
    >>> [point.count for point in second.distribution]
    [1, 1, 1, 0, 0]
    """
    func = "item_spread"
    check_frame(data, func)
    check_scale(scale_min, scale_max, func)
    names, values = numeric_items(data, func)
    check_no_empty_items(names, values, func)
    check_on_scale(names, values, scale_min, scale_max, func)

    return tuple(
        spread for spread in spreads_from_values(names, values, scale_min, scale_max) if spread
    )


def spreads_from_values(
    names: list[str], values: FloatArray, scale_min: int, scale_max: int
) -> list[ItemSpread | None]:
    """Spread of each column of a checked on-scale matrix; ``None`` for an item without ratings."""
    counts = _scale_counts(values, scale_min, scale_max)
    n = counts.sum(axis=1)
    points = range(scale_min, scale_max + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        observed = ~np.isnan(values)
        means = np.where(observed, values, 0.0).sum(axis=0) / n
        deviations = np.where(observed, values - means, 0.0)
        sds = np.sqrt((deviations**2).sum(axis=0) / (n - 1))
        percents = 100.0 * counts / n[:, None]
    result: list[ItemSpread | None] = []
    for j, name in enumerate(names):
        if n[j] == 0:
            result.append(None)
            continue
        distribution = tuple(
            ScalePoint(value=point, count=int(counts[j, p]), percent=float(percents[j, p]))
            for p, point in enumerate(points)
        )
        result.append(
            ItemSpread(
                item=name,
                n=int(n[j]),
                n_missing=int(values.shape[0] - n[j]),
                mean=float(means[j]),
                sd=float(sds[j]) if n[j] >= 2 else None,
                distribution=distribution,
                percent_floor=float(percents[j, 0]),
                percent_ceiling=float(percents[j, -1]),
                scale_min=scale_min,
                scale_max=scale_max,
            )
        )
    return result
