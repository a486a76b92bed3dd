"""ICC, Cohen's and Fleiss' kappa, Krippendorff's alpha and % agreement against references."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pingouin
import pytest
from sklearn.metrics import accuracy_score, cohen_kappa_score
from statsmodels.stats import inter_rater

from peerprinciples.psychometrics import (
    cohen_kappa,
    fleiss_kappa,
    icc,
    krippendorff_alpha,
    percent_agreement,
)

from . import datasets
from .reference_values import (
    FLEISS_WIKIPEDIA,
    FLEISS_WINE,
    ICC_SHROUT_FLEISS,
    ICC_SHROUT_FLEISS_PUBLISHED,
    ICC_WINE,
    KAPPA_HAND,
    KAPPA_YES_NO,
    KRIPPENDORFF_EXAMPLE,
    PERCENT_HAND,
    PERCENT_WINE,
)

# pingouin 0.7.0 calls DataFrame.dropna(inplace=True), which pandas 3.1 deprecates.
pytestmark = pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.dropna")

TOL = 1e-6
FORMS = ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]


def _wine_wide() -> pd.DataFrame:
    return datasets.wine_long().pivot(index="Wine", columns="Judge", values="Scores")


# --- ICC -----------------------------------------------------------------------------------------

ICC_CASES = [
    pytest.param(_wine_wide, id="pingouin-icc-wine"),
    pytest.param(datasets.shrout_fleiss_wide, id="shrout-fleiss-1979"),
    pytest.param(datasets.double_rated, id="seeded-two-raters"),
    pytest.param(lambda: datasets.double_rated(seed=11, n_targets=60, n_raters=3), id="3-raters"),
    pytest.param(lambda: datasets.double_rated(seed=5, missing=0.1), id="seeded-with-missing"),
]


@pytest.mark.usefixtures("pingouin_unrounded")
@pytest.mark.parametrize("make", ICC_CASES)
def test_all_six_iccs_with_f_tests_and_intervals_match_pingouin(make) -> None:
    wide = make()
    result = icc(wide)
    reference = pingouin.intraclass_corr(
        data=datasets.to_long(wide),
        targets="target",
        raters="rater",
        ratings="rating",
        nan_policy="omit",
    )
    assert result.n_targets == wide.dropna().shape[0]
    assert result.n_targets_dropped == wide.shape[0] - wide.dropna().shape[0]
    for estimate, (_, row) in zip(result.forms, reference.iterrows(), strict=True):
        assert estimate.mcgraw_wong == row["Type"]
        assert estimate.value == pytest.approx(row["ICC"], abs=TOL)
        assert estimate.f == pytest.approx(row["F"], abs=TOL)
        assert estimate.df1 == row["df1"]
        assert estimate.df2 == row["df2"]
        assert estimate.p_value == pytest.approx(row["pval"], abs=TOL)
        assert (estimate.ci.lower, estimate.ci.upper) == pytest.approx(tuple(row["CI95"]), abs=TOL)


def test_long_and_wide_input_give_the_same_icc() -> None:
    wide = icc(_wine_wide())
    long = icc(datasets.wine_long(), targets="Wine", raters="Judge", ratings="Scores")
    assert long.to_dict() == wide.to_dict()


def test_icc_reproduces_the_pinned_pingouin_values() -> None:
    result = icc(datasets.wine_long(), targets="Wine", raters="Judge", ratings="Scores")
    for form in FORMS:
        estimate, pinned = result.form(form), ICC_WINE[form]
        assert estimate.value == pytest.approx(pinned["icc"], abs=TOL)
        assert estimate.f == pytest.approx(pinned["f"], abs=TOL)
        assert estimate.p_value == pytest.approx(pinned["p"], abs=TOL)
        assert (estimate.ci.lower, estimate.ci.upper) == pytest.approx(pinned["ci"], abs=TOL)
    shrout_fleiss = icc(datasets.shrout_fleiss_wide())
    for form in FORMS:
        assert shrout_fleiss.form(form).value == pytest.approx(ICC_SHROUT_FLEISS[form], abs=TOL)
        published = ICC_SHROUT_FLEISS_PUBLISHED[form]
        assert shrout_fleiss.form(form).value == pytest.approx(published, abs=0.005)


@pytest.mark.usefixtures("pingouin_unrounded")
def test_pingouin_still_gives_the_pinned_icc_values() -> None:
    reference = pingouin.intraclass_corr(
        data=datasets.wine_long(), targets="Wine", raters="Judge", ratings="Scores"
    )
    for form, (_, row) in zip(FORMS, reference.iterrows(), strict=True):
        assert row["ICC"] == pytest.approx(ICC_WINE[form]["icc"], abs=1e-12)
        assert tuple(row["CI95"]) == pytest.approx(ICC_WINE[form]["ci"], abs=1e-12)


def test_perfect_agreement_gives_an_icc_of_one_instead_of_nan() -> None:
    wide = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [1, 2, 3, 4, 5]})
    result = icc(wide)
    for estimate in result.forms:
        assert estimate.value == 1.0
        assert (estimate.ci.lower, estimate.ci.upper) == (1.0, 1.0)
        assert estimate.p_value == 0.0


def test_a_constant_rater_offset_keeps_consistency_at_one_and_lowers_agreement() -> None:
    wide = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 3, 4, 5, 6]})
    result = icc(wide)
    assert result.icc3.value == 1.0
    assert (result.icc3.ci.lower, result.icc3.ci.upper) == (1.0, 1.0)
    assert result.icc2.value < 1.0
    assert np.isfinite([result.icc2.ci.lower, result.icc2.ci.upper]).all()
    assert result.icc2.ci.lower <= result.icc2.value <= result.icc2.ci.upper


def test_icc_form_can_be_looked_up_by_any_notation() -> None:
    result = icc(_wine_wide())
    assert result.form("ICC2") is result.form("ICC(2,1)") is result.form("ICC(A,1)")
    with pytest.raises(KeyError):
        result.form("ICC(4,1)")


# --- Cohen's kappa -------------------------------------------------------------------------------

KAPPA_CASES = [
    pytest.param(datasets.hand_two_raters, id="hand-made"),
    pytest.param(datasets.double_rated, id="seeded-150"),
    pytest.param(lambda: datasets.double_rated(seed=3, n_targets=40, noise=1.0), id="seeded-noisy"),
]


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
@pytest.mark.parametrize("make", KAPPA_CASES)
def test_kappa_matches_sklearn_and_its_interval_matches_statsmodels(make, weights) -> None:
    wide = make()
    complete = wide.dropna()
    first, second = complete.iloc[:, 0], complete.iloc[:, 1]
    result = cohen_kappa(wide, weights=weights, categories=range(1, 6))
    assert result.kappa == pytest.approx(
        cohen_kappa_score(first, second, weights=weights, labels=[1, 2, 3, 4, 5]), abs=TOL
    )
    table = pd.crosstab(first, second).reindex(index=range(1, 6), columns=range(1, 6), fill_value=0)
    reference = inter_rater.cohens_kappa(table.to_numpy(), wt=weights)
    assert result.kappa == pytest.approx(reference.kappa, abs=TOL)
    assert result.se == pytest.approx(reference.std_kappa, abs=TOL)
    assert result.ci.lower == pytest.approx(max(reference.kappa_low, -1.0), abs=TOL)
    assert result.ci.upper == pytest.approx(min(reference.kappa_upp, 1.0), abs=TOL)
    assert result.n_targets == complete.shape[0]
    assert result.weights == (weights or "none")


def test_kappa_works_on_text_categories() -> None:
    data = datasets.cohen_yes_no()
    result = cohen_kappa(data)
    assert result.kappa == pytest.approx(KAPPA_YES_NO, abs=1e-12)
    assert result.kappa == pytest.approx(
        cohen_kappa_score(data["reader_a"], data["reader_b"]), abs=TOL
    )
    assert result.categories == ("no", "yes")


def test_kappa_reproduces_the_pinned_values() -> None:
    wide = datasets.hand_two_raters()
    for weights, pinned in KAPPA_HAND.items():
        result = cohen_kappa(wide, weights=weights, categories=range(1, 6))
        assert result.kappa == pytest.approx(pinned["kappa"], abs=TOL)
        assert result.se == pytest.approx(pinned["se"], abs=TOL)
        assert result.ci.lower == pytest.approx(pinned["ci"][0], abs=TOL)
        assert result.ci.upper == pytest.approx(min(pinned["ci"][1], 1.0), abs=TOL)


def test_sklearn_and_statsmodels_still_give_the_pinned_kappas() -> None:
    complete = datasets.hand_two_raters().dropna()
    table = pd.crosstab(complete["first"], complete["second"]).reindex(
        index=range(1, 6), columns=range(1, 6), fill_value=0
    )
    for weights, pinned in KAPPA_HAND.items():
        assert cohen_kappa_score(
            complete["first"], complete["second"], weights=weights, labels=[1, 2, 3, 4, 5]
        ) == pytest.approx(pinned["kappa"], abs=1e-12)
        reference = inter_rater.cohens_kappa(table.to_numpy(), wt=weights)
        assert reference.std_kappa == pytest.approx(pinned["se"], abs=1e-12)
        assert (reference.kappa_low, reference.kappa_upp) == pytest.approx(pinned["ci"], abs=1e-12)


def test_long_format_kappa_equals_wide_format_kappa() -> None:
    wide = datasets.double_rated()
    long = datasets.to_long(wide)
    from_long = cohen_kappa(long, targets="target", raters="rater", ratings="rating")
    assert from_long.to_dict() == cohen_kappa(wide).to_dict()


def test_weights_use_positions_in_the_declared_scale() -> None:
    wide = pd.DataFrame({"a": [1, 2, 4, 4, 2], "b": [1, 2, 4, 2, 4]})
    observed_only = cohen_kappa(wide, weights="linear")
    full_scale = cohen_kappa(wide, weights="linear", categories=[1, 2, 3, 4, 5])
    assert full_scale.kappa == pytest.approx(
        cohen_kappa_score(wide["a"], wide["b"], weights="linear", labels=[1, 2, 3, 4, 5])
    )
    assert observed_only.kappa == pytest.approx(
        cohen_kappa_score(wide["a"], wide["b"], weights="linear")
    )
    assert observed_only.kappa != pytest.approx(full_scale.kappa)


# --- Fleiss' kappa -------------------------------------------------------------------------------

FLEISS_CASES = [
    pytest.param(datasets.fleiss_wikipedia, id="wikipedia-14-raters"),
    pytest.param(_wine_wide, id="pingouin-icc-wine"),
    pytest.param(lambda: datasets.double_rated(seed=5, n_targets=80, n_raters=5), id="5-raters"),
    pytest.param(lambda: datasets.double_rated(seed=8, missing=0.1, n_raters=3), id="missing"),
]


@pytest.mark.parametrize("make", FLEISS_CASES)
def test_fleiss_kappa_matches_statsmodels(make) -> None:
    wide = make()
    complete = wide.dropna().to_numpy()
    table, _ = inter_rater.aggregate_raters(complete)
    result = fleiss_kappa(wide)
    assert result.kappa == pytest.approx(inter_rater.fleiss_kappa(table), abs=TOL)
    assert result.n_targets == complete.shape[0]
    assert result.n_raters == complete.shape[1]


def test_fleiss_kappa_reproduces_the_pinned_values() -> None:
    assert fleiss_kappa(datasets.fleiss_wikipedia()).kappa == pytest.approx(FLEISS_WIKIPEDIA)
    assert fleiss_kappa(datasets.fleiss_wikipedia()).kappa == pytest.approx(0.210, abs=5e-4)
    assert fleiss_kappa(_wine_wide()).kappa == pytest.approx(FLEISS_WINE, abs=TOL)
    table, _ = inter_rater.aggregate_raters(datasets.fleiss_wikipedia().to_numpy())
    assert inter_rater.fleiss_kappa(table) == pytest.approx(FLEISS_WIKIPEDIA, abs=1e-12)


def test_unused_categories_do_not_change_fleiss_kappa() -> None:
    wide = _wine_wide()
    assert fleiss_kappa(wide, categories=range(0, 11)).kappa == pytest.approx(
        fleiss_kappa(wide).kappa, abs=1e-12
    )


# --- Krippendorff's alpha ------------------------------------------------------------------------

LEVELS = ["nominal", "ordinal", "interval", "ratio"]
KRIPPENDORFF_CASES = [
    pytest.param(datasets.krippendorff_example, id="krippendorff-2011"),
    pytest.param(_wine_wide, id="pingouin-icc-wine"),
    pytest.param(lambda: datasets.double_rated(seed=2, n_raters=4, missing=0.3), id="missing"),
    pytest.param(datasets.hand_two_raters, id="hand-made"),
]


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("make", KRIPPENDORFF_CASES)
def test_krippendorff_alpha_matches_the_krippendorff_package(make, level) -> None:
    wide = make()
    result = krippendorff_alpha(wide, level=level)
    expected = krippendorff.alpha(
        reliability_data=wide.to_numpy(dtype=float).T, level_of_measurement=level
    )
    assert result.alpha == pytest.approx(expected, abs=TOL)
    assert result.level == level
    assert result.observed_disagreement / result.expected_disagreement == pytest.approx(
        1 - expected, abs=TOL
    )


def test_krippendorff_alpha_handles_text_categories_with_missing_ratings() -> None:
    wide = datasets.cohen_yes_no()
    wide.loc[[0, 7, 30], "reader_b"] = None
    reference_data = wide.fillna("nan").to_numpy(dtype=str).T
    nominal = krippendorff_alpha(wide, level="nominal")
    assert nominal.alpha == pytest.approx(
        krippendorff.alpha(reliability_data=reference_data, level_of_measurement="nominal"),
        abs=TOL,
    )
    assert nominal.n_units == 47
    ordinal = krippendorff_alpha(wide, level="ordinal", categories=["no", "yes"])
    assert ordinal.alpha == pytest.approx(
        krippendorff.alpha(
            reliability_data=reference_data,
            level_of_measurement="ordinal",
            value_domain=["no", "yes"],
        ),
        abs=TOL,
    )


def test_krippendorff_alpha_reproduces_the_published_values() -> None:
    published = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}
    for level in LEVELS:
        result = krippendorff_alpha(datasets.krippendorff_example(), level=level)
        assert result.alpha == pytest.approx(KRIPPENDORFF_EXAMPLE[level], abs=TOL)
        assert result.alpha == pytest.approx(published[level], abs=5e-4)
        live = krippendorff.alpha(
            reliability_data=datasets.krippendorff_example().to_numpy().T,
            level_of_measurement=level,
        )
        assert live == pytest.approx(KRIPPENDORFF_EXAMPLE[level], abs=1e-12)


@pytest.mark.parametrize("level", LEVELS)
def test_krippendorff_alpha_handles_fractional_ratings_and_declared_categories(level) -> None:
    wide = datasets.double_rated(seed=9, n_raters=3, missing=0.2) / 2 + 0.25
    expected = krippendorff.alpha(reliability_data=wide.to_numpy().T, level_of_measurement=level)
    assert krippendorff_alpha(wide, level=level).alpha == pytest.approx(expected, abs=TOL)
    whole = datasets.krippendorff_example()
    declared = krippendorff_alpha(whole, level=level, categories=[0, 1, 2, 3, 4, 5, 6])
    assert declared.alpha == pytest.approx(KRIPPENDORFF_EXAMPLE[level], abs=TOL)
    assert declared.categories == (0, 1, 2, 3, 4, 5, 6)


def test_krippendorff_long_format_equals_wide_format() -> None:
    wide = datasets.krippendorff_example()
    long = datasets.to_long(wide)
    from_long = krippendorff_alpha(
        long, level="interval", targets="target", raters="rater", ratings="rating"
    )
    assert from_long.alpha == pytest.approx(krippendorff_alpha(wide, level="interval").alpha)


# --- percentage agreement ------------------------------------------------------------------------


def _irr_agree(wide: pd.DataFrame, tolerance: float) -> float:
    """irr::agree written out: share of complete targets whose ratings span <= tolerance."""
    rows = [row for row in wide.to_numpy(dtype=float) if not np.isnan(row).any()]
    return 100 * sum(max(row) - min(row) <= tolerance for row in rows) / len(rows)


PERCENT_CASES = [
    pytest.param(datasets.hand_two_raters, id="hand-made"),
    pytest.param(_wine_wide, id="pingouin-icc-wine"),
    pytest.param(datasets.double_rated, id="seeded-two-raters"),
    pytest.param(lambda: datasets.double_rated(seed=4, n_raters=3, missing=0.1), id="3-raters"),
]


@pytest.mark.parametrize("make", PERCENT_CASES)
def test_percent_agreement_matches_the_irr_definition(make) -> None:
    wide = make()
    result = percent_agreement(wide)
    assert result.percent_exact == pytest.approx(_irr_agree(wide, 0), abs=TOL)
    assert result.percent_adjacent == pytest.approx(_irr_agree(wide, 1), abs=TOL)
    assert result.n_targets == wide.dropna().shape[0]
    if wide.shape[1] == 2:
        complete = wide.dropna()
        exact = 100 * accuracy_score(complete.iloc[:, 0], complete.iloc[:, 1])
        assert result.percent_exact == pytest.approx(exact, abs=TOL)


def test_percent_agreement_reproduces_the_hand_counts() -> None:
    hand = percent_agreement(datasets.hand_two_raters())
    assert (hand.percent_exact, hand.percent_adjacent) == pytest.approx(
        (PERCENT_HAND["exact"], PERCENT_HAND["adjacent"]), abs=TOL
    )
    wine = percent_agreement(datasets.wine_long(), targets="Wine", raters="Judge", ratings="Scores")
    assert (wine.percent_exact, wine.percent_adjacent) == (
        PERCENT_WINE["exact"],
        PERCENT_WINE["adjacent"],
    )


def test_a_wider_tolerance_counts_more_targets_as_adjacent() -> None:
    wine = _wine_wide()
    assert percent_agreement(wine, tolerance=2).percent_adjacent == pytest.approx(62.5)
    assert percent_agreement(wine, tolerance=2).percent_adjacent == _irr_agree(wine, 2)
