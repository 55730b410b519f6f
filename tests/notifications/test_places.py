"""One way to take a place: shifts and events behave the same, because they share one mechanism
(``notifications.places``). Each test runs for both; each domain keeps its own rules and words."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cms import services as cms_services
from notifications import kinds
from notifications import places as booking
from notifications.models import Notification
from notifications.places import PlaceStatus
from notifications.render import render_kind
from tests.cms import factories as cms_factories
from tests.factories import person
from tests.volunteering.factories import ShiftFactory, ensure_roles, make_cleared
from volunteering import services as volunteering_services
from volunteering.models import VolunteerRole


@dataclass
class Domain:
    """What a test needs to drive one domain's places as people would."""

    name: str
    places: booking.Places
    make: Callable[..., Any]  # make(capacity) -> the thing with places
    someone: Callable[[], Any]  # a person allowed to take a place
    take: Callable[[Any, Any], Any]  # the domain's own service
    give_up: Callable[[Any, Any], Any]
    cancel: Callable[[Any], Any]  # the whole thing is cancelled
    page: Callable[[Any], str]
    place_kind: str  # what a person who moved up is told
    cancel_kind: str  # what everyone is told when it is cancelled

    def row(self, holder, who):
        return self.places.of(holder).get(**{self.places.model.person_field: who})

    def statuses(self, holder, people) -> list[str]:
        return [self.row(holder, who).status for who in people]


def _shifts() -> Domain:
    ensure_roles()
    coordinator = person(Role.COORDINATOR, display_name="Dee Coordinator")
    role = VolunteerRole.objects.get(slug="event-helper")

    def someone():
        volunteer = person(Role.VOLUNTEER)
        make_cleared(volunteer, "event-helper")
        return volunteer

    return Domain(
        name="shift",
        places=volunteering_services.SHIFT_PLACES,
        make=lambda capacity: ShiftFactory(role=role, places=capacity, created_by=coordinator),
        someone=someone,
        take=lambda shift, who: volunteering_services.sign_up(shift=shift, volunteer=who),
        give_up=lambda shift, who: volunteering_services.withdraw(shift=shift, volunteer=who),
        cancel=lambda shift: volunteering_services.cancel_shift(shift=shift, by=coordinator),
        page=lambda shift: reverse("volunteering:shift", args=[shift.pk]),
        place_kind="volunteering.shift_place",
        cancel_kind="volunteering.shift_changed",
    )


def _events() -> Domain:
    cms_factories.ensure_site()
    return Domain(
        name="event",
        places=cms_services.EVENT_PLACES,
        make=lambda capacity: cms_factories.event(capacity=capacity, days=7),
        someone=lambda: person(Role.MENTEE),
        take=lambda event, who: cms_services.register_for_event(event=event, user=who),
        give_up=lambda event, who: cms_services.cancel_registration(event=event, user=who),
        cancel=lambda event: event.unpublish(),  # taken off the site before it happens
        page=lambda event: event.url,
        place_kind="cms.event_place",
        cancel_kind="cms.event_cancelled",
    )


DOMAINS = {"shifts": _shifts, "events": _events}


@pytest.fixture(params=list(DOMAINS))
def domain(request, db):
    return DOMAINS[request.param]()


def told(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_places_first_then_the_waiting_list_in_the_order_people_came(domain):
    thing = domain.make(2)
    people = [domain.someone() for _ in range(4)]
    for who in people:
        domain.take(thing, who)

    assert domain.statuses(thing, people) == ["booked", "booked", "waiting", "waiting"]
    positions = [domain.row(thing, who).waiting_position for who in people]
    assert positions == [None, None, 1, 2]
    listed = domain.places.of(thing).with_waiting_position().order_by("joined_at", "id")
    assert [row.waiting_position for row in listed] == [None, None, 1, 2]


def test_people_who_joined_in_the_same_instant_queue_in_a_stable_order(domain):
    thing = domain.make(1)
    first, second, third = (domain.someone() for _ in range(3))
    same_moment = timezone.now()
    booking.take_place(places=domain.places, holder=thing, person=first)
    for who in (second, third):
        booking.take_place(places=domain.places, holder=thing, person=who, now=same_moment)

    assert [domain.row(thing, who).waiting_position for who in (second, third)] == [1, 2]
    domain.give_up(thing, first)
    assert domain.statuses(thing, [second, third]) == ["booked", "waiting"]


def test_giving_up_a_place_promotes_the_first_waiting_and_tells_only_them(
    domain, django_capture_on_commit_callbacks
):
    thing = domain.make(1)
    holder, first_waiting, second_waiting = (domain.someone() for _ in range(3))
    for who in (holder, first_waiting, second_waiting):
        domain.take(thing, who)

    with django_capture_on_commit_callbacks(execute=True):
        domain.give_up(thing, holder)

    assert domain.statuses(thing, [holder, first_waiting, second_waiting]) == [
        "cancelled",
        "booked",
        "waiting",
    ]
    assert domain.row(thing, first_waiting).promoted_at is not None
    assert told(domain.place_kind) == {first_waiting.pk}
    assert domain.row(thing, second_waiting).waiting_position == 1


def test_leaving_the_waiting_list_promotes_nobody_and_moves_the_queue_up(domain):
    thing = domain.make(1)
    holder, first_waiting, second_waiting = (domain.someone() for _ in range(3))
    for who in (holder, first_waiting, second_waiting):
        domain.take(thing, who)

    domain.give_up(thing, first_waiting)

    assert domain.statuses(thing, [holder, second_waiting]) == ["booked", "waiting"]
    assert domain.row(thing, second_waiting).waiting_position == 1
    assert told(domain.place_kind) == set()


def test_taking_a_place_twice_changes_nothing(domain):
    thing = domain.make(1)
    holder, waiting = domain.someone(), domain.someone()
    domain.take(thing, holder)
    domain.take(thing, waiting)
    before = {row.pk: (row.status, row.joined_at) for row in domain.places.of(thing)}

    for who in (holder, waiting):
        again = booking.take_place(places=domain.places, holder=thing, person=who)
        assert again.new is False
    # Through the domain's own service too: a shift says so, an event shows the same place.
    try:
        domain.take(thing, waiting)
    except ValidationError as error:
        assert "already on this shift" in " ".join(error.messages)

    assert {row.pk: (row.status, row.joined_at) for row in domain.places.of(thing)} == before


def test_coming_back_after_giving_up_is_the_back_of_the_queue(domain):
    thing = domain.make(1)
    holder, waiting, comes_back = (domain.someone() for _ in range(3))
    for who in (holder, comes_back, waiting):
        domain.take(thing, who)
    domain.give_up(thing, comes_back)
    domain.take(thing, comes_back)

    assert [domain.row(thing, who).waiting_position for who in (waiting, comes_back)] == [1, 2]


def test_cancelling_the_whole_thing_tells_everyone_and_promotes_nobody(
    domain, django_capture_on_commit_callbacks
):
    thing = domain.make(1)
    holder, waiting = domain.someone(), domain.someone()
    domain.take(thing, holder)
    domain.take(thing, waiting)
    bystander = domain.someone()

    with django_capture_on_commit_callbacks(execute=True):
        domain.cancel(thing)

    assert told(domain.cancel_kind) == {holder.pk, waiting.pk}
    assert bystander.pk not in told(domain.cancel_kind)
    assert told(domain.place_kind) == set()
    # A cancelled shift is gone; a cancelled event keeps its rows, all cancelled.
    assert not domain.places.model.objects.filter(status__in=booking.HOLDING).exists()


def test_fewer_places_than_people_booked_is_refused_and_more_go_to_the_queue(domain):
    thing = domain.make(1)
    holder, first_waiting, second_waiting = (domain.someone() for _ in range(3))
    for who in (holder, first_waiting, second_waiting):
        domain.take(thing, who)

    with pytest.raises(ValidationError, match="1 people already have a place"):
        booking.check_capacity(places=domain.places, holder=thing, capacity=0)

    with transaction.atomic():
        thing = booking.lock(places=domain.places, holder=thing)
        setattr(thing, domain.places.capacity, 2)
        thing.save()
        promoted = booking.promote(places=domain.places, holder=thing)
    assert [row.person for row in promoted] == [first_waiting]
    assert domain.statuses(thing, [first_waiting, second_waiting]) == ["booked", "waiting"]


def test_an_event_with_no_limit_has_a_place_for_everyone(db):
    domain = _events()
    event = domain.make(None)
    people = [domain.someone() for _ in range(5)]
    for who in people:
        domain.take(event, who)
    assert domain.statuses(event, people) == ["booked"] * 5


def test_the_person_sees_their_position_and_then_their_place(client_of, domain):
    thing = domain.make(1)
    holder, first_waiting, second_waiting = (domain.someone() for _ in range(3))
    for who in (holder, first_waiting, second_waiting):
        domain.take(thing, who)

    assert "You are 2nd on the waiting list" in (
        client_of(second_waiting).get(domain.page(thing)).content.decode()
    )
    today = client_of(first_waiting).get(reverse("accounts:today")).content.decode()
    assert "You are 1st on the waiting list" in today

    domain.give_up(thing, holder)

    assert "on the waiting list" not in client_of(first_waiting).get(domain.page(thing)).text
    assert (
        "You are 1st on the waiting list" in client_of(second_waiting).get(domain.page(thing)).text
    )
    today = client_of(first_waiting).get(reverse("accounts:today")).content.decode()
    assert "on the waiting list" not in today


def test_the_text_about_a_place_names_only_the_time(domain, django_capture_on_commit_callbacks):
    thing = domain.make(1)
    holder, waiting = domain.someone(), domain.someone()
    domain.take(thing, holder)
    domain.take(thing, waiting)
    with django_capture_on_commit_callbacks(execute=True):
        domain.give_up(thing, holder)

    notice = Notification.objects.get(kind=domain.place_kind, recipient=waiting)
    text = render_kind(kinds.get(notice.kind).template, notice.context).sms
    assert "A place came up" in text
    assert "Coffee morning" not in text and "Event helper" not in text


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", list(DOMAINS))
def test_two_people_at_once_never_both_take_the_last_place(name):
    domain = DOMAINS[name]()
    thing = domain.make(2)
    domain.take(thing, domain.someone())  # one place left
    racers = [domain.someone() for _ in range(2)]
    barrier = threading.Barrier(len(racers))
    errors = []

    def take(who):
        try:
            barrier.wait(timeout=10)
            domain.take(thing, who)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(who,)) for who in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(domain.statuses(thing, racers)) == ["booked", "waiting"]
    assert domain.places.of(thing).filter(status=PlaceStatus.BOOKED).count() == 2


def test_a_shift_that_has_started_promotes_nobody(db):
    domain = _shifts()
    shift = domain.make(1)
    holder, waiting = domain.someone(), domain.someone()
    domain.take(shift, holder)
    domain.take(shift, waiting)
    shift.starts_at = timezone.now() - timedelta(minutes=5)
    shift.ends_at = timezone.now() + timedelta(hours=2)
    shift.save()

    with transaction.atomic():
        locked = booking.lock(places=domain.places, holder=shift)
        booking.give_up_place(places=domain.places, holder=locked, person=holder)

    assert domain.statuses(shift, [waiting]) == ["waiting"]
