"""Every data problem raises a PsychometricsError subclass with a message that helps fix it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peerprinciples.psychometrics import (
    ConstantItemError,
    NoDataError,
    NonNumericDataError,
    OutOfScaleError,
    PsychometricsError,
    QualityThresholds,
    SingleRaterError,
    TooFewCasesError,
    TooFewItemsError,
    cohen_kappa,
    cronbach_alpha,
    fleiss_kappa,
    icc,
    item_spread,
    krippendorff_alpha,
    mcdonald_omega,
    percent_agreement,
    quality_summary,
)

from . import datasets

ITEMS = datasets.hand_items()
TWO_RATERS = datasets.double_rated(n_targets=20)


def test_every_error_is_a_value_error() -> None:
    for error in (
        ConstantItemError,
        NoDataError,
        NonNumericDataError,
        OutOfScaleError,
        SingleRaterError,
        TooFewCasesError,
        TooFewItemsError,
    ):
        assert issubclass(error, PsychometricsError)
    assert issubclass(PsychometricsError, ValueError)


# --- consistency ---------------------------------------------------------------------------------


def test_it_rejects_a_constant_item() -> None:
    data = ITEMS.assign(rel_2=3)
    with pytest.raises(
        ConstantItemError, match=r"item 'rel_2' has the same rating \(3\) in every interview"
    ):
        cronbach_alpha(data)
    with pytest.raises(ConstantItemError, match="drop it or check the data"):
        mcdonald_omega(data)


def test_it_rejects_a_constant_item_among_the_complete_cases_when_listwise() -> None:
    data = ITEMS.astype(float)
    data.loc[0, "rel_1"] = np.nan
    data["rel_2"] = [1.0, 3, 3, 3, 3, 3, 3, 3]
    with pytest.raises(ConstantItemError, match="every complete interview"):
        cronbach_alpha(data, nan_policy="listwise")


def test_it_rejects_too_few_cases() -> None:
    with pytest.raises(TooFewCasesError, match="at least 2 cases"):
        cronbach_alpha(ITEMS.head(1))


def test_it_rejects_too_few_complete_cases_when_listwise() -> None:
    data = ITEMS.astype(float)
    data.iloc[1:, 0] = np.nan
    with pytest.raises(TooFewCasesError, match="nan_policy='pairwise'"):
        cronbach_alpha(data, nan_policy="listwise")


def test_it_rejects_items_never_answered_together() -> None:
    data = pd.DataFrame(
        {"a": [1, 2, 3, np.nan, np.nan], "b": [np.nan, np.nan, np.nan, 2, 4], "c": [1, 2, 3, 4, 5]}
    )
    with pytest.raises(TooFewCasesError, match="'a' and 'b' were answered together in only 0"):
        cronbach_alpha(data)


def test_it_rejects_a_single_item() -> None:
    with pytest.raises(TooFewItemsError, match="at least 2 items"):
        cronbach_alpha(ITEMS[["rel_1"]])


def test_omega_rejects_two_items() -> None:
    with pytest.raises(TooFewItemsError, match="at least 3 items"):
        mcdonald_omega(ITEMS[["rel_1", "rel_2"]])


def test_it_rejects_a_table_where_every_rating_is_missing() -> None:
    with pytest.raises(NoDataError, match="every rating is missing"):
        cronbach_alpha(pd.DataFrame({"a": [np.nan, np.nan], "b": [np.nan, np.nan]}))


def test_it_rejects_an_item_without_any_rating() -> None:
    with pytest.raises(NoDataError, match="'rel_4' have no ratings at all"):
        cronbach_alpha(ITEMS.assign(rel_4=np.nan))


def test_it_rejects_an_empty_table() -> None:
    with pytest.raises(NoDataError, match="empty table"):
        cronbach_alpha(pd.DataFrame())


def test_it_rejects_text_columns() -> None:
    with pytest.raises(NonNumericDataError, match=r"'rel_3'.*pandas.to_numeric"):
        cronbach_alpha(ITEMS.assign(rel_3=list("abcdefgh")))


def test_it_rejects_an_unknown_nan_policy() -> None:
    with pytest.raises(PsychometricsError, match="nan_policy must be one of 'pairwise'"):
        cronbach_alpha(ITEMS, nan_policy="drop")  # type: ignore[arg-type]


def test_it_rejects_a_confidence_level_outside_zero_and_one() -> None:
    with pytest.raises(PsychometricsError, match="confidence must lie strictly between 0 and 1"):
        cronbach_alpha(ITEMS, confidence=95)


def test_it_rejects_data_that_is_not_a_dataframe() -> None:
    with pytest.raises(TypeError, match="expects a pandas DataFrame, got ndarray"):
        cronbach_alpha(ITEMS.to_numpy())  # type: ignore[arg-type]


def test_it_rejects_items_that_cancel_out() -> None:
    data = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [4.0, 3, 2, 1]})
    with pytest.raises(PsychometricsError, match="reverse-score"):
        cronbach_alpha(data)


# --- spread --------------------------------------------------------------------------------------


def test_it_rejects_a_rating_outside_the_scale() -> None:
    with pytest.raises(OutOfScaleError, match=r"'rel_1' has the rating 5 in row 1.*scale 1–4"):
        item_spread(ITEMS, scale_min=1, scale_max=4)


def test_it_rejects_a_rating_between_scale_points() -> None:
    with pytest.raises(OutOfScaleError, match=r"2.5 .* not a point of the scale"):
        item_spread(pd.DataFrame({"x": [1, 2.5]}), scale_min=1, scale_max=5)


def test_it_rejects_a_scale_whose_minimum_is_not_below_its_maximum() -> None:
    with pytest.raises(PsychometricsError, match=r"scale_min .5. must be below scale_max .1."):
        item_spread(ITEMS, scale_min=5, scale_max=1)


def test_it_rejects_a_fractional_scale_bound() -> None:
    with pytest.raises(PsychometricsError, match="scale_max must be a whole number"):
        item_spread(ITEMS, scale_min=1, scale_max=5.5)  # type: ignore[arg-type]


def test_spread_rejects_an_item_without_ratings() -> None:
    with pytest.raises(NoDataError, match="no ratings at all"):
        item_spread(ITEMS.assign(rel_1=np.nan), scale_min=1, scale_max=5)


# --- agreement -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda d: icc(d), id="icc"),
        pytest.param(lambda d: cohen_kappa(d), id="cohen_kappa"),
        pytest.param(lambda d: fleiss_kappa(d), id="fleiss_kappa"),
        pytest.param(lambda d: krippendorff_alpha(d, level="nominal"), id="krippendorff"),
        pytest.param(lambda d: percent_agreement(d), id="percent_agreement"),
    ],
)
def test_agreement_rejects_a_single_rater(call) -> None:
    with pytest.raises(SingleRaterError, match=r"at least 2 raters.*only rater 'rater_1'"):
        call(TWO_RATERS[["rater_1"]])
    with pytest.raises(SingleRaterError, match="only rater 'rater_2' has ratings"):
        call(TWO_RATERS.assign(rater_1=np.nan))


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda d: icc(d), id="icc"),
        pytest.param(lambda d: cohen_kappa(d), id="cohen_kappa"),
        pytest.param(lambda d: fleiss_kappa(d), id="fleiss_kappa"),
        pytest.param(lambda d: krippendorff_alpha(d, level="interval"), id="krippendorff"),
        pytest.param(lambda d: percent_agreement(d), id="percent_agreement"),
    ],
)
def test_agreement_rejects_all_ratings_missing(call) -> None:
    with pytest.raises(NoDataError, match="every rating is missing"):
        call(TWO_RATERS * np.nan)


def test_icc_rejects_too_few_targets_rated_by_every_rater() -> None:
    data = TWO_RATERS.copy()
    data.iloc[1:, 1] = np.nan
    with pytest.raises(TooFewCasesError, match=r"at least 2 targets rated by all 2 raters.*only 1"):
        icc(data)


def test_icc_rejects_identical_ratings_everywhere() -> None:
    with pytest.raises(ConstantItemError, match="every rating is the same"):
        icc(pd.DataFrame({"a": [3, 3, 3], "b": [3, 3, 3]}))


def test_icc_rejects_targets_that_all_have_the_same_mean() -> None:
    with pytest.raises(ConstantItemError, match="every target has the same mean rating"):
        icc(pd.DataFrame({"a": [1, 2, 3], "b": [3, 2, 1]}))


def test_icc_raises_on_a_missing_rating_when_asked_to() -> None:
    data = TWO_RATERS.copy()
    data.iloc[3, 0] = np.nan
    with pytest.raises(PsychometricsError, match="'interview_4' is missing a rating"):
        icc(data, nan_policy="raise")


def test_long_format_rejects_a_target_rated_twice_by_one_rater() -> None:
    long = datasets.to_long(TWO_RATERS)
    long = pd.concat([long, long.head(1)])
    with pytest.raises(PsychometricsError, match="'interview_1' has more than one rating"):
        icc(long, targets="target", raters="rater", ratings="rating")


def test_long_format_needs_all_three_column_names() -> None:
    with pytest.raises(PsychometricsError, match="pass all three of targets=, raters="):
        icc(datasets.wine_long(), targets="Wine", raters="Judge")


def test_long_format_names_a_missing_column() -> None:
    with pytest.raises(PsychometricsError, match="'Score' not found"):
        icc(datasets.wine_long(), targets="Wine", raters="Judge", ratings="Score")


def test_agreement_rejects_infinite_ratings() -> None:
    with pytest.raises(NonNumericDataError, match="infinite values"):
        icc(TWO_RATERS.replace(5.0, np.inf))
    with pytest.raises(NonNumericDataError, match="infinite values"):
        cronbach_alpha(ITEMS.astype(float).replace(5.0, np.inf))


def test_icc_rejects_text_ratings() -> None:
    with pytest.raises(NonNumericDataError, match="needs numeric ratings"):
        icc(datasets.cohen_yes_no())


def test_cohen_kappa_rejects_more_than_two_raters() -> None:
    with pytest.raises(PsychometricsError, match=r"exactly 2 raters, but got 4.*fleiss_kappa"):
        cohen_kappa(datasets.shrout_fleiss_wide())


def test_cohen_kappa_rejects_raters_who_always_use_one_category() -> None:
    data = pd.DataFrame({"a": [2, 2, 2], "b": [2, 2, 2]})
    with pytest.raises(ConstantItemError, match="agreement by chance is already 100%"):
        cohen_kappa(data, categories=range(1, 6))


def test_cohen_kappa_rejects_a_rating_outside_the_categories() -> None:
    with pytest.raises(OutOfScaleError, match="rating 5 is not one of the categories"):
        cohen_kappa(TWO_RATERS, categories=[1, 2, 3, 4])


def test_weighted_kappa_needs_the_order_of_text_categories() -> None:
    with pytest.raises(NonNumericDataError, match="order is unknown; pass categories"):
        cohen_kappa(datasets.cohen_yes_no(), weights="linear")


def test_cohen_kappa_rejects_unknown_weights() -> None:
    with pytest.raises(PsychometricsError, match="weights must be one of 'linear'"):
        cohen_kappa(TWO_RATERS, weights="cubic")  # type: ignore[arg-type]


def test_fleiss_kappa_rejects_a_single_category_everywhere() -> None:
    with pytest.raises(ConstantItemError, match="every rating is 4"):
        fleiss_kappa(pd.DataFrame({"a": [4, 4], "b": [4, 4], "c": [4, 4]}))


def test_krippendorff_rejects_interval_level_for_text() -> None:
    with pytest.raises(NonNumericDataError, match="level='interval' needs numeric ratings"):
        krippendorff_alpha(datasets.cohen_yes_no(), level="interval")


def test_krippendorff_rejects_ordinal_text_without_an_order() -> None:
    with pytest.raises(NonNumericDataError, match="order is unknown"):
        krippendorff_alpha(datasets.cohen_yes_no(), level="ordinal")


def test_krippendorff_rejects_an_unknown_level() -> None:
    with pytest.raises(PsychometricsError, match="level must be one of 'nominal'"):
        krippendorff_alpha(TWO_RATERS, level="continuous")  # type: ignore[arg-type]


def test_krippendorff_rejects_negative_values_at_ratio_level() -> None:
    with pytest.raises(PsychometricsError, match="true zero point"):
        krippendorff_alpha(TWO_RATERS - 3, level="ratio")


def test_krippendorff_needs_a_target_rated_twice() -> None:
    data = pd.DataFrame({"a": [1, np.nan, 3], "b": [np.nan, 2, np.nan]})
    with pytest.raises(TooFewCasesError, match="rated by 2 or more raters"):
        krippendorff_alpha(data, level="nominal")


def test_krippendorff_rejects_a_single_value_everywhere() -> None:
    data = pd.DataFrame({"a": [1, 1, 3], "b": [1, 1, np.nan]})
    with pytest.raises(ConstantItemError, match="no disagreement to expect"):
        krippendorff_alpha(data, level="nominal")


def test_percent_agreement_rejects_text_ratings() -> None:
    with pytest.raises(NonNumericDataError, match="map them to numbers"):
        percent_agreement(datasets.cohen_yes_no())


def test_percent_agreement_rejects_a_negative_tolerance() -> None:
    with pytest.raises(PsychometricsError, match="tolerance must be zero or more"):
        percent_agreement(TWO_RATERS, tolerance=-1)


# --- quality summary -----------------------------------------------------------------------------


def test_quality_summary_names_items_that_are_not_columns() -> None:
    with pytest.raises(PsychometricsError, match="'rel_9' are not columns of data"):
        quality_summary(ITEMS, {"d": ["rel_1", "rel_9"]}, scale_min=1, scale_max=5)


def test_quality_summary_rejects_an_item_in_two_domains() -> None:
    with pytest.raises(PsychometricsError, match="'rel_1' is listed in both 'a' and 'b'"):
        quality_summary(ITEMS, {"a": ["rel_1"], "b": ["rel_1"]}, scale_min=1, scale_max=5)


def test_quality_summary_rejects_no_domains() -> None:
    with pytest.raises(PsychometricsError, match="domains is empty"):
        quality_summary(ITEMS, {}, scale_min=1, scale_max=5)


def test_quality_summary_rejects_ratings_off_the_scale() -> None:
    with pytest.raises(OutOfScaleError, match="not a point of the scale 1–4"):
        quality_summary(ITEMS, {"d": list(ITEMS)}, scale_min=1, scale_max=4)


def test_quality_summary_needs_the_agreement_columns() -> None:
    with pytest.raises(PsychometricsError, match="pass targets= and raters="):
        quality_summary(ITEMS, {"d": list(ITEMS)}, scale_min=1, scale_max=5, agreement_data=ITEMS)
    with pytest.raises(PsychometricsError, match=r"lacks the column.*'interview'"):
        quality_summary(
            ITEMS,
            {"d": list(ITEMS)},
            scale_min=1,
            scale_max=5,
            agreement_data=ITEMS,
            targets="interview",
            raters="rater",
        )


def test_quality_summary_rejects_an_unknown_icc_form() -> None:
    with pytest.raises(PsychometricsError, match="icc_form must be one of 'ICC1'"):
        quality_summary(ITEMS, {"d": list(ITEMS)}, scale_min=1, scale_max=5, icc_form="ICC4")


@pytest.mark.parametrize(
    ("arguments", "phrase"),
    [
        ({"alpha_min": 70}, "alpha_min must lie between -1 and 1"),
        ({"floor_ceiling_max_percent": 0.15 * 1000}, "percentage between 0 and 100"),
        ({"alpha_min": 0.9, "alpha_max": 0.8}, r"alpha_min \(0.9\) must be below alpha_max"),
    ],
)
def test_thresholds_reject_impossible_values(arguments, phrase: str) -> None:
    with pytest.raises(PsychometricsError, match=phrase):
        QualityThresholds(**arguments)
