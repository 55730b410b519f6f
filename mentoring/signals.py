"""Signals mentoring sends, so other apps can react without mentoring importing them.

Receivers get plain ids, not model instances, so they need not import mentoring's models.

- ``match_activated``: a match became active (both people agreed), or resumed after a pause.
  kwargs: ``match_id``, ``mentor_id``, ``mentee_id``.
- ``match_paused``: kwargs as above.
- ``match_ended``: kwargs as above, plus ``reason`` (a short code).

Sent after the transaction commits (``transaction.on_commit``), so a receiver sees saved state.
"""

from django.dispatch import Signal

match_activated = Signal()
match_paused = Signal()
match_ended = Signal()
