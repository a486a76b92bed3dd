"""Every problem an RCMap import can find, each in a broken copy of a small panel's files.

Each case breaks one file of ``fixtures/rcmap_panel`` and checks that the import refuses the
whole project, naming the file, row and column, what is wrong and how to fix it.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from tests.coproduction.rcmap_data import PANEL

from peerprinciples.core.coproduction.problems import ImportProblems, Problem
from peerprinciples.core.coproduction.rcmap import (
    DEMOGRAPHICS,
    RATINGS,
    SORTED_CARDS,
    STATEMENTS,
    read_rcmap,
)

Files = dict[str, bytes]


def panel_files() -> Files:
    return {
        name: (PANEL / name).read_bytes()
        for name in (STATEMENTS, SORTED_CARDS, RATINGS, DEMOGRAPHICS)
    }


def problems_of(files: Files) -> list[Problem]:
    with pytest.raises(ImportProblems) as raised:
        read_rcmap(files[STATEMENTS], files[SORTED_CARDS], files[RATINGS], files[DEMOGRAPHICS])
    return raised.value.problems


def edit(old: str, new: str, encoding: str = "utf-8") -> Callable[[bytes], bytes]:
    """Replace the first ``old`` in a file by ``new``, written in ``encoding``."""

    def change(content: bytes) -> bytes:
        assert old.encode() in content, f"the fixture has no {old!r}"
        return content.replace(old.encode(), new.encode(encoding), 1)

    return change


def whole(content: bytes) -> Callable[[bytes], bytes]:
    return lambda _: content


def xlsx() -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    return buffer.getvalue()


S, P, R, D = STATEMENTS, SORTED_CARDS, RATINGS, DEMOGRAPHICS

CASES = [
    # -- any file: not CSV, not UTF-8, not readable as CSV --------------------------------
    ("workbook", S, whole(xlsx()), "Statements.csv", "zip archive (perhaps an Excel .xlsx", "CSV UTF-8"),  # noqa: E501
    ("pdf", R, whole(b"%PDF-1.7\n..."), "Ratings.csv", "a PDF document, not CSV", "Export the data"),  # noqa: E501
    ("old office", D, whole(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00"), "Demographics.csv", "old Microsoft Office file", "CSV UTF-8"),  # noqa: E501
    ("utf-16", S, whole("StatementID,Statement\n1,Listen\n".encode("utf-16")), "Statements.csv", "UTF-16 text, not CSV", "CSV UTF-8"),  # noqa: E501
    ("html", P, whole(b"<!DOCTYPE html><html><body>piles</body></html>"), "SortedCards.csv", "an XML or HTML document", "CSV"),  # noqa: E501
    ("binary", P, whole(b"P01,\x00\x01\x02"), "SortedCards.csv", "binary data", "CSV"),
    ("windows-1252", S, edit("co-delivered", "co-délivered", "cp1252"), "Statements.csv, row 7", "the byte 0xE9 cannot be read as UTF-8. It was probably saved as Windows-1252", "Save it again as 'CSV UTF-8'"),  # noqa: E501
    ("unclosed quote", S, edit('add to them"', "add to them"), "Statements.csv, row 9", "cannot be read as CSV from this row on", "must end with one"),  # noqa: E501
    ("empty", D, whole(b"\xef\xbb\xbf \r\n"), "Demographics.csv", "the file is empty", "Export the data"),  # noqa: E501
    ("semicolons", R, whole(b"RaterID;StatementID;Importance\nP01;1;4\n"), "Ratings.csv, row 1", "seems to use semicolons between cells", "commas between cells"),  # noqa: E501
    ("tabs", D, whole(b"RaterID\tRole\nP01\tPeer worker\n"), "Demographics.csv, row 1", "seems to use tabs between cells", "commas"),  # noqa: E501
    # -- Statements.csv --------------------------------------------------------------------
    ("no header", S, edit("StatementID,Statement\n", ""), "Statements.csv, row 1", "the first row holds data", "StatementID,Statement"),  # noqa: E501
    ("header too short", S, edit("StatementID,Statement", "StatementID"), "Statements.csv, row 1", "the header has 1 column(s)", "Make the first row"),  # noqa: E501
    ("blank statements", S, whole(b",\n,\n"), "Statements.csv", "the file has no statements.", "write a header row StatementID,Statement"),  # noqa: E501
    ("only a header", S, whole(b"StatementID,Statement\r\n"), "Statements.csv", "no statements, only a header", "one row per statement"),  # noqa: E501
    ("duplicate id", S, edit("\n5,", "\n4,"), "Statements.csv, row 6, column 'StatementID'", "the statement id 4 is used already, on row 5", "its own number"),  # noqa: E501
    ("same number written twice", S, edit("\n5,", "\n0004,"), "Statements.csv, row 6, column 'StatementID'", "id 0004 is used already, on row 5", "its own number"),  # noqa: E501
    ("lettered id", S, edit("\n5,", "\nS5,"), "Statements.csv, row 6, column 'StatementID'", "'S5' is not a whole number", "whole number"),  # noqa: E501
    ("no id", S, edit("\n5,", "\n,"), "Statements.csv, row 6, column 'StatementID'", "the statement has no id", "a number that no other"),  # noqa: E501
    ("no text", S, edit("6,Training is co-delivered by people with lived experience", "6,  "), "Statements.csv, row 7, column 'Statement'", "the statement 6 has no text", "write the statement"),  # noqa: E501
    ("unquoted comma", S, edit('"Supervision comes from someone with lived experience, at least monthly"', "Supervision comes from someone, monthly"), "Statements.csv, row 4", "this row has 3 cells but the header has 2", "double quotes"),  # noqa: E501
    # -- SortedCards.csv -------------------------------------------------------------------
    ("header in sorted cards", P, edit("P01,Relationships", "SorterID,PileName,Card1\nP01,Relationships"), "SortedCards.csv, row 1", "looks like a header, but SortedCards.csv has none", "Delete the first row"),  # noqa: E501
    ("unnamed header in sorted cards", P, edit("P01,Relationships", "Name,Pile,First card,Second card\nP01,Relationships"), "SortedCards.csv, row 1", "looks like a header", "Delete the first row"),  # noqa: E501
    ("no sorter", P, edit("P02,Sharing", ",Sharing"), "SortedCards.csv, row 4, column 1 (A)", "the pile has no sorter id", "column 1"),  # noqa: E501
    ("pile without cards", P, edit("P02,,3,6", "P02,Later,,"), "SortedCards.csv, row 6", "the pile has no cards", "or delete the row"),  # noqa: E501
    ("card not a number", P, edit("P01,Pay and conditions,2,7", "P01,Pay and conditions,2,seven"), "SortedCards.csv, row 2, column 4 (D)", "'seven' is not a statement number", "StatementID from column 3"),  # noqa: E501
    ("unknown card", P, edit("P01,Pay and conditions,2,7", "P01,Pay and conditions,2,70"), "SortedCards.csv, row 2, column 4 (D)", "there is no statement 70 in Statements.csv", "add the statement"),  # noqa: E501
    ("card twice in a pile", P, edit("P01,Relationships,1,4,8", "P01,Relationships,1,4,8,4"), "SortedCards.csv, row 1, column 6 (F)", "sorter P01 placed card 4 twice: it is in this pile too", "one pile of this sorter"),  # noqa: E501
    ("card in two piles", P, edit("P03,Organisation,2,3", "P03,Organisation,2,4,3"), "SortedCards.csv, row 8, column 4 (D)", "sorter P03 placed card 4 twice: it is in the pile on row 7 too", "one pile"),  # noqa: E501
    ("no piles", P, whole(b",,,\r\n\r\n"), "SortedCards.csv", "the file has no piles", "one row per pile"),  # noqa: E501
    # -- Ratings.csv -----------------------------------------------------------------------
    ("ratings without header", R, edit("RaterID,StatementID,Importance,Feasibility\r\n", ""), "Ratings.csv, row 1", "the first row holds data", "RaterID,StatementID"),  # noqa: E501
    ("no scale column", R, whole(b"RaterID,StatementID\nP01,1\n"), "Ratings.csv, row 1", "the header has 2 column(s)", "one column per rating scale"),  # noqa: E501
    ("unnamed scale", R, edit("Importance,Feasibility", "Importance,,Feasibility"), "Ratings.csv, row 1, column 4 (D)", "the rating column has no name", "'Importance'"),  # noqa: E501
    ("repeated scale", R, edit("Importance,Feasibility", "Importance,Importance"), "Ratings.csv, row 1, column 4 (D)", "'Importance' is repeated", "its own name"),  # noqa: E501
    ("extra cells", R, edit("P01,2,4,2", "P01,2,4,2,5"), "Ratings.csv, row 3", "this row has 5 cells but the header has 4", "full stop"),  # noqa: E501
    ("no rater", R, edit("P01,2,4,2", ",2,4,2"), "Ratings.csv, row 3, column 'RaterID'", "the row has no rater", "the code of the person"),  # noqa: E501
    ("no statement", R, edit("P01,2,4,2", "P01,,4,2"), "Ratings.csv, row 3, column 'StatementID'", "the row has no statement", "StatementID"),  # noqa: E501
    ("statement not a number", R, edit("P01,2,4,2", "P01,two,4,2"), "Ratings.csv, row 3, column 'StatementID'", "'two' is not a statement number", "StatementID"),  # noqa: E501
    ("unknown statement", R, edit("P01,2,4,2", "P01,20,4,2"), "Ratings.csv, row 3, column 'StatementID'", "there is no statement 20 in Statements.csv", "add the statement"),  # noqa: E501
    ("rated twice", R, edit("P01,3,5,3", "P01,2,5,3"), "Ratings.csv, row 4", "P01 rated statement 2 already, on row 3", "one row per rater and statement"),  # noqa: E501
    ("word for a rating", R, edit("P01,2,4,2", "P01,2,high,2"), "Ratings.csv, row 3, column 'Importance'", "'high' is not a number", "NA or nothing"),  # noqa: E501
    ("nan for a rating", R, edit("P01,2,4,2", "P01,2,4,nan"), "Ratings.csv, row 3, column 'Feasibility'", "'nan' is not a number", "NA or nothing"),  # noqa: E501
    ("decimal comma", R, edit("P01,2,4,2", 'P01,2,"3,5",2'), "Ratings.csv, row 3, column 'Importance'", "'3,5' is not a number", "full stop"),  # noqa: E501
    ("empty ratings", R, whole(b""), "Ratings.csv", "the file is empty", "Export the data"),
    ("blank ratings", R, whole(b",,,\r\n , ,,\r\n"), "Ratings.csv", "the file is empty", "or leave the file out"),  # noqa: E501
    # -- Demographics.csv ------------------------------------------------------------------
    ("blank demographics", D, whole(b",,\r\n,,\r\n"), "Demographics.csv", "the file is empty", "or leave the file out"),  # noqa: E501
    ("only an id column", D, whole(b"RaterID\nP01\n"), "Demographics.csv, row 1", "the header has 1 column(s)", "one column per question"),  # noqa: E501
    ("unnamed question", D, edit("RaterID,Role,Years", "RaterID,,Years"), "Demographics.csv, row 1, column 2 (B)", "the question column has no name", "name it in the header row"),  # noqa: E501
    ("person twice", D, edit("R04,Manager", "P01,Manager"), "Demographics.csv, row 5, column 'RaterID'", "P01 is described already, on row 2", "one row per person"),  # noqa: E501
    ("no person", D, edit("R04,Manager", ",Manager"), "Demographics.csv, row 5, column 'RaterID'", "the row has no id", "the person's code"),  # noqa: E501
    ("too many answers", D, edit("R04,Manager,2-5", "R04,Manager,2-5,yes"), "Demographics.csv, row 5", "this row has 4 cells but the header has 3", "double quotes"),  # noqa: E501
]  # fmt: skip


@pytest.mark.parametrize(
    ("file", "change", "where", "what", "fix"),
    [pytest.param(*case[1:], id=case[0]) for case in CASES],
)
def test_a_broken_file_is_refused_with_where_what_and_how_to_fix(
    file: str, change: Callable[[bytes], bytes], where: str, what: str, fix: str
) -> None:
    files = panel_files()
    files[file] = change(files[file])
    found = problems_of(files)
    matching = [p for p in found if p.where == where and what in p.what]
    assert matching, "\n".join(str(p) for p in found)
    assert fix.lower() in matching[0].fix.lower()
    assert matching[0].fix[0].isupper()


def test_the_problems_of_every_file_are_listed_together() -> None:
    files = panel_files()
    files[S] = edit("6,Training is co-delivered by people with lived experience", "6,")(files[S])
    files[P] = edit("2,7", "2,70")(files[P])
    files[R] = edit("P01,2,4,2", "P01,2,high,2")(files[R])
    files[D] = edit("R04,Manager", "P01,Manager")(files[D])
    found = problems_of(files)
    assert [p.where.split(",")[0] for p in found] == [S, P, D, R]


def test_an_unreadable_statements_file_does_not_flood_the_others_with_unknown_cards() -> None:
    files = panel_files()
    files[S] = b"%PDF-1.4"
    found = problems_of(files)
    assert [p.where for p in found] == ["Statements.csv"]


def test_more_than_two_hundred_problems_are_listed_then_counted() -> None:
    files = panel_files()
    rows = "".join(f"X{n},{s},high,low\r\n" for n in range(20) for s in range(1, 9))
    files[R] = b"RaterID,StatementID,Importance,Feasibility\r\n" + rows.encode()
    found = problems_of(files)
    assert len(found) == 201
    assert found[-1].where == "(more)"
    # 160 rows, each with two ratings that are not numbers: 320 problems.
    assert found[-1].what == "120 more problems like those above are not listed."


def test_a_path_that_cannot_be_opened_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(ImportProblems) as raised:
        read_rcmap(tmp_path / "Statements.csv", PANEL / SORTED_CARDS)
    (problem,) = raised.value.problems
    assert problem.where == "Statements.csv"
    assert problem.what.startswith("the file cannot be opened (No such file or directory)")


def test_problems_print_as_sentences() -> None:
    files = panel_files()
    files[S] = edit("6,Training is co-delivered by people with lived experience", "6,")(files[S])
    (problem,) = problems_of(files)
    assert str(problem) == (
        "Statements.csv, row 7, column 'Statement': the statement 6 has no text. Write the "
        "statement, or delete the row (and its card from every pile and rating)."
    )


def test_bytes_that_no_common_encoding_reads_are_named_without_a_guess() -> None:
    files = panel_files()
    files[S] = b"StatementID,Statement\n1,Listen\n2,caf\x81\n"
    (problem,) = problems_of(files)
    assert problem.where == "Statements.csv, row 3"
    assert problem.what == "the file is not UTF-8 text: the byte 0x81 cannot be read as UTF-8."
