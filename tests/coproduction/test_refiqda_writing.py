"""Writing a REFI-QDA codebook from evidence: valid against the codebook schema, and read
back as the same categories and codes."""

from __future__ import annotations

import pytest
from lxml import etree
from tests.coproduction.refiqda_files import CODEBOOK, guid, qdpx

from peerprinciples.core.coproduction.evidence import Category, Code, Evidence
from peerprinciples.core.coproduction.refiqda import read_qdc, read_qdpx, write_qdc
from peerprinciples.core.coproduction.refiqda.schema import (
    CODEBOOK_NS,
    codebook_schema,
    codebook_schema_document,
)

NS = {"c": CODEBOOK_NS}

FROM_CSV = Evidence(
    categories=(
        Category("Relationships", "Relationships", "Safe & trusting <relationships>"),
        Category("Leadership", "Leadership"),
    ),
    codes=(
        Code("Trust", "Trust", "Trust between peers", "Relationships"),
        Code("Safety", "Trust › Safety", "", "Relationships", parent="Trust"),
        Code("Hope", "Hope"),
    ),
)


def valid(document: bytes) -> bool:
    schema = codebook_schema()
    ok = bool(schema.validate(etree.fromstring(document)))
    assert ok, schema.error_log
    return ok


def test_a_written_codebook_is_valid_against_the_codebook_schema() -> None:
    assert valid(write_qdc(FROM_CSV))
    assert valid(write_qdc(read_qdpx(qdpx())))


def test_the_hand_written_codebook_is_valid_against_the_codebook_schema() -> None:
    assert valid(CODEBOOK.read_bytes())


def test_the_codebook_schema_is_the_project_schema_under_the_codebook_namespace() -> None:
    schema = codebook_schema_document()
    assert schema.get("targetNamespace") == CODEBOOK_NS
    xsd = {"xsd": "http://www.w3.org/2001/XMLSchema"}
    assert schema.xpath("xsd:element/@name", namespaces=xsd) == ["CodeBook"]
    code = schema.xpath("xsd:complexType[@name='CodeType']//xsd:element/@name", namespaces=xsd)
    assert code == ["Description", "Code"]


def test_a_project_codebook_written_and_read_back_keeps_categories_and_codes() -> None:
    evidence = read_qdpx(qdpx())
    again = read_qdc(write_qdc(evidence))
    assert again.categories == evidence.categories
    # A category applied as a code is written as a codable category; a codebook has no
    # codings, so read back it is a category only.
    assert again.codes == tuple(code for code in evidence.codes if code.key != code.category)


def test_a_category_applied_as_a_code_is_written_codable() -> None:
    tree = etree.fromstring(write_qdc(read_qdpx(qdpx())))
    codable = {
        code.get("name"): code.get("isCodable")
        for code in tree.xpath("c:Codes/c:Code", namespaces=NS)
    }
    assert codable["Leadership, choice & control"] == "true"
    assert codable["Relationships"] == "false"


def test_nested_codes_are_written_below_their_parent_by_their_own_name() -> None:
    tree = etree.fromstring(write_qdc(FROM_CSV))
    found = tree.xpath("c:Codes/c:Code[@name='Relationships']/c:Code/c:Code", namespaces=NS)
    assert [code.get("name") for code in found] == ["Safety"]
    again = read_qdc(write_qdc(FROM_CSV))
    assert [code.label for code in again.codes] == ["Trust", "Trust › Safety", "Hope"]


def test_keys_that_are_not_guids_get_the_same_guid_every_time() -> None:
    first, second = write_qdc(FROM_CSV), write_qdc(FROM_CSV)
    assert first == second
    guids = etree.fromstring(first).xpath("//c:Code/@guid", namespaces=NS)
    assert len(set(guids)) == len(guids) == 5


def test_keys_that_are_guids_are_kept() -> None:
    guids = etree.fromstring(write_qdc(read_qdpx(qdpx()))).xpath("//c:Code/@guid", namespaces=NS)
    assert guid("0011") in guids
    assert guid("0002") in guids


def test_text_is_escaped_and_descriptions_kept() -> None:
    document = write_qdc(FROM_CSV)
    assert b"Safe &amp; trusting &lt;relationships&gt;" in document
    category = read_qdc(document).categories[0]
    assert category.description == "Safe & trusting <relationships>"


def test_codes_whose_parents_name_each_other_are_not_lost() -> None:
    circle = Evidence(
        categories=(Category("A", "A"),),
        codes=(
            Code("x", "x", category="A", parent="y"),
            Code("y", "y", category="A", parent="x"),
        ),
    )
    again = read_qdc(write_qdc(circle))
    assert sorted(code.label.rsplit(" › ", 1)[-1] for code in again.codes) == ["x", "y"]


def test_two_items_with_the_same_guid_key_get_guids_of_their_own() -> None:
    same = "7C2E1A40-5B3D-4E8F-9A61-2D4B6C8E0001"
    clash = Evidence(categories=(Category(same, "A"),), codes=(Code(same, "B", category=None),))
    guids = etree.fromstring(write_qdc(clash)).xpath("//c:Code/@guid", namespaces=NS)
    assert len(set(guids)) == 2


def test_evidence_without_codes_cannot_be_a_codebook() -> None:
    with pytest.raises(ValueError, match="needs at least one code"):
        write_qdc(Evidence())


def test_the_origin_is_written() -> None:
    tree = etree.fromstring(write_qdc(FROM_CSV, origin="Riverside review"))
    assert tree.get("origin") == "Riverside review"
