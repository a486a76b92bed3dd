"""Synthetic data for trying a co-production project out, one module per part."""
