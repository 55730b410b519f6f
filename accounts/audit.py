"""Writing the audit trail. Every app records through these two functions."""

from __future__ import annotations

from django.db import models

from accounts.models import AuditEvent, User


def _target(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    subject: User | None = None,
    summary: str = "",
) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``target`` (about ``subject``).

    ``summary`` is plain words for the reader of the log; it must never repeat sensitive content.
    """
    target_type, target_id = _target(target)
    return AuditEvent.objects.create(
        actor=actor if actor and actor.pk else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        subject=subject,
        summary=summary[:200],
    )


def record_view(
    *, actor: User, target: models.Model, subject: User | None, what: str
) -> AuditEvent:
    """Record that ``actor`` looked at a sensitive record. Call it in the view that shows it."""
    return record(actor=actor, action="viewed", target=target, subject=subject, summary=what)
