"""How long mentoring keeps risk notes (see accounts/retention.py)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.retention import Rule


def expire_risk_notes(before: datetime) -> int:
    """Delete risk notes written before ``before`` about a person not logged in since then."""
    from mentoring.models import RiskNote

    inactive = Q(referral__person__last_login__isnull=True) | Q(
        referral__person__last_login__lt=before
    )
    deleted, _ = RiskNote.objects.filter(inactive, created_at__lt=before).delete()
    return deleted


def rules() -> list[Rule]:
    return [
        Rule(
            key="mentoring.risk_notes",
            description=_(
                "Risk notes a coordinator wrote about a request for a mentor: deleted %(period)s "
                "after the note was written or after the person last logged in, whichever is later."
            ),
            apply=expire_risk_notes,
            default_months=12,
            order=10,
        )
    ]
