"""RCMap's four files read into a card sort with ratings, and written back to the same data."""

from __future__ import annotations

import doctest
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest
from tests.coproduction.rcmap_data import (
    PANEL,
    SHARED_PROJECTS,
    reference_piles,
    reference_ratings,
    shared_folder,
)

from peerprinciples.core.coproduction import rating_comparisons
from peerprinciples.core.coproduction.cardsort import CardSort, Pile, Sort, StatementRating
from peerprinciples.core.coproduction.rcmap import (
    DEMOGRAPHICS,
    RATINGS,
    SORTED_CARDS,
    STATEMENTS,
    RCMapProject,
    read_rcmap,
    read_rcmap_folder,
    write_rcmap,
    write_rcmap_folder,
)
from peerprinciples.core.coproduction.rcmap import reading as rcmap_reading


def files_of(folder: Path, prefix: str = "") -> dict[str, bytes]:
    return {
        name: (folder / f"{prefix}{name}").read_bytes()
        for name in (STATEMENTS, SORTED_CARDS, RATINGS, DEMOGRAPHICS)
        if (folder / f"{prefix}{name}").exists()
    }


def read_files(files: dict[str, bytes]) -> RCMapProject:
    return read_rcmap(
        files[STATEMENTS], files[SORTED_CARDS], files.get(RATINGS), files.get(DEMOGRAPHICS)
    )


@pytest.fixture
def panel() -> RCMapProject:
    return read_rcmap_folder(PANEL)


def test_it_reads_the_statements_in_file_order_with_quoted_commas(panel: RCMapProject) -> None:
    statements = panel.cardsort.statements
    assert panel.cardsort.keys == ("1", "2", "3", "4", "5", "6", "7", "8")
    assert statements["3"] == (
        "Supervision comes from someone with lived experience, at least monthly"
    )


def test_it_reads_every_pile_ignoring_trailing_spaces_and_empty_cells(
    panel: RCMapProject,
) -> None:
    sorts = {sort.sorter: sort for sort in panel.cardsort.sorts}
    assert list(sorts) == ["P01", "P02", "P03"]
    assert sorts["P01"].piles[2] == Pile("Learning and support", ("3", "6", "5"))
    assert sorts["P02"].piles[1] == Pile("The role", ("2", "5", "7", "8"))
    assert sorts["P02"].piles[2] == Pile("", ("3", "6"))
    assert sorts["P03"].piles[0] == Pile("Choice, control", ("4", "1"))


def test_a_sorter_who_skipped_cards_leaves_them_unsorted(panel: RCMapProject) -> None:
    p03 = next(sort for sort in panel.cardsort.sorts if sort.sorter == "P03")
    assert set(panel.cardsort.keys) - p03.sorted_cards() == {"8"}


def test_missing_ratings_are_absent_and_decimals_are_kept(panel: RCMapProject) -> None:
    given = {(r.rater, r.statement, r.scale): r.value for r in panel.ratings}
    assert ("P02", "3", "Feasibility") not in given  # NA
    assert ("R04", "5", "Feasibility") not in given  # empty cell
    assert ("R05", "5", "Importance") not in given  # NA on both scales
    assert given["P02", "3", "Importance"] == 4.0
    assert given["R05", "4", "Importance"] == 4.5
    reference = reference_ratings(PANEL / RATINGS)
    assert len(panel.ratings) == len(reference) == 70
    assert panel.scales == ("Importance", "Feasibility")
    assert panel.raters == ("P01", "P02", "P03", "R04", "R05")


def test_demographics_become_groups_without_empty_answers(panel: RCMapProject) -> None:
    groups = panel.cardsort.groups
    assert groups["P01"] == {"Role": "Peer worker", "Years": "2-5"}
    assert groups["P02"] == {"Role": "Peer worker"}
    assert len(groups) == 5
    assert panel.warnings == ()


def test_a_round_trip_gives_identical_data(panel: RCMapProject, tmp_path: Path) -> None:
    written = write_rcmap_folder(panel, tmp_path, prefix="copy_")
    assert sorted(path.name for path in written) == [
        "copy_Demographics.csv",
        "copy_Ratings.csv",
        "copy_SortedCards.csv",
        "copy_Statements.csv",
    ]
    again = read_rcmap_folder(tmp_path, prefix="copy_")
    assert again == panel
    assert write_rcmap(again) == write_rcmap(panel)


def test_written_files_have_no_byte_order_mark_and_write_na_for_a_rating_not_given(
    panel: RCMapProject,
) -> None:
    files = write_rcmap(panel)
    assert not any(content.startswith(b"\xef\xbb\xbf") for content in files.values())
    ratings = files[RATINGS].decode("utf-8").splitlines()
    assert ratings[0] == "RaterID,StatementID,Importance,Feasibility"
    assert "P02,3,4,NA" in ratings
    assert "R05,4,4.5,4" in ratings
    assert files[SORTED_CARDS].decode("utf-8").splitlines()[6] == 'P03,"Choice, control",4,1'


def test_statements_and_sorts_alone_are_a_project() -> None:
    files = files_of(PANEL)
    project = read_rcmap(files[STATEMENTS], files[SORTED_CARDS])
    assert project.ratings == ()
    assert project.scales == ()
    assert project.cardsort.groups == {}
    assert set(write_rcmap(project)) == {STATEMENTS, SORTED_CARDS}


def test_a_byte_order_mark_and_unix_or_windows_line_ends_read_the_same(
    panel: RCMapProject,
) -> None:
    files = files_of(PANEL)
    marked = {name: b"\xef\xbb\xbf" + content for name, content in files.items()}
    windows = {
        name: content.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        for name, content in files.items()
    }
    assert read_files(marked) == panel
    assert read_files(windows) == panel


def test_ids_written_with_leading_zeros_are_kept_and_match_plain_numbers() -> None:
    project = read_rcmap(
        b"StatementID,Statement\n007,Listen first\n12,Share when it helps\n",
        b"S1,Together,7,012\n",
        b"RaterID,StatementID,Importance\nS1,7,4\nS1,0012,5\n",
    )
    assert project.cardsort.keys == ("007", "12")
    assert project.cardsort.sorts[0].piles[0].cards == ("007", "12")
    assert [r.statement for r in project.ratings] == ["007", "12"]


def test_a_rater_missing_from_demographics_is_a_warning_not_a_problem() -> None:
    files = files_of(PANEL)
    demographics = b"RaterID,Role\nP01,Peer worker\nP02,Peer worker\nP03,Manager\n"
    project = read_rcmap(files[STATEMENTS], files[SORTED_CARDS], files[RATINGS], demographics)
    assert [str(w) for w in project.warnings] == [
        "Ratings.csv, row 26: R04 is not in Demographics.csv: their ratings count among all "
        "raters, but in no group. Add a row for R04 to Demographics.csv if they belong to a "
        "group.",
        "Ratings.csv, row 34: R05 is not in Demographics.csv: their ratings count among all "
        "raters, but in no group. Add a row for R05 to Demographics.csv if they belong to a "
        "group.",
    ]
    assert len(project.ratings) == 70
    assert project == RCMapProject(project.cardsort, project.ratings, project.scales)


def test_writing_refuses_what_rcmap_cannot_hold(panel: RCMapProject) -> None:
    cardsort = panel.cardsort
    lettered = RCMapProject(CardSort(statements={"C-07": "Listen", "2": "Share"}, sorts=()))
    with pytest.raises(ValueError, match=r"not whole numbers: C-07\. Number the statements"):
        write_rcmap(lettered)
    empty_pile = RCMapProject(
        CardSort(
            statements=cardsort.statements,
            sorts=(Sort("P09", (Pile("Nothing yet", ()),)),),
        )
    )
    with pytest.raises(ValueError, match="The pile 'Nothing yet' of sorter P09 has no cards"):
        write_rcmap(empty_pile)
    odd_scale = RCMapProject(
        cardsort, (StatementRating("P01", "1", "Urgency", 3.0),), ("Importance",)
    )
    with pytest.raises(ValueError, match="scale 'Urgency', which is not one of the project's"):
        write_rcmap(odd_scale)
    twice = RCMapProject(
        cardsort,
        (StatementRating("P01", "1", "Importance", 3.0),) * 2,
        ("Importance",),
    )
    with pytest.raises(ValueError, match="P01 rated statement 1 twice on 'Importance'"):
        write_rcmap(twice)


# -- The public RCMap projects --------------------------------------------------------------


@pytest.mark.parametrize(
    ("project", "statements", "sorters", "piles", "raters", "scales"),
    [
        ("ncats", 81, 74, 1565, 101, ("Importance", "Feasibility")),
        ("sample", 80, 10, 126, 10, ("Feasibility", "Importance")),
    ],
)
def test_the_public_projects_import_cleanly_with_the_right_counts(
    project: str,
    statements: int,
    sorters: int,
    piles: int,
    raters: int,
    scales: tuple[str, ...],
) -> None:
    folder, prefix = shared_folder(), SHARED_PROJECTS[project]
    result = read_rcmap_folder(folder, prefix)
    cardsort = result.cardsort
    # The counts as pandas reads the same files:
    listed = pd.read_csv(folder / f"{prefix}Statements.csv", dtype=str, encoding="utf-8-sig")
    placed = reference_piles(folder / f"{prefix}SortedCards.csv")
    given = reference_ratings(folder / f"{prefix}Ratings.csv")
    people = pd.read_csv(folder / f"{prefix}Demographics.csv", dtype=str, encoding="utf-8-sig")
    assert len(cardsort.statements) == len(listed) == statements
    assert len(cardsort.sorts) == placed["sorter"].nunique() == sorters
    assert sum(len(sort.piles) for sort in cardsort.sorts) == placed["row"].nunique() == piles
    assert sum(len(p.cards) for s in cardsort.sorts for p in s.piles) == len(placed)
    assert len(result.ratings) == len(given)
    assert len(result.raters) == given["rater"].nunique() == raters
    assert result.scales == scales
    assert len(cardsort.groups) == len(people)
    assert result.warnings == ()


def test_two_ncats_sorters_skipped_statements_which_stay_unsorted() -> None:
    result = read_rcmap_folder(shared_folder(), SHARED_PROJECTS["ncats"])
    keys = set(result.cardsort.keys)
    skipped = {s.sorter: keys - s.sorted_cards() for s in result.cardsort.sorts}
    assert sum(bool(cards) for cards in skipped.values()) == 2


@pytest.mark.parametrize("project", sorted(SHARED_PROJECTS))
def test_the_public_projects_round_trip_to_identical_data(project: str) -> None:
    folder, prefix = shared_folder(), SHARED_PROJECTS[project]
    result = read_rcmap_folder(folder, prefix)
    again = read_files(write_rcmap(result))
    assert again == result
    assert again.cardsort.statements == result.cardsort.statements
    assert again.ratings == result.ratings


@pytest.mark.parametrize("module", [rcmap_reading, rating_comparisons])
def test_the_examples_in_the_docstrings_run(module: ModuleType) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0
