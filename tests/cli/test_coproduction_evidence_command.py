"""``coproduction evidence``: a review's files in, Figure 1 and its numbers out.

A small review in the CSV layout is written by the tests; the figure's numbers are checked
against pandas working from the same files. The codebook written back is read with lxml and
checked against the REFI-QDA schema by the core's reader. The public MAXQDA project is used
when the shared data are there.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree
from tests.shared_data import shared_folder

from peerprinciples.cli.main import main
from peerprinciples.core.coproduction.refiqda import read_qdc

CODEBOOK = """category,category_description,code,definition
Lived experience,Drawing on one's own experience,Shared experience,Having been through it too
Lived experience,,Hope,Showing that recovery happens
Mutuality,Give and take,Reciprocity,Both people learn
Mutuality,,Power sharing,Decisions made together
,,Stigma,Being judged for distress
"""
SOURCES = (
    "source_id,citation,year,kind,doi,code,quotation\n"
    'S1,"Repper J, Carter T (2011) A review of the literature on peer support",2011,'
    "peer-reviewed,10.3109/09638237.2011.583947,Shared experience,They had been there too\n"
    "S1,,,,,Hope,They had been there too\n"
    "S2,Peer-led group report,2015,grey,,Shared experience,We know what it is like\n"
    "S2,,,,,Reciprocity,\n"
    "S3,Service evaluation,2019,grey,,Power sharing,We decide together\n"
    "S3,,,,,Reciprocity,We decide together\n"
    'S4,"Gillard S et al (2017) Describing a principles-based approach",2017,'
    "peer-reviewed,10.1108/MHSI-03-2017-0016,Power sharing,\n"
    "S5,A source read but not coded,2020,peer-reviewed,,,\n"
    "S6,Stigma study,2009,peer-reviewed,,Stigma,Judged at every turn\n"
)
NAMESPACE = {"q": "urn:QDA-XML:codebook:1.0"}


def write_review(folder: Path, codebook: str = CODEBOOK, sources: str = SOURCES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "codebook.csv").write_text(codebook, encoding="utf-8")
    (folder / "sources.csv").write_text(sources, encoding="utf-8")
    return folder


def run(*arguments: str) -> int:
    return main(["coproduction", "evidence", *arguments])


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    review = write_review(tmp_path_factory.mktemp("review"))
    out = tmp_path_factory.mktemp("figure") / "out"
    arguments = [str(review / "codebook.csv"), str(review / "sources.csv"), "--out", str(out)]
    assert run(*arguments, "--codebook", str(out / "codebook.qdc")) == 0
    return review, out


def reference(review: Path) -> pd.DataFrame:
    """One row per source and code, with the source's kind and the code's category, as
    pandas reads the two files (a source's details are on its first row)."""
    rows = pd.read_csv(review / "sources.csv", dtype=str, keep_default_na=False)
    details = rows[rows["kind"] != ""].set_index("source_id")["kind"]
    rows["kind"] = rows["source_id"].map(details)
    book = pd.read_csv(review / "codebook.csv", dtype=str, keep_default_na=False)
    return rows[rows["code"] != ""].merge(book[["code", "category"]], on="code", how="left")


def counts(coded: pd.DataFrame, by: str) -> pd.DataFrame:
    """Distinct sources and grey sources per category or code (pandas nunique)."""
    grouped = coded.groupby(by)
    table = grouped["source_id"].nunique().to_frame("sources")
    grey = coded[coded["kind"] == "grey"].groupby(by)["source_id"].nunique()
    table["grey"] = grey.reindex(table.index, fill_value=0)
    return table


def test_it_writes_figure_1_its_numbers_and_the_codebook(written: tuple[Path, Path]) -> None:
    _, out = written
    assert sorted(p.name for p in out.iterdir()) == [
        "codebook.qdc",
        "codes.csv",
        "figure-1.csv",
        "figure-1.svg",
    ]
    svg = (out / "figure-1.svg").read_text(encoding="utf-8")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')
    assert "Lived experience" in svg


def test_the_figure_counts_sources_per_category_as_pandas_does(
    written: tuple[Path, Path],
) -> None:
    review, out = written
    figure = pd.read_csv(out / "figure-1.csv", keep_default_na=False)
    expected = counts(reference(review).query("category != ''"), "category")
    assert list(figure["label"]) == ["Mutuality", "Lived experience"]  # most sources first
    for row in figure.itertuples():
        assert row.sources == expected.loc[row.label, "sources"]
        assert row.grey == expected.loc[row.label, "grey"]
        assert row.peer_reviewed == row.sources - row.grey
        assert float(row.grey_share) == pytest.approx(row.grey / row.sources, abs=5e-5)


def test_the_code_table_counts_sources_per_code_as_pandas_does(
    written: tuple[Path, Path],
) -> None:
    review, out = written
    codes = pd.read_csv(out / "codes.csv", keep_default_na=False)
    expected = counts(reference(review), "code")
    assert set(codes["label"]) == {
        "Shared experience",
        "Hope",
        "Reciprocity",
        "Power sharing",
        "Stigma",
    }
    for row in codes.itertuples():
        assert row.sources == expected.loc[row.label, "sources"]
        assert row.grey == expected.loc[row.label, "grey"]
    assert codes.loc[codes["label"] == "Stigma", "category"].item() == ""


def test_the_codebook_goes_back_to_a_qda_package_nested(written: tuple[Path, Path]) -> None:
    _, out = written
    data = (out / "codebook.qdc").read_bytes()
    tree = etree.fromstring(data)
    top = tree.findall("q:Codes/q:Code", NAMESPACE)
    nested = {
        code.get("name"): [child.get("name") for child in code.findall("q:Code", NAMESPACE)]
        for code in top
    }
    assert nested == {
        "Lived experience": ["Shared experience", "Hope"],
        "Mutuality": ["Reciprocity", "Power sharing"],
        "Stigma": [],
    }
    again = read_qdc(data, name="codebook.qdc")  # checked against the REFI-QDA schema
    assert {c.label for c in again.categories} == {"Lived experience", "Mutuality"}


def test_the_summary_says_what_the_review_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = write_review(tmp_path / "review")
    arguments = [str(review / "codebook.csv"), str(review / "sources.csv")]
    assert run(*arguments, "--out", str(tmp_path / "out")) == 0
    printed = capsys.readouterr().out
    coded = reference(review)
    # pandas: a passage is a source's quotation text; a code given with no text is one too
    quotations = len(coded[coded["quotation"] != ""].drop_duplicates(["source_id", "quotation"]))
    quotations += int((coded["quotation"] == "").sum())
    assert quotations == 6
    assert (
        "Review: 6 sources (2 grey literature), published 2009 to 2020; 2 categories, "
        f"5 codes, {quotations} quotations."
    ) in printed
    assert "  Mutuality: 3 (1 + 2)" in printed
    assert "  Lived experience: 2 (1 + 1)" in printed


def test_a_codebook_alone_gives_bars_without_sources(tmp_path: Path) -> None:
    review = write_review(tmp_path / "review")
    out = tmp_path / "out"
    assert run(str(review / "codebook.csv"), "--out", str(out)) == 0
    figure = pd.read_csv(out / "figure-1.csv")
    assert sorted(figure["label"]) == ["Lived experience", "Mutuality"]
    assert set(figure["sources"]) == {0}


def test_a_qdc_codebook_is_read(written: tuple[Path, Path], tmp_path: Path) -> None:
    _, out = written
    again = tmp_path / "again"
    assert run(str(out / "codebook.qdc"), "--out", str(again)) == 0
    codes = pd.read_csv(again / "codes.csv", keep_default_na=False)
    assert len(codes) == 5


def test_codes_without_categories_make_a_bar_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = write_review(
        tmp_path / "review",
        codebook="category,category_description,code,definition\n,,Hope,\n,,Stigma,\n",
        sources="source_id,citation,year,kind,doi,code,quotation\n"
        "S1,One,2010,grey,,Hope,\nS2,Two,2012,peer-reviewed,,Hope,\nS2,,,,,Stigma,\n",
    )
    out = tmp_path / "out"
    assert run(str(review / "codebook.csv"), str(review / "sources.csv"), "--out", str(out)) == 0
    figure = pd.read_csv(out / "figure-1.csv")
    assert list(figure["label"]) == ["Hope", "Stigma"]
    assert list(figure["sources"]) == [2, 1]
    assert "Figure 1 has a bar per code" in capsys.readouterr().out


# --- what goes wrong ---------------------------------------------------------------------------


def test_problems_are_listed_with_file_row_and_column_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = SOURCES.replace("2015,grey", "2015,journal").replace(
        "S6,Stigma study,2009,peer-reviewed,,Stigma", "S6,Stigma study,2009,peer-reviewed,,Shame"
    )
    review = write_review(tmp_path / "review", sources=broken)
    out = tmp_path / "out"
    codebook = tmp_path / "elsewhere" / "codebook.qdc"
    arguments = [str(review / "codebook.csv"), str(review / "sources.csv"), "--out", str(out)]
    assert run(*arguments, "--codebook", str(codebook)) == 1
    err = capsys.readouterr().err
    assert "error: the review's files have 2 problem(s); nothing was written:" in err
    assert "  - sources.csv, row 4, column D (kind)" in err
    assert "  - sources.csv, row 10, column F (code)" in err
    assert "Shame" in err
    assert not out.exists()
    assert not codebook.exists()


def test_a_file_of_another_kind_is_refused_with_what_to_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = tmp_path / "review.docx"
    notes.write_bytes(b"PK\x03\x04")
    assert run(str(notes), "--out", str(tmp_path / "out")) == 1
    err = capsys.readouterr().err
    assert "  - review.docx: This is not a file the review can be imported from." in err
    assert "REFI-QDA project (.qdpx)" in err
    assert not (tmp_path / "out").exists()


def test_a_second_file_after_a_refi_qda_file_is_refused(
    written: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = written
    extra = tmp_path / "sources.csv"
    extra.write_text(SOURCES, encoding="utf-8")
    assert run(str(out / "codebook.qdc"), str(extra), "--out", str(tmp_path / "out")) == 1
    assert "a REFI-QDA file holds everything on its own" in capsys.readouterr().err


def test_a_damaged_qdpx_names_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "review.qdpx"
    project.write_bytes(b"not a zip archive")
    assert run(str(project), "--out", str(tmp_path / "out")) == 1
    err = capsys.readouterr().err
    assert "  - review.qdpx" in err
    assert not (tmp_path / "out").exists()


def test_a_missing_file_is_a_problem_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(str(tmp_path / "codebook.csv"), "--out", str(tmp_path / "out")) == 1
    err = capsys.readouterr().err
    assert "error: the review's files have 1 problem(s); nothing was written:" in err
    assert "  - codebook.csv: The file cannot be opened: there is no such file." in err
    assert not (tmp_path / "out").exists()


def test_help_names_every_file_written(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["coproduction", "evidence", "--help"])
    assert stop.value.code == 0
    text = " ".join(capsys.readouterr().out.split()).replace("- ", "-")
    for name in ("figure-1.svg", "figure-1.csv", "codes.csv", ".qdpx", ".qdc", "--codebook"):
        assert name in text


# --- a project exported by MAXQDA ----------------------------------------------------------


def test_a_maxqda_project_gives_a_bar_per_top_level_code(tmp_path: Path) -> None:
    project = shared_folder("refi-qda") / "maxqda24_learning-sciences-themes-10-papers.qdpx"
    if not project.is_file():
        pytest.skip("The shared REFI-QDA files are not here; set PEERPRINCIPLES_SHARED_DATA.")
    out = tmp_path / "out"
    assert run(str(project), "--out", str(out), "--codebook", str(out / "back.qdc")) == 0
    with zipfile.ZipFile(project) as archive:
        member = next(n for n in archive.namelist() if n.endswith(".qde"))
        tree = etree.fromstring(archive.read(member))
    names = {"q": "urn:QDA-XML:project:1.0"}
    top = tree.findall("q:CodeBook/q:Codes/q:Code", names)
    categories = [code.get("name") for code in top if code.find("q:Code", names) is not None]
    every = tree.findall(".//q:CodeBook//q:Code", names)
    figure = pd.read_csv(out / "figure-1.csv")
    assert sorted(figure["label"]) == sorted(categories)
    assert len(pd.read_csv(out / "codes.csv")) == len(every) - len(categories)
    back = etree.fromstring((out / "back.qdc").read_bytes())
    assert len(back.findall(".//q:Code", NAMESPACE)) == len(every)
