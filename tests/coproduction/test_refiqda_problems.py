"""Broken REFI-QDA files: every problem is listed at its place with a fix, and nothing of
the file is read."""

from __future__ import annotations

import io
import zipfile

import pytest
from tests.coproduction.refiqda_files import (
    REVIEW,
    S1_TEXT,
    codebook_xml,
    guid,
    project_xml,
    qdpx,
)

from peerprinciples.core.coproduction.problems import MAX_PROBLEMS, ImportProblems, Problem
from peerprinciples.core.coproduction.refiqda import read_qdc, read_qdpx


def problems_of_project(archive: bytes) -> list[Problem]:
    with pytest.raises(ImportProblems) as caught:
        read_qdpx(archive, name="review.qdpx")
    return caught.value.problems


def problems_of_codebook(text: str | bytes) -> list[Problem]:
    with pytest.raises(ImportProblems) as caught:
        read_qdc(text.encode("utf-8") if isinstance(text, str) else text, name="review.qdc")
    return caught.value.problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_a_file_that_is_not_a_zip_archive_is_refused() -> None:
    problem = only(problems_of_project(b"<Project/>"))
    assert problem.where == "review.qdpx"
    assert "not a zip archive" in problem.what
    assert "REFI-QDA project" in problem.fix


def test_an_archive_without_project_qde_is_refused_naming_what_it_holds() -> None:
    problem = only(problems_of_project(qdpx(project_name="other.qde")))
    assert "no project.qde" in problem.what
    assert "other.qde" in problem.what


def test_a_project_that_is_not_well_formed_xml_names_line_and_column() -> None:
    broken = project_xml().replace("</CodeBook>", "</Codebook>")
    problem = only(problems_of_project(qdpx(broken)))
    assert problem.where.startswith("review.qdpx: project.qde, line ")
    assert ", column " in problem.where
    assert "not well-formed XML" in problem.what


def test_a_codebook_given_to_the_project_import_says_which_import_to_use() -> None:
    problem = only(problems_of_project(qdpx(codebook_xml())))
    assert "<CodeBook>" in problem.what
    assert "codebook" in problem.what
    assert ".qdc codebook" in problem.fix


def test_a_project_given_to_the_codebook_import_says_which_import_to_use() -> None:
    problem = only(problems_of_codebook(project_xml()))
    assert "<Project>" in problem.what
    assert "a REFI-QDA codebook" in problem.what


def test_schema_violations_are_all_listed_at_their_elements() -> None:
    broken = (
        project_xml()
        .replace('name="Hope" isCodable="true"', 'name="Hope"')
        .replace('name="Kindness" isCodable="true"', 'name="Kindness" isCodable="maybe"')
        .replace('color="#0072B2"', 'color="blue"')
    )
    problems = problems_of_project(qdpx(broken))
    assert len(problems) == 3
    missing, wrong, colour = sorted(problems, key=lambda p: p.where)[::-1]
    by_name = {p.where.rsplit("(", 1)[-1]: p for p in problems}
    assert "isCodable" in by_name["'Hope')"].what
    assert "required but missing" in by_name["'Hope')"].what
    assert "Add the attribute" in by_name["'Hope')"].fix
    assert "maybe" in by_name["'Kindness')"].what
    assert "'blue' does not have the form" in by_name["'Relationships')"].what
    assert "#1F77B4" in by_name["'Relationships')"].fix
    assert {missing, wrong, colour} == set(problems)


def test_a_schema_violation_names_the_element_path_and_line() -> None:
    broken = project_xml().replace('name="Hope" isCodable="true"', 'name="Hope"')
    problem = only(problems_of_project(qdpx(broken)))
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if 'name="Hope"' in text)
    assert problem.where == (
        f"review.qdpx: project.qde, line {line}, Project/CodeBook/Codes/Code[4] ('Hope')"
    )


def test_a_guid_that_is_not_a_guid_is_explained() -> None:
    broken = project_xml().replace(f'guid="{guid("0005")}"', 'guid="kindness"')
    problem, coding = problems_of_project(qdpx(broken))
    assert "'kindness' is not a GUID" in problem.what
    assert "8-4-4-4-12" in problem.fix
    # The coding of Kindness now names nothing, which is said as well.
    assert "CodeRef" in coding.where
    assert "names no element" in coding.what


def test_elements_the_schema_does_not_allow_are_named() -> None:
    broken = project_xml().replace("<Sets>", "<Shelves/><Sets>")
    problem = only(problems_of_project(qdpx(broken)))
    assert "Shelves" in problem.what
    assert "not expected" in problem.what


def test_a_guid_given_twice_is_refused_naming_both_places() -> None:
    broken = project_xml().replace(guid("0005"), guid("0004"))
    problems = problems_of_project(qdpx(broken))
    twice = [p for p in problems if "given twice" in p.what]
    assert len(twice) == 1
    assert "('Kindness')" in twice[0].where
    first_line = next(n for n, text in enumerate(broken.splitlines(), 1) if 'name="Hope"' in text)
    assert f"line {first_line}" in twice[0].what
    assert "GUID of its own" in twice[0].fix


def test_guids_differing_only_in_case_or_braces_are_the_same_guid() -> None:
    broken = project_xml().replace(guid("0005"), "{" + guid("0004").lower() + "}")
    assert any("given twice" in p.what for p in problems_of_project(qdpx(broken)))


def test_a_coding_of_a_code_the_file_does_not_have_is_refused() -> None:
    broken = project_xml().replace(
        '<CodeRef targetGUID="7C2E1A40-5B3D-4E8F-9A61-2D4B6C8E0013"/>',
        '<CodeRef targetGUID="7C2E1A40-5B3D-4E8F-9A61-2D4B6C8E0999"/>',
    )
    problem = only(problems_of_project(qdpx(broken)))
    assert problem.what == f"targetGUID='{guid('0999')}' names no element of the file."
    assert "CodeRef" in problem.where
    assert "GUID of a Code" in problem.fix


def test_a_coding_that_names_a_source_instead_of_a_code_is_refused() -> None:
    broken = project_xml().replace(
        '<CodeRef targetGUID="7C2E1A40-5B3D-4E8F-9A61-2D4B6C8E0013"/>',
        '<CodeRef targetGUID="7C2E1A40-5B3D-4E8F-9A61-2D4B6C8E0201"/>',
    )
    problem = only(problems_of_project(qdpx(broken)))
    assert "names a TextSource" in problem.what
    assert "a CodeRef must name a Code" in problem.what


def test_a_set_member_or_variable_naming_nothing_is_refused() -> None:
    broken = (
        project_xml()
        .replace(
            '<MemberCode targetGUID="7C2E1A40-5B3D-4E8F-9A61-2D4B6C8E0004"/>',
            '<MemberCode targetGUID="7C2E1A40-5B3D-4E8F-9A61-2D4B6C8E0998"/>',
        )
        .replace(
            '<VariableRef targetGUID="7C2E1A40-5B3D-4E8F-9A61-2D4B6C8E0104"/>',
            '<VariableRef targetGUID="7C2E1A40-5B3D-4E8F-9A61-2D4B6C8E0997"/>',
        )
    )
    problems = problems_of_project(qdpx(broken))
    assert len(problems) == 2
    assert {p.where.rsplit("/", 1)[-1].split("[")[0] for p in problems} == {
        "MemberCode",
        "VariableRef",
    }


def test_a_codebook_set_naming_a_code_it_does_not_have_is_refused() -> None:
    broken = codebook_xml().replace(
        '<MemberCode guid="5A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B0003"/>',
        '<MemberCode guid="5A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B0999"/>',
    )
    problem = only(problems_of_codebook(broken))
    assert "guid='5A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B0999' names no element" in problem.what


def test_a_codebook_code_given_twice_is_refused() -> None:
    broken = codebook_xml().replace(
        "5A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B0012", "5A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B0011"
    )
    problem = only(problems_of_codebook(broken))
    assert "given twice" in problem.what
    assert "('Empathy')" in problem.where


def test_a_codebook_breaking_its_schema_is_refused() -> None:
    broken = codebook_xml().replace("<Codes>", "<Codes><Memo/>")
    problem = only(problems_of_codebook(broken))
    assert "Memo" in problem.what
    assert "REFI-QDA codebook schema" in problem.fix


def test_a_codebook_that_is_not_xml_is_refused() -> None:
    problem = only(problems_of_codebook(b"category,code\n"))
    assert problem.where.startswith("review.qdc, line 1")


def test_a_code_with_an_empty_name_is_refused() -> None:
    broken = project_xml().replace('name="Kindness"', 'name=" "')
    problem = only(problems_of_project(qdpx(broken)))
    assert problem.what == "The code has no name."


def test_a_selection_beyond_its_source_text_is_refused() -> None:
    broken = project_xml().replace(
        'startPosition="48" endPosition="114"', 'startPosition="48" endPosition="400"'
    )
    length = len((REVIEW / S1_TEXT).read_text(encoding="utf-8"))
    problem = only(problems_of_project(qdpx(broken)))
    assert problem.what == (
        f"The selection runs from character 48 to 400, but its source's text has {length} "
        "characters."
    )
    assert "PlainTextSelection[2]" in problem.where


def test_a_text_file_missing_from_the_archive_is_refused() -> None:
    problem = only(problems_of_project(qdpx(leave_out=(S1_TEXT,))))
    assert f"no {S1_TEXT}" in problem.what
    assert "('Repper and Carter 2011')" in problem.where


def test_a_text_file_that_is_not_utf8_is_refused() -> None:
    latin = "Trust grows slowly between peers. Café".encode("latin-1")
    problem = only(problems_of_project(qdpx(members={S1_TEXT: latin})))
    assert "is not UTF-8" in problem.what


def test_unreadable_source_variables_are_refused_each_at_its_value() -> None:
    broken = (
        project_xml()
        .replace("<IntegerValue>2011</IntegerValue>", "<IntegerValue>11</IntegerValue>")
        .replace("<TextValue>peer-reviewed</TextValue>", "<TextValue>journal</TextValue>")
        .replace(
            "<TextValue>https://doi.org/10.3109/09638237.2011.583947</TextValue>",
            "<TextValue>see the journal</TextValue>",
        )
        .replace("<BooleanValue>true</BooleanValue>", "<TextValue>perhaps</TextValue>")
    )
    problems = problems_of_project(qdpx(broken))
    whats = [p.what for p in problems]
    assert "The year '11' is not a year of publication." in whats
    assert "The kind 'journal' is neither peer-reviewed nor grey." in whats
    assert "'see the journal' is not a DOI." in whats
    assert "Whether the source is grey literature is given as 'perhaps'." in whats
    assert len(problems) == 4


def test_a_damaged_member_of_the_archive_is_refused() -> None:
    archive = bytearray(qdpx())
    # Corrupt the compressed bytes of project.qde (the CRC check then fails).
    start = archive.index(b"project.qde") + len("project.qde") + 40
    archive[start : start + 40] = bytes(40)
    problem = only(problems_of_project(bytes(archive)))
    assert "cannot be unpacked" in problem.what


def test_a_file_broken_throughout_lists_the_first_problems_and_counts_the_rest() -> None:
    codes = "".join(
        f'<Code guid="not-a-guid-{n}" name="c{n}" isCodable="true"/>' for n in range(250)
    )
    broken = project_xml().replace("<Codes>", "<Codes>" + codes)
    problems = problems_of_project(qdpx(broken))
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].what == "50 more problems like those above are not listed."


def test_nothing_of_a_broken_file_is_returned() -> None:
    broken = project_xml().replace('name="Kindness"', 'name=""')
    with pytest.raises(ImportProblems) as caught:
        read_qdpx(qdpx(broken))
    assert isinstance(caught.value, ValueError)
    assert str(caught.value).startswith("project.qdpx: project.qde, line ")


def test_a_zip_with_project_qde_in_a_folder_is_not_a_project() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("export/project.qde", project_xml())
    problem = only(problems_of_project(buffer.getvalue()))
    assert "export/project.qde" in problem.what
