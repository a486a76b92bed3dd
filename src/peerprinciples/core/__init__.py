"""The core: pure Python, never imports Django."""
