"""The one place that decides who may see or change what.

Roles are per evaluation:

===========  ==========================================================================
lead         everything in the evaluation: set-up, members, every service, consensus,
             individual results, the audit trail
coordinator  their own services: interviews, individual results, consensus
rater        their assigned services: create and rate interviews; see individual results
viewer       aggregates only, with small numbers suppressed
facilitator  runs the reflection cycles of their services (a person with lived experience):
             aggregates only, never individual interviews, nor the evaluation's set-up and
             members
peer_worker  an account linked to one pseudonymous code: their service's reflection cycles,
             a right of reply to its draft report, and their own results when the
             evaluation allows it; never the evaluation's set-up and members
===========  ==========================================================================

Co-production projects have roles of their own (:class:`ProjectRole`): a facilitator runs the
project, panel members write, sort and rate the cards, research team members keep the
evidence and run the analysis. :func:`project_access_for` finds a person's membership of a
project in one query, and the same 404/403 rules hold. Programmes (the practice matrix) have
roles of their own too: :mod:`~peerprinciples.web.permissions.programmes`.

Someone with no role in an evaluation is told it does not exist (404), so outsiders cannot
even learn which evaluations there are; a member without the right gets 403. Views declare
the action they need with :func:`requires`, and get objects only through the guards here:
:func:`access_for` reads the request's membership and services in one query and hands the
view an :class:`Access`, which answers every later question without asking the database
again; one guard per kind of object (:func:`service_for`, :func:`peer_worker_for`,
:func:`interview_for`, :func:`sheet_for`, :func:`cycle_for`, :func:`reflection_action_for`,
:func:`batch_for`)
returns that object or 404.

Who must sign in with two factors (leads, when ``REQUIRE_TWO_FACTOR_FOR_LEADS`` is on) is
decided here too, in ``two_factor``; a middleware acts on it for every page.

The rules are kept in one package, a module per family of roles (``evaluations``, ``projects``
and ``programmes``) with ``declaring`` for the marks views carry. Import from the package.
"""

from peerprinciples.web.permissions.declaring import public, requires, signed_in
from peerprinciples.web.permissions.evaluations import (
    RULES,
    SERVICE_SCOPED,
    Access,
    Action,
    Role,
    access_for,
    access_of,
    batch_for,
    can,
    cycle_for,
    import_services,
    interview_for,
    peer_worker_for,
    reflection_action_for,
    service_for,
    sheet_for,
    visible_batches,
)
from peerprinciples.web.permissions.programmes import (
    PROGRAMME_RULES,
    LinkedService,
    ProgrammeAccess,
    ProgrammeAction,
    ProgrammeRole,
    linkable_services,
    linked_services_for,
    programme_access_for,
    programme_access_of,
    shared_programme_for,
    sharing_programmes,
)
from peerprinciples.web.permissions.projects import (
    PROJECT_RULES,
    ProjectAccess,
    ProjectAction,
    ProjectRole,
    in_project,
    may_change_card,
    project_access_for,
    project_access_of,
)
from peerprinciples.web.permissions.tokens import (
    may_make_token,
    token_access,
    token_access_for,
    token_roles,
)
from peerprinciples.web.permissions.two_factor import leads_anything, must_set_up_two_factor

__all__ = [
    "PROGRAMME_RULES",
    "PROJECT_RULES",
    "RULES",
    "SERVICE_SCOPED",
    "Access",
    "Action",
    "LinkedService",
    "ProgrammeAccess",
    "ProgrammeAction",
    "ProgrammeRole",
    "ProjectAccess",
    "ProjectAction",
    "ProjectRole",
    "Role",
    "access_for",
    "access_of",
    "batch_for",
    "can",
    "cycle_for",
    "import_services",
    "in_project",
    "interview_for",
    "leads_anything",
    "linkable_services",
    "linked_services_for",
    "may_change_card",
    "may_make_token",
    "must_set_up_two_factor",
    "peer_worker_for",
    "programme_access_for",
    "programme_access_of",
    "project_access_for",
    "project_access_of",
    "public",
    "reflection_action_for",
    "requires",
    "service_for",
    "shared_programme_for",
    "sharing_programmes",
    "sheet_for",
    "signed_in",
    "token_access",
    "token_access_for",
    "token_roles",
    "visible_batches",
]
