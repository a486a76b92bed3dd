"""Benchmarks, run by ``make bench``: timings as ratios to a reference measured in the same run."""
