"""List pages cost the same number of queries however many rows they show."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from tests.factories import person
from tests.volunteering.factories import OnboardingFactory, ShiftFactory
from volunteering import services

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    client.get(url)  # settle the session first
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pipeline(client_of, coordinator, role):
    client = client_of(coordinator)
    OnboardingFactory(user=person(Role.MENTEE)).roles_wanted.add(role)
    # Middleware: session, user, roles, authenticator check (4); applications with people, the
    # roles they want (2).
    assert queries_for(client, reverse("volunteering:pipeline")) == 7  # 6 + unread count
    for _ in range(10):
        OnboardingFactory(user=person(Role.MENTEE)).roles_wanted.add(role)
    assert queries_for(client, reverse("volunteering:pipeline")) == 7  # 6 + unread count


def test_shifts_list(client_of, event_helper, role):
    client = client_of(event_helper)
    ShiftFactory(role=role)
    few = queries_for(client, reverse("volunteering:shifts"))
    for days in range(1, 12):
        shift = ShiftFactory(role=role, starts_at=timezone.now() + timedelta(days=days, hours=1))
        services.sign_up(shift=shift, volunteer=event_helper)
    assert queries_for(client, reverse("volunteering:shifts")) == few


def test_my_hours(client_of, event_helper, role):
    client = client_of(event_helper)
    few = queries_for(client, reverse("volunteering:my_hours"))
    for days in range(1, 12):
        services.log_hours(
            volunteer=event_helper,
            worked_on=timezone.localdate() - timedelta(days=days),
            minutes=60,
            role=role,
        )
    assert queries_for(client, reverse("volunteering:my_hours")) == few


def test_today_cards(client_of, coordinator, event_helper):
    """The coordinator's card: waiting hours, pipeline, expiring DBS checks, expiring training."""
    client = client_of(coordinator)
    few = queries_for(client, reverse("accounts:today"))
    for _ in range(5):
        OnboardingFactory(user=person(Role.MENTEE))
    assert queries_for(client, reverse("accounts:today")) == few
