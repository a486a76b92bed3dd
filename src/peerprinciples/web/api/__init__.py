"""The REST API (``/api/v1/``): the same services and permission guards as the pages, with
an OpenAPI 3.1 schema, RFC 9457 problem details for every error and personal access tokens.

One router per family of objects lives in :mod:`~peerprinciples.web.api.routers`; the API
object, its authentication and its error bodies are in :mod:`~peerprinciples.web.api.site`.
A route finds its evaluation and objects only through :mod:`peerprinciples.web.permissions`
(``access_for`` and the object guards), which give a token's request the token's role.
"""
