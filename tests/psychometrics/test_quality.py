"""The flagged quality summary: right statistics, right flags, plain-language messages."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from peerprinciples.psychometrics import (
    QualityThresholds,
    cohen_kappa,
    cronbach_alpha,
    icc,
    item_spread,
    mcdonald_omega,
    percent_agreement,
    quality_summary,
)

from . import datasets

DOMAINS = {
    "relationships": ["rel_1", "rel_2", "rel_3", "rel_4"],
    "choice": ["cho_1", "cho_2", "cho_3", "cho_4"],
    "hope": ["hop_1", "hop_2", "hop_3"],
}


def _instrument(seed: int = 21, n: int = 300) -> pd.DataFrame:
    """Three domains of correlated 1–5 items; 'cho_4' is noise and 'hop_3' sits at the top."""
    rng = np.random.default_rng(seed)
    columns = {}
    for items in DOMAINS.values():
        theta = rng.normal(size=n)
        for item in items:
            latent = 0.8 * theta + 0.6 * rng.normal(size=n)
            if item == "cho_4":
                latent = rng.normal(size=n)
            if item == "hop_3":
                latent = latent + 1.5
            columns[item] = 1 + (latent[:, None] > np.array([-1.3, -0.4, 0.4, 1.3])).sum(axis=1)
    return pd.DataFrame(columns)


def _double_rated(data: pd.DataFrame, seed: int = 5, n: int = 80, noise: float = 0.5):
    """Long table: a first and a second rating of the first ``n`` interviews."""
    rng = np.random.default_rng(seed)
    first = data.head(n).copy()
    second = first + np.round(noise * rng.normal(size=first.shape))
    second = second.clip(1, 5)
    first.insert(0, "rating", "first")
    second.insert(0, "rating", "second")
    first.insert(0, "interview", range(n))
    second.insert(0, "interview", range(n))
    return pd.concat([first, second], ignore_index=True)


def _codes(report, item: str | None = None) -> set[str]:
    return {flag.code for flag in report.flags if flag.item == item}


def test_domain_statistics_equal_the_single_functions() -> None:
    data = _instrument()
    report = quality_summary(data, DOMAINS, scale_min=1, scale_max=5)
    for domain, items in DOMAINS.items():
        summary = report.domain(domain)
        assert summary.alpha == cronbach_alpha(data[items])
        assert summary.omega == mcdonald_omega(data[items])
        scores = data[items].mean(axis=1)
        assert summary.score_spread is not None
        assert summary.score_spread.mean == pytest.approx(scores.mean())
        assert summary.score_spread.percent_ceiling == pytest.approx(100 * (scores == 5).mean())
        for entry, spread in zip(
            summary.items, item_spread(data[items], scale_min=1, scale_max=5), strict=True
        ):
            assert entry.spread == spread
            assert entry.corrected_item_total == summary.alpha.item(entry.item).corrected_item_total


def test_it_flags_a_ceiling_effect_in_plain_language() -> None:
    report = quality_summary(_instrument(), DOMAINS, scale_min=1, scale_max=5)
    flag = next(f for f in report.flags if f.item == "hop_3" and f.code == "ceiling")
    assert flag.value > 15
    assert flag.threshold == 15.0
    assert "at the top of the scale (5), so the item cannot show improvement" in flag.message


def test_it_flags_an_item_that_does_not_fit_its_domain() -> None:
    report = quality_summary(_instrument(), DOMAINS, scale_min=1, scale_max=5)
    assert "low_item_total" in _codes(report, "cho_4")
    flag = next(f for f in report.flags if f.code == "low_item_total")
    assert flag.item == "cho_4"
    assert "may measure something else" in flag.message
    assert all("low_item_total" not in _codes(report, item) for item in DOMAINS["relationships"])


def test_it_flags_a_domain_whose_items_do_not_hang_together() -> None:
    rng = np.random.default_rng(0)
    data = pd.DataFrame(rng.integers(1, 6, size=(200, 4)), columns=DOMAINS["relationships"])
    report = quality_summary(data, {"relationships": list(data)}, scale_min=1, scale_max=5)
    flag = next(f for f in report.flags if f.code == "low_alpha")
    assert flag.item is None
    assert flag.value == report.domain("relationships").alpha.alpha
    assert "do not hang together well" in flag.message


def test_it_flags_a_domain_whose_items_are_near_copies() -> None:
    base = datasets.latent_items()["item_6"]
    data = pd.DataFrame({"a": base, "b": base, "c": base.where(base.index % 10 > 0, 3)})
    report = quality_summary(data, {"d": ["a", "b", "c"]}, scale_min=1, scale_max=5)
    assert "high_alpha" in _codes(report)
    assert "ask the same thing twice" in next(
        f.message for f in report.flags if f.code == "high_alpha"
    )


def test_flags_are_strictly_beyond_the_threshold() -> None:
    values = [5] * 3 + [1, 2, 3, 4] * 4 + [2]  # 3 of 20 = 15% at the top: not flagged
    data = pd.DataFrame({"a": values, "b": values[::-1], "c": sorted(values)})
    report = quality_summary(data, {"d": ["a", "b", "c"]}, scale_min=1, scale_max=5)
    assert "ceiling" not in _codes(report, "a")
    data.loc[3, "a"] = 5  # 4 of 20 = 20%
    report = quality_summary(data, {"d": ["a", "b", "c"]}, scale_min=1, scale_max=5)
    assert "ceiling" in _codes(report, "a")


def test_floor_flags_are_strictly_beyond_the_threshold() -> None:
    values = [1] * 3 + [2, 3, 4, 5] * 4 + [4]  # 3 of 20 = 15% at the bottom: not flagged
    data = pd.DataFrame({"a": values, "b": values[::-1], "c": sorted(values)})
    report = quality_summary(data, {"d": ["a", "b", "c"]}, scale_min=1, scale_max=5)
    assert "floor" not in _codes(report, "a")
    data.loc[3, "a"] = 1  # 4 of 20 = 20%
    report = quality_summary(data, {"d": ["a", "b", "c"]}, scale_min=1, scale_max=5)
    flag = next(f for f in report.flags if f.item == "a" and f.code == "floor")
    assert flag.value == 20.0
    assert "bottom of the scale (1), so the item cannot show when things get worse" in flag.message


def test_thresholds_can_be_changed_or_switched_off() -> None:
    data = _instrument()
    off = QualityThresholds(floor_ceiling_max_percent=None, item_total_min=None)
    report = quality_summary(data, DOMAINS, scale_min=1, scale_max=5, thresholds=off)
    assert not {"floor", "ceiling", "low_item_total"} & {flag.code for flag in report.flags}
    strict = QualityThresholds(alpha_min=0.95, alpha_max=None)
    report = quality_summary(data, DOMAINS, scale_min=1, scale_max=5, thresholds=strict)
    assert {flag.domain for flag in report.flags if flag.code == "low_alpha"} == set(DOMAINS)
    assert report.thresholds == strict


def test_default_thresholds_follow_the_documented_sources() -> None:
    defaults = QualityThresholds()
    assert defaults.to_dict() == {
        "alpha_min": 0.70,
        "alpha_max": 0.95,
        "icc_min": 0.60,
        "floor_ceiling_max_percent": 15.0,
        "item_total_min": 0.30,
        "kappa_min": 0.41,
    }


def test_a_constant_item_is_flagged_and_left_out_of_alpha() -> None:
    data = _instrument().assign(rel_4=4)
    report = quality_summary(data, DOMAINS, scale_min=1, scale_max=5)
    summary = report.domain("relationships")
    assert "constant_item" in _codes(report, "rel_4")
    assert "same rating (4)" in next(f.message for f in report.flags if f.code == "constant_item")
    assert summary.alpha == cronbach_alpha(data[["rel_1", "rel_2", "rel_3"]])
    assert summary.items[3].corrected_item_total is None


def test_an_item_without_ratings_is_flagged_not_fatal() -> None:
    data = _instrument().astype(float).assign(hop_2=np.nan)
    report = quality_summary(data, DOMAINS, scale_min=1, scale_max=5)
    assert "no_ratings" in _codes(report, "hop_2")
    assert report.domain("hope").items[1].spread is None
    assert report.domain("hope").alpha == cronbach_alpha(data[["hop_1", "hop_3"]])
    assert report.domain("hope").omega is None


def test_a_domain_with_one_usable_item_reports_alpha_as_not_computable() -> None:
    data = _instrument().assign(hop_2=2, hop_3=3)
    report = quality_summary(data, DOMAINS, scale_min=1, scale_max=5)
    flag = next(f for f in report.flags if f.domain == "hope" and f.code == "not_computable")
    assert "at least 2 items whose ratings vary" in flag.message
    assert report.domain("hope").alpha is None


def test_agreement_statistics_equal_the_single_functions() -> None:
    data = _instrument()
    double = _double_rated(data)
    report = quality_summary(
        data,
        DOMAINS,
        scale_min=1,
        scale_max=5,
        agreement_data=double,
        targets="interview",
        raters="rating",
    )
    assert report.n_double_rated == 80
    for domain, items in DOMAINS.items():
        for entry in report.domain(domain).items:
            long = double[["interview", "rating", entry.item]]
            expected = icc(long, targets="interview", raters="rating", ratings=entry.item)
            assert entry.icc == expected.icc2
            kappa = cohen_kappa(
                long,
                targets="interview",
                raters="rating",
                ratings=entry.item,
                weights="linear",
                categories=range(1, 6),
            )
            assert entry.kappa == pytest.approx(kappa.kappa, abs=1e-12)
            agreement = percent_agreement(
                long, targets="interview", raters="rating", ratings=entry.item
            )
            assert entry.percent_exact == agreement.percent_exact
            assert entry.percent_adjacent == agreement.percent_adjacent
        scores = double[["interview", "rating"]].assign(score=double[items].mean(axis=1))
        expected = icc(scores, targets="interview", raters="rating", ratings="score")
        assert report.domain(domain).icc == expected.icc2


def test_it_flags_items_raters_disagree_on() -> None:
    data = _instrument()
    double = _double_rated(data, noise=2.0)
    report = quality_summary(
        data,
        DOMAINS,
        scale_min=1,
        scale_max=5,
        agreement_data=double,
        targets="interview",
        raters="rating",
        icc_form="ICC1",
    )
    low = [flag for flag in report.flags if flag.code == "low_icc"]
    assert low
    assert all(flag.statistic == "ICC1" for flag in low)
    assert "score depends on who rated it" in low[0].message
    assert any(flag.code == "low_kappa" for flag in report.flags)


def test_agreement_that_cannot_be_computed_is_flagged_not_fatal() -> None:
    data = _instrument()
    double = _double_rated(data)
    double["rel_1"] = 3
    report = quality_summary(
        data.assign(rel_1=data["rel_1"]),
        DOMAINS,
        scale_min=1,
        scale_max=5,
        agreement_data=double,
        targets="interview",
        raters="rating",
    )
    entry = report.domain("relationships").items[0]
    assert entry.icc is None
    assert entry.kappa is None
    messages = [f.message for f in entry.flags if f.code == "not_computable"]
    assert any("ICC could not be computed" in message for message in messages)


def test_interviews_rated_once_are_ignored_in_the_agreement_data() -> None:
    data = _instrument()
    double = _double_rated(data)
    single = data.iloc[100:150].assign(interview=range(100, 150), rating="first")
    combined = pd.concat([double, single], ignore_index=True)
    kwargs = {"targets": "interview", "raters": "rating", "scale_min": 1, "scale_max": 5}
    with_single = quality_summary(data, DOMAINS, agreement_data=combined, **kwargs)
    without = quality_summary(data, DOMAINS, agreement_data=double, **kwargs)
    assert with_single.n_double_rated == without.n_double_rated == 80
    assert with_single.domains == without.domains


def test_the_report_serialises_to_strict_json() -> None:
    data = _instrument()
    report = quality_summary(
        data,
        DOMAINS,
        scale_min=1,
        scale_max=5,
        agreement_data=_double_rated(data),
        targets="interview",
        raters="rating",
    )
    text = json.dumps(report.to_dict(), allow_nan=False)
    loaded = json.loads(text)
    assert loaded["icc_form"] == "ICC2"
    assert loaded["thresholds"]["alpha_min"] == 0.70
    assert loaded["domains"][0]["items"][0]["spread"]["distribution"][0]["value"] == 1
    assert len(loaded["domains"]) == 3
