"""Statement and cluster means, the ladder and the go-zone, against pandas and scipy.

Every reference is worked out in the test from the CSV files as pandas reads them (not from
our reader), and every pinned number has the call that produced it beside it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from tests.coproduction.rcmap_data import (
    PANEL,
    SHARED_PROJECTS,
    reference_ratings,
    shared_folder,
)

from peerprinciples.core.coproduction.cardsort import StatementRating
from peerprinciples.core.coproduction.rating_comparisons import (
    LadderSide,
    go_zone,
    ladder,
    pearson_r,
)
from peerprinciples.core.coproduction.rcmap import RCMapProject, read_rcmap_folder
from peerprinciples.core.coproduction.statement_ratings import (
    ALL_RATERS,
    cluster_means,
    cluster_means_by_group,
    cohorts,
    statement_summaries,
)

CLUSTERS = {"1": 1, "4": 1, "8": 1, "2": 2, "7": 2, "5": 2, "3": 3, "6": 3}
NAMES = {1: "Relationships", 2: "The role", 3: "Learning"}


@pytest.fixture(scope="module")
def panel() -> RCMapProject:
    return read_rcmap_folder(PANEL)


@pytest.fixture(scope="module")
def given() -> pd.DataFrame:
    """The panel's ratings as pandas reads Ratings.csv, with each rater's Role."""
    ratings = reference_ratings(PANEL / "Ratings.csv")
    people = pd.read_csv(PANEL / "Demographics.csv", dtype=str)
    return ratings.merge(people, left_on="rater", right_on="RaterID", how="left")


def reference_cluster_means(ratings: pd.DataFrame, clusters: dict[str, int]) -> pd.DataFrame:
    """Cluster x scale: the mean of the statement means (pandas groupby, twice)."""
    means = ratings.groupby(["scale", "statement"])["value"].mean().reset_index()
    means["cluster"] = means["statement"].map(clusters)
    return means.dropna(subset=["cluster"]).groupby(["cluster", "scale"])["value"].mean().unstack()


# -- Per statement ---------------------------------------------------------------------------


@pytest.mark.parametrize("scale", ["Importance", "Feasibility"])
def test_statement_n_mean_and_sd_match_pandas(
    panel: RCMapProject, given: pd.DataFrame, scale: str
) -> None:
    reference = (
        given[given["scale"] == scale]
        .groupby("statement")["value"]
        .agg(["count", "mean", "std"])  # pandas: std with ddof=1
    )
    summaries = statement_summaries(panel.ratings, scale, statements=panel.cardsort.keys)
    assert [s.statement for s in summaries] == list(panel.cardsort.keys)
    for summary in summaries:
        row = reference.loc[summary.statement]
        assert summary.n == row["count"]
        assert summary.mean == pytest.approx(row["mean"], abs=1e-12)
        assert summary.sd == pytest.approx(row["std"], abs=1e-12)


@pytest.mark.parametrize(
    ("statement", "scale", "n", "mean", "sd"),
    [
        # given[given.scale == "Importance"].groupby("statement").value
        #     .agg(["count", "mean", "std"])
        ("4", "Importance", 5, 4.3, 0.836660),
        ("5", "Importance", 4, 3.25, 0.957427),
        # given[given.scale == "Feasibility"].groupby("statement").value
        #     .agg(["count", "mean", "std"])
        ("3", "Feasibility", 4, 2.75, 0.5),
        ("5", "Feasibility", 3, 2.666667, 0.577350),
    ],
)
def test_a_rating_not_given_is_left_out_not_filled_in(
    panel: RCMapProject, statement: str, scale: str, n: int, mean: float, sd: float
) -> None:
    (summary,) = statement_summaries(panel.ratings, scale, statements=[statement])
    assert (summary.n, summary.mean, summary.sd) == (
        n,
        pytest.approx(mean, abs=1e-6),
        pytest.approx(sd, abs=1e-6),
    )


def test_a_statement_nobody_rated_has_no_mean_and_one_rating_no_sd() -> None:
    ratings = [StatementRating("A", "1", "Importance", 4.0)]
    one, none = statement_summaries(ratings, "Importance", statements=["1", "2"])
    assert (one.n, one.mean, one.sd) == (1, 4.0, None)
    assert (none.n, none.mean, none.sd) == (0, None, None)


def test_without_a_statement_list_every_rated_statement_is_summarised_in_order() -> None:
    ratings = [StatementRating("A", key, "Importance", 3.0) for key in ("9", "2", "9")]
    assert [s.statement for s in statement_summaries(ratings, "Importance")] == ["9", "2"]


def test_a_scale_without_ratings_is_refused_naming_the_scales_there_are(
    panel: RCMapProject,
) -> None:
    with pytest.raises(
        ValueError,
        match="No statement was rated on 'Urgency'; the ratings are on: Importance, Feasibility",
    ):
        statement_summaries(panel.ratings, "Urgency")


# -- Per cluster -----------------------------------------------------------------------------


@pytest.mark.parametrize("scale", ["Importance", "Feasibility"])
def test_cluster_means_are_means_of_statement_means_as_pandas_works_them_out(
    panel: RCMapProject, given: pd.DataFrame, scale: str
) -> None:
    reference = reference_cluster_means(given, CLUSTERS)[scale]
    means = cluster_means(panel.ratings, CLUSTERS, scale, names=NAMES)
    assert [m.cluster for m in means] == [1, 2, 3]
    assert [m.name for m in means] == ["Relationships", "The role", "Learning"]
    assert [m.mean for m in means] == pytest.approx(list(reference), abs=1e-12)
    assert [m.statements for m in means] == [3, 3, 2]
    on_scale = given[given["scale"] == scale]
    raters = on_scale.groupby(on_scale["statement"].map(CLUSTERS))["rater"].nunique()
    assert [m.raters for m in means] == list(raters)


def test_the_pinned_cluster_means_of_the_panel(panel: RCMapProject) -> None:
    # reference_cluster_means(given, CLUSTERS) ->
    #   cluster 1: Importance 4.000000, Feasibility 3.533333
    #   cluster 2: Importance 3.783333, Feasibility 3.138889
    importance = cluster_means(panel.ratings, CLUSTERS, "Importance")
    feasibility = cluster_means(panel.ratings, CLUSTERS, "Feasibility")
    assert importance[0].mean == pytest.approx(4.0, abs=1e-6)
    assert importance[1].mean == pytest.approx(3.783333, abs=1e-6)
    assert feasibility[0].mean == pytest.approx(3.533333, abs=1e-6)
    assert feasibility[1].mean == pytest.approx(3.138889, abs=1e-6)
    assert importance[2].name == "Cluster 3"


def test_statements_nobody_rated_are_counted_not_averaged() -> None:
    ratings = [
        StatementRating("A", "1", "Importance", 4.0),
        StatementRating("B", "1", "Importance", 2.0),
    ]
    (mean,) = cluster_means(ratings, {"1": 7, "2": 7, "3": 7}, "Importance")
    assert (mean.cluster, mean.mean, mean.statements, mean.unrated, mean.raters) == (
        7,
        3.0,
        1,
        2,
        2,
    )


def test_cluster_means_by_group_match_pandas_grouped_by_the_answer(
    panel: RCMapProject, given: pd.DataFrame
) -> None:
    table = cluster_means_by_group(
        panel.ratings, CLUSTERS, "Importance", panel.cardsort.groups, "Role", names=NAMES
    )
    assert list(table) == ["all raters", "Role: Manager", "Role: Peer worker"]
    for role in ("Manager", "Peer worker"):
        reference = reference_cluster_means(given[given["Role"] == role], CLUSTERS)["Importance"]
        means = table[f"Role: {role}"]
        assert [m.mean for m in means] == pytest.approx(list(reference), abs=1e-12)
        assert {m.cohort for m in means} == {f"Role: {role}"}
    # given[given.Role == "Manager"] holds P03 and R04: two raters in every cluster.
    assert [m.raters for m in table["Role: Manager"]] == [2, 2, 2]


def test_raters_without_an_answer_count_among_all_and_in_no_group(panel: RCMapProject) -> None:
    (short,) = [c for c in cohorts(panel.cardsort.groups, "Years") if c.answer == "2-5"]
    assert short.members == frozenset({"P01", "R04"})
    labels = [c.label for c in cohorts(panel.cardsort.groups, "Years")]
    assert labels == ["Years: 2-5", "Years: 10+", "Years: under 2"]  # P02 left it empty
    assert ALL_RATERS.includes("anyone")


def test_a_question_nobody_answered_is_refused(panel: RCMapProject) -> None:
    with pytest.raises(
        ValueError,
        match="Nobody answered the question 'Age'; the questions answered are: Role, Years",
    ):
        cohorts(panel.cardsort.groups, "Age")


def test_no_clusters_is_refused(panel: RCMapProject) -> None:
    with pytest.raises(ValueError, match="There are no clusters"):
        cluster_means(panel.ratings, {}, "Importance")


# -- The ladder ------------------------------------------------------------------------------


def test_the_ladder_of_two_scales_and_its_r_match_scipy(
    panel: RCMapProject, given: pd.DataFrame
) -> None:
    reference = reference_cluster_means(given, CLUSTERS)
    expected = stats.pearsonr(reference["Importance"], reference["Feasibility"]).statistic
    result = ladder(
        panel.ratings, CLUSTERS, LadderSide("Importance"), LadderSide("Feasibility"), names=NAMES
    )
    assert [rung.left for rung in result.rungs] == pytest.approx(list(reference["Importance"]))
    assert [rung.right for rung in result.rungs] == pytest.approx(list(reference["Feasibility"]))
    assert result.r == pytest.approx(expected, abs=1e-12)
    # scipy.stats.pearsonr(reference.Importance, reference.Feasibility).statistic -> 0.906482
    assert result.r == pytest.approx(0.906482, abs=1e-6)
    # numpy.corrcoef(reference.Importance, reference.Feasibility)[0, 1] agrees
    assert result.r == pytest.approx(
        np.corrcoef(reference["Importance"], reference["Feasibility"])[0, 1]
    )
    assert result.paired == 3


def test_the_ladder_of_one_scale_for_two_groups_matches_scipy(
    panel: RCMapProject, given: pd.DataFrame
) -> None:
    workers, managers = (
        next(c for c in cohorts(panel.cardsort.groups, "Role") if c.answer == answer)
        for answer in ("Peer worker", "Manager")
    )
    result = ladder(
        panel.ratings,
        CLUSTERS,
        LadderSide("Importance", workers),
        LadderSide("Importance", managers),
    )
    assert result.left.label == "Importance (Role: Peer worker)"
    left = reference_cluster_means(given[given["Role"] == "Peer worker"], CLUSTERS)["Importance"]
    right = reference_cluster_means(given[given["Role"] == "Manager"], CLUSTERS)["Importance"]
    assert [rung.left for rung in result.rungs] == pytest.approx(list(left))
    assert [rung.right for rung in result.rungs] == pytest.approx(list(right))
    # scipy.stats.pearsonr(left, right).statistic -> -0.997773
    assert result.r == pytest.approx(stats.pearsonr(left, right).statistic, abs=1e-12)
    assert result.r == pytest.approx(-0.997773, abs=1e-6)


def test_r_is_not_given_when_it_would_say_nothing() -> None:
    assert pearson_r([(1.0, 2.0), (2.0, 1.0)]) is None  # two clusters: always -1 or +1
    assert pearson_r([(1.0, 2.0), (2.0, 2.0), (3.0, 2.0)]) is None  # a constant column
    assert pearson_r([(1.0, 1.0), (2.0, 3.0), (3.0, 2.0)]) == pytest.approx(
        stats.pearsonr([1.0, 2.0, 3.0], [1.0, 3.0, 2.0]).statistic  # -> 0.5
    )


def test_a_cluster_rated_on_one_side_only_has_a_rung_without_a_line(panel: RCMapProject) -> None:
    ratings = [*panel.ratings, StatementRating("P01", "9", "Importance", 5.0)]
    result = ladder(
        ratings, {**CLUSTERS, "9": 4}, LadderSide("Importance"), LadderSide("Feasibility")
    )
    assert (result.rungs[-1].left, result.rungs[-1].right) == (5.0, None)
    assert result.paired == 3


# -- The go-zone -----------------------------------------------------------------------------


def test_the_go_zone_splits_at_the_mean_of_the_statement_means(
    panel: RCMapProject, given: pd.DataFrame
) -> None:
    means = given.groupby(["statement", "scale"])["value"].mean().unstack()
    x_split, y_split = means["Importance"].mean(), means["Feasibility"].mean()
    top_right = means[(means["Importance"] > x_split) & (means["Feasibility"] > y_split)]
    zone = go_zone(panel.ratings, "Importance", "Feasibility", clusters=CLUSTERS)
    assert zone.x_split == pytest.approx(x_split)  # means.Importance.mean() -> 3.875
    assert zone.y_split == pytest.approx(y_split)  # means.Feasibility.mean() -> 3.252083
    assert zone.x_split == pytest.approx(3.875)
    assert zone.y_split == pytest.approx(3.252083, abs=1e-6)
    assert zone.go_zone == tuple(top_right.index) == ("1", "4")
    assert [p.statement for p in zone.points] == list(CLUSTERS)
    assert zone.points[0].cluster == 1
    quadrants = {p.statement: (p.high_x, p.high_y) for p in zone.points}
    assert quadrants["2"] == (True, False)
    assert quadrants["7"] == (False, True)
    assert quadrants["5"] == (False, False)


def test_a_go_zone_within_one_cluster_splits_at_that_clusters_means(
    panel: RCMapProject, given: pd.DataFrame
) -> None:
    means = given.groupby(["statement", "scale"])["value"].mean().unstack()
    members = means.loc[["2", "7", "5"]]
    zone = go_zone(panel.ratings, "Importance", "Feasibility", clusters=CLUSTERS, within=2)
    assert [p.statement for p in zone.points] == ["2", "7", "5"]
    assert zone.x_split == pytest.approx(members["Importance"].mean())
    assert zone.y_split == pytest.approx(members["Feasibility"].mean())


def test_a_statement_without_both_means_is_left_out_of_the_go_zone() -> None:
    ratings = [
        StatementRating("A", "1", "Importance", 4.0),
        StatementRating("A", "1", "Feasibility", 2.0),
        StatementRating("A", "2", "Importance", 5.0),
        StatementRating("A", "3", "Feasibility", 1.0),
        StatementRating("B", "4", "Importance", 2.0),
        StatementRating("B", "4", "Feasibility", 4.0),
    ]
    zone = go_zone(ratings, "Importance", "Feasibility")
    assert [p.statement for p in zone.points] == ["1", "4"]
    assert zone.left_out == ("2", "3")
    # A point exactly at a split counts as below it: with two points neither is above both.
    assert (zone.x_split, zone.y_split) == (3.0, 3.0)
    assert zone.go_zone == ()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"within": 2}, "There is no cluster 2 among the clusters given"),
        ({"within": 9, "clusters": CLUSTERS}, "There is no cluster 9 among the clusters given"),
        ({"statements": ["99"]}, "No statement has a mean on both 'Importance' and 'Feasibility'"),
    ],
)
def test_a_go_zone_that_cannot_be_drawn_is_refused(
    panel: RCMapProject, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        go_zone(panel.ratings, "Importance", "Feasibility", **kwargs)


# -- The NCATS panel, 74 sorters and 101 raters ----------------------------------------------


@pytest.fixture(scope="module")
def ncats() -> tuple[RCMapProject, pd.DataFrame, dict[str, int]]:
    """The NCATS project, its ratings with each rater's role as pandas reads them, and
    clusters taken from one sorter's piles (the second sorter placed every card)."""
    folder, prefix = shared_folder(), SHARED_PROJECTS["ncats"]
    project = read_rcmap_folder(folder, prefix)
    ratings = reference_ratings(folder / f"{prefix}Ratings.csv")
    people = pd.read_csv(folder / f"{prefix}Demographics.csv", dtype=str)
    ratings = ratings.merge(people, left_on="rater", right_on="RaterID", how="left")
    piles = project.cardsort.sorts[1].piles
    clusters = {card: number for number, pile in enumerate(piles, 1) for card in pile.cards}
    return project, ratings, clusters


def test_ncats_statement_summaries_match_pandas(
    ncats: tuple[RCMapProject, pd.DataFrame, dict[str, int]],
) -> None:
    project, ratings, _ = ncats
    for scale in project.scales:
        reference = (
            ratings[ratings["scale"] == scale]
            .groupby("statement")["value"]
            .agg(["count", "mean", "std"])
        )
        for summary in statement_summaries(project.ratings, scale):
            row = reference.loc[summary.statement]
            assert summary.n == row["count"]
            assert summary.mean == pytest.approx(row["mean"], abs=1e-12)
            assert summary.sd == pytest.approx(row["std"], abs=1e-12)


def test_ncats_ladder_and_go_zone_match_pandas_and_scipy(
    ncats: tuple[RCMapProject, pd.DataFrame, dict[str, int]],
) -> None:
    project, ratings, clusters = ncats
    assert len(clusters) == 81
    reference = reference_cluster_means(ratings, clusters)
    result = ladder(project.ratings, clusters, LadderSide("Importance"), LadderSide("Feasibility"))
    assert [rung.left for rung in result.rungs] == pytest.approx(list(reference["Importance"]))
    assert result.r == pytest.approx(
        stats.pearsonr(reference["Importance"], reference["Feasibility"]).statistic, abs=1e-12
    )
    # scipy.stats.pearsonr(reference.Importance, reference.Feasibility).statistic -> 0.362239
    assert result.r == pytest.approx(0.362239, abs=1e-6)
    means = ratings.groupby(["statement", "scale"])["value"].mean().unstack()
    top_right = means[
        (means["Importance"] > means["Importance"].mean())
        & (means["Feasibility"] > means["Feasibility"].mean())
    ]
    zone = go_zone(project.ratings, "Importance", "Feasibility", statements=project.cardsort.keys)
    assert set(zone.go_zone) == set(top_right.index)
    assert len(zone.go_zone) == 26  # len(top_right)


def test_ncats_cluster_means_by_role_match_pandas(
    ncats: tuple[RCMapProject, pd.DataFrame, dict[str, int]],
) -> None:
    project, ratings, clusters = ncats
    table = cluster_means_by_group(
        project.ratings, clusters, "Feasibility", project.cardsort.groups, "PrimaryRole"
    )
    assert len(table) == 1 + ratings["PrimaryRole"].nunique()
    for role in ratings["PrimaryRole"].unique():
        subset = ratings[ratings["PrimaryRole"] == role]
        reference = reference_cluster_means(subset, clusters)["Feasibility"]
        reference = reference.reindex(range(1, max(clusters.values()) + 1))
        got = [m.mean for m in table[f"PrimaryRole: {role}"]]
        for value, expected in zip(got, reference, strict=True):
            if math.isnan(expected):
                assert value is None
            else:
                assert value == pytest.approx(expected, abs=1e-12)
