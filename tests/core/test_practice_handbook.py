"""The handbook drafted from a practice matrix: its sections, what an empty cell says, where
the programme's own sections go, and the refusals."""

from __future__ import annotations

from datetime import date

import pytest

from peerprinciples.core.frameworks import Framework
from peerprinciples.core.library import Library
from peerprinciples.core.practice.handbook import (
    GLANCE,
    NOT_LOOKED_AT,
    NOT_WRITTEN,
    OWN_AREAS,
    PROMPT_LABEL,
    SYNTHETIC_NOTICE,
    SYNTHETIC_PROGRAMME_NOTICE,
    BulletList,
    Handbook,
    HandbookError,
    Heading,
    Paragraph,
    Table,
    build_handbook,
    handbook_layout,
)
from peerprinciples.core.practice.matrix import Area, Cell, Level, Matrix, Section, builtin_areas
from peerprinciples.core.provenance import Provenance


@pytest.fixture(scope="module")
def enrich() -> Framework:
    return Library([]).framework("enrich")


def matrix_for(framework: Framework, **changes: object) -> Matrix:
    """A matrix with a few cells written, one area of the programme's own and a cell kept
    for a principle the framework no longer has."""
    areas = [*builtin_areas(), Area(key="peer-network", title="Peer network", level=Level.TEAM)]
    data: dict[str, object] = {
        "programme": "Peer support in the community teams",
        "framework": framework.ref,
        "areas": areas,
        "cells": [
            Cell(
                area="supervision",
                principle="mutuality",
                text="Supervision is two-way: the supervisor shares too.",
                evidence="Supervision notes agreed by both",
                holder="Peer support lead",
                status="partly",
                why="monthly, not fortnightly yet",
            ),
            Cell(area="role-description", principle="relationships", status="in_place"),
            Cell(area="pay-progression", principle="old-principle", text="Kept from before."),
        ],
    }
    data.update(changes)
    return Matrix.model_validate(data)


def texts(handbook: Handbook) -> str:
    """Every word of the handbook, in order."""
    found: list[str] = []
    for section in handbook.sections:
        found.append(section.title)
        for block in section.blocks:
            if isinstance(block, Heading):
                found.append(block.text)
            elif isinstance(block, Paragraph):
                found += [block.label, block.text]
            elif isinstance(block, BulletList):
                found += block.items
            elif isinstance(block, Table):
                found += [block.caption, *block.header, *(" ".join(r) for r in block.rows)]
    return "\n".join(found)


def test_sections_follow_the_layout_with_the_programmes_own_areas_before_the_appendix(
    enrich: Framework,
) -> None:
    handbook = build_handbook(matrix_for(enrich), enrich)
    keys = [s.key for s in handbook.sections]
    assert keys == [
        "about",
        "role-description",
        "person-specification",
        "interview-questions",
        "training-outline",
        "supervision-support",
        "organisational-conditions",
        OWN_AREAS,
        GLANCE,
    ]
    assert handbook.section(OWN_AREAS).areas == ("peer-network",)
    assert handbook.section("supervision-support").areas == (
        "supervision",
        "team-support",
        "organisational-support",
    )
    assert handbook.title == "Peer worker handbook"
    assert "Peer support in the community teams" in handbook.subtitle
    assert "enrich@2017" in handbook.subtitle
    assert "working copy" in handbook.subtitle
    assert handbook.notice == ""


def test_every_principle_and_area_and_kept_cell_appears(enrich: Framework) -> None:
    matrix = matrix_for(enrich)
    words = texts(build_handbook(matrix, enrich))
    for principle in enrich.principles:
        assert principle.title in words
    for area in matrix.areas:
        assert area.title in words
    assert "old-principle (not in enrich@2017)" in words
    assert "Kept from before." in words


def test_a_written_cell_shows_its_text_evidence_holder_and_status(enrich: Framework) -> None:
    blocks = build_handbook(matrix_for(enrich), enrich).section("supervision-support").blocks
    start = blocks.index(Heading("Mutuality and reciprocity", 4))
    assert blocks[start + 1 : start + 5] == (
        Paragraph("Supervision is two-way: the supervisor shares too."),
        Paragraph("Supervision notes agreed by both", label="Examples and evidence"),
        Paragraph("Peer support lead", label="Held by"),
        Paragraph("Partly in place: monthly, not fortnightly yet", label="Status"),
    )
    assert Heading("Individual: the peer worker", 2) in blocks
    assert Heading("Team: the people around the peer worker", 2) in blocks


def test_an_empty_cell_says_so_and_offers_the_prompt_only_where_the_layout_asks(
    enrich: Framework,
) -> None:
    matrix = matrix_for(
        enrich, prompts={"recruitment/mutuality": "What would you learn from the candidate?"}
    )
    handbook = build_handbook(matrix, enrich)
    interview = handbook.section("interview-questions").blocks
    start = interview.index(Heading("Mutuality and reciprocity", 2))
    assert interview[start + 1 : start + 4] == (
        Paragraph(NOT_WRITTEN, emphasis="missing"),
        Paragraph(
            "What would you learn from the candidate?", label=PROMPT_LABEL, emphasis="prompt"
        ),
        Paragraph(NOT_LOOKED_AT, label="Status"),
    )
    assert all(
        getattr(block, "emphasis", "") != "prompt"
        for block in handbook.section("role-description").blocks
    )
    # A status decided without text written still says the text is missing.
    role = handbook.section("role-description").blocks
    start = role.index(Heading("Relationships built on shared lived experience", 2))
    assert role[start + 1] == Paragraph(NOT_WRITTEN, emphasis="missing")
    assert role[start + 2] == Paragraph("In place", label="Status")


def test_the_appendix_has_every_area_and_principle_with_its_status_in_words(
    enrich: Framework,
) -> None:
    matrix = matrix_for(enrich)
    (table,) = [
        b for b in build_handbook(matrix, enrich).section(GLANCE).blocks if isinstance(b, Table)
    ]
    assert table.header == ("Area", "Level", "Principle", "Status")
    assert len(table.rows) == len(matrix.areas) * (len(enrich.principles) + 1)
    assert (
        "Supervision (individual)",
        "Individual",
        "Mutuality and reciprocity",
        "Partly in place: monthly, not fortnightly yet",
    ) in table.rows
    assert ("Peer network", "Team", "Mutuality and reciprocity", NOT_LOOKED_AT) in table.rows


def test_local_sections_follow_their_section_or_go_before_the_appendix(enrich: Framework) -> None:
    sections = [
        Section(
            key="contacts",
            title="Who to contact",
            body="The office.\n\n- Mon\n- Tue",
            after="role-description",
        ),
        Section(key="welcome", title="Welcome", body=""),
        Section(key="lost", title="Lost", body="Placed at the end.", after="no-such-section"),
        Section(key="last", title="After everything", body="Truly last.", after=GLANCE),
    ]
    handbook = build_handbook(matrix_for(enrich, sections=sections), enrich)
    keys = [s.key for s in handbook.sections]
    assert keys[keys.index("role-description") + 1] == "contacts"
    assert keys[-5:] == [OWN_AREAS, "welcome", "lost", GLANCE, "last"]
    contacts = handbook.section("contacts")
    assert contacts.local
    assert contacts.blocks == (Paragraph("The office."), BulletList(("Mon", "Tue")))
    assert handbook.section("welcome").blocks == (Paragraph(NOT_WRITTEN, emphasis="missing"),)


def test_a_numbered_version_and_issue_date_are_named(enrich: Framework) -> None:
    handbook = build_handbook(matrix_for(enrich, version=3), enrich, issued=date(2025, 3, 4))
    assert handbook.version_label == "version 3"
    assert "matrix version 3" in handbook.subtitle
    assert handbook.issued == date(2025, 3, 4)
    assert "issued from version 3 of the matrix" in texts(handbook)


def test_synthetic_data_is_said_plainly(enrich: Framework) -> None:
    made_up = enrich.model_copy(
        update={"provenance": Provenance(project="A demonstration", synthetic=True)}
    )
    assert build_handbook(matrix_for(enrich), made_up).notice == SYNTHETIC_NOTICE
    # A made-up programme following a real framework says that the matrix is made up.
    made_up_programme = build_handbook(matrix_for(enrich), enrich, synthetic=True)
    assert made_up_programme.notice == SYNTHETIC_PROGRAMME_NOTICE
    assert build_handbook(matrix_for(enrich), enrich).notice == ""


def test_a_matrix_following_another_framework_version_is_refused(enrich: Framework) -> None:
    other = enrich.model_copy(update={"version": "2030"})
    with pytest.raises(
        HandbookError,
        match=r"follows enrich@2017, but the framework given is "
        r"enrich@2030",
    ):
        build_handbook(matrix_for(enrich), other)


def test_areas_the_programme_left_out_are_said_to_be_missing(enrich: Framework) -> None:
    kept = [a for a in builtin_areas() if a.key != "recruitment"]
    handbook = build_handbook(matrix_for(enrich, areas=kept), enrich)
    interview = handbook.section("interview-questions")
    assert interview.areas == ()
    assert any("left out the areas" in getattr(b, "text", "") for b in interview.blocks)


def test_the_layout_feeds_every_built_in_area() -> None:
    fed = {key for section in handbook_layout().sections for key in section.areas}
    assert {area.key for area in builtin_areas()} <= fed
