"""FHIR: the Questionnaire export, checked with fhir.resources, and reading QuestionnaireResponses.

fhir.resources 8 ships the R4B and STU3 models; R4B keeps the R4 Questionnaire and
QuestionnaireResponse unchanged, so its models check our R4 resources.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from peerprinciples.cli import main as cli
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.interchange.fhir import (
    FHIR_BASE,
    ITEM_WEIGHT_URL,
    TRANSLATION_URL,
    FhirNames,
    ResponseProblem,
    questionnaire,
    read_questionnaire_responses,
    write_questionnaire,
)
from peerprinciples.core.library import Library
from peerprinciples.core.ratings import RatingsError, read_ratings

FIXTURES = Path(__file__).parent / "fixtures"
NAMES = FhirNames("forms-index")
CANONICAL = f"{NAMES.questionnaire}|2.0"


INSTRUMENT_FILE = FIXTURES / "fhir_forms_index.yaml"


@pytest.fixture(scope="module")
def library() -> Library:
    return Library()


@pytest.fixture(scope="module")
def small(library: Library) -> Instrument:
    model = library.check_file(INSTRUMENT_FILE).raise_for_problems()
    assert isinstance(model, Instrument)
    return model


@pytest.fixture(scope="module")
def example(library: Library) -> Instrument:
    return library.instrument("enrich-example-index")


def walk(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for item in items:
        yield item
        yield from walk(item.get("item", []))


def by_link_id(resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["linkId"]: item for item in walk(resource["item"])}


def translations(element: dict[str, Any]) -> dict[str, str]:
    found = {}
    for extension in element.get("extension", []):
        assert extension["url"] == TRANSLATION_URL
        parts = {part["url"]: part for part in extension["extension"]}
        found[parts["lang"]["valueCode"]] = parts["content"]["valueString"]
    return found


def coding(code: str, system: str | None = None) -> dict[str, Any]:
    return {"valueCoding": {"system": system, "code": code} if system else {"code": code}}


def response(
    interview: str | None,
    informant: str | None,
    ratings: dict[str, str],
    *,
    rater: str | None = "R1",
    **extra: Any,
) -> dict[str, Any]:
    """A QuestionnaireResponse to the small index, its answers flat under their groups."""
    meta = []
    if interview is not None:
        meta.append({"linkId": "_meta.interview", "answer": [{"valueString": interview}]})
    if informant is not None:
        meta.append(
            {"linkId": "_meta.informant", "answer": [coding(informant, NAMES.informants_system)]}
        )
    if rater is not None:
        meta.append({"linkId": "_meta.rater", "answer": [{"valueString": rater}]})
    groups: dict[str, list[dict[str, Any]]] = {}
    for link_id, code in ratings.items():
        system = NAMES.codes_system if code.isalpha() else NAMES.scale_system("three-point")
        groups.setdefault(link_id.split(".")[0], []).append(
            {"linkId": link_id, "answer": [coding(code, system)]}
        )
    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": CANONICAL,
        "status": "completed",
        "item": [{"linkId": "_meta", "item": meta}]
        + [{"linkId": group, "item": items} for group, items in groups.items()],
    }
    return resource | extra


def problems_of(source: Any, instrument: Instrument) -> list[ResponseProblem]:
    with pytest.raises(RatingsError) as caught:
        read_questionnaire_responses(source, instrument)
    found = caught.value.problems
    assert all(isinstance(p, ResponseProblem) for p in found), [type(p) for p in found]
    return [p for p in found if isinstance(p, ResponseProblem)]


PEER_WORKER_RATINGS = {"peer_worker.rel_1": "3", "peer_worker.rel_2": "1"}


# --- the Questionnaire -------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["forms-index", "enrich-example-index"])
def test_the_questionnaire_is_a_valid_fhir_r4_resource(
    library: Library, small: Instrument, key: str
) -> None:
    instrument = small if key == "forms-index" else library.instrument(key)
    resource = questionnaire(instrument, framework=library.framework(instrument.framework))

    model = Questionnaire.model_validate(resource)

    assert model.status == "draft"
    assert json.loads(model.model_dump_json())["item"][0]["linkId"] == "_meta"


def test_it_names_the_questionnaire_by_a_stable_url_and_the_instrument_version(
    small: Instrument,
) -> None:
    resource = questionnaire(small)

    assert resource["url"] == f"{FHIR_BASE}/Questionnaire/forms-index"
    assert resource["version"] == "2.0"
    assert resource["name"] == "FormsIndex"
    assert resource["title"] == "Small index for exchange tests"
    assert resource["language"] == "en"
    assert resource["id"] == "forms-index-2.0"


def test_items_sit_in_a_domain_group_inside_a_group_per_informant(small: Instrument) -> None:
    resource = questionnaire(small)

    groups = {group["linkId"]: group for group in resource["item"]}
    assert list(groups) == ["_meta", "peer_worker", "supervisor"]
    supervisor = groups["supervisor"]
    assert supervisor["enableWhen"] == [
        {
            "question": "_meta.informant",
            "operator": "=",
            "answerCoding": {"system": NAMES.informants_system, "code": "supervisor"},
        }
    ]
    assert [d["linkId"] for d in supervisor["item"]] == [
        "supervisor:relationships",
        "supervisor:mutuality",
    ]
    assert [i["linkId"] for i in supervisor["item"][1]["item"]] == [
        "supervisor.mut_1",
        "supervisor.mut_2",
    ]


def test_the_interview_details_are_asked_first_and_named_like_the_ratings_columns(
    small: Instrument,
) -> None:
    meta = questionnaire(small)["item"][0]

    assert [(i["linkId"], i["type"], i["required"]) for i in meta["item"]] == [
        ("_meta.interview", "string", True),
        ("_meta.informant", "choice", True),
        ("_meta.rater", "string", True),
        ("_meta.service", "string", False),
        ("_meta.peer_worker", "string", False),
        ("_meta.round", "string", False),
        ("_meta.date", "date", False),
    ]
    assert [o["valueCoding"]["code"] for o in meta["item"][1]["answerOption"]] == [
        "peer_worker",
        "supervisor",
    ]


def test_link_ids_and_url_stay_the_same_in_a_new_instrument_version(small: Instrument) -> None:
    newer = small.model_copy(update={"version": "2.1"})

    before, after = questionnaire(small), questionnaire(newer)

    assert list(by_link_id(before)) == list(by_link_id(after))
    assert before["url"] == after["url"]
    assert (before["version"], after["version"]) == ("2.0", "2.1")


def test_answer_options_show_the_anchor_and_weigh_the_point(small: Instrument) -> None:
    options = by_link_id(questionnaire(small))["peer_worker.rel_1"]["answerOption"]

    first = options[0]
    assert first["valueCoding"]["system"] == NAMES.scale_system("three-point")
    assert first["valueCoding"]["code"] == "1"
    assert first["valueCoding"]["display"] == "Meetings are rushed."
    assert first["extension"] == [{"url": ITEM_WEIGHT_URL, "valueDecimal": 1}]
    assert options[2]["valueCoding"]["display"] == (
        "Meetings go at the person's pace, with \u201cplenty\u201d of time."
    )


def test_an_item_without_its_own_anchors_shows_the_scale_anchors(small: Instrument) -> None:
    options = by_link_id(questionnaire(small))["peer_worker.mut_1"]["answerOption"]

    assert [o["valueCoding"]["display"] for o in options[:3]] == ["Rarely", "Sometimes", "Usually"]


def test_a_reverse_keyed_item_weighs_each_point_by_its_reversed_score(small: Instrument) -> None:
    options = by_link_id(questionnaire(small))["peer_worker.rel_2"]["answerOption"]

    weights = {o["valueCoding"]["code"]: o["extension"][0]["valueDecimal"] for o in options[:3]}
    assert weights == {"1": 3, "2": 2, "3": 1}


def test_special_codes_are_options_without_a_weight(small: Instrument) -> None:
    options = by_link_id(questionnaire(small))["supervisor.mut_2"]["answerOption"]

    codes = [o for o in options if o["valueCoding"]["system"] == NAMES.codes_system]
    assert [(o["valueCoding"]["code"], o["valueCoding"]["display"]) for o in codes] == [
        ("NA", "Not applicable"),
        ("II", "Insufficient information"),
    ]
    assert all("extension" not in o for o in codes)


def test_required_follows_the_item(small: Instrument) -> None:
    items = by_link_id(questionnaire(small))

    assert items["peer_worker.rel_1"]["required"] is True
    assert items["peer_worker.mut_1"]["required"] is False


def test_prompts_become_an_instructions_display_item_under_the_question(
    small: Instrument,
) -> None:
    question = by_link_id(questionnaire(small))["peer_worker.rel_1"]

    (display,) = question["item"]
    assert display["linkId"] == "peer_worker.rel_1:prompts"
    assert display["type"] == "display"
    assert display["text"] == "Who decides how long you meet?\nWhat gets in the way?"
    category = display["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]
    assert category == "instructions"
    assert "item" not in by_link_id(questionnaire(small))["peer_worker.rel_2"]


def test_translations_ride_on_text_title_and_display(small: Instrument) -> None:
    resource = questionnaire(small)
    items = by_link_id(resource)

    assert translations(resource["_title"]) == {"de": "Kleiner Index"}
    assert translations(items["peer_worker.rel_1"]["_text"]) == {
        "de": "Wie viel Zeit bleibt zum Reden?"
    }
    assert translations(items["peer_worker.rel_1:prompts"]["_text"]) == {
        "de": "Wer entscheidet, wie lange Sie sich treffen?\nWas steht im Weg?"
    }
    first, second = items["peer_worker.rel_1"]["answerOption"][:2]
    assert translations(first["valueCoding"]["_display"]) == {"de": "Die Treffen sind gehetzt."}
    assert "_display" not in second["valueCoding"]  # untranslated: no extension
    assert "_text" not in items["supervisor.rel_1"]


def test_domain_groups_are_coded_with_their_principles(library: Library, small: Instrument) -> None:
    resource = questionnaire(small, framework=library.framework("enrich@2017"))

    codes = by_link_id(resource)["supervisor:mutuality"]["code"]
    assert [(c["code"], c["version"]) for c in codes] == [
        ("mutuality", "2017"),
        ("experiential-knowledge", "2017"),
    ]
    assert codes[0]["system"] == NAMES.principles_system("enrich")
    assert codes[0]["display"] == "Mutuality and reciprocity"


def test_a_base_url_of_ones_own_names_every_system(small: Instrument) -> None:
    resource = questionnaire(small, base_url="https://fhir.example.org/pp/")

    assert resource["url"] == "https://fhir.example.org/pp/Questionnaire/forms-index"
    option = by_link_id(resource)["peer_worker.rel_1"]["answerOption"][0]
    assert option["valueCoding"]["system"].startswith("https://fhir.example.org/pp/CodeSystem/")


def test_write_questionnaire_writes_json_and_leaves_no_temporary_file(
    small: Instrument, tmp_path: Path
) -> None:
    path = write_questionnaire(small, tmp_path / "out" / "small.json")

    assert json.loads(path.read_text(encoding="utf-8")) == questionnaire(small)
    assert [p.name for p in path.parent.iterdir()] == ["small.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_partial_one(
    small: Instrument, tmp_path: Path
) -> None:
    target = tmp_path / "small.json"
    target.mkdir()  # a folder in the way: the final move fails

    with pytest.raises(IsADirectoryError):
        write_questionnaire(small, target)

    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.json"]
    assert target.is_dir()


# --- reading responses -------------------------------------------------------------------------


def test_a_bundle_of_responses_becomes_the_long_ratings_table(small: Instrument) -> None:
    path = FIXTURES / "fhir_responses_bundle.json"
    Bundle.model_validate(json.loads(path.read_text(encoding="utf-8")))

    frame = read_questionnaire_responses(path, small)

    assert frame.to_dict("records") == [
        {
            "interview": "I01",
            "informant": "peer_worker",
            "item": "rel_1",
            "rating": "3",
            "rater": "R03",
            "service": "S01",
            "peer_worker": "PW-S01-03",
            "round": "1",
            "date": "2024-03-12",
        },
        {
            "interview": "I01",
            "informant": "peer_worker",
            "item": "rel_2",
            "rating": "1",
            "rater": "R03",
            "service": "S01",
            "peer_worker": "PW-S01-03",
            "round": "1",
            "date": "2024-03-12",
        },
        {
            "interview": "I01",
            "informant": "peer_worker",
            "item": "mut_1",
            "rating": "II",
            "rater": "R03",
            "service": "S01",
            "peer_worker": "PW-S01-03",
            "round": "1",
            "date": "2024-03-12",
        },
        {
            "interview": "I02",
            "informant": "supervisor",
            "item": "rel_1",
            "rating": "2",
            "rater": "R05",
            "service": "",
            "peer_worker": "",
            "round": "",
            "date": "2024-03-14",
        },
        {
            "interview": "I02",
            "informant": "supervisor",
            "item": "mut_1",
            "rating": "NA",
            "rater": "R05",
            "service": "",
            "peer_worker": "",
            "round": "",
            "date": "2024-03-14",
        },
        {
            "interview": "I02",
            "informant": "supervisor",
            "item": "mut_2",
            "rating": "3",
            "rater": "R05",
            "service": "",
            "peer_worker": "",
            "round": "",
            "date": "2024-03-14",
        },
    ]
    table = read_ratings(frame, small)
    assert table.n_interviews == 2


def test_the_reversed_weight_is_not_applied_twice(small: Instrument) -> None:
    frame = read_questionnaire_responses(response("I1", "peer_worker", PEER_WORKER_RATINGS), small)

    rel_2 = frame.loc[frame["item"] == "rel_2", "rating"].item()
    assert rel_2 == "1"  # the point as rated; scoring reverses it


def test_a_single_response_a_json_array_and_ndjson_are_read(
    small: Instrument, tmp_path: Path
) -> None:
    one = response("I1", "peer_worker", PEER_WORKER_RATINGS)
    two = response("I2", "supervisor", {"supervisor.rel_1": "2", "supervisor.mut_2": "II"})
    single = tmp_path / "one.json"
    single.write_text(json.dumps(one), encoding="utf-8")
    array = tmp_path / "two.json"
    array.write_text(json.dumps([one, two]), encoding="utf-8")
    ndjson = tmp_path / "two.ndjson"
    ndjson.write_text(json.dumps(one) + "\n" + json.dumps(two) + "\n", encoding="utf-8")

    assert len(read_questionnaire_responses(single, small)) == 2
    assert len(read_questionnaire_responses(array, small)) == 4
    assert len(read_questionnaire_responses(ndjson, small)) == 4


def test_the_test_responses_are_valid_fhir(small: Instrument) -> None:
    QuestionnaireResponse.model_validate(response("I1", "peer_worker", PEER_WORKER_RATINGS))


def test_an_unknown_link_id_is_reported_with_its_response(small: Instrument) -> None:
    bad = response("I1", "peer_worker", PEER_WORKER_RATINGS | {"peer_worker.rel_9": "2"})

    (problem,) = problems_of(bad | {"id": "qr-7"}, small)

    assert problem.response == "response 1 (id 'qr-7')"
    assert problem.link_id == "peer_worker.rel_9"
    assert "'rel_9' is not an item of forms-index@2.0" in problem.message
    assert "linkId 'peer_worker.rel_9'" in str(problem)


def test_an_item_in_the_group_of_an_informant_not_asked_it_is_reported(
    small: Instrument,
) -> None:
    bad = response(
        "I1",
        "supervisor",
        {"supervisor.rel_1": "2", "supervisor.rel_2": "2", "supervisor.mut_2": "2"},
    )

    (problem,) = problems_of(bad, small)

    assert problem.link_id == "supervisor.rel_2"
    assert "not asked of the informant 'supervisor' (only of peer_worker)" in problem.message


def test_an_answer_not_among_the_options_is_reported(small: Instrument) -> None:
    bad = response("I1", "peer_worker", {"peer_worker.rel_1": "4", "peer_worker.rel_2": "1"})

    (problem,) = problems_of(bad, small)

    assert problem.link_id == "peer_worker.rel_1"
    assert problem.message == "the answer '4' is not among the options (1, 2, 3, NA, II)."


def test_an_answer_in_another_code_system_is_reported(small: Instrument) -> None:
    bad = response("I1", "peer_worker", PEER_WORKER_RATINGS)
    bad["item"][1]["item"][0]["answer"] = [coding("3", "http://loinc.org")]

    (problem,) = problems_of(bad, small)

    assert "code system is http://loinc.org" in problem.message


def test_an_answer_of_the_wrong_type_is_reported(small: Instrument) -> None:
    bad = response("I1", "peer_worker", PEER_WORKER_RATINGS)
    bad["item"][1]["item"][0]["answer"] = [{"valueInteger": 3}]
    bad["item"][0]["item"][0]["answer"] = [{"valueInteger": 17}]

    found = problems_of(bad, small)

    assert [(p.link_id, p.message) for p in found] == [
        (
            "_meta.interview",
            "the answer has valueInteger, but this question takes valueString.",
        ),
        (
            "peer_worker.rel_1",
            "the answer has valueInteger, but this question takes valueCoding "
            "(a point of the scale or a code).",
        ),
    ]


def test_a_missing_required_item_is_reported_and_an_optional_one_is_not(
    small: Instrument,
) -> None:
    bad = response("I1", "peer_worker", {"peer_worker.rel_1": "3"})

    (problem,) = problems_of(bad, small)

    assert problem.link_id == "peer_worker.rel_2"
    assert problem.message == "the required item has no answer."
    assert "special code such as NA" in problem.fix


def test_a_response_to_another_version_is_refused_with_the_version_to_use(
    small: Instrument,
) -> None:
    old = response(
        "I1", "peer_worker", PEER_WORKER_RATINGS, questionnaire=f"{NAMES.questionnaire}|1.0"
    )

    (problem,) = problems_of(old, small)

    assert "answers version 1.0 of the Questionnaire" in problem.message
    assert problem.fix == "import it with --instrument forms-index@1.0."


def test_a_response_to_another_questionnaire_is_refused(small: Instrument) -> None:
    other = response("I1", "peer_worker", PEER_WORKER_RATINGS, questionnaire="http://x.org/Q/phq9")

    (problem,) = problems_of(other, small)

    assert "answers the Questionnaire http://x.org/Q/phq9" in problem.message


def test_a_response_in_progress_is_refused_and_one_entered_in_error_skipped(
    small: Instrument,
) -> None:
    draft = response("I1", "peer_worker", PEER_WORKER_RATINGS, status="in-progress")
    mistake = response("I9", "peer_worker", {"peer_worker.rel_1": "9"}, status="entered-in-error")
    good = response("I2", "peer_worker", PEER_WORKER_RATINGS)

    (problem,) = problems_of([draft, mistake, good], small)

    assert "status 'in-progress'" in problem.message
    frame = read_questionnaire_responses([mistake, good], small)
    assert set(frame["interview"]) == {"I2"}


def test_answers_in_the_group_of_another_informant_are_reported(small: Instrument) -> None:
    mixed = response("I1", "peer_worker", PEER_WORKER_RATINGS | {"supervisor.mut_2": "2"})

    (problem,) = problems_of(mixed, small)

    assert problem.link_id == "supervisor.mut_2"
    assert "interview with 'peer_worker'" in problem.message


def test_the_informant_is_taken_from_the_one_group_answered(small: Instrument) -> None:
    frame = read_questionnaire_responses(response("I1", None, PEER_WORKER_RATINGS), small)

    assert set(frame["informant"]) == {"peer_worker"}


def test_interview_and_rater_may_come_from_identifier_and_author(small: Instrument) -> None:
    bare = response(
        None,
        "peer_worker",
        PEER_WORKER_RATINGS,
        rater=None,
        identifier={"value": "I7"},
        author={"display": "R2"},
        authored="2024-05-01T09:00:00Z",
    )

    frame = read_questionnaire_responses(bare, small)

    assert set(frame["interview"]) == {"I7"}
    assert set(frame["rater"]) == {"R2"}
    assert set(frame["date"]) == {"2024-05-01"}


def test_an_identifier_that_contradicts_the_interview_answer_is_reported(
    small: Instrument,
) -> None:
    both = response("I1", "peer_worker", PEER_WORKER_RATINGS, identifier={"value": "I2"})

    (problem,) = problems_of(both, small)

    assert problem.link_id == "_meta.interview"
    assert problem.message == "the answer 'I1' differs from the response's identifier 'I2'."


def test_a_response_without_interview_or_rater_says_where_to_give_them(small: Instrument) -> None:
    bare = response(None, "peer_worker", PEER_WORKER_RATINGS, rater=None)

    found = problems_of(bare, small)

    assert [p.link_id for p in found] == ["_meta.interview", "_meta.rater"]
    assert "set the response's identifier.value" in found[0].fix


def test_two_responses_rating_the_same_interview_are_reported_by_response(
    small: Instrument,
) -> None:
    first = response("I1", "peer_worker", PEER_WORKER_RATINGS, id="a")
    again = response("I1", "peer_worker", PEER_WORKER_RATINGS, id="b")

    found = problems_of(
        {"resourceType": "Bundle", "entry": [{"resource": first}, {"resource": again}]}, small
    )

    assert {p.response for p in found} == {"entry 2 (id 'b')"}
    assert {p.link_id for p in found} == {"_meta.rater"}
    assert "(entry 1 (id 'a'))" in found[0].message
    assert "row" not in found[0].message


def test_every_problem_in_every_response_is_reported_in_one_go(small: Instrument) -> None:
    one = response("I1", "peer_worker", {"peer_worker.rel_1": "7", "peer_worker.rel_2": "1"})
    two = response("I2", "supervisor", {"supervisor.rel_1": "2", "supervisor.mut_2": "X"})

    found = problems_of([one, two], small)

    assert [(p.line, p.link_id) for p in found] == [
        (1, "peer_worker.rel_1"),
        (2, "supervisor.mut_2"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"resourceType": "Bundle",\n "entry": [,]}', "the file is not valid JSON"),
        ('{"resourceType": "Patient"}', "the file is a Patient resource"),
        ("", "the file is empty."),
        ('[{"resourceType": "Patient"}]', "the entries 1 are not QuestionnaireResponses."),
    ],
)
def test_a_file_that_holds_no_responses_is_refused_with_a_reason(
    small: Instrument, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "responses.json"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(RatingsError) as caught:
        read_questionnaire_responses(path, small)

    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_bundle_without_responses_says_no_ratings_were_found(small: Instrument) -> None:
    with pytest.raises(RatingsError, match="no ratings were found"):
        read_questionnaire_responses({"resourceType": "Bundle", "entry": []}, small)


def test_malformed_items_are_reported_not_crashed_on(small: Instrument) -> None:
    odd = response("I1", "peer_worker", PEER_WORKER_RATINGS)
    odd["item"].append({"text": "no link id"})
    odd["item"].append("not an item")

    found = problems_of(odd, small)

    assert [p.message for p in found] == ["an item has no linkId."] * 2


# --- commands ----------------------------------------------------------------------------------


def run(argv: list[str]) -> int:
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    if "import-fhir" not in commands.choices:
        from peerprinciples.cli.interchange_forms import register

        register(commands)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args, Library()))
    except RatingsError as error:
        print(f"error: {error}")
        return 1


def test_the_fhir_command_writes_the_questionnaire_and_import_reads_responses_back(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "small.json"
    ratings = tmp_path / "ratings.csv"

    assert run(["instrument", "fhir", str(INSTRUMENT_FILE), "--out", str(out)]) == 0
    Questionnaire.model_validate(json.loads(out.read_text(encoding="utf-8")))
    bundle = str(FIXTURES / "fhir_responses_bundle.json")
    code = run(["import-fhir", bundle, "--instrument", str(INSTRUMENT_FILE), "--out", str(ratings)])

    assert code == 0
    assert ratings.read_text(encoding="utf-8").splitlines()[0] == (
        "interview,informant,item,rating,rater,service,peer_worker,round,date"
    )
    assert "Read 6 ratings from 2 interview(s)" in capsys.readouterr().out


def test_the_import_command_writes_nothing_when_the_responses_have_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    responses = tmp_path / "responses.json"
    responses.write_text(json.dumps(response("I1", "peer_worker", {"peer_worker.rel_1": "3"})))
    ratings = tmp_path / "ratings.csv"

    code = run(
        ["import-fhir", str(responses), "--instrument", str(INSTRUMENT_FILE), "--out", str(ratings)]
    )

    assert code == 1
    assert not ratings.exists()
    assert "linkId 'peer_worker.rel_2': the required item has no answer." in capsys.readouterr().out


def test_a_question_with_two_answers_is_reported_once(small: Instrument) -> None:
    twice = response("I1", "peer_worker", PEER_WORKER_RATINGS)
    rel_2 = twice["item"][1]["item"][1]
    rel_2["answer"] = rel_2["answer"] * 2

    (problem,) = problems_of(twice, small)

    assert (problem.link_id, problem.message) == (
        "peer_worker.rel_2",
        "the question has 2 answers, but takes one.",
    )


def test_a_response_without_status_is_refused(small: Instrument) -> None:
    unfinished = response("I1", "peer_worker", PEER_WORKER_RATINGS)
    del unfinished["status"]

    (problem,) = problems_of(unfinished, small)

    assert problem.message.startswith("the response has no status;")
