"""Exports of ratings and scores: CSV, XLSX, SPSS and Stata files that read back whole."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest

from peerprinciples.cli.interchange import register
from peerprinciples.core.documents import DocumentError
from peerprinciples.core.instruments import Instrument, SpecialCode
from peerprinciples.core.interchange import atomic_write
from peerprinciples.core.interchange.exports import (
    EXPORT_FILES,
    FORMATS,
    SHEETS,
    Format,
    export_evaluation,
    notes_from_table,
    ratings_long,
    ratings_wide,
    scores_wide,
    write_csv,
    write_dta,
    write_sav,
    write_xlsx,
)
from peerprinciples.core.library import Library
from peerprinciples.core.ratings import RatingsTable, read_ratings, read_table
from peerprinciples.core.scoring import score

FIXTURES = Path(__file__).parent / "fixtures"
RATINGS = FIXTURES / "small_ratings.csv"
NOTES = {("I1", "R1"): "=first note", ("I1", "R2"): "second rater, with a comma"}


@pytest.fixture(scope="module")
def table(small: Instrument) -> RatingsTable:
    return read_ratings(RATINGS, small)


def _ratings(table: RatingsTable) -> list[tuple[str, str, str, str]]:
    data = table.data
    rating = data["rating"].map(lambda v: "" if np.isnan(v) else str(int(v)))
    code = data["code"].astype(object).fillna("")
    return sorted(
        zip(
            data["interview"].astype(str),
            data["item"].astype(str),
            data["rater"].astype(str),
            rating + code,
            strict=True,
        )
    )


def test_the_long_csv_reads_back_as_the_same_ratings(table: RatingsTable, tmp_path: Path) -> None:
    path = write_csv(ratings_long(table), tmp_path / "long.csv")

    again = read_ratings(path, table.instrument)

    assert _ratings(again) == _ratings(table)
    assert again.columns == table.columns


def test_the_wide_csv_reads_back_as_the_same_ratings(table: RatingsTable, tmp_path: Path) -> None:
    wide = ratings_wide(table)
    path = write_csv(wide, tmp_path / "wide.csv")

    again = read_ratings(path, table.instrument)

    assert _ratings(again) == _ratings(table)
    assert list(wide.columns[-4:]) == ["trust-1", "to", "power-1", "power_1"]
    assert len(wide) == 5  # I1 by R1, R2 and consensus; I2; I3


def test_the_long_table_gives_each_code_its_numeric_value(table: RatingsTable) -> None:
    long = ratings_long(table).set_index(["interview", "rater", "item"])

    assert long.loc[("I1", "R1", "power-1"), ["rating", "value", "code"]].tolist() == [
        "NA",
        -8,
        "NA",
    ]
    assert long.loc[("I2", "R1", "trust-1"), "value"] == -99  # the code's own value
    assert long.loc[("I3", "R3", "trust-1"), "value"] == -9  # the next free default
    assert long.loc[("I1", "R1", "trust-1"), ["rating", "value", "code"]].tolist() == [4, 4, ""]
    assert long.loc[("I1", "R1", "to"), "domain"] == "trust-and-safety"


def test_scores_have_a_row_per_interview_and_set_of_ratings(table: RatingsTable) -> None:
    scores = scores_wide(table).set_index(["interview", "rater"])

    consensus = scores.loc[("I1", "consensus")]
    assert consensus["final"] == 1
    assert scores.loc[("I1", "R1"), "final"] == 0
    # R1 on I1: trust-1 = 4, 'to' = 2 reversed to 4; power-1 is NA and optional
    assert scores.loc[("I1", "R1"), "dom_trust_and_safety"] == pytest.approx(4.0)
    assert np.isnan(scores.loc[("I1", "R1"), "dom_shared_power"])
    assert scores.loc[("I1", "R1"), "total_band"] == "high"


def test_the_sav_file_keeps_labels_value_labels_and_codes_as_user_missing(
    table: RatingsTable, tmp_path: Path
) -> None:
    path = write_sav(table, tmp_path / "data.sav")

    data, meta = pyreadstat.read_sav(path, user_missing=True)

    assert [c for c in data.columns if c in ("trust_1", "to_", "power_1", "power_1_2")] == [
        "trust_1",
        "to_",
        "power_1",
        "power_1_2",
    ]
    assert meta.column_names_to_labels["trust_1"] == "How safe does the person feel with you?"
    assert meta.variable_value_labels["trust_1"] == {
        1.0: "Not present",
        2.0: "Now and then",
        3.0: "Some of the time",
        4.0: "Most of the time",
        5.0: "Fully",
        -8.0: "Not applicable (NA)",
        -99.0: "Insufficient information (II)",
        -9.0: "Don't know | unsure (DK)",
    }
    assert meta.variable_value_labels["power_1"][0.0] == "Not at all"
    assert sorted(r["lo"] for r in meta.missing_ranges["trust_1"]) == [-99.0, -9.0, -8.0]
    rows = data.set_index(["interview", "rater"])
    assert rows.loc[("I2", "R1"), "trust_1"] == -99.0
    assert rows.loc[("I3", "R3"), "trust_1"] == -9.0
    assert rows.loc[("I1", "R1"), "power_1"] == -8.0
    assert meta.variable_measure["trust_1"] == "ordinal"
    assert meta.variable_value_labels["total_band"] == {1.0: "Low", 2.0: "High"}


def test_spss_leaves_codes_out_of_statistics(table: RatingsTable, tmp_path: Path) -> None:
    path = write_sav(table, tmp_path / "data.sav")

    data, _ = pyreadstat.read_sav(path)  # user-missing values read as missing

    rows = data.set_index(["interview", "rater"])
    assert np.isnan(rows.loc[("I2", "R1"), "trust_1"])
    assert rows.loc[("I1", "R2"), "trust_1"] == 5.0


def test_the_dta_file_gives_codes_extended_missing_values(
    table: RatingsTable, tmp_path: Path
) -> None:
    path = write_dta(table, tmp_path / "data.dta")

    data, meta = pyreadstat.read_dta(path, user_missing=True)

    rows = data.set_index(["interview", "rater"])
    assert rows.loc[("I1", "R1"), "power_1"] == "a"  # NA, the first code
    assert rows.loc[("I2", "R1"), "trust_1"] == "b"  # II
    assert rows.loc[("I3", "R3"), "trust_1"] == "c"  # DK
    assert rows.loc[("I1", "R2"), "trust_1"] == 5
    assert meta.variable_value_labels["trust_1"]["a"] == "Not applicable (NA)"
    assert meta.variable_value_labels["trust_1"][5] == "Fully"
    assert set(meta.missing_user_values["trust_1"]) == {"b", "c"}
    label = meta.column_names_to_labels["trust_1"]
    assert label == "How safe does the person feel with you?"
    plain, _ = pyreadstat.read_dta(path)
    assert np.isnan(plain.set_index(["interview", "rater"]).loc[("I2", "R1"), "trust_1"])


def test_a_second_reader_finds_the_same_stata_labels(table: RatingsTable, tmp_path: Path) -> None:
    path = write_dta(table, tmp_path / "data.dta")

    reader = pd.io.stata.StataReader(path)
    labels = reader.variable_labels()
    data = pd.read_stata(path)  # pandas' own reader, not ReadStat

    assert path.read_bytes()[:40].startswith(b"<stata_dta><header><release>118<")
    assert labels["power_1_2"] == "How much say does the person have?"
    rows = data.set_index(["interview", "rater"])
    assert rows.loc[("I1", "R2"), "trust_1"] == "Fully"
    assert rows.loc[("I1", "consensus"), "final"] == "yes"
    assert pd.isna(rows.loc[("I2", "R1"), "trust_1"])  # II, an extended missing value


def test_labels_longer_than_stata_allows_are_shortened_visibly(
    table: RatingsTable, tmp_path: Path
) -> None:
    long_question = "How " + "very " * 30 + "safe?"
    item = table.instrument.items[0]
    question = item.informants["peer_worker"].model_copy(update={"question": long_question})
    longer = table.instrument.model_copy(
        update={
            "items": [
                item.model_copy(
                    update={"informants": {**item.informants, "peer_worker": question}}
                ),
                *table.instrument.items[1:],
            ]
        }
    )
    relabelled = read_ratings(RATINGS, longer)

    _, stata = pyreadstat.read_dta(write_dta(relabelled, tmp_path / "d.dta"))
    _, spss = pyreadstat.read_sav(write_sav(relabelled, tmp_path / "d.sav"))

    assert len(stata.column_names_to_labels["trust_1"]) <= 80
    assert stata.column_names_to_labels["trust_1"].endswith("…")
    assert spss.column_names_to_labels["trust_1"] == long_question


def test_the_scores_in_the_statistics_files_are_those_of_the_scoring(
    table: RatingsTable, tmp_path: Path
) -> None:
    scores = score(table)
    expected = scores_wide(table, scores).set_index(["interview", "rater"])

    data, _ = pyreadstat.read_sav(write_sav(table, tmp_path / "s.sav", scores))

    got = data.set_index(["interview", "rater"])
    for column in ("dom_trust_and_safety", "dom_shared_power", "total"):
        assert np.allclose(got[column], expected[column], equal_nan=True), column
    assert got.loc[("I1", "consensus"), "final"] == 1


def test_notes_are_written_only_when_asked(table: RatingsTable, tmp_path: Path) -> None:
    formats: list[Format] = ["csv", "xlsx", "sav", "dta"]
    without = export_evaluation(
        table, tmp_path / "without", formats=formats, notes=NOTES, include_notes=False
    )
    with_notes = export_evaluation(
        table, tmp_path / "with", formats=formats, notes=NOTES, include_notes=True
    )

    for path in without:
        assert "first note" not in _content(path), path.name
    texts = {path.name: _content(path) for path in with_notes}
    for name in ("ratings-long.csv", "ratings-wide.csv", "evaluation.xlsx", "evaluation.sav"):
        assert "first note" in texts[name], name
    assert "second rater, with a comma" in texts["evaluation.dta"]


def _content(path: Path) -> str:
    if path.suffix == ".sav":
        return pyreadstat.read_sav(path)[0].to_csv()
    if path.suffix == ".dta":
        return pyreadstat.read_dta(path)[0].to_csv()
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(
            str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row
        )
    return path.read_text(encoding="utf-8")


def test_the_workbook_has_four_sheets_and_keeps_formula_like_text_as_text(
    table: RatingsTable, tmp_path: Path
) -> None:
    path = write_xlsx(table, tmp_path / "e.xlsx", notes=NOTES, include_notes=True)

    book = openpyxl.load_workbook(path)

    assert book.sheetnames == list(SHEETS)
    long = book["ratings long"]
    header = [c.value for c in long[1]]
    notes = [row[header.index("notes")] for row in long.iter_rows(min_row=2)]
    assert notes[0].value == "=first note"
    assert notes[0].data_type == "s"
    codebook = book["codebook"]
    prompts = [c.value for c in codebook[1]].index("prompts_peer_worker")
    assert any(
        "=1+1" in str(row[prompts].value) and row[prompts].data_type == "s"
        for row in codebook.iter_rows(min_row=2)
    )
    assert read_ratings(path, table.instrument).n_ratings == table.n_ratings


def test_the_export_writes_every_file_it_names(table: RatingsTable, tmp_path: Path) -> None:
    written = export_evaluation(table, tmp_path / "out")

    expected = [tmp_path / "out" / name for fmt in FORMATS for name in EXPORT_FILES[fmt]]
    assert written == expected
    assert all(path.stat().st_size > 0 for path in written)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in expected)


def test_an_unknown_format_is_refused_with_the_formats_there_are(
    table: RatingsTable, tmp_path: Path
) -> None:
    with pytest.raises(DocumentError, match="unknown export format 'pdf'") as caught:
        export_evaluation(table, tmp_path, formats=["pdf"])  # type: ignore[list-item]

    assert "csv, xlsx, sav, dta, codebook" in caught.value.problems[0].fix


def _with_codes(instrument: Instrument, count: int, start: int = -8) -> Instrument:
    codes = [SpecialCode(code=f"C{i}", label=f"Code {i}", value=start - i) for i in range(count)]
    return instrument.model_copy(update={"codes": codes})


def _recoded() -> pd.DataFrame:
    """The small ratings with the codes NA, II, DK and -99 written as C0, C1, C2, C3."""
    frame = read_table(RATINGS)
    codes = {"NA": "C0", "II": "C1", "DK": "C2", "-99": "C3"}
    frame["rating"] = frame["rating"].astype(str).replace(codes)
    return frame


def test_stata_refuses_more_than_26_codes_and_leaves_the_old_file(
    table: RatingsTable, tmp_path: Path
) -> None:
    many = _with_codes(table.instrument, 27)
    target = tmp_path / "data.dta"
    target.write_text("the old file", encoding="utf-8")

    with pytest.raises(DocumentError, match="26 extended missing values"):
        write_dta(read_ratings(_recoded(), many), target)

    assert target.read_text(encoding="utf-8") == "the old file"
    assert [p.name for p in tmp_path.iterdir()] == ["data.dta"]


def test_spss_declares_four_codes_as_one_missing_range(table: RatingsTable, tmp_path: Path) -> None:
    four = _with_codes(table.instrument, 4)  # values -8, -9, -10, -11

    path = write_sav(read_ratings(_recoded(), four), tmp_path / "4.sav")

    _, meta = pyreadstat.read_sav(path, user_missing=True)

    assert meta.missing_ranges["trust_1"] == [{"lo": -11.0, "hi": -8.0}]


def test_spss_refuses_codes_on_both_sides_of_a_scale_naming_the_variable(
    table: RatingsTable, tmp_path: Path
) -> None:
    split = table.instrument.model_copy(
        update={
            "codes": [
                SpecialCode(code="A", label="a", value=-8),
                SpecialCode(code="B", label="b", value=-9),
                SpecialCode(code="C", label="c", value=98),
                SpecialCode(code="D", label="d", value=99),
            ]
        }
    )
    frame = read_table(RATINGS)
    frame = frame[~frame["rating"].astype(str).isin(["NA", "II", "DK", "-99"])]

    with pytest.raises(DocumentError, match="'trust_1'") as caught:
        write_sav(read_ratings(frame, split), tmp_path / "split.sav")

    assert "next to each other" in caught.value.problems[0].fix
    assert not list(tmp_path.iterdir())


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    def half(path: Path) -> None:
        path.write_text("half a file", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        atomic_write(tmp_path / "out.csv", half)

    assert not list(tmp_path.iterdir())


def test_notes_are_collected_per_interview_and_rater() -> None:
    frame = read_table(RATINGS)

    notes = notes_from_table(frame)

    assert notes == NOTES


def test_the_export_command_writes_the_files_and_notes_only_with_the_flag(
    tmp_path: Path,
) -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    instrument = str(FIXTURES / "interchange_small_index.yaml")
    base = ["export-data", str(RATINGS), "--instrument", instrument, "--format", "csv"]

    plain = parser.parse_args([*base, "--out", str(tmp_path / "a")])
    noted = parser.parse_args([*base, "--out", str(tmp_path / "b"), "--include-notes"])

    assert plain.handler(plain, Library()) == 0
    assert noted.handler(noted, Library()) == 0
    assert "notes" not in pd.read_csv(tmp_path / "a" / "ratings-long.csv").columns
    assert "=first note" in pd.read_csv(tmp_path / "b" / "ratings-long.csv")["notes"].tolist()
    assert not (tmp_path / "a" / "evaluation.sav").exists()
