"""``coproduction map``: an RCMap study in, the concept map and its ratings out.

The small study is written by the tests; the numbers in the files are checked against
pandas, numpy and SciPy working from the same CSV files, with the call beside each
comparison. The public NCATS study is used when the shared data are there.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.cluster.hierarchy import fcluster, linkage
from tests.shared_data import shared_folder

from peerprinciples.cli.main import main
from peerprinciples.core.coproduction.conceptmap import ConceptMap, analyse
from peerprinciples.core.coproduction.rcmap import read_rcmap_folder

STATEMENTS = [
    "Peer workers draw on their own experience of distress",
    "Lived experience counts as expertise",
    "Peer workers tell their story when it helps",
    "Support is offered as between equals",
    "Power is shared in the relationship",
    "The person supported chooses the support",
    "Peer workers get supervision from peers",
    "The organisation protects the peer role",
]
SORTS = [
    ("S1", "Lived experience", [1, 2, 3]),
    ("S1", "Equality", [4, 5, 6]),
    ("S1", "Organisation", [7, 8]),
    ("S2", "Experience", [1, 2]),
    ("S2", "Sharing", [3]),
    ("S2", "Equal relationships", [4, 5]),
    ("S2", "Choice", [6]),
    ("S2", "Organisation", [7, 8]),
    ("S3", "Lived experience", [1, 2, 3]),
    ("S3", "Equality", [4, 5, 6, 7, 8]),
    ("S4", "Lived experience", [1, 2, 3, 7]),
    ("S4", "Mutuality", [4, 5, 6]),
    ("S4", "Organisation", [8]),
    ("S5", "Lived experience", [1, 3]),
    ("S5", "Own story", [2]),
    ("S5", "Equality", [4, 5]),
    ("S5", "Support for peers", [6, 7, 8]),
    ("S6", "Experience", [1, 2, 3]),
    ("S6", "Equality", [4, 5, 6]),
    ("S6", "Organisation", [8]),  # S6 left statement 7 unsorted
]
ROLES = {
    "R1": "Peer worker",
    "R2": "Peer worker",
    "R3": "Peer worker",
    "R4": "Peer worker",
    "R5": "Manager",
    "R6": "Manager",
    "R7": "Manager",
    "R8": "Carer",
}
FAST = ["--starts", "2", "--resamples", "6", "--seed", "7", "--clusters", "2-5", "--quiet"]


def _rating(rater: int, statement: int, scale: int) -> str:
    """A rating from 1 to 5 that varies by rater, statement and scale; a few not given."""
    if (rater * 7 + statement * 3 + scale) % 17 == 0:
        return "NA"
    return str(1 + (rater * 2 + statement * (3 + scale) + scale * rater) % 5)


def write_study(folder: Path, *, prefix: str = "", ratings: bool = True, scales: int = 2) -> Path:
    """The four RCMap files of a small panel (the first two only without ``ratings``)."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["StatementID,Statement"] + [f'{n},"{t}"' for n, t in enumerate(STATEMENTS, 1)]
    (folder / f"{prefix}Statements.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    piles = [f"{s},{label}," + ",".join(map(str, cards)) for s, label, cards in SORTS]
    (folder / f"{prefix}SortedCards.csv").write_text("\n".join(piles) + "\n", encoding="utf-8")
    if ratings:
        names = ["Importance", "Feasibility"][:scales]
        rows = ["RaterID,StatementID," + ",".join(names)]
        for r in range(1, 9):
            for s in range(1, 9):
                values = [_rating(r, s, scale) for scale in range(scales)]
                rows.append(f"R{r},{s}," + ",".join(values))
        (folder / f"{prefix}Ratings.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
        people = ["RaterID,Role,Years"] + [
            f"{code},{role},{'2-5' if i % 2 else '10+'}"
            for i, (code, role) in enumerate(ROLES.items())
        ]
        (folder / f"{prefix}Demographics.csv").write_text(
            "\n".join(people) + "\n", encoding="utf-8"
        )
    return folder


def run(*arguments: str) -> int:
    return main(["coproduction", "map", *arguments])


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The small study, the folder the command wrote and what it printed."""
    study = write_study(tmp_path_factory.mktemp("study"))
    out = tmp_path_factory.mktemp("drawn") / "out"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        assert run(str(study), "--out", str(out), *FAST) == 0
    return study, out, printed.getvalue()


def reference_ratings(study: Path, prefix: str = "") -> pd.DataFrame:
    """Every rating given (rater, statement, scale, value, role), as pandas reads the files."""
    wide = pd.read_csv(study / f"{prefix}Ratings.csv", dtype=str, keep_default_na=False)
    long = wide.melt(id_vars=["RaterID", "StatementID"], var_name="scale", value_name="text")
    long = long[~long["text"].isin(["", "NA"])].copy()
    long["value"] = pd.to_numeric(long["text"])
    people = pd.read_csv(study / f"{prefix}Demographics.csv", dtype=str)
    return long.merge(people, on="RaterID", how="left")


def cluster_means(given: pd.DataFrame, clusters: dict[str, int]) -> pd.DataFrame:
    """Scale x cluster: the mean of the statement means, and the raters (pandas groupby)."""
    given = given.assign(cluster=given["StatementID"].map(clusters))
    means = given.groupby(["scale", "cluster", "StatementID"])["value"].mean().reset_index()
    table = means.groupby(["scale", "cluster"])["value"].mean().to_frame("mean")
    table["raters"] = given.groupby(["scale", "cluster"])["RaterID"].nunique()
    return table


def test_it_writes_the_map_and_the_rating_files(drawn: tuple[Path, Path, str]) -> None:
    _, out, _ = drawn
    assert sorted(p.name for p in out.iterdir()) == [
        "concept-map.json",
        "go-zone.svg",
        "ladder.svg",
        "map.csv",
        "map.svg",
        "ratings.csv",
    ]
    for name in ("map.svg", "ladder.svg", "go-zone.svg"):
        svg = (out / name).read_text(encoding="utf-8")
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label=')
        assert "<title>" in svg
        assert "<desc>" in svg


def test_the_json_is_the_whole_result_the_core_draws(drawn: tuple[Path, Path, str]) -> None:
    study, out, _ = drawn
    stored = ConceptMap.from_json(json.loads((out / "concept-map.json").read_text("utf-8")))
    direct = analyse(
        read_rcmap_folder(study).cardsort, starts=2, seed=7, clusters=range(2, 6), resamples=6
    )
    assert stored == direct
    assert stored.cluster_counts == (2, 3, 4, 5)
    assert stored.unsorted == {"S6": ("7",)}


def test_the_map_table_has_the_ward_clusters_of_the_most_stable_solution(
    drawn: tuple[Path, Path, str],
) -> None:
    _, out, printed = drawn
    table = pd.read_csv(out / "map.csv", dtype={"statement": str})
    stored = json.loads((out / "concept-map.json").read_text("utf-8"))
    # The most stable solution: the highest mean adjusted Rand index (numpy's mean, to six
    # decimals), the fewest clusters among equals.
    means = {int(k): round(float(np.mean(s)), 6) for k, s in stored["stability"].items()}
    k = max(means, key=lambda c: (means[c], -c))
    assert table["cluster"].nunique() == k
    assert list(table["statement"]) == [str(n) for n in range(1, 9)]
    np.testing.assert_allclose(table[["x", "y"]].to_numpy(), stored["coordinates"], rtol=0)
    # fcluster(linkage(coordinates, "ward"), k, "maxclust"), compared as groups of statements
    ward = fcluster(linkage(table[["x", "y"]].to_numpy(), "ward"), k, "maxclust")
    assert _blocks(ward) == _blocks(table["cluster"])
    assert f"The {k} clusters, with names suggested" in printed
    assert re.search(rf"^\s+{k} clusters .*<- most stable, shown$", printed, flags=re.M)


def _blocks(labels: object) -> set[frozenset[int]]:
    found: dict[object, set[int]] = {}
    for index, label in enumerate(list(labels)):  # type: ignore[call-overload]
        found.setdefault(label, set()).add(index)
    return {frozenset(members) for members in found.values()}


def test_the_summary_says_what_the_map_is_made_of(drawn: tuple[Path, Path, str]) -> None:
    _, out, printed = drawn
    stored = json.loads((out / "concept-map.json").read_text("utf-8"))
    assert ": 8 statements, 6 sorters." in printed
    assert "Unsorted cards: 1 sorter(s) left 1 card(s) out of their piles" in printed
    assert "(own pile)" in printed
    assert f"Stress-1: {stored['stress']:.4f} (seed 7, 2 start(s)" in printed
    for k, scores in stored["stability"].items():
        # numpy: mean, SD (ddof=1) and the 2.5 % and 97.5 % quantiles of each solution
        line = (
            f"{int(k):>3} clusters  {np.mean(scores):.3f}  {np.std(scores, ddof=1):.3f}  "
            f"{np.quantile(scores, 0.025):.3f} to {np.quantile(scores, 0.975):.3f}"
        )
        assert line in printed
    given = reference_ratings(drawn[0])  # pandas: the cells that are not NA
    assert f"Ratings: {len(given)} by 8 raters on Importance, Feasibility." in printed
    assert "Written:" in printed


def test_the_cluster_means_match_pandas(drawn: tuple[Path, Path, str]) -> None:
    study, out, _ = drawn
    given = reference_ratings(study)
    assert len(given) == 120  # len(reference_ratings(study)): 128 cells, 8 of them NA
    clusters = dict(
        pd.read_csv(out / "map.csv", dtype={"statement": str})[["statement", "cluster"]].values
    )
    table = pd.read_csv(out / "ratings.csv", keep_default_na=False)
    everyone = table[table["group"] == "all raters"]
    reference = cluster_means(given, clusters)
    assert len(everyone) == len(reference)
    for row in everyone.itertuples():
        expected = reference.loc[(row.scale, row.cluster)]
        assert float(row.mean) == pytest.approx(expected["mean"], abs=1e-12)
        assert row.raters == expected["raters"]
        assert row.question == ""


def test_small_groups_are_held_back_as_on_the_web_page(drawn: tuple[Path, Path, str]) -> None:
    study, out, printed = drawn
    table = pd.read_csv(out / "ratings.csv", keep_default_na=False)
    # Carer has one rater, so it is hidden; Manager (3) goes too, or Carer's means could be
    # worked out from everyone's less the peer workers'.
    assert set(table["group"]) == {"all raters", "Peer worker"}
    assert set(table.loc[table["group"] == "Peer worker", "question"]) == {"Role"}
    assert "Groups by Role (raters): Carer (1, held back), Manager (3, held back), " in printed
    given = reference_ratings(study)
    peers = cluster_means(given[given["Role"] == "Peer worker"], _clusters(out))
    for row in table[table["group"] == "Peer worker"].itertuples():
        assert float(row.mean) == pytest.approx(peers.loc[(row.scale, row.cluster), "mean"])


def _clusters(out: Path) -> dict[str, int]:
    table = pd.read_csv(out / "map.csv", dtype={"statement": str})
    return dict(zip(table["statement"], table["cluster"], strict=True))


def test_every_group_shows_with_a_threshold_of_one(tmp_path: Path) -> None:
    study = write_study(tmp_path / "study")
    assert run(str(study), "--out", str(tmp_path / "out"), "--min-group-raters", "1", *FAST) == 0
    table = pd.read_csv(tmp_path / "out" / "ratings.csv", keep_default_na=False)
    assert set(table["group"]) == {"all raters", "Carer", "Manager", "Peer worker"}
    given = reference_ratings(study)
    carer = cluster_means(given[given["Role"] == "Carer"], _clusters(tmp_path / "out"))
    for row in table[table["group"] == "Carer"].itertuples():
        assert float(row.mean) == pytest.approx(carer.loc[(row.scale, row.cluster), "mean"])


def test_another_question_groups_the_raters(tmp_path: Path) -> None:
    study = write_study(tmp_path / "study")
    out = tmp_path / "out"
    assert run(str(study), "--out", str(out), "--group", "Years", *FAST) == 0
    table = pd.read_csv(out / "ratings.csv", keep_default_na=False)
    assert set(table["question"]) == {"", "Years"}
    assert set(table["group"]) == {"all raters", "2-5", "10+"}


def test_the_ladder_and_go_zone_match_scipy_and_pandas(
    drawn: tuple[Path, Path, str],
) -> None:
    study, out, printed = drawn
    given = reference_ratings(study)
    means = cluster_means(given, _clusters(out))["mean"].unstack(level=0)
    # scipy.stats.pearsonr between the clusters' Importance and Feasibility means
    r = stats.pearsonr(means["Importance"], means["Feasibility"]).statistic
    paired = len(means)
    assert f"Ladder of Importance and Feasibility: Pearson's r = {r:.3f} across {paired}" in printed
    statement = given.groupby(["StatementID", "scale"])["value"].mean().unstack()
    x, y = statement["Importance"], statement["Feasibility"]
    inside = int(((x > x.mean()) & (y > y.mean())).sum())
    assert (
        f"Go-zone: {inside} of 8 statements above the mean on both Importance "
        f"({x.mean():.2f}) and Feasibility ({y.mean():.2f})."
    ) in printed
    ladder = (out / "ladder.svg").read_text(encoding="utf-8")
    assert f"Pearson&#x27;s r = {r:.2f}" in ladder or f"Pearson's r = {r:.2f}" in ladder


@pytest.mark.parametrize(
    ("where", "extra"),
    [
        ("folder", ["--prefix", "Panel_"]),
        ("together", []),
        ("one file", []),
    ],
)
def test_the_study_is_found_by_folder_and_prefix(
    tmp_path: Path, where: str, extra: list[str]
) -> None:
    folder = write_study(tmp_path / "files", prefix="Panel_", ratings=False)
    given = {
        "folder": str(folder),
        "together": str(folder / "Panel_"),
        "one file": str(folder / "Panel_SortedCards.csv"),
    }[where]
    out = tmp_path / "out"
    assert run(given, "--out", str(out), *extra, *FAST) == 0
    assert len(pd.read_csv(out / "map.csv")) == 8


def test_a_study_without_ratings_gives_the_map_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = write_study(tmp_path / "study", ratings=False)
    # Statement 7 goes into S6's last pile: nobody leaves a card unsorted.
    cards = study / "SortedCards.csv"
    cards.write_text(
        cards.read_text(encoding="utf-8").replace("S6,Organisation,8\n", "S6,Organisation,8,7\n"),
        encoding="utf-8",
    )
    assert run(str(study), "--out", str(tmp_path / "out"), *FAST) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "concept-map.json",
        "map.csv",
        "map.svg",
    ]
    printed = capsys.readouterr().out
    assert "No ratings in the study" in printed
    assert "Unsorted cards: none (a card left out would count as a pile of its own" in printed


def test_one_scale_gives_the_means_without_ladder_or_go_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = write_study(tmp_path / "study", scales=1)
    assert run(str(study), "--out", str(tmp_path / "out"), *FAST) == 0
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert "ratings.csv" in names
    assert "ladder.svg" not in names
    assert "go-zone.svg" not in names
    assert "a ladder and a go-zone need two" in capsys.readouterr().out


def test_k_chooses_the_solution_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    study = write_study(tmp_path / "study")
    assert run(str(study), "--out", str(tmp_path / "out"), "--k", "4", *FAST) == 0
    assert pd.read_csv(tmp_path / "out" / "map.csv")["cluster"].nunique() == 4
    assert re.search(r"^\s+4 clusters .*shown$", capsys.readouterr().out, flags=re.M)


# --- what goes wrong ---------------------------------------------------------------------------


def test_problems_in_the_files_are_listed_with_place_and_fix_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = write_study(tmp_path / "study")
    statements = study / "Statements.csv"
    statements.write_text(
        statements.read_text(encoding="utf-8") + '3,"A second statement 3"\n', encoding="utf-8"
    )
    sorted_cards = study / "SortedCards.csv"
    sorted_cards.write_text(
        sorted_cards.read_text(encoding="utf-8") + "S7,Other,1,99\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    assert run(str(study), "--out", str(out), *FAST) == 1
    err = capsys.readouterr().err
    assert "error: the study's files have 2 problem(s); nothing was written:" in err
    assert "  - Statements.csv, row 10" in err
    assert "  - SortedCards.csv, row 21" in err
    assert "99" in err
    assert not out.exists()


def test_sorts_that_cannot_be_mapped_are_refused_with_every_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    study = write_study(tmp_path / "study", ratings=False)
    # Every sorter put every card in one pile: no pair is told from any other.
    everything = ",".join(str(n) for n in range(1, 9))
    (study / "SortedCards.csv").write_text(
        f"S1,All,{everything}\nS2,All,{everything}\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    assert run(str(study), "--out", str(out), *FAST) == 1
    err = capsys.readouterr().err
    assert "error: the sorts cannot be mapped" in err
    assert "  - sorts: every pair of statements was put together by 2 of 2 sorters" in err
    assert not out.exists()


def test_a_failed_run_leaves_earlier_results_untouched(
    drawn: tuple[Path, Path, str], tmp_path: Path
) -> None:
    study = write_study(tmp_path / "study")
    out = tmp_path / "out"
    out.mkdir()
    (out / "map.csv").write_text("earlier\n", encoding="utf-8")
    (study / "SortedCards.csv").write_text("S1,All,1,1\n", encoding="utf-8")
    assert run(str(study), "--out", str(out), *FAST) == 1
    assert [p.name for p in out.iterdir()] == ["map.csv"]
    assert (out / "map.csv").read_text(encoding="utf-8") == "earlier\n"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--k", "9"], "--k 9 is not among the numbers of clusters computed (2, 3, 4, 5)"),
        (
            ["--group", "Team"],
            "there is no Demographics question 'Team'; the questions are: Role, Years.",
        ),
        (
            ["--scales", "Importance,Cost"],
            "nobody rated on 'Cost'; the scales rated are: Importance, Feasibility.",
        ),
    ],
)
def test_choices_the_study_cannot_meet_are_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    study = write_study(tmp_path / "study")
    out = tmp_path / "out"
    assert run(str(study), "--out", str(out), *FAST, *arguments) == 1
    assert f"error: {message}" in capsys.readouterr().err
    assert not out.exists()


def test_a_study_that_is_not_there_is_an_error_saying_how_to_name_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(str(tmp_path / "nowhere" / "Study_"), "--out", str(tmp_path / "out")) == 1
    err = capsys.readouterr().err
    assert "Study_Statements.csv" in err
    assert "give the study's folder" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--clusters", "1-4"], "a map cannot be cut into 1 cluster(s); ask for two or more."),
        (["--clusters", "9-4"], "the range '9-4' runs backwards"),
        (["--clusters", "many"], "'many' is not a number of clusters"),
        (["--starts", "0"], "0 is too small; use 1 or more."),
        (["--resamples", "x"], "'x' is not a whole number."),
        (["--scales", "Importance"], "'Importance' is not two different scales"),
    ],
)
def test_a_wrong_option_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    with pytest.raises(SystemExit) as stop:
        run(str(tmp_path), "--out", str(tmp_path / "out"), *arguments)
    assert stop.value.code == 2
    assert message in capsys.readouterr().err


def test_help_names_every_file_written(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["coproduction", "map", "--help"])
    assert stop.value.code == 0
    # argparse may wrap a line after a hyphen: join the words back.
    text = " ".join(capsys.readouterr().out.split()).replace("- ", "-")
    for name in ("map.svg", "map.csv", "concept-map.json", "ratings.csv", "ladder.svg"):
        assert name in text


# --- the public NCATS study ----------------------------------------------------------------


def test_the_ncats_study_is_mapped_with_its_ratings_by_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = shared_folder("cardsort")
    if not (folder / "RCMap_DataNCATS_Statements.csv").is_file():
        pytest.skip("The shared RCMap files are not here; set PEERPRINCIPLES_SHARED_DATA.")
    out = tmp_path / "out"
    options = ["--starts", "1", "--resamples", "4", "--quiet"]
    assert run(str(folder / "RCMap_DataNCATS_"), "--out", str(out), *options) == 0
    printed = capsys.readouterr()
    assert ": 81 statements, 74 sorters." in printed.out
    assert "Unsorted cards: 2 sorter(s) left 7 card(s)" in printed.out
    assert "warning: sorter 58: left 6 cards unsorted" in printed.err
    table = pd.read_csv(out / "map.csv", dtype={"statement": str})
    assert len(table) == 81
    given = reference_ratings(folder, "RCMap_DataNCATS_")
    assert f"Ratings: {len(given):,} by {given['RaterID'].nunique()} raters" in printed.out
    ratings = pd.read_csv(out / "ratings.csv", keep_default_na=False)
    reference = cluster_means(given, _clusters(out))
    everyone = ratings[ratings["group"] == "all raters"]
    for row in everyone.itertuples():
        assert float(row.mean) == pytest.approx(
            reference.loc[(row.scale, row.cluster), "mean"], abs=1e-12
        )
    # pandas: the roles with at least three raters are the groups shown (none of them is
    # small enough to be worked out from the others here).
    raters = given.groupby("PrimaryRole")["RaterID"].nunique()
    assert set(ratings["group"]) - {"all raters"} == set(raters[raters >= 3].index)
    roles = given[given["PrimaryRole"] == "Evaluator"]
    evaluators = cluster_means(roles, _clusters(out))
    for row in ratings[ratings["group"] == "Evaluator"].itertuples():
        assert float(row.mean) == pytest.approx(
            evaluators.loc[(row.scale, row.cluster), "mean"], abs=1e-12
        )
