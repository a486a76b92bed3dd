"""REDCap: instruments as data dictionaries and back, and records as ratings."""

from __future__ import annotations

import argparse
import csv
import math
import re
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from peerprinciples.cli.interchange import register
from peerprinciples.core.demo_data import demo_ratings
from peerprinciples.core.documents import DocumentError
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.interchange.codebook import code_values
from peerprinciples.core.interchange.redcap import (
    DICTIONARY_COLUMNS,
    data_dictionary,
    read_data_dictionary,
    read_redcap_records,
    record_layout,
    redcap_ratings,
    write_data_dictionary,
)
from peerprinciples.core.library import Library
from peerprinciples.core.ratings import RatingsError, RatingsTable, read_ratings
from peerprinciples.core.scoring import score

FIXTURES = Path(__file__).parent / "fixtures"
REAL_WORLD = FIXTURES / "redcap_real_world.csv"


@pytest.fixture(scope="module")
def small() -> Instrument:
    model = Library().check_file(FIXTURES / "interchange_small_index.yaml").raise_for_problems()
    assert isinstance(model, Instrument)
    return model


@pytest.fixture(scope="module")
def example() -> Instrument:
    return Library().instrument("enrich-example-index")


@pytest.fixture(scope="module")
def demo(example: Instrument) -> pd.DataFrame:
    return demo_ratings(example, services=2, rounds=2)


# --- writing the dictionary -------------------------------------------------------------------


def test_the_dictionary_has_redcaps_18_columns_and_the_record_id_first(
    example: Instrument,
) -> None:
    frame = data_dictionary(example)

    assert list(frame.columns) == list(DICTIONARY_COLUMNS)
    assert len(DICTIONARY_COLUMNS) == 18
    assert frame.iloc[0]["Variable / Field Name"] == "record_id"
    assert frame["Variable / Field Name"].is_unique
    assert frame["Variable / Field Name"].str.fullmatch(r"[a-z][a-z0-9_]*").all()


def test_each_informant_has_a_form_and_each_item_a_radio_field(small: Instrument) -> None:
    frame = data_dictionary(small).set_index("Variable / Field Name")

    assert list(dict.fromkeys(frame["Form Name"])) == ["peer_worker", "supervisor"]
    field = frame.loc["pw_trust_1"]
    assert field["Field Type"] == "radio"
    assert field["Form Name"] == "peer_worker"
    assert field["Field Label"] == "How safe does the person feel with you?"
    assert field["Section Header"] == "Trust and safety"
    assert field["Choices, Calculations, OR Slider Labels"] == (
        '1, The person does not feel safe. | 2, Safety comes and goes, "mostly" not. | '
        "3, Safe at some times, not at others. | 4, Safe at most times, with an exception or "
        "two. | 5, Safe, always, and says so. | -8, Not applicable | "
        "-99, Insufficient information | -9, Don't know / unsure"
    )
    assert field["Field Note"] == "What tells you so?\n=1+1, a prompt that looks like a formula"
    assert field["Required Field?"] == "y"
    # the scale's own labels where an item has no anchors of its own
    choices = frame["Choices, Calculations, OR Slider Labels"]
    assert choices["sup_power_1_2"].startswith("1, Not present | 2, Now and then")
    assert choices["sup_power_1"].startswith("0, Not at all | 1, Partly | 2, Fully | -8,")
    assert frame.loc["pw_power_1", "Required Field?"] == ""  # optional item
    assert "pw_power_1_2" not in frame.index  # 'power_1' is asked of the supervisor only
    assert frame.loc["sup_power_1_2", "Field Label"] == "How much say does the person have?"
    assert frame.loc["pw_dom_trust_and_safety", "Field Type"] == "calc"
    assert frame.loc["pw_date", "Text Validation Type OR Show Slider Number"] == "date_ymd"


def test_the_dictionary_file_is_utf8_csv_that_reads_back_unchanged(
    small: Instrument, tmp_path: Path
) -> None:
    path = write_data_dictionary(small, tmp_path / "dictionary.csv")

    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))

    assert rows[0] == list(DICTIONARY_COLUMNS)
    assert rows[1:] == data_dictionary(small).to_numpy().tolist()


# --- calculated fields ------------------------------------------------------------------------


def redcap_calc(expression: str, values: Mapping[str, float]) -> float:
    """Evaluate a REDCap calculation the way REDCap documents it.

    A field's value is its code; a blank field or "" is blank; comparisons with a blank are
    false; ``sum()`` and ``mean()`` skip blanks (``mean()`` of nothing is blank).
    """
    python = re.sub(r'\[(\w+)\] <> ""', r'not_blank("\1")', expression)
    python = re.sub(r"\[(\w+)\]", r'v("\1")', python)
    python = re.sub(r'"(-?\d+)"', r"\1", python)
    python = python.replace('""', "BLANK").replace("<>", "!=")
    python = re.sub(r"(?<![<>!=])=(?!=)", "==", python)
    python = re.sub(r"\bif\(", "when(", python)

    def kept(args: tuple[float, ...]) -> list[float]:
        return [a for a in args if not math.isnan(a)]

    names = {
        "when": lambda condition, yes, no: yes if condition else no,
        "sum": lambda *args: float(sum(kept(args))),
        "mean": lambda *args: float(np.mean(kept(args))) if kept(args) else math.nan,
        "v": lambda name: values.get(name, math.nan),
        "not_blank": lambda name: not math.isnan(values.get(name, math.nan)),
        "BLANK": math.nan,
    }
    return float(eval(python, {"__builtins__": {}}, names))


def _check_calculations(table: RatingsTable) -> int:
    """Compare REDCap's calculated scores with peerprinciples' for every rater's own ratings."""
    instrument = table.instrument
    dictionary = data_dictionary(instrument).set_index("Variable / Field Name")
    calcs = dictionary["Choices, Calculations, OR Slider Labels"]
    layout = record_layout(instrument)
    values = code_values(instrument)
    scores = score(table)
    domains = scores.domain_scores.set_index(["interview", "rater", "domain"])["score"]
    totals = scores.total_scores.set_index(["interview", "rater"])["score"]
    checked = 0
    for (interview, rater), rows in table.data.groupby(["interview", "rater"], observed=True):
        if rater == "consensus":
            continue
        form = layout.form(str(rows["informant"].iloc[0]))
        by_item = {key: name for name, key in form.items.items()}
        fields: dict[str, float] = {}
        for item, rating, code in zip(rows["item"], rows["rating"], rows["code"], strict=True):
            fields[by_item[item]] = float(values[code]) if isinstance(code, str) else rating
        for domain, name in form.domain_scores.items():
            fields[name] = redcap_calc(calcs[name], fields)
            expected = domains.get((interview, rater, domain), math.nan)
            assert fields[name] == pytest.approx(expected, nan_ok=True), (interview, domain)
            checked += 1
        assert form.total
        got = redcap_calc(calcs[form.total], fields)
        assert got == pytest.approx(totals[(interview, rater)], nan_ok=True), interview
    return checked


def test_redcaps_domain_and_total_scores_follow_the_scoring_rules(
    example: Instrument, demo: pd.DataFrame
) -> None:
    checked = _check_calculations(read_ratings(demo, example))

    assert checked > 100


def test_redcaps_scores_count_answered_codes_and_reverse_keyed_items(small: Instrument) -> None:
    table = read_ratings(FIXTURES / "small_ratings.csv", small)

    assert _check_calculations(table) >= 8


def test_a_special_code_never_enters_redcaps_mean(small: Instrument) -> None:
    calc = (
        data_dictionary(small)
        .set_index("Variable / Field Name")
        .loc["pw_dom_trust_and_safety", "Choices, Calculations, OR Slider Labels"]
    )

    assert redcap_calc(calc, {"pw_trust_1": 4, "pw_to": -8}) == 4.0
    assert redcap_calc(calc, {"pw_trust_1": 4, "pw_to": 1}) == 4.5  # 'to' reversed: 6 - 1
    assert math.isnan(redcap_calc(calc, {"pw_trust_1": -8, "pw_to": -99}))


# --- the round trip ---------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["example", "small"])
def test_instrument_to_dictionary_and_back_keeps_everything(
    which: str, example: Instrument, small: Instrument, tmp_path: Path
) -> None:
    instrument = example if which == "example" else small
    path = write_data_dictionary(instrument, tmp_path / "dictionary.csv")

    result = read_data_dictionary(path)

    assert result.problems == ()
    assert result.instrument == instrument
    assert result.not_mapped == ()
    kept = {p.field_name for p in result.record_fields}
    assert kept == {
        name
        for name in data_dictionary(instrument)["Variable / Field Name"]
        if not any(name in form.items for form in record_layout(instrument).forms)
    }


def test_without_annotations_every_question_and_anchor_still_comes_back(
    small: Instrument, tmp_path: Path
) -> None:
    frame = data_dictionary(small)
    frame["Field Annotation"] = ""
    path = tmp_path / "plain.csv"
    frame.to_csv(path, index=False)

    result = read_data_dictionary(path, framework="enrich@2017")

    draft = result.instrument
    assert draft is not None
    assert len(draft.items) == sum(len(i.informants) for i in small.items)
    fields = {form.informant: form.items for form in record_layout(small).forms}
    for item in small.items:
        for informant, question in item.informants.items():
            name = next(f for f, key in fields[informant].items() if key == item.key)
            got = draft.item(name)
            assert got.informants[informant].question == question.question
            scale = small.scale(item.scale)
            assert [draft.anchor(got, p) for p in draft.scale(got.scale).points] == [
                small.anchor(item, p) for p in scale.points
            ]
    assert {c.value for c in draft.codes} == {-8, -99, -9}
    assert {(s.min, s.max) for s in draft.scales} == {(1, 5), (0, 2)}
    assert {d.title for d in draft.domains} == {"Trust and safety", "Shared power"}


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


# --- records ----------------------------------------------------------------------------------


def write_records(frame: pd.DataFrame, instrument: Instrument, path: Path) -> Path:
    """A records export as REDCap writes it for a project made from our dictionary.

    Every form is a repeating instrument (several raters, several people supported); each
    instance holds one interview by one rater.
    """
    layout = record_layout(instrument)
    values = code_values(instrument)
    header = ["record_id", "redcap_event_name", "redcap_repeat_instrument"]
    header += ["redcap_repeat_instance", "redcap_data_access_group"]
    for form in layout.forms:
        header += [str(form.interview), str(form.rater), str(form.date), *form.items]
        header += [*form.domain_scores.values(), str(form.total), str(form.notes)]
        header.append(f"{form.form}_complete")
    rows = []
    for (interview, rater), group in frame.groupby(["interview", "rater"], sort=False):
        first = group.iloc[0]
        form = layout.form(first["informant"])
        row = dict.fromkeys(header, "")
        row.update(
            {
                "record_id": first["peer_worker"],
                "redcap_event_name": f"round_{first['round']}_arm_1",
                "redcap_repeat_instrument": form.form,
                "redcap_repeat_instance": str(len(rows) + 1),
                "redcap_data_access_group": str(first["service"]).lower(),
                str(form.interview): interview,
                str(form.rater): rater,
                str(form.date): first["date"] if isinstance(first["date"], str) else "",
                f"{form.form}_complete": "2",
            }
        )
        by_item = {key: name for name, key in form.items.items()}
        for item, rating in zip(group["item"], group["rating"], strict=True):
            text = str(rating)
            row[by_item[item]] = str(values[text]) if text in values else text
        rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _ratings(table: RatingsTable) -> list[tuple[str, ...]]:
    data = table.data[["interview", "item", "rater", "rating", "code"]].astype(str)
    return sorted(map(tuple, data.to_numpy().tolist()))


def test_records_read_back_as_the_ratings_they_were_made_from(
    example: Instrument, demo: pd.DataFrame, tmp_path: Path
) -> None:
    path = write_records(demo, example, tmp_path / "records.csv")

    table = redcap_ratings(path, example)

    source = read_ratings(demo, example)
    assert _ratings(table) == _ratings(source)
    assert table.columns == ("service", "peer_worker", "round", "date")
    first = table.data.iloc[0]
    assert (first["service"], first["round"]) == ("s01", "round_1")


def test_records_read_through_an_imported_dictionary(small: Instrument, tmp_path: Path) -> None:
    frame = pd.read_csv(FIXTURES / "small_ratings.csv", dtype=str, keep_default_na=False)
    records = write_records(frame, small, tmp_path / "records.csv")
    imported = read_data_dictionary(write_data_dictionary(small, tmp_path / "dd.csv"))

    table = redcap_ratings(records, small, imported)

    assert _ratings(table) == _ratings(read_ratings(FIXTURES / "small_ratings.csv", small))


def _simple_records(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "records.csv"
    path.write_text(
        "record_id,redcap_event_name,redcap_data_access_group,pw_interview,pw_rater,pw_trust_1,"
        "pw_to,pw_power_1,peer_worker_complete\n" + body,
        encoding="utf-8",
    )
    return path


def test_records_map_record_event_and_group_to_peer_worker_round_and_service(
    small: Instrument, tmp_path: Path
) -> None:
    path = _simple_records(tmp_path, "PW1,baseline_arm_1,site_a,,,4,-8,2,2\n")

    frame = read_redcap_records(path, small)

    assert frame.to_dict("records") == [
        {
            "interview": "PW1/baseline/peer_worker",
            "informant": "peer_worker",
            "item": item,
            "rating": rating,
            "rater": "redcap",
            "peer_worker": "PW1",
            "service": "site_a",
            "round": "baseline",
        }
        for item, rating in (("trust-1", "4"), ("to", "NA"), ("power-1", "2"))
    ]


def test_a_value_that_is_no_choice_is_reported_with_its_row_and_field(
    small: Instrument, tmp_path: Path
) -> None:
    path = _simple_records(tmp_path, "PW1,,,I1,R1,4,3,2,2\nPW2,,,I2,R1,7,3,Fully,2\n")

    with pytest.raises(RatingsError) as caught:
        read_redcap_records(path, small)

    problems = {p.path[0]: p for p in caught.value.problems}
    assert sorted((p.line, field) for field, p in problems.items()) == [
        (3, "pw_power_1"),
        (3, "pw_trust_1"),
    ]
    trust = str(problems["pw_trust_1"])
    assert "'7' is not a choice of the field 'pw_trust_1' (item 'trust-1')" in trust
    assert "1 to 5, or the codes -8 (NA), -99 (II), -9 (DK)" in trust
    assert "raw data (codes), not labels" in problems["pw_power_1"].fix


def test_only_complete_forms_are_read_when_asked(small: Instrument, tmp_path: Path) -> None:
    path = _simple_records(tmp_path, "PW1,,,I1,R1,4,3,2,2\nPW2,,,I2,R1,5,3,1,0\n")

    everything = read_redcap_records(path, small)
    complete = read_redcap_records(path, small, only_complete=True)

    assert set(everything["interview"]) == {"I1", "I2"}
    assert set(complete["interview"]) == {"I1"}
    assert complete.attrs["skipped_incomplete"] == 1


def test_an_export_without_the_item_fields_is_refused_with_a_fix(
    small: Instrument, tmp_path: Path
) -> None:
    path = tmp_path / "records.csv"
    path.write_text("record_id,age\n1,30\n", encoding="utf-8")

    with pytest.raises(RatingsError, match="none of the item fields") as caught:
        read_redcap_records(path, small)

    assert "raw data" in caught.value.problems[0].fix


# --- commands ---------------------------------------------------------------------------------


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    return int(args.handler(args, Library()))


def test_the_redcap_commands_make_a_dictionary_a_draft_and_ratings(
    example: Instrument, demo: pd.DataFrame, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dictionary = tmp_path / "dictionary.csv"
    draft = tmp_path / "draft.yaml"
    ratings = tmp_path / "ratings.csv"
    records = write_records(demo, example, tmp_path / "records.csv")

    assert _run("redcap", "dictionary", "enrich-example-index", "--out", str(dictionary)) == 0
    assert _run("redcap", "import-dictionary", str(dictionary), "--out", str(draft)) == 0
    assert (
        _run(
            "redcap",
            "import-records",
            str(records),
            "--instrument",
            str(draft),
            "--out",
            str(ratings),
        )
        == 0
    )

    assert Library().check_file(draft).raise_for_problems() == example
    assert _ratings(read_ratings(ratings, example)) == _ratings(read_ratings(demo, example))
    err = capsys.readouterr().err
    assert "Read with the records or recomputed, not items: record_id, pw_interview" in err
    assert "not mapped" not in err


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
