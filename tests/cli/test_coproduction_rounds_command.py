"""``coproduction rounds``: a long CSV file of ratings in, the rounds' results out.

The numbers in the files written are checked against pandas working from the same CSV file,
with the call beside each comparison, and the bad rows are checked to be named by file, row
and column with nothing written.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pandas as pd
import pytest

from peerprinciples.cli.main import main
from peerprinciples.core.coproduction.delphi import ConsensusRule
from peerprinciples.core.coproduction.delphi_csv import read_round_ratings
from peerprinciples.core.coproduction.problems import ImportProblems

HEADER = "round,statement,member,rating,group,comment\n"
GROUPS = {f"M{i}": "Peer worker" if i <= 4 else "Manager" for i in range(1, 9)}


def _ratings() -> str:
    """Two rounds, three statements, eight members; M8 stops after round 1, M7 skips."""
    lines = [HEADER]
    for round_number in (1, 2):
        for statement in (1, 2, 3):
            for member in range(1, 9):
                if round_number == 2 and member == 8:
                    continue
                rating = 1 + (member * (statement + 2) + round_number * statement) % 9
                if round_number == 2 and statement == 1:
                    rating = max(rating, 7)  # the panel comes round to P1
                text = "" if member == 7 and statement == 2 else str(rating)
                comment = '"Too vague, reword"' if text == "" else ""
                lines.append(
                    f"{round_number},P{statement},M{member},{text},{GROUPS[f'M{member}']},"
                    f"{comment}\n"
                )
    return "".join(lines)


def _run(*arguments: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["coproduction", "rounds", *arguments])
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def written(tmp_path: Path) -> tuple[Path, Path, str]:
    source = tmp_path / "ratings.csv"
    source.write_text(_ratings(), encoding="utf-8")
    out = tmp_path / "out"
    code, printed, errors = _run(str(source), "--out", str(out))
    assert (code, errors) == (0, "")
    return source, out, printed


def test_it_writes_the_four_files_and_a_summary(written: tuple[Path, Path, str]) -> None:
    _, out, printed = written
    assert sorted(p.name for p in out.iterdir()) == [
        "groups.csv",
        "participation.csv",
        "results.csv",
        "stability.csv",
    ]
    assert printed.startswith(
        "Rule: Agreed when at least 75% of those who rated it chose 7 to 9 and the median is "
        "at least 7.\nRound 1: 8 of 8 members took part (100%); "
    )
    assert "Round 2: 7 of 8 members took part (87.5%), 1 had stopped; " in printed


def test_the_results_match_pandas(written: tuple[Path, Path, str]) -> None:
    source, out, _ = written
    ratings = pd.read_csv(source).dropna(subset=["rating"])
    results = pd.read_csv(out / "results.csv").set_index(["round", "statement"])
    by = ratings.groupby(["round", "statement"])["rating"]
    # ratings.groupby([...])["rating"].count() / .median() / .quantile(q)
    pd.testing.assert_series_equal(results["n"], by.count(), check_names=False)
    pd.testing.assert_series_equal(results["median"], by.median(), check_names=False)
    pd.testing.assert_series_equal(results["q1"], by.quantile(0.25), check_names=False)
    pd.testing.assert_series_equal(results["q3"], by.quantile(0.75), check_names=False)
    # share agreeing: the mean of rating.between(7, 9) over the ratings given
    agree = ratings.assign(a=ratings["rating"].between(7, 9)).groupby(["round", "statement"])["a"]
    pd.testing.assert_series_equal(results["share_agree"], agree.mean(), check_names=False)
    for point in range(1, 10):
        counted = ratings.assign(p=ratings["rating"] == point).groupby(["round", "statement"])["p"]
        assert (results[f"rated_{point}"] == counted.sum()).all()
    agreed = (results["share_agree"] >= 0.75) & (results["median"] >= 7)
    assert (results["agreed"] == agreed).all()
    assert results["reason"].isna().eq(agreed).all()


def test_the_skip_is_not_counted(written: tuple[Path, Path, str]) -> None:
    _, out, _ = written
    results = pd.read_csv(out / "results.csv").set_index(["round", "statement"])
    # M7 skipped P2 in both rounds: 7 ratings in round 1, 6 in round 2 (M8 stopped).
    assert results.loc[(1, "P2"), "n"] == 7
    assert results.loc[(2, "P2"), "n"] == 6
    assert results.loc[(2, "P1"), "n"] == 7


def test_groups_stability_and_participation(written: tuple[Path, Path, str]) -> None:
    _, out, _ = written
    groups = pd.read_csv(out / "groups.csv")
    # Round 2, P2: four peer workers but only M5, M6 of the managers (M7 skipped, M8 stopped).
    row = groups[(groups["round"] == 2) & (groups["statement"] == "P2")].set_index("group")
    assert row.loc["Manager", "note"] == "fewer than 3"
    assert pd.isna(row.loc["Manager", "n"])
    assert row.loc["Peer worker", "note"] == (
        "hidden so that a smaller group cannot be worked out from the others"
    )
    shown = groups[groups["note"].isna()]
    assert len(shown) > 0
    assert (shown["n"] >= 3).all()

    stability = pd.read_csv(out / "stability.csv")
    assert list(stability["statement"]) == ["P1", "P2", "P3"]
    assert set(stability["previous_round"]) == {1}
    p1 = stability.set_index("statement").loc["P1"]
    assert p1["in_both"] == 7  # M1-M7
    # the same by pandas: members whose P1 rating moved band between rounds 1 and 2
    source = pd.read_csv(written[0])
    wide = source[source["statement"] == "P1"].pivot(
        index="member", columns="round", values="rating"
    )
    both = wide.dropna()
    band = both.apply(lambda c: pd.cut(c, [0, 3, 6, 9], labels=False))
    assert p1["moved_band"] == int((band[1] != band[2]).sum())
    assert p1["mean_abs_change"] == pytest.approx((both[2] - both[1]).abs().mean())

    participation = pd.read_csv(out / "participation.csv")
    assert participation.to_dict("list") == {
        "round": [1, 2],
        "invited": [8, 8],
        "responded": [8, 7],
        "response_rate": [1.0, 0.875],
        "not_responding": [0, 1],
        "stopped": [0, 1],
    }


def test_a_1_to_5_scale_from_the_options(tmp_path: Path) -> None:
    source = tmp_path / "five.csv"
    source.write_text(
        "round,statement,member,rating\n1,A,M1,4\n1,A,M2,4\n1,A,M3,5\n1,A,M4,3\n",
        encoding="utf-8",
    )
    options = ["--low", "1", "--high", "5", "--agree-from", "4", "--disagree-to", "2"]
    code, printed, _ = _run(
        str(source), "--out", str(tmp_path / "o"), *options, "--min-median", "4"
    )
    assert code == 0
    assert "Round 1: 4 of 4 members took part (100%); 1 of 1 statement agreed." in printed
    header = (tmp_path / "o" / "results.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith("rated_1,rated_2,rated_3,rated_4,rated_5,agreed,reason")


def test_an_invalid_rule_is_refused_and_nothing_written(tmp_path: Path) -> None:
    source = tmp_path / "ratings.csv"
    source.write_text(_ratings(), encoding="utf-8")
    code, _, errors = _run(str(source), "--out", str(tmp_path / "o"), "--agree-from", "3")
    assert code == 1
    assert "overlap; disagree_to must be below agree_from" in errors
    assert not (tmp_path / "o").exists()


def test_bad_rows_are_named_and_nothing_is_written(tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    source.write_text(
        HEADER
        + "1,P1,M1,8,Peer worker,\n"  # row 2: fine
        + "1,P1,M2,seven,Peer worker,\n"  # row 3: not a rating
        + "1,P1,M3,12,Peer worker,\n"  # row 4: off the scale
        + "1,,M4,7,Peer worker,\n"  # row 5: no statement
        + "1,P1,M1,9,Peer worker,\n"  # row 6: M1 rates P1 again
        + "1,P2,M1,7,Manager,\n",  # row 7: M1 in another group
        encoding="utf-8",
    )
    code, printed, errors = _run(str(source), "--out", str(tmp_path / "o"))
    assert (code, printed) == (1, "")
    assert "bad.csv has 5 problem(s); nothing was written:" in errors
    assert "bad.csv, row 3, column 'rating': 'seven' is not a rating." in errors
    assert "bad.csv, row 4, column 'rating': the rating 12 is outside the 1–9 scale." in errors
    assert "bad.csv, row 5, column 'statement': the statement is empty." in errors
    assert "bad.csv, row 6: member M1 rates statement P1 in round 1 a second time" in errors
    assert "(first on row 2)" in errors
    assert "bad.csv, row 7, column 'group': member M1 is in group 'Manager' here but in" in errors
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("round,statement,member\n1,P1,M1\n", "row 1: the header has no 'rating' column."),
        ("round;statement;member;rating\n", "row 1: the header has one cell, with semicolons"),
        (
            "round,statement,member,rating,score\n",
            "row 1, column 5 (E): 'score' is not a column of a ratings file.",
        ),
        ("round,statement,member,rating,Rating\n", "the column 'rating' is given twice."),
        ("round,statement,member,rating\n\n", "the file has a header but no ratings."),
        ("", "the file is empty."),
    ],
)
def test_a_file_that_cannot_be_read_says_why(text: str, message: str) -> None:
    with pytest.raises(ImportProblems) as caught:
        read_round_ratings(text.encode(), file="r.csv")
    assert message in str(caught.value)


def test_a_workbook_is_not_taken_for_csv() -> None:
    with pytest.raises(ImportProblems, match="zip archive"):
        read_round_ratings(b"PK\x03\x04rest", file="r.xlsx")


def test_reading_puts_rounds_in_natural_order_and_keeps_skips() -> None:
    data = read_round_ratings(
        "\ufeffRound,Statement,Member,Rating\n10,P1,M1,7\n2,P1,M1,\n2,P2,M1,3\n".encode(),
        ConsensusRule(),
    )
    assert data.rounds == ("2", "10")
    assert data.statements == {"10": ["P1"], "2": ["P1", "P2"]}
    assert data.votes["2"] == [("P1", "M1", None), ("P2", "M1", 3)]
    assert data.groups == {}


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    code, _, errors = _run(str(tmp_path / "none.csv"), "--out", str(tmp_path / "o"))
    assert code == 1
    assert "cannot be read" in errors


def test_a_code_that_looks_like_a_formula_is_written_as_text(tmp_path: Path) -> None:
    source = tmp_path / "ratings.csv"
    source.write_text("round,statement,member,rating\n1,=P1,M1,8\n", encoding="utf-8")
    assert _run(str(source), "--out", str(tmp_path / "o"))[0] == 0
    rows = (tmp_path / "o" / "results.csv").read_text(encoding="utf-8").splitlines()
    assert rows[1].startswith("1,'=P1,1,1.0,")
