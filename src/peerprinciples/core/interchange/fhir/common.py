"""What the FHIR directions share: canonical URLs, code systems, linkIds and extensions.

A Questionnaire written by :func:`~peerprinciples.core.interchange.fhir.questionnaire` names
its questions and codes with the functions here, and the two readers (QuestionnaireResponses
as ratings, a Questionnaire as an instrument draft) recognise them with the same functions
and patterns, so a resource written here reads back.

linkIds are built from keys only, so a response keeps its meaning across instrument versions
that keep the keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FHIR_BASE = "https://w3id.org/peerprinciples/fhir"
"""The default base of every canonical URL and code system the Questionnaire export writes."""

ITEM_WEIGHT_URL = "http://hl7.org/fhir/StructureDefinition/itemWeight"
TRANSLATION_URL = "http://hl7.org/fhir/StructureDefinition/translation"
DISPLAY_CATEGORY_URL = "http://hl7.org/fhir/StructureDefinition/questionnaire-displayCategory"
DISPLAY_CATEGORY_SYSTEM = "http://hl7.org/fhir/questionnaire-display-category"

META_GROUP = "_meta"
"""linkId of the interview details group (a leading '_' cannot clash with a key)."""

META_FIELDS: dict[str, tuple[str, str, bool]] = {
    "interview": ("string", "Interview id", True),
    "informant": ("choice", "Who was interviewed", True),
    "rater": ("string", "Rater", True),
    "service": ("string", "Service", False),
    "peer_worker": ("string", "Peer worker code", False),
    "round": ("string", "Round of evaluation", False),
    "date": ("date", "Date of the interview", False),
}
"""The interview details: ratings column -> (FHIR item type, text, required)."""

DOCS = "docs/fhir-xlsform.md"


# --- names -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FhirNames:
    """The canonical URLs and code systems of one instrument, stable across its versions.

    Parameters
    ----------
    key
        The instrument key.
    base
        The base URL all names start with (default :data:`FHIR_BASE`).
    """

    key: str
    base: str = FHIR_BASE

    @property
    def questionnaire(self) -> str:
        """The Questionnaire's canonical URL (without version)."""
        return f"{self.base}/Questionnaire/{self.key}"

    def scale_system(self, scale: str) -> str:
        """The code system of a scale's points."""
        return f"{self.base}/CodeSystem/{self.key}-scale-{scale}"

    @property
    def codes_system(self) -> str:
        """The code system of the special codes (NA, II, ...)."""
        return f"{self.base}/CodeSystem/{self.key}-codes"

    @property
    def informants_system(self) -> str:
        """The code system of the informants."""
        return f"{self.base}/CodeSystem/{self.key}-informants"

    @property
    def items_system(self) -> str:
        """The code system naming the items by key."""
        return f"{self.base}/CodeSystem/{self.key}-items"

    def principles_system(self, framework_key: str) -> str:
        """The code system of a framework's principles."""
        return f"{self.base}/CodeSystem/{framework_key}-principles"


def item_link_id(informant: str, item: str) -> str:
    """The linkId of an item asked of an informant: ``{informant}.{item}``."""
    return f"{informant}.{item}"


def domain_link_id(informant: str, domain: str) -> str:
    """The linkId of a domain group inside an informant's group: ``{informant}:{domain}``."""
    return f"{informant}:{domain}"


def meta_link_id(name: str) -> str:
    """The linkId of an interview detail, e.g. ``_meta.interview``."""
    return f"{META_GROUP}.{name}"


# --- recognising this project's code systems when reading ---------------------------------------

OWN_SCALE_SYSTEM = re.compile(r"/CodeSystem/(?P<instrument>[^/]+)-scale-(?P<scale>[^/]+)$")
"""A scale's code system as :meth:`FhirNames.scale_system` names it."""

OWN_CODES_SYSTEM = re.compile(r"/CodeSystem/[^/]+-codes$")
"""The special codes' system as :attr:`FhirNames.codes_system` names it."""

OWN_ITEMS_SYSTEM = re.compile(r"/CodeSystem/[^/]+-items$")
"""The items' system as :attr:`FhirNames.items_system` names it."""

OWN_PRINCIPLES_SYSTEM = re.compile(r"/CodeSystem/(?P<framework>[^/]+)-principles$")
"""A framework's principles as :meth:`FhirNames.principles_system` names them."""
