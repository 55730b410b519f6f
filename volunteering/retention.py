"""How long volunteering keeps DBS checks and fair-chance assessments (accounts/retention.py)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.retention import Rule


def _inactive(prefix: str, before: datetime) -> Q:
    return Q(**{f"{prefix}last_login__isnull": True}) | Q(**{f"{prefix}last_login__lt": before})


def expire_dbs_checks(before: datetime) -> int:
    """Delete DBS checks that stopped counting (re-check due) before ``before``, for a person not
    logged in since then. Their fair-chance assessments go with them; a check that still counts is
    never touched, so nobody loses a clearance."""
    from volunteering.models import DBSCheck

    expired = DBSCheck.objects.filter(
        _inactive("volunteer__", before), recheck_due__lt=before.date()
    )
    count = expired.count()
    expired.delete()
    return count


def clear_risk_assessments(before: datetime) -> int:
    """Blank the notes of fair-chance assessments decided before ``before`` for a person not
    logged in since then. The decision stays (it is what clearance reads); the reasons go."""
    from volunteering.models import RiskAssessment

    return (
        RiskAssessment.objects.filter(
            _inactive("dbs_check__volunteer__", before), decided_on__lt=before.date()
        )
        .exclude(notes="")
        .update(notes="")
    )


def rules() -> list[Rule]:
    return [
        Rule(
            key="volunteering.dbs_disclosures",
            description=_(
                "DBS (criminal record) checks: deleted %(period)s after the check stopped "
                "counting or after you last logged in, whichever is later."
            ),
            apply=expire_dbs_checks,
            default_months=12,
            order=20,
        ),
        Rule(
            key="volunteering.risk_assessments",
            description=_(
                "What a coordinator wrote when weighing a DBS check for a role (a fair-chance "
                "assessment): cleared %(period)s after the decision or after you last logged in, "
                "whichever is later. The decision itself is kept."
            ),
            apply=clear_risk_assessments,
            default_months=12,
            order=21,
        ),
    ]
