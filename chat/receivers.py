"""Chat listens to mentoring's match signals (mentoring never imports chat)."""

from __future__ import annotations

from chat import services


def on_match_activated(sender, *, match_id, mentor_id, mentee_id, **kwargs):
    services.open_pair_room(match_id=match_id, mentor_id=mentor_id, mentee_id=mentee_id)


def on_match_paused(sender, *, match_id, **kwargs):
    # A pause keeps the room open: the pair may still need to talk about coming back.
    return None


def on_match_ended(sender, *, match_id, reason="", **kwargs):
    services.close_pair_room(match_id=match_id, reason=reason or "")
