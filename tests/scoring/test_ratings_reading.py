"""Reading ratings tables: layouts, file types and the normalised table."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from peerprinciples.core.instruments import Instrument, SpecialCode
from peerprinciples.core.ratings import CONSENSUS_RATER, RatingsError, read_ratings, read_table

HEADER = "interview,informant,item,rating,rater,service,peer_worker,round"


def write(tmp_path: Path, text: str, name: str = "ratings.csv") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def test_it_reads_the_long_layout_into_a_typed_table(
    instrument: Instrument, fixtures: Path
) -> None:
    table = read_ratings(fixtures / "hand_scored_long.csv", instrument)
    data = table.data
    assert table.layout == "long"
    assert table.n_ratings == 60
    assert table.n_interviews == 4
    assert table.columns == ("service", "peer_worker", "round", "date")
    assert table.raters == ["R1", "R2"]
    assert table.has_consensus
    for column in ("interview", "informant", "item", "rater", "code", "service", "round"):
        assert isinstance(data[column].dtype, pd.CategoricalDtype), column
    assert list(data["item"].cat.categories) == [item.key for item in instrument.items]
    assert data["rating"].dtype == np.float64
    assert data["date"].dtype.kind == "M"
    first = data.iloc[3]  # A, rel_4, NA
    assert (first["item"], first["code"], first["row"]) == ("rel_4", "NA", 5)
    assert np.isnan(first["rating"])
    assert data.iloc[0]["rating"] == 4.0
    assert data.iloc[0]["date"] == pd.Timestamp("2024-03-04")


def test_it_detects_the_wide_layout_from_item_columns(
    instrument: Instrument, fixtures: Path
) -> None:
    wide = read_ratings(fixtures / "hand_scored_wide.csv", instrument)
    long = read_ratings(fixtures / "hand_scored_long.csv", instrument)
    assert wide.layout == "wide"
    key = ["interview", "rater", "item"]

    def ratings(table: pd.DataFrame) -> pd.DataFrame:
        frame = table[[*key, "rating", "code"]].astype(
            {"interview": str, "rater": str, "item": str, "code": str}
        )
        return frame.sort_values(key).reset_index(drop=True)

    pd.testing.assert_frame_equal(ratings(wide.data), ratings(long.data))


def test_the_layout_can_be_forced(tmp_path: Path, instrument: Instrument) -> None:
    path = write(tmp_path, "interview,informant,rater,rel_1\nI1,peer_worker,R1,4\n")
    with pytest.raises(RatingsError, match="the required column 'item' is missing"):
        read_ratings(path, instrument, layout="long")
    assert read_ratings(path, instrument, layout="wide").n_ratings == 1


def test_it_normalises_headers_keys_codes_and_spaces(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(
        tmp_path,
        """\
        Interview , Informant,ITEM,Rating,Rater,Peer Worker
        I1 ,Peer_Worker, REL_1 ,na,R1 ,PW1
        I1,peer_worker,rel_2, 4 ,Consensus,PW1
        """,
    )
    data = read_ratings(path, instrument).data
    assert list(data["interview"].astype(str)) == ["I1", "I1"]
    assert list(data["informant"].astype(str)) == ["peer_worker", "peer_worker"]
    assert list(data["item"].astype(str)) == ["rel_1", "rel_2"]
    assert list(data["code"].astype(object).fillna("")) == ["NA", ""]
    assert list(data["rater"].astype(str)) == ["R1", CONSENSUS_RATER]
    assert list(data["peer_worker"].astype(str)) == ["PW1", "PW1"]


def test_blank_rows_are_skipped_without_shifting_row_numbers(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(
        tmp_path,
        f"""\
        {HEADER}
        I1,peer_worker,rel_1,4,R1,S1,PW1,1

        ,,,,,,,
        I1,peer_worker,rel_2,9,R1,S1,PW1,1
        """,
    )
    with pytest.raises(RatingsError) as caught:
        read_ratings(path, instrument)
    assert [p.line for p in caught.value.problems] == [5]


def test_it_maps_a_codes_numeric_stand_in_to_the_code(instrument: Instrument) -> None:
    coded = instrument.model_copy(
        update={"codes": [SpecialCode(code="NA", label="Not applicable", value=-8)]}
    )
    frame = pd.DataFrame(
        {
            "interview": ["I1", "I1"],
            "informant": ["peer_worker"] * 2,
            "item": ["rel_1", "rel_2"],
            "rating": [-8, 3],
            "rater": ["R1", "R1"],
        }
    )
    data = read_ratings(frame, coded).data
    assert list(data["code"].astype(object).fillna("")) == ["NA", ""]
    assert np.isnan(data["rating"].iloc[0])


def test_it_reads_a_dataframe_with_numbers_and_codes_mixed(instrument: Instrument) -> None:
    frame = pd.DataFrame(
        {
            "interview": [101, 101, 102],
            "informant": ["peer_worker", "peer_worker", "supervisor"],
            "item": ["rel_1", "rel_2", "rel_1"],
            "rating": [4, "II", 2.0],
            "rater": ["R1", "R1", "R2"],
            "round": [1, 1, 2],
        }
    )
    table = read_ratings(frame, instrument)
    assert list(table.data["interview"].astype(str)) == ["101", "101", "102"]
    assert list(table.data["round"].astype(str)) == ["1", "1", "2"]
    assert table.data["rating"].tolist()[0] == 4.0
    assert table.data["rating"].tolist()[2] == 2.0


def _workbook(path: Path, rows: list[list[object]], sheet: str = "ratings") -> None:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "about"
    first.append(["Synthetic ratings for a test"])
    ratings = book.create_sheet(sheet)
    for row in rows:
        ratings.append(row)
    book.save(path)


def test_it_reads_an_xlsx_workbook(tmp_path: Path, instrument: Instrument) -> None:
    path = tmp_path / "ratings.xlsx"
    _workbook(
        path,
        [
            ["interview", "informant", "item", "rating", "rater", "round", "date"],
            [101, "peer_worker", "rel_1", 4, "R1", 1, dt.datetime(2024, 3, 4)],
            [101, "peer_worker", "rel_2", "NA", "R1", 1, dt.datetime(2024, 3, 4)],
            [None, None, None, None, None, None, None],
            [102, "supervisor", "lea_2", 2, "R2", 2, "2024-09-01"],
        ],
    )
    table = read_ratings(path, instrument)
    data = table.data
    assert list(data["interview"].astype(str)) == ["101", "101", "102"]
    assert data["rating"].tolist()[0] == 4.0
    assert list(data["code"].astype(object).fillna("")) == ["", "NA", ""]
    assert list(data["row"]) == [2, 3, 5]
    assert data["date"].tolist()[0] == pd.Timestamp("2024-03-04")
    assert data["date"].tolist()[2] == pd.Timestamp("2024-09-01")


def test_it_reports_xlsx_problems_by_row_and_column(tmp_path: Path, instrument: Instrument) -> None:
    path = tmp_path / "ratings.xlsx"
    _workbook(
        path,
        [
            ["interview", "informant", "item", "rating", "rater"],
            ["I1", "peer_worker", "rel_1", 4, "R1"],
            ["I1", "peer_worker", "rel_2", 4.5, "R1"],
        ],
    )
    with pytest.raises(RatingsError) as caught:
        read_ratings(path, instrument)
    (problem,) = caught.value.problems
    assert (problem.line, problem.where) == (3, "rating")
    assert "4.5 is not a whole number" in problem.message


def test_it_reads_the_sheet_asked_for(tmp_path: Path, instrument: Instrument) -> None:
    path = tmp_path / "ratings.xlsx"
    _workbook(
        path,
        [
            ["interview", "informant", "item", "rating", "rater"],
            ["I1", "peer_worker", "rel_1", 3, "R1"],
        ],
        sheet="round 1",
    )
    assert read_ratings(path, instrument, sheet="round 1").n_ratings == 1
    with pytest.raises(RatingsError, match="has no sheet 'round 2'"):
        read_ratings(path, instrument, sheet="round 2")


def test_read_table_keeps_blank_rows_and_lower_cases_the_header(tmp_path: Path) -> None:
    path = write(tmp_path, "Interview,Rating\nI1,4\n\nI2,5\n")
    frame = read_table(path)
    assert list(frame.columns) == ["interview", "rating"]
    assert len(frame) == 3


def test_blank_cells_beyond_the_header_and_unnamed_columns_are_ignored(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(
        tmp_path,
        """\
        interview,informant,item,rating,rater,
        I1,peer_worker,rel_1,4,R1,
        I1,peer_worker,rel_2,4,R1,,
        """,
    )
    table = read_ratings(path, instrument)
    assert table.n_ratings == 2
    assert table.notes == ("columns not used: column F",)
