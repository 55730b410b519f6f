"""One way to take a place: places on a shift, places at an event, with one waiting list each.

A domain keeps its places in a model that inherits ``Place`` (the person's row: booked, waiting
or cancelled, and when they joined the queue) and describes them once with ``Places`` (which
model, where the capacity is, what to tell a person who moves up, whether the thing is still
open). Its services then call the functions here, after their own rules (who may take a place,
whether it has started):

- ``take_place``: a place if one is free, else the back of the waiting list; twice changes nothing.
- ``give_up_place``: the place (or the spot in the queue) goes; the first person waiting moves up.
- ``promote``: fill the free places from the waiting list, first come first served.
- ``cancel_all``: the thing itself is cancelled; every booked and waiting row is cancelled and
  returned so the domain can tell each person in its own words; nobody moves up.
- ``waiting_position``: "You are 2nd on the waiting list".

Every change locks the row of the thing that has the places (``lock``) first, so two people can
never take the last place at once, and the queue is given out one change at a time. This module
imports only ``accounts`` (and the rest of ``notifications``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import audit


class PlaceStatus(models.TextChoices):
    BOOKED = "booked", gettext_lazy("Has a place")
    WAITING = "waiting", gettext_lazy("On the waiting list")
    CANCELLED = "cancelled", gettext_lazy("Cancelled")


HOLDING = (PlaceStatus.BOOKED, PlaceStatus.WAITING)

# The waiting list's order: who joined first, and the row's id when two joined in the same instant.
QUEUE_ORDER = ("joined_at", "id")


class PlaceQuerySet(models.QuerySet):
    def booked(self):
        return self.filter(status=PlaceStatus.BOOKED)

    def waiting(self):
        return self.filter(status=PlaceStatus.WAITING).order_by(*QUEUE_ORDER)

    def holding(self):
        """Everyone booked or waiting: the people to tell when the thing changes."""
        return self.filter(status__in=HOLDING)

    def with_waiting_position(self):
        """Annotate ``position``: 1 for the first person waiting, in one query for the whole list
        (None for a row that is not waiting)."""
        model = self.model
        ahead = (
            model._default_manager.filter(
                **{model.holder_field: OuterRef(model.holder_field)},
                status=PlaceStatus.WAITING,
            )
            .filter(
                Q(joined_at__lt=OuterRef("joined_at"))
                | Q(joined_at=OuterRef("joined_at"), pk__lt=OuterRef("pk"))
            )
            .order_by()
            .values(model.holder_field)
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            position=models.Case(
                models.When(
                    status=PlaceStatus.WAITING,
                    then=Coalesce(Subquery(ahead), Value(0)) + Value(1),
                ),
                default=None,
                output_field=models.IntegerField(),
            )
        )


class Place(models.Model):
    """One person's row for one thing with places. A concrete model adds the two foreign keys and
    names them in ``holder_field`` (the thing) and ``person_field`` (the person)."""

    holder_field: ClassVar[str]
    person_field: ClassVar[str]
    # The domain's own words for a status ("Signed up" for a shift); the rest are the defaults.
    status_labels: ClassVar[dict[str, Any]] = {}

    status = models.CharField(max_length=10, choices=PlaceStatus.choices)
    # The waiting list is first come, first served: the place in the queue is this time. Joining
    # again after cancelling is the back of the queue.
    joined_at = models.DateTimeField(default=timezone.now)
    # When the person last moved up from the waiting list (None: booked straight away).
    promoted_at = models.DateTimeField(null=True, blank=True)

    objects = PlaceQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["joined_at", "id"]

    @property
    def status_label(self) -> str:
        return str(self.status_labels.get(self.status) or PlaceStatus(self.status).label)

    @property
    def is_booked(self) -> bool:
        return self.status == PlaceStatus.BOOKED

    @property
    def is_waiting(self) -> bool:
        return self.status == PlaceStatus.WAITING

    @property
    def is_holding(self) -> bool:
        return self.status in HOLDING

    @property
    def person(self):
        return getattr(self, self.person_field)

    @property
    def waiting_position(self) -> int | None:
        """1 for the first person waiting; None when this row is not waiting. Uses the
        ``position`` annotation when the list was fetched ``with_waiting_position()``."""
        if "position" in self.__dict__:
            return self.__dict__["position"]
        if not self.is_waiting:
            return None
        ahead = (
            type(self)
            ._default_manager.filter(
                **{f"{self.holder_field}_id": getattr(self, f"{self.holder_field}_id")},
                status=PlaceStatus.WAITING,
            )
            .filter(Q(joined_at__lt=self.joined_at) | Q(joined_at=self.joined_at, pk__lt=self.pk))
            .count()
        )
        return ahead + 1


@dataclass(frozen=True)
class Places:
    """How one domain keeps its places. Declared once in the domain (``SHIFT_PLACES``)."""

    model: type[Place]
    # The attribute of the thing that holds its number of places; None there means no limit.
    capacity: str
    # Audit actions are ``<audit_prefix>booked``, ``…waiting``, ``…given_up``, ``…promoted``.
    audit_prefix: str
    # Tell a person who moved up from the waiting list (the domain's own notice and words).
    tell_promoted: Callable[[Any, Place], None]
    # Whether people may still move up into the thing (not started, not cancelled).
    is_open: Callable[[Any], bool] = lambda holder: True

    @property
    def holder_model(self) -> type[models.Model]:
        return self.model._meta.get_field(self.model.holder_field).related_model

    def of(self, holder) -> PlaceQuerySet:
        return self.model._default_manager.filter(**{self.model.holder_field: holder})


def lock(*, places: Places, holder):
    """The thing's row, fresh and locked until the transaction ends. Every change to its places
    queues on this lock. Precondition: inside ``transaction.atomic()``."""
    return places.holder_model._default_manager.select_for_update(of=("self",)).get(pk=holder.pk)


def capacity_of(*, places: Places, holder) -> int | None:
    return getattr(holder, places.capacity)


def taken(*, places: Places, holder) -> int:
    return places.of(holder).booked().count()


def _has_room(places: Places, holder) -> bool:
    capacity = capacity_of(places=places, holder=holder)
    return capacity is None or taken(places=places, holder=holder) < capacity


def check_capacity(*, places: Places, holder, capacity: int | None) -> None:
    """Refuse a capacity below the places already taken: nobody loses a place they were given.
    (A higher one gives the new places to the people waiting longest: call ``promote``.)"""
    if capacity is None or holder.pk is None:
        return
    booked = taken(places=places, holder=holder)
    if capacity < booked:
        raise ValidationError(
            _(
                "%(taken)d people already have a place. Keep at least %(taken)d places, or ask "
                "someone to give theirs up first."
            )
            % {"taken": booked}
        )


@dataclass(frozen=True)
class Taken:
    place: Place
    # False when the person already had a place or a spot in the queue: nothing changed.
    new: bool


@transaction.atomic
def take_place(*, places: Places, holder, person, now: datetime | None = None) -> Taken:
    """Give ``person`` a place on ``holder`` or, when it is full, the back of its waiting list.

    Idempotent: someone already booked or waiting keeps their row as it is. Someone who cancelled
    joins again at the back of the queue. Preconditions: the domain's own rules (who may, whether
    it has started) were checked; the thing's row is locked here.
    """
    holder = lock(places=places, holder=holder)
    model = places.model
    place = places.of(holder).filter(**{model.person_field: person}).first()
    if place is not None and place.is_holding:
        return Taken(place=place, new=False)
    # Places that came free (a capacity raised elsewhere) go to the queue before a newcomer.
    promote(places=places, holder=holder)
    if place is None:
        place = model(**{model.holder_field: holder, model.person_field: person})
    place.status = PlaceStatus.BOOKED if _has_room(places, holder) else PlaceStatus.WAITING
    place.joined_at, place.promoted_at = now or timezone.now(), None
    place.save()
    audit.record(
        actor=person, action=f"{places.audit_prefix}{place.status}", target=holder, subject=person
    )
    return Taken(place=place, new=True)


@dataclass(frozen=True)
class GaveUp:
    place: Place
    had_place: bool  # False: they were on the waiting list
    promoted: list[Place]


@transaction.atomic
def give_up_place(*, places: Places, holder, person) -> GaveUp | None:
    """``person`` gives up their place (or their spot in the queue); the first person waiting
    moves up and is told. None when they had neither (nothing changes)."""
    holder = lock(places=places, holder=holder)
    model = places.model
    place = places.of(holder).filter(**{model.person_field: person}).holding().first()
    if place is None:
        return None
    had_place = place.is_booked
    place.status = PlaceStatus.CANCELLED
    place.save(update_fields=["status"])
    audit.record(
        actor=person, action=f"{places.audit_prefix}given_up", target=holder, subject=person
    )
    promoted = promote(places=places, holder=holder) if had_place else []
    return GaveUp(place=place, had_place=had_place, promoted=promoted)


def promote(*, places: Places, holder) -> list[Place]:
    """Give every free place to the people who have waited longest, and tell each of them.
    Nobody moves up into a thing that is no longer open. Precondition: ``holder`` is locked
    (``lock``) in the current transaction."""
    if not places.is_open(holder):
        return []
    capacity = capacity_of(places=places, holder=holder)
    free = None if capacity is None else capacity - taken(places=places, holder=holder)
    if free is not None and free <= 0:
        return []
    queue = places.of(holder).waiting().select_related(places.model.person_field)
    moving = list(queue if free is None else queue[:free])
    now = timezone.now()
    for place in moving:
        place.status, place.promoted_at = PlaceStatus.BOOKED, now
        place.save(update_fields=["status", "promoted_at"])
        audit.record(
            actor=None,
            action=f"{places.audit_prefix}promoted",
            target=holder,
            subject=place.person,
        )
        places.tell_promoted(holder, place)
    return moving


@transaction.atomic
def cancel_all(*, places: Places, holder) -> list[Place]:
    """The thing itself is cancelled: every booked and waiting row is cancelled (nobody moves
    up) and returned, booked first, then the queue in order, for the domain to tell each person.
    """
    holder = lock(places=places, holder=holder)
    people = sorted(
        places.of(holder).holding().select_related(places.model.person_field),
        key=lambda place: (not place.is_booked, place.joined_at, place.pk),
    )
    places.of(holder).filter(pk__in=[place.pk for place in people]).update(
        status=PlaceStatus.CANCELLED
    )
    return people
