"""item_spread against pandas on several datasets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peerprinciples.psychometrics import item_spread

from . import datasets
from .reference_values import SPREAD_HAND_REL_1

TOL = 1e-6

CASES = [
    pytest.param(datasets.hand_items, 1, 5, id="hand-made"),
    pytest.param(datasets.latent_items, 1, 5, id="latent-trait-seeded"),
    pytest.param(datasets.latent_items_missing, 1, 5, id="latent-trait-with-missing"),
    pytest.param(datasets.pingouin_alpha_wide, 1, 7, id="pingouin-cronbach_alpha"),
    pytest.param(datasets.pingouin_missing, 0, 1, id="pingouin-cronbach_wide_missing"),
]


@pytest.mark.parametrize(("make", "low", "high"), CASES)
def test_it_matches_pandas_counts_means_and_sds(make, low: int, high: int) -> None:
    data = make()
    spreads = item_spread(data, scale_min=low, scale_max=high)
    assert [spread.item for spread in spreads] == [str(column) for column in data.columns]
    for spread, column in zip(spreads, data.columns, strict=True):
        series = data[column].dropna()
        counts = series.value_counts().reindex(range(low, high + 1), fill_value=0)
        assert spread.n == series.size
        assert spread.n_missing == data[column].isna().sum()
        assert spread.mean == pytest.approx(series.mean(), abs=TOL)
        assert spread.sd == pytest.approx(series.std(), abs=TOL)
        assert [point.value for point in spread.distribution] == list(range(low, high + 1))
        assert [point.count for point in spread.distribution] == counts.tolist()
        shares = 100 * counts / series.size
        assert [point.percent for point in spread.distribution] == pytest.approx(
            shares.tolist(), abs=TOL
        )
        assert spread.percent_floor == pytest.approx(shares.iloc[0], abs=TOL)
        assert spread.percent_ceiling == pytest.approx(shares.iloc[-1], abs=TOL)


def test_it_reproduces_the_hand_counted_item() -> None:
    spread = item_spread(datasets.hand_items(), scale_min=1, scale_max=5)[0]
    assert spread.n == SPREAD_HAND_REL_1["n"]
    assert spread.mean == pytest.approx(SPREAD_HAND_REL_1["mean"], abs=TOL)
    assert spread.sd == pytest.approx(SPREAD_HAND_REL_1["sd"], abs=TOL)
    assert [point.count for point in spread.distribution] == SPREAD_HAND_REL_1["counts"]
    assert spread.percent_floor == SPREAD_HAND_REL_1["percent_floor"]
    assert spread.percent_ceiling == SPREAD_HAND_REL_1["percent_ceiling"]
    series = datasets.hand_items()["rel_1"]
    assert series.std() == pytest.approx(SPREAD_HAND_REL_1["sd"], abs=1e-12)


def test_it_lists_unused_scale_points_with_zero_counts() -> None:
    spread = item_spread(pd.DataFrame({"x": [3, 3, 4]}), scale_min=1, scale_max=5)[0]
    assert [(p.value, p.count, p.percent) for p in spread.distribution] == [
        (1, 0, 0.0),
        (2, 0, 0.0),
        (3, 2, pytest.approx(200 / 3)),
        (4, 1, pytest.approx(100 / 3)),
        (5, 0, 0.0),
    ]


def test_it_gives_no_sd_for_a_single_rating() -> None:
    spread = item_spread(pd.DataFrame({"x": [2.0, np.nan]}), scale_min=1, scale_max=5)[0]
    assert spread.n == 1
    assert spread.sd is None
    assert spread.n_missing == 1


def test_it_accepts_pandas_nullable_integers() -> None:
    data = pd.DataFrame({"x": pd.array([1, 2, None, 5], dtype="Int64")})
    spread = item_spread(data, scale_min=1, scale_max=5)[0]
    assert spread.n == 3
    assert spread.mean == pytest.approx(8 / 3)
