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
        goals = selectors.goals_of(user).filter(status=GoalStatus.WORKING)[:3]  # 2 queries
        cards.append(
            TodayCard(
                title=_("My mentoring"),
                template="mentoring/cards/mentee.html",
                context={"meeting": next(iter(meeting), None), "goals": list(goals)},
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
                    "matches": list(selectors.mentor_matches(user)[:5]),
                    "meetings": list(selectors.next_meetings(user, limit=3)),
                    "proposals": list(selectors.proposals_waiting(mentor=user)[:3]),
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
                    "waiting": selectors.waiting_referrals().count(),
                    "proposals": selectors.proposals_waiting().count(),
                    "missed": selectors.missed_twice_in_a_row(),
                },
                order=4,
                url=reverse("mentoring:referrals"),
            )
        )
    return cards
