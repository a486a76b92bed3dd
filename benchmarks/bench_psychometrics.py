"""Benchmark of the psychometrics API at trial scale against the reference packages.

Trial scale: 2,000 interviews × 40 items in 5 domains of 8, ratings 1–5 from a latent-trait
model, 20% of the interviews (400) double-rated with rater noise. Every statistic is timed
(best of a few repeats, :func:`time.perf_counter`) beside its reference implementation in the
same run, plus the whole per-domain quality report. ``run()`` returns one dict per row::

    {"name", "seconds", "reference_name", "reference_seconds", "ratio"}

where ``ratio = seconds / reference_seconds`` (below 1 means faster than the reference;
``None`` when the reference cannot run). Run ``python benchmarks/bench_psychometrics.py`` for a
table.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import Any

import krippendorff
import numpy as np
import pandas as pd
import pingouin
from sklearn.metrics import accuracy_score, cohen_kappa_score
from statsmodels.stats import inter_rater

from peerprinciples.psychometrics import (
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

N_INTERVIEWS = 2000
N_DOMAINS = 5
ITEMS_PER_DOMAIN = 8
DOUBLE_RATED_SHARE = 0.2
SCALE = (1, 5)
SEED = 20240611


def trial_data(
    seed: int = SEED,
) -> tuple[pd.DataFrame, dict[str, list[str]], pd.DataFrame]:
    """Ratings (interviews × items), the domains, and the double-rated ratings in long form.

    Each domain has its own latent trait (correlated 0.5 with a general factor); item
    loadings run from 0.55 to 0.80 and thresholds shift per item, so alpha lands around 0.8 to
    0.9 and a few items show ceiling effects. A rater sees the latent item value plus rater
    noise (SD 0.35); the first rater's ratings form the main table, and 400 interviews also
    have a second rating.
    """
    rng = np.random.default_rng(seed)
    general = rng.normal(size=(N_INTERVIEWS, 1))
    domains: dict[str, list[str]] = {}
    latent_columns = []
    for d in range(N_DOMAINS):
        trait = np.sqrt(0.5) * general + np.sqrt(0.5) * rng.normal(size=(N_INTERVIEWS, 1))
        loadings = np.linspace(0.55, 0.80, ITEMS_PER_DOMAIN)
        noise = rng.normal(size=(N_INTERVIEWS, ITEMS_PER_DOMAIN))
        latent_columns.append(trait * loadings + noise * np.sqrt(1 - loadings**2))
        domains[f"domain_{d + 1}"] = [f"d{d + 1}_item_{i + 1}" for i in range(ITEMS_PER_DOMAIN)]
    latent = np.hstack(latent_columns)
    shift = rng.uniform(-0.3, 0.9, size=latent.shape[1])
    cuts = np.array([-1.6, -0.7, 0.2, 1.1])

    def rate(values: np.ndarray) -> np.ndarray:
        noisy = values + 0.35 * rng.normal(size=values.shape) + shift
        return 1 + (noisy[:, :, None] > cuts).sum(axis=2)

    items = [item for names in domains.values() for item in names]
    first = rate(latent)
    data = pd.DataFrame(first, columns=items)
    n_double = int(N_INTERVIEWS * DOUBLE_RATED_SHARE)
    double = rng.choice(N_INTERVIEWS, size=n_double, replace=False)
    second = rate(latent[double])
    agreement = pd.concat(
        [
            pd.DataFrame(first[double], columns=items).assign(interview=double, rating_order=1),
            pd.DataFrame(second, columns=items).assign(interview=double, rating_order=2),
        ],
        ignore_index=True,
    )
    return data, domains, agreement


def _best(func: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def _row(
    name: str,
    ours: Callable[[], object],
    reference_name: str,
    reference: Callable[[], object] | None,
    repeats: int,
) -> dict[str, Any]:
    seconds = _best(ours, repeats)
    reference_seconds = _best(reference, repeats) if reference is not None else None
    return {
        "name": name,
        "seconds": seconds,
        "reference_name": reference_name,
        "reference_seconds": reference_seconds,
        "ratio": seconds / reference_seconds if reference_seconds else None,
    }


def _factor_analyzer() -> Callable[[pd.DataFrame], object] | None:
    """factor_analyzer's one-factor minres fit, or None where it cannot run."""
    try:
        from factor_analyzer import FactorAnalyzer
    except ImportError:
        return None

    def fit(frame: pd.DataFrame) -> object:
        analyzer = FactorAnalyzer(n_factors=1, rotation=None, method="minres")
        return analyzer.fit(frame)

    try:
        fit(pd.DataFrame(np.random.default_rng(0).normal(size=(20, 3))))
    except TypeError:  # factor_analyzer 0.5.1 with scikit-learn >= 1.8
        return None
    return fit


def _reference_report(
    data: pd.DataFrame, domains: dict[str, list[str]], long_items: dict[str, pd.DataFrame]
) -> None:
    """The quality report's statistics computed with the reference packages."""
    data.apply(pd.Series.value_counts)
    data.mean()
    data.std()
    for items in domains.values():
        block = data[items]
        pingouin.cronbach_alpha(data=block)
        rest = block.sum(axis=1)
        for item in items:
            pingouin.cronbach_alpha(data=block.drop(columns=item))
            block[item].corr(rest - block[item])
    for item, long in long_items.items():
        pingouin.intraclass_corr(
            data=long, targets="interview", raters="rating_order", ratings=item
        )
        wide = long.pivot(index="interview", columns="rating_order", values=item)
        cohen_kappa_score(wide[1], wide[2], weights="linear", labels=[1, 2, 3, 4, 5])
        accuracy_score(wide[1], wide[2])


def run(repeats: int = 3) -> list[dict[str, Any]]:
    """Time every statistic and the whole report against its reference; see the module doc."""
    data, domains, agreement = trial_data()
    items = list(data.columns)
    blocks = [data[names] for names in domains.values()]
    long_items = {item: agreement[["interview", "rating_order", item]] for item in items}
    wide_items = {
        item: long.pivot(index="interview", columns="rating_order", values=item)
        for item, long in long_items.items()
    }
    arrays = {item: wide.to_numpy() for item, wide in wide_items.items()}
    low, high = SCALE
    rows = []

    rows.append(
        _row(
            "item_spread (40 items)",
            lambda: item_spread(data, scale_min=low, scale_max=high),
            "pandas value_counts + mean + std",
            lambda: (data.apply(pd.Series.value_counts), data.mean(), data.std()),
            repeats,
        )
    )
    rows.append(
        _row(
            "cronbach_alpha (5 domains, with item statistics)",
            lambda: [cronbach_alpha(block) for block in blocks],
            "pingouin.cronbach_alpha (alpha and CI only)",
            lambda: [pingouin.cronbach_alpha(data=block) for block in blocks],
            repeats,
        )
    )
    fit = _factor_analyzer()
    rows.append(
        _row(
            "mcdonald_omega (5 domains, minres)",
            lambda: [mcdonald_omega(block) for block in blocks],
            "factor_analyzer FactorAnalyzer(method='minres')"
            + ("" if fit else " — cannot run here (scikit-learn 1.9)"),
            (lambda: [fit(block) for block in blocks]) if fit else None,
            repeats,
        )
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pingouin's pandas deprecation warnings
        rows.append(
            _row(
                "icc, all six forms (40 items × 400 interviews)",
                lambda: [icc(wide) for wide in wide_items.values()],
                "pingouin.intraclass_corr",
                lambda: [
                    pingouin.intraclass_corr(
                        data=long, targets="interview", raters="rating_order", ratings=item
                    )
                    for item, long in long_items.items()
                ],
                repeats,
            )
        )
    rows.append(
        _row(
            "cohen_kappa, linear weights, with SE and CI (40 items)",
            lambda: [
                cohen_kappa(wide, weights="linear", categories=range(low, high + 1))
                for wide in wide_items.values()
            ],
            "sklearn.metrics.cohen_kappa_score (kappa only)",
            lambda: [
                cohen_kappa_score(
                    a[:, 0], a[:, 1], weights="linear", labels=list(range(low, high + 1))
                )
                for a in arrays.values()
            ],
            repeats,
        )
    )
    rows.append(
        _row(
            "fleiss_kappa (40 items)",
            lambda: [fleiss_kappa(wide) for wide in wide_items.values()],
            "statsmodels aggregate_raters + fleiss_kappa",
            lambda: [
                inter_rater.fleiss_kappa(inter_rater.aggregate_raters(a)[0])
                for a in arrays.values()
            ],
            repeats,
        )
    )
    rows.append(
        _row(
            "krippendorff_alpha, ordinal (40 items)",
            lambda: [krippendorff_alpha(wide, level="ordinal") for wide in wide_items.values()],
            "krippendorff.alpha",
            lambda: [
                krippendorff.alpha(reliability_data=a.T, level_of_measurement="ordinal")
                for a in arrays.values()
            ],
            repeats,
        )
    )
    rows.append(
        _row(
            "percent_agreement, exact and adjacent (40 items)",
            lambda: [percent_agreement(wide) for wide in wide_items.values()],
            "sklearn.metrics.accuracy_score (exact only)",
            lambda: [accuracy_score(a[:, 0], a[:, 1]) for a in arrays.values()],
            repeats,
        )
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rows.append(
            _row(
                "quality_summary, whole report (5 domains, 40 items, 400 double-rated)",
                lambda: quality_summary(
                    data,
                    domains,
                    scale_min=low,
                    scale_max=high,
                    agreement_data=agreement,
                    targets="interview",
                    raters="rating_order",
                ),
                "same statistics with pingouin/sklearn/pandas (no omega)",
                lambda: _reference_report(data, domains, long_items),
                repeats,
            )
        )
    return rows


def _table(rows: list[dict[str, Any]]) -> str:
    lines = [f"{'statistic':<72} {'ours (s)':>9} {'ref (s)':>9} {'ratio':>7}  reference"]
    for row in rows:
        reference = "–" if row["reference_seconds"] is None else f"{row['reference_seconds']:.4f}"
        ratio = "–" if row["ratio"] is None else f"{row['ratio']:.3f}"
        lines.append(
            f"{row['name']:<72} {row['seconds']:>9.4f} {reference:>9} {ratio:>7}  "
            f"{row['reference_name']}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(_table(run()))
