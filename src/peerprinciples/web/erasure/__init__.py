"""Erasure on request: the services (:mod:`.services`) and the confirmation pages
(:mod:`.views`). Nothing here is stored: an erasure removes rows of other apps and leaves its
tombstone in the audit trail."""
