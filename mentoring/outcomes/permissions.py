"""Who may see outcomes. Missing and forbidden both raise Http404, so existence never leaks.

- The person sees all their own answers, milestones and reflections.
- Their mentor (active or paused match) sees only the areas of "How things are" the mentee chose
  to share, and a milestone only if it is shared.
- Coordinators see answers to support the person (each view audited).
"""

from __future__ import annotations

from django.http import Http404

from accounts.models import User
from mentoring.models import Match
from mentoring.outcomes.models import MilestoneClock, Response
from mentoring.permissions import MENTOR_WORKING, access_match, is_coordinator


def access_own_response(user: User, pk: int) -> Response:
    """An unfinished set of answers: its person only (nobody else fills them in)."""
    response = Response.objects.filter(pk=pk, person_id=user.pk, completed_at__isnull=True).first()
    if response is None:
        raise Http404
    return response


def access_own_clock(user: User, pk: int) -> MilestoneClock:
    clock = MilestoneClock.objects.filter(pk=pk, person_id=user.pk).select_related("person").first()
    if clock is None:
        raise Http404
    return clock


def access_match_outcomes(user: User, pk: int) -> Match:
    """A match's "How things are", for its mentor while working together, or a coordinator."""
    match = access_match(user, pk)
    if is_coordinator(user):
        return match
    if match.mentor_id == user.pk and match.status in MENTOR_WORKING:
        return match
    raise Http404


def access_match_member(user: User, pk: int) -> Match:
    """A match one of whose two people is ``user``."""
    match = access_match(user, pk)
    if user.pk in (match.mentor_id, match.mentee_id):
        return match
    raise Http404
