"""Outcomes on the Today page and in "Needs you today". One query per card or item."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.hooks import AttentionItem, TodayCard
from accounts.roles import Role
from mentoring.outcomes import forms, health, selectors


def cards_for(user) -> list[TodayCard]:
    cards: list[TodayCard] = []
    is_mentee, is_mentor = user.has_role(Role.MENTEE), user.has_role(Role.PEER_MENTOR)
    if is_mentee and selectors.self_check_due(user):  # 1 query
        cards.append(
            TodayCard(
                title=_("How things are"),
                template="mentoring/outcomes/cards/self_check.html",
                order=3,
                url=reverse("mentoring:outcomes:start"),
            )
        )
    if is_mentee or is_mentor:
        meetings = selectors.meetings_to_feed_back(user)  # 1 query
        if meetings:
            cards.append(
                TodayCard(
                    title=_("How did it go?"),
                    template="mentoring/outcomes/cards/feedback.html",
                    context={
                        "meetings": meetings,
                        "form": forms.FeedbackForm(),
                        "user_id": user.pk,
                    },
                    order=4,
                )
            )
        ended = selectors.matches_to_reflect_on(user)  # 1 query
        if ended:
            cards.append(
                TodayCard(
                    title=_("Looking back"),
                    template="mentoring/outcomes/cards/reflection.html",
                    context={"matches": ended, "user_id": user.pk},
                    order=7,
                )
            )
    return cards


def attention_items(user) -> list[AttentionItem]:
    if not user.is_authenticated or not user.has_role(Role.COORDINATOR):
        return []
    return [
        AttentionItem(
            _("Matches that need a check-in"),
            len(health.needing_check_in()),  # 1 query
            reverse("mentoring:outcomes:needs_check_in"),
            order=13,
        ),
        AttentionItem(
            _("Referrals waiting more than %(days)s days for a first meeting")
            % {"days": selectors.referral_wait_days()},
            selectors.referrals_waiting_too_long().count(),  # 1 query
            reverse("mentoring:outcomes:time_to_help"),
            order=14,
        ),
    ]
