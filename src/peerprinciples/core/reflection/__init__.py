"""Cycles of reflective learning: the reflection guide as versioned, validated data.

A reflection guide follows a framework version (or a local adaptation of one). For each
principle, and each cross-cutting theme, it asks three plain questions; it lists the
organisational conditions around peer workers at individual, team and organisational level;
and it carries a short self-assessment tool that a team can fill in without researchers.
Modules: ``model`` (the schemas), ``checks`` (cross-references and local adaptations),
``scoring`` (a completed self-assessment, per principle) and ``text`` (the guide as text).
"""
