"""Reading a ratings file of any supported format: the chunked CSV reader and its fallbacks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from peerprinciples.core.instruments import Instrument
from peerprinciples.core.ratings import RatingsError, read_ratings, read_table
from peerprinciples.core.ratings_files import (
    FORMATS,
    SUFFIXES,
    read_csv_in_chunks,
    read_ratings_file,
)


def test_chunks_typed_differently_by_pandas_give_the_core_readers_table(fixtures: Path) -> None:
    # with 7 rows a chunk, some chunks of the rating column hold only whole numbers (integer
    # categories) and others a special code (text categories)
    path = fixtures / "hand_scored_long.csv"
    chunked = read_csv_in_chunks(path, chunk_rows=7)
    assert chunked is not None
    whole = read_table(path)
    assert list(chunked.columns) == list(whole.columns)
    pd.testing.assert_frame_equal(
        chunked.astype(str).reset_index(drop=True), whole.astype(str).reset_index(drop=True)
    )


@pytest.mark.parametrize("fmt", ["auto", "long"])
def test_a_long_csv_reads_as_the_core_reads_it(
    instrument: Instrument, fixtures: Path, fmt: str
) -> None:
    path = fixtures / "hand_scored_long.csv"
    table = read_ratings_file(path, instrument, fmt, name="upload.csv")
    expected = read_ratings(path, instrument)
    assert table.layout == "long"
    assert table.source == "upload.csv"
    pd.testing.assert_frame_equal(
        table.data.astype(str), expected.data.astype(str), check_categorical=False
    )


def test_the_wide_format_reads_the_wide_layout(instrument: Instrument, fixtures: Path) -> None:
    table = read_ratings_file(fixtures / "hand_scored_wide.csv", instrument, "wide", name="w.csv")
    assert table.layout == "wide"
    assert table.n_interviews == 4


def test_a_file_the_chunked_reader_refuses_gets_the_core_readers_problem(
    instrument: Instrument, fixtures: Path, tmp_path: Path
) -> None:
    text = (fixtures / "hand_scored_long.csv").read_text(encoding="utf-8").replace(",", ";")
    path = tmp_path / "semicolons.csv"
    path.write_text(text, encoding="utf-8")
    assert read_csv_in_chunks(path) is None
    with pytest.raises(RatingsError, match="seems to use ';'"):
        read_ratings_file(path, instrument, "auto", name="semicolons.csv")


def test_an_unknown_format_is_named_with_the_known_ones(
    instrument: Instrument, fixtures: Path, tmp_path: Path
) -> None:
    path = shutil.copy(fixtures / "hand_scored_long.csv", tmp_path / "r.csv")
    with pytest.raises(ValueError, match="unknown import format 'spss'; use one of auto, long"):
        read_ratings_file(Path(path), instrument, "spss", name="r.csv")


def test_every_format_names_its_file_endings() -> None:
    assert set(SUFFIXES) == set(FORMATS)
    assert all(suffixes for suffixes in SUFFIXES.values())
