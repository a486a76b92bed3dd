"""Forms of the co-production pages, one module per part of the work."""
