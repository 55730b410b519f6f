"""Partners and the gate: referrals from partner organisations, the person's consent first, the
information-sharing register, and release-day planning ("through the gate").

Imported from ``mentoring.models`` (models) and ``mentoring.apps`` (notices, hooks).
"""
