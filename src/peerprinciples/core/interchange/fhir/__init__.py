"""FHIR R4: an instrument as a Questionnaire, a Questionnaire as a draft, responses as ratings.

One module per direction (``docs/fhir-xlsform.md`` gives the mapping in full):

:mod:`~peerprinciples.core.interchange.fhir.export`
    :func:`questionnaire` / :func:`write_questionnaire`: the instrument as a Questionnaire,
    one group per informant holding one group per domain holding one ``choice`` question per
    item.
:mod:`~peerprinciples.core.interchange.fhir.records`
    :func:`read_questionnaire_responses`: QuestionnaireResponses to that Questionnaire read
    into the long ratings table; each response is read by
    :mod:`~peerprinciples.core.interchange.fhir.responses`.
:mod:`~peerprinciples.core.interchange.fhir.draft`
    :func:`read_fhir_instrument`: any Questionnaire turned into an instrument draft, listing
    what cannot be mapped; the file is read by
    :mod:`~peerprinciples.core.interchange.fhir.source` and the answer options by
    :mod:`~peerprinciples.core.interchange.fhir.answers`.

:mod:`~peerprinciples.core.interchange.fhir.common` holds the canonical URLs, code systems
and linkIds the directions share. Everything is plain JSON (dicts and lists): the core needs
no FHIR library. The names below are re-exported here, so ``from
peerprinciples.core.interchange.fhir import ...`` works for all of them.
"""

from __future__ import annotations

from peerprinciples.core.interchange.fhir.answers import ORDINAL_URLS
from peerprinciples.core.interchange.fhir.common import (
    DISPLAY_CATEGORY_SYSTEM,
    DISPLAY_CATEGORY_URL,
    DOCS,
    FHIR_BASE,
    ITEM_WEIGHT_URL,
    META_FIELDS,
    META_GROUP,
    TRANSLATION_URL,
    FhirNames,
    domain_link_id,
    item_link_id,
    meta_link_id,
)
from peerprinciples.core.interchange.fhir.draft import CHOICE_TYPES, FhirDraft, read_fhir_instrument
from peerprinciples.core.interchange.fhir.export import questionnaire, write_questionnaire
from peerprinciples.core.interchange.fhir.records import read_questionnaire_responses
from peerprinciples.core.interchange.fhir.responses import (
    ACCEPTED_STATUSES,
    SKIPPED_STATUSES,
    ResponseProblem,
)
from peerprinciples.core.interchange.fhir.source import QuestionnaireProblem

__all__ = [
    "ACCEPTED_STATUSES",
    "CHOICE_TYPES",
    "DISPLAY_CATEGORY_SYSTEM",
    "DISPLAY_CATEGORY_URL",
    "DOCS",
    "FHIR_BASE",
    "ITEM_WEIGHT_URL",
    "META_FIELDS",
    "META_GROUP",
    "ORDINAL_URLS",
    "SKIPPED_STATUSES",
    "TRANSLATION_URL",
    "FhirDraft",
    "FhirNames",
    "QuestionnaireProblem",
    "ResponseProblem",
    "domain_link_id",
    "item_link_id",
    "meta_link_id",
    "questionnaire",
    "read_fhir_instrument",
    "read_questionnaire_responses",
    "write_questionnaire",
]
