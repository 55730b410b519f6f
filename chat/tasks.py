"""Background work for chat, on django-tasks."""

from __future__ import annotations

from django_tasks import task


@task()
def escalate_crisis(item_id: int) -> bool:
    """Deferred to the moment a crisis item falls due: escalate it if nobody has acted. The daily
    sweep and ``manage.py escalate_crises`` do the same, so a lost task loses nothing."""
    from chat.services.crisis import escalate_item

    return escalate_item(item_id=item_id)
