"""XLSForm: the form export (converted with pyxform), reading ODK/Kobo exports, drafting forms.

The instrument is the one of the FHIR tests (``fixtures/fhir_forms_index.yaml``): two
informants, an item with its own anchors, a reverse-keyed and an optional item, and a
partial German translation.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from pyxform.xls2xform import convert

from peerprinciples.cli import main as cli
from peerprinciples.core.documents import DocumentError
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.interchange.xlsform import (
    DRAFT_FRAMEWORK,
    SheetProblem,
    read_xlsform_instrument,
    read_xlsform_submissions,
    write_xlsform,
    xlsform_sheets,
)
from peerprinciples.core.library import Library
from peerprinciples.core.ratings import RatingProblem, RatingsError, read_ratings

FIXTURES = Path(__file__).parent / "fixtures"
INSTRUMENT_FILE = FIXTURES / "fhir_forms_index.yaml"
ODK_EXPORT = FIXTURES / "xlsform_odk_central_export.csv"
KOBO_EXPORT = FIXTURES / "xlsform_kobo_export.csv"
LEGACY_FORM = FIXTURES / "xlsform_legacy_syntax_form.csv"
EN, DE = "label::English (en)", "label::German (de)"


@pytest.fixture(scope="module")
def library() -> Library:
    return Library()


@pytest.fixture(scope="module")
def small(library: Library) -> Instrument:
    model = library.check_file(INSTRUMENT_FILE).raise_for_problems()
    assert isinstance(model, Instrument)
    return model


@pytest.fixture(scope="module")
def sheets(small: Instrument) -> dict[str, list[dict[str, str]]]:
    return xlsform_sheets(small)


def survey_row(sheets: dict[str, list[dict[str, str]]], name: str, nth: int = 0) -> dict[str, str]:
    return [row for row in sheets["survey"] if row["name"] == name][nth]


def choices(sheets: dict[str, list[dict[str, str]]], list_name: str) -> list[tuple[str, str]]:
    return [(r["name"], r[EN]) for r in sheets["choices"] if r["list_name"] == list_name]


def write_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


# --- the form ----------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["forms-index", "enrich-example-index"])
def test_the_form_converts_with_pyxform_without_warnings(
    library: Library, small: Instrument, tmp_path: Path, key: str
) -> None:
    instrument = small if key == "forms-index" else library.instrument(key)
    path = write_xlsform(instrument, tmp_path / f"{key}.xlsx")
    warnings: list[str] = []

    result = convert(str(path), warnings=warnings)

    assert warnings == []
    assert "<h:title>" in result.xform
    assert [p.name for p in tmp_path.iterdir()] == [f"{key}.xlsx"]


def test_the_workbook_has_the_survey_choices_and_settings_sheets(
    small: Instrument, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(write_xlsform(small, tmp_path / "form.xlsx"))

    assert book.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in book["survey"][1]]
    assert header == [
        "type",
        "name",
        EN,
        DE,
        "hint::English (en)",
        "hint::German (de)",
        "required",
        "relevant",
    ]


def test_the_interview_details_come_first_named_like_the_ratings_columns(
    sheets: dict[str, list[dict[str, str]]],
) -> None:
    first = [(r["type"], r["name"], r["required"]) for r in sheets["survey"][:7]]

    assert first == [
        ("text", "interview", "yes"),
        ("select_one informants", "informant", "yes"),
        ("text", "rater", "yes"),
        ("text", "service", ""),
        ("text", "peer_worker", ""),
        ("text", "round", ""),
        ("date", "date", ""),
    ]
    assert choices(sheets, "informants") == [
        ("peer_worker", "Peer worker"),
        ("supervisor", "Supervisor"),
    ]


def test_each_informant_has_a_group_of_domain_groups_shown_only_for_them(
    sheets: dict[str, list[dict[str, str]]],
) -> None:
    structure = [(r["type"], r["name"]) for r in sheets["survey"][7:] if r["type"] != "end_group"]

    assert structure == [
        ("begin_group", "peer_worker_items"),
        ("begin_group", "relationships"),
        ("select_one item_rel_1", "rel_1"),
        ("select_one scale_three-point", "rel_2"),
        ("begin_group", "mutuality"),
        ("select_one scale_three-point", "mut_1"),
        ("begin_group", "supervisor_items"),
        ("begin_group", "relationships"),
        ("select_one item_rel_1", "rel_1"),
        ("begin_group", "mutuality"),
        ("select_one scale_three-point", "mut_1"),
        ("select_one scale_three-point", "mut_2"),
    ]
    assert survey_row(sheets, "supervisor_items")["relevant"] == "${informant} = 'supervisor'"


def test_an_item_with_its_own_anchors_has_them_as_choice_labels_then_the_codes(
    sheets: dict[str, list[dict[str, str]]],
) -> None:
    assert choices(sheets, "item_rel_1") == [
        ("1", "Meetings are rushed."),
        ("2", "There is some time to talk."),
        ("3", "Meetings go at the person's pace, with \u201cplenty\u201d of time."),
        ("NA", "Not applicable"),
        ("II", "Insufficient information"),
    ]
    assert choices(sheets, "scale_three-point")[:3] == [
        ("1", "Rarely"),
        ("2", "Sometimes"),
        ("3", "Usually"),
    ]


def test_questions_carry_the_informants_wording_prompts_as_hint_and_required(
    sheets: dict[str, list[dict[str, str]]],
) -> None:
    asked_peer_worker = survey_row(sheets, "rel_1", 0)
    asked_supervisor = survey_row(sheets, "rel_1", 1)

    assert asked_peer_worker[EN] == "How much time is there to talk?"
    assert asked_peer_worker["hint::English (en)"] == (
        "Who decides how long you meet?\nWhat gets in the way?"
    )
    assert asked_supervisor[EN] == "How much time does the peer worker have to listen?"
    assert asked_peer_worker["required"] == "yes"
    assert survey_row(sheets, "mut_1")["required"] == ""


def test_each_translation_has_its_own_columns_falling_back_to_the_original(
    sheets: dict[str, list[dict[str, str]]],
) -> None:
    rel_1 = survey_row(sheets, "rel_1")

    assert rel_1[DE] == "Wie viel Zeit bleibt zum Reden?"
    assert (
        rel_1["hint::German (de)"]
        == "Wer entscheidet, wie lange Sie sich treffen?\nWas steht im Weg?"
    )
    assert survey_row(sheets, "rel_2")[DE] == "How often do forms take over the meeting?"
    labels = [r[DE] for r in sheets["choices"] if r["list_name"] == "scale_three-point"]
    assert labels == [
        "Selten",
        "Manchmal",
        "Meistens",
        "Nicht zutreffend",
        "Insufficient information",
    ]


def test_the_settings_name_the_form_its_version_and_default_language(
    sheets: dict[str, list[dict[str, str]]],
) -> None:
    assert sheets["settings"] == [
        {
            "form_title": "Small index for exchange tests",
            "form_id": "forms-index",
            "version": "2.0",
            "default_language": "English (en)",
        }
    ]


def test_a_failed_write_leaves_no_partial_workbook(small: Instrument, tmp_path: Path) -> None:
    target = tmp_path / "form.xlsx"
    target.mkdir()

    with pytest.raises(IsADirectoryError):
        write_xlsform(small, target)

    assert [p.name for p in tmp_path.iterdir()] == ["form.xlsx"]


# --- reading submissions -----------------------------------------------------------------------


def test_an_odk_central_export_becomes_the_long_ratings_table(small: Instrument) -> None:
    frame = read_xlsform_submissions(ODK_EXPORT, small)

    assert frame[["interview", "informant", "item", "rating", "rater"]].values.tolist() == [
        ["I01", "peer_worker", "rel_1", "3", "R03"],
        ["I01", "peer_worker", "rel_2", "1", "R03"],
        ["I01", "peer_worker", "mut_1", "NA", "R03"],
        ["I02", "supervisor", "rel_1", "2", "R05"],
        ["I02", "supervisor", "mut_2", "3", "R05"],
    ]
    assert list(frame.columns[5:]) == ["service", "peer_worker", "round", "date"]
    assert read_ratings(frame, small).n_interviews == 2


def test_a_submission_rejected_in_odk_central_is_skipped(small: Instrument) -> None:
    frame = read_xlsform_submissions(ODK_EXPORT, small)

    # the third row re-rates I02 and is marked rejected: no duplicate is reported
    assert frame["interview"].tolist().count("I02") == 2


def test_a_kobo_export_with_semicolons_and_slashes_is_read(small: Instrument) -> None:
    frame = read_xlsform_submissions(KOBO_EXPORT, small)

    assert frame[["interview", "item", "rating"]].values.tolist() == [
        ["I11", "rel_1", "2"],
        ["I11", "rel_2", "3"],
        ["I12", "rel_1", "1"],
        ["I12", "mut_1", "II"],
        ["I12", "mut_2", "2"],
    ]  # I13 is not approved in KoboToolbox, so its off-scale 9s are never read


def test_an_export_without_group_prefixes_is_read(small: Instrument) -> None:
    export = pd.DataFrame(
        {
            "interview": ["I1", "I2"],
            "informant": ["peer_worker", "supervisor"],
            "rater": ["R1", "R1"],
            "rel_1": ["2", "3"],
            "rel_2": ["3", ""],
            "mut_1": ["", "1"],
            "mut_2": ["", "NA"],
            "_uuid": ["a", "b"],
        }
    )

    frame = read_xlsform_submissions(export, small)

    assert frame[["interview", "item", "rating"]].values.tolist() == [
        ["I1", "rel_1", "2"],
        ["I1", "rel_2", "3"],
        ["I2", "rel_1", "3"],
        ["I2", "mut_1", "1"],
        ["I2", "mut_2", "NA"],
    ]


def test_an_xlsx_export_is_read_like_the_csv(small: Instrument, tmp_path: Path) -> None:
    rows = pd.read_csv(ODK_EXPORT, dtype=str, keep_default_na=False)
    path = tmp_path / "export.xlsx"
    rows.to_excel(path, index=False)

    frame = read_xlsform_submissions(path, small)

    assert len(frame) == 5


def export_with(**changes: Any) -> pd.DataFrame:
    """The ODK Central fixture with some cells of its first row changed."""
    frame = pd.read_csv(ODK_EXPORT, dtype=str, keep_default_na=False).iloc[:2].copy()
    for column, value in changes.items():
        frame.loc[0, column.replace("__", "-")] = value
    return frame


def problems_of(frame: pd.DataFrame, small: Instrument) -> list[RatingProblem]:
    with pytest.raises(RatingsError) as caught:
        read_xlsform_submissions(frame, small, name="export.csv")
    found = caught.value.problems
    assert all(isinstance(p, RatingProblem) for p in found)
    return [p for p in found if isinstance(p, RatingProblem)]


def test_a_choice_label_exported_instead_of_its_name_is_reported_with_the_fix(
    small: Instrument,
) -> None:
    frame = export_with(**{"peer_worker_items__relationships__rel_2": "Rarely"})

    (problem,) = problems_of(frame, small)

    assert (problem.row, problem.column) == (2, "peer_worker_items-relationships-rel_2")
    assert problem.message == "'Rarely' is the label of the choice '1', not its name."
    assert "XML values" in problem.fix


def test_a_rating_in_the_group_of_another_informant_is_reported(small: Instrument) -> None:
    frame = export_with(**{"supervisor_items__mutuality__mut_2": "2"})

    (problem,) = problems_of(frame, small)

    assert (problem.row, problem.column) == (2, "supervisor_items-mutuality-mut_2")
    assert "interview with 'peer_worker'" in problem.message


def test_an_empty_required_item_is_reported_by_row_and_column(small: Instrument) -> None:
    frame = export_with(**{"peer_worker_items__relationships__rel_1": ""})

    (problem,) = problems_of(frame, small)

    assert (problem.row, problem.column) == (2, "peer_worker_items-relationships-rel_1")
    assert problem.message == "the required item 'rel_1' is empty."


def test_an_unknown_informant_and_an_empty_rater_are_reported(small: Instrument) -> None:
    frame = export_with(informant="nurse")
    frame.loc[1, "rater"] = ""

    found = problems_of(frame, small)

    assert [(p.row, p.column, p.message) for p in found] == [
        (2, "informant", "'nurse' is not an informant of forms-index@2.0."),
        (3, "rater", "the rater is empty."),
    ]


def test_problems_of_the_ratings_checks_name_the_row_and_column_of_the_export(
    small: Instrument,
) -> None:
    frame = export_with(**{"peer_worker_items__relationships__rel_1": "7"})
    frame = pd.concat([frame, frame.iloc[[1]]], ignore_index=True)  # I02 exported twice

    found = problems_of(frame, small)

    assert [(p.row, p.column) for p in found] == [
        (2, "peer_worker_items-relationships-rel_1"),
        (4, "rater"),
        (4, "rater"),
    ]
    assert "the rating 7 is off the scale" in found[0].message
    assert "(row 3)" in found[1].message


def test_an_export_without_interview_column_is_refused_before_reading_rows(
    small: Instrument,
) -> None:
    frame = export_with().drop(columns=["interview"])

    (problem,) = problems_of(frame, small)

    assert (problem.row, problem.column) == (1, "interview")
    assert "no column 'interview'" in problem.message


def test_an_export_of_another_form_is_refused_for_naming_no_item(small: Instrument) -> None:
    frame = pd.DataFrame({"interview": ["I1"], "rater": ["R1"], "q1": ["yes"]})

    (problem,) = problems_of(frame, small)

    assert problem.message == "no column names an item of forms-index@2.0."


# --- drafting an instrument from an XLSForm ----------------------------------------------------


def test_a_form_from_write_xlsform_drafts_back_the_same_instrument(
    small: Instrument, tmp_path: Path
) -> None:
    draft = read_xlsform_instrument(write_xlsform(small, tmp_path / "form.xlsx"))
    back = draft.instrument()

    assert draft.unmapped == ()
    assert (back.key, back.version, back.title) == (small.key, small.version, small.title)
    assert [(i.key, i.title) for i in back.informants] == [
        (i.key, i.title) for i in small.informants
    ]
    assert [(d.key, d.title) for d in back.domains] == [(d.key, d.title) for d in small.domains]
    for item in small.items:
        other = back.item(item.key)
        assert other.domain == item.domain
        assert other.required == item.required
        assert other.informants == item.informants
        points = small.scale(item.scale).points
        assert [back.anchor(other, p) for p in points] == [small.anchor(item, p) for p in points]
    assert [c.code for c in back.codes] == ["NA", "II"]
    german = back.translations["de"]
    assert (
        german["items.rel_1.informants.peer_worker.question"] == "Wie viel Zeit bleibt zum Reden?"
    )
    assert "items.rel_2.informants.peer_worker.question" not in german  # a fallback, not kept


def field_form(path: Path) -> Path:
    """A form with the tricky parts of real field forms: two label languages (Swahili the
    default), groups, nested repeats, calculations, external choices, typographic quotes in a
    condition, a header with a trailing space, numeric choice names and a formula version."""
    header = [
        "type",
        "name",
        "label::Swahili (sw)",
        "label::English (en)",
        "hint::Swahili (sw)",
        "hint::English (en)",
        "required",
        "relevant",
        "calculation",
    ]
    survey = [
        header,
        ["begin group", "intro", "Utangulizi", "Introduction"],
        ["note", "welcome", "Karibu", "Welcome"],
        ["end group"],
        ["start", "start"],
        [],
        ["begin group", "practice", "Mazoezi", "Practice"],
        [
            "select_one often",
            "listens",
            "Anasikiliza?",
            "Does the worker listen?",
            "Chagua",
            "Choose",
            "yes",
        ],
        ["select_one_from_file services.csv", "service", "Huduma", "Service"],
        ["integer", "visits", "Ziara", "Visits"],
        ["calculate", "double", None, None, None, None, None, None, "${visits} * 2"],
        [
            "select_one often",
            "shares",
            "Anashiriki?",
            "Does the worker share?",
            None,
            None,
            "${visits} > 0",
        ],
        ["end group"],
        ["select_one yes_no", "more", "Zaidi?", "More?"],
        [
            "begin repeat",
            "meetings",
            "Mikutano",
            "Meetings",
            None,
            None,
            None,
            "${more} = \u2018yes\u2019",
        ],
        ["begin repeat", "topics", "Mada", "Topics"],
        ["select_one often", "topic_rating", "Kiwango", "Rating"],
        ["end repeat"],
        ["end repeat"],
        ["select_multiple yes_no", "both", "Zote", "Both"],
        ["deviceid", "deviceid"],
    ]
    choices_rows = [
        ["list_name", "name ", "label::Swahili (sw)", "label::English (en)"],
        ["often", 1, "Kamwe", "Never"],
        ["often", 2, "Mara nyingine", "Sometimes"],
        ["often", 3, "Mara nyingi", "Often"],
        ["often", "NA", "Haihusiki", "Not applicable"],
        ["yes_no", "yes", "Ndiyo", "Yes"],
        ["yes_no", "no", "Hapana", "No"],
    ]
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        ["Field form", "field_form", "=NOW()", "Swahili (sw)"],
    ]
    return write_workbook(path, {"survey": survey, "choices": choices_rows, "settings": settings})


def test_a_field_form_drafts_its_rated_questions_and_lists_every_other_row(
    tmp_path: Path,
) -> None:
    draft = read_xlsform_instrument(field_form(tmp_path / "field.xlsx"))

    data = draft.data
    assert (data["key"], data["version"], data["language"]) == ("field-form", "draft", "sw")
    assert [i["key"] for i in data["items"]] == ["listens", "shares"]
    listens = data["items"][0]
    assert listens["domain"] == "practice"
    assert listens["required"] is True
    assert listens["informants"] == {
        "respondent": {"question": "Anasikiliza?", "prompts": ["Chagua"]}
    }
    assert data["scales"] == [
        {
            "key": "often",
            "title": "often",
            "min": 1,
            "max": 3,
            "anchors": {1: "Kamwe", 2: "Mara nyingine", 3: "Mara nyingi"},
        }
    ]
    assert data["codes"] == [{"code": "NA", "label": "Haihusiki", "missing": True}]
    english = data["translations"]["en"]
    assert english["items.listens.informants.respondent.question"] == "Does the worker listen?"
    assert english["scales.often.anchors.1"] == "Never"
    assert english["domains.practice.title"] == "Practice"
    assert [(p.line, p.column) for p in draft.unmapped] == [
        (3, "type"),  # note
        (5, "type"),  # start
        (9, "type"),  # select_one_from_file
        (10, "type"),  # integer
        (11, "type"),  # calculate
        (14, "type"),  # yes/no is not a scale
        (17, "name"),  # inside the nested repeat
        (20, "type"),  # select_multiple
        (21, "type"),  # deviceid
    ]
    assert "inside the repeat 'topics'" in draft.unmapped[6].message
    assert str(draft.unmapped[6]).startswith(f"{tmp_path / 'field.xlsx'}, sheet 'survey', row 17")
    assert any("${visits} > 0" in note for note in draft.notes)
    assert any(DRAFT_FRAMEWORK in note for note in draft.notes)
    assert draft.instrument().ref == "field-form@draft"


def test_the_single_sheet_csv_form_in_the_old_syntax_is_drafted() -> None:
    draft = read_xlsform_instrument(LEGACY_FORM, framework="enrich@2017")

    assert draft.data["framework"] == "enrich@2017"
    assert [(i["key"], i["scale"], i["required"]) for i in draft.data["items"]] == [
        ("listens", "often", True),
        ("shares", "often", False),
    ]
    assert draft.data["codes"] == [{"code": "DK", "label": "Don't know", "missing": True}]
    assert [(p.line, p.message) for p in draft.unmapped] == [
        (3, "a question of type 'string' is not rated on a scale."),
        (
            4,
            "the choices of 'yes_no' are not a scale of whole numbers (yes, no).",
        ),
        (8, "several choices can be selected here; a rating is one point of a scale."),
        (10, "a question of type 'trigger' is not rated on a scale."),
    ]


def test_a_legacy_xls_form_is_refused_with_the_advice_to_save_it_as_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "tutorial.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)

    with pytest.raises(DocumentError) as caught:
        read_xlsform_instrument(path)

    (problem,) = caught.value.problems
    assert problem.message == "legacy .xls workbooks are not read."
    assert "save it as .xlsx" in problem.fix


def test_a_form_with_nothing_to_rate_is_refused_with_every_row_listed(tmp_path: Path) -> None:
    path = write_workbook(
        tmp_path / "survey.xlsx",
        {
            "survey": [
                ["type", "name", "label"],
                ["text", "name", "Your name"],
                ["select_one yes_no", "ok", "OK?"],
                ["select_one scores", "score", "Score"],
                ["select_one missing_list", "other", "Other"],
                ["select_one", "bare", "Bare"],
                ["select_one scores"],
            ],
            "choices": [
                ["list_name", "name", "label"],
                ["yes_no", "yes", "Yes"],
                ["yes_no", "no", "No"],
                ["scores", 1, "Low"],
                ["scores", 3, "High"],
            ],
        },
    )

    with pytest.raises(DocumentError) as caught:
        read_xlsform_instrument(path)

    found = caught.value.problems
    assert "no question of the form can become a rated item" in found[0].message
    assert [(p.line, p.message) for p in found[1:]] == [
        (2, "a question of type 'text' is not rated on a scale."),
        (3, "the choices of 'yes_no' are not a scale of whole numbers (yes, no)."),
        (
            4,
            "the choices of 'scores' skip 2, so they are not a scale of consecutive points.",
        ),
        (5, "the choice list 'missing_list' is not on the choices sheet."),
        (6, "the select_one names no choice list."),
        (7, "the question has no name."),
    ]
    assert all(isinstance(p, SheetProblem) for p in found)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("damaged.xlsx", b"PK\x03\x04 not really a zip", "the workbook is damaged"),
        ("form.md", b"| survey |", "'.md' is not an XLSForm file type."),
        ("missing.xlsx", None, "there is no such file."),
    ],
)
def test_a_file_that_is_not_an_xlsform_is_refused_not_crashed_on(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)

    with pytest.raises(DocumentError, match=message.replace(".", r"\.")):
        read_xlsform_instrument(path)


def test_a_workbook_without_a_survey_sheet_is_refused(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "ratings.xlsx", {"ratings": [["interview", "rating"]]})

    with pytest.raises(DocumentError, match=r"no 'survey' sheet \(it has: ratings\)"):
        read_xlsform_instrument(path)


# --- commands ----------------------------------------------------------------------------------


def run(argv: list[str]) -> int:
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "import-xlsform" not in commands.choices:
        from peerprinciples.cli.interchange_forms import register

        register(commands)
    args = parser.parse_args(argv)
    return int(args.handler(args, Library()))


def test_the_xlsform_commands_write_the_form_read_the_export_and_draft_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form, ratings, draft = tmp_path / "form.xlsx", tmp_path / "ratings.csv", tmp_path / "d.yaml"

    assert run(["instrument", "xlsform", str(INSTRUMENT_FILE), "--out", str(form)]) == 0
    assert (
        run(
            [
                "import-xlsform",
                str(ODK_EXPORT),
                "--instrument",
                str(INSTRUMENT_FILE),
                "--out",
                str(ratings),
            ]
        )
        == 0
    )
    assert run(["instrument", "from-xlsform", str(form), "--out", str(draft)]) == 0

    assert convert(str(form)).xform
    assert len(pd.read_csv(ratings)) == 5
    assert "key: forms-index" in draft.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "4 item(s) drafted; 0 row(s) not carried over" in err
