"""The mentee's own story of their time with us, in plain words, and the people who support them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from mentoring.choices import GoalStatus, MatchStatus, MeetingStatus
from mentoring.models import Goal, Match, MatchEvent, Meeting, Referral


@dataclass(frozen=True)
class Step:
    on: date
    text: str


def _day(value) -> date:
    return timezone.localdate(value) if hasattr(value, "tzinfo") and value.tzinfo else value


def _pathway_events(user: User) -> list[tuple[date, str]]:
    """Training and volunteering, when volunteering offers them."""
    try:
        from volunteering.selectors import pathway_events
    except ImportError:
        return []
    return list(pathway_events(user))


def timeline_for(user: User) -> list[Step]:
    """Referral, release, matches, meetings held and goals reached, oldest first (a few queries)."""
    steps: list[Step] = []
    for referral in Referral.objects.filter(person=user):
        steps.append(Step(_day(referral.created_at), _("You were referred for a mentor")))
        if referral.release_date:
            steps.append(Step(referral.release_date, _("Your release day")))
    events = MatchEvent.objects.filter(
        match__mentee=user, status__in=[MatchStatus.ACTIVE, MatchStatus.PAUSED, MatchStatus.ENDED]
    ).select_related("match__mentor")
    seen_active: set[int] = set()
    for event in events:
        name = event.match.mentor.display_name
        if event.status == MatchStatus.ACTIVE:
            text = (
                _("You started again with %(name)s")
                if event.match_id in seen_active
                else _("You were matched with %(name)s, your mentor")
            )
            seen_active.add(event.match_id)
        elif event.status == MatchStatus.PAUSED:
            text = _("Time with %(name)s was paused")
        else:
            text = _("Time with %(name)s ended")
        steps.append(Step(_day(event.at), text % {"name": name}))
    held = Meeting.objects.filter(match__mentee=user, status=MeetingStatus.HELD).select_related(
        "match__mentor"
    )
    for meeting in held:
        steps.append(
            Step(
                _day(meeting.starts_at),
                _("You met %(name)s") % {"name": meeting.match.mentor.display_name},
            )
        )
    for goal in Goal.objects.filter(mentee=user, status=GoalStatus.REACHED):
        steps.append(
            Step(
                goal.reached_on or _day(goal.created_at),
                _("You reached a goal: %(goal)s") % {"goal": goal.words},
            )
        )
    steps += [Step(on, text) for on, text in _pathway_events(user)]
    return sorted(steps, key=lambda step: step.on)


@dataclass(frozen=True)
class Supporter:
    name: str
    role: str
    how_to_reach: str


def my_people(user: User) -> list[Supporter]:
    """Who supports me, what they do, and how to reach them."""
    people = []
    match = (
        Match.objects.filter(mentee=user, status__in=[MatchStatus.ACTIVE, MatchStatus.PAUSED])
        .select_related("mentor", "referral__referred_by")
        .first()
    )
    if match:
        people.append(
            Supporter(
                match.mentor.display_name,
                _("Your peer mentor: has been there, and walks alongside you."),
                # A pair chat opens when the match becomes active (chat hears match_activated)
                # and stays open while it is paused.
                _(
                    "At your meetings, or in the private chat for the two of you: open Chat in "
                    "the menu."
                ),
            )
        )
    referral = (
        match.referral
        if match
        else Referral.objects.filter(person=user).select_related("referred_by").last()
    )
    if referral and referral.referred_by and referral.referred_by_id != user.pk:
        people.append(
            Supporter(
                referral.referred_by.display_name,
                _("Your coordinator: arranges your mentoring and helps if something is not right."),
                referral.referred_by.email,
            )
        )
    return people
