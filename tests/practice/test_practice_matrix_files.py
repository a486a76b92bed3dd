"""Matrix files: YAML and long CSV, written atomically and read with every problem placed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from tests.practice.practice_data import cell, framework, matrix

from peerprinciples.core.library import Library
from peerprinciples.core.practice.matrix import Matrix, Section, Status, builtin_areas
from peerprinciples.core.practice.matrix_files import (
    CSV_COLUMNS,
    MatrixFileError,
    load_matrix_csv,
    load_matrix_yaml,
    matrix_csv,
    matrix_yaml,
    read_matrix_csv,
    read_matrix_yaml,
    write_matrix_csv,
    write_matrix_yaml,
)

HEADER = ",".join(CSV_COLUMNS)


def problems_of(raised: pytest.ExceptionInfo[MatrixFileError]) -> list[str]:
    return [str(p) for p in raised.value.problems]


def full_matrix() -> Matrix:
    return Matrix(
        programme="Riverside peer support",
        framework="enrich@2017",
        version=3,
        areas=list(builtin_areas()),
        cells=[
            cell(
                "supervision",
                "mutuality",
                Status.PARTLY,
                text="Both talk about what they learnt.",
                evidence="Supervision notes, spring.",
                holder="Peer lead",
            ),
            cell("pay-progression", "relationships", Status.NOT_RELEVANT, why="Set nationally."),
            cell("records-information", "leadership-choice-control", text="=People read notes"),
        ],
        sections=[Section(key="local", title="Our setting", body="Two wards.")],
        prompts={"supervision/mutuality": "What did you learn from each other?"},
    )


# --- YAML --------------------------------------------------------------------------------------


def test_yaml_round_trip(tmp_path: Path) -> None:
    path = write_matrix_yaml(full_matrix(), tmp_path / "matrix.yaml")
    assert read_matrix_yaml(path) == full_matrix()
    text = path.read_text(encoding="utf-8")
    assert text == matrix_yaml(full_matrix())
    assert text.startswith("programme: Riverside peer support\nframework: enrich@2017\n")
    assert "built_in" not in text


def test_yaml_is_checked_against_the_framework_when_given(tmp_path: Path) -> None:
    enrich = Library().framework("enrich@2017")
    path = write_matrix_yaml(full_matrix(), tmp_path / "matrix.yaml")
    assert read_matrix_yaml(path, enrich) == full_matrix()
    with pytest.raises(MatrixFileError) as raised:
        read_matrix_yaml(path, framework())
    found = problems_of(raised)
    assert len(found) == 4
    assert any(
        ":" in p and "cells[0].principle: 'mutuality' is not a principle" in p for p in found
    )
    assert any("prompts.supervision/mutuality: 'mutuality' is not a principle" in p for p in found)


def test_yaml_structure_problems_are_all_reported_with_lines() -> None:
    text = """\
framework: enrich@2017
areas:
  - key: notes
    title: Notes
    level: everywhere
cells:
  - area: notes
    principle: trust
    status: done
"""
    with pytest.raises(MatrixFileError) as raised:
        load_matrix_yaml(text, name="m.yaml")
    found = problems_of(raised)
    assert found[0] == (
        "m.yaml:1: programme: the required field 'programme' is missing. Fix: add this field."
    )
    assert any(p.startswith("m.yaml:5: areas[0].level: input should be") for p in found)
    assert any(p.startswith("m.yaml:9: cells[0].status: input should be") for p in found)


def test_yaml_cross_reference_problems_are_all_reported_with_lines() -> None:
    text = """\
programme: Riverside
framework: small@1
areas:
  - {key: notes, title: Notes, level: team}
  - {key: notes, title: Notes again, level: team}
cells:
  - {area: notes, principle: trust}
  - {area: notse, principle: trust}
  - {area: notes, principle: trust, text: again}
sections:
  - {key: ours, title: Ours}
  - {key: ours, title: Ours too}
prompts:
  notes-trust: Which cell?
  pay/trust: Which area?
"""
    with pytest.raises(MatrixFileError) as raised:
        load_matrix_yaml(text, name="m.yaml")
    assert problems_of(raised) == [
        "m.yaml:5: areas[1].key: the area 'notes' is listed twice (first at line 4). "
        "Fix: keep one of the two, or give one a new key.",
        "m.yaml:8: cells[1].area: the matrix has no area 'notse' (its areas are: notes, notes). "
        "Fix: use one of those keys, or add the area under 'areas'.",
        "m.yaml:9: cells[2]: there is already a cell for 'trust' in 'notes' (at line 7). "
        "Fix: join the two cells into one.",
        "m.yaml:12: sections[1].key: the section 'ours' is listed twice (first at line 11). "
        "Fix: keep one of the two, or give one a new key.",
        "m.yaml:14: prompts.notes-trust: 'notes-trust' does not say which cell the prompt is "
        "for. Fix: write the key as 'area/principle', such as 'supervision/mutuality'.",
        "m.yaml:15: prompts.pay/trust: the matrix has no area 'pay' (its areas are: notes, "
        "notes). Fix: use one of those keys before the '/'.",
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"programme: [unclosed\n", "m.yaml:2: this is not valid YAML"),
        (b"- a list\n", "the document is a list, not a mapping of fields"),
        ("programme: Caf\u00e9\n".encode("cp1252"), "m.yaml: the file is not UTF-8 text."),
    ],
)
def test_yaml_that_cannot_be_read_says_why(raw: bytes, message: str) -> None:
    with pytest.raises(MatrixFileError) as raised:
        load_matrix_yaml(raw, name="m.yaml")
    assert message in problems_of(raised)[0]


def test_a_missing_yaml_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(MatrixFileError, match="there is no such file"):
        read_matrix_yaml(tmp_path / "absent.yaml")


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "matrix.yaml"
    target.mkdir()
    with pytest.raises(IsADirectoryError):
        write_matrix_yaml(full_matrix(), target)
    with pytest.raises(IsADirectoryError):
        write_matrix_csv(full_matrix(), framework(), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["matrix.yaml"]
    assert list(target.iterdir()) == []


def test_a_write_replaces_the_old_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "matrix.yaml"
    target.write_text("old", encoding="utf-8")
    write_matrix_yaml(full_matrix(), target)
    assert load_matrix_yaml(target.read_text(encoding="utf-8"), name="x") == full_matrix()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["matrix.yaml"]


# --- CSV ---------------------------------------------------------------------------------------


def read_csv(text: str, **options: object) -> Matrix:
    settings: dict[str, object] = {"programme": "Riverside", "framework": "small@1"}
    settings.update(options)
    return load_matrix_csv(text.encode("utf-8"), name="m.csv", **settings)  # type: ignore[arg-type]


def csv_problems(text: str | bytes, **options: object) -> list[str]:
    raw = text.encode("utf-8") if isinstance(text, str) else text
    settings: dict[str, object] = {"programme": "Riverside", "framework": "small@1"}
    settings.update(options)
    with pytest.raises(MatrixFileError) as raised:
        load_matrix_csv(raw, name="m.csv", **settings)  # type: ignore[arg-type]
    return problems_of(raised)


def test_csv_round_trip_keeps_every_cell_and_area(tmp_path: Path) -> None:
    enrich = Library().framework("enrich@2017")
    original = full_matrix()
    path = write_matrix_csv(original, enrich, tmp_path / "matrix.csv")
    back = read_matrix_csv(
        path, programme=original.programme, framework=original.framework, principles=enrich
    )
    assert back.areas == original.areas
    assert sorted(back.cells, key=str) == sorted(original.cells, key=str)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 1 + 11 * 6
    assert rows[1][:5] == [
        "role-description",
        "Role description and person specification",
        "organisation",
        "relationships",
        "Relationships built on shared lived experience",
    ]


def test_csv_guards_text_a_spreadsheet_would_take_for_a_formula() -> None:
    text = matrix_csv(full_matrix(), Library().framework("enrich@2017"))
    assert "'=People read notes" in text
    back = read_csv(text, framework="enrich@2017")
    assert back.cell("records-information", "leadership-choice-control").text == (  # type: ignore[union-attr]
        "=People read notes"
    )


def test_csv_keeps_cells_the_framework_or_areas_do_not_have() -> None:
    m = matrix(cell("notes", "old", Status.IN_PLACE, text="Kept."), cell("gone", "trust", text="X"))
    rows = matrix_csv(m, framework()).splitlines()
    assert len(rows) == 1 + 3 * 3 + 2
    assert rows[-2] == "notes,Notes and records,team,old,,in_place,Kept.,,,"
    assert rows[-1] == "gone,,,trust,Trust first,,X,,,"


def test_csv_accepts_status_and_level_words_in_any_case_and_leaves_out_empty_cells() -> None:
    found = read_csv(
        "Area,Area title,Level,Principle,Status,Text\n"
        "notes,Notes,Team,trust,In place,Shared with the person.\n"
        "notes,,,sharing,partly in place,\n"
        "notes,,team,variety,NOT_YET,\n"
        ",,,,,\n"
        "pay,Pay,organisation,trust,,\n"
    )
    assert [(a.key, a.title, a.level.value, a.built_in) for a in found.areas] == [
        ("notes", "Notes", "team", False),
        ("pay", "Pay", "organisation", False),
    ]
    assert [(c.principle, c.status) for c in found.cells] == [
        ("trust", Status.IN_PLACE),
        ("sharing", Status.PARTLY),
        ("variety", Status.NOT_YET),
    ]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"%PDF-1.4 something", "m.csv: the file is a PDF document, not CSV text."),
        (b"", "m.csv: the file is empty."),
        ("area,level\nCaf\u00e9,team\n".encode("cp1252"), "m.csv, row 2: the file is not UTF-8"),
        (b'area,level\n"notes,team\n', "m.csv, row 2: the file cannot be read as CSV"),
    ],
)
def test_csv_that_cannot_be_read_says_why(raw: bytes, message: str) -> None:
    (problem,) = csv_problems(raw)
    assert problem.startswith(message)


def test_csv_header_problems_are_all_reported() -> None:
    found = csv_problems("area,area_title,Level,principle,colour,level\nnotes,Notes,team,trust,,\n")
    assert found == [
        "m.csv, row 1, column 'colour': this is not a column of a matrix file. Fix: use only "
        f"these columns: {', '.join(CSV_COLUMNS)}; check its spelling.",
        "m.csv, row 1, column 'level': the column appears twice. Fix: keep one of the two "
        "columns and delete the other.",
        "m.csv, row 1, column 'status': the file has no such column. Fix: add a column "
        "headed 'status'.",
    ]


def test_csv_written_with_semicolons_is_named() -> None:
    (problem,) = csv_problems("area;area_title;level;principle;status\n")
    assert "the file seems to use semicolons, not commas" in problem


def test_csv_with_a_header_only_says_there_are_no_rows() -> None:
    (problem,) = csv_problems(HEADER + "\n\n")
    assert problem.startswith("m.csv, row 2: the file has a header but no rows.")


def test_csv_row_problems_are_all_reported_with_row_and_column() -> None:
    found = csv_problems(
        HEADER + "\n"
        ",,,,,,,,,\n"
        "Notes,Notes,team,Trust!,,,,,,\n"
        "notes,,,trust,,,,,,\n"
        "notes,Notes,sideways,trust,,done,,,,\n"
        "notes,Notes kept,team,sharing,,,,,,\n"
        "notes,,,sharing,,in_place,,,,\n"
        "pay,Pay,organisation,nope,,,,,,\n",
        principles=framework(),
    )
    assert found == [
        "m.csv, row 3, column 'area': 'Notes' is not written the way a key needs. Fix: use "
        "lowercase letters, digits, '-' or '_', starting with a letter.",
        "m.csv, row 3, column 'principle': 'Trust!' is not written the way a key needs. Fix: "
        "use lowercase letters, digits, '-' or '_', starting with a letter.",
        "m.csv, row 5, column 'level': 'sideways' is not a level. Fix: write individual, team "
        "or organisation.",
        "m.csv, row 5, column 'principle': there is already a row for 'trust' in 'notes' "
        "(row 4). Fix: keep one of the two rows and delete the other.",
        "m.csv, row 5, column 'status': 'done' is not a status. Fix: write in_place, partly, "
        "not_yet or not_relevant (or leave it empty when the cell has not been looked at yet).",
        "m.csv, row 6, column 'area_title': the area is called 'Notes kept' here but 'Notes' on "
        "row 5. Fix: give an area the same title on every row, or leave it empty after the "
        "first.",
        "m.csv, row 7, column 'principle': there is already a row for 'sharing' in 'notes' "
        "(row 6). Fix: keep one of the two rows and delete the other.",
        "m.csv, row 8, column 'principle': 'nope' is not a principle or theme of small@1 (it "
        "has: trust, sharing, variety). Fix: use one of those keys.",
    ]


def test_csv_area_title_and_level_may_be_given_on_any_of_its_rows_but_must_agree() -> None:
    found = csv_problems(
        HEADER + "\n"
        "notes,Notes,team,trust,,,,,,\n"
        "notes,Records,individual,sharing,,,,,,\n"
        ",,,,,,,,,\n"
        "pay,,,variety,,,,,,\n"
    )
    assert found == [
        "m.csv, row 3, column 'area_title': the area is called 'Records' here but 'Notes' on "
        "row 2. Fix: give an area the same title on every row, or leave it empty after the "
        "first.",
        "m.csv, row 3, column 'level': the area is at the individual level here but at the team "
        "level on row 2. Fix: give an area the same level on every row, or leave it empty after "
        "the first.",
        "m.csv, row 5, column 'area_title': the area 'pay' has no title on any of its rows. "
        "Fix: give its title on its first row.",
        "m.csv, row 5, column 'level': the area 'pay' has no level on any of its rows. Fix: "
        "write individual, team or organisation on its first row.",
    ]
    late = read_csv(HEADER + "\nnotes,,,trust,,,,,,\nnotes,Notes,team,sharing,,,,,,\n")
    assert [(a.key, a.title, a.level.value) for a in late.areas] == [("notes", "Notes", "team")]


def test_csv_empty_keys_are_named() -> None:
    found = csv_problems(HEADER + "\n,Notes,team,,in_place,,,,,\n")
    assert found == [
        "m.csv, row 2, column 'area': the area is empty. Fix: give the key of the row's area.",
        "m.csv, row 2, column 'principle': the principle is empty. Fix: give the key of the "
        "row's principle.",
    ]


def test_a_missing_csv_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(MatrixFileError) as raised:
        read_matrix_csv(tmp_path / "absent.csv", programme="R", framework="small@1")
    assert problems_of(raised) == [
        f"{tmp_path / 'absent.csv'}: there is no such file. Fix: check the path and its spelling."
    ]


def test_csv_needs_a_framework_reference() -> None:
    with pytest.raises(ValueError, match="not a framework reference"):
        read_csv(HEADER + "\n", framework="small")
