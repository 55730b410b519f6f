"""Actions on the public site: event places and the waiting list (through
``notifications.places``), reminders, page caching."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import audit
from cms.models import EventPage, EventRegistration, PageCacheGeneration
from cms.permissions import may_register
from notifications import notify
from notifications import places as booking
from notifications.places import PlaceStatus


class RegistrationError(Exception):
    """A plain-language reason why a registration change cannot happen."""


def _event_words(event: EventPage) -> dict[str, str]:
    path = event.get_url() or "/events/"
    if not path.startswith("/"):  # a page of another site's root: its full URL
        path = "/events/"
    return {
        "url": path,
        "title": event.title,
        "when": date_format(timezone.localtime(event.start), "l j F, H:i"),
        "where": _("online") if event.online else event.place,
    }


def _tell_promoted(event: EventPage, registration: EventRegistration) -> None:
    notify(
        to=registration.user,
        kind="cms.event_place",
        key=f"event:{event.pk}:place:{registration.joined_at:%Y%m%d%H%M%S%f}",
        context=_event_words(event),
    )


def _is_open(event: EventPage) -> bool:
    # Nobody moves up into an event that has started, or that was taken off the site.
    return event.live and event.start > timezone.now()


# How events keep their places: one mechanism with shifts (``notifications.places``).
EVENT_PLACES = booking.Places(
    model=EventRegistration,
    capacity="capacity",
    audit_prefix="event.",
    tell_promoted=_tell_promoted,
    is_open=_is_open,
)


def register_for_event(*, event: EventPage, user) -> EventRegistration:
    """Give ``user`` a place at ``event`` or, when it is full, a place on the waiting list.

    Precondition: ``event`` came from an access helper. Registering twice returns the existing
    registration unchanged.
    """
    if not may_register(user, event):
        raise RegistrationError(_("This event is not open to you."))
    with transaction.atomic():
        event = booking.lock(places=EVENT_PLACES, holder=event)
        if event.start <= timezone.now():
            raise RegistrationError(_("This event has already started."))
        return booking.take_place(places=EVENT_PLACES, holder=event, person=user).place


def cancel_registration(*, event: EventPage, user) -> EventRegistration | None:
    """Cancel ``user``'s place (or waiting-list place); the first person waiting moves up and is
    told. None when they had neither."""
    gave_up = booking.give_up_place(places=EVENT_PLACES, holder=event, person=user)
    return gave_up.place if gave_up else None


def check_event_capacity(*, event: EventPage, capacity: int | None) -> None:
    """Refuse fewer places than people already have (the editor's form shows why)."""
    booking.check_capacity(places=EVENT_PLACES, holder=event, capacity=capacity)


def event_places_changed(*, event: EventPage) -> list[EventRegistration]:
    """An editor published the event again (perhaps with more places): the free places go to the
    people waiting longest, and each is told."""
    with transaction.atomic():
        event = booking.lock(places=EVENT_PLACES, holder=event)
        return booking.promote(places=EVENT_PLACES, holder=event)


def cancel_event(*, event: EventPage) -> int:
    """An event to come was taken off the site (unpublished or deleted): everyone with a place or
    waiting is told it is cancelled, and nobody moves up. Returns how many were told."""
    if event.start <= timezone.now():
        return 0
    with transaction.atomic():
        people = booking.cancel_all(places=EVENT_PLACES, holder=event)
        words = _event_words(event)
        words["url"] = "/events/"
        for registration in people:
            notify(
                to=registration.user,
                kind="cms.event_cancelled",
                key=f"event:{event.pk}:cancelled:{event.start:%Y%m%d%H%M}",
                context={**words, "waiting": registration.is_waiting},
            )
        if people:
            audit.record(
                actor=None,
                action="event.cancelled_for_everyone",
                target=event,
                summary=f"{len(people)} told",
            )
    return len(people)


def enqueue_event_reminders(*, now) -> int:
    """Remind everyone with a place at an event tomorrow (local date). Safe to run twice a day:
    the reminder is a notice keyed on the event and its start, told once per person."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    registrations = list(
        EventRegistration.objects.filter(
            status=PlaceStatus.BOOKED,
            event__live=True,
            event__start__date=tomorrow,
        ).select_related("event", "user")
    )
    told = 0
    with transaction.atomic():
        for registration in registrations:
            event = registration.event
            told += len(
                notify(
                    to=registration.user,
                    kind="cms.event_reminder",
                    key=f"event:{event.pk}:day_before:{event.start:%Y%m%d%H%M}",
                    context=_event_words(event),
                )
            )
    return told


def invalidate_page_cache() -> None:
    """Every cached anonymous page is stale from now on (every process, every backend)."""
    PageCacheGeneration.bump()
