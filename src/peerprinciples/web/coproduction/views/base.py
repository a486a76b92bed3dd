"""What every page inside a co-production project shares."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from peerprinciples.web.permissions import ProjectAccess

NAVIGATION = {
    "project": "coproduction:project",
    "members": "coproduction:members",
    "evidence": "coproduction:evidence",
    "cards": "coproduction:cards",
    "sorting": "coproduction:group_sorts",
    "map": "coproduction:map",
    "ratings": "coproduction:ratings",
    "values": "coproduction:values",
    "principles": "coproduction:principles",
    "rounds": "coproduction:rounds",
    "publish": "coproduction:publish",
}
"""The project navigation: its entries and the URL names they lead to."""


def project_context(access: ProjectAccess, nav: str) -> dict[str, Any]:
    """What every page inside a project needs: the project, the person's role, code and
    rights, and the addresses of the project's navigation."""
    project = access.project
    return {
        "project": project,
        "project_access": access,
        "member": access.member,
        "nav": nav,
        "project_links": {
            entry: reverse(name, args=[project.pk]) for entry, name in NAVIGATION.items()
        },
        "role_label": access.member.get_role_display(),
        "may": access.rights,
    }
