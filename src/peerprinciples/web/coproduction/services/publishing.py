"""What a project would publish: its agreed drafts as the core's plain data, what is not yet
agreed, the version it would get, the methods paragraph and each principle's provenance.

Nothing here changes the database; :mod:`.publishing_store` publishes. All wording checks,
the methods paragraph and the differences from a base framework come from the core
(``core.coproduction.publishing``, ``methods_summary`` and ``frameworks.diff_frameworks``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from peerprinciples.core.coproduction.methods_summary import RoundSummary, methods_summary
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
from peerprinciples.core.documents import YamlDocument
from peerprinciples.core.frameworks import (
    Adaptation,
    Change,
    Framework,
    diff_frameworks,
    resolve_adaptation,
)
from peerprinciples.core.provenance import Counts, PrincipleProvenance, Provenance, RoundRecord
from peerprinciples.web.coproduction.models import (
    Card,
    Category,
    Cluster,
    Code,
    ConceptMap,
    DraftAspect,
    DraftingRound,
    DraftPrinciple,
    DraftTheme,
    IndividualSort,
    Member,
    Pile,
    Project,
    RoundStatement,
    Source,
    Value,
)
from peerprinciples.web.library.models import StoredFramework

SYNTHETIC_TITLE = " (synthetic demonstration)"
"""Added to the title of a framework published from made-up demo data."""

SYNTHETIC_NOTICE = (
    "Synthetic demonstration data: this framework was published from made-up data to show how "
    "the software works. It describes no real review or panel; do not use it in a service."
)


@dataclass(frozen=True)
class NotAgreed:
    """A statement whose wording the panel has not agreed yet."""

    kind: str
    """"principle", "aspect" or "theme"."""
    text: str
    principle: DraftPrinciple | None = None
    """The principle it belongs to (for a principle, itself)."""


@dataclass
class Preview:
    """What publishing the project now would give, or why it cannot be published yet."""

    project: Project
    draft: Draft
    not_agreed: list[NotAgreed]
    open_round: DraftingRound | None
    framework: Framework | None = None
    """The framework as published (for an adaptation, resolved on its base)."""
    adaptation: Adaptation | None = None
    base: Framework | None = None
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """Problems the core found in the wording (each says where and how to fix it)."""

    @property
    def can_publish(self) -> bool:
        """Everything agreed, no round open, and the core accepts the wording."""
        return (
            not self.not_agreed
            and self.open_round is None
            and not self.problems
            and self.framework is not None
        )

    @property
    def is_adaptation(self) -> bool:
        return self.adaptation is not None or self.base is not None


# --- keys and versions -------------------------------------------------------------------------


def taken_keys(project: Project | None = None) -> set[str]:
    """Framework keys stored in the library or chosen by other projects."""
    stored = set(StoredFramework.objects.values_list("key", flat=True))
    chosen = Project.objects.exclude(framework_key="")
    if project is not None:
        chosen = chosen.exclude(pk=project.pk)
    return stored | set(chosen.values_list("framework_key", flat=True))


def framework_key(project: Project) -> str:
    """The key the project publishes under: its own, or one suggested from its name."""
    if project.framework_key:
        return project.framework_key
    return suggest_key(project.name, taken_keys(project), fallback="framework")


def suggested_version(key: str) -> str:
    """The version after every stored version of ``key`` ("1" for the first)."""
    existing = list(StoredFramework.objects.filter(key=key).values_list("version", flat=True))
    try:
        return next_version(existing)
    except ValueError:  # the latest version has no number in it: count the versions instead
        return str(len(existing) + 1)


# --- the agreed drafts as plain data ---------------------------------------------------------


def _base_key(entry: Value | DraftPrinciple | DraftTheme) -> str | None:
    return entry.base_key or None


def not_agreed(project: Project) -> list[NotAgreed]:
    """Every principle, aspect and theme whose wording is not agreed, in the drafts' order."""
    missing: list[NotAgreed] = []
    principles = DraftPrinciple.objects.filter(project=project).prefetch_related("aspects")
    for principle in principles:
        if principle.agreed_in_id is None:
            missing.append(NotAgreed("principle", principle.title, principle))
        for aspect in principle.aspects.all():
            if aspect.agreed_in_id is None:
                missing.append(NotAgreed("aspect", aspect.text, principle))
    for theme in DraftTheme.objects.filter(project=project, agreed_in__isnull=True):
        missing.append(NotAgreed("theme", theme.title))
    return missing


def _in_base_order(keys: list[str], base_keys: list[str]) -> list[str]:
    """``keys`` with the base's own first, in the base's order (links between drafts keep
    no order, and an unchanged list must not read as a reworded one)."""
    kept = [k for k in base_keys if k in keys]
    return kept + [k for k in keys if k not in kept]


def _principles(project: Project, base: Framework | None) -> list[AgreedPrinciple]:
    found = []
    base_values = {p.key: list(p.values) for p in base.principles} if base else {}
    queryset = DraftPrinciple.objects.filter(project=project).prefetch_related("aspects", "values")
    for principle in queryset:
        values = [v.key for v in principle.values.all()]
        values = _in_base_order(values, base_values.get(principle.base_key, []))
        found.append(
            AgreedPrinciple(
                key=principle.key,
                title=principle.title,
                definition=principle.definition,
                aspects=[a.text for a in principle.aspects.all()],
                scope=principle.scope,  # type: ignore[arg-type]
                values=values,
                base_key=_base_key(principle),
            )
        )
    return found


def _themes(project: Project, base: Framework | None) -> list[AgreedTheme]:
    found = []
    order = [p.key for p in base.principles] if base else []
    for theme in DraftTheme.objects.filter(project=project).prefetch_related("applies_to"):
        chosen = _in_base_order([p.key for p in theme.applies_to.all()], order)
        found.append(
            AgreedTheme(
                key=theme.key,
                title=theme.title,
                description=theme.description,
                applies_to=chosen or "all",
                base_key=_base_key(theme),
            )
        )
    return found


def _values(project: Project) -> list[AgreedValue]:
    return [
        AgreedValue(
            key=value.key,
            title=value.title,
            description=value.description,
            scope=value.scope,  # type: ignore[arg-type]
            community=value.community,
            base_key=_base_key(value),
        )
        for value in Value.objects.filter(project=project)
    ]


# --- provenance and the methods paragraph ----------------------------------------------------


def rule_text(project: Project) -> str:
    """The project's consensus rule as a sentence."""
    return (
        f"A statement was agreed when at least {project.min_share_percent}% of those who rated "
        f"it chose {project.agree_from} to {project.scale_high} on the {project.scale_low} to "
        f"{project.scale_high} scale and the median rating was at least {project.min_median:g}"
    )


def _closed_rounds(project: Project) -> list[DraftingRound]:
    return list(DraftingRound.objects.filter(project=project, status=DraftingRound.Status.CLOSED))


def counts(project: Project) -> Counts:
    """What the project holds, counted for the methods paragraph (a part it did not do is
    left empty, and the paragraph says so)."""
    latest = ConceptMap.objects.filter(project=project).first()
    clusters = None
    if latest is not None and latest.chosen_clusters:
        clusters = Cluster.objects.filter(concept_map=latest, merged_into__isnull=True).count()
    principles = DraftPrinciple.objects.filter(project=project)
    aspects = DraftAspect.objects.filter(principle__project=project)
    themes = DraftTheme.objects.filter(project=project)
    statements = principles.count() + aspects.count() + themes.count()
    agreed = (
        principles.filter(agreed_in__isnull=False).count()
        + aspects.filter(agreed_in__isnull=False).count()
        + themes.filter(agreed_in__isnull=False).count()
    )
    rounds = len(_closed_rounds(project))

    def some(number: int) -> int | None:
        return number or None

    return Counts(
        sources=some(Source.objects.filter(project=project).count()),
        codes=some(Code.objects.filter(project=project).count()),
        categories=some(Category.objects.filter(project=project).count()),
        members=some(Member.objects.filter(project=project, role=Member.Role.PANEL).count()),
        cards=some(Card.objects.filter(project=project, merged_into__isnull=True).count()),
        piles=some(Pile.objects.filter(group_sort__project=project).count()),
        sorters=some(
            IndividualSort.objects.filter(
                project=project, status=IndividualSort.Status.DONE
            ).count()
        ),
        clusters=some(clusters or 0),
        principles=some(principles.count()),
        rounds=rounds,
        statements=statements if rounds else None,
        agreed=agreed if rounds else None,
    )


def round_summaries(project: Project) -> list[RoundSummary]:
    """Who was asked, who took part and what was agreed in each closed round."""
    found = []
    for drafting_round in _closed_rounds(project):
        rated = RoundStatement.objects.filter(round=drafting_round, locked=False)
        found.append(
            RoundSummary(
                number=drafting_round.number,
                invited=drafting_round.invited.count(),
                took_part=drafting_round.ballots.count(),
                statements=rated.count(),
                agreed=rated.filter(agreed=True).count(),
            )
        )
    return found


def _numbers(result: dict[str, Any] | None) -> dict[str, Any]:
    """A statement's numbers as closing its round stored them: the core's ``StatementRound``
    as JSON, whose ``result`` holds the share agreeing and the median."""
    inner = (result or {}).get("result")
    return inner if isinstance(inner, dict) else {}


def _share(result: dict[str, Any] | None) -> float | None:
    share = _numbers(result).get("share_agree")
    return None if share is None else float(share)


def _median(result: dict[str, Any] | None) -> float | None:
    median = _numbers(result).get("median")
    return None if median is None else float(median)


def principle_provenance(project: Project) -> dict[str, PrincipleProvenance]:
    """For each draft principle: the review categories, panel piles and clusters mapped
    onto it, the values it protects, and its wording's results round by round."""
    found = {}
    queryset = DraftPrinciple.objects.filter(project=project).prefetch_related(
        "categories", "piles", "clusters", "values"
    )
    for principle in queryset:
        statements = RoundStatement.objects.filter(
            kind=RoundStatement.Kind.PRINCIPLE,
            principle=principle,
            round__status=DraftingRound.Status.CLOSED,
        ).select_related("round")
        records = [
            RoundRecord(
                number=s.round.number,
                share_agreeing=_share(s.result),
                median=_median(s.result),
                agreed=bool(s.agreed),
            )
            for s in sorted(statements, key=lambda s: s.round.number)
            if not s.locked
        ]
        agreed_in = principle.agreed_in.number if principle.agreed_in else None
        found[principle.key] = PrincipleProvenance(
            categories=[c.label for c in principle.categories.all()],
            piles=[p.label for p in principle.piles.all()]
            + [str(c) for c in principle.clusters.all()],
            values=[v.key for v in principle.values.all()],
            rounds=records,
            agreed_in=agreed_in,
        )
    return found


def methods(project: Project) -> str:
    """The methods paragraph for what the project would publish now."""
    base = project.base_framework.ref if project.base_framework else None
    return methods_summary(
        counts(project),
        round_summaries(project),
        rule_text(project),
        project.synthetic,
        base=base,
    )


def provenance(project: Project, today: datetime.date | None = None) -> Provenance:
    """How the project's version was co-produced (the record published with it)."""
    return Provenance(
        project=project.name,
        published=today or datetime.date.today(),
        synthetic=project.synthetic,
        methods=methods(project),
        counts=counts(project),
        principles=principle_provenance(project),
    )


# --- the preview -----------------------------------------------------------------------------


def default_title(project: Project) -> str:
    """The project's name, marked synthetic once for a demo project (its name may say so
    already, in words of its own such as "synthetic adaptation")."""
    title = project.name
    if project.synthetic and "synthetic" not in title.lower():
        title += SYNTHETIC_TITLE
    return title


def draft_of(
    project: Project,
    *,
    title: str | None = None,
    summary: str | None = None,
    version: str | None = None,
) -> Draft:
    """The project's drafts as the core's plain data, under its key and a version."""
    key = framework_key(project)
    base = project.base_framework.model() if project.base_framework else None
    return Draft(
        key=key,
        version=version or suggested_version(key),
        title=title or default_title(project),
        language=project.language or (base.language if base else "en"),
        summary=project.description if summary is None else summary,
        notice=SYNTHETIC_NOTICE if project.synthetic else "",
        values=_values(project),
        principles=_principles(project, base),
        themes=_themes(project, base),
        provenance=provenance(project),
    )


def open_round(project: Project) -> DraftingRound | None:
    return DraftingRound.objects.filter(project=project, status=DraftingRound.Status.OPEN).first()


def _problem_lines(error: PublishError) -> list[str]:
    return [f"{p.where}: {p.message} Fix: {p.fix}" for p in error.problems]


def preview(project: Project, **chosen: Any) -> Preview:
    """What publishing now would give (``chosen``: title, summary and version)."""
    draft = draft_of(project, **chosen)
    shown = Preview(project, draft, not_agreed(project), open_round(project))
    if not draft.principles:
        shown.problems.append(
            "There are no draft principles yet. Fix: draft at least one principle on the "
            "principles page."
        )
        return shown
    try:
        if project.base_framework is None:
            shown.framework = build_framework(draft)
            return shown
        base = project.base_framework.model()
        shown.base = base
        shown.adaptation = build_adaptation(base, draft)
    except PublishError as error:
        shown.problems += _problem_lines(error)
        return shown
    resolved, problems = resolve_adaptation(
        shown.adaptation, base, YamlDocument(f"adaptation {draft.ref}", {})
    )
    if resolved is None:
        shown.problems += [f"{p.where}: {p.message} Fix: {p.fix}" for p in problems]
        return shown
    shown.framework = resolved
    shown.changes = diff_frameworks(base, resolved)
    return shown
