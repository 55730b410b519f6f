"""Volunteering fixtures: a cleared volunteer, shifts past and future, hours, a certificate."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from notifications.places import PlaceStatus
from tests.factories import person
from tests.volunteering.factories import (
    DBSCheckFactory,
    OnboardingFactory,
    ShiftFactory,
    TrainingCompletionFactory,
    ensure_roles,
    make_cleared,
)
from volunteering.models import HoursEntry, ShiftSignup, VolunteerRole


@pytest.fixture(autouse=True)
def _default_roles(request):
    """The roles from the data migration, even after another test flushed the database."""
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")  # the marked database access comes first
        ensure_roles()


@pytest.fixture
def event_helper(volunteer):
    """Priya, cleared as an event helper."""
    make_cleared(volunteer, "event-helper")
    return volunteer


@pytest.fixture
def other_volunteer(db):
    somebody = person(Role.VOLUNTEER, display_name="Other Volunteer")
    make_cleared(somebody, "event-helper")
    return somebody


@pytest.fixture
def role(db):
    return VolunteerRole.objects.get(slug="event-helper")


@pytest.fixture
def shift(role):
    return ShiftFactory(role=role, places=2)


@pytest.fixture
def past_shift(role, event_helper):
    """A shift Priya held yesterday."""
    starts = timezone.now() - timedelta(days=1)
    held = ShiftFactory(role=role, starts_at=starts, ends_at=starts + timedelta(hours=3))
    ShiftSignup.objects.create(shift=held, volunteer=event_helper, status=PlaceStatus.BOOKED)
    return held


@pytest.fixture
def pending_entry(event_helper, role):
    return HoursEntry.objects.create(
        volunteer=event_helper,
        role=role,
        worked_on=timezone.localdate() - timedelta(days=2),
        minutes=150,
    )


@pytest.fixture
def applicant(db):
    somebody = person(Role.MENTEE, display_name="Jo Applicant")
    OnboardingFactory(user=somebody)
    return somebody


@pytest.fixture
def disclosed_check(applicant):
    return DBSCheckFactory(volunteer=applicant, has_disclosure=True)


@pytest.fixture
def training_with_certificate(event_helper, settings):
    from django.core.files.base import ContentFile

    done = TrainingCompletionFactory(user=event_helper)
    done.certificate.save("certificate.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    done.certificate_type = "application/pdf"
    done.save()
    return done
