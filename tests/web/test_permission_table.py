"""Every URL × every role, in one table.

Each URL of the application has one row here: the method it is tried with, the objects in its
address, and what each persona gets. ``ok`` means the page did its job (any answer but 403,
404 or a redirect to sign in), ``403`` a member without the right, ``404`` someone who may not
know the object exists, ``login`` a redirect to the sign-in page. A URL added to the
application without a row here fails ``test_every_url_has_a_row``, so no view can slip in
without a decision about who may use it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from tests.web.permission_rows import Row, check_outcome, row_maker

pytestmark = pytest.mark.django_db

ROLES = (
    "lead",
    "coordinator",
    "rater",
    "viewer",
    "facilitator",
    "peer_worker",
    "outsider",
    "anonymous",
)
_row = row_maker(ROLES)
API = "api"


#        url name                        objects            method  lead coord rater viewer facilitator peer_worker outsider anonymous  # noqa: E501
TABLE = [
    _row("home", "", "GET", "ok ok ok ok ok ok ok login"),
    _row("health", "", "GET", "ok ok ok ok ok ok ok ok"),
    _row("login", "", "GET", "ok ok ok ok ok ok ok ok"),
    # Signing out always ends on the sign-in page.
    _row("logout", "", "POST", "login login login login login login login login"),
    _row("password_change", "", "GET", "ok ok ok ok ok ok ok login"),
    _row("password_change_done", "", "GET", "ok ok ok ok ok ok ok login"),
    _row("password_reset", "", "GET", "ok ok ok ok ok ok ok ok"),
    _row("password_reset_done", "", "GET", "ok ok ok ok ok ok ok ok"),
    _row("password_reset_confirm", "uid token", "GET", "ok ok ok ok ok ok ok ok"),
    _row("password_reset_complete", "", "GET", "ok ok ok ok ok ok ok ok"),
    # The code after the password: signed-in people are sent on home, others to sign in
    # unless they have just given the right password.
    _row("sign_in_code", "", "GET", "ok ok ok ok ok ok ok login"),
    _row("two_factor", "", "GET", "ok ok ok ok ok ok ok login"),
    _row("two_factor_set_up", "", "GET", "ok ok ok ok ok ok ok login"),
    _row("two_factor_recovery_codes", "", "GET", "ok ok ok ok ok ok ok login"),
    _row("two_factor_off", "", "GET", "ok ok ok ok ok ok ok login"),
    _row("evaluations:create", "", "GET", "ok ok ok ok ok ok ok login"),
    # Access tokens are personal: each person sees and revokes only their own.
    _row("tokens:index", "", "GET", "ok ok ok ok ok ok ok login"),
    _row("tokens:make", "", "GET", "ok ok ok ok ok ok ok login"),
    _row("tokens:revoke", "access_token", "POST", "ok 404 404 404 404 404 404 login"),
    _row("evaluations:detail", "evaluation", "GET", "ok ok ok ok ok ok 404 login"),
    _row("evaluations:add_service", "evaluation", "POST", "ok 403 403 403 403 403 404 login"),
    _row("evaluations:add_peer_worker", "evaluation", "POST", "ok 403 403 403 403 403 404 login"),
    _row(
        "evaluations:withdrawal", "evaluation worker_a", "POST", "ok 403 403 403 403 403 404 login"
    ),
    _row("evaluations:add_round", "evaluation", "POST", "ok 403 403 403 403 403 404 login"),
    _row("evaluations:add_member", "evaluation", "POST", "ok 403 403 403 403 403 404 login"),
    _row("interviews:list", "evaluation", "GET", "ok ok ok 403 403 403 404 login"),
    _row("interviews:create", "evaluation", "GET", "ok ok ok 403 403 403 404 login"),
    _row("interviews:detail", "evaluation interview_a", "GET", "ok ok ok 403 403 403 404 login"),
    _row(
        "interviews:detail",
        "evaluation interview_b",
        "GET",
        "ok 403 403 403 403 403 404 login",
        "other service",
    ),
    # Another evaluation's interview is "not found" (the viewer may see no interview at all).
    _row(
        "interviews:detail",
        "evaluation other_interview",
        "GET",
        "404 404 404 403 403 403 404 login",
        "other evaluation",
    ),
    _row(
        "interviews:double_rating",
        "evaluation interview_a",
        "POST",
        "ok 403 403 403 403 403 404 login",
    ),
    _row("interviews:rate", "evaluation interview_a", "GET", "ok 403 ok 403 403 403 404 login"),
    _row(
        "interviews:rate",
        "evaluation interview_b",
        "GET",
        "ok 403 403 403 403 403 404 login",
        "other service",
    ),
    _row(
        "interviews:sheet",
        "evaluation interview_a sheet_a",
        "GET",
        "ok ok ok 403 403 403 404 login",
    ),
    _row(
        "interviews:consensus", "evaluation interview_a", "GET", "ok ok 403 403 403 403 404 login"
    ),
    _row("results:overview", "evaluation", "GET", "ok ok ok ok ok ok 404 login"),
    _row("results:service", "evaluation service_a", "GET", "ok ok ok ok ok ok 404 login"),
    # Viewers see aggregates of every service; scoped roles only their own services.
    _row(
        "results:service",
        "evaluation service_b",
        "GET",
        "ok 403 403 ok 403 403 404 login",
        "other service",
    ),
    _row("results:report", "evaluation service_a", "GET", "ok ok ok ok ok ok 404 login"),
    _row(
        "results:report",
        "evaluation service_b",
        "GET",
        "ok 403 403 ok 403 403 404 login",
        "other service",
    ),
    _row("results:peer_worker", "evaluation worker_a", "GET", "ok ok ok 403 403 403 404 login"),
    _row(
        "results:peer_worker",
        "evaluation worker_b",
        "GET",
        "ok 403 403 403 403 403 404 login",
        "other service",
    ),
    _row("results:psychometrics", "evaluation", "GET", "ok ok ok ok ok ok 404 login"),
    # Import batches are visible to leads and to whoever uploaded them.
    _row("transfers:import", "evaluation", "GET", "ok ok 403 403 403 403 404 login"),
    _row("transfers:preview", "evaluation batch", "GET", "ok 404 403 403 403 403 404 login"),
    _row("transfers:save", "evaluation batch", "POST", "ok 404 403 403 403 403 404 login"),
    _row("transfers:export", "evaluation", "GET", "ok ok ok 403 403 403 404 login"),
    _row("audit:log", "evaluation", "GET", "ok 403 403 403 403 403 404 login"),
    # --- consent and withdrawal of one interview ---
    _row(
        "evaluations:withdrawal_protocol",
        "evaluation",
        "POST",
        "ok 403 403 403 403 403 404 login",
    ),
    _row("interviews:consent", "evaluation interview_a", "GET", "ok ok ok 403 403 403 404 login"),
    _row("interviews:withdraw", "evaluation interview_a", "GET", "ok ok 403 403 403 403 404 login"),
    _row(
        "interviews:withdraw",
        "evaluation interview_b",
        "GET",
        "ok 403 403 403 403 403 404 login",
        "other service",
    ),
    # --- erasure on request: leads only, in every service ---
    _row("interviews:erase", "evaluation interview_a", "GET", "ok 403 403 403 403 403 404 login"),
    _row(
        "interviews:erase",
        "evaluation interview_a",
        "POST",
        "ok 403 403 403 403 403 404 login",
        "no code typed",
    ),
    _row(
        "interviews:erase",
        "evaluation other_interview",
        "GET",
        "404 403 403 403 403 403 404 login",
        "other evaluation",
    ),
    _row(
        "evaluations:erase_peer_worker",
        "evaluation worker_b",
        "GET",
        "ok 403 403 403 403 403 404 login",
    ),
    _row(
        "evaluations:erase_peer_worker",
        "evaluation worker_a",
        "POST",
        "ok 403 403 403 403 403 404 login",
        "no code typed",
    ),
    # --- peer workers' accounts and what they may see ---
    _row(
        "evaluations:link_account",
        "evaluation worker_b",
        "POST",
        "ok 403 403 403 403 403 404 login",
    ),
    _row("evaluations:sharing", "evaluation", "POST", "ok 403 403 403 403 403 404 login"),
    _row("results:mine", "evaluation", "GET", "403 403 403 403 403 ok 404 login"),
    # --- reflection cycles: everyone sees that a cycle happened; what was said stays with
    # the service's coordinator, facilitator and peer workers, and the leads ---
    _row("reflection:index", "evaluation", "GET", "ok ok ok ok ok ok 404 login"),
    _row("reflection:open", "evaluation", "GET", "ok 403 403 403 ok 403 404 login"),
    _row("reflection:cycle", "evaluation cycle_a", "GET", "ok ok ok ok ok ok 404 login"),
    _row(
        "reflection:cycle",
        "evaluation cycle_b",
        "GET",
        "ok 403 403 ok 403 403 404 login",
        "other service",
    ),
    _row(
        "reflection:participants", "evaluation cycle_a", "POST", "ok 403 403 403 ok 403 404 login"
    ),
    _row(
        "reflection:participants",
        "evaluation cycle_b",
        "POST",
        "ok 403 403 403 403 403 404 login",
        "other service",
    ),
    _row(
        "reflection:reflect",
        "evaluation cycle_a principle",
        "GET",
        "ok 403 403 403 ok 403 404 login",
    ),
    _row("reflection:conditions", "evaluation cycle_a", "GET", "ok 403 403 403 ok 403 404 login"),
    _row("reflection:self_assess", "evaluation cycle_a", "GET", "ok ok 403 403 ok ok 404 login"),
    _row("reflection:finish", "evaluation cycle_a", "POST", "ok 403 403 403 ok 403 404 login"),
    _row("reflection:add_action", "evaluation cycle_a", "POST", "ok 403 403 403 ok 403 404 login"),
    _row("reflection:action", "evaluation action_a", "GET", "ok 403 403 403 ok 403 404 login"),
    _row("reflection:look_back", "evaluation cycle_a", "POST", "ok 403 403 403 ok 403 404 login"),
    _row(
        "reflection:review",
        "evaluation cycle_a action_a",
        "POST",
        "ok 403 403 403 ok 403 404 login",
    ),
    _row("reflection:timeline", "evaluation service_a", "GET", "ok ok ok ok ok ok 404 login"),
    _row(
        "reflection:timeline",
        "evaluation service_b",
        "GET",
        "ok 403 403 ok 403 403 404 login",
        "other service",
    ),
    _row("reflection:report", "evaluation cycle_a", "GET", "ok ok 403 403 ok ok 404 login"),
    _row(
        "reflection:report",
        "evaluation cycle_b",
        "GET",
        "ok 403 403 403 403 403 404 login",
        "other service",
    ),
    _row("reflection:reply", "evaluation cycle_a", "POST", "403 403 403 403 403 ok 404 login"),
    _row(
        "reflection:reply",
        "evaluation cycle_b",
        "POST",
        "403 403 403 403 403 403 404 login",
        "other service",
    ),
    _row("reflection:release", "evaluation cycle_a", "POST", "ok 403 403 403 403 403 404 login"),
]

# Parts of a page with no address of their own: who sees them (``yes``) and who does not.
#        right                   lead coord rater viewer facilitator peer_worker
PARTS = [
    ("view_set_up", "yes yes yes yes no no"),  # the overview's set-up: services, rounds, ...
    ("view_members", "yes yes yes yes no no"),  # the overview's members and their user names
]


def _patterns(resolver: URLResolver, prefix: str = "") -> list[str]:
    names = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == API:
            continue  # the API's routes have a table of their own: test_api_table
        if isinstance(entry, URLResolver):
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names += _patterns(entry, space)
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{prefix}{entry.name}")
    return names


def test_every_url_has_a_row() -> None:
    from tests.web.test_coproduction_permission_table import TABLE as COPRODUCTION
    from tests.web.test_practice_permission_table import TABLE as PRACTICE

    covered = {row.name for row in TABLE} | {row.name for row in COPRODUCTION}
    covered |= {row.name for row in PRACTICE}
    missing = sorted(set(_patterns(get_resolver())) - covered)
    assert not missing, f"add a row to the permission table for: {', '.join(missing)}"


def test_every_view_declares_who_may_use_it() -> None:
    undeclared = []
    for entry in _all_patterns(get_resolver()):
        if not hasattr(entry.callback, "required_action"):
            undeclared.append(entry.name)
    assert not undeclared, (
        "decorate these views with permissions.requires / signed_in / public: "
        + ", ".join(map(str, undeclared))
    )


def _all_patterns(resolver: URLResolver) -> list[URLPattern]:
    found: list[URLPattern] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == API:
            continue  # every API route requires a token or a session (see test_api_table)
        if isinstance(entry, URLResolver):
            found += _all_patterns(entry)
        else:
            found.append(entry)
    return found


@pytest.fixture
def objects(team, settings, tmp_path) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The objects named in the table's addresses."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from peerprinciples.web.library.models import StoredGuide
    from peerprinciples.web.reflection.models import Action, Cycle
    from peerprinciples.web.tokens.services import make_token
    from peerprinciples.web.transfers import services as transfers

    settings.PEERPRINCIPLES_IMPORT_DIR = tmp_path
    batch = transfers.upload(
        team.lead, team.evaluation, SimpleUploadedFile("r.csv", b"interview\n"), name="r.csv"
    )
    interview_a = team.interview("I-A1")
    team.rate(interview_a, team.rater, {k: "3" for k in team.required_keys()})
    interview_b = team.interview("I-B1", service=team.service_b, worker=team.worker_b)
    cycle_a = Cycle.objects.create(
        evaluation=team.evaluation,
        service=team.service_a,
        round=team.round,
        guide=StoredGuide.objects.get(key="enrich-reflection"),
        opened_by=team.lead,
    )
    cycle_b = Cycle.objects.create(
        evaluation=team.evaluation,
        service=team.service_b,
        round=team.round,
        guide=cycle_a.guide,
        opened_by=team.lead,
    )
    action_a = Action.objects.create(
        cycle=cycle_a,
        principle="relationships",
        principle_title="Relationships",
        what="Agree a weekly time for peer workers to meet",
        who="Peer worker team",
        created_by=team.lead,
    )
    team.evaluation.peer_workers_see_own_results = True
    team.evaluation.save(update_fields=["peer_workers_see_own_results"])
    return {
        "evaluation": team.evaluation.pk,
        "worker_a": team.worker_a.pk,
        "worker_b": team.worker_b.pk,
        "service_a": team.service_a.pk,
        "service_b": team.service_b.pk,
        "interview_a": interview_a.pk,
        "interview_b": interview_b.pk,
        "other_interview": team.other_interview.pk,
        "sheet_a": interview_a.sheets.get().pk,
        "batch": batch.pk,
        "cycle_a": cycle_a.pk,
        "cycle_b": cycle_b.pk,
        "action_a": action_a.pk,
        "principle": "relationships",
        "uid": "MQ",
        "token": "set-password",
        "access_token": make_token(
            team.lead, team.evaluation, name="pull", role="lead", days=9
        ).token.pk,
    }


@pytest.mark.parametrize(
    ("row", "role"),
    [(row, role) for row in TABLE for role in ROLES],
    ids=[f"{row.label}-{role}" for row in TABLE for role in ROLES],
)
def test_who_may_use_each_url(team, objects: dict[str, Any], row: Row, role: str) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client() if role == "anonymous" else team.client_for(getattr(team, role))
    url = reverse(row.name, args=[objects[a] for a in row.args])
    check_outcome(client, url, row.method, row.expected[ROLES.index(role)], role)


@pytest.mark.parametrize(("right", "outcomes"), PARTS, ids=[right for right, _ in PARTS])
def test_who_sees_each_part_of_a_page(team, right: str, outcomes: str) -> None:  # type: ignore[no-untyped-def]
    from peerprinciples.web.permissions import Action, access_of

    members = ROLES[: ROLES.index("outsider")]
    expected = outcomes.split()
    assert len(expected) == len(members), right
    for role, answer in zip(members, expected, strict=True):
        access = access_of(getattr(team, role), team.evaluation)
        assert access is not None, role
        assert access.may(Action(right)) == (answer == "yes"), f"{right} for {role}"
    assert access_of(team.outsider, team.evaluation) is None
