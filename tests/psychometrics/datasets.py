"""Datasets for the psychometrics tests.

Every dataset is either written out here, generated from a fixed numpy seed, or read from the
datasets that ship inside pingouin (``pingouin.read_dataset``). Only numpy, pandas and pingouin
are imported, so this module also runs in the separate environment used once to produce the
factor_analyzer reference values (see ``reference_values.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin

# --- items (cases × items) ---------------------------------------------------------------------


def hand_items() -> pd.DataFrame:
    """Eight interviews rated on four items (1–5), written by hand."""
    return pd.DataFrame(
        {
            "rel_1": [5, 5, 5, 4, 5, 3, 4, 2],
            "rel_2": [4, 5, 3, 3, 4, 2, 3, 1],
            "rel_3": [5, 4, 3, 3, 4, 2, 4, 2],
            "rel_4": [4, 4, 3, 2, 5, 3, 3, 2],
        }
    )


def latent_items(seed: int = 20240611, n_cases: int = 300, n_items: int = 6) -> pd.DataFrame:
    """Ratings 1–5 from a one-factor latent-trait model (loadings 0.50 to 0.85)."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=(n_cases, 1))
    loadings = np.linspace(0.5, 0.85, n_items)
    latent = theta * loadings + rng.normal(size=(n_cases, n_items)) * np.sqrt(1 - loadings**2)
    cuts = np.array([-1.5, -0.5, 0.4, 1.2])
    ratings = 1 + (latent[:, :, None] > cuts).sum(axis=2)
    return pd.DataFrame(ratings, columns=[f"item_{i + 1}" for i in range(n_items)])


def latent_items_missing(seed: int = 99, share: float = 0.08) -> pd.DataFrame:
    """:func:`latent_items` with a seeded ``share`` of ratings set missing (floats, NaN)."""
    data = latent_items().astype(float)
    rng = np.random.default_rng(seed)
    return data.mask(rng.random(data.shape) < share)


def pingouin_alpha_wide() -> pd.DataFrame:
    """pingouin's 'cronbach_alpha' data (15 subjects × 10 items, scale 1–7) in wide format."""
    long = pingouin.read_dataset("cronbach_alpha")
    return long.pivot(index="Subj", columns="Items", values="Scores")


def pingouin_missing() -> pd.DataFrame:
    """pingouin's 'cronbach_wide_missing' (12 × 11 binary items with 4 missing ratings)."""
    return pingouin.read_dataset("cronbach_wide_missing")


def big_five() -> pd.DataFrame:
    """pingouin's 'pairwise_corr' Big Five scores (500 people), neuroticism reversed."""
    data = pingouin.read_dataset("pairwise_corr").drop(columns="Subject")
    data["Stability"] = -data.pop("Neuroticism")
    return data


# --- ratings (targets × raters) ----------------------------------------------------------------


def wine_long() -> pd.DataFrame:
    """pingouin's 'icc' data: 8 wines × 4 judges, long format (Wine, Judge, Scores)."""
    return pingouin.read_dataset("icc")


def shrout_fleiss_wide() -> pd.DataFrame:
    """The 6 targets × 4 judges of Shrout & Fleiss (1979), Table 2."""
    return pd.DataFrame(
        [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]],
        columns=["judge_1", "judge_2", "judge_3", "judge_4"],
    )


def hand_two_raters() -> pd.DataFrame:
    """Twelve interviews rated 1–5 by two raters, written by hand (one missing rating)."""
    return pd.DataFrame(
        {
            "first": [1, 2, 3, 3, 4, 5, 2, 1, 4, 5, 3, np.nan],
            "second": [1, 2, 3, 4, 4, 5, 1, 1, 3, 5, 2, 4],
        }
    )


def cohen_yes_no() -> pd.DataFrame:
    """50 yes/no decisions by two readers: 20 yes–yes, 5 yes–no, 10 no–yes, 15 no–no."""
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10
    pairs += [("no", "no")] * 15
    return pd.DataFrame(pairs, columns=["reader_a", "reader_b"])


def double_rated(
    seed: int = 7,
    n_targets: int = 150,
    n_raters: int = 2,
    noise: float = 0.6,
    missing: float = 0.0,
) -> pd.DataFrame:
    """Targets × raters ratings 1–5: true score + rater bias + noise, cut into five points."""
    rng = np.random.default_rng(seed)
    true = rng.normal(size=(n_targets, 1))
    bias = rng.normal(scale=0.2, size=(1, n_raters))
    latent = true + bias + noise * rng.normal(size=(n_targets, n_raters))
    ratings = (1 + (latent[:, :, None] > np.array([-1.3, -0.4, 0.4, 1.3])).sum(axis=2)).astype(
        float
    )
    if missing:
        ratings[rng.random(ratings.shape) < missing] = np.nan
    return pd.DataFrame(
        ratings,
        index=pd.Index([f"interview_{i + 1}" for i in range(n_targets)], name="interview"),
        columns=[f"rater_{j + 1}" for j in range(n_raters)],
    )


def to_long(wide: pd.DataFrame) -> pd.DataFrame:
    """Wide targets × raters → long (target, rater, rating), dropping missing ratings."""
    long = wide.rename_axis(index="target", columns="rater").stack().rename("rating")
    return long.reset_index()


def fleiss_wikipedia() -> pd.DataFrame:
    """Fleiss' kappa example of Wikipedia: 10 subjects, 14 raters, 5 categories (κ = 0.210).

    The published table gives counts per category; here each subject's 14 ratings are listed
    category by category (the order of raters does not matter to Fleiss' kappa).
    """
    counts = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    rows = [np.repeat(np.arange(1, 6), row) for row in counts]
    return pd.DataFrame(rows, columns=[f"rater_{j + 1}" for j in range(14)])


def krippendorff_example() -> pd.DataFrame:
    """Krippendorff (2011) 'Computing Krippendorff's alpha-reliability', 12 units × 4 coders.

    Published values: nominal 0.743, ordinal 0.815, interval 0.849, ratio 0.797.
    """
    nan = np.nan
    coders = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
        [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
    ]
    return pd.DataFrame(
        np.array(coders).T,
        index=pd.Index([f"unit_{i + 1}" for i in range(12)], name="unit"),
        columns=["A", "B", "C", "D"],
    )
