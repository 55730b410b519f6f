"""The outcomes part of the impact report: distance travelled, ending well, time to help and
meeting feedback, every figure with small numbers hidden, in CSV too, and a fixed query count."""

from __future__ import annotations

import csv
import io
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from impact import outcomes
from impact.selectors import Period
from impact.tables import FEWER_THAN_5, HIDDEN_TO_PROTECT, NOT_SHOWN
from mentoring.choices import MatchStatus, MeetingStatus
from mentoring.models import Match, Meeting, MeetingFeedback, Response
from tests.factories import person
from tests.mentoring.factories import cleared_mentor, referral_for

pytestmark = pytest.mark.django_db

URL = reverse("impact:report")


def checks(mentee, *answers, days_ago=(200, 10)):
    for values, days in zip(answers, days_ago, strict=True):
        Response.objects.create(
            person=mentee,
            questionnaire="how-things-are",
            answers=values,
            completed_at=timezone.now() - timedelta(days=days),
        )


def mentees(n, name):
    return [person(Role.MENTEE, display_name=f"{name} {i}") for i in range(n)]


def ended(mentor, mentee, reason, *, days_ago=20):
    return Match.objects.create(
        referral=referral_for(mentee),
        mentor=mentor,
        mentee=mentee,
        status=MatchStatus.ENDED,
        activated_at=timezone.now() - timedelta(days=100),
        ended_at=timezone.now() - timedelta(days=days_ago),
        end_reason=reason,
    )


def report():
    return outcomes.outcomes_report(Period.last_twelve_months())


def shown(table, label):
    return next(row.shown for row in table.rows if row.label == label)


def test_distance_travelled_per_area_between_first_and_latest(db):
    for mentee in mentees(6, "Better"):
        checks(mentee, {"home": 2, "money": 3}, {"home": 4, "money": 3})
    checks(person(Role.MENTEE), {"home": 1}, days_ago=(10,))  # only one check: not counted
    found = report()
    assert found.people_with_two_checks == 6
    table = outcomes.distance_travelled(found)
    assert shown(table, "Home") == "+2.0 steps on average; better for 100%, harder for 0%"
    assert shown(table, "Money").startswith("0.0 steps on average")
    assert shown(table, "Hope") == "–"


def test_distance_travelled_is_hidden_for_fewer_than_five_people(db):
    for mentee in mentees(4, "Few"):
        checks(mentee, {"home": 2}, {"home": 4})
    table = outcomes.distance_travelled(report())
    assert shown(table, "Home") == str(NOT_SHOWN)


def test_only_people_whose_latest_check_is_in_the_period_count(db):
    for mentee in mentees(5, "Old"):
        checks(mentee, {"home": 2}, {"home": 4}, days_ago=(600, 400))
    assert report().people_with_two_checks == 0
    long_ago = Period(
        timezone.localdate() - timedelta(days=700), timezone.localdate() - timedelta(days=300)
    )
    assert outcomes.outcomes_report(long_ago).people_with_two_checks == 5


def test_ended_well_versus_disengaged_with_small_numbers_hidden(db):
    mentor = cleared_mentor(places=6)
    for mentee in mentees(6, "Well"):
        ended(mentor, mentee, "goals_met")
    ended(mentor, person(Role.MENTEE), "disengaged")
    table = outcomes.endings(report())
    assert shown(table, "Stopped taking part") == str(FEWER_THAN_5)
    # Hiding one row alone would let anyone subtract it back out: the next smallest goes too,
    # and says why rather than calling 6 "fewer than 5".
    assert shown(table, "Ended well (goals met or moved on)") == str(HIDDEN_TO_PROTECT)
    assert shown(table, "Share that ended well") == str(NOT_SHOWN)


def test_time_to_first_meeting_and_met_within_72_hours_of_release(db):
    mentor = cleared_mentor(places=6)
    released = timezone.localdate() - timedelta(days=30)
    # Midday on the release day, so the count holds whatever the hour the test runs at.
    release_noon = timezone.make_aware(datetime.combine(released, time(12)))
    for n, mentee in enumerate(mentees(6, "Released")):
        referral = referral_for(mentee, release_date=released)
        Referral = type(referral)
        Referral.objects.filter(pk=referral.pk).update(
            created_at=timezone.now() - timedelta(days=60)
        )
        match = Match.objects.create(
            referral=referral,
            mentor=mentor,
            mentee=mentee,
            status=MatchStatus.ACTIVE,
            activated_at=timezone.now() - timedelta(days=40),
        )
        # Five met on their release day; one ten days later.
        days = 0 if n < 5 else 10
        Meeting.objects.create(
            match=match,
            starts_at=release_noon + timedelta(days=days),
            status=MeetingStatus.HELD,
            place_kind="prison_gate",
        )
    found = report()
    assert found.released == 6 and found.met_within_72_hours == 5
    assert sorted(found.days_to_first_meeting) == [0, 0, 0, 0, 0, 10]
    table = outcomes.time_to_help(found)
    assert (
        shown(table, "Median days from referral (or release, when later) to a first meeting")
        == "0 days"
    )
    # 5 of 6: the one not met is a single person, so the share is hidden.
    assert shown(table, "Share of them met within 72 hours (3 days) of release") == str(NOT_SHOWN)


def test_meeting_feedback_counts_with_small_numbers_hidden(db, mentor, mentee):
    cleared_mentor(mentor)
    match = Match.objects.create(
        referral=referral_for(mentee),
        mentor=mentor,
        mentee=mentee,
        status=MatchStatus.ACTIVE,
        activated_at=timezone.now() - timedelta(days=100),
    )
    for n in range(7):
        meeting = Meeting.objects.create(
            match=match,
            starts_at=timezone.now() - timedelta(days=n + 1),
            status=MeetingStatus.HELD,
            place_kind="place",
        )
        MeetingFeedback.objects.create(meeting=meeting, person=mentee, face=3 if n < 6 else 1)
    table = outcomes.feedback(report())
    assert shown(table, "Not good") == str(FEWER_THAN_5)
    assert shown(table, "OK") == "0"
    assert shown(table, "Good") == str(HIDDEN_TO_PROTECT)  # the next smallest, so 1 cannot be found


def test_the_page_and_the_spreadsheet_carry_the_new_tables(client_of, coordinator):
    for mentee in mentees(5, "Page"):
        checks(mentee, {"hope": 2}, {"hope": 3})
    client = client_of(coordinator)
    page = client.get(URL).content.decode()
    assert "What changed for people" in page and "Time to help" in page
    assert "People with two or more “How things are” checks" in page
    response = client.get(URL, {"format": "csv", "table": "distance"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Area", "Change"]
    assert ["Hope", "+1.0 steps on average; better for 100%, harder for 0%"] in rows
    assert ["Home", "–"] in rows


def test_the_outcomes_selector_makes_four_queries_whatever_the_data(db, django_assert_num_queries):
    with django_assert_num_queries(4):
        report()
    for mentee in mentees(6, "More"):
        checks(mentee, {"home": 2}, {"home": 3}, {"home": 4}, days_ago=(300, 100, 5))
    # Self-checks (two rows a person), endings, first meetings, feedback.
    with django_assert_num_queries(4):
        assert report().people_with_two_checks == 6
