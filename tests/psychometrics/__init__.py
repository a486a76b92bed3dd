"""Tests of the psychometrics API against established implementations."""
