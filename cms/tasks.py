"""Background work for the public site: reminders and image renditions."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from cms.models import RENDITION_SPECS, EventRegistration, RegistrationStatus


def _event_line(event) -> str:
    when = date_format(timezone.localtime(event.start), "l j F, H:i")
    where = _("online") if event.online else event.place
    return f"{event.title}: {when}, {where}"


@task()
def send_event_reminder(registration_id: int) -> bool:
    # Claim the reminder first, so two runs of the daily sweep never send it twice.
    claimed = EventRegistration.objects.filter(
        pk=registration_id, status=RegistrationStatus.REGISTERED, reminded_at__isnull=True
    ).update(reminded_at=timezone.now())
    if not claimed:
        return False
    registration = EventRegistration.objects.select_related("event", "user").get(pk=registration_id)
    event = registration.event
    send_mail(
        _("Tomorrow: %(title)s") % {"title": event.title},
        _("A reminder that you have a place at %(event)s.\n\nCan't come? Please cancel at %(url)s")
        % {"event": _event_line(event), "url": event.get_full_url() or settings.SITE_URL},
        None,
        [registration.user.email],
    )
    return True


@task()
def send_place_offered(registration_id: int) -> None:
    registration = EventRegistration.objects.select_related("event", "user").get(pk=registration_id)
    send_mail(
        _("You have a place: %(title)s") % {"title": registration.event.title},
        _("A place came free and it is yours: %(event)s.")
        % {"event": _event_line(registration.event)},
        None,
        [registration.user.email],
    )


@task()
def generate_page_renditions(page_id: int) -> int:
    """Make every rendition a published page's templates ask for, so no visitor waits for them."""
    from wagtail.models import Page

    from cms.renditions import images_of

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    count = 0
    for image in images_of(page.specific):
        image.get_renditions(*RENDITION_SPECS)
        count += 1
    return count
