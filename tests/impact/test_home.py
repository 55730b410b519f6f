"""The coordinator's "Needs you today": each count against known data, each link to where it is
dealt with, the pages behind two of them, and a home page whose query count does not grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from impact.apps import ImpactConfig
from mentoring.choices import MatchStatus, MeetingStatus, ReferralStatus
from mentoring.models import Referral
from notifications.places import PlaceStatus
from tests.factories import person
from tests.impact.conftest import build_world
from tests.mentoring.factories import match_between, meeting_of, referral_for
from tests.volunteering.factories import (
    DBSCheckFactory,
    ShiftFactory,
    TrainingCompletionFactory,
    ensure_roles,
)
from volunteering.models import (
    HoursEntry,
    Onboarding,
    ShiftSignup,
    Stage,
    VolunteerRole,
)

pytestmark = pytest.mark.django_db

TODAY_URL = reverse("accounts:today")


def items_of(client) -> dict[str, tuple[int, str]]:
    response = client.get(TODAY_URL)
    assert response.status_code == 200
    return {str(item.label): (item.count, item.url) for item in response.context["attention"]}


def test_each_count_and_its_link(client_of, coordinator, mentor, mentee, volunteer):
    ensure_roles()
    today = timezone.localdate()
    now = timezone.now()
    # 2 referrals waiting; 1 proposal waiting for the mentor.
    referral_for(person(Role.MENTEE))
    referral_for(person(Role.MENTEE))
    match_between(mentor, person(Role.MENTEE), status=MatchStatus.PROPOSED)
    # An active match whose last two meetings were missed (and one whose last was held).
    missed = match_between(mentor, mentee)
    for hours_ago in (300, 100):
        meeting_of(missed, in_hours=-hours_ago, status=MeetingStatus.MISSED)
    fine = match_between(mentor, person(Role.MENTEE))
    meeting_of(fine, in_hours=-300, status=MeetingStatus.MISSED)
    meeting_of(fine, in_hours=-100, status=MeetingStatus.HELD)
    # match_between skips the services, so the referrals it makes still say "waiting".
    Referral.objects.filter(matches__isnull=False).update(status=ReferralStatus.MATCHED)
    # 3 entries of hours waiting.
    role = VolunteerRole.objects.get(slug="event-helper")
    for days in (1, 2, 3):
        HoursEntry.objects.create(
            volunteer=volunteer, role=role, worked_on=today - timedelta(days=days), minutes=60
        )
    # A DBS check running out in 30 days, one in 90 (not yet), and one renewed already.
    DBSCheckFactory(volunteer=volunteer, recheck_due=today + timedelta(days=30))
    DBSCheckFactory(volunteer=mentor, recheck_due=today + timedelta(days=90))
    renewed = person(Role.VOLUNTEER)
    DBSCheckFactory(volunteer=renewed, recheck_due=today + timedelta(days=20))
    DBSCheckFactory(volunteer=renewed, recheck_due=today + timedelta(days=1000))
    # Training running out in 10 days.
    TrainingCompletionFactory(
        user=volunteer,
        completed_on=today - timedelta(days=355),
        expires_on=today + timedelta(days=10),
    )
    # Volunteers: Priya had a shift last week; two others had none in 90 days (one never),
    # and a paused volunteer is left alone.
    last_week = ShiftFactory(role=role, starts_at=now - timedelta(days=7))
    ShiftSignup.objects.create(shift=last_week, volunteer=volunteer, status=PlaceStatus.BOOKED)
    long_ago = ShiftFactory(role=role, starts_at=now - timedelta(days=120))
    drifted = person(Role.VOLUNTEER, display_name="Drifted Away")
    ShiftSignup.objects.create(shift=long_ago, volunteer=drifted, status=PlaceStatus.BOOKED)
    person(Role.VOLUNTEER, display_name="Never Yet")
    paused = person(Role.VOLUNTEER)
    Onboarding.objects.create(user=paused, why="-", stage=Stage.PAUSED)

    items = items_of(client_of(coordinator))
    assert items["Referrals waiting for a match"] == (2, reverse("mentoring:referrals"))
    assert items["Proposals waiting for an answer"] == (1, reverse("mentoring:referrals"))
    assert items["Matches with two missed meetings in a row"] == (
        1,
        reverse("impact:missed_twice"),
    )
    # The big number is entries; the words say the hours they add up to (3 of one hour each).
    assert items["Entries of hours waiting for approval: 3 hours in all"] == (
        3,
        reverse("volunteering:approvals"),
    )
    assert items["DBS (criminal record) checks running out in 60 days"] == (
        1,
        reverse("volunteering:reports"),
    )
    assert items["Training running out in 60 days"] == (1, reverse("volunteering:reports"))
    # Drifted Away, Never Yet and the renewed volunteer; Sam is mentoring, so not counted.
    assert items["Volunteers with no shift in 90 days"] == (3, reverse("impact:no_recent_shift"))


def test_only_coordinators_get_these_items(client_of, request):
    labels = {"Referrals waiting for a match", "Entries of hours waiting for approval"}
    for persona in ("mentee", "mentor", "volunteer", "moderator", "admin_user", "involvement_lead"):
        client = client_of(request.getfixturevalue(persona))
        assert not labels & set(items_of(client))


def test_the_hook_makes_one_query_per_item(coordinator, django_assert_num_queries):
    coordinator.roles  # noqa: B018 - roles are read once per request, before any hook
    with django_assert_num_queries(7):
        items = ImpactConfig.attention_items(None, coordinator)
    assert len(items) == 7


def _count(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(TODAY_URL).status_code == 200
    return len(queries)


def test_the_coordinators_home_costs_the_same_queries_however_much_data(client_of, coordinator):
    client = client_of(coordinator)
    client.get(TODAY_URL)  # the first request after log-in warms per-session caches
    empty = _count(client)
    build_world(coordinator)
    grown = _count(client)
    build_world(coordinator)
    assert _count(client) == grown == empty


# --- The lists behind two of the items --------------------------------------------------------


def test_volunteers_without_a_shift_are_listed_longest_gap_first(client_of, coordinator):
    ensure_roles()
    role = VolunteerRole.objects.get(slug="event-helper")
    drifted = person(Role.VOLUNTEER, display_name="Drifted Away")
    shift = ShiftFactory(role=role, starts_at=timezone.now() - timedelta(days=120))
    ShiftSignup.objects.create(shift=shift, volunteer=drifted, status=PlaceStatus.BOOKED)
    person(Role.VOLUNTEER, display_name="Never Yet")
    body = client_of(coordinator).get(reverse("impact:no_recent_shift")).content.decode()
    assert body.index("Never Yet") < body.index("Drifted Away")
    assert "no shift yet" in body


def test_the_list_of_volunteers_costs_the_same_queries(
    client_of, coordinator, django_assert_num_queries
):
    client = client_of(coordinator)
    url = reverse("impact:no_recent_shift")
    person(Role.VOLUNTEER, display_name="First Volunteer")
    client.get(url)
    # Session, user, roles, authenticator app (4); navigation's own (cached per request: 0);
    # the count for the pages and the page of people (2).
    # + 1: the count of unread notifications in the header.
    with django_assert_num_queries(7):
        client.get(url)
    for number in range(8):
        person(Role.VOLUNTEER, display_name=f"Volunteer {number}")
    with django_assert_num_queries(7):
        client.get(url)


def test_matches_with_two_missed_meetings_are_listed(client_of, coordinator, mentor, mentee):
    match = match_between(mentor, mentee)
    for hours_ago in (300, 100):
        meeting_of(match, in_hours=-hours_ago, status=MeetingStatus.MISSED)
    response = client_of(coordinator).get(reverse("impact:missed_twice"))
    assert response.status_code == 200
    assert reverse("mentoring:match", args=[match.pk]) in response.content.decode()


@pytest.mark.parametrize("name", ["impact:no_recent_shift", "impact:missed_twice"])
@pytest.mark.parametrize(
    "persona",
    [
        "mentee",
        "mentor",
        "volunteer",
        "moderator",
        "involvement_lead",
        "safeguarding_lead",
        "admin_user",
    ],
)
def test_the_lists_are_for_coordinators_only(client_of, request, name, persona):
    client = client_of(request.getfixturevalue(persona))
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", ["impact:no_recent_shift", "impact:missed_twice"])
def test_the_lists_ask_anonymous_people_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_hours_waiting_shows_the_real_hours_not_the_number_of_entries(
    client_of, coordinator, volunteer
):
    ensure_roles()
    role = VolunteerRole.objects.get(slug="event-helper")
    for days, minutes in ((1, 150), (2, 240)):
        HoursEntry.objects.create(
            volunteer=volunteer,
            role=role,
            worked_on=timezone.localdate() - timedelta(days=days),
            minutes=minutes,
        )
    page = client_of(coordinator).get(TODAY_URL).content.decode()
    assert "Entries of hours waiting for approval: 6 h 30 min in all" in page
    items = items_of(client_of(coordinator))
    assert items["Entries of hours waiting for approval: 6 h 30 min in all"][0] == 2
