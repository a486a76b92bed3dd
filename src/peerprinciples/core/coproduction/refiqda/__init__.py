"""REFI-QDA projects (``.qdpx``) and codebooks (``.qdc``) as a literature review's evidence.

A review team that codes its sources in a QDA package (ATLAS.ti, MAXQDA, NVivo, QDA Miner,
Quirkos, QualCoder...) exports the project as a ``.qdpx`` archive, or the codebook alone as
a ``.qdc`` file, and imports it here. Every file is checked against the REFI-QDA schema
first, then for GUIDs given twice and references to nothing; a file with any problem raises
:class:`~peerprinciples.core.coproduction.problems.ImportProblems` listing them all, each at
its line and element, and nothing of it is read.

How a file becomes :class:`~peerprinciples.core.coproduction.evidence.Evidence`:

* A top-level code with codes below it is a **category** (its description is the category's
  description). Everything below it is a **code** of that category, however deep: a code two
  levels down is labelled ``Parent › Child`` so labels stay distinct in a flat list, and keeps
  the key of the code above it in ``Code.parent``, so a codebook written back nests as before.
* A top-level code without codes below it is a code without a category, unless the file says
  otherwise: marked not codable (``isCodable="false"``), it is an empty category; a member of
  a set of codes (how ATLAS.ti exports code groups) it belongs to the first such set, which
  becomes a category.
* A category that was itself applied to a passage is also a code of its own category, with
  the same key, so no coding is lost.
* A code's description is its **definition**; a GUID is the key of what it names.
* Every text, PDF, picture, audio and video source is a **source**, its name the citation.
  Source variables fill in the rest when the project has them: ``year``, ``DOI``, ``kind``
  (``peer-reviewed`` or ``grey``) or a true/false ``grey literature``.
* Every selection (or source) with codings is a **quotation** with those codes; a text
  selection carries its text when the source's text is in the file or in the archive.

A codebook goes back to a QDA package with :func:`write_qdc`: categories become top-level
codes with their codes nested below them (as ``Code.parent`` says), and the file is valid
against the codebook schema.
"""

from peerprinciples.core.coproduction.refiqda.reading import read_qdc, read_qdpx
from peerprinciples.core.coproduction.refiqda.writing import write_qdc

__all__ = ["read_qdc", "read_qdpx", "write_qdc"]
