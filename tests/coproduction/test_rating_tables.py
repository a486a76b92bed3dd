"""Which groups of raters are shown apart, and the table of cluster means by group, checked
against pandas reading the panel's own files."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from tests.coproduction.rcmap_data import PANEL, reference_ratings

from peerprinciples.core.coproduction.cardsort import StatementRating
from peerprinciples.core.coproduction.rating_tables import COLUMNS, cluster_means_csv
from peerprinciples.core.coproduction.rcmap import RCMapProject, read_rcmap_folder
from peerprinciples.core.coproduction.statement_ratings import (
    Cohort,
    GroupShown,
    rater_groups,
)

CLUSTERS = {"1": 1, "4": 1, "8": 1, "2": 2, "7": 2, "5": 2, "3": 3, "6": 3}
NAMES = {1: "Relationships", 2: "The role", 3: "Learning"}


@pytest.fixture(scope="module")
def panel() -> RCMapProject:
    return read_rcmap_folder(PANEL)


@pytest.fixture(scope="module")
def given() -> pd.DataFrame:
    ratings = reference_ratings(PANEL / "Ratings.csv")
    people = pd.read_csv(PANEL / "Demographics.csv", dtype=str)
    return ratings.merge(people, left_on="rater", right_on="RaterID", how="left")


def roles(panel: RCMapProject) -> dict[str, str]:
    return {p: a["Role"] for p, a in panel.cardsort.groups.items() if a.get("Role")}


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def reference_means(given: pd.DataFrame) -> pd.Series:
    """(scale, cluster) -> the mean of the statement means (pandas groupby, twice)."""
    given = given.assign(cluster=given["statement"].map(CLUSTERS))
    means = given.groupby(["scale", "cluster", "statement"])["value"].mean()
    return means.groupby(level=["scale", "cluster"]).mean()


# --- rater_groups ------------------------------------------------------------------------------


def test_groups_count_their_raters_as_pandas_does(panel: RCMapProject, given: pd.DataFrame) -> None:
    groups = rater_groups(panel.ratings, roles(panel), question="Role", minimum=2)
    raters = given.groupby("Role")["rater"].nunique()  # pandas: distinct raters per role
    assert [(g.name, g.raters) for g in groups] == [
        ("Manager", raters["Manager"]),
        ("Peer worker", raters["Peer worker"]),
    ]
    assert all(g.shown for g in groups)
    assert groups[0].cohort == Cohort("Role", "Manager", frozenset({"P03", "R04"}))


def test_a_small_group_is_held_back_and_so_is_the_one_it_could_be_worked_out_from(
    panel: RCMapProject,
) -> None:
    # Managers are two raters: hidden. Peer workers are three, but everyone's means less
    # theirs would give the managers' back, so they are hidden too.
    groups = rater_groups(panel.ratings, roles(panel), question="Role")
    assert [(g.name, g.raters, g.shown) for g in groups] == [
        ("Manager", 2, False),
        ("Peer worker", 3, False),
    ]


def test_with_two_small_groups_hidden_the_larger_ones_show() -> None:
    people = {f"A{n}": "Ward A" for n in range(5)}
    people |= {f"B{n}": "Ward B" for n in range(4)}
    people |= {"C0": "carers", "D0": "Day centre", "D1": "Day centre"}
    given = [StatementRating(person, "1", "Importance", 3.0) for person in people]
    groups = rater_groups(given, people, question="Team")
    assert [(g.name, g.shown) for g in groups] == [
        ("carers", False),
        ("Day centre", False),
        ("Ward A", True),
        ("Ward B", True),
    ]


def test_people_in_no_group_count_in_none(panel: RCMapProject) -> None:
    assert rater_groups(panel.ratings, {}, question="Role") == []


def test_a_threshold_below_one_is_refused(panel: RCMapProject) -> None:
    with pytest.raises(ValueError, match="must be 1 or more, not 0"):
        rater_groups(panel.ratings, roles(panel), question="Role", minimum=0)


# --- cluster_means_csv -------------------------------------------------------------------------


def test_the_table_has_everyone_s_means_as_pandas_works_them_out(
    panel: RCMapProject, given: pd.DataFrame
) -> None:
    table = rows(cluster_means_csv(panel.ratings, CLUSTERS, panel.scales, names=NAMES))
    assert list(table[0]) == list(COLUMNS)
    reference = reference_means(given)
    assert len(table) == len(reference)  # a row per scale and cluster
    for row in table:
        assert row["group"] == "all raters"
        assert row["question"] == ""
        assert row["cluster_name"] == NAMES[int(row["cluster"])]
        expected = reference[(row["scale"], int(row["cluster"]))]
        assert float(row["mean"]) == pytest.approx(expected, abs=1e-12)


def test_shown_groups_follow_with_their_own_means(panel: RCMapProject, given: pd.DataFrame) -> None:
    groups = rater_groups(panel.ratings, roles(panel), question="Role", minimum=2)
    text = cluster_means_csv(panel.ratings, CLUSTERS, panel.scales, groups=groups, minimum=2)
    table = rows(text)
    managers = [row for row in table if row["group"] == "Manager"]
    assert {row["question"] for row in managers} == {"Role"}
    reference = reference_means(given[given["Role"] == "Manager"])
    for row in managers:
        expected = reference[(row["scale"], int(row["cluster"]))]
        assert float(row["mean"]) == pytest.approx(expected, abs=1e-12)
    assert [row["group"] for row in table[:3]] == ["all raters"] * 3


def test_groups_held_back_are_left_out(panel: RCMapProject) -> None:
    groups = rater_groups(panel.ratings, roles(panel), question="Role")
    table = rows(cluster_means_csv(panel.ratings, CLUSTERS, panel.scales, groups=groups))
    assert {row["group"] for row in table} == {"all raters"}


def test_a_mean_of_too_few_raters_in_a_group_is_left_empty_with_its_counts(
    panel: RCMapProject,
) -> None:
    managers = GroupShown("Manager", 2, True, Cohort("Role", "Manager", frozenset({"P03", "R04"})))
    table = rows(cluster_means_csv(panel.ratings, CLUSTERS, ["Importance"], groups=[managers]))
    held = [row for row in table if row["group"] == "Manager"]
    assert [row["mean"] for row in held] == ["", "", ""]
    assert [row["raters"] for row in held] == ["2", "2", "2"]


def test_texts_a_spreadsheet_would_run_are_written_as_text(panel: RCMapProject) -> None:
    names = {1: "=HYPERLINK(1)", 2: "+2", 3: "Learning"}
    table = rows(cluster_means_csv(panel.ratings, CLUSTERS, ["Importance"], names=names))
    assert [row["cluster_name"] for row in table] == ["'=HYPERLINK(1)", "'+2", "Learning"]


def test_no_clusters_or_an_unrated_scale_is_refused(panel: RCMapProject) -> None:
    with pytest.raises(ValueError, match="There are no clusters"):
        cluster_means_csv(panel.ratings, {}, ["Importance"])
    with pytest.raises(ValueError, match="No statement was rated on 'Cost'"):
        cluster_means_csv(panel.ratings, CLUSTERS, ["Cost"])
