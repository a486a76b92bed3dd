"""Downloads of an evaluation's data: the export page's files, through the same service.

The final interviews of the services the caller's role covers, in the format asked for;
raters' free-text notes only for leads who ask. Every download is recorded in the audit
trail, as from the page.
"""

from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Path, Router

from peerprinciples.web.api.problems import ERRORS
from peerprinciples.web.permissions import Action, access_for
from peerprinciples.web.transfers import services
from peerprinciples.web.transfers.exports import KINDS
from peerprinciples.web.transfers.views import file_response

router = Router(tags=["exports"])

Kind = Literal[
    "long", "wide", "scores", "xlsx", "sav", "dta", "codebook-html", "codebook-csv", "zip"
]
"""The export page's downloads (:data:`~peerprinciples.web.transfers.exports.KINDS`)."""

_FILE = {"schema": {"type": "string", "format": "binary"}}
_TYPES = sorted({kind.content_type for kind in KINDS.values()})


@router.get(
    "/{kind}",
    response={**ERRORS},
    summary="Download the evaluation's data",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, as an attachment named after the evaluation and "
                "the day (`Content-Disposition`).",
                "content": {content_type: _FILE for content_type in _TYPES},
            }
        }
    },
)
def download(
    request: HttpRequest, evaluation_id: Path[int], kind: Kind, include_notes: bool = False
) -> Any:
    """``long`` and ``wide`` ratings, ``scores`` per interview (CSV); an ``xlsx``
    workbook; ``sav`` (SPSS) and ``dta`` (Stata) with labels; the codebook
    (``codebook-html``, ``codebook-csv``); or all of them in one ``zip``.

    ``include_notes`` adds raters' notes, for leads only (403 for anyone else).
    """
    access = access_for(request, evaluation_id, Action.EXPORT_DATA)
    if include_notes and not access.may(Action.EXPORT_NOTES):
        raise PermissionDenied("Only the evaluation's leads may export raters' notes.")
    download = services.export(
        request.user,
        access.evaluation,
        kind=kind,
        services=services.scope(request.user, access.evaluation),
        include_notes=include_notes,
    )
    return file_response(download)
