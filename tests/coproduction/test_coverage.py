"""The coverage matrix: what supports each draft principle, what supports nothing, the
prompts for the team, the CSV and the table, on a hand-made mapping."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from peerprinciples.core.coproduction.coverage import (
    CSV_COLUMNS,
    Coverage,
    CoverageCounts,
    DraftPrinciple,
    Support,
    coverage,
    coverage_csv,
    coverage_rows,
)

PRINCIPLES = (
    DraftPrinciple("P1", "Building trust"),
    DraftPrinciple("P2", "Mutuality"),
    DraftPrinciple("P3", "Choice and control"),
    DraftPrinciple("P4", "Hope"),
)
# Given mixed, panel first, to show that review supports still come first.
SUPPORTS = (
    Support("G1", "Being heard", "panel", "group sort 1"),
    Support("C1", "Relationships", "review", "12 sources"),
    Support("G2", "Equal footing", "panel", "group sort 1"),
    Support("C2", "Experiential knowledge", "review", "7 sources"),
    Support("C3", "Recovery", "review", "2 sources"),
    Support("K1", "Power", "panel", "concept map cluster"),
)
# P1: a category and a pile (both); P2: two categories (review only); P3: a pile (panel
# only); P4: nothing. C3 and K1 support nothing.
LINKS = (("P1", "C1"), ("P1", "G1"), ("P2", "C2"), ("P2", "C1"), ("P3", "G2"))


@pytest.fixture
def mapped() -> Coverage:
    return coverage(PRINCIPLES, SUPPORTS, LINKS)


def by_key(cover: Coverage, key: str) -> tuple[list[str], list[str], str]:
    row = next(r for r in cover.principles if r.principle.key == key)
    return [s.id for s in row.review], [s.id for s in row.panel], row.status


def test_each_principle_gets_its_supports_and_status(mapped: Coverage) -> None:
    assert by_key(mapped, "P1") == (["C1"], ["G1"], "both")
    # C1 before C2: the order the categories were given, not the order of the links.
    assert by_key(mapped, "P2") == (["C1", "C2"], [], "review only")
    assert by_key(mapped, "P3") == ([], ["G2"], "panel only")
    assert by_key(mapped, "P4") == ([], [], "none")


def test_supports_linked_to_nothing_are_listed_by_side(mapped: Coverage) -> None:
    assert [s.id for s in mapped.unlinked_review] == ["C3"]
    assert [s.id for s in mapped.unlinked_panel] == ["K1"]


def test_the_counts_add_up(mapped: Coverage) -> None:
    assert mapped.counts == CoverageCounts(
        principles=4,
        review_supports=3,
        panel_supports=3,
        links=5,
        both=1,
        review_only=1,
        panel_only=1,
        unsupported=1,
        unlinked_review=1,
        unlinked_panel=1,
    )


def test_the_matrix_has_principles_down_and_review_then_panel_supports_across(
    mapped: Coverage,
) -> None:
    assert [s.id for s in mapped.supports] == ["C1", "C2", "C3", "G1", "G2", "K1"]
    assert [r.principle.key for r in mapped.principles] == ["P1", "P2", "P3", "P4"]
    t, f = True, False
    assert mapped.matrix == (
        (t, f, f, t, f, f),
        (t, t, f, f, f, f),
        (f, f, f, f, t, f),
        (f, f, f, f, f, f),
    )
    assert mapped.links == (("P1", "C1"), ("P1", "G1"), ("P2", "C1"), ("P2", "C2"), ("P3", "G2"))


def test_the_order_of_the_links_and_repeated_links_change_nothing(mapped: Coverage) -> None:
    again = coverage(PRINCIPLES, SUPPORTS, [*reversed(LINKS), ("P1", "C1"), ("P3", "G2")])
    assert again == mapped


def test_the_flags_prompt_the_team_in_plain_words(mapped: Coverage) -> None:
    assert mapped.flags == (
        "1 draft principle has nothing linked to it yet: P4. Hope.",
        "1 draft principle is supported by the review but by no panel pile yet: P2. Mutuality.",
        "1 draft principle is supported by the panel but by no review category yet: "
        "P3. Choice and control.",
        "1 review category supports no principle yet: Recovery (2 sources).",
        "1 panel pile or cluster supports no principle yet: Power (concept map cluster).",
    )


def test_the_flags_count_in_the_plural() -> None:
    supports = [Support(f"C{n}", f"Category {n}", "review") for n in range(1, 4)]
    supports += [Support("G1", "Pile", "panel"), Support("G2", "Other pile", "panel")]
    cover = coverage(PRINCIPLES[:2], supports, [])
    assert cover.flags == (
        "2 draft principles have nothing linked to them yet: P1. Building trust; P2. Mutuality.",
        "3 review categories support no principle yet: Category 1; Category 2; Category 3.",
        "2 panel piles or clusters support no principle yet: Pile; Other pile.",
    )


def test_nothing_is_flagged_when_everything_is_covered() -> None:
    supports = [Support("C1", "Relationships", "review"), Support("G1", "Being heard", "panel")]
    cover = coverage(PRINCIPLES[:1], supports, [("P1", "C1"), ("P1", "G1")])
    assert cover.flags == ()
    assert [r.status for r in cover.principles] == ["both"]


def test_nothing_at_all_gives_an_empty_coverage() -> None:
    cover = coverage([], [], [])
    assert cover.principles == cover.supports == cover.matrix == ()
    assert cover.flags == ()
    assert coverage_csv(cover) == ",".join(CSV_COLUMNS) + "\n"


def test_links_to_unknown_principles_and_supports_are_all_named() -> None:
    with pytest.raises(ValueError, match="Some links name what is not there") as raised:
        coverage(PRINCIPLES, SUPPORTS, [("P1", "C1"), ("P9", "C1"), ("P2", "X7"), ("Q", "Z")])
    message = str(raised.value)
    assert "link 2 ('P9', 'C1'): principle 'P9' is not among the draft principles" in message
    assert "link 3 ('P2', 'X7'): support 'X7' is not among the categories and piles" in message
    assert (
        "link 4 ('Q', 'Z'): principle 'Q' is not among the draft principles and support 'Z'"
        in message
    )
    assert "link 1" not in message
    assert "remove the links" in message


@pytest.mark.parametrize(
    ("principles", "supports", "words"),
    [
        (
            [DraftPrinciple("P1", "A"), DraftPrinciple("P1", "B")],
            [],
            "Two draft principles share the key 'P1'",
        ),
        (
            [],
            [Support("C1", "A", "review"), Support("C1", "B", "panel")],
            "Two supports share the id 'C1'",
        ),
        ([DraftPrinciple(" ", "A")], [], "A draft principle has an empty key"),
        ([], [Support("", "A", "review")], "A support has an empty id"),
        (
            [DraftPrinciple("P1", "")],
            [],
            "The draft principle 'P1' has an empty title: give it a title",
        ),
        ([], [Support("G1", "  ", "panel")], "The support 'G1' has an empty label"),
    ],
)
def test_keys_titles_and_labels_must_be_given_and_keys_unique(
    principles: list[DraftPrinciple], supports: list[Support], words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        coverage(principles, supports, [])


def test_a_support_is_on_the_review_or_the_panel_side() -> None:
    with pytest.raises(ValueError, match=r"Support 'C1' has side 'reviews'.*'review'.*'panel'"):
        Support("C1", "Relationships", "reviews")  # type: ignore[arg-type]


def test_names_carry_the_detail_and_the_key() -> None:
    assert Support("C1", "Relationships", "review", "12 sources").name == (
        "Relationships (12 sources)"
    )
    assert Support("C1", "Relationships", "review").name == "Relationships"
    assert DraftPrinciple("P1", "Building trust").name == "P1. Building trust"


def test_the_csv_has_a_row_per_principle_and_support_and_reads_back(mapped: Coverage) -> None:
    rows = list(csv.DictReader(io.StringIO(coverage_csv(mapped))))
    assert len(rows) == 4 * 6
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0] == {
        "principle": "P1",
        "principle_title": "Building trust",
        "principle_status": "both",
        "support": "C1",
        "support_label": "Relationships",
        "side": "review",
        "detail": "12 sources",
        "linked": "yes",
    }
    keys = [r.principle.key for r in mapped.principles]
    ids = [s.id for s in mapped.supports]
    rebuilt = tuple(
        tuple(
            next(
                row["linked"] == "yes"
                for row in rows
                if row["principle"] == key and row["support"] == support
            )
            for support in ids
        )
        for key in keys
    )
    assert rebuilt == mapped.matrix
    statuses = {row["principle"]: row["principle_status"] for row in rows}
    assert statuses == {"P1": "both", "P2": "review only", "P3": "panel only", "P4": "none"}


def test_the_csv_pivots_back_to_the_matrix_with_pandas(mapped: Coverage) -> None:
    table = pd.read_csv(io.StringIO(coverage_csv(mapped)), dtype=str)
    # pd.DataFrame.pivot(index="principle", columns="support", values="linked")
    wide = table.pivot(index="principle", columns="support", values="linked") == "yes"
    wide = wide.loc[["P1", "P2", "P3", "P4"], [s.id for s in mapped.supports]]
    assert tuple(map(tuple, wide.to_numpy().tolist())) == mapped.matrix
    # Each support's link count, as pandas counts it, is the row total of coverage_rows.
    per_support = (table["linked"] == "yes").groupby(table["support"]).sum()
    table_rows = coverage_rows(mapped).rows
    assert {s.id: int(per_support[s.id]) for s in mapped.supports} == {
        s.id: int(row[-1]) for s, row in zip(mapped.supports, table_rows, strict=True)
    }


def test_the_csv_keeps_commas_quotes_and_new_lines_and_defuses_formulas() -> None:
    principle = DraftPrinciple("P1", 'Trust, "real" trust\nand safety')
    supports = [Support("C1", "=SUM(A1:A9)", "review", "+3 sources"), Support("G1", "-", "panel")]
    rows = list(
        csv.DictReader(io.StringIO(coverage_csv(coverage([principle], supports, [("P1", "C1")]))))
    )
    assert rows[0]["principle_title"] == 'Trust, "real" trust\nand safety'
    assert rows[0]["support_label"] == "'=SUM(A1:A9)"
    assert rows[0]["detail"] == "'+3 sources"
    assert rows[1]["support_label"] == "'-"
    assert [row["linked"] for row in rows] == ["yes", "no"]


def test_the_table_has_a_row_per_support_and_a_column_per_principle(mapped: Coverage) -> None:
    table = coverage_rows(mapped)
    assert table.headers == (
        "Side",
        "Category or pile",
        "P1. Building trust",
        "P2. Mutuality",
        "P3. Choice and control",
        "P4. Hope",
        "Principles supported",
    )
    assert table.rows == (
        ("review category", "Relationships (12 sources)", "yes", "yes", "no", "no", "2"),
        ("review category", "Experiential knowledge (7 sources)", "no", "yes", "no", "no", "1"),
        ("review category", "Recovery (2 sources)", "no", "no", "no", "no", "0"),
        ("panel pile or cluster", "Being heard (group sort 1)", "yes", "no", "no", "no", "1"),
        ("panel pile or cluster", "Equal footing (group sort 1)", "no", "no", "yes", "no", "1"),
        ("panel pile or cluster", "Power (concept map cluster)", "no", "no", "no", "no", "0"),
    )
    assert "3 review categories and 3 panel piles or clusters" in table.caption
    assert "4 draft principles, 5 links. Linked to no principle yet: 2." in table.caption
