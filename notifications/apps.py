from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications import notices  # noqa: F401 - declares the platform's own kinds

    def today_cards(self, request):
        from notifications.selectors import today_cards

        return today_cards(request.user)

    def daily(self, now):
        from notifications.delivery import release_held

        release_held(now=now)

    def due(self, now):
        """Every few minutes (``manage.py run_due``): texts and phone notifications whose quiet
        hours are over (``manage.py send_held`` does this alone)."""
        from notifications.delivery import release_held

        return release_held(now=now)

    def seed_demo(self, personas, stdout):
        from notifications.demo import seed_demo

        seed_demo(personas, stdout)

    def personal_data(self, user):
        from notifications.personal_data import sections

        return sections(user)
