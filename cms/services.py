"""Actions on the public site: event registration, the waiting list, reminders, page caching."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import audit
from cms.models import EventPage, EventRegistration, PageCacheGeneration, RegistrationStatus
from cms.permissions import may_register
from notifications import notify


class RegistrationError(Exception):
    """A plain-language reason why a registration change cannot happen."""


def _locked_event(event_id: int) -> EventPage:
    # The event row is the lock every registration change for it queues on: places are counted
    # and given out one change at a time, so the capacity is never exceeded.
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event_id)


def register_for_event(*, event: EventPage, user) -> EventRegistration:
    """Give ``user`` a place at ``event`` or, when it is full, a place on the waiting list.

    Precondition: ``event`` came from an access helper. Registering twice returns the existing
    registration unchanged.
    """
    if not may_register(user, event):
        raise RegistrationError(_("This event is not open to you."))
    with transaction.atomic():
        event = _locked_event(event.pk)
        if event.start <= timezone.now():
            raise RegistrationError(_("This event has already started."))
        registration = EventRegistration.objects.filter(event=event, user=user).first()
        if registration and registration.status != RegistrationStatus.CANCELLED:
            return registration
        taken = EventRegistration.objects.filter(
            event=event, status=RegistrationStatus.REGISTERED
        ).count()
        status = (
            RegistrationStatus.REGISTERED if taken < event.capacity else RegistrationStatus.WAITING
        )
        if registration is None:
            registration = EventRegistration(event=event, user=user)
        registration.status = status
        registration.created_at = timezone.now()  # back of the queue after a cancellation
        registration.save()
        audit.record(
            actor=user,
            action=f"event.{status}",
            target=event,
            subject=user,
            summary="Registered for an event"
            if status == "registered"
            else "Joined a waiting list",
        )
    return registration


def cancel_registration(*, event: EventPage, user) -> EventRegistration | None:
    """Cancel ``user``'s place (or waiting-list place); the first person waiting moves up."""
    promoted = None
    with transaction.atomic():
        event = _locked_event(event.pk)
        registration = (
            EventRegistration.objects.filter(event=event, user=user)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
        if registration is None:
            return None
        had_place = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=user, action="event.cancelled", target=event, subject=user, summary="Cancelled"
        )
        if had_place and event.start > timezone.now():
            promoted = _promote_from_waiting_list(event)
        if promoted is not None:
            notify(
                to=promoted.user,
                kind="cms.event_place",
                key=f"event:{event.pk}:place:{promoted.created_at:%Y%m%d%H%M%S%f}",
                context=_event_words(event),
            )
    return registration


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


def _promote_from_waiting_list(event: EventPage) -> EventRegistration | None:
    taken = EventRegistration.objects.filter(
        event=event, status=RegistrationStatus.REGISTERED
    ).count()
    if taken >= event.capacity:
        return None
    waiting = (
        EventRegistration.objects.filter(event=event, status=RegistrationStatus.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if waiting is None:
        return None
    waiting.status = RegistrationStatus.REGISTERED
    waiting.save(update_fields=["status", "updated_at"])
    audit.record(
        actor=None,
        action="event.promoted",
        target=event,
        subject=waiting.user,
        summary="Moved up from the waiting list",
    )
    return waiting


def enqueue_event_reminders(*, now) -> int:
    """Remind everyone with a place at an event tomorrow (local date). Safe to run twice a day:
    the reminder is a notice keyed on the event and its start, told once per person."""
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    registrations = list(
        EventRegistration.objects.filter(
            status=RegistrationStatus.REGISTERED,
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
