"""The evidence CSV layout: a codebook file and a coded-sources file, read, written, and
every problem named by file, row and column with its fix."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.coproduction.refiqda_files import qdpx

from peerprinciples.core.coproduction.evidence import (
    Category,
    Code,
    Evidence,
    Quotation,
    Source,
    SourceKind,
)
from peerprinciples.core.coproduction.evidence_csv import (
    read_codebook_csv,
    read_evidence_csv,
    write_codebook_csv,
    write_sources_csv,
)
from peerprinciples.core.coproduction.problems import ImportProblems, Problem
from peerprinciples.core.coproduction.refiqda import read_qdpx

FIXTURES = Path(__file__).parent / "fixtures" / "evidence"
CODEBOOK = FIXTURES / "codebook.csv"
SOURCES = FIXTURES / "sources.csv"

HEADER = "source_id,citation,year,kind,doi,code,quotation\n"
S01 = "S01,Repper and Carter 2011,2011,peer-reviewed,,Trust,\n"


@pytest.fixture(scope="module")
def review() -> Evidence:
    return read_evidence_csv(CODEBOOK, SOURCES)


def sources_problems(text: str, codebook: Path | str = CODEBOOK) -> list[Problem]:
    with pytest.raises(ImportProblems) as caught:
        read_evidence_csv(codebook, text)
    return caught.value.problems


def codebook_problems(text: str | bytes) -> list[Problem]:
    with pytest.raises(ImportProblems) as caught:
        read_codebook_csv(text)
    return caught.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


# --- reading ------------------------------------------------------------------------------------


def test_categories_are_read_in_order_with_their_descriptions(review: Evidence) -> None:
    assert [(c.key, c.label) for c in review.categories] == [
        ("Relationships", "Relationships"),
        ("Mutuality", "Mutuality"),
        ("Experiential knowledge", "Experiential knowledge"),
        ("Leadership", "Leadership"),
        ("Wider communities", "Wider communities"),
    ]
    mutuality = review.categories[1]
    assert mutuality.description == "Equal value, and willingness both to give and to receive"


def test_codes_are_read_with_definitions_and_categories(review: Evidence) -> None:
    assert review.codes[0] == Code(
        "Trust", "Trust", "Trust between peers built over time", "Relationships"
    )
    assert review.codes[-1] == Code("Hope", "Hope", "Hope offered by someone who has been there")
    assert len(review.codes) == 7


def test_a_category_row_without_a_code_is_an_empty_category(review: Evidence) -> None:
    assert not [code for code in review.codes if code.category == "Wider communities"]


def test_sources_take_their_details_from_any_row(review: Evidence) -> None:
    first = review.sources[0]
    assert first == Source(
        "S01",
        "Repper J, Carter T (2011) A review of the literature on peer support in mental health "
        "services",
        SourceKind.PEER_REVIEWED,
        2011,
        "10.3109/09638237.2011.583947",
    )
    assert review.sources[2].kind is SourceKind.GREY  # written 'Grey'
    assert review.sources[3].doi == "10.1108/MHSI-03-2017-0016"  # written as a link


def test_a_source_without_codes_is_still_a_source(review: Evidence) -> None:
    audit = review.sources[-1]
    assert (audit.key, audit.kind, audit.year) == ("S05", SourceKind.GREY, None)
    assert not [q for q in review.quotations if q.source == "S05"]


def test_rows_with_the_same_quotation_are_one_quotation_with_every_code(
    review: Evidence,
) -> None:
    s01 = [q for q in review.quotations if q.source == "S01"]
    assert s01 == [
        Quotation("S01#1", "S01", ("Trust",), "Trust grows slowly between peers."),
        Quotation("S01#2", "S01", ("Reciprocity", "Empathy"), "Peers give and take support."),
    ]


def test_a_code_without_a_quotation_is_a_quotation_without_text(review: Evidence) -> None:
    s02 = [q for q in review.quotations if q.source == "S02"]
    assert s02[1] == Quotation("S02#2", "S02", ("Trust",), "")


def test_a_codebook_reads_on_its_own() -> None:
    evidence = read_codebook_csv(CODEBOOK)
    assert evidence.codes == read_evidence_csv(CODEBOOK, SOURCES).codes
    assert evidence.sources == ()


def test_semicolons_tabs_a_byte_order_mark_and_bytes_are_read() -> None:
    text = CODEBOOK.read_text(encoding="utf-8")
    semicolons = "\ufeff" + "\n".join(
        line.replace(",", ";") for line in text.splitlines() if '"' not in line
    )
    tabs = "\n".join(line.replace(",", "\t") for line in text.splitlines() if '"' not in line)
    assert read_codebook_csv(semicolons.encode("utf-8")).codes[0].key == "Trust"
    assert read_codebook_csv(tabs).codes[0].key == "Trust"


def test_header_names_are_read_in_any_case_and_with_spaces() -> None:
    evidence = read_codebook_csv("Category, Category Description ,CODE,Definition\nA,,b,\n")
    assert evidence.codes == (Code("b", "b", "", "A"),)


def test_codes_in_the_sources_file_are_matched_without_regard_to_case() -> None:
    evidence = read_evidence_csv(CODEBOOK, HEADER + S01.replace("Trust", "trust"))
    assert evidence.quotations[0].codes == ("Trust",)


def test_blank_rows_are_passed_over() -> None:
    evidence = read_evidence_csv(CODEBOOK, HEADER + "\n,,,,,,\n" + S01)
    assert [s.key for s in evidence.sources] == ["S01"]


def test_a_row_with_only_notes_is_passed_over() -> None:
    header = HEADER.replace("quotation", "quotation,notes")
    evidence = read_evidence_csv(CODEBOOK, header + ",,,,,,,to read again\n" + S01)
    assert [s.key for s in evidence.sources] == ["S01"]


# --- problems -----------------------------------------------------------------------------------


def test_a_file_that_is_not_utf8_names_its_row() -> None:
    problem = only(codebook_problems("category,code\nRelationships,Café\n".encode("latin-1")))
    assert problem.where == "codebook.csv, row 2"
    assert "CSV UTF-8" in problem.fix


def test_an_empty_file_asks_for_its_header() -> None:
    problem = only(codebook_problems(""))
    assert "no header row" in problem.what
    assert "category,category_description,code,definition" in problem.fix


def test_a_missing_column_is_named_and_the_rows_not_checked_against_it() -> None:
    problem = only(codebook_problems("category,definition\nA,something\n"))
    assert problem.where == "codebook.csv, row 1"
    assert problem.what == "The header has no 'code' column."


def test_an_unknown_column_is_named_with_its_letter() -> None:
    problem = only(codebook_problems("category,code,page\nA,b,3\n"))
    assert problem.where == "codebook.csv, row 1, column C"
    assert "'page'" in problem.what
    assert "notes" in problem.fix


def test_a_column_given_twice_is_refused() -> None:
    problem = only(codebook_problems("code,Code\nA,B\n"))
    assert problem.where == "codebook.csv, row 1, column B"
    assert "given twice" in problem.what


def test_a_code_listed_twice_names_both_rows() -> None:
    problem = only(codebook_problems("category,code\nA,Trust\nB,trust\n"))
    assert problem.where == "codebook.csv, row 3, column B (code)"
    assert problem.what == "The code 'trust' is listed again (first on row 2)."


def test_a_category_described_two_ways_is_refused() -> None:
    text = "category,category_description,code\nA,first words,x\nA,,y\nA,other words,z\n"
    problem = only(codebook_problems(text))
    assert problem.where == "codebook.csv, row 4, column B (category_description)"
    assert "described differently from row 2" in problem.what


def test_descriptions_and_definitions_need_their_category_and_code() -> None:
    text = (
        "category,category_description,code,definition\n,lonely words,,\n,,,a meaning\n,,,\nA,,,\n"
    )
    problems = codebook_problems(text)
    assert [(p.where, p.what) for p in problems] == [
        (
            "codebook.csv, row 2, column B (category_description)",
            "A category description is given without a category.",
        ),
        ("codebook.csv, row 2, column C (code)", "The row has no code."),
        ("codebook.csv, row 3, column C (code)", "A definition is given without a code."),
    ]


def test_a_code_not_in_the_codebook_is_named_with_a_suggestion() -> None:
    problem = only(sources_problems(HEADER + S01.replace("Trust", "Trusst")))
    assert problem.where == "sources.csv, row 2, column F (code)"
    assert problem.what == "The code 'Trusst' is not in the codebook. Did you mean 'Trust'?"
    assert problem.fix == "Add the code to the codebook file, or correct its name here."


def test_an_unknown_kind_is_refused() -> None:
    problem = only(sources_problems(HEADER + S01.replace("peer-reviewed", "journal")))
    assert problem.where == "sources.csv, row 2, column D (kind)"
    assert problem.what == "The kind 'journal' is neither peer-reviewed nor grey."


@pytest.mark.parametrize("year", ["2O11", "11", "1066", "3011", "2011.5"])
def test_a_year_that_is_not_a_year_of_publication_is_refused(year: str) -> None:
    problem = only(sources_problems(HEADER + S01.replace(",2011,", f",{year},")))
    assert problem.where == "sources.csv, row 2, column C (year)"
    assert "four digits" in problem.fix


def test_a_year_from_a_spreadsheet_number_is_read() -> None:
    evidence = read_evidence_csv(CODEBOOK, HEADER + S01.replace(",2011,", ",2011.0,"))
    assert evidence.sources[0].year == 2011


def test_a_doi_that_is_not_a_doi_is_refused() -> None:
    problem = only(sources_problems(HEADER + S01.replace("peer-reviewed,,", "peer-reviewed,x,")))
    assert problem.where == "sources.csv, row 2, column E (doi)"
    assert problem.what == "'x' is not a DOI."


def test_conflicting_repeats_of_a_source_are_refused_on_the_later_row() -> None:
    rows = (
        S01
        + "S01,Repper and Carter 2012,2012,grey,10.1234/abc,Empathy,\n"
        # The same kind in other words, and the same DOI in other letters, agree.
        + "S01,Repper and Carter 2011,2011,Peer reviewed,10.1234/ABC,Hope,\n"
    )
    problems = sources_problems(HEADER + rows)
    assert [(p.where, p.what) for p in problems] == [
        (
            "sources.csv, row 3, column B (citation)",
            "Source 'S01' has citation 'Repper and Carter 2012' here but 'Repper and Carter "
            "2011' on row 2.",
        ),
        (
            "sources.csv, row 3, column C (year)",
            "Source 'S01' has year '2012' here but '2011' on row 2.",
        ),
        (
            "sources.csv, row 3, column D (kind)",
            "Source 'S01' has kind 'grey' here but 'peer-reviewed' on row 2.",
        ),
    ]


def test_a_source_without_citation_or_kind_is_named_at_its_first_row() -> None:
    problems = sources_problems(HEADER + "S09,,2011,,,Trust,\nS09,,,,,Hope,\n")
    assert [(p.where, p.what) for p in problems] == [
        (
            "sources.csv, row 2, column B (citation)",
            "Source 'S09' has no citation on any of its rows.",
        ),
        ("sources.csv, row 2, column D (kind)", "Source 'S09' has no kind on any of its rows."),
    ]


def test_a_row_without_source_id_or_a_quotation_without_code_is_refused() -> None:
    problems = sources_problems(HEADER + S01 + ",,,,,Trust,\nS01,,,,,,a passage\n")
    assert [(p.where, p.what) for p in problems] == [
        ("sources.csv, row 3, column A (source_id)", "The row has no source_id."),
        ("sources.csv, row 4, column F (code)", "A quotation is given without a code."),
    ]


def test_problems_of_both_files_come_together() -> None:
    with pytest.raises(ImportProblems) as caught:
        read_evidence_csv("category,code\nA,x\nB,x\n", HEADER + S01.replace("peer-reviewed", "?"))
    wheres = [p.where.split(",")[0] for p in caught.value.problems]
    assert wheres == ["codebook.csv", "sources.csv", "sources.csv"]


def test_problems_are_named_by_the_files_own_names() -> None:
    with pytest.raises(ImportProblems) as caught:
        read_evidence_csv(
            CODEBOOK,
            HEADER + S01.replace("Trust", "Nothing"),
            codebook_name="riverside-codes.csv",
            sources_name="riverside-sources.csv",
        )
    assert caught.value.problems[0].where.startswith("riverside-sources.csv, row 2")


# --- writing ------------------------------------------------------------------------------------


def test_written_files_read_back_as_the_same_evidence(review: Evidence) -> None:
    again = read_evidence_csv(write_codebook_csv(review), write_sources_csv(review))
    assert again == review


def test_a_refiqda_project_written_as_csv_reads_back_with_its_labels() -> None:
    project = read_qdpx(qdpx())
    again = read_evidence_csv(write_codebook_csv(project), write_sources_csv(project))
    assert [c.label for c in again.categories] == [c.label for c in project.categories]
    assert [c.label for c in again.codes] == [c.label for c in project.codes]
    assert [(s.citation, s.kind, s.year, s.doi) for s in again.sources] == [
        (s.citation, s.kind, s.year, s.doi) for s in project.sources
    ]
    assert [q.text for q in again.quotations] == [q.text for q in project.quotations]


def test_codes_with_the_same_label_are_told_apart_by_their_category() -> None:
    evidence = Evidence(
        categories=(Category("a", "Training"), Category("b", "Supervision")),
        codes=(Code("1", "Other", category="a"), Code("2", "Other", category="b")),
    )
    again = read_codebook_csv(write_codebook_csv(evidence))
    assert [c.label for c in again.codes] == ["Other (Training)", "Other (Supervision)"]


def test_cells_that_look_like_formulas_are_written_as_text_and_read_back() -> None:
    evidence = Evidence(
        sources=(Source("S1", "=HYPERLINK('x')", SourceKind.GREY),),
        codes=(Code("-harm", "-harm"),),
        quotations=(Quotation("S1#1", "S1", ("-harm",), "@risk"),),
    )
    codebook, sources = write_codebook_csv(evidence), write_sources_csv(evidence)
    assert "'=HYPERLINK" in sources
    assert "'@risk" in sources
    assert "'-harm" in codebook
    assert read_evidence_csv(codebook, sources) == evidence


def test_a_source_without_quotations_is_written_as_one_row(review: Evidence) -> None:
    rows = write_sources_csv(review).splitlines()
    assert rows[-1] == "S05,An unpublished service audit,,grey,,,"
    assert rows[0] == "source_id,citation,year,kind,doi,code,quotation"
