import warnings

from django.apps import AppConfig
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site")

    def ready(self):
        from django.conf import settings
        from PIL import Image

        from cms import notices, signals  # noqa: F401 - notices declares what the site tells people

        signals.connect()
        # Pillow only warns about decompression bombs: make the warning an error, at our limit.
        Image.MAX_IMAGE_PIXELS = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
        warnings.simplefilter("error", Image.DecompressionBombWarning)

    def nav_items(self, user):
        from django.urls import reverse

        from accounts.hooks import NavItem
        from accounts.roles import Role

        items = [
            NavItem(_("Events"), "/events/", 60),
            NavItem(_("Local services"), reverse("cms:directory"), 62),
        ]
        if user.is_authenticated and user.has_role(Role.INVOLVEMENT_LEAD, Role.ADMIN):
            # Wagtail's admin: where stories, events, pages and the glossary are edited.
            items.append(NavItem(_("Edit the website"), "/admin/", 85))
        return items

    def today_cards(self, request):
        from accounts.hooks import TodayCard
        from cms.models import EventRegistration
        from notifications.places import PlaceStatus

        registrations = list(
            EventRegistration.objects.filter(
                user=request.user,
                status__in=[PlaceStatus.BOOKED, PlaceStatus.WAITING],
                event__live=True,
                event__end__gte=timezone.now(),
            )
            .select_related("event")
            .with_waiting_position()
            .order_by("event__start")[:5]
        )
        if not registrations:
            return []
        return [
            TodayCard(
                _("Your events"),
                "cms/cards/events.html",
                {"registrations": registrations},
                order=40,
                url="/events/",
            )
        ]

    def daily(self, now):
        from cms.services import enqueue_event_reminders

        enqueue_event_reminders(now=now)

    def seed_demo(self, personas, stdout):
        from cms.demo import seed

        seed(personas, stdout)

    def personal_data(self, user):
        from cms.personal_data import sections

        return sections(user)

    def calendar_entries(self, user, since, details):
        from cms.calendar import calendar_entries

        return calendar_entries(user, since=since, details=details)

    def find_local_services(self, needs, area, limit):
        from cms.directory import find_services

        return find_services(needs=needs, area=area, limit=limit)

    def local_services_by_id(self, ids):
        from cms.directory import services_by_id

        return services_by_id(ids)
