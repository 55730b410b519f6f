"""Who may see or do what in mentoring.

- A mentee sees only their own records.
- A mentor sees a proposal made to them (to answer it), and their active or paused mentees, and of
  those only what the mentee chose to share.
- Coordinators see everything (risk notes are audited on every view).

Access helpers raise Http404 for missing and forbidden alike, so existence never leaks.
"""

from __future__ import annotations

from django.http import Http404

from accounts.models import User
from accounts.permissions import is_coordinator, require_coordinator  # noqa: F401 - one rule, every app
from mentoring.choices import MatchStatus
from mentoring.models import Goal, Match, Meeting, Referral

MENTOR_VISIBLE = (MatchStatus.PROPOSED, MatchStatus.ACTIVE, MatchStatus.PAUSED)
# A proposal that timed out, or that the mentor said no to, stays open to its mentor (the notice
# that asked them links to it): the page shows its status and history, nothing the mentee shares.
MENTOR_VISIBLE_AFTER = (MatchStatus.TIMED_OUT, MatchStatus.DECLINED)
# Meetings and notes: only while the mentor still works with the mentee.
MENTOR_WORKING = (MatchStatus.ACTIVE, MatchStatus.PAUSED)


def access_referral(user: User, pk: int) -> Referral:
    """A referral: coordinators, or the person it is about."""
    try:
        referral = Referral.objects.select_related("person", "referred_by").get(pk=pk)
    except Referral.DoesNotExist:
        raise Http404 from None
    if is_coordinator(user) or referral.person_id == user.pk:
        return referral
    raise Http404


def can_see_match(user: User, match: Match) -> bool:
    if is_coordinator(user) or match.mentee_id == user.pk:
        return True
    return match.mentor_id == user.pk and match.status in (*MENTOR_VISIBLE, *MENTOR_VISIBLE_AFTER)


def access_match(user: User, pk: int) -> Match:
    try:
        match = Match.objects.select_related("mentor", "mentee", "referral").get(pk=pk)
    except Match.DoesNotExist:
        raise Http404 from None
    if can_see_match(user, match):
        return match
    raise Http404


def access_match_as_working_mentor(user: User, pk: int) -> Match:
    """A match whose mentor is ``user``, active or paused; 404 for anyone else."""
    match = access_match(user, pk)
    if match.mentor_id != user.pk or match.status not in MENTOR_WORKING:
        raise Http404
    return match


def can_see_meeting(user: User, match: Match) -> bool:
    if is_coordinator(user) or match.mentee_id == user.pk:
        return True
    return match.mentor_id == user.pk and match.status in MENTOR_WORKING


def access_meeting(user: User, pk: int) -> Meeting:
    try:
        meeting = Meeting.objects.select_related("match__mentor", "match__mentee").get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    if can_see_meeting(user, meeting.match):
        return meeting
    raise Http404


def access_goal(user: User, pk: int) -> Goal:
    """A goal: its owner (who changes it) or a coordinator."""
    try:
        goal = Goal.objects.select_related("mentee").get(pk=pk)
    except Goal.DoesNotExist:
        raise Http404 from None
    if goal.mentee_id == user.pk or is_coordinator(user):
        return goal
    raise Http404
