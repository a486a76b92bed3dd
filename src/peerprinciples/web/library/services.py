"""Storing framework and instrument versions from the core library in the database.

A stored version is compared with the library's as a validated document, not as stored JSON:
a later release may add an optional field (stored documents then lack it), and that is still
the same version, scoring the same way.
"""

from __future__ import annotations

from django.db import transaction

from peerprinciples.core.documents import DocumentError
from peerprinciples.core.frameworks import Framework
from peerprinciples.core.instruments import Instrument
from peerprinciples.core.library import Library
from peerprinciples.core.reflection.model import ReflectionGuide
from peerprinciples.web.errors import DomainError
from peerprinciples.web.library.models import StoredFramework, StoredGuide, StoredInstrument


def store_framework(framework: Framework) -> StoredFramework:
    """Store a framework version once; a different document under the same version is refused."""
    document = framework.model_dump(mode="json")
    stored, created = StoredFramework.objects.get_or_create(
        key=framework.key,
        version=framework.version,
        defaults={"title": framework.title, "document": document},
    )
    if not created and Framework.model_validate(stored.document) != framework:
        raise DomainError(
            f"{framework.ref} is already stored with different content. Versions never change "
            "once stored, so evaluations keep scoring the same way: give the changed framework "
            "a new version."
        )
    return stored


def store_instrument(instrument: Instrument, framework: Framework) -> StoredInstrument:
    """Store an instrument version (and the framework version it is pinned to)."""
    with transaction.atomic():
        stored_framework = store_framework(framework)
        document = instrument.model_dump(mode="json")
        stored, created = StoredInstrument.objects.get_or_create(
            key=instrument.key,
            version=instrument.version,
            defaults={
                "title": instrument.title,
                "document": document,
                "framework": stored_framework,
            },
        )
    if not created and Instrument.model_validate(stored.document) != instrument:
        raise DomainError(
            f"{instrument.ref} is already stored with different content: give the changed "
            "instrument a new version."
        )
    return stored


def store_guide(guide: ReflectionGuide, framework: Framework) -> StoredGuide:
    """Store a reflection guide version (and the framework version it follows)."""
    with transaction.atomic():
        stored_framework = store_framework(framework)
        stored, created = StoredGuide.objects.get_or_create(
            key=guide.key,
            version=guide.version,
            defaults={
                "title": guide.title,
                "document": guide.model_dump(mode="json"),
                "framework": stored_framework,
            },
        )
    if not created and ReflectionGuide.model_validate(stored.document) != guide:
        raise DomainError(
            f"{guide.ref} is already stored with different content: give the changed "
            "reflection guide a new version."
        )
    return stored


def load_library(library: Library) -> list[StoredInstrument]:
    """Store every valid framework, instrument and reflection guide of the library (each
    instrument and guide with its framework); returns the instruments.

    Frameworks no instrument is pinned to are stored too, so that a co-production project
    can start a local adaptation of any of them."""
    stored = []
    for entry in library.frameworks():
        try:
            framework = library.framework(entry.ref)
        except DocumentError:
            continue  # an invalid file: `framework validate` reports it
        store_framework(framework)
    for entry in library.instruments():
        instrument = library.instrument(entry.ref)
        stored.append(store_instrument(instrument, library.framework(instrument.framework)))
    for entry in library.reflection_guides():
        guide = library.reflection_guide(entry.ref)
        store_guide(guide, library.framework(guide.framework))
    return stored
