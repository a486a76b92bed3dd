"""Publishing agreed drafts: a new framework, an adaptation of ENRICH, keys and versions."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from peerprinciples.core.coproduction.publishing import (
    AgreedPrinciple,
    AgreedTheme,
    AgreedValue,
    Draft,
    PublishError,
    build_adaptation,
    build_framework,
    next_version,
    suggest_key,
)
from peerprinciples.core.documents import DocumentError, YamlDocument
from peerprinciples.core.frameworks import Framework, diff_frameworks, resolve_adaptation
from peerprinciples.core.library import Library
from peerprinciples.core.provenance import Counts, PrincipleProvenance, Provenance
from peerprinciples.core.translation import localise

ENRICH = Library().framework("enrich@2017")


def harbour_draft(**changes: object) -> Draft:
    fields: dict[str, object] = {
        "key": "harbour",
        "version": "1",
        "title": "Harbour peer support principles",
        "summary": "Agreed by the Harbour panel.",
        "values": [
            AgreedValue("choice", "Choice and control", "People decide."),
            AgreedValue("estate", "The estate", "Where we live.", "local", "Harbour estate"),
        ],
        "principles": [
            AgreedPrinciple(
                "walking",
                "Walking alongside",
                "Peer workers walk alongside people.",
                ["The person sets the pace.", "Sharing when it helps."],
                values=["choice", "estate"],
            )
        ],
        "themes": [AgreedTheme("difference", "Respecting difference", "Lives differ.")],
        "provenance": Provenance(
            project="Harbour panel",
            counts=Counts(members=10),
            principles={"walking": PrincipleProvenance(categories=["Alongside"], agreed_in=1)},
        ),
    }
    fields.update(changes)
    return Draft(**fields)  # type: ignore[arg-type]


def test_a_draft_becomes_a_framework_with_its_provenance() -> None:
    framework = build_framework(harbour_draft())
    assert framework.ref == "harbour@1"
    assert framework.principle("walking").aspects == [
        "The person sets the pace.",
        "Sharing when it helps.",
    ]
    assert framework.values[1].community == "Harbour estate"
    assert framework.provenance is not None
    assert framework.provenance.principles["walking"].categories == ["Alongside"]
    assert framework.extends is None


def test_every_problem_of_a_draft_is_listed_at_once_with_its_place_and_fix() -> None:
    draft = harbour_draft(
        key="Harbour Panel",
        values=[
            AgreedValue("choice", "Choice"),
            AgreedValue("choice", "Choice again", community="Harbour estate"),
        ],
        principles=[
            AgreedPrinciple("walking", "Walking alongside", "", values=["choise"]),
            AgreedPrinciple("walking", "Walking again", "Again."),
        ],
        themes=[AgreedTheme("difference", "Difference", "Lives differ.", ["walkin"])],
        provenance=Provenance(project="Harbour", principles={"ghost": PrincipleProvenance()}),
    )
    with pytest.raises(PublishError) as caught:
        build_framework(draft)
    found = [(p.where, p.message) for p in caught.value.problems]
    assert [where for where, _ in found] == [
        "key",
        "values[1].key",
        "values[1].community",
        "principles[0].definition",
        "principles[0].values[0]",
        "principles[1].key",
        "themes[0].applies_to[0]",
        "provenance.principles.ghost",
    ]
    messages = dict(found)
    assert messages["values[1].key"] == (
        "the value key 'choice' is used twice (first at values[0].key)."
    )
    assert (
        "protects the value 'choise', which this framework does not define"
        in (messages["principles[0].values[0]"])
    )
    assert all(p.fix for p in caught.value.problems)
    assert all(p.line is None for p in caught.value.problems)
    assert all(p.source == "draft Harbour Panel@1" for p in caught.value.problems)
    assert isinstance(caught.value, DocumentError)


def test_a_draft_with_no_principles_is_refused() -> None:
    with pytest.raises(PublishError, match="principles: list should have at least 1 item"):
        build_framework(harbour_draft(principles=[], themes=[], provenance=None))


# --- adaptations of ENRICH ---------------------------------------------------------------


def enrich_principles(skip: Sequence[str] = ()) -> list[AgreedPrinciple]:
    return [
        AgreedPrinciple(p.key, p.title, p.definition, p.aspects, p.scope, p.values, base_key=p.key)
        for p in ENRICH.principles
        if p.key not in skip
    ]


def enrich_values() -> list[AgreedValue]:
    return [
        AgreedValue(v.key, v.title, v.description, v.scope, v.community, base_key=v.key)
        for v in ENRICH.values
    ]


def enrich_themes() -> list[AgreedTheme]:
    return [
        AgreedTheme(t.key, t.title, t.description, t.applies_to, base_key=t.key)
        for t in ENRICH.themes
    ]


def riverside_draft() -> Draft:
    principles = enrich_principles(skip=["strengths-connections"])
    mutuality = principles[1]
    principles[1] = AgreedPrinciple(
        "mutuality",
        "Two-way support",  # a rename
        "Support runs both ways between equals.",  # a reword
        mutuality.aspects,
        values=mutuality.values,
        base_key="mutuality",
    )
    principles.append(
        AgreedPrinciple(
            "meeting-in-community",
            "Meeting people where they already are",
            "Support happens where people already belong.",
            ["The person chooses where to meet."],
            scope="local",
            values=["connection-and-belonging", "riverside-belonging"],
        )
    )
    values = [
        *enrich_values(),
        AgreedValue(
            "riverside-belonging",
            "Belonging to the riverside",
            "The river is home.",
            "local",
            "Riverside estates",
        ),
    ]
    return Draft(
        key="riverside",
        version="1",
        title="Riverside peer support principles",
        values=values,
        principles=principles,
        themes=enrich_themes(),
        provenance=Provenance(project="Riverside", synthetic=True),
    )


def test_an_adaptation_records_only_what_changed() -> None:
    adaptation = build_adaptation(ENRICH, riverside_draft())
    assert adaptation.extends == "enrich@2017"
    assert adaptation.language is None
    assert adaptation.principles.rename == {"mutuality": "Two-way support"}
    [(key, reword)] = adaptation.principles.reword.items()
    assert key == "mutuality"
    assert reword.model_dump(exclude_none=True) == {
        "definition": "Support runs both ways between equals."
    }
    assert adaptation.principles.remove == ["strengths-connections"]
    assert [p.key for p in adaptation.principles.add] == ["meeting-in-community"]
    assert [v.key for v in adaptation.values.add] == ["riverside-belonging"]
    assert adaptation.values.rename == {}
    assert adaptation.values.reword == {}
    assert adaptation.themes.model_dump() == {"add": [], "remove": [], "rename": {}, "reword": {}}
    assert adaptation.provenance == Provenance(project="Riverside", synthetic=True)


def test_resolving_the_adaptation_gives_back_exactly_the_drafts_wording() -> None:
    draft = riverside_draft()
    resolved, problems = resolve_adaptation(
        build_adaptation(ENRICH, draft), ENRICH, YamlDocument("test", {})
    )
    assert problems == []
    assert resolved is not None
    by_key = {p.key: p for p in resolved.principles}
    assert set(by_key) == {p.key for p in draft.principles}
    for agreed in draft.principles:
        got = by_key[agreed.key]
        assert (got.title, got.definition, list(got.aspects), got.scope, list(got.values)) == (
            agreed.title,
            agreed.definition,
            list(agreed.aspects),
            agreed.scope,
            list(agreed.values),
        )
    assert {(v.key, v.title, v.description, v.scope, v.community) for v in resolved.values} == {
        (v.key, v.title, v.description, v.scope, v.community) for v in draft.values
    }
    # The base's order is kept; additions come last.
    assert [p.key for p in resolved.principles][-1] == "meeting-in-community"
    kinds = [(c.kind, c.target) for c in diff_frameworks(ENRICH, resolved)]
    assert kinds == [
        ("added", "value 'riverside-belonging'"),
        ("removed", "principle 'strengths-connections'"),
        ("renamed", "principle 'mutuality'"),
        ("reworded", "principle 'mutuality'"),
        ("added", "principle 'meeting-in-community'"),
    ]


def test_an_unchanged_draft_is_an_adaptation_with_no_changes() -> None:
    draft = Draft(
        key="same",
        version="1",
        title="Same",
        values=enrich_values(),
        principles=enrich_principles(),
        themes=enrich_themes(),
    )
    adaptation = build_adaptation(ENRICH, draft)
    assert adaptation.principles.model_dump() == {
        "add": [],
        "remove": [],
        "rename": {},
        "reword": {},
    }
    resolved, _ = resolve_adaptation(adaptation, ENRICH, YamlDocument("test", {}))
    assert resolved is not None
    assert diff_frameworks(ENRICH, resolved) == []


def test_where_a_draft_entry_comes_from_must_make_sense() -> None:
    principles = enrich_principles()
    principles[0] = AgreedPrinciple("relations", "R", "D", base_key="relationships")
    principles[1] = AgreedPrinciple("mutuality", "M", "D", base_key="mutual")
    principles[2] = AgreedPrinciple("relationships", "R2", "D", base_key="relationships")
    draft = Draft(key="odd", version="1", title="Odd", principles=principles)
    with pytest.raises(PublishError) as caught:
        build_adaptation(ENRICH, draft)
    found = {p.where: (p.message, p.fix) for p in caught.value.problems}
    assert set(found) == {"principles[0].key", "principles[1].base_key", "principles[2].base_key"}
    assert "keeps the base's keys" in found["principles[0].key"][0]
    assert found["principles[0].key"][1] == "use the key 'relationships' (its title can change)."
    assert "which enrich@2017 does not have" in found["principles[1].base_key"][0]
    assert (
        "two principles come from the base's 'relationships'"
        in (found["principles[2].base_key"][0])
    )


def test_removing_a_value_a_kept_principle_protects_is_refused_by_the_library_checks() -> None:
    values = [v for v in enrich_values() if v.key != "choice-and-control"]
    draft = Draft(
        key="thin",
        version="1",
        title="Thin",
        values=values,
        principles=enrich_principles(),
        themes=enrich_themes(),
    )
    with pytest.raises(PublishError) as caught:
        build_adaptation(ENRICH, draft)
    assert [p.message for p in caught.value.problems] == [
        f"the principle '{key}' protects the value 'choice-and-control', which the adapted "
        "framework no longer defines."
        for key in ("leadership-choice-control", "strengths-connections")
    ]


def welsh_draft(**changes: object) -> Draft:
    principles = enrich_principles()
    first = principles[0]
    principles[0] = AgreedPrinciple(
        first.key,
        "Perthnasoedd wedi'u seilio ar brofiad byw a rennir",
        first.definition,
        ["Agwedd un.", first.aspects[1], "Agwedd tri."],
        values=first.values,
        base_key=first.key,
    )
    fields: dict[str, object] = {
        "key": "enrich-cy",
        "version": "1",
        "title": "Egwyddorion cymorth cymheiriaid ENRICH",
        "language": "cy",
        "values": enrich_values(),
        "principles": principles,
        "themes": enrich_themes(),
    }
    fields.update(changes)
    return Draft(**fields)  # type: ignore[arg-type]


def test_a_draft_in_another_language_becomes_translations_of_the_base() -> None:
    adaptation = build_adaptation(ENRICH, welsh_draft())
    assert adaptation.language is None
    assert adaptation.principles.model_dump() == {
        "add": [],
        "remove": [],
        "rename": {},
        "reword": {},
    }
    assert adaptation.translations == {
        "cy": {
            "title": "Egwyddorion cymorth cymheiriaid ENRICH",
            "principles.relationships.title": "Perthnasoedd wedi'u seilio ar brofiad byw a rennir",
            "principles.relationships.aspects.0": "Agwedd un.",
            "principles.relationships.aspects.2": "Agwedd tri.",
        }
    }
    resolved, _ = resolve_adaptation(adaptation, ENRICH, YamlDocument("test", {}))
    assert resolved is not None
    welsh: Framework = localise(resolved, "cy").document
    assert welsh.principles[0].title == "Perthnasoedd wedi'u seilio ar brofiad byw a rennir"
    assert welsh.principles[0].aspects == [
        "Agwedd un.",
        ENRICH.principles[0].aspects[1],
        "Agwedd tri.",
    ]
    assert [c.kind for c in diff_frameworks(ENRICH, resolved)] == ["translated"]


def test_a_translation_that_changes_structure_is_refused() -> None:
    principles = enrich_principles(skip=["mutuality"])
    first = principles[0]
    principles[0] = AgreedPrinciple(
        first.key,
        first.title,
        first.definition,
        first.aspects[:1],
        "local",
        first.values,
        base_key=first.key,
    )
    with pytest.raises(PublishError) as caught:
        build_adaptation(ENRICH, welsh_draft(principles=principles))
    found = {p.where: p.message for p in caught.value.problems}
    assert set(found) == {"principles"}
    assert "must be the base's" in found["principles"]
    principles.insert(1, enrich_principles()[1])
    with pytest.raises(PublishError) as caught:
        build_adaptation(ENRICH, welsh_draft(principles=principles))
    assert [(p.where, p.message) for p in caught.value.problems] == [
        (
            "principles[0].scope",
            "a translation cannot change the scope of the principle 'relationships'.",
        ),
        (
            "principles[0].aspects",
            "a translation cannot change the aspects of the principle 'relationships' "
            "(how many there are).",
        ),
    ]


# --- keys and versions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "taken", "key"),
    [
        ("Walking alongside", (), "walking-alongside"),
        ("Mutuality & reciprocity", {"mutuality-reciprocity"}, "mutuality-reciprocity-2"),
        ("Mutuality", {"mutuality", "mutuality-2"}, "mutuality-3"),
        ("Cydfuddiant â dwyochredd", (), "cydfuddiant-a-dwyochredd"),
        ("5 ways to wellbeing", (), "entry-5-ways-to-wellbeing"),
        # Apostrophes are dropped, straight or curly, not turned into hyphens.
        ("Riverside young people's drop-in", (), "riverside-young-peoples-drop-in"),
        ("Young people\u2019s drop-in", (), "young-peoples-drop-in"),
        ("!!!", (), "entry"),
        ("!!!", {"entry"}, "entry-2"),
        ("A" * 30 + " " + "b" * 30, (), "a" * 30),
    ],
)
def test_suggest_key(title: str, taken: set[str], key: str) -> None:
    assert suggest_key(title, taken) == key


@pytest.mark.parametrize(
    ("existing", "version"),
    [
        ([], "1"),
        (["1"], "2"),
        (["1", "2"], "3"),
        (["1.1"], "1.2"),
        (["1.2", "1.9", "1.10"], "1.11"),
        (["2017"], "2018"),
        (["2017", "2017.1"], "2017.2"),
        (["1.0-beta2"], "1.0-beta3"),
    ],
)
def test_next_version(existing: list[str], version: str) -> None:
    assert next_version(existing) == version


def test_next_version_after_a_version_without_a_number_asks_for_one() -> None:
    with pytest.raises(ValueError, match="the latest version 'draft' has no number"):
        next_version(["draft"])
