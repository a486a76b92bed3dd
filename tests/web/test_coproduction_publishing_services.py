"""Publishing a project's agreed drafts: the checks, the library, the instrument, adaptations."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.coproduction_publishing_fixtures import RULE, agreed_drafts

from peerprinciples.core.library import Library
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import (
    DraftAspect,
    DraftingRound,
    DraftPrinciple,
    DraftTheme,
    Project,
    Publication,
    Value,
)
from peerprinciples.web.coproduction.services import publishing as previews
from peerprinciples.web.coproduction.services.adaptations import base_frameworks
from peerprinciples.web.coproduction.services.projects import create_project
from peerprinciples.web.coproduction.services.publishing_store import carryable, publish
from peerprinciples.web.errors import DomainError, InvalidInput
from peerprinciples.web.evaluations.services import create_evaluation
from peerprinciples.web.library.models import StoredFramework, StoredInstrument
from peerprinciples.web.library.services import load_library


def _publish(panel: Any, project: Project | None = None, **chosen: Any) -> Publication:
    fields = {"title": "Riverside principles", "summary": "", "version": "1"}
    fields.update(chosen)
    return publish(panel.facilitator, project or panel.project, **fields)


def test_the_preview_shows_the_next_version_and_the_methods(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    shown = previews.preview(panel.project)
    assert shown.can_publish
    assert shown.draft.key == "what-matters-in-peer-support-here"
    assert shown.draft.version == "1"
    assert shown.framework is not None
    assert [p.key for p in shown.framework.principles] == ["listening", "choice"]
    assert shown.framework.principle("listening").aspects == ["They ask what the person wants."]
    # Two panel members (pam, pat) were invited to round 1 and nobody handed in a ballot.
    assert "round 1: 0 of 2 members took part" in shown.draft.provenance.methods
    assert "By the end, 5 of 5 statements were agreed" in shown.draft.provenance.methods
    record = shown.framework.provenance.principles["listening"]
    assert record.categories == ["Listening"]
    assert record.values == ["being-heard"]
    assert [(r.number, r.share_agreeing, r.median, r.agreed) for r in record.rounds] == [
        (1, 1.0, 8.5, True)
    ]
    assert record.agreed_in == 1


def test_publishing_stores_the_framework_and_a_starter_index_and_moves_the_stage(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    publication = _publish(panel, instrument="starter")
    assert publication.framework.ref == "what-matters-in-peer-support-here@1"
    framework = publication.framework.model()
    assert framework.title == "Riverside principles"
    assert publication.instrument is not None
    assert publication.instrument.framework == publication.framework
    assert "not yet tested" in publication.instrument.title
    assert publication.methods == framework.provenance.methods
    panel.project.refresh_from_db()
    assert panel.project.stage == Project.Stage.PUBLISHED
    assert panel.project.framework_key == "what-matters-in-peer-support-here"
    event = AuditEvent.objects.get(object_type="coproduction.Publication")
    assert event.summary.startswith("Published what-matters-in-peer-support-here@1 with")
    # The next version is suggested once the first is stored.
    assert previews.preview(panel.project).draft.version == "2"


def test_a_new_evaluation_with_the_stored_instrument_pins_the_published_framework(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    publication = _publish(panel, instrument="starter")
    evaluation = create_evaluation(
        panel.facilitator,
        name="Hub review",
        kind="service_review",
        instrument=publication.instrument,
    )
    assert evaluation.framework == publication.framework
    assert evaluation.instrument == publication.instrument


def test_publishing_is_refused_while_a_round_is_open(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    DraftingRound.objects.create(
        project=panel.project, number=2, rule=RULE, opened_by=panel.facilitator
    )
    with pytest.raises(DomainError, match="Round 2 is still open for votes"):
        _publish(panel)
    assert not StoredFramework.objects.filter(key="what-matters-in-peer-support-here").exists()
    assert not Publication.objects.exists()


def test_publishing_is_refused_while_a_statement_is_not_agreed(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    principle = DraftPrinciple.objects.get(project=panel.project, key="choice")
    DraftAspect.objects.create(principle=principle, text="They can stop at any time.")
    shown = previews.preview(panel.project)
    assert [(n.kind, n.text) for n in shown.not_agreed] == [
        ("aspect", "They can stop at any time.")
    ]
    assert not shown.can_publish
    with pytest.raises(DomainError, match="1 statement is not agreed yet"):
        _publish(panel)
    panel.project.refresh_from_db()
    assert panel.project.stage == Project.Stage.SETTING_UP


def test_an_unagreed_theme_and_principle_are_listed(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    DraftTheme.objects.filter(project=panel.project).update(agreed_in=None)
    DraftPrinciple.objects.filter(key="listening").update(agreed_in=None)
    kinds = [n.kind for n in previews.preview(panel.project).not_agreed]
    assert kinds == ["principle", "theme"]


def test_the_same_version_twice_is_refused_and_the_first_is_kept(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    first = _publish(panel)
    with pytest.raises(DomainError, match="already published, and a published version never"):
        _publish(panel, title="A corrected title")
    assert Publication.objects.get() == first
    assert first.framework.model().title == "Riverside principles"
    second = _publish(panel, title="A corrected title", version="2")
    assert second.framework.ref == "what-matters-in-peer-support-here@2"


def test_an_empty_title_or_a_bad_version_is_refused(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    with pytest.raises(InvalidInput) as empty:
        _publish(panel, title="  ")
    assert "title" in empty.value.problems
    with pytest.raises(InvalidInput) as spaced:
        _publish(panel, version="1 final")
    assert "no spaces" in spaced.value.problems["version"]
    with pytest.raises(InvalidInput) as unknown:
        _publish(panel, instrument="something else")
    assert "Choose one of the ways" in unknown.value.problems["instrument"]


def test_a_draft_the_core_refuses_is_explained(panel) -> None:  # type: ignore[no-untyped-def]
    agreed_drafts(panel)
    DraftPrinciple.objects.filter(key="choice").update(definition="")
    shown = previews.preview(panel.project)
    assert shown.framework is None
    assert any("definition" in problem for problem in shown.problems)
    with pytest.raises(DomainError, match="cannot be published as it is"):
        _publish(panel)


def test_carrying_over_an_instrument_whose_principles_are_missing_is_refused(  # type: ignore[no-untyped-def]
    panel, builtin_library: Library
) -> None:
    load_library(builtin_library)
    agreed_drafts(panel)
    example = StoredInstrument.objects.get(key="enrich-example-index")
    [entry] = [
        e for e in carryable(previews.preview(panel.project).framework) if e.stored == example
    ]
    assert "cannot be carried over" in entry.reason
    with pytest.raises(InvalidInput) as refused:
        _publish(panel, instrument=f"carry-{example.pk}")
    assert "rests on 'relationships'" in refused.value.problems["instrument"]
    assert not Publication.objects.exists()


# --- adaptations -------------------------------------------------------------------------------


def _adaptation(panel: Any, builtin_library: Library) -> Project:
    base = base_frameworks(builtin_library).get(key="enrich", version="2017")
    project = create_project(
        panel.facilitator,
        name="ENRICH at the hub",
        framing_question="What should ENRICH say here?",
        kind=Project.Kind.ADAPTATION,
        base_framework=base,
        framework_key="hub-enrich",
    )
    return project


def _agree_everything(project: Project, user: Any) -> None:
    closed = DraftingRound.objects.create(
        project=project, number=1, status="closed", rule=RULE, opened_by=user
    )
    DraftPrinciple.objects.filter(project=project).update(agreed_in=closed)
    DraftAspect.objects.filter(principle__project=project).update(agreed_in=closed)
    DraftTheme.objects.filter(project=project).update(agreed_in=closed)


def test_an_adaptation_project_starts_with_the_base_wording(panel, builtin_library) -> None:  # type: ignore[no-untyped-def]
    project = _adaptation(panel, builtin_library)
    enrich = builtin_library.framework("enrich@2017")
    drafts = DraftPrinciple.objects.filter(project=project)
    assert [p.key for p in drafts] == [p.key for p in enrich.principles]
    assert all(p.base_key == p.key for p in drafts)
    assert [a.text for a in drafts[0].aspects.all()] == enrich.principles[0].aspects
    assert Value.objects.filter(project=project).count() == len(enrich.values)
    assert DraftTheme.objects.filter(project=project).count() == len(enrich.themes)
    assert project.framework_key == "hub-enrich"


def test_an_adaptation_publishes_only_its_changes_and_keeps_the_instrument(  # type: ignore[no-untyped-def]
    panel, builtin_library
) -> None:
    load_library(builtin_library)
    project = _adaptation(panel, builtin_library)
    DraftPrinciple.objects.filter(project=project, key="mutuality").update(
        definition="Both give and both take."
    )
    DraftPrinciple.objects.filter(project=project, key="relationships").delete()
    _agree_everything(project, panel.facilitator)
    example = StoredInstrument.objects.get(key="enrich-example-index")
    # Relationships is gone, so the example index no longer fits ...
    with pytest.raises(InvalidInput) as refused:
        _publish(panel, project, instrument=f"carry-{example.pk}")
    assert "'relationships'" in refused.value.problems["instrument"]
    publication = _publish(panel, project, instrument="none")
    changes = publication.adaptation
    assert changes["extends"] == "enrich@2017"
    assert changes["principles"]["remove"] == ["relationships"]
    assert changes["principles"]["reword"] == {
        "mutuality": {"definition": "Both give and both take."}
    }
    framework = publication.framework.model()
    assert framework.extends == "enrich@2017"
    assert "relationships" not in [p.key for p in framework.principles]


def test_an_adaptation_keeping_every_principle_carries_the_instrument_over(  # type: ignore[no-untyped-def]
    panel, builtin_library
) -> None:
    load_library(builtin_library)
    project = _adaptation(panel, builtin_library)
    DraftPrinciple.objects.filter(project=project, key="mutuality").update(title="Give and take")
    _agree_everything(project, panel.facilitator)
    example = StoredInstrument.objects.get(key="enrich-example-index")
    publication = _publish(panel, project, instrument=f"carry-{example.pk}")
    assert publication.instrument is not None
    assert publication.instrument.ref == "enrich-example-index-for-hub-enrich@1"
    assert publication.instrument.framework.ref == "hub-enrich@1"
    assert publication.adaptation["principles"]["rename"] == {"mutuality": "Give and take"}


def test_starting_a_project_checks_what_it_publishes(panel) -> None:  # type: ignore[no-untyped-def]
    def start(**fields: Any) -> dict[str, str]:
        with pytest.raises(InvalidInput) as error:
            create_project(panel.facilitator, name="Hub", framing_question="What?", **fields)
        return error.value.problems

    assert "base_framework" in start(kind=Project.Kind.ADAPTATION)
    assert "lowercase letters" in start(framework_key="Our Principles")["framework_key"]
    assert "Choose a new framework" in start(kind="sequel")["kind"]
    agreed_drafts(panel)
    _publish(panel)
    taken = start(framework_key="what-matters-in-peer-support-here")["framework_key"]
    assert "already used" in taken
    assert "what-matters-in-peer-support-here-2" in taken
    # An empty key is made from the name.
    assert (
        create_project(panel.facilitator, name="Hub", framing_question="What?").framework_key
        == "hub"
    )


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("Demo principles", "Demo principles (synthetic demonstration)"),
        # A name that says it is synthetic already is not marked a second time.
        ("Demo hub (synthetic adaptation)", "Demo hub (synthetic adaptation)"),
        ("Demo (Synthetic demonstration)", "Demo (Synthetic demonstration)"),
    ],
)
def test_a_synthetic_project_s_title_says_synthetic_once(panel, name: str, title: str) -> None:  # type: ignore[no-untyped-def]
    Project.objects.filter(pk=panel.project.pk).update(name=name, synthetic=True)
    assert previews.default_title(Project.objects.get(pk=panel.project.pk)) == title


def test_a_translation_project_publishes_its_wording_as_translations(  # type: ignore[no-untyped-def]
    panel, builtin_library, tmp_path, capsys
) -> None:
    base = base_frameworks(builtin_library).get(key="enrich", version="2017")
    project = create_project(
        panel.facilitator,
        name="ENRICH in Welsh",
        framing_question="How should ENRICH read in Welsh?",
        kind=Project.Kind.ADAPTATION,
        base_framework=base,
        framework_key="enrich-cy",
        language="cy",
    )
    assert project.language == "cy"
    # Synthetic wording standing in for the panel's agreed translation.
    DraftPrinciple.objects.filter(project=project, key="mutuality").update(
        title="Cydfuddioldeb (synthetic)", definition="Mae'r ddau yn rhoi a derbyn (synthetic)."
    )
    _agree_everything(project, panel.facilitator)
    publication = _publish(panel, project, instrument="none")
    table = publication.adaptation["translations"]["cy"]
    assert "Cydfuddioldeb (synthetic)" in table.values()
    assert "Mae'r ddau yn rhoi a derbyn (synthetic)." in table.values()
    framework = publication.framework.model()
    # The wording itself stays the base's; the translation sits beside it.
    assert framework.principle("mutuality").title == base.model().principle("mutuality").title
    assert "Cydfuddioldeb (synthetic)" in framework.translations["cy"].values()
    # The downloaded framework.yaml shows the translation from the command line.
    from peerprinciples.cli.main import main
    from peerprinciples.web.coproduction.views.publishing import _file

    path = tmp_path / "framework.yaml"
    path.write_text(_file(publication, "framework.yaml")[0], encoding="utf-8")
    assert main(["framework", "show", str(path), "--language", "cy"]) == 0
    assert "Cydfuddioldeb (synthetic)" in capsys.readouterr().out


def test_only_an_adaptation_can_be_a_translation_and_the_code_is_checked(panel) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput) as new_one:
        create_project(panel.facilitator, name="Hub", framing_question="What?", language="cy")
    assert "Only a local adaptation" in new_one.value.problems["language"]
    base = base_frameworks().get(key="enrich", version="2017")
    with pytest.raises(InvalidInput) as bad:
        create_project(
            panel.facilitator,
            name="Hub",
            framing_question="What?",
            kind=Project.Kind.ADAPTATION,
            base_framework=base,
            language="Welsh",
        )
    assert "'Welsh' is not a language code" in bad.value.problems["language"]
    # The base's own language is no translation.
    same = create_project(
        panel.facilitator,
        name="Hub",
        framing_question="What?",
        kind=Project.Kind.ADAPTATION,
        base_framework=base,
        language="en",
    )
    assert same.language == ""
