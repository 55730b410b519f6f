"""Actions on the public site: event registration, the waiting list, reminders, page caching."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from cms.models import EventPage, EventRegistration, PageCacheGeneration, RegistrationStatus
from cms.permissions import may_register


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
        registration.reminded_at = None
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
        from cms.tasks import send_place_offered

        transaction.on_commit(lambda: send_place_offered.enqueue(registration_id=promoted.pk))
    return registration


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
    """Queue a reminder for everyone with a place at an event tomorrow (local date).

    Safe to run twice a day: the task sends only to a registration not yet reminded.
    """
    from cms.tasks import send_event_reminder

    tomorrow = timezone.localdate(now) + timedelta(days=1)
    ids = list(
        EventRegistration.objects.filter(
            status=RegistrationStatus.REGISTERED,
            reminded_at__isnull=True,
            event__live=True,
            event__start__date=tomorrow,
        ).values_list("pk", flat=True)
    )
    for registration_id in ids:
        transaction.on_commit(
            lambda pk=registration_id: send_event_reminder.enqueue(registration_id=pk)
        )
    return len(ids)


def invalidate_page_cache() -> None:
    """Every cached anonymous page is stale from now on (every process, every backend)."""
    PageCacheGeneration.bump()
