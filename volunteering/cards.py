"""Cards on the person's Today page. Each costs one or two queries whatever the data size."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.hooks import TodayCard
from accounts.roles import Role
from volunteering import selectors
from volunteering.models import Onboarding


def today_cards(request) -> list[TodayCard]:
    user = request.user
    cards: list[TodayCard] = []
    if user.has_role(Role.COORDINATOR):
        cards.append(
            TodayCard(
                title=_("Volunteers"),
                template="volunteering/cards/coordinator.html",
                context=selectors.coordinator_counts(),
                order=20,
                url=reverse("volunteering:pipeline"),
            )
        )
    if user.has_role(Role.VOLUNTEER, Role.PEER_MENTOR):
        signups = selectors.my_upcoming_signups(user, limit=1)
        cards.append(
            TodayCard(
                title=_("Volunteering"),
                template="volunteering/cards/volunteer.html",
                context={
                    "next": signups[0] if signups else None,
                    "totals": selectors.hours_totals(user),
                },
                order=30,
                url=reverse("volunteering:home"),
            )
        )
    elif user.has_role(Role.MENTEE) and not Onboarding.objects.filter(user=user).exists():
        # The pathway: someone being mentored today may mentor someone else tomorrow.
        cards.append(
            TodayCard(
                title=_("Want to volunteer?"),
                template="volunteering/cards/pathway.html",
                order=80,
                url=reverse("volunteering:apply"),
            )
        )
    return cards
