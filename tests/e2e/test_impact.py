"""A coordinator on a phone: their home shows hours waiting; they follow the link, approve the
hours, and the count on their home drops. Then the impact report. axe-core on every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.impact.conftest import build_world
from tests.volunteering.factories import ensure_roles
from volunteering.models import HoursEntry, VolunteerRole

pytestmark = pytest.mark.django_db(transaction=True)


def test_hours_waiting_to_approved(page, login, assert_accessible, volunteer, coordinator):
    ensure_roles()
    role = VolunteerRole.objects.get(slug="event-helper")
    for days in (2, 5):
        HoursEntry.objects.create(
            volunteer=volunteer,
            role=role,
            worked_on=timezone.localdate() - timedelta(days=days),
            minutes=180,
        )

    login(page, coordinator)
    page.goto("/me/")
    needs_you = page.get_by_role("region", name="Needs you today")
    waiting = needs_you.get_by_role("link", name=re.compile("hours waiting for approval"))
    expect(waiting).to_have_text(
        re.compile(r"^\s*2\s+Entries of hours waiting for approval: 6 hours in all")
    )
    assert_accessible(page)

    waiting.click()
    expect(page).to_have_url(re.compile("/volunteering/approvals/$"))
    assert_accessible(page)
    page.get_by_label("Priya Volunteer: 3 hours, Event helper").first.check()
    page.get_by_role("button", name="Approve ticked").click()
    expect(page.get_by_text("1 entries decided.")).to_be_visible()

    page.goto("/me/")
    expect(waiting).to_have_text(
        re.compile(r"^\s*1\s+Entry of hours waiting for approval: 3 hours in all")
    )
    assert_accessible(page)


def test_the_impact_report_on_a_phone(page, login, assert_accessible, coordinator):
    build_world(coordinator, publishing=False)
    login(page, coordinator)
    page.goto("/impact/")
    expect(page.get_by_role("heading", name="Impact report", level=1)).to_be_visible()
    expect(page.locator("dt", has_text="People referred").first).to_be_visible()
    assert_accessible(page)
    # A date typed into the address (a date field in the browser cannot hold a wrong one).
    page.goto("/impact/?start=2026-02-30")
    expect(page.get_by_text("Enter a valid date.")).to_be_visible()
    assert_accessible(page)


def test_who_referred_people_fits_a_phone_and_prints(page, login, assert_accessible, coordinator):
    build_world(coordinator, publishing=False)
    login(page, coordinator)
    page.goto("/impact/")
    table = page.get_by_role("table", name="Who referred people, and what came of it")
    expect(
        table.get_by_role("row", name=re.compile("Referred by a housing service"))
    ).to_contain_text("fewer than 5")
    expect(
        table.get_by_role("columnheader", name="Days from referral to first meeting (middle value)")
    ).to_be_attached()
    # The wide table scrolls inside its own box; the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(
        page.get_by_role("heading", name="Who referred people, and what came of it")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Key figures")).to_be_visible()
    expect(page.get_by_role("heading", name="Goals reached, by area of life")).to_be_hidden()
