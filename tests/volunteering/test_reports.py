"""Reports for coordinators: aggregated in SQL, with a query count that does not grow."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from tests.factories import person
from tests.volunteering.factories import DBSCheckFactory
from volunteering import selectors
from volunteering.models import HoursEntry, HoursStatus, VolunteerRole

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 22)


def hours(volunteer, role_slug, day, minutes, status=HoursStatus.APPROVED):
    return HoursEntry.objects.create(
        volunteer=volunteer,
        role=VolunteerRole.objects.get(slug=role_slug),
        worked_on=day,
        minutes=minutes,
        status=status,
    )


def test_monthly_report_sums_approved_hours(volunteer, mentor, settings):
    settings.VOLUNTEER_HOUR_VALUE_GBP = Decimal("12.00")
    hours(volunteer, "event-helper", date(2026, 11, 2), 120)
    hours(volunteer, "event-helper", date(2026, 11, 9), 60)
    hours(volunteer, "peer-mentor", date(2026, 10, 9), 90)
    hours(mentor, "peer-mentor", date(2026, 10, 1), 60)
    hours(mentor, "peer-mentor", date(2026, 10, 2), 600, status=HoursStatus.PENDING)
    hours(mentor, "peer-mentor", date(2025, 10, 2), 600)  # before the 12 months

    report = selectors.monthly_report(today=TODAY)

    assert report.months[0] == date(2025, 12, 1) and report.months[-1] == date(2026, 11, 1)
    rows = {row["name"]: row for row in report.by_volunteer}
    assert rows["Priya Volunteer"]["minutes"] == {date(2026, 11, 1): 180, date(2026, 10, 1): 90}
    assert rows["Sam Mentor"]["total"] == 60
    roles = {row["role"]: row["total"] for row in report.by_role}
    assert roles == {"Event helper": 180, "Peer mentor": 150}
    assert report.active_by_month[date(2026, 10, 1)] == 2
    assert report.active_by_month[date(2026, 11, 1)] == 1
    assert report.total_minutes == 330
    assert report.value_gbp == Decimal("66")


def test_retention(volunteer, mentor):
    hours(volunteer, "event-helper", TODAY - timedelta(days=300), 60)
    hours(volunteer, "event-helper", TODAY - timedelta(days=20), 60)
    hours(mentor, "peer-mentor", TODAY - timedelta(days=250), 60)

    result = selectors.retention(today=TODAY)

    assert (result.earlier, result.stayed, result.percent) == (2, 1, 50)


def test_expiring_clearances(volunteer, mentor):
    DBSCheckFactory(volunteer=volunteer, recheck_due=TODAY + timedelta(days=30))
    DBSCheckFactory(volunteer=mentor, recheck_due=TODAY + timedelta(days=90))

    found = selectors.expiring_clearances(today=TODAY)

    assert [(item.person, item.expires_on) for item in found] == [
        (volunteer, TODAY + timedelta(days=30))
    ]


def test_report_page_query_count_does_not_grow(client_of, coordinator, django_assert_num_queries):
    def add_people(n):
        for _ in range(n):
            somebody = person(Role.VOLUNTEER)
            hours(somebody, "event-helper", timezone.localdate() - timedelta(days=3), 60)
            DBSCheckFactory(
                volunteer=somebody, recheck_due=timezone.localdate() + timedelta(days=10)
            )

    client = client_of(coordinator)
    add_people(2)
    client.get(reverse("volunteering:reports"))
    # Middleware: session, user, roles, authenticator check (4); sums per volunteer and month,
    # their names, role titles, sums per role and month, retention, expiring DBS checks,
    # expiring training (7).
    # + 1: the count of unread notifications in the header.
    with django_assert_num_queries(12):
        client.get(reverse("volunteering:reports"))
    add_people(10)
    with django_assert_num_queries(12):
        response = client.get(reverse("volunteering:reports"))
    assert len(response.context["report"].by_volunteer) == 12


def test_csv_export(client_of, coordinator, volunteer):
    hours(volunteer, "event-helper", timezone.localdate().replace(day=1), 90)
    volunteer.display_name = "=HYPERLINK(evil)"
    volunteer.save()

    response = client_of(coordinator).get(reverse("volunteering:reports_csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Volunteer" and rows[0][-1] == "Total hours"
    assert rows[1][0] == "'=HYPERLINK(evil)"  # never a formula in a spreadsheet
    assert rows[1][-1] == "1.50"
    assert response["Content-Disposition"].startswith("attachment")
