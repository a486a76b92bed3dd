"""The API object: authentication (a personal access token or the signed-in session), the
error bodies, and the routers mounted under ``/api/v1/``."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from peerprinciples.web.api.limits import CallRate
from peerprinciples.web.api.problems import declare_media_type, problem_response
from peerprinciples.web.api.routers import (
    audit,
    evaluations,
    exports,
    imports,
    interviews,
    results,
    setup,
)
from peerprinciples.web.errors import DomainError, InvalidInput, StaleEdit
from peerprinciples.web.tokens.services import find_token


class TokenAuth(HttpBearer):
    """``Authorization: Bearer ppat_…``: a personal access token, acting for its maker with
    the token's role in the token's evaluation only."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = find_token(token)
        if found is None:
            return None
        request.user = found.user
        request.access_token = found  # type: ignore[attr-defined]
        return found


class SessionAuth(APIKeyCookie):
    """The signed-in session of the pages, so the documentation page can try the API; unsafe
    methods need the CSRF token, as forms do."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


class ProblemsAPI(NinjaAPI):
    """ninja's API, its schema declaring the error bodies as problem details."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        return declare_media_type(super().get_openapi_schema(**kwargs))


api = ProblemsAPI(
    title="peerprinciples API",
    version="1",
    description=(
        "Read and write fidelity reviews as the pages do, with the same rules. Authenticate "
        "with a personal access token (`Authorization: Bearer ppat_…`, made under Access "
        "tokens for one evaluation) or, in the browser, by signing in. Errors are RFC 9457 "
        "problem details."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    throttle=[CallRate()],
    # Swagger UI's stylesheet draws a few icons as data: images; the documentation page alone
    # may show them. Its scripts and styles are files of ninja's static folder, so script
    # and style stay as strict there as on every other page.
    docs_decorator=csp_update({"img-src": ["data:"]}),
)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return problem_response(404, str(error) or "Not found.")


@api.exception_handler(PermissionDenied)
def _not_allowed(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
    return problem_response(403, str(error) or "Not allowed.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return problem_response(
        401,
        "Send a personal access token as `Authorization: Bearer ppat_…`; the token may be "
        "unknown, expired or revoked.",
        headers={"WWW-Authenticate": 'Bearer realm="peerprinciples"'},
    )


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in problem.get("loc", ())),
            "message": str(problem.get("msg", "")),
        }
        for problem in error.errors
    ]
    return problem_response(
        422, "The request does not match the schema; see errors.", errors=errors
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if isinstance(error, Throttled):
        return problem_response(
            429,
            "This token (or person, or address) has made more calls than the rate limit "
            "allows in this period; wait for the number of seconds in Retry-After.",
            kind="rate-limited",
            title="Too many requests",
        )
    return problem_response(error.status_code, str(error))


@api.exception_handler(DomainError)
def _domain(request: HttpRequest, error: DomainError) -> HttpResponse:
    if isinstance(error, StaleEdit):
        return problem_response(409, str(error), kind="stale-edit", title="Changed meanwhile")
    if isinstance(error, InvalidInput):
        errors = [{"field": field, "message": text} for field, text in error.problems.items()]
        return problem_response(422, str(error), kind="invalid-input", errors=errors)
    return problem_response(400, str(error), kind="refused", title="Refused")


api.add_router("/evaluations", evaluations.router)
api.add_router("/evaluations/{evaluation_id}/imports", imports.router)
api.add_router("/evaluations/{evaluation_id}/results", results.router)
api.add_router("/evaluations/{evaluation_id}/exports", exports.router)
api.add_router("/evaluations/{evaluation_id}/audit", audit.router)
api.add_router("/evaluations/{evaluation_id}", setup.router)
api.add_router("/evaluations/{evaluation_id}/interviews", interviews.router)
