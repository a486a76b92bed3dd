"""No models: this app only has views."""
