"""Storing library versions: one version is recognised across releases, a changed one refused."""

from __future__ import annotations

import pytest

from peerprinciples.core.library import Library
from peerprinciples.web.errors import DomainError
from peerprinciples.web.library.models import StoredInstrument
from peerprinciples.web.library.services import load_library, store_instrument

pytestmark = pytest.mark.django_db

INSTRUMENT = "enrich-example-index@0.1"


def _drop_empty_fields(value: object) -> object:
    """A document as an earlier release stored it, before optional fields existed."""
    if isinstance(value, dict):
        return {k: _drop_empty_fields(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_empty_fields(v) for v in value]
    return value


def test_a_version_stored_before_an_optional_field_existed_is_still_the_same(
    builtin_library: Library,
) -> None:
    load_library(builtin_library)
    stored = StoredInstrument.objects.get(key="enrich-example-index", version="0.1")
    older = _drop_empty_fields(stored.document)
    assert older != stored.document
    StoredInstrument.objects.filter(pk=stored.pk).update(document=older)

    again = load_library(builtin_library)

    assert stored.pk in [s.pk for s in again]


def test_a_changed_instrument_under_a_stored_version_is_refused(builtin_library: Library) -> None:
    load_library(builtin_library)
    instrument = builtin_library.instrument(INSTRUMENT)
    changed = instrument.model_copy(update={"title": instrument.title + " (changed)"})

    with pytest.raises(DomainError, match="already stored with different content"):
        store_instrument(changed, builtin_library.framework(instrument.framework))
