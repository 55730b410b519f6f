"""Cards on the person's Today page, by role. Each costs one or two queries."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.hooks import TodayCard
from accounts.roles import Role
from mentoring import selectors
from mentoring.choices import GoalStatus


def cards_for(user) -> list[TodayCard]:
    cards: list[TodayCard] = []
    if user.has_role(Role.MENTEE):
        meeting = selectors.next_meetings(user, limit=1)  # 1 query
        goals = selectors.goals_with_progress(user).filter(status=GoalStatus.WORKING)[:3]  # 1
        meeting = next(iter(meeting), None)
        # Where things are when no meeting is planned yet: 1 query, only then.
        match = None if meeting else selectors.current_match_for_mentee(user)
        cards.append(
            TodayCard(
                title=_("My mentoring"),
                template="mentoring/cards/mentee.html",
                context={"meeting": meeting, "match": match, "goals": list(goals)},
                order=5,
                url=reverse("mentoring:home"),
            )
        )
    if user.has_role(Role.PEER_MENTOR):
        cards.append(
            TodayCard(
                title=_("My mentees"),
                template="mentoring/cards/mentor.html",
                context={
                    **selectors.mentor_overview(user, limit=5),  # 1 query
                    "meetings": list(selectors.next_meetings(user, limit=3)),  # 1 query
                },
                order=6,
                url=reverse("mentoring:home"),
            )
        )
    if user.has_role(Role.COORDINATOR):
        cards.append(
            TodayCard(
                title=_("Mentoring"),
                template="mentoring/cards/coordinator.html",
                context={
                    **selectors.referral_counts(),  # 1 query
                    "missed": selectors.missed_twice_in_a_row(),  # 1 query
                },
                order=4,
                url=reverse("mentoring:referrals"),
            )
        )
    return cards
