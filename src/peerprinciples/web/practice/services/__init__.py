"""The practice app's domain actions: the only code that changes its tables."""
