"""Storing a review's evidence into a project: added and updated by key, all or nothing."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import DatabaseError
from tests.web.coproduction_evidence_fixtures import (
    CHOICE,
    CODEBOOK_CSV,
    HOPE,
    LOOSE,
    SHARED,
    SOURCE_A,
    SOURCES_CSV,
    TRUST,
    Held,
    codebook_qdc,
    project_qdpx,
)

from peerprinciples.core.coproduction import evidence as core
from peerprinciples.core.coproduction import evidence_csv, refiqda
from peerprinciples.core.coproduction.problems import ImportProblems
from peerprinciples.web.audit.models import AuditEvent
from peerprinciples.web.coproduction.models import Code, Quotation, Source
from peerprinciples.web.coproduction.services.evidence import (
    EvidenceChanged,
    plan_import,
    project_evidence,
    store_evidence,
)

pytestmark = pytest.mark.django_db


def _sorted(evidence: core.Evidence) -> core.Evidence:
    """The evidence with every kind in key order and each quotation's codes sorted, as the
    project gives it back."""
    return core.Evidence(
        tuple(sorted(evidence.sources, key=lambda s: s.key)),
        tuple(sorted(evidence.categories, key=lambda c: c.key)),
        tuple(sorted(evidence.codes, key=lambda c: c.key)),
        tuple(
            dataclasses.replace(q, codes=tuple(sorted(q.codes)))
            for q in sorted(evidence.quotations, key=lambda q: q.key)
        ),
    )


def test_a_project_gives_back_what_was_stored(panel) -> None:  # type: ignore[no-untyped-def]
    evidence = refiqda.read_qdpx(project_qdpx())
    store_evidence(panel.research, panel.project, evidence, file_name="review.qdpx")
    assert project_evidence(panel.project) == _sorted(evidence)


def test_the_csv_layout_is_stored_whole(panel) -> None:  # type: ignore[no-untyped-def]
    evidence = evidence_csv.read_evidence_csv(CODEBOOK_CSV, SOURCES_CSV)
    store_evidence(panel.research, panel.project, evidence, file_name="codebook.csv")
    assert project_evidence(panel.project) == _sorted(evidence)
    assert Held.of(panel.project) == Held(sources=3, categories=2, codes=4, quotations=3)


def test_the_plan_of_a_first_import_has_everything_new(panel) -> None:  # type: ignore[no-untyped-def]
    plan = plan_import(panel.project, refiqda.read_qdpx(project_qdpx()))
    counts = plan.counts()
    assert counts["sources"] == {"in_file": 3, "new": 3, "changed": 0, "unchanged": 0, "kept": 0}
    assert counts["categories"]["new"] == 2
    assert counts["codes"]["new"] == 5
    assert counts["quotations"]["new"] == 4
    assert plan.changes == 14
    assert Held.of(panel.project) == Held(0, 0, 0, 0)  # a plan stores nothing


def test_a_second_import_updates_matching_keys_and_keeps_the_rest(panel) -> None:  # type: ignore[no-untyped-def]
    store_evidence(
        panel.research, panel.project, refiqda.read_qdpx(project_qdpx()), file_name="a.qdpx"
    )
    renamed = codebook_qdc().replace(b'name="Modelling hope"', b'name="Showing hope"')
    plan = plan_import(panel.project, refiqda.read_qdc(renamed))
    codes = plan.counts()["codes"]
    assert codes == {"in_file": 5, "new": 0, "changed": 1, "unchanged": 4, "kept": 0}
    assert plan.counts()["sources"] == {
        "in_file": 0,
        "new": 0,
        "changed": 0,
        "unchanged": 0,
        "kept": 3,
    }
    assert next(k for k in plan.kinds if k.kind == "codes").changed == (
        "Modelling hope → Showing hope",
    )
    store_evidence(panel.research, panel.project, refiqda.read_qdc(renamed), file_name="b.qdc")
    hope = Code.objects.get(project=panel.project, key=HOPE)
    assert (hope.label, hope.version) == ("Showing hope", 2)
    assert Code.objects.get(project=panel.project, key=SHARED).version == 1
    assert Held.of(panel.project) == Held(sources=3, categories=2, codes=5, quotations=4)


def test_the_same_file_twice_changes_nothing(panel) -> None:  # type: ignore[no-untyped-def]
    evidence = refiqda.read_qdpx(project_qdpx())
    store_evidence(panel.research, panel.project, evidence, file_name="a.qdpx")
    plan = plan_import(panel.project, evidence)
    assert plan.changes == 0
    assert [kind.unchanged for kind in plan.kinds] == [3, 2, 5, 4]


def test_a_quotation_given_other_codes_is_changed_in_place(panel) -> None:  # type: ignore[no-untyped-def]
    evidence = refiqda.read_qdpx(project_qdpx())
    store_evidence(panel.research, panel.project, evidence, file_name="a.qdpx")
    first = evidence.quotations[0]
    recoded = dataclasses.replace(
        evidence, quotations=(dataclasses.replace(first, codes=(LOOSE,)),)
    )
    store_evidence(panel.research, panel.project, recoded, file_name="b.qdpx")
    stored = Quotation.objects.get(project=panel.project, key=first.key)
    assert [code.key for code in stored.codes.all()] == [LOOSE]
    assert Quotation.objects.filter(project=panel.project).count() == 4


def test_codes_nested_below_codes_keep_the_code_above(panel) -> None:  # type: ignore[no-untyped-def]
    nested = codebook_qdc().replace(
        b'isCodable="true"/>\n    </Code>\n    <Code guid="0B7C1B2E-1111-4C1D-9E10-000000000007"',
        b'isCodable="true"><Code guid="0B7C1B2E-1111-4C1D-9E10-000000000008" name="Peer '
        b'training" isCodable="true"/></Code>\n    </Code>\n    <Code guid="0B7C1B2E-1111-'
        b'4C1D-9E10-000000000007"',
    )
    evidence = refiqda.read_qdc(nested)
    store_evidence(panel.research, panel.project, evidence, file_name="nested.qdc")
    child = Code.objects.get(project=panel.project, key="0B7C1B2E-1111-4C1D-9E10-000000000008")
    assert child.parent is not None
    assert child.parent.label == "Training together"
    assert child.category is not None
    assert child.category.key == "0B7C1B2E-1111-4C1D-9E10-000000000004"
    assert project_evidence(panel.project) == _sorted(evidence)


def test_an_import_is_one_audit_entry_with_the_counts(panel) -> None:  # type: ignore[no-untyped-def]
    store_evidence(
        panel.research, panel.project, refiqda.read_qdpx(project_qdpx()), file_name="a.qdpx"
    )
    event = AuditEvent.objects.get(object_type="coproduction.Project")
    assert event.user == panel.research
    assert event.evaluation_id is None
    assert event.summary.startswith("Imported evidence from a.qdpx: 3 new sources")
    assert event.after["evidence_import"]["counts"]["quotations"]["new"] == 4


def test_a_quotation_naming_an_unknown_code_stores_nothing(panel) -> None:  # type: ignore[no-untyped-def]
    evidence = refiqda.read_qdpx(project_qdpx())
    broken = dataclasses.replace(
        evidence,
        quotations=(*evidence.quotations, core.Quotation("Q9", SOURCE_A, ("no-such-code",))),
    )
    with pytest.raises(ImportProblems) as raised:
        store_evidence(panel.research, panel.project, broken, file_name="broken.qdpx")
    (problem,) = raised.value.problems
    assert problem.where == "broken.qdpx, quotation Q9"
    assert "'no-such-code'" in problem.what
    assert Held.of(panel.project) == Held(0, 0, 0, 0)
    assert not AuditEvent.objects.exists()


def test_a_code_may_name_a_category_the_project_already_has(panel) -> None:  # type: ignore[no-untyped-def]
    store_evidence(panel.research, panel.project, refiqda.read_qdc(codebook_qdc()), file_name="a")
    extra = core.Evidence(codes=(core.Code("NEW", "Belonging", category=TRUST),))
    store_evidence(panel.research, panel.project, extra, file_name="b.csv")
    assert Code.objects.get(project=panel.project, key="NEW").category.key == TRUST  # type: ignore[union-attr]


def test_keys_given_twice_and_values_too_long_are_all_listed(panel) -> None:  # type: ignore[no-untyped-def]
    source = core.Source("S1", "Example A. (2009)")
    evidence = core.Evidence(
        sources=(source, source),
        codes=(core.Code("K" * 101, "A code"), core.Code("K2", "L" * 301)),
    )
    with pytest.raises(ImportProblems) as raised:
        plan_import(panel.project, evidence, file="big.csv")
    assert [p.where for p in raised.value.problems] == [
        "big.csv, sources",
        f"big.csv, code {'K' * 101}",
        "big.csv, code K2",
    ]
    assert "at most 100" in raised.value.problems[1].what
    assert "at most 300" in raised.value.problems[2].what


def test_a_change_since_the_preview_refuses_the_import(panel) -> None:  # type: ignore[no-untyped-def]
    evidence = refiqda.read_qdpx(project_qdpx())
    plan = plan_import(panel.project, evidence)
    Source.objects.create(project=panel.project, key="S1", citation="Example Z. (2010)")
    with pytest.raises(EvidenceChanged) as raised:
        store_evidence(
            panel.research, panel.project, evidence, file_name="a.qdpx", expected=plan.fingerprint
        )
    assert raised.value.plan.fingerprint != plan.fingerprint
    assert Held.of(panel.project) == Held(1, 0, 0, 0)


def test_a_row_the_database_refuses_leaves_nothing_half_stored(panel) -> None:  # type: ignore[no-untyped-def]
    # The new source is written before the changed one, whose negative year the database's
    # own check refuses: the new source must go with it.
    Source.objects.create(project=panel.project, key="OLD", citation="Example O. (1999)")
    evidence = core.Evidence(
        sources=(
            core.Source("NEW", "Example N. (2005)", year=2005),
            core.Source("OLD", "Example O. (1999)", year=-1999),
        ),
        codes=(core.Code("K", "A code"),),
        quotations=(core.Quotation("Q", "NEW", ("K",)),),
    )
    with pytest.raises(DatabaseError):  # IntegrityError on either database
        store_evidence(panel.research, panel.project, evidence, file_name="bad.csv")
    assert list(Source.objects.filter(project=panel.project).values_list("key", "year")) == [
        ("OLD", None)
    ]
    assert Held.of(panel.project) == Held(1, 0, 0, 0)
    assert not AuditEvent.objects.exists()


def test_projects_keep_their_evidence_apart(panel, make_user) -> None:  # type: ignore[no-untyped-def]
    from peerprinciples.web.coproduction.models import Project

    other = Project.objects.create(name="Other", framing_question="?", created_by=make_user("olga"))
    evidence = refiqda.read_qdpx(project_qdpx())
    store_evidence(panel.research, panel.project, evidence, file_name="a.qdpx")
    store_evidence(panel.research, other, evidence, file_name="a.qdpx")
    assert Code.objects.filter(key=CHOICE).count() == 2
    assert project_evidence(other) == project_evidence(panel.project)
