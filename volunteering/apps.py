from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.hooks import NavItem
from accounts.roles import Role


class VolunteeringConfig(AppConfig):
    name = "volunteering"
    verbose_name = _("Volunteering")

    def ready(self):
        from volunteering import notices  # noqa: F401 - declares what volunteering tells people

    def nav_items(self, user):
        if not user.is_authenticated:
            return []
        if user.has_role(Role.COORDINATOR):
            return [NavItem(_("Volunteering"), reverse("volunteering:pipeline"), order=30)]
        if user.has_role(Role.VOLUNTEER, Role.PEER_MENTOR):
            return [NavItem(_("Volunteering"), reverse("volunteering:home"), order=30)]
        return []

    def today_cards(self, request):
        from volunteering.cards import today_cards

        return today_cards(request)

    def seed_demo(self, personas, stdout):
        from volunteering.demo import seed

        seed(personas, stdout)

    def retention_rules(self):
        from volunteering.retention import rules

        return rules()

    def daily(self, now):
        from django.utils import timezone

        from volunteering.services import send_expiry_reminders, send_shift_reminders

        send_shift_reminders(now=now)
        send_expiry_reminders(today=timezone.localdate(now))

    def personal_data(self, user):
        from volunteering.personal_data import sections

        return sections(user)

    def calendar_entries(self, user, since, details):
        from volunteering.calendar import calendar_entries

        return calendar_entries(user, since=since, details=details)
