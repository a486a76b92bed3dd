"""Drafting an instrument from any FHIR R4 Questionnaire: our own export, and the shapes of
public ones (LOINC answer codes with ordinalValue, contained ValueSets, nested groups, display
items, enableWhen, calculated totals) reproduced in small fixtures."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.questionnaire import Questionnaire

from peerprinciples.cli import main as cli
from peerprinciples.core.documents import DocumentError
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.interchange.fhir import (
    FhirDraft,
    QuestionnaireProblem,
    questionnaire,
    read_fhir_instrument,
    write_questionnaire,
)
from peerprinciples.core.interchange.xlsform import DRAFT_FRAMEWORK
from peerprinciples.core.library import Library

FIXTURES = Path(__file__).parent / "fixtures"
INSTRUMENT_FILE = FIXTURES / "fhir_forms_index.yaml"
SCREENING = FIXTURES / "fhir_q_screening_panel.json"
BUNDLE = FIXTURES / "fhir_q_bundle_integers.json"


@pytest.fixture(scope="module")
def library() -> Library:
    return Library()


@pytest.fixture(scope="module")
def small(library: Library) -> Instrument:
    model = library.check_file(INSTRUMENT_FILE).raise_for_problems()
    assert isinstance(model, Instrument)
    return model


@pytest.fixture(scope="module")
def screening() -> FhirDraft:
    return read_fhir_instrument(SCREENING)


def unmapped(draft: FhirDraft) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in draft.unmapped:
        found.setdefault(problem.link_id or "", []).append(problem.part or "")
    return found


def test_the_screening_fixture_is_a_valid_fhir_r4_questionnaire() -> None:
    Questionnaire.model_validate(json.loads(SCREENING.read_text(encoding="utf-8")))


# --- our own export ----------------------------------------------------------------------------


def test_our_own_questionnaire_drafts_back_the_same_items_scales_anchors_and_informants(
    small: Instrument, library: Library, tmp_path: Path
) -> None:
    path = write_questionnaire(
        small, tmp_path / "q.json", framework=library.framework(small.framework)
    )
    draft = read_fhir_instrument(path)
    back = draft.instrument()

    assert draft.unmapped == ()
    assert (back.key, back.version, back.title) == (small.key, small.version, small.title)
    assert back.framework == small.framework
    assert back.informants == small.informants
    assert back.items == small.items
    assert [(s.key, s.min, s.max, s.anchors) for s in back.scales] == [
        (s.key, s.min, s.max, s.anchors) for s in small.scales
    ]
    assert back.domains == small.domains
    assert [(c.code, c.label) for c in back.codes] == [(c.code, c.label) for c in small.codes]


def test_a_chosen_framework_other_than_the_exported_one_gets_placeholder_principles(
    small: Instrument,
) -> None:
    draft = read_fhir_instrument(questionnaire(small), framework="other@1")

    assert draft.data["framework"] == "other@1"
    assert [d["principles"] for d in draft.data["domains"]] == [["relationships"], ["mutuality"]]
    assert any("placeholder principle" in note for note in draft.notes)


# --- public shapes -----------------------------------------------------------------------------


def test_loinc_answers_take_their_points_from_ordinal_value_and_a_contained_value_set(
    screening: FhirDraft,
) -> None:
    back = screening.instrument()

    assert [i.key for i in back.items] == ["mood_interest", "mood_down", "mood_sleep"]
    how_often = back.scale("how-often")
    assert (how_often.min, how_often.max) == (0, 3)
    assert how_often.anchors[2] == "More than half the days"
    assert back.item("mood_interest").scale == back.item("mood_down").scale == "how-often"
    assert back.scale(back.item("mood_sleep").scale).anchors == {
        1: "Never",
        2: "Sometimes",
        3: "Often",
    }
    assert back.item("mood_down").required
    assert not back.item("mood_sleep").required


def test_a_dont_know_answer_becomes_a_special_code_and_an_other_answer_is_listed(
    screening: FhirDraft,
) -> None:
    assert [(c["code"], c["label"]) for c in screening.data["codes"]] == [("DK", "Don't know")]
    assert "answerOption[5]" in unmapped(screening)["/mood/down"]


def test_nested_groups_become_domains_and_display_items_become_prompts_or_notes(
    screening: FhirDraft,
) -> None:
    back = screening.instrument()

    assert [(d.key, d.title) for d in back.domains] == [
        ("mood", "Mood"),
        ("mood_sleep-group", "Sleep"),
    ]
    assert back.item("mood_interest").informants["respondent"].prompts == [
        "Think of a typical day."
    ]
    assert any("'/mood/sleep-group' is inside '/mood'" in note for note in screening.notes)
    assert any("Over the last two weeks" in note for note in screening.notes)
    assert back.framework == DRAFT_FRAMEWORK


def test_every_question_that_is_not_rated_is_listed_with_its_link_id_and_reason(
    screening: FhirDraft,
) -> None:
    assert unmapped(screening) == {
        "/mood/down": ["answerOption[5]"],
        "/mood/sleep": ["enableWhen"],
        "/about/name": ["type"],
        "/about/dob": ["type"],
        "/about/smoker": ["type"],
        "/about/weight": ["type"],
        "/about/language": ["answerValueSet"],
        "/about/supports": ["repeats"],
        "/total": ["extension"],
    }
    language = next(p for p in screening.unmapped if p.link_id == "/about/language")
    assert "cannot be resolved offline" in str(language)
    assert "linkId '/about/language' (answerValueSet)" in str(language)


def test_a_bundle_gives_its_questionnaire_and_odd_entries_are_listed_not_crashed_on() -> None:
    draft = read_fhir_instrument(BUNDLE)
    back = draft.instrument()

    assert [i.key for i in back.items] == ["q1"]
    assert [c.code for c in back.codes] == ["NA"]
    assert unmapped(draft) == {"q2": ["answerOption"], "q3": ["type"], "": ["item[3]", "item[4]"]}
    assert draft.data["version"] == "draft"
    assert all(isinstance(p, QuestionnaireProblem) for p in draft.unmapped)


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        ('{"resourceType": "Patient"}', "a Patient resource, not a Questionnaire"),
        ('{"resourceType": "Bundle", "entry": []}', "holds no Questionnaire"),
        ('{"resourceType": "Questionnaire"}', "has no items"),
        ('{"resourceType": "Questionnaire", "item": {"linkId": "a"}}', "'item' is not a list"),
        (
            '{"resourceType": "Questionnaire", "item": [{"linkId": "a", "type": "string"}]}',
            "no question of the Questionnaire can become a rated item",
        ),
    ],
)
def test_a_file_that_is_not_a_usable_questionnaire_is_refused_with_a_clear_problem(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "q.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(DocumentError, match=message) as raised:
        read_fhir_instrument(path)
    assert all(str(path) in str(p) for p in raised.value.problems)


@pytest.mark.parametrize(
    "item",
    [
        {"linkId": "a", "type": "choice", "answerOption": "yes"},
        {"linkId": "a", "type": "choice", "answerOption": [None, {"valueDate": "2020-01-01"}]},
        {"linkId": "a", "type": "choice", "answerOption": [{"valueInteger": "x"}]},
        {"linkId": "a", "type": "group", "item": 5},
        {"linkId": "a", "type": ["choice"], "item": [1]},
        {"linkId": "a", "type": "choice", "answerOption": [{"valueCoding": {"code": 1.5}}]},
    ],
)
def test_odd_item_shapes_become_unmapped_entries_never_a_crash(
    item: dict[str, Any],
) -> None:
    good = {
        "linkId": "ok",
        "type": "choice",
        "answerOption": [{"valueInteger": 1}, {"valueInteger": 2}],
    }
    draft = read_fhir_instrument({"resourceType": "Questionnaire", "item": [item, good]})

    assert [i["key"] for i in draft.data["items"]] == ["ok"]
    assert draft.unmapped


# --- command -----------------------------------------------------------------------------------


def run(argv: list[str]) -> int:
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "import-xlsform" not in commands.choices:
        from peerprinciples.cli.interchange_forms import register

        register(commands)
    args = parser.parse_args(argv)
    return int(args.handler(args, Library()))


def test_the_from_fhir_command_writes_the_draft_and_lists_what_is_not_mapped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "draft.yaml"

    assert run(["instrument", "from-fhir", str(SCREENING), "--out", str(out)]) == 0

    assert "key: wellbeing-screen" in out.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "3 item(s) drafted; 9 part(s) not mapped" in err
    assert "linkId '/total' (extension): the answer is calculated, not rated." in err
