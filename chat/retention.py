"""How long chat keeps messages (see accounts/retention.py)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _

from accounts.retention import Rule


def expire_messages(before: datetime) -> int:
    """Delete messages sent before ``before`` (their edits, changes and reports go with them),
    except one a moderator still has an open report about."""
    from chat.models import Message, Report

    open_reports = Report.objects.filter(resolved_at__isnull=True).values("message_id")
    old = Message.objects.filter(created_at__lt=before).exclude(pk__in=open_reports)
    ids = list(old.values_list("pk", flat=True))
    Message.objects.filter(pk__in=ids).delete()
    return len(ids)


def rules() -> list[Rule]:
    return [
        Rule(
            key="chat.messages",
            description=_("Chat messages: deleted %(period)s after they were sent."),
            apply=expire_messages,
            default_months=24,
            order=30,
        )
    ]
