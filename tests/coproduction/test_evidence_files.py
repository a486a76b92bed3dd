"""Which reader a review's files need, and the problems of files that do not fit any."""

from __future__ import annotations

from pathlib import Path

import pytest

from peerprinciples.core.coproduction.evidence_files import (
    LAYOUT_NAMES,
    layout_of,
    read_evidence_files,
)
from peerprinciples.core.coproduction.problems import ImportProblems

CODEBOOK = "category,category_description,code,definition\nMutuality,,Reciprocity,Both learn\n"
SOURCES = "source_id,citation,year,kind,doi,code,quotation\nS1,A report,2015,grey,,Reciprocity,\n"


@pytest.mark.parametrize(
    ("names", "layout"),
    [
        (["review.qdpx"], "qdpx"),
        (["Codes.QDC"], "qdc"),
        (["codebook.csv"], "csv-codebook"),
        (["codebook.csv", "sources.CSV"], "csv"),
    ],
)
def test_the_layout_is_told_from_the_names(names: list[str], layout: str) -> None:
    assert layout_of(names) == layout
    assert layout in LAYOUT_NAMES


@pytest.mark.parametrize(
    ("names", "where", "what"),
    [
        ([], "the upload", "No file was chosen."),
        (["review.docx"], "review.docx", "This is not a file the review can be imported from."),
        (["review.qdpx", "sources.csv"], "sources.csv", "A second file goes only with"),
        (["codebook.csv", "sources.xlsx"], "sources.xlsx", "must be a .csv file"),
        (["codebook.csv", "sources.csv", "more.csv"], "more.csv", "there is no third file"),
    ],
)
def test_names_that_fit_no_layout_are_one_problem_with_its_fix(
    names: list[str], where: str, what: str
) -> None:
    with pytest.raises(ImportProblems) as refused:
        layout_of(names)
    (problem,) = refused.value.problems
    assert problem.where == where
    assert what in problem.what
    assert problem.fix


def test_the_csv_layout_is_read_with_both_files(tmp_path: Path) -> None:
    (tmp_path / "codebook.csv").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "sources.csv").write_text(SOURCES, encoding="utf-8")
    evidence = read_evidence_files([tmp_path / "codebook.csv", tmp_path / "sources.csv"])
    assert [c.label for c in evidence.codes] == ["Reciprocity"]
    assert [s.key for s in evidence.sources] == ["S1"]


def test_names_given_apart_from_the_paths_choose_the_reader_and_name_the_problems(
    tmp_path: Path,
) -> None:
    kept = tmp_path / "upload-1"
    kept.write_text("category,code\nMutuality,\n,\n", encoding="utf-8")
    evidence = read_evidence_files([kept], ["my codebook.csv"])
    assert [c.label for c in evidence.categories] == ["Mutuality"]
    kept.write_text("category,code,colour\n", encoding="utf-8")
    with pytest.raises(ImportProblems) as refused:
        read_evidence_files([kept], ["my codebook.csv"])
    assert all(p.where.startswith("my codebook.csv") for p in refused.value.problems)


def test_files_that_are_not_there_are_listed_together(tmp_path: Path) -> None:
    with pytest.raises(ImportProblems) as refused:
        read_evidence_files([tmp_path / "codebook.csv", tmp_path / "sources.csv"])
    assert [p.where for p in refused.value.problems] == ["codebook.csv", "sources.csv"]
    assert "there is no such file" in refused.value.problems[0].what
