"""REDCap: instruments as data dictionaries, data dictionaries as draft instruments, records.

REDCap describes a project in a *data dictionary*, a CSV file with one row per field and 18
columns (:data:`DICTIONARY_COLUMNS`). This package

* writes an instrument as a data dictionary (:func:`data_dictionary`,
  :func:`write_data_dictionary`; module :mod:`.export`);
* reads any data dictionary as a *draft* instrument (:func:`read_data_dictionary`; modules
  :mod:`.fields`, :mod:`.choices`, :mod:`.builder` and :mod:`.draft`), listing every field,
  column and row it could not map, with the reason and what to do;
* reads a REDCap records export (raw values) as a ratings table (:func:`read_redcap_records`,
  :func:`redcap_ratings`; module :mod:`.records`).

What the three share (the columns, and where records hold what: :func:`record_layout`) is in
:mod:`.common`. The mapping is set out in ``docs/interchange.md``. In short, a record is a peer
worker, an event is a round, a form is an informant, a data access group is a service, and the
form's ``..._interview`` and ``..._rater`` fields say which interview and rater a form holds.
"""

from peerprinciples.core.interchange.redcap.common import (
    DEFAULT_RATER,
    DICTIONARY_COLUMNS,
    FIELD_TYPES,
    METADATA_TAG,
    RECORD_ID,
    FormFields,
    RecordLayout,
    plain_text,
    record_layout,
)
from peerprinciples.core.interchange.redcap.draft import DictionaryImport, read_data_dictionary
from peerprinciples.core.interchange.redcap.export import (
    EPSILON,
    data_dictionary,
    write_data_dictionary,
)
from peerprinciples.core.interchange.redcap.fields import DictionaryProblem
from peerprinciples.core.interchange.redcap.records import read_redcap_records, redcap_ratings

__all__ = [
    "DEFAULT_RATER",
    "DICTIONARY_COLUMNS",
    "EPSILON",
    "FIELD_TYPES",
    "METADATA_TAG",
    "RECORD_ID",
    "DictionaryImport",
    "DictionaryProblem",
    "FormFields",
    "RecordLayout",
    "data_dictionary",
    "plain_text",
    "read_data_dictionary",
    "read_redcap_records",
    "record_layout",
    "redcap_ratings",
    "write_data_dictionary",
]
