"""A volunteer signs up for a shift and logs its hours; a coordinator approves them; the volunteer's
total updates. On a phone-sized Chromium, with axe-core checking every page visited."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.volunteering.factories import ShiftFactory, ensure_roles, make_cleared
from volunteering.models import Shift, VolunteerRole

pytestmark = pytest.mark.django_db(transaction=True)


def test_shift_to_approved_hours(page, login, assert_accessible, volunteer, coordinator):
    ensure_roles()
    make_cleared(volunteer, "event-helper")
    starts = timezone.now() + timedelta(days=2)
    shift = ShiftFactory(
        role=VolunteerRole.objects.get(slug="event-helper"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place="Community café",
        places=3,
    )

    # The volunteer finds the shift and signs up.
    login(page, volunteer)
    page.goto("/volunteering/shifts/")
    assert_accessible(page)
    page.get_by_role("link", name="Event helper").click()
    assert_accessible(page)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("You are signed up. Thank you!")).to_be_visible()
    assert_accessible(page)

    # The shift happens (moved into the past rather than waiting two days).
    held = timezone.now() - timedelta(hours=4)
    Shift.objects.filter(pk=shift.pk).update(starts_at=held, ends_at=held + timedelta(hours=3))

    # It proposes its hours; the volunteer logs them.
    page.goto("/volunteering/hours/")
    assert_accessible(page)
    page.get_by_role("link", name="Log Event helper").click()
    expect(page.get_by_label("Hours")).to_have_value("3")
    assert_accessible(page)
    page.get_by_role("button", name="Log hours").click()
    expect(page.get_by_text("Your hours are logged.")).to_be_visible()
    expect(page.get_by_text("Approved: 0 hours")).to_be_visible()
    expect(page.get_by_text("Waiting for approval: 3 hours")).to_be_visible()

    # The coordinator approves them.
    login(page, coordinator)
    page.goto("/volunteering/approvals/")
    assert_accessible(page)
    page.get_by_label("Priya Volunteer: 3 hours, Event helper").check()
    page.get_by_role("button", name="Approve ticked").click()
    expect(page.get_by_text("1 entries decided.")).to_be_visible()
    assert_accessible(page)

    # The volunteer's total has gone up.
    login(page, volunteer)
    page.goto("/volunteering/hours/")
    expect(page.get_by_text("Approved: 3 hours")).to_be_visible()
    assert_accessible(page)


def test_coordinator_pages_on_a_phone(page, login, assert_accessible, coordinator, volunteer):
    ensure_roles()
    make_cleared(volunteer, "event-helper")
    ShiftFactory()
    login(page, coordinator)
    for url in (
        "/volunteering/pipeline/",
        "/volunteering/rota/",
        "/volunteering/rota/new/",
        "/volunteering/reports/",
        f"/volunteering/people/{volunteer.pk}/",
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)


def test_volunteer_pages_on_a_phone(page, login, assert_accessible, volunteer):
    ensure_roles()
    make_cleared(volunteer, "event-helper")
    login(page, volunteer)
    for url in (
        "/volunteering/",
        "/volunteering/training/",
        "/volunteering/record/",
        "/me/calendar/",
    ):
        page.goto(url)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)


def test_mentee_applies_from_today(page, login, assert_accessible, mentee):
    ensure_roles()
    login(page, mentee)
    page.goto("/me/")
    page.get_by_role("link", name="Apply to volunteer").click()
    assert_accessible(page)
    page.get_by_label("Why would you like to volunteer?").fill("I want to give back.")
    page.get_by_role("button", name="Send my application").click()
    expect(page.get_by_text("Thank you for applying.")).to_be_visible()
    assert_accessible(page)
