"""Reading a REFI-QDA project and codebook written by hand after the standard: how codes,
categories, sources and codings become evidence."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.coproduction.refiqda_files import CODEBOOK, S1_TEXT, guid, project_xml, qdpx

from peerprinciples.core.coproduction.evidence import Evidence, SourceKind
from peerprinciples.core.coproduction.refiqda import read_qdc, read_qdpx


@pytest.fixture(scope="module")
def review() -> Evidence:
    return read_qdpx(qdpx(), name="review.qdpx")


def test_top_level_codes_with_codes_below_them_are_categories(review: Evidence) -> None:
    labels = {category.key: category.label for category in review.categories}
    assert labels[guid("0001")] == "Relationships"
    assert labels[guid("0002")] == "Leadership, choice & control"


def test_descriptions_become_category_descriptions_and_code_definitions(
    review: Evidence,
) -> None:
    categories = {category.key: category for category in review.categories}
    codes = {code.key: code for code in review.codes}
    assert categories[guid("0001")].description == (
        "Safe and trusting relationships built on shared lived experience."
    )
    assert codes[guid("0011")].definition == "Trust between peers, built over time."
    assert codes[guid("0013")].definition == ""


def test_codes_below_a_category_belong_to_it_at_any_depth(review: Evidence) -> None:
    codes = {code.key: code for code in review.codes}
    assert codes[guid("0011")].category == guid("0001")
    assert codes[guid("0012")].category == guid("0001")
    assert codes[guid("0021")].category == guid("0002")


def test_a_third_level_code_is_labelled_with_the_code_above_it(review: Evidence) -> None:
    codes = {code.key: code for code in review.codes}
    assert codes[guid("0012")].label == "Trust › Safety in sharing"
    assert codes[guid("0012")].parent == guid("0011")
    assert codes[guid("0011")].parent is None


def test_a_category_applied_to_a_passage_is_also_a_code_of_itself(review: Evidence) -> None:
    codes = {code.key: code for code in review.codes}
    leadership = codes[guid("0002")]
    assert leadership.category == guid("0002")
    assert leadership.label == "Leadership, choice & control"
    # A category nobody applied directly is not a code.
    assert guid("0001") not in codes


def test_a_top_level_code_marked_not_codable_is_an_empty_category(review: Evidence) -> None:
    wider = next(c for c in review.categories if c.key == guid("0003"))
    assert wider.label == "Wider communities"
    assert not [code for code in review.codes if code.category == guid("0003")]


def test_a_top_level_code_in_a_set_of_codes_belongs_to_that_set(review: Evidence) -> None:
    recovery = next(c for c in review.categories if c.key == guid("0501"))
    assert (recovery.label, recovery.description) == ("Recovery", "Codes about recovery.")
    hope = next(code for code in review.codes if code.key == guid("0004"))
    assert hope.category == guid("0501")


def test_a_top_level_code_without_codes_or_set_has_no_category(review: Evidence) -> None:
    kindness = next(code for code in review.codes if code.key == guid("0005"))
    assert kindness.category is None


def test_sets_of_sources_make_no_category(review: Evidence) -> None:
    assert guid("0502") not in {category.key for category in review.categories}


def test_every_code_of_the_codebook_is_read_once(review: Evidence) -> None:
    assert [code.key for code in review.codes] == [
        guid("0011"),
        guid("0012"),
        guid("0013"),
        guid("0002"),
        guid("0021"),
        guid("0004"),
        guid("0005"),
    ]


def test_guids_in_braces_and_small_letters_become_the_same_key(review: Evidence) -> None:
    # The file writes Leadership's GUID as {7c2e...0002}; its coding writes it plainly.
    quotation = next(q for q in review.quotations if q.key == guid("0303"))
    assert guid("0002") in quotation.codes
    assert guid("0002") in {category.key for category in review.categories}


def test_every_source_is_read_with_its_name_as_citation(review: Evidence) -> None:
    assert [(s.key, s.citation) for s in review.sources] == [
        (guid("0201"), "Repper and Carter 2011"),
        (guid("0202"), "Peer support in practice (report)"),
        (guid("0203"), "A thesis on peer work"),
        (guid("0204"), "Poster from a peer-led group"),
    ]


def test_source_variables_give_year_kind_and_doi(review: Evidence) -> None:
    sources = {source.key: source for source in review.sources}
    first = sources[guid("0201")]
    assert (first.year, first.kind, first.doi) == (
        2011,
        SourceKind.PEER_REVIEWED,
        "10.3109/09638237.2011.583947",
    )
    # A true 'Grey literature' variable, and a text 'Kind' of 'Grey'.
    assert sources[guid("0202")].kind is SourceKind.GREY
    assert (sources[guid("0203")].kind, sources[guid("0203")].year) == (SourceKind.GREY, 2016)


def test_a_source_without_variables_is_peer_reviewed_and_undated(review: Evidence) -> None:
    poster = next(source for source in review.sources if source.key == guid("0204"))
    assert (poster.kind, poster.year, poster.doi) == (SourceKind.PEER_REVIEWED, None, "")


def test_a_text_selection_carries_its_text_from_the_archive(review: Evidence) -> None:
    quotation = next(q for q in review.quotations if q.key == guid("0301"))
    assert quotation.source == guid("0201")
    assert quotation.text == "Trust grows slowly between peers."


def test_selection_positions_count_characters_not_bytes(review: Evidence) -> None:
    # Two em dashes (three bytes each in UTF-8) come before this selection.
    quotation = next(q for q in review.quotations if q.key == guid("0302"))
    assert quotation.text == "felt safe to share our own stories when we chose how much to tell."
    assert quotation.codes == (guid("0012"), guid("0021"))


def test_a_text_selection_carries_text_kept_in_the_project_file(review: Evidence) -> None:
    quotation = next(q for q in review.quotations if q.key == guid("0303"))
    assert quotation.text == "Peer workers led the group. Hope was what we offered each other."


def test_pdf_selections_and_codings_of_a_whole_source_are_quotations_without_text(
    review: Evidence,
) -> None:
    pdf = next(q for q in review.quotations if q.key == guid("0304"))
    assert (pdf.source, pdf.codes, pdf.text) == (guid("0203"), (guid("0013"),), "")
    picture = next(q for q in review.quotations if q.source == guid("0204"))
    assert (picture.key, picture.codes, picture.text) == (guid("0204"), (guid("0005"),), "")


def test_a_project_reads_the_same_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "review.qdpx"
    path.write_bytes(qdpx())
    assert read_qdpx(path) == read_qdpx(qdpx())


def test_a_project_without_its_text_file_reads_when_no_selection_needs_it() -> None:
    # Without selections on the first source, its text is never needed.
    xml = project_xml()
    start = xml.index('<PlainTextSelection guid="7C2E1A40-5B3D-4E8F-9A61-2D4B6C8E0301"')
    end = xml.index("<VariableValue>", start)
    evidence = read_qdpx(qdpx(xml[:start] + xml[end:], leave_out=(S1_TEXT,)))
    assert guid("0301") not in {q.key for q in evidence.quotations}


def test_a_text_kept_outside_the_archive_gives_quotations_without_text() -> None:
    xml = project_xml().replace(
        "internal://7C2E1A40-5B3D-4E8F-9A61-2D4B6C8E0201.txt", "absolute:///review/s1.txt"
    )
    evidence = read_qdpx(qdpx(xml))
    quotation = next(q for q in evidence.quotations if q.key == guid("0301"))
    assert quotation.text == ""


def test_a_codebook_gives_categories_and_codes_and_no_sources() -> None:
    evidence = read_qdc(CODEBOOK)
    assert evidence.sources == ()
    assert evidence.quotations == ()
    assert [c.label for c in evidence.categories] == ["Mutuality", "Discovering strengths"]
    assert [(c.label, c.category) for c in evidence.codes] == [
        ("Reciprocity", "5A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B0001"),
        ("Empathy", "5A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B0001"),
        ("Experiential knowledge", None),
        ("Strengths", "5A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B0101"),
        # In two sets, a code belongs to the first.
        ("Connections", "5A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B0101"),
    ]


def test_a_codebook_reads_the_same_from_its_bytes() -> None:
    assert read_qdc(CODEBOOK.read_bytes()) == read_qdc(CODEBOOK)
