"""peerprinciples: principles-based development and evaluation of peer support."""

__version__ = "0.1.0"
