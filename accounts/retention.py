"""How long we keep sensitive records: one schedule, applied by the daily sweep.

The ICO expects criminal-offence and special-category data to be kept no longer than needed. Each
app declares its rules in ``<app>/retention.py`` and offers them through its AppConfig's
``retention_rules()`` hook (see ``accounts/hooks.py``); accounts imports none of them.

A rule's period comes from ``settings.RETENTION_MONTHS[rule.key]`` (its ``default_months`` if the
setting leaves it out). ``apply(before)`` removes or blanks what is older than ``before`` (now minus
the period) and returns how many rows it touched; it must touch nothing on a second run. ``run``
calls every rule and writes one audit event per rule that removed anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import ngettext

from accounts.dates import add_months

AUDIT_ACTION = "retention.applied"


def months_before(moment: datetime, months: int) -> datetime:
    """``moment`` less whole months, keeping the day where the month allows (31 Mar → 28 Feb)."""
    return add_months(moment, -months)


@dataclass(frozen=True)
class Rule:
    """``description`` is plain words for "My data", with ``%(period)s`` where the period goes
    ("Risk notes … are deleted %(period)s after …")."""

    key: str
    description: str
    apply: Callable[[datetime], int]
    default_months: int = 12
    order: int = 50

    @property
    def months(self) -> int:
        return int(getattr(settings, "RETENTION_MONTHS", {}).get(self.key, self.default_months))

    def before(self, now: datetime) -> datetime:
        return months_before(now, self.months)

    def plain(self) -> str:
        period = ngettext("%(n)d month", "%(n)d months", self.months) % {"n": self.months}
        return str(self.description) % {"period": period}


def rules() -> list[Rule]:
    from accounts.hooks import retention_rules

    return sorted(retention_rules(), key=lambda rule: (rule.order, rule.key))


def run(now: datetime) -> dict[str, int]:
    """Apply every rule as of ``now``; one audit event per rule that removed anything."""
    from accounts import audit

    done: dict[str, int] = {}
    for rule in rules():
        with transaction.atomic():
            count = rule.apply(rule.before(now))
            if count:
                audit.record(
                    actor=None,
                    action=AUDIT_ACTION,
                    summary=f"{rule.key}: {count} removed or cleared ({rule.months} months)",
                )
        done[rule.key] = count
    return done


def expire_audit_events(before: datetime) -> int:
    """The audit trail itself: events older than the period go (retention's own records among
    them, but never one younger than the period), except the trail of a record that is still kept
    and whose app asks for its trail to live as long as it does (the ``audit_trail_kept`` hook:
    a safeguarding concern's record of who raised, read, triaged and closed it)."""
    from django.db.models import CharField
    from django.db.models.functions import Cast

    from accounts.hooks import audit_trail_kept
    from accounts.models import AuditEvent

    old = AuditEvent.objects.filter(at__lt=before)
    for model in audit_trail_kept():
        still_kept = model._default_manager.annotate(key=Cast("pk", CharField())).values("key")
        old = old.exclude(target_type=model._meta.label_lower, target_id__in=still_kept)
    deleted, _ = old.delete()
    return deleted
