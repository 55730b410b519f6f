from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.hooks import NavItem
from accounts.roles import Role


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self):
        from mentoring.partners import notices  # noqa: F401 - declares partners' notices

    def nav_items(self, user):
        if not user.is_authenticated:
            return []
        items = []
        if user.has_role(Role.COORDINATOR):
            items.append(NavItem(_("Referrals"), reverse("mentoring:referrals"), order=10))
        if user.has_role(Role.PEER_MENTOR):
            items.append(NavItem(_("My mentees"), reverse("mentoring:home"), order=10))
        if user.has_role(Role.MENTEE):
            items += [
                NavItem(_("My mentoring"), reverse("mentoring:home"), order=10),
                NavItem(_("My goals"), reverse("mentoring:goals"), order=11),
                NavItem(_("My journey"), reverse("mentoring:journey"), order=12),
                NavItem(_("My people"), reverse("mentoring:people"), order=13),
            ]
        from mentoring.partners.hooks import nav_items as partner_nav_items

        return items + partner_nav_items(user)

    def nav_filter(self, user, items):
        from mentoring.partners.hooks import nav_filter

        return nav_filter(user, items)

    def attention_items(self, user):
        from mentoring.partners.hooks import attention_items

        return attention_items(user)

    def today_cards(self, request):
        from mentoring.cards import cards_for
        from mentoring.partners.hooks import today_cards as partner_cards

        return cards_for(request.user) + partner_cards(request.user)

    def my_data_sections(self, request):
        from mentoring.partners.hooks import my_data_sections

        return my_data_sections(request.user)

    def seed_demo(self, personas, stdout):
        from mentoring.demo import seed
        from mentoring.partners.demo import seed as seed_partners

        seed(personas, stdout)
        seed_partners(personas, stdout)

    def daily(self, now):
        from mentoring.partners.choice import tell_coordinators_of_late_answers
        from mentoring.tasks import enqueue_due_reminders

        enqueue_due_reminders(now)
        tell_coordinators_of_late_answers(now)
