"""Bad ratings tables: every problem is reported by file, row and column, with a fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

from peerprinciples.core.documents import DocumentError
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.ratings import MAX_PROBLEMS, RatingProblem, RatingsError, read_ratings

HEADER = "interview,informant,item,rating,rater,service,peer_worker,round"
GOOD = "I1,peer_worker,rel_1,4,R1,S1,PW1,1"


def write(tmp_path: Path, text: str, name: str = "ratings.csv") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def problems_of(source: Path | pd.DataFrame, instrument: Instrument) -> list[RatingProblem]:
    with pytest.raises(RatingsError) as caught:
        read_ratings(source, instrument)
    found = caught.value.problems
    assert all(isinstance(p, RatingProblem) for p in found)
    return [p for p in found if isinstance(p, RatingProblem)]


def only(problems: list[RatingProblem]) -> RatingProblem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def test_it_rejects_an_unknown_item(tmp_path: Path, instrument: Instrument) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD}\nI1,peer_worker,rel_9,3,R1,S1,PW1,1\n")
    problem = only(problems_of(path, instrument))
    assert (problem.source, problem.row, problem.column) == (str(path), 3, "item")
    assert "'rel_9' is not an item of enrich-example-index@0.1" in problem.message
    assert "rel_1" in problem.fix


def test_it_rejects_an_unknown_informant(tmp_path: Path, instrument: Instrument) -> None:
    path = write(tmp_path, f"{HEADER}\nI2,nurse,rel_1,3,R1,S1,PW1,1\n")
    problem = only(problems_of(path, instrument))
    assert (problem.row, problem.column) == (2, "informant")
    assert "'nurse' is not an informant" in problem.message
    assert "peer_worker, supervisor, supported_person" in problem.fix


def test_it_rejects_an_item_not_asked_of_the_informant(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, f"{HEADER}\nI2,supervisor,mut_3,3,R1,S1,PW1,1\n")
    problem = only(problems_of(path, instrument))
    assert (problem.row, problem.column) == (2, "item")
    assert "'mut_3' is not asked of the informant 'supervisor'" in problem.message
    assert "peer_worker, supported_person" in problem.message


def test_it_rejects_a_rating_off_the_scale(tmp_path: Path, instrument: Instrument) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD}\nI1,peer_worker,rel_2,6,R1,S1,PW1,1\n")
    problem = only(problems_of(path, instrument))
    assert (problem.row, problem.column) == (3, "rating")
    assert "the rating 6 is off the scale: 'rel_2' is rated from 1 to 5" in problem.message
    assert "from 1 to 5" in problem.fix


def test_it_rejects_a_rating_that_is_not_a_whole_number(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, f"{HEADER}\nI1,peer_worker,rel_2,3.5,R1,S1,PW1,1\n")
    problem = only(problems_of(path, instrument))
    assert (problem.row, problem.column) == (2, "rating")
    assert "3.5 is not a whole number" in problem.message
    assert "consensus" in problem.fix


def test_it_rejects_an_unknown_special_code(tmp_path: Path, instrument: Instrument) -> None:
    path = write(tmp_path, f"{HEADER}\nI1,peer_worker,rel_2,XX,R1,S1,PW1,1\n")
    problem = only(problems_of(path, instrument))
    assert (problem.row, problem.column) == (2, "rating")
    assert "'XX' is neither a number nor one of the special codes" in problem.message
    assert "NA (Not applicable), II (Insufficient information)" in problem.fix


def test_it_suggests_a_decimal_point_for_a_decimal_comma(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, f'{HEADER}\nI1,peer_worker,rel_2,"3,5",R1,S1,PW1,1\n')
    problem = only(problems_of(path, instrument))
    assert "decimal point" in problem.fix


def test_it_rejects_a_duplicate_rating_by_the_same_rater(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(
        tmp_path,
        f"{HEADER}\n{GOOD}\nI1,peer_worker,rel_2,4,R1,S1,PW1,1\nI1,peer_worker,rel_1,5,R1,S1,PW1,1\n",
    )
    problem = only(problems_of(path, instrument))
    assert (problem.row, problem.column) == (4, "rater")
    assert "'I1' already has a rating of item 'rel_1' by rater 'R1' (row 2)" in problem.message


def test_two_raters_of_the_same_item_are_not_duplicates(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD}\nI1,peer_worker,rel_1,5,R2,S1,PW1,1\n")
    assert read_ratings(path, instrument).n_ratings == 2


@pytest.mark.parametrize(
    ("column", "second_row", "first", "second"),
    [
        ("informant", "I1,supervisor,rel_2,4,R1,S1,PW1,1", "peer_worker", "supervisor"),
        ("peer_worker", "I1,peer_worker,rel_2,4,R1,S1,PW7,1", "PW1", "PW7"),
        ("service", "I1,peer_worker,rel_2,4,R1,S2,PW1,1", "S1", "S2"),
        ("round", "I1,peer_worker,rel_2,4,R1,S1,PW1,2", "1", "2"),
    ],
)
def test_it_rejects_an_interview_whose_details_differ_between_rows(
    tmp_path: Path, instrument: Instrument, column: str, second_row: str, first: str, second: str
) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD}\n{second_row}\n")
    problem = only(problems_of(path, instrument))
    label = column.replace("_", " ")
    assert (problem.row, problem.column) == (3, column)
    assert (
        f"interview 'I1' has the {label} '{second}' here but '{first}' on row 2" in problem.message
    )
    assert "different ids" in problem.fix


def test_it_rejects_a_table_missing_a_required_column(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, "interview,informant,item,rating\nI1,peer_worker,rel_1,4\n")
    problem = only(problems_of(path, instrument))
    assert (problem.row, problem.column) == (1, "rater")
    assert "the required column 'rater' is missing" in problem.message
    assert "interview, informant, item, rating" in problem.message


def test_it_rejects_an_empty_file(tmp_path: Path, instrument: Instrument) -> None:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    problem = only(problems_of(path, instrument))
    assert problem.message == "the file is empty."
    assert "header row" in problem.fix


def test_it_rejects_a_file_with_a_header_and_no_ratings(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, f"{HEADER}\n\n")
    problem = only(problems_of(path, instrument))
    assert "no ratings" in problem.message


def test_it_rejects_a_file_that_is_not_utf8(tmp_path: Path, instrument: Instrument) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(
        f"{HEADER}\n{GOOD}\nI1,peer_worker,rel_2,4,Ren\xe9e,S1,PW1,1\n".encode("cp1252")
    )
    problem = only(problems_of(path, instrument))
    assert problem.row == 3
    assert "not UTF-8" in problem.message
    assert "Windows-1252" in problem.message
    assert "CSV UTF-8" in problem.fix


def test_it_accepts_utf8_with_a_byte_order_mark(tmp_path: Path, instrument: Instrument) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(
        f"{HEADER}\n{GOOD}\nI1,peer_worker,rel_2,4,Renée,S1,PW1,1\n".encode("utf-8-sig")
    )
    table = read_ratings(path, instrument)
    assert list(table.data["rater"].astype(str)) == ["R1", "Renée"]


def test_it_says_which_delimiter_the_file_seems_to_use(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, f"{HEADER.replace(',', ';')}\n{GOOD.replace(',', ';')}\n")
    problem = only(problems_of(path, instrument))
    assert problem.row == 1
    assert "the file seems to use ';' (semicolon) as delimiter" in problem.message
    assert "delimiter=';'" in problem.fix


def test_a_semicolon_file_reads_with_the_delimiter_given(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, f"{HEADER.replace(',', ';')}\n{GOOD.replace(',', ';')}\n")
    assert read_ratings(path, instrument, delimiter=";").n_ratings == 1


def test_it_rejects_a_pdf(tmp_path: Path, instrument: Instrument) -> None:
    path = tmp_path / "ratings.csv"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    problem = only(problems_of(path, instrument))
    assert problem.message == "the file is a PDF document, not a table of ratings."
    assert "CSV UTF-8" in problem.fix


def test_it_rejects_binary_data(tmp_path: Path, instrument: Instrument) -> None:
    path = tmp_path / "ratings.csv"
    path.write_bytes(bytes(range(256)) * 4)
    problem = only(problems_of(path, instrument))
    assert "binary data, not a table" in problem.message


def test_it_rejects_a_corrupt_xlsx(tmp_path: Path, instrument: Instrument) -> None:
    path = tmp_path / "ratings.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    problem = only(problems_of(path, instrument))
    assert str(path) == problem.source
    assert "damaged" in problem.message
    assert "save it again as .xlsx" in problem.fix


def test_it_rejects_a_csv_file_named_xlsx(tmp_path: Path, instrument: Instrument) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD}\n", "ratings.xlsx")
    problem = only(problems_of(path, instrument))
    assert "not an XLSX workbook" in problem.message


def test_it_rejects_an_xlsx_workbook_named_csv(tmp_path: Path, instrument: Instrument) -> None:
    path = tmp_path / "ratings.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    problem = only(problems_of(path, instrument))
    assert "zip archive" in problem.message
    assert ".xlsx extension" in problem.fix


def test_it_reports_a_missing_file(tmp_path: Path, instrument: Instrument) -> None:
    problem = only(problems_of(tmp_path / "nowhere.csv", instrument))
    assert problem.message == "there is no such file."


def test_it_rejects_a_row_with_more_cells_than_the_header(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, f"{HEADER}\n{GOOD}\nI1,peer_worker,rel_2,4,R1,S1,PW1,1,extra\n")
    problem = only(problems_of(path, instrument))
    assert problem.row == 3
    assert "9 cells but the header has 8 columns" in problem.message


def test_it_rejects_empty_ids_and_ratings(tmp_path: Path, instrument: Instrument) -> None:
    path = write(
        tmp_path, f"{HEADER}\n,peer_worker,rel_1,4,R1,S1,PW1,1\nI1,peer_worker,rel_2,,,S1,PW1,1\n"
    )
    found = {(p.row, p.column): p.message for p in problems_of(path, instrument)}
    assert found == {
        (2, "interview"): "the interview id is empty.",
        (3, "rater"): "the rater is empty.",
        (3, "rating"): "the rating is empty.",
    }


def test_it_rejects_a_date_that_is_not_a_date(tmp_path: Path, instrument: Instrument) -> None:
    path = write(tmp_path, f"{HEADER},date\n{GOOD},31/03/2024\n")
    problem = only(problems_of(path, instrument))
    assert (problem.row, problem.column) == (2, "date")
    assert "'31/03/2024' is not a date" in problem.message
    assert "YYYY-MM-DD" in problem.fix


def test_it_rejects_a_column_named_twice(tmp_path: Path, instrument: Instrument) -> None:
    path = write(tmp_path, f"{HEADER},Rating\n{GOOD},5\n")
    problem = only(problems_of(path, instrument))
    assert (problem.row, problem.column) == (1, "rating")
    assert "appears twice in the header (columns D and I)" in problem.message


def test_it_explains_the_consensus_convention_when_given_a_consensus_column(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, f"{HEADER},consensus\n{GOOD},yes\n")
    problem = only(problems_of(path, instrument))
    assert problem.column == "consensus"
    assert "rater 'consensus'" in problem.fix


def test_it_reports_every_problem_of_a_file_in_one_error(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(
        tmp_path,
        f"""\
        {HEADER}
        {GOOD}
        I1,peer_worker,rel_9,3,R1,S1,PW1,1
        I1,peer_worker,rel_2,7,R1,S1,PW1,1

        I2,supervisor,mut_3,II,R1,S1,PW1,1
        I2,supervisor,mut_1,na,R1,S1,PW1,1
        I2,supervisor,mut_2,??,R1,S1,PW1,1
        """,
    )
    with pytest.raises(RatingsError) as caught:
        read_ratings(path, instrument)
    error = caught.value
    assert isinstance(error, DocumentError)
    assert error.total == 4
    located = [(p.line, p.where) for p in error.problems]
    assert located == [(3, "item"), (4, "rating"), (6, "item"), (8, "rating")]
    text = str(error)
    assert text.startswith("4 problems found:")
    assert f"{path}, row 6, column 'item': the item 'mut_3'" in text


def test_it_lists_the_first_problems_and_counts_the_rest(
    tmp_path: Path, instrument: Instrument
) -> None:
    lines = [f"I{k},peer_worker,rel_1,9,R1,S1,PW1,1" for k in range(MAX_PROBLEMS + 50)]
    path = write(tmp_path, HEADER + "\n" + "\n".join(lines) + "\n")
    with pytest.raises(RatingsError) as caught:
        read_ratings(path, instrument)
    error = caught.value
    assert len(error.problems) == MAX_PROBLEMS
    assert error.total == MAX_PROBLEMS + 50
    assert [p.line for p in error.problems] == list(range(2, MAX_PROBLEMS + 2))
    assert "and 50 more" in str(error)


def test_it_reports_problems_in_a_dataframe_by_spreadsheet_row(instrument: Instrument) -> None:
    frame = pd.DataFrame(
        {
            "interview": ["I1", "I1"],
            "informant": ["peer_worker", "peer_worker"],
            "item": ["rel_1", "rel_2"],
            "rating": [4, 8],
            "rater": ["R1", "R1"],
        }
    )
    problem = only(problems_of(frame, instrument))
    assert (problem.source, problem.row, problem.column) == ("DataFrame", 3, "rating")


# --- the wide layout ------------------------------------------------------------------------


WIDE = "interview,informant,rater,rel_1,rel_2,mut_3"


def test_the_wide_layout_names_the_item_column_of_a_bad_rating(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, f"{WIDE}\nI1,peer_worker,R1,4,6,3\n")
    problem = only(problems_of(path, instrument))
    assert (problem.row, problem.column) == (2, "rel_2")
    assert "off the scale" in problem.message


def test_the_wide_layout_rejects_a_rating_of_an_item_not_asked(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, f"{WIDE}\nI1,supervisor,R1,4,4,3\nI2,supervisor,R1,4,4,\n")
    problem = only(problems_of(path, instrument))
    assert (problem.row, problem.column) == (2, "mut_3")
    assert "not asked of the informant 'supervisor'" in problem.message


def test_the_wide_layout_rejects_an_unknown_column(tmp_path: Path, instrument: Instrument) -> None:
    path = write(tmp_path, f"{WIDE},rel_5\nI1,peer_worker,R1,4,4,3,2\n")
    problem = only(problems_of(path, instrument))
    assert (problem.row, problem.column) == (1, "rel_5")
    assert "neither an item of enrich-example-index@0.1 nor a column" in problem.message


def test_the_wide_layout_rejects_an_interview_rated_twice_by_one_rater(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, f"{WIDE}\nI1,peer_worker,R1,4,4,3\nI1,peer_worker,R1,4,5,3\n")
    problem = only(problems_of(path, instrument))
    assert (problem.row, problem.column) == (3, "interview")
    assert "already has a row by rater 'R1' (row 2)" in problem.message


def test_it_rejects_a_first_row_with_more_cells_than_the_header(
    tmp_path: Path, instrument: Instrument
) -> None:
    path = write(tmp_path, f"{HEADER}\nI1,peer_worker,rel_2,4,R1,S1,PW1,1,extra\n{GOOD}\n")
    problem = only(problems_of(path, instrument))
    assert problem.row == 2
    assert "9 cells but the header has 8 columns" in problem.message
