"""Cronbach's alpha, item-total statistics and McDonald's omega against reference packages."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pingouin
import pytest
from scipy import stats

from peerprinciples.psychometrics import cronbach_alpha, mcdonald_omega

from . import datasets
from .reference_values import (
    ALPHA_HAND,
    ALPHA_IF_DELETED_LATENT_ITEM_1,
    ALPHA_LATENT,
    ALPHA_MISSING_LISTWISE,
    ALPHA_MISSING_PAIRWISE,
    ALPHA_MISSING_PAIRWISE_CI,
    ALPHA_MISSING_PAIRWISE_CI_ROUNDED,
    ALPHA_PINGOUIN_WIDE,
    FACTOR_ANALYZER_LOADINGS,
    ITEM_TOTAL_LATENT_ITEM_1,
)

TOL = 1e-6

ALPHA_CASES = [
    pytest.param(datasets.hand_items, "pairwise", id="hand-made"),
    pytest.param(datasets.latent_items, "pairwise", id="latent-trait-seeded"),
    pytest.param(datasets.pingouin_alpha_wide, "pairwise", id="pingouin-cronbach_alpha"),
    pytest.param(datasets.big_five, "pairwise", id="pingouin-big-five"),
    pytest.param(datasets.pingouin_missing, "pairwise", id="pingouin-missing-pairwise"),
    pytest.param(datasets.pingouin_missing, "listwise", id="pingouin-missing-listwise"),
    pytest.param(datasets.latent_items_missing, "pairwise", id="latent-missing-pairwise"),
    pytest.param(datasets.latent_items_missing, "listwise", id="latent-missing-listwise"),
]


def _used(data: pd.DataFrame, nan_policy: str) -> pd.DataFrame:
    return data.dropna() if nan_policy == "listwise" else data


def _feldt(alpha: float, n: int, k: int) -> tuple[float, float]:
    return (
        1 - (1 - alpha) * stats.f.isf(0.025, n - 1, (n - 1) * (k - 1)),
        1 - (1 - alpha) * stats.f.isf(0.975, n - 1, (n - 1) * (k - 1)),
    )


@pytest.mark.parametrize(("make", "nan_policy"), ALPHA_CASES)
def test_alpha_and_its_interval_match_pingouin(
    make: Callable[[], pd.DataFrame], nan_policy
) -> None:
    data = make()
    result = cronbach_alpha(data, nan_policy=nan_policy)
    reference, rounded_ci = pingouin.cronbach_alpha(data=_used(data, nan_policy))
    assert result.alpha == pytest.approx(reference, abs=TOL)
    assert result.n_items == data.shape[1]
    assert result.n_cases == _used(data, nan_policy).shape[0]
    # pingouin rounds its interval to three decimals; the unrounded bounds are Feldt's formula.
    assert (result.ci.lower, result.ci.upper) == pytest.approx(tuple(rounded_ci), abs=5e-4)
    expected = _feldt(reference, result.n_cases, result.n_items)
    assert (result.ci.lower, result.ci.upper) == pytest.approx(expected, abs=TOL)
    assert result.ci.level == 0.95
    assert "Feldt" in result.ci.method


@pytest.mark.parametrize(("make", "nan_policy"), ALPHA_CASES)
def test_alpha_if_item_deleted_matches_pingouin_without_that_item(make, nan_policy) -> None:
    data = make()
    result = cronbach_alpha(data, nan_policy=nan_policy)
    used = _used(data, nan_policy)
    for entry, column in zip(result.items, data.columns, strict=True):
        reference, _ = pingouin.cronbach_alpha(data=used.drop(columns=column))
        assert entry.alpha_if_deleted == pytest.approx(reference, abs=TOL)


@pytest.mark.parametrize(
    "make",
    [datasets.hand_items, datasets.latent_items, datasets.pingouin_alpha_wide, datasets.big_five],
)
def test_corrected_item_total_is_the_pearson_correlation_with_the_rest_score(make) -> None:
    data = make()
    result = cronbach_alpha(data)
    for entry, column in zip(result.items, data.columns, strict=True):
        rest = data.drop(columns=column).sum(axis=1)
        assert entry.corrected_item_total == pytest.approx(
            stats.pearsonr(data[column], rest).statistic, abs=TOL
        )


@pytest.mark.parametrize("make", [datasets.pingouin_missing, datasets.latent_items_missing])
def test_corrected_item_total_uses_the_complete_cases_when_listwise(make) -> None:
    data = make()
    complete = data.dropna()
    result = cronbach_alpha(data, nan_policy="listwise")
    for entry, column in zip(result.items, data.columns, strict=True):
        rest = complete.drop(columns=column).sum(axis=1)
        assert entry.corrected_item_total == pytest.approx(
            stats.pearsonr(complete[column], rest).statistic, abs=TOL
        )


@pytest.mark.parametrize("make", [datasets.pingouin_missing, datasets.latent_items_missing])
def test_pairwise_item_total_follows_from_the_pandas_pairwise_covariance(make) -> None:
    data = make()
    cov = data.cov().to_numpy()  # pandas: each entry from the cases answering both items
    rows, total, variances = cov.sum(axis=1), cov.sum(), np.diag(cov)
    expected = (rows - variances) / np.sqrt(variances * (total - 2 * rows + variances))
    result = cronbach_alpha(data, nan_policy="pairwise")
    got = [entry.corrected_item_total for entry in result.items]
    assert got == pytest.approx(expected.tolist(), abs=TOL)


def test_alpha_reproduces_the_pinned_values() -> None:
    missing = datasets.pingouin_missing()
    pinned = [
        (cronbach_alpha(missing).alpha, ALPHA_MISSING_PAIRWISE),
        (cronbach_alpha(missing, nan_policy="listwise").alpha, ALPHA_MISSING_LISTWISE),
        (cronbach_alpha(datasets.pingouin_alpha_wide()).alpha, ALPHA_PINGOUIN_WIDE),
        (cronbach_alpha(datasets.latent_items()).alpha, ALPHA_LATENT),
        (cronbach_alpha(datasets.hand_items()).alpha, ALPHA_HAND),
    ]
    for got, expected in pinned:
        assert got == pytest.approx(expected, abs=TOL)
    ci = cronbach_alpha(missing).ci
    assert (ci.lower, ci.upper) == pytest.approx(ALPHA_MISSING_PAIRWISE_CI, abs=TOL)
    item = cronbach_alpha(datasets.latent_items()).item("item_1")
    assert item.corrected_item_total == pytest.approx(ITEM_TOTAL_LATENT_ITEM_1, abs=TOL)
    assert item.alpha_if_deleted == pytest.approx(ALPHA_IF_DELETED_LATENT_ITEM_1, abs=TOL)


def test_the_reference_packages_still_give_the_pinned_values() -> None:
    missing = datasets.pingouin_missing()
    alpha, ci = pingouin.cronbach_alpha(data=missing)
    assert alpha == pytest.approx(ALPHA_MISSING_PAIRWISE, abs=1e-12)
    assert tuple(ci) == ALPHA_MISSING_PAIRWISE_CI_ROUNDED
    assert pingouin.cronbach_alpha(data=missing, nan_policy="listwise")[0] == pytest.approx(
        ALPHA_MISSING_LISTWISE, abs=1e-12
    )
    assert pingouin.cronbach_alpha(data=datasets.latent_items())[0] == pytest.approx(
        ALPHA_LATENT, abs=1e-12
    )
    data = datasets.latent_items()
    rest = data.drop(columns="item_1").sum(axis=1)
    assert stats.pearsonr(data["item_1"], rest).statistic == pytest.approx(
        ITEM_TOTAL_LATENT_ITEM_1, abs=1e-12
    )
    assert _feldt(ALPHA_MISSING_PAIRWISE, 12, 11) == pytest.approx(
        ALPHA_MISSING_PAIRWISE_CI, abs=1e-12
    )


def test_alpha_if_deleted_is_absent_with_two_items() -> None:
    result = cronbach_alpha(datasets.hand_items()[["rel_1", "rel_2"]])
    assert [entry.alpha_if_deleted for entry in result.items] == [None, None]
    assert result.items[0].corrected_item_total == pytest.approx(
        datasets.hand_items()[["rel_1", "rel_2"]].corr().iloc[0, 1], abs=TOL
    )


def test_the_confidence_level_can_be_changed() -> None:
    data = datasets.latent_items()
    wide = cronbach_alpha(data, confidence=0.99).ci
    narrow = cronbach_alpha(data, confidence=0.90).ci
    assert wide.lower < narrow.lower < narrow.upper < wide.upper
    assert wide.level == 0.99


# --- omega ---------------------------------------------------------------------------------------

OMEGA_CASES = [
    pytest.param(name, id=name)
    for name in (
        "hand_items",
        "latent_items",
        "latent_items_missing",
        "pingouin_alpha_wide",
        "big_five",
    )
]


@pytest.mark.parametrize("name", OMEGA_CASES)
def test_minres_loadings_match_factor_analyzer_at_its_optimum(name: str) -> None:
    reference = FACTOR_ANALYZER_LOADINGS[name]
    result = mcdonald_omega(getattr(datasets, name)())
    assert [entry.item for entry in result.loadings] == reference["items"]
    loadings = [entry.loading for entry in result.loadings]
    assert loadings == pytest.approx(reference["tight"], abs=TOL)
    assert result.omega_total == pytest.approx(reference["omega_tight"], abs=TOL)
    # factor_analyzer's default optimiser stops about 1e-5 short of the optimum.
    assert loadings == pytest.approx(reference["default"], abs=1e-4)
    assert result.extraction == "minres"
    assert not result.heywood_case


@pytest.mark.parametrize("name", OMEGA_CASES)
def test_minres_fits_at_least_as_well_as_factor_analyzer(name: str) -> None:
    data = getattr(datasets, name)()
    corr = data.corr().to_numpy()
    upper = np.triu_indices_from(corr, 1)

    def residual_ss(loadings) -> float:
        lam = np.asarray(loadings)
        return float(((corr - np.outer(lam, lam))[upper] ** 2).sum())

    result = mcdonald_omega(data)
    assert result.residual_ss == pytest.approx(
        residual_ss([entry.loading for entry in result.loadings]), abs=1e-12
    )
    assert result.residual_ss <= residual_ss(FACTOR_ANALYZER_LOADINGS[name]["default"]) + 1e-15


def test_omega_follows_mcdonalds_formula_from_the_loadings() -> None:
    result = mcdonald_omega(datasets.latent_items())
    lam = np.array([entry.loading for entry in result.loadings])
    assert result.omega_total == pytest.approx(
        lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum()), abs=1e-12
    )
    assert [entry.uniqueness for entry in result.loadings] == pytest.approx(1 - lam**2)


def test_listwise_omega_equals_omega_of_the_complete_cases() -> None:
    data = datasets.latent_items_missing()
    listwise = mcdonald_omega(data, nan_policy="listwise")
    complete = mcdonald_omega(data.dropna())
    assert listwise.omega_total == pytest.approx(complete.omega_total, abs=1e-12)
    assert listwise.n_cases == data.dropna().shape[0]


def test_it_flags_a_heywood_case_and_keeps_loadings_admissible() -> None:
    rng = np.random.default_rng(3)
    corr = np.array([[1.0, 0.8, 0.8], [0.8, 1.0, 0.5], [0.8, 0.5, 1.0]])  # λ_a² ≈ 0.64 / 0.5
    data = pd.DataFrame(rng.multivariate_normal(np.zeros(3), corr, size=500), columns=list("abc"))
    result = mcdonald_omega(data)
    assert result.heywood_case
    assert max(abs(entry.loading) for entry in result.loadings) <= np.sqrt(0.995) + 1e-12


def test_loadings_are_signed_to_sum_positive() -> None:
    data = -datasets.latent_items()
    result = mcdonald_omega(data)
    assert sum(entry.loading for entry in result.loadings) > 0
    assert result.omega_total == pytest.approx(
        FACTOR_ANALYZER_LOADINGS["latent_items"]["omega_tight"], abs=TOL
    )
