"""The codebook: every variable named validly, labelled, and described in HTML and CSV."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest
from markupsafe import escape

from peerprinciples.cli.interchange import register
from peerprinciples.core.documents import DocumentError
from peerprinciples.core.instruments import Instrument, SpecialCode
from peerprinciples.core.interchange.codebook import (
    MAX_NAME,
    code_values,
    codebook,
    codebook_frame,
    render_codebook_html,
    stata_missing,
    unique_name,
    variable_names,
    write_codebook,
)
from peerprinciples.core.library import Library

FIXTURES = Path(__file__).parent / "fixtures"


def test_keys_that_are_not_valid_variable_names_are_renamed(small: Instrument) -> None:
    names = variable_names(small)

    assert names.items == {
        "trust-1": "trust_1",
        "to": "to_",  # a reserved word of SPSS
        "power-1": "power_1",
        "power_1": "power_1_2",  # 'power-1' took the name first
    }
    assert names.domains == {
        "trust-and-safety": "dom_trust_and_safety",
        "shared-power": "dom_shared_power",
    }


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("rel_1", "rel_1"),
        ("experiential-knowledge", "experiential_knowledge"),
        ("in", "in_"),  # reserved in Stata
        ("str12", "str12_"),  # Stata's string types
        ("by", "by_"),
        ("a" * 40, "a" * MAX_NAME),
        ("interview", "interview_2"),  # an identifier's name
    ],
)
def test_a_variable_name_is_valid_for_spss_and_stata(key: str, expected: str) -> None:
    assert unique_name(key, {"interview"}) == expected


def test_names_cut_to_32_characters_stay_unique() -> None:
    taken: set[str] = set()

    first = unique_name("x" * 40, taken)
    second = unique_name("x" * 40 + "-other", taken)

    assert first == "x" * 32
    assert second == "x" * 30 + "_2"
    assert len(second) == MAX_NAME


def test_codes_without_a_value_get_minus_8_then_minus_9_around_taken_values(
    small: Instrument,
) -> None:
    assert code_values(small) == {"NA": -8, "II": -99, "DK": -9}

    crowded = small.model_copy(
        update={
            "codes": [
                SpecialCode(code="A", label="a"),
                SpecialCode(code="B", label="b", value=-9),
                SpecialCode(code="C", label="c"),
            ]
        }
    )
    assert code_values(crowded) == {"A": -8, "B": -9, "C": -10}


def test_a_scale_that_reaches_below_zero_pushes_the_defaults_further(small: Instrument) -> None:
    wide_scale = small.scales[0].model_copy(
        update={"min": -10, "anchors": {p: f"p{p}" for p in range(-10, 6)}}
    )
    shifted = small.model_copy(update={"scales": [wide_scale, *small.scales[1:]]})

    assert code_values(shifted)["NA"] == -11


def test_stata_letters_follow_the_order_of_the_codes(small: Instrument) -> None:
    assert stata_missing(small) == {"NA": "a", "II": "b", "DK": "c"}


def test_more_than_26_codes_cannot_be_stata_missing_values(small: Instrument) -> None:
    many = small.model_copy(
        update={"codes": [SpecialCode(code=f"C{i}", label=f"c{i}") for i in range(27)]}
    )

    with pytest.raises(DocumentError, match="only 26 extended missing values") as caught:
        stata_missing(many)

    assert "SPSS or CSV" in caught.value.problems[0].fix


def test_the_codebook_lists_every_item_of_the_example_index(example: Instrument) -> None:
    book = codebook(example)

    assert [e.key for e in book.items] == [item.key for item in example.items]
    frame = codebook_frame(book)
    assert set(frame.loc[frame["kind"] == "item", "variable"]) == {i.key for i in example.items}


def test_a_codebook_row_gives_everything_about_an_item(small: Instrument) -> None:
    frame = codebook_frame(codebook(small)).set_index("variable")

    row = frame.loc["to_"]
    assert row["key"] == "to"
    assert row["label"] == "How often do you decide for the person?"
    assert row["informants"] == "peer_worker"
    assert row["domain"] == "trust-and-safety"
    assert row["principles"] == "relationships"
    assert row["scale"] == "practice-1-5"
    assert row["value_labels"].startswith("1=Not present; 2=Now and then")
    assert row["codes"] == (
        "-8=NA Not applicable; -99=II Insufficient information; -9=DK Don't know | unsure"
    )
    assert row["stata_missing"] == ".a=NA; .b=II; .c=DK"
    assert row["reverse"] == "yes"
    assert row["required"] == "yes"
    assert row["question_supervisor"] == ""
    trust = frame.loc["trust_1"]
    assert (
        trust["prompts_peer_worker"]
        == "What tells you so? | =1+1, a prompt that looks like a formula"
    )
    assert trust["anchors"].startswith("1: The person does not feel safe. | 2: Safety")
    assert frame.loc["power_1", "required"] == "no"
    assert frame.loc["dom_shared_power", "principles"] == "mutuality; leadership-choice-control"
    assert "notes" not in frame.index


def test_the_codebook_gives_principle_titles_when_it_has_the_framework(
    small: Instrument,
) -> None:
    library = Library()
    frame = codebook_frame(codebook(small, framework=library.framework(small.framework)))

    titles = frame.set_index("variable").loc["dom_trust_and_safety", "principle_titles"]
    assert titles == library.framework(small.framework).principles[0].title


def test_the_notes_variable_is_listed_only_when_notes_are_exported(small: Instrument) -> None:
    assert "notes" in {e.variable for e in codebook(small, include_notes=True).entries}
    assert "notes" not in {e.variable for e in codebook(small).entries}


def test_the_html_codebook_shows_each_question_anchor_code_and_renaming(
    small: Instrument,
) -> None:
    page = render_codebook_html(codebook(small))

    assert page.startswith("<!doctype html>")
    assert '<html lang="en">' in page
    for item in small.items:
        for point in small.scale(item.scale).points:
            assert escape(small.anchor(item, point)) in page
        for question in item.informants.values():
            assert escape(question.question) in page
    assert "<td><code>to</code></td><td><code>to_</code></td>" in page
    assert "Reverse-keyed: the item score is 6 minus the rating." in page
    assert "<code>.c</code>" in page
    assert "Safe, always, and says so." in page


@pytest.mark.parametrize("suffix", [".html", ".csv"])
def test_the_codebook_is_written_as_html_or_csv(
    small: Instrument, tmp_path: Path, suffix: str
) -> None:
    path = write_codebook(codebook(small), tmp_path / f"codebook{suffix}")

    text = path.read_text(encoding="utf-8")
    assert "power_1_2" in text
    if suffix == ".csv":
        assert list(pd.read_csv(path)["variable"])[-3:] == [
            "dom_shared_power",
            "total",
            "total_band",
        ]


def test_a_codebook_in_another_format_is_refused_with_a_fix(
    small: Instrument, tmp_path: Path
) -> None:
    with pytest.raises(DocumentError, match=r"cannot be written as '\.pdf'") as caught:
        write_codebook(codebook(small), tmp_path / "codebook.pdf")

    assert caught.value.problems[0].fix == "end the file name in .html or .csv."
    assert not list(tmp_path.iterdir())


def test_the_codebook_command_writes_the_file_named(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(
        ["codebook", "enrich-example-index", "--out", str(tmp_path / "codebook.html")]
    )

    assert args.handler(args, Library()) == 0

    page = (tmp_path / "codebook.html").read_text(encoding="utf-8")
    assert "Codebook: Example principles-based fidelity index" in page
    assert "Relationships built on shared lived experience" in page
