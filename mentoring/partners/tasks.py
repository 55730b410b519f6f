"""Background work for partners and the gate, on django-tasks."""

from __future__ import annotations

from django_tasks import task


@task()
def time_out_choice(shortlist_id: int) -> bool:
    """Deferred to the moment a chosen mentor's time to answer runs out: time the proposal out
    and ask the mentee's next choice. ``manage.py run_due`` and the daily sweep do the same, so a
    lost task loses nothing."""
    from mentoring.partners.choice import time_out_if_due

    return time_out_if_due(shortlist_id=shortlist_id)
