"""One router per family of objects, each mounted by :mod:`peerprinciples.web.api.site`."""
