from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.hooks import NavItem
from accounts.roles import Role


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self):
        from mentoring import notices  # noqa: F401 - declares what mentoring tells people
        from mentoring.outcomes import notices as outcome_notices  # noqa: F401
        from mentoring.partners import notices as partner_notices  # noqa: F401

    def nav_items(self, user):
        if not user.is_authenticated:
            return []
        items = []
        if user.has_role(Role.COORDINATOR):
            items.append(NavItem(_("Referrals"), reverse("mentoring:referrals"), order=10))
        if user.has_role(Role.PEER_MENTOR):
            items.append(NavItem(_("My mentees"), reverse("mentoring:home"), order=10))
            if not user.has_role(Role.MENTEE):  # a mentor's own recovery dates, too
                items.append(
                    NavItem(_("My milestones"), reverse("mentoring:outcomes:milestones"), 15)
                )
        if user.has_role(Role.MENTEE):
            items += [
                NavItem(_("My mentoring"), reverse("mentoring:home"), order=10),
                NavItem(_("My goals"), reverse("mentoring:goals"), order=11),
                NavItem(_("My journey"), reverse("mentoring:journey"), order=12),
                NavItem(_("My people"), reverse("mentoring:people"), order=13),
                NavItem(_("How things are"), reverse("mentoring:outcomes:mine"), order=14),
                NavItem(_("My milestones"), reverse("mentoring:outcomes:milestones"), order=15),
            ]
        from mentoring.partners.hooks import nav_items as partner_nav_items

        return items + partner_nav_items(user)

    def nav_filter(self, user, items):
        from mentoring.partners.hooks import nav_filter

        return nav_filter(user, items)

    def today_cards(self, request):
        from mentoring.cards import cards_for
        from mentoring.outcomes.cards import cards_for as outcome_cards
        from mentoring.partners.hooks import today_cards as partner_cards

        user = request.user
        return cards_for(user) + outcome_cards(user) + partner_cards(user)

    def start_notes(self, user):
        """A request for a mentor still with the coordinators (one query, for mentees only)."""
        if not user.has_role(Role.MENTEE):
            return []
        from accounts.hooks import StartNote
        from mentoring.choices import ReferralStatus
        from mentoring.models import Referral

        waiting = (
            Referral.objects.filter(
                person=user, status__in=[ReferralStatus.WAITING, ReferralStatus.MATCHING]
            )
            .order_by("-id")
            .values_list("pk", flat=True)
            .first()
        )
        if waiting is None:
            return []
        return [
            StartNote(
                replaces="mentoring:refer_self",
                label=_("Your request for a peer mentor is with the coordinators"),
                why=_("They look for a mentor who fits, and tell you when one says yes."),
                url=reverse("mentoring:referral", args=[waiting]),
            )
        ]

    def attention_items(self, user):
        from mentoring.outcomes.cards import attention_items as outcome_items
        from mentoring.partners.hooks import attention_items as partner_items

        return [*outcome_items(user), *partner_items(user)]

    def consent_withdrawn(self, user, purpose):
        from mentoring.outcomes.services import forget_answers

        forget_answers(person=user, purpose=purpose)

    def my_data_sections(self, request):
        from mentoring.partners.hooks import my_data_sections

        return my_data_sections(request.user)

    def seed_demo(self, personas, stdout):
        from mentoring.demo import seed
        from mentoring.outcomes.demo import seed as seed_outcomes
        from mentoring.partners.demo import seed as seed_partners

        seed(personas, stdout)
        seed_outcomes(personas, stdout)
        seed_partners(personas, stdout)

    def retention_rules(self):
        from mentoring.retention import rules

        return rules()

    def daily(self, now):
        from mentoring.partners.choice import time_out_late_answers
        from mentoring.tasks import enqueue_due_reminders

        enqueue_due_reminders(now)
        time_out_late_answers(now)

        from mentoring.outcomes.services import remind_self_checks_due

        remind_self_checks_due(now)

    def due(self, now):
        """Every few minutes (``manage.py run_due``): a chosen mentor's time to answer that ran
        out (the proposal times out, the mentee's next choice is asked) and meeting reminders
        whose time has come."""
        from mentoring.partners.choice import time_out_late_answers
        from mentoring.tasks import send_due_reminders

        return time_out_late_answers(now) + send_due_reminders(now)

    def personal_data(self, user):
        from mentoring.personal_data import sections

        return sections(user)

    def calendar_entries(self, user, since, details):
        from mentoring.calendar import calendar_entries

        return calendar_entries(user, since=since, details=details)
