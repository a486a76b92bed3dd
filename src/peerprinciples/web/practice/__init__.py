"""Principles into practice: a programme's practice matrix and the handbook drawn from it."""
