"""REDCap dictionaries shaped like real public projects give valid drafts, and records read right.

The fixtures are written for these tests after reading public REDCap data dictionaries: a
clinical trial's follow-up project (yes/no fields with "3, Unknown", a misspelt "Unkown", an
edge "Uncertain", a 1 to 5 symptom checklist where 3 is a point, multi-line section headers,
branching logic, calculated totals), a voice-study screening project (matrix groups under
rich-text section headers, text choice codes, yes/no and checkbox fields, an agreement scale
whose middle is "Uncertain" and whose "Prefer not to say" is 9) and a case-report registry of an
older REDCap (17 columns without annotations, Windows line ends, "1, Yes | 0, No | 99,
Unknown", "0, Unknown" before points, a published-style 0, 1, 2, 3, 5 scale, "88, Other").
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest
import yaml

from peerprinciples.cli.interchange import register
from peerprinciples.core.documents import YamlDocument
from peerprinciples.core.instruments import Instrument, check_instrument_data
from peerprinciples.core.interchange.redcap import (
    DictionaryImport,
    data_dictionary,
    read_data_dictionary,
    read_redcap_records,
    record_layout,
    write_data_dictionary,
)
from peerprinciples.core.library import Library
from peerprinciples.core.ratings import RatingsError, read_ratings
from peerprinciples.core.scoring import score

FIXTURES = Path(__file__).parent / "fixtures"
TRIAL = FIXTURES / "redcap_trial_followup.csv"
SCREENING = FIXTURES / "redcap_voice_screening.csv"
REGISTRY = FIXTURES / "redcap_registry_17_columns.csv"
CHOICES = "Choices, Calculations, OR Slider Labels"

NOT_MAPPED = {
    TRIAL: [
        (4, "age_at_entry", "Field Type"),
        (7, "current_treatment", "Field Type"),
        (8, "risk_notes", "Field Type"),
        (12, "dist_total", "Field Type"),
        (13, "contact_days", "Field Type"),
        (15, "harm_resolved", "Branching Logic (Show field only if...)"),
        (18, "harm_details", "Field Type"),
        (22, "fu_dist_total", "Field Type"),
    ],
    SCREENING: [
        (5, "consent_route", "Choices, Calculations, OR Slider Labels"),
        (7, "enrolled", "Field Type"),
        (12, "heard_from", "Choices, Calculations, OR Slider Labels"),
        (13, "heard_from_other", "Field Type"),
        (14, "extra_languages", "Field Type"),
        (15, "other_language", "Field Type"),
        (17, "app_trust", "Field Annotation"),
    ],
    REGISTRY: [
        (3, "seen_at", "Field Type"),
        (10, "housing", "Choices, Calculations, OR Slider Labels"),
        (11, "housing_other", "Field Type"),
        (12, "weight_kg", "Field Type"),
        (13, "visit_notes", "Field Type"),
    ],
}


def _points(instrument: Instrument) -> set[int]:
    return {p for scale in instrument.scales for p in scale.points}


def _redcap(result: DictionaryImport, item: str) -> dict[str, object]:
    entry = next(i for i in result.data["items"] if i["key"] == item)
    (question,) = entry["informants"].values()
    redcap = question["redcap"]
    assert isinstance(redcap, dict)
    return redcap


@pytest.mark.parametrize("path", list(NOT_MAPPED), ids=lambda p: p.stem)
def test_each_dictionary_gives_a_valid_draft_and_a_list_of_what_is_not_mapped(
    path: Path,
) -> None:
    result = read_data_dictionary(path)

    assert result.problems == ()
    assert result.instrument is not None
    assert [(p.row, p.field_name, p.column) for p in result.not_mapped] == NOT_MAPPED[path]
    for problem in result.not_mapped:
        assert problem.message, str(problem)
        assert problem.fix, str(problem)
    # every special code lies outside every scale, so the two are never confused
    assert not {c.value for c in result.instrument.codes} & _points(result.instrument)


def test_unknown_numbered_3_beside_yes_no_is_a_code_while_3_is_a_point_elsewhere() -> None:
    result = read_data_dictionary(TRIAL)

    draft = result.instrument
    assert draft is not None
    codes = {c.code: (c.label, c.value) for c in draft.codes}
    assert codes == {"UNK": ("Unknown", -8), "DK": ("Uncertain", -9), "MISS": ("Not asked", 6)}
    assert _redcap(result, "alcohol_last_month") == {
        "field": "alcohol_last_month",
        "form": "enrolment",
        "codes": {3: "UNK"},
    }
    assert _redcap(result, "harm_resolved")["codes"] == {3: "UNK"}  # spelt "Unkown" there
    assert _redcap(result, "feels_safe")["codes"] == {3: "DK"}
    assert _redcap(result, "fu_dist_3")["codes"] == {6: "MISS"}
    assert "codes" not in _redcap(result, "dist_1")
    assert draft.scale(draft.item("dist_1").scale).anchors[3] == "Moderately"
    assert draft.scale(draft.item("back_to_routine").scale).anchors[3] == "Not yet"
    assert any("'Unkown' is read as the special code UNK ('Unknown')" in n for n in result.notes)
    assert [d.title for d in draft.domains] == [
        "Enrolment",
        "DISTRESS CHECKLIST - AT ENTRY",
        "SAFETY SINCE LAST CONTACT",
        "DISTRESS CHECKLIST - FOLLOW-UP",
    ]
    assert draft.item("dist_2").informants["enrolment"].question == (
        '2. Feeling "on edge" or easily startled?'
    )


def test_matrix_groups_rich_text_headers_and_an_uncertain_middle_point() -> None:
    result = read_data_dictionary(SCREENING)

    draft = result.instrument
    assert draft is not None
    agree = draft.scale(draft.item("app_easy").scale)
    assert (agree.min, agree.max, agree.anchors[3]) == (1, 5, "Uncertain")
    assert [(c.code, c.label, c.value) for c in draft.codes] == [("REF", "Prefer not to say", 9)]
    assert {
        item: _redcap(result, item).get("codes") for item in ("app_easy", "app_trust", "app_again")
    } == {key: {9: "REF"} for key in ("app_easy", "app_trust", "app_again")}
    voice = draft.domain(draft.item("hoarse_voice").domain)
    assert voice.title == "Has a clinician ever told you that you have any of these?"
    assert voice.description == "(Tick each one that applies now) Voice problems"
    assert draft.item("worry").domain == draft.item("low_mood").domain == "mood-and-wellbeing"
    messages = {p.field_name: p.message for p in result.not_mapped}
    assert "'paper' is not a whole number" in messages["consent_route"]
    assert "@DEFAULT" in messages["app_trust"]


def test_an_old_17_column_dictionary_with_gapped_and_per_field_unknown_codes() -> None:
    result = read_data_dictionary(REGISTRY)

    draft = result.instrument
    assert draft is not None
    # 'Unknown' is 99 in two fields and 0 in another, where 0 is also a point of other scales
    assert [(c.code, c.value) for c in draft.codes] == [("UNK", -8), ("MISS", -1)]
    assert _redcap(result, "has_diabetes")["codes"] == {99: "UNK"}
    assert _redcap(result, "smoking")["codes"] == {0: "UNK"}
    smoking = draft.scale(draft.item("smoking").scale)
    assert (smoking.min, smoking.max) == (1, 3)
    gapped = draft.scale(draft.item("distress_now").scale)
    assert (gapped.key, gapped.min, gapped.max) == ("scale-0-5-without-4", 0, 5)
    assert gapped.title == "Scale from 0 to 5 (REDCap skips 4)"
    assert gapped.anchors[4] == "(not a choice in REDCap)"
    assert gapped.anchors[5] == "Extremely"
    assert any("the choices 0, 1, 2, 3, 5 skip 4" in note for note in result.notes)
    housing = next(p for p in result.not_mapped if p.field_name == "housing")
    assert "1, 2, 3, 4, 88 leave 83 numbers between 1 and 88 unused" in housing.message
    assert "label any special code as such" in housing.fix


# --- records using REDCap's own numbers ---------------------------------------------------------

TRIAL_RECORDS = """\
participant,redcap_event_name,enrolment_date,referral_route,alcohol_last_month,dist_1,dist_2,\
dist_3,enrolment_complete,harm_since_contact,harm_resolved,back_to_routine,feels_safe,\
check_in_call_complete,fu_dist_1,fu_dist_2,fu_dist_3,distress_follow_up_complete
P01,entry_arm_1,2024-03-01,2,3,3,4,5,2,,,,,,,,,
P01,week_4_arm_1,,,,,,,,1,3,3,3,2,3,2,6,2
P02,entry_arm_1,2024-03-04,1,2,1,3,2,2,,,,,,,,,
"""

REGISTRY_RECORDS = (
    "record_id,seen_at,visit_kind,has_diabetes,has_asthma,smoking,distress_now,pain_today,"
    "housing,housing_other,weight_kg,visit_notes,case_report_complete\r\n"
    "R1,2024-05-01 10:00:00,1,99,0,0,5,-1,88,boat,70,,2\r\n"
    "R2,2024-05-02 11:30:00,2,1,99,3,0,2,1,,81,,2\r\n"
)


def _by_cell(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    return {
        (str(r.peer_worker), str(r.item)): str(r.rating)
        for r in frame.itertuples()
        if r.round != "week_4" or r.informant != "enrolment"
    } | {
        (f"{r.peer_worker}@{r.round}", str(r.item)): str(r.rating)
        for r in frame.itertuples()
        if r.round == "week_4"
    }


def test_trial_records_in_redcaps_numbers_read_to_the_right_codes_and_score(
    tmp_path: Path,
) -> None:
    result = read_data_dictionary(TRIAL)
    records = tmp_path / "records.csv"
    records.write_text(TRIAL_RECORDS, encoding="utf-8")

    frame = read_redcap_records(records, result)

    cells = _by_cell(frame)
    assert cells[("P01", "alcohol_last_month")] == "UNK"
    assert cells[("P01", "dist_1")] == "3"
    assert cells[("P02", "alcohol_last_month")] == "2"
    assert cells[("P01@week_4", "harm_resolved")] == "UNK"
    assert cells[("P01@week_4", "back_to_routine")] == "3"
    assert cells[("P01@week_4", "feels_safe")] == "DK"
    assert cells[("P01@week_4", "fu_dist_3")] == "MISS"
    assert result.instrument is not None
    table = read_ratings(frame, result.instrument, layout="long")
    coded = table.data.dropna(subset=["code"])
    assert sorted(map(str, coded["code"])) == ["DK", "MISS", "UNK", "UNK"]
    domains = score(table).domain_scores
    entry = domains[
        (domains["domain"] == "distress-checklist-at-entry")
        & domains["interview"].str.startswith("P01/")
    ]
    assert entry["score"].tolist() == [4.0]
    follow_up = domains[domains["domain"] == "distress-checklist-follow-up"]
    # 'Not asked' is missing: the mean of the two items rated
    assert follow_up["score"].tolist() == [2.5]


def test_registry_records_read_0_and_99_as_unknown_only_where_redcap_says_so(
    tmp_path: Path,
) -> None:
    result = read_data_dictionary(REGISTRY)
    records = tmp_path / "records.csv"
    records.write_bytes(REGISTRY_RECORDS.encode("utf-8"))

    frame = read_redcap_records(records, result)

    cells = {(r.peer_worker, r.item): r.rating for r in frame.itertuples()}
    assert cells[("R1", "has_diabetes")] == "UNK"
    assert cells[("R1", "has_asthma")] == "0"
    assert cells[("R1", "smoking")] == "UNK"
    assert cells[("R2", "smoking")] == "3"
    assert cells[("R1", "distress_now")] == "5"
    assert cells[("R2", "distress_now")] == "0"
    assert cells[("R1", "pain_today")] == "MISS"
    assert ("R1", "housing") not in cells
    assert result.instrument is not None
    table = read_ratings(frame, result.instrument, layout="long")
    assert table.n_ratings == 12


def test_a_number_that_is_no_choice_of_its_field_is_refused_naming_the_fields_codes(
    tmp_path: Path,
) -> None:
    result = read_data_dictionary(TRIAL)
    records = tmp_path / "records.csv"
    records.write_text(TRIAL_RECORDS.replace("1,3,3,3,2", "1,4,3,3,2"), encoding="utf-8")

    with pytest.raises(RatingsError) as caught:
        read_redcap_records(records, result)

    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "'4' is not a choice of the field 'harm_resolved'" in problem.message
    assert "1 to 2, or the codes -8 (UNK), -9 (DK), 6 (MISS), 3 (UNK)" in problem.message


# --- the draft as a file: the instrument alone reads the records ------------------------------


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    return int(args.handler(args, Library()))


@pytest.mark.parametrize(
    ("path", "records"),
    [(TRIAL, TRIAL_RECORDS), (REGISTRY, REGISTRY_RECORDS)],
    ids=["trial", "reg"],
)
def test_the_written_draft_alone_reads_the_projects_records(
    path: Path, records: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = tmp_path / "draft.yaml"
    export = tmp_path / "records.csv"
    export.write_text(records, encoding="utf-8")
    result = read_data_dictionary(path)

    assert _run("redcap", "import-dictionary", str(path), "--out", str(draft)) == 0

    # the draft's framework and principles are placeholders, so the library would refuse it
    # until they are set; the schema reads it as it is
    instrument = Instrument.model_validate(yaml.safe_load(draft.read_text(encoding="utf-8")))
    assert instrument == result.instrument
    layout = record_layout(instrument)
    assert layout.field_codes == result.layout.field_codes
    assert [f.form for f in layout.forms] == [f.form for f in result.layout.forms]
    by_draft = read_redcap_records(export, result)
    alone = read_redcap_records(export, instrument)
    # the form's date field is found by its name in the dictionary, which is not at hand here
    pd.testing.assert_frame_equal(alone, by_draft.drop(columns=["date"], errors="ignore"))
    err = capsys.readouterr().err
    assert "Special codes (each field's REDCap numbers are kept in the draft):" in err
    assert f"{len(result.not_mapped)} field(s) or column(s) not mapped:" in err
    for problem in result.not_mapped:
        assert f"row {problem.row}, field '{problem.field_name}'" in err


def test_the_cli_lists_each_codes_redcap_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        _run("redcap", "import-dictionary", str(REGISTRY), "--out", str(tmp_path / "d.yaml")) == 0
    )

    err = capsys.readouterr().err
    assert "  - UNK (Unknown) = -8, REDCap 0 in smoking; 99 in has_diabetes, has_asthma" in err
    assert "  - MISS (Not asked) = -1, REDCap -1 in pain_today" in err


# --- the instrument checks the REDCap numbers it keeps ----------------------------------------


def _problems(data: dict[str, object]) -> list[str]:
    return [p.message for p in check_instrument_data(YamlDocument("t.yaml", data), None, None)]


def test_a_kept_redcap_number_must_name_a_declared_code_outside_the_items_scale() -> None:
    result = read_data_dictionary(TRIAL)
    data = result.data
    assert _problems(data) == []
    question = data["items"][1]["informants"]["enrolment"]
    question["redcap"]["codes"] = {3: "XX", 2: "UNK"}

    messages = _problems(data)

    assert messages == [
        "REDCap's 3 stands for the special code 'XX', which this instrument does not declare "
        "under 'codes'.",
        "REDCap's 2 is a special code here but also a point of the item's scale 'scale-1-2', so "
        "a rating of 2 could not be read.",
    ]


# --- a draft written back to REDCap -----------------------------------------------------------


@pytest.mark.parametrize("path", [TRIAL, REGISTRY], ids=lambda p: p.stem)
def test_a_draft_written_as_a_dictionary_keeps_the_projects_names_and_numbers(
    path: Path, tmp_path: Path
) -> None:
    draft = read_data_dictionary(path).instrument
    assert draft is not None

    written = write_data_dictionary(draft, tmp_path / "again.csv")
    again = read_data_dictionary(written)

    assert again.problems == ()
    assert again.not_mapped == ()
    assert again.instrument == draft
    frame = data_dictionary(draft).set_index("Variable / Field Name")
    original = pd.read_csv(path, dtype=str).set_index("Variable / Field Name")
    for item in draft.items:
        (question,) = item.informants.values()
        assert question.redcap is not None
        field = frame.loc[question.redcap.field]
        assert field["Form Name"] == original.loc[question.redcap.field, "Form Name"]
        offered = dict(
            choice.split(", ", 1)
            for choice in field["Choices, Calculations, OR Slider Labels"].split(" | ")
        )
        # every choice of the project keeps its number; a gap is not offered
        for choice in str(original.loc[question.redcap.field, CHOICES]).split(" | "):
            number, label = choice.split(", ", 1)
            assert number in offered, (question.redcap.field, choice)
            code = question.redcap.codes.get(int(number))
            # a code is labelled as the draft's code is ('Unknown', not the 'Unkown' of one field)
            expected = next(c.label for c in draft.codes if c.code == code) if code else label
            assert offered[number] == expected.strip()
        assert "(not a choice in REDCap)" not in offered.values()
