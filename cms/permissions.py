"""Who may see what of the public site's events. Missing and forbidden both give 404."""

from __future__ import annotations

from django.http import Http404

from accounts.roles import Role
from cms.models import Audience, EventPage

# Who may read and export an event's attendee list (names of people at a recovery event are
# personal data): coordinators run the events, admins look after the site.
ATTENDEE_LIST_ROLES = (Role.COORDINATOR, Role.ADMIN)


def may_register(user, event: EventPage) -> bool:
    """Whether ``user`` is someone this event is for (it says nothing about free places)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if event.audience == Audience.ANYONE:
        return True
    if event.audience == Audience.MEMBERS:
        return bool(user.roles)
    return user.has_role(Role.PEER_MENTOR)


def may_see_attendees(user) -> bool:
    return user.is_authenticated and user.has_role(*ATTENDEE_LIST_ROLES)


def access_event(user, page_id: int) -> EventPage:
    """A published, public event anyone may look at; 404 otherwise."""
    event = EventPage.objects.live().public().filter(pk=page_id).first()
    if event is None:
        raise Http404
    return event


def access_event_for_registration(user, page_id: int) -> EventPage:
    """A published event that ``user`` may register for; 404 when it is not for them."""
    event = access_event(user, page_id)
    if not may_register(user, event):
        raise Http404
    return event


def access_event_attendees(user, page_id: int) -> EventPage:
    """An event (published or not) whose attendee list ``user`` may see; 404 otherwise."""
    if not may_see_attendees(user):
        raise Http404
    event = EventPage.objects.filter(pk=page_id).first()
    if event is None:
        raise Http404
    return event
