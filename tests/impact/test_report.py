"""The impact report: every figure against the hand-built world (see conftest), small numbers
hidden on the page and in the spreadsheets, who may read it, and a query count that stays put."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from impact import tables
from impact.selectors import Period, impact_report
from tests.impact.conftest import build_world

pytestmark = pytest.mark.django_db

URL = reverse("impact:report")


def test_each_figure_matches_the_world(world):
    report = impact_report(Period.last_twelve_months())
    assert report.referrals == 13
    assert report.attended_first_meeting == 7
    assert sorted(report.days_to_match) == [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]
    assert report.median_days_to_match == 11
    assert report.median_days_to_first_meeting == 13
    assert report.active_matches == 10
    assert report.endings["goals_met"] == 5
    assert report.endings["custody"] == 1
    assert report.matches_ended == 6
    assert (report.meetings_held, report.meetings_missed) == (7, 3)
    assert report.goals_by_area == {
        "housing": 5,
        "work": 6,
        "recovery": 0,
        "family": 1,
        "health": 0,
        "money": 0,
        "learning": 0,
    }
    assert report.volunteers == 5
    assert report.volunteer_hours == Decimal("20.0")
    assert report.volunteer_value_gbp == Decimal("244")  # 20 hours at £12.21
    assert (report.pathway_applied, report.pathway_volunteering) == (1, 0)
    assert (report.events_held, report.event_places) == (1, 6)
    assert report.stories_published == 1


def test_a_period_before_anything_happened_is_empty(world):
    today = timezone.localdate()
    report = impact_report(Period(today - timedelta(days=800), today - timedelta(days=600)))
    assert report.referrals == 0
    assert report.active_matches == 0
    assert report.median_days_to_match is None


def test_the_hourly_value_comes_from_volunteering_settings(world, settings):
    settings.VOLUNTEER_HOUR_VALUE_GBP = Decimal("10")
    assert impact_report(Period.last_twelve_months()).volunteer_value_gbp == Decimal("200")


def test_the_page_shows_key_figures_and_hides_small_numbers(client_of, world):
    response = client_of(world.coordinator).get(URL)
    assert response.status_code == 200
    summary = {row.label: row.shown for row in response.context["summary"].rows}
    assert summary["People referred"] == "13"
    assert summary["Share of people referred who went to a first meeting"] == "54%"
    assert summary["Median time from referral to a match"] == "11 days"
    assert summary["Median time from referral to a first meeting"] == "13 days"
    assert summary["Hours volunteered (approved)"] == "20.0"
    assert summary["Value of those hours"] == "£244"
    assert summary["People once mentored who applied to volunteer"] == "fewer than 5"
    assert summary["Places taken at those events"] == "6"
    charts = {table.name: table for table in response.context["charts"]}
    sources = {row.label: row.shown for row in charts["referrals"].rows}
    # Housing referrals (2) are hidden, and so is the next smallest, or 13 - 6 - 5 would give 2.
    assert sources == {
        "Referred themselves": "6",
        "Referred by a coordinator": "hidden",  # 5: hidden, never called "fewer than 5"
        "Referred by probation": "0",
        "Referred by a prison resettlement team": "0",
        "Referred by a drug and alcohol service": "0",
        "Referred by a housing service": "fewer than 5",
        "Referred by another partner organisation": "0",
        "Not recorded": "0",
    }
    goals = {row.label: row.shown for row in charts["goals"].rows}
    assert goals["Work and training"] == "6"
    assert goals["Family"] == "fewer than 5"
    assert goals["Housing"] == "hidden"  # 5, hidden with the family row, not "fewer than 5"
    body = response.content.decode()
    assert "fewer than 5" in body
    assert world.mentees[0].display_name not in body
    assert 'style="' not in body  # the bars are SVG widths, which the CSP allows


def test_hidden_rows_have_no_bar(client_of, world):
    charts = client_of(world.coordinator).get(URL).context["charts"]
    for table in charts:
        for row in table.rows:
            if row.shown == "fewer than 5":
                assert row.width == 0


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (0, 0, "–"),
        (3, 3, "not shown: fewer than 5 people"),  # too few people in all
        (2, 40, "not shown: fewer than 5 people"),  # 2 people
        (38, 40, "not shown: fewer than 5 people"),  # the 2 who did not
        (20, 40, "50%"),
        (0, 40, "0%"),
    ],
)
def test_shares_from_a_handful_of_people_are_hidden(part, whole, shown):
    assert tables.show_share(part, whole) == shown


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5")]
)
def test_counts_from_one_to_four_are_hidden(count, shown):
    assert tables.show_count(count) == shown


def test_a_median_of_fewer_than_five_people_is_hidden():
    assert tables.show_median([3, 4, 5, 6]) == "not shown: fewer than 5 people"
    assert tables.show_median([3, 4, 5, 6, 100]) == "5 days"


def _csv(client, table):
    response = client.get(URL, {"format": "csv", "table": table})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_every_table_downloads_as_csv_with_small_numbers_hidden(client_of, world):
    client = client_of(world.coordinator)
    assert _csv(client, "referrals") == [
        ["Who referred them", "People referred"],
        ["Referred themselves", "6"],
        ["Referred by a coordinator", "hidden"],
        ["Referred by probation", "0"],
        ["Referred by a prison resettlement team", "0"],
        ["Referred by a drug and alcohol service", "0"],
        ["Referred by a housing service", "fewer than 5"],
        ["Referred by another partner organisation", "0"],
        ["Not recorded", "0"],
    ]
    summary = dict(_csv(client, "summary")[1:])
    assert summary["People referred"] == "13"
    assert summary["People once mentored who applied to volunteer"] == "fewer than 5"
    endings = dict(_csv(client, "endings")[1:])
    assert endings["Back in custody"] == "fewer than 5"
    assert endings["Goals met"] == "hidden"
    for name in ("journey", "goals"):
        assert len(_csv(client, name)) > 1
    assert client.get(URL, {"format": "csv", "table": "people"}).status_code == 404


def test_the_period_can_be_chosen(client_of, world):
    today = timezone.localdate()
    response = client_of(world.coordinator).get(
        URL, {"start": (today - timedelta(days=15)).isoformat(), "end": today.isoformat()}
    )
    assert response.status_code == 200
    assert response.context["report"].referrals == 0
    assert response.context["report"].stories_published == 1


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "yesterday"}, "Enter a valid date."),
        ({"start": "2026-02-30"}, "Enter a valid date."),
        ({"start": "2025-06-01", "end": "2025-01-01"}, "The end date must be on or after"),
        ({"start": "1999-01-01", "end": "2000-01-01"}, "from the year 2000 onwards"),
        ({"start": "2001-01-01", "end": "2020-01-01"}, "five years or less"),
        ({"start": "2099-01-01", "end": "2099-02-01"}, "cannot be in the future"),
        # Found by tests/config/test_fuzz_forms.py: an end in year 1 was a server error.
        ({"end": "0001-01-01"}, "between 1900 and 2100"),
        ({"start": "2020-01-01", "end": "9999-12-31"}, "between 1900 and 2100"),
    ],
)
def test_bad_dates_get_a_plain_message(client_of, coordinator, params, message):
    response = client_of(coordinator).get(URL, params)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "report" not in response.context


def test_admins_may_read_it(client_of, admin_user):
    assert client_of(admin_user).get(URL).status_code == 200


@pytest.mark.parametrize(
    "persona",
    [
        "mentee",
        "mentor",
        "volunteer",
        "moderator",
        "involvement_lead",
        "safeguarding_lead",
        "outsider",
    ],
)
def test_nobody_else_may_read_it(client_of, request, persona):
    client = client_of(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"format": "csv", "table": "summary"}).status_code == 404


def test_anonymous_people_are_asked_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


PAGE_QUERIES = (
    4  # session, user, roles, authenticator app
    + 9  # the report's own (see the test below)
    + 2  # who referred people: counts by source, days to a first meeting (test_referral_sources)
    + 4  # the outcomes (tests/impact/test_outcomes_report.py)
    + 1  # the unread count in the page's header (a CSV has no header)
)


def test_the_report_costs_the_same_queries_however_much_data(
    client_of, coordinator, django_assert_num_queries
):
    client = client_of(coordinator)
    client.get(URL)  # the first request after log-in warms per-session caches
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(URL).status_code == 200
    build_world(coordinator)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(URL).status_code == 200
    build_world(coordinator)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(URL).status_code == 200
    with django_assert_num_queries(PAGE_QUERIES - 1):
        assert client.get(URL, {"format": "csv", "table": "goals"}).status_code == 200
    with django_assert_num_queries(PAGE_QUERIES - 1):
        assert client.get(URL, {"format": "csv", "table": "by_source"}).status_code == 200


def test_the_report_selector_makes_nine_queries(world, django_assert_num_queries):
    # Referrals, timings, matches, meetings, goals, hours, pathway, events, stories.
    with django_assert_num_queries(9):
        impact_report(Period.last_twelve_months())
