"""Who referred people, and what came of it, on the impact report: counts and days to a first
meeting by source, small numbers hidden on the page, in the spreadsheet and in totals.

The small world, all referred 100 days ago:
- probation: 6 referrals, through the partner referral the person agreed to; all 6 matched;
  5 went to a first meeting 2, 4, 6, 9 and 30 days after referral (median 6, 3 in 4 within 9).
  One of them missed a meeting on day 1 before the one held on day 4; the sixth only ever missed.
- housing: 2 referrals from a housing worker (on record as the referrer): 1 matched and met on
  day 3. A handful: hidden everywhere.
- themselves: 8 referrals, 6 matched, 5 met on day 10.
- a coordinator: 5 referrals, none matched yet. Hidden too, or 21 − 6 − 8 − 0 would leave the
  housing count plain to see.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.organisations import OrganisationKind
from accounts.roles import Role
from impact import sources
from impact.selectors import Period
from mentoring.choices import ContactPreference, MatchStatus, MeetingStatus
from mentoring.models import Match, Meeting, Referral
from mentoring.partners import services as partner_services
from mentoring.partners.choices import ConsentHow
from mentoring.partners.models import PartnerReferral
from mentoring.partners.selectors import with_referral_source
from tests.factories import person
from tests.mentoring.partner_factories import organisation, partner_referral, partner_worker

pytestmark = pytest.mark.django_db

URL = reverse("impact:report")
FEWER = "fewer than 5"
NOT_SHOWN = "not shown: fewer than 5 people"
HIDDEN = "hidden"  # 5 or more, hidden so that a smaller number cannot be worked out


def _org(kind):
    return organisation(f"{kind.label} {uuid.uuid4().hex[:6]}", kind)


def refer(by=None, *, partner_org=None, mentor=None, held=None, missed=None) -> Referral:
    """A person referred 100 days ago by ``by`` (themselves when None); through a partner
    referral of ``partner_org`` when given; matched with ``mentor`` on day 1 when given; a
    meeting held on day ``held`` and one missed on day ``missed`` when given."""
    created = timezone.now() - timedelta(days=100)
    mentee = person(Role.MENTEE)
    referral = Referral.objects.create(
        person=mentee,
        referred_by=by or mentee,
        contact_preference=ContactPreference.TEXT,
        created_at=created,
    )
    if partner_org is not None:
        PartnerReferral.objects.create(
            organisation=partner_org,
            worker=by,
            person=mentee,
            referral=referral,
            name="Someone",
            contact_preference=ContactPreference.TEXT,
            created_at=created,
        )
    if mentor is None:
        return referral
    match = Match.objects.create(
        referral=referral,
        mentor=mentor,
        mentee=mentee,
        status=MatchStatus.ACTIVE,
        activated_at=created + timedelta(days=1),
    )
    for day, status in ((held, MeetingStatus.HELD), (missed, MeetingStatus.MISSED)):
        if day is not None:
            Meeting.objects.create(
                match=match,
                starts_at=created + timedelta(days=day, hours=2),
                place_kind="place",
                status=status,
            )
    return referral


@pytest.fixture
def small_world(coordinator):
    mentor = person(Role.PEER_MENTOR, Role.VOLUNTEER)
    probation = _org(OrganisationKind.PROBATION)
    probation_worker = partner_worker(probation)
    housing_worker = partner_worker(_org(OrganisationKind.HOUSING), display_name="Hal Housing")
    for held, missed in ((2, None), (4, 1), (6, None), (9, None), (30, None), (None, 5)):
        refer(probation_worker, partner_org=probation, mentor=mentor, held=held, missed=missed)
    refer(housing_worker, mentor=mentor, held=3)
    refer(housing_worker)
    for number in range(8):
        refer(mentor=mentor if number < 6 else None, held=10 if number < 5 else None)
    for _ in range(5):
        refer(coordinator)
    return coordinator


def grid_of(table) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in table.rows}


def test_counts_and_days_by_source(small_world):
    report = sources.sources_report(Period.last_twelve_months())
    probation = report.figures(OrganisationKind.PROBATION)
    assert (probation.referred, probation.matched, probation.met) == (6, 6, 5)
    # Day 4, not the missed day 1; the referral with only a missed meeting has no first meeting.
    assert sorted(probation.days_to_first_meeting) == [2, 4, 6, 9, 30]
    housing = report.figures(OrganisationKind.HOUSING)
    assert (housing.referred, housing.matched, housing.met) == (2, 1, 1)
    themselves = report.figures("self")
    assert (themselves.referred, themselves.matched, themselves.met) == (8, 6, 5)
    assert themselves.days_to_first_meeting == [10] * 5
    by_coordinator = report.figures("coordinator")
    assert (by_coordinator.referred, by_coordinator.matched, by_coordinator.met) == (5, 0, 0)
    assert report.figures(OrganisationKind.PRISON).referred == 0
    assert (report.all.referred, report.all.matched, report.all.met) == (21, 13, 11)


def test_the_table_hides_small_numbers_and_what_would_give_them_away(small_world):
    _chart, table = sources.source_tables(sources.sources_report(Period.last_twelve_months()))
    assert table.headings == [
        "Who referred them",
        "People referred",
        "Matched with a mentor",
        "Went to a first meeting",
        "Days from referral to first meeting (middle value)",
        "Days from referral to first meeting (3 in 4 met within)",
    ]
    assert grid_of(table) == {
        "Referred themselves": ["8", "6", "5", "10 days", "10 days"],
        # The next smallest after housing: 21 − 8 − 6 would otherwise leave housing's 2.
        "Referred by a coordinator": [HIDDEN, HIDDEN, HIDDEN, NOT_SHOWN, NOT_SHOWN],
        "Referred by probation": ["6", "6", "5", "6 days", "9 days"],
        "Referred by a prison resettlement team": ["0", "0", "0", "–", "–"],
        "Referred by a drug and alcohol service": ["0", "0", "0", "–", "–"],
        # A handful of people: hidden across the row, the day of the one who met too.
        "Referred by a housing service": [FEWER, FEWER, FEWER, NOT_SHOWN, NOT_SHOWN],
        "Referred by another partner organisation": ["0", "0", "0", "–", "–"],
        "Not recorded": ["0", "0", "0", "–", "–"],
        # 2, 3, 4, 6, 9, 10 (five times), 30.
        "All referrals": ["21", "13", "11", "10 days", "10 days"],
    }


def _hidden_cells_per_column(table) -> list[int]:
    sources_rows = table.rows[:-1]  # without "All referrals"
    return [
        sum(1 for row in sources_rows if row[column] in (FEWER, HIDDEN)) for column in (1, 2, 3)
    ]


def test_a_total_never_gives_a_hidden_count_back(coordinator):
    """6 probation referrals and 2 from housing: with the total of 8 on the report, showing the 6
    would give the 2 away, so the 6 is hidden as well; and so are its days, as its row."""
    mentor = person(Role.PEER_MENTOR, Role.VOLUNTEER)
    probation = _org(OrganisationKind.PROBATION)
    worker = partner_worker(probation)
    for held in (2, 4, 6, 9, 30, 11):
        refer(worker, partner_org=probation, mentor=mentor, held=held)
    housing_worker = partner_worker(_org(OrganisationKind.HOUSING), display_name="Hal Housing")
    refer(housing_worker, mentor=mentor, held=3)
    refer(housing_worker, mentor=mentor, held=3)
    _chart, table = sources.source_tables(sources.sources_report(Period.last_twelve_months()))
    rows = grid_of(table)
    assert rows["All referrals"][:3] == ["8", "8", "8"]
    assert rows["Referred by a housing service"] == [FEWER, FEWER, FEWER, NOT_SHOWN, NOT_SHOWN]
    assert rows["Referred by probation"] == [HIDDEN, HIDDEN, HIDDEN, NOT_SHOWN, NOT_SHOWN]
    # Whatever the totals, no column hides a single cell that a subtraction would give back.
    assert all(hidden != 1 for hidden in _hidden_cells_per_column(table))


def test_no_column_hides_a_lone_cell_in_the_small_world(small_world):
    _chart, table = sources.source_tables(sources.sources_report(Period.last_twelve_months()))
    assert _hidden_cells_per_column(table) == [2, 2, 2]


def test_a_referral_through_a_partner_keeps_its_organisation(coordinator):
    """The journey as it happens: a probation worker refers, the person agrees by phone with a
    coordinator. Probation keeps the referral when the worker moves to a housing service, and
    when their account is removed."""
    probation = _org(OrganisationKind.PROBATION)
    worker = partner_worker(probation)
    waiting = partner_referral(worker)
    agreed = partner_services.record_consent(
        referral=waiting, by=coordinator, agreed=True, how=ConsentHow.PHONE, email="c@example.org"
    )
    referrals = with_referral_source(Referral.objects.filter(pk=agreed.referral_id))
    assert referrals.get().source == OrganisationKind.PROBATION
    worker.partner_worker.organisation = _org(OrganisationKind.HOUSING)
    worker.partner_worker.save()
    assert referrals.get().source == OrganisationKind.PROBATION
    worker.delete()
    assert referrals.get().source == OrganisationKind.PROBATION


def test_who_referred_without_a_partner_referral(coordinator):
    housing_worker = partner_worker(_org(OrganisationKind.HOUSING), display_name="Hal Housing")
    made = {
        "self": refer(),
        "coordinator": refer(coordinator),
        OrganisationKind.HOUSING: refer(housing_worker),
    }
    gone = person()
    made["unknown"] = refer(gone)
    gone.delete()
    found = dict(
        with_referral_source(Referral.objects.all()).values_list("pk", "source").order_by()
    )
    assert found == {referral.pk: source for source, referral in made.items()}


def test_two_queries_however_many_referrals(small_world, django_assert_num_queries):
    period = Period.last_twelve_months()
    # Counts by source; days to a first meeting.
    with django_assert_num_queries(2):
        sources.sources_report(period)
    mentor = person(Role.PEER_MENTOR)
    for _ in range(3):
        refer(small_world, mentor=mentor, held=8)
    with django_assert_num_queries(2):
        assert sources.sources_report(period).figures("coordinator").met == 3


def _csv(client, table):
    response = client.get(URL, {"format": "csv", "table": table})
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_page_the_chart_and_the_spreadsheet_agree(client_of, small_world):
    client = client_of(small_world)
    response = client.get(URL)
    assert response.status_code == 200
    page = grid_of(response.context["by_source"])
    assert page["Referred by probation"] == ["6", "6", "5", "6 days", "9 days"]
    body = response.content.decode()
    assert "Days from referral to first meeting (middle value)" in body
    assert "Referred by probation" in body
    assert "Hal Housing" not in body
    # The chart of referrals hides the same cells as the table.
    charts = {table.name: table for table in response.context["charts"]}
    chart = {row.label: row.shown for row in charts["referrals"].rows}
    assert chart["Referred by a housing service"] == FEWER
    assert chart["Referred by a coordinator"] == HIDDEN
    assert chart["Referred by probation"] == "6"
    spreadsheet = _csv(client, "by_source")
    assert spreadsheet[0][4] == "Days from referral to first meeting (middle value)"
    assert {row[0]: row[1:] for row in spreadsheet[1:]} == page
    summary = dict(_csv(client, "summary")[1:])
    assert summary["People referred"] == "21"
