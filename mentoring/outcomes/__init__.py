"""Outcomes: questionnaires (one engine, measures as data), the "How things are" self-check,
meeting feedback, the health of each match, ending well, milestones and time to help.

Models live in ``mentoring.outcomes.models`` (imported at the end of ``mentoring.models``).
"""
