"""The prompts for the practice matrix: the ENRICH set, prompt files and how sets combine."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from peerprinciples.core.documents import DocumentError, parse_yaml
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.library import Library
from peerprinciples.core.practice.matrix import Area, Level, Matrix, builtin_areas
from peerprinciples.core.practice.prompts import (
    PromptSet,
    Source,
    builtin_prompt_set,
    check_prompt_set,
    load_prompt_set,
    prompts_for,
    read_prompt_set,
    resolve_prompt_set,
)

ENRICH_FILE = "data/practice/prompts/enrich.yaml"


@pytest.fixture(scope="module")
def enrich() -> Framework:
    return Library().framework("enrich@2017")


def adaptation_of(enrich: Framework) -> Framework:
    """A resolved local adaptation: drops mutuality, adds a principle of its own."""
    data = enrich.model_dump()
    data.update(key="our-enrich", version="1", title="Our ENRICH", extends=enrich.ref)
    data["principles"] = [p for p in data["principles"] if p["key"] != "mutuality"]
    data["principles"].append(
        {"key": "faith-community", "title": "Faith and community", "definition": "Ours."}
    )
    return Framework.model_validate(data)


def checked(text: str, framework: Framework, **options: object) -> list[str]:
    document = parse_yaml(text, "ours.yaml")
    prompt_set, problems = load_prompt_set(document)
    assert prompt_set is not None, problems
    return [str(p) for p in check_prompt_set(prompt_set, framework, document, **options)]  # type: ignore[arg-type]


def test_the_enrich_set_has_a_prompt_for_every_principle_and_theme_in_every_area(
    enrich: Framework,
) -> None:
    prompt_set = builtin_prompt_set("enrich")
    assert prompt_set is not None
    cells = {(e.area, e.principle) for e in prompt_set.prompts}
    wanted = {(a.key, key) for a in builtin_areas() for key in enrich.titles()}
    assert "diversity-of-lived-experience" in enrich.titles()
    assert len(wanted) == 66
    assert cells == wanted
    assert len(prompt_set.prompts) == 66


def test_the_enrich_set_passes_its_own_check(enrich: Framework) -> None:
    source = resources.files("peerprinciples.core").joinpath(ENRICH_FILE)
    document = parse_yaml(source.read_text(encoding="utf-8"), ENRICH_FILE)
    prompt_set, problems = load_prompt_set(document)
    assert problems == []
    assert prompt_set is not None
    assert check_prompt_set(prompt_set, enrich, document) == []


def test_every_enrich_prompt_is_a_short_question(enrich: Framework) -> None:
    prompt_set = builtin_prompt_set("enrich")
    assert prompt_set is not None
    for entry in prompt_set.prompts:
        assert entry.text.endswith("?"), entry
        assert 1 <= entry.text.count("?") <= 2, entry
        assert len(entry.text.split()) <= 45, entry


def test_prompts_for_enrich_gives_the_built_in_prompt_of_each_cell(enrich: Framework) -> None:
    found = prompts_for(enrich)
    assert len(found) == 66
    prompt = found[("records-information", "leadership-choice-control")]
    assert prompt.source is Source.BUILT_IN
    assert "Who decides what is written" in prompt.text


def test_a_programmes_own_prompt_changes_or_adds_to_the_built_in_ones(
    enrich: Framework,
) -> None:
    matrix = Matrix(
        programme="Riverside",
        framework="enrich@2017",
        areas=list(builtin_areas()),
        prompts={"supervision/mutuality": "Our own question?", "our-area/mutuality": "New?"},
    )
    found = prompts_for(enrich, matrix)
    assert found[("supervision", "mutuality")].text == "Our own question?"
    assert found[("supervision", "mutuality")].source is Source.LOCAL
    assert found[("our-area", "mutuality")].text == "New?"
    assert found[("supervision", "relationships")].source is Source.BUILT_IN


def test_an_adaptation_is_prompted_from_its_base_for_the_principles_it_kept(
    enrich: Framework,
) -> None:
    found = prompts_for(adaptation_of(enrich))
    principles = {principle for _, principle in found}
    assert "mutuality" not in principles
    assert "relationships" in principles
    assert "faith-community" not in principles
    assert len(found) == 55


def test_an_adaptations_own_prompt_file_extends_the_base_set(enrich: Framework) -> None:
    ours = PromptSet.model_validate(
        {
            "framework": "our-enrich",
            "extends": "enrich",
            "prompts": [
                {"principle": "relationships", "area": "supervision", "text": "Changed?"},
                {"principle": "faith-community", "area": "supervision", "text": "Added?"},
            ],
        }
    )
    found = prompts_for(adaptation_of(enrich), prompt_sets={"our-enrich": ours})
    assert found[("supervision", "relationships")].text == "Changed?"
    assert found[("supervision", "relationships")].source is Source.ADAPTATION
    assert found[("supervision", "faith-community")].text == "Added?"
    assert found[("recruitment", "relationships")].source is Source.BUILT_IN
    assert len(found) == 56


def test_resolving_a_set_keeps_the_base_order_with_changes_in_place_and_additions_last() -> None:
    ours = PromptSet.model_validate(
        {
            "framework": "our-enrich",
            "extends": "enrich",
            "prompts": [
                {"principle": "faith-community", "area": "supervision", "text": "Added?"},
                {"principle": "relationships", "area": "role-description", "text": "Mine?"},
            ],
        }
    )
    resolved = resolve_prompt_set(ours)
    assert resolved.extends is None
    assert len(resolved.prompts) == 67
    assert resolved.prompts[0].text == "Mine?"
    assert resolved.prompts[-1].principle == "faith-community"


def test_sets_that_extend_each_other_in_a_circle_resolve_without_looping() -> None:
    a = PromptSet(framework="a", extends="b", prompts=[])
    b = PromptSet.model_validate(
        {
            "framework": "b",
            "extends": "a",
            "prompts": [{"principle": "p", "area": "x", "text": "?"}],
        }
    )
    assert [e.principle for e in resolve_prompt_set(a, {"b": b}).prompts] == ["p"]


def test_the_check_names_unknown_principles_and_areas_with_their_lines(
    enrich: Framework,
) -> None:
    text = """\
framework: enrich
prompts:
  - principle: mutualty
    area: supervision
    text: Is it two-way?
  - principle: mutuality
    area: supervison
    text: Is it two-way?
"""
    problems = checked(text, enrich)
    assert len(problems) == 2
    assert problems[0].startswith("ours.yaml:3: prompts[0].principle: 'mutualty' is not a")
    assert "(it has: relationships, mutuality" in problems[0]
    assert problems[1].startswith("ours.yaml:7: prompts[1].area: 'supervison' is not an area")
    assert "Fix: use one of those keys" in problems[1]


def test_the_check_uses_the_areas_it_is_given(enrich: Framework) -> None:
    text = "framework: enrich\nprompts:\n  - {principle: mutuality, area: ours, text: 'Q?'}\n"
    assert len(checked(text, enrich)) == 1
    ours = [Area(key="ours", title="Ours", level=Level.TEAM)]
    assert checked(text, enrich, areas=ours) == []


def test_the_check_refuses_two_prompts_for_one_cell(enrich: Framework) -> None:
    text = """\
framework: enrich
prompts:
  - {principle: mutuality, area: supervision, text: 'One?'}
  - {principle: mutuality, area: supervision, text: 'Two?'}
"""
    (problem,) = checked(text, enrich)
    assert problem.startswith("ours.yaml:4: prompts[1]: there is already a prompt")
    assert "(prompts[0], line 3)" in problem


def test_the_check_refuses_a_set_written_for_another_framework(enrich: Framework) -> None:
    (problem,) = checked("framework: other\nprompts: []\n", enrich)
    assert problem.startswith("ours.yaml:1: framework: these prompts are written for")
    assert "write 'framework: enrich'" in problem


def test_an_adaptation_may_use_its_own_set_or_its_bases(enrich: Framework) -> None:
    ours = adaptation_of(enrich)
    assert checked("framework: our-enrich\nextends: enrich\n", ours) == []
    assert checked("framework: enrich\n", ours) == []


def test_the_check_refuses_extending_a_set_that_does_not_exist(enrich: Framework) -> None:
    (problem,) = checked("framework: our-enrich\nextends: nothing\n", adaptation_of(enrich))
    assert problem.startswith("ours.yaml:2: extends: there is no prompt set for the framework")


def test_the_check_refuses_sets_that_extend_each_other_in_a_circle(enrich: Framework) -> None:
    other = PromptSet(framework="middle", extends="our-enrich")
    (problem,) = checked(
        "framework: our-enrich\nextends: middle\n",
        adaptation_of(enrich),
        prompt_sets={"middle": other},
    )
    assert "in a circle (our-enrich -> middle -> our-enrich)" in problem


def test_reading_a_prompt_file_reports_structure_problems_at_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(
        "framework: our-enrich\nprompts:\n  - principle: mutuality\n    area: supervision\n"
        "  - {principle: mutuality, area: team-support, text: 'Q?', colour: red}\n",
        encoding="utf-8",
    )
    with pytest.raises(DocumentError) as raised:
        read_prompt_set(path)
    text = str(raised.value)
    assert "2 problems found" in text
    assert f"{path}:3: prompts[0].text: the required field 'text' is missing." in text
    assert f"{path}:5: prompts[1].colour: 'colour' is not a field here." in text


def test_reading_a_prompt_file_checks_it_against_the_framework(
    tmp_path: Path, enrich: Framework
) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(
        "framework: enrich\nprompts:\n  - {principle: nope, area: supervision, text: 'Q?'}\n",
        encoding="utf-8",
    )
    assert read_prompt_set(path).prompts[0].principle == "nope"
    with pytest.raises(DocumentError, match="'nope' is not a principle or theme"):
        read_prompt_set(path, enrich)


def test_reading_a_missing_prompt_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="there is no such file"):
        read_prompt_set(tmp_path / "absent.yaml")


def test_the_library_does_not_take_the_practice_data_for_documents() -> None:
    library = Library()
    library.entries()
    assert library.load_problems == []
