"""REDCap: data dictionaries from elsewhere as draft instruments, damaged ones included."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest

from peerprinciples.cli.interchange import register
from peerprinciples.core.documents import DocumentError
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.interchange.redcap import (
    data_dictionary,
    read_data_dictionary,
)
from peerprinciples.core.library import Library

FIXTURES = Path(__file__).parent / "fixtures"
REAL_WORLD = FIXTURES / "redcap_real_world.csv"


# --- reading dictionaries from elsewhere ------------------------------------------------------


def test_a_real_world_dictionary_maps_its_rating_fields(tmp_path: Path) -> None:
    result = read_data_dictionary(REAL_WORLD)

    data = result.data
    assert [i["key"] for i in data["items"]] == [
        "wellbeing_1", "wellbeing_2", "wellbeing_3", "stress_sources", "support_1", "support_2",
        "support_3",
    ]  # fmt: skip
    assert [i["key"] for i in data["informants"]] == ["wellbeing_survey", "peer_support"]
    wellbeing = data["items"][0]
    assert wellbeing["informants"] == {
        "wellbeing_survey": {
            "question": "I've been feeling optimistic about the future",
            "redcap": {
                "field": "wellbeing_1",
                "form": "wellbeing_survey",
                "codes": {777: "REF", 999: "DK"},
            },
        }
    }
    assert data["items"][5]["informants"]["peer_support"]["question"] == (
        "My peer worker & I plan together"
    )
    assert data["items"][6]["informants"]["peer_support"]["prompts"] == [
        "Probe: ask for an example"
    ]
    assert [(d["key"], d["title"]) for d in data["domains"]] == [
        ("wellbeing", "Wellbeing"),
        ("stress-ratings", "Stress ratings"),
        ("support-from-peers", "Support from peers"),
    ]
    assert data["domains"][0]["description"] == (
        "Over the last two weeks, how often have you felt the following?"
    )
    assert [(s["min"], s["max"]) for s in data["scales"]] == [(1, 5), (0, 5), (0, 2)]
    assert data["scales"][0]["anchors"][3] == "Some of the time"
    # "Not applicable" is -1 in one field and 9 in another: one code, outside every scale
    assert [(c["code"], c["value"], c["label"]) for c in data["codes"]] == [
        ("DK", 999, "Don't know"),
        ("REF", 777, "Decline to answer"),
        ("NA", -8, "Not applicable"),
    ]
    redcap = {i["key"]: i["informants"]["peer_support"]["redcap"] for i in data["items"][4:6]}
    assert redcap["support_1"] == {
        "field": "support_1",
        "form": "peer_support",
        "codes": {-1: "NA"},
    }
    assert redcap["support_2"]["codes"] == {9: "NA"}
    assert result.instrument is not None
    assert result.layout.record_id == "participant_id"


def test_a_real_world_dictionary_lists_everything_it_cannot_map() -> None:
    result = read_data_dictionary(REAL_WORLD)

    listed = [(p.row, p.field_name, p.column) for p in result.not_mapped]
    assert listed == [
        (4, "consent_yn", "Field Type"),
        (5, "intro_text", "Field Type"),
        (8, "wellbeing_3", "Branching Logic (Show field only if...)"),
        (8, "wellbeing_3", "Field Annotation"),
        (9, "wellbeing_total", "Field Type"),
        (10, "services_used", "Field Type"),
        (11, "sleep_slider", "Field Type"),
        (13, "sex_at_birth", "Choices, Calculations, OR Slider Labels"),
        (14, "mood_scale", "Field Type"),
        (15, "wellbeing_1", "Variable / Field Name"),
        (16, "extra_notes", "row"),
    ]
    messages = {p.field_name: str(p) for p in result.not_mapped}
    assert "'likert' is not a REDCap field type" in messages["mood_scale"]
    assert "already used on row 6" in messages["wellbeing_1"]
    assert "21 cells but the header has 18" in messages["extra_notes"]
    assert "@HIDDEN-SURVEY, @DEFAULT" in str(result.not_mapped[3])
    assert str(result.not_mapped[1]).startswith(f"{REAL_WORLD}, row 5, field 'intro_text'")
    assert [(p.row, p.field_name) for p in result.record_fields] == [
        (2, "participant_id"),
        (3, "intake_date"),
    ]
    assert any("unknown@0" in note for note in result.notes)


def test_the_api_column_names_are_read_too(tmp_path: Path) -> None:
    path = tmp_path / "api.csv"
    path.write_text(
        "field_name,form_name,section_header,field_type,field_label,"
        "select_choices_or_calculations\n"
        "id,visit,,text,ID,\n"
        'q1,visit,Trust,radio,"Trusted?","1, No | 2, Somewhat | 3, Yes"\n',
        encoding="utf-8",
    )

    result = read_data_dictionary(path)

    assert [i["key"] for i in result.data["items"]] == ["q1"]
    assert result.instrument is not None


def test_a_dictionary_in_windows_1252_is_read_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(
        (
            '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label",'
            '"Choices, Calculations, OR Slider Labels"\n'
            "id,visit,,text,ID,\n"
            'q1,visit,,radio,"Sécurité","1, Pas du tout | 2, Un peu | 3, Tout à fait"\n'
        ).encode("cp1252")
    )

    result = read_data_dictionary(path)

    assert result.data["items"][0]["informants"]["visit"]["question"] == "Sécurité"
    assert any("Windows-1252" in note for note in result.notes)


def test_an_unclosed_quote_is_reported_and_the_rows_before_it_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(
        '"Variable / Field Name","Form Name","Section Header","Field Type","Field Label",'
        '"Choices, Calculations, OR Slider Labels"\n'
        "id,visit,,text,ID,\n"
        'q1,visit,,radio,"Trusted?","1, No | 2, Yes"\n'
        'q2,visit,,radio,"Safe?,"1, No | 2, Yes\n',
        encoding="utf-8",
    )

    result = read_data_dictionary(path)

    assert [i["key"] for i in result.data["items"]] == ["q1"]
    broken = [p for p in result.not_mapped if "cannot be read" in p.message]
    assert len(broken) == 1
    assert broken[0].row == 4
    assert "double quote" in broken[0].fix


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"name,age\nx,3\n", "not a REDCap data dictionary"),
        (b"\x00\x01binary", "not a REDCap data dictionary"),
    ],
)
def test_a_file_that_is_not_a_dictionary_is_refused_with_a_fix(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "not.csv"
    path.write_bytes(content)

    with pytest.raises(DocumentError, match=message) as caught:
        read_data_dictionary(path)

    problem = caught.value.problems[0]
    assert problem.source == str(path)
    assert "Data Dictionary" in problem.fix


def test_a_missing_dictionary_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="there is no such file"):
        read_data_dictionary(tmp_path / "nowhere.csv")


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    return int(args.handler(args, Library()))


def test_importing_a_dictionary_without_items_exits_with_1(tmp_path: Path) -> None:
    path = tmp_path / "none.csv"
    path.write_text(
        '"Variable / Field Name","Form Name","Field Type","Field Label"\nid,f,text,ID\n',
        encoding="utf-8",
    )

    assert _run("redcap", "import-dictionary", str(path), "--out", str(tmp_path / "d.yaml")) == 1
    assert (tmp_path / "d.yaml").exists()


GARBLED = [
    ('""reverse"":false', '""reverse"":""maybe""'),
    ('""domain"":""', '""domain"":""Not A Key '),
    ('""min"":1,', '""min"":""one"",'),
    ('""anchors"":{""1""', '""anchors"":{""x""'),
    ('""scale"":""', '""scale"":5,""was"":""'),
    ('""item"":""', '""item"":[],""was"":""'),
    ('""codes"":[', '""codes"":[7,'),
]


def test_damaged_dictionaries_are_read_or_refused_but_never_crash(
    small: Instrument, tmp_path: Path
) -> None:
    rng = np.random.default_rng(7)
    sources = [REAL_WORLD.read_text(encoding="utf-8-sig")]
    sources.append(data_dictionary(small).to_csv(index=False))
    path = tmp_path / "damaged.csv"
    outcomes = {"read": 0, "refused": 0}
    for attempt in range(80):
        text = sources[attempt % 2]
        cut = sorted(rng.integers(0, len(text), size=2))
        kind = attempt % 5
        if kind == 0:  # a piece cut out
            damaged = text[: cut[0]] + text[cut[1] :]
        elif kind == 1:  # a stray quote
            damaged = text[: cut[0]] + '"' + text[cut[0] :]
        elif kind == 2:  # cells shifted by a comma
            damaged = text[: cut[0]] + "," + text[cut[0] :]
        elif kind == 3:  # the annotations still JSON, but not what they should say
            wrong = GARBLED[attempt % len(GARBLED)]
            damaged = text.replace(wrong[0], wrong[1])
        else:  # a row repeated elsewhere
            lines = text.splitlines(keepends=True)
            position = int(rng.integers(1, len(lines)))
            damaged = "".join([*lines[:position], lines[position - 1], *lines[position:]])
        path.write_text(damaged, encoding="utf-8")
        try:
            result = read_data_dictionary(path)
        except DocumentError:
            outcomes["refused"] += 1
        else:
            outcomes["read"] += 1
            assert all(p.row is None or p.row >= 1 for p in result.not_mapped)
    assert outcomes["read"] > 50


def test_two_field_names_that_give_the_same_item_key_are_listed_not_merged(
    tmp_path: Path,
) -> None:
    path = tmp_path / "names.csv"
    path.write_text(
        "field_name,form_name,field_type,field_label,select_choices_or_calculations\n"
        "id,visit,text,ID,\n"
        'q.1,visit,radio,"First","1, No | 2, Yes"\n'
        'q_1,visit,radio,"Second","1, No | 2, Yes"\n',
        encoding="utf-8",
    )

    result = read_data_dictionary(path)

    assert result.instrument is not None
    assert [i.key for i in result.instrument.items] == ["q_1"]
    (problem,) = result.not_mapped
    assert (problem.row, problem.field_name, problem.column) == (4, "q_1", "Variable / Field Name")
    assert "gives the item key 'q_1', which an earlier field's name gives too" in problem.message
