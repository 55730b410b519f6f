"""Referral to first meeting in a phone-sized Chromium, checked with axe-core on every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from mentoring.models import Match
from notifications.models import CalendarFeed
from tests.factories import person
from tests.mentoring.factories import cleared_mentor

pytestmark = pytest.mark.django_db(transaction=True)


def test_referral_to_meeting_on_a_phone(page, login, assert_accessible, live_server):
    coordinator = person(Role.COORDINATOR, display_name="Dee")
    mentee = person(Role.MENTEE, display_name="Jay")
    mentors = [
        cleared_mentor(
            person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name=f"Mentor {n}"),
            area="Hackney",
            availability=["tue-evening"],
        )
        for n in range(6)
    ]
    sam = mentors[0]

    # A coordinator refers Jay and sees five suggestions with reasons.
    login(page, coordinator)
    page.goto("/mentoring/referrals/new/")
    assert_accessible(page)
    page.get_by_label("E-mail address of the person").fill(mentee.email)
    page.get_by_label("Best way to get in touch").select_option("text")
    page.get_by_role("textbox", name="Area").fill("Hackney")
    page.get_by_label("Tuesday evenings").check()
    page.get_by_role("button", name="Save and find mentors").click()
    page.wait_for_url(re.compile(r"/suggestions/$"))
    suggestions = page.locator("li.suggestion")
    assert suggestions.count() == 5
    assert suggestions.first.get_by_text("Both live in Hackney").is_visible()
    assert suggestions.first.get_by_text("Both free Tuesday evenings").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name=f"Propose {sam.display_name}").click()
    page.wait_for_url(re.compile(r"/matches/\d+/$"))
    assert_accessible(page)

    # The mentor accepts.
    login(page, sam)
    page.goto("/mentoring/")
    page.get_by_role("link", name="Would you mentor Jay?").first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Yes, I will").click()
    page.wait_for_load_state()

    # Jay agrees.
    login(page, mentee)
    match = Match.objects.get(mentee=mentee)
    page.goto(f"/mentoring/matches/{match.pk}/")
    assert_accessible(page)
    page.get_by_role("button", name="Yes, let's meet").click()
    page.wait_for_load_state()

    # The mentor plans a meeting.
    login(page, sam)
    page.goto(f"/mentoring/matches/{match.pk}/meetings/new/")
    assert_accessible(page)
    when = timezone.localtime() + timedelta(days=2)
    page.get_by_label("Day").fill(when.strftime("%Y-%m-%d"))
    page.get_by_label("Time").fill("18:30")
    page.get_by_label("How long (minutes)").fill("60")
    page.get_by_label("How you will meet").select_option("place")
    page.get_by_label("Where").fill("The Mill café")
    page.get_by_role("button", name="Plan it").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    assert_accessible(page)

    # Jay sees it on the home page, and in the calendar feed.
    login(page, mentee)
    page.goto("/me/")
    card = page.get_by_role("region", name="My mentoring")
    assert card.get_by_text("18:30").is_visible()
    assert_accessible(page)
    # From the meeting page, "Add to my calendar" gives this one meeting as an .ics file.
    card.get_by_role("link", name=re.compile("18:30")).first.click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    ics = page.get_by_role("link", name="Add to my calendar").get_attribute("href")
    one = page.context.request.get(live_server.url + ics)
    assert one.ok and one.headers["content-type"].startswith("text/calendar")
    assert f"SUMMARY:Meeting with {sam.display_name}" in one.text()
    # And the whole calendar, by a private address the phone subscribes to.
    page.get_by_role("link", name="Or have all of them in your phone's calendar").click()
    page.wait_for_url("**/me/calendar/")
    page.get_by_role("button", name="Make my calendar address").click()
    page.wait_for_load_state()
    assert_accessible(page)
    feed_url = page.get_by_label("Your calendar address").input_value()
    token = CalendarFeed.objects.get(user=mentee).token
    assert feed_url.endswith(f"/me/calendar/{token}.ics")
    webcal = page.get_by_role("link", name="Add to my phone's calendar").get_attribute("href")
    assert webcal == "webcal://" + feed_url.split("://", 1)[1]
    # The address is built from SITE_URL (the public address); fetch it from the test server.
    path = feed_url[feed_url.index("/me/calendar/") :]
    response = page.context.request.get(live_server.url + path)
    assert response.ok
    body = response.text()
    assert "BEGIN:VEVENT" in body and f"Meeting with {sam.display_name}" in body
    assert "The Mill café" in body


def test_other_mentoring_pages_are_accessible(page, login, assert_accessible):
    from mentoring.models import Goal, GoalStep
    from tests.mentoring.factories import match_between, meeting_of

    coordinator = person(Role.COORDINATOR, display_name="Dee")
    mentee = person(Role.MENTEE, display_name="Jay")
    sam = cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name="Sam"))
    match = match_between(sam, mentee)
    meeting = meeting_of(match)
    goal = Goal.objects.create(mentee=mentee, area="housing", words="My own flat")
    GoalStep.objects.create(goal=goal, words="Call the council")

    login(page, mentee)
    for url in (
        "/mentoring/",
        "/mentoring/goals/",
        f"/mentoring/goals/{goal.pk}/",
        "/mentoring/check-in/",
        "/mentoring/what-my-mentor-sees/",
        "/mentoring/my-journey/",
        "/mentoring/my-people/",
        f"/mentoring/meetings/{meeting.pk}/",
    ):
        page.goto(url)
        assert page.get_by_role("heading", level=1).is_visible()
        assert_accessible(page)

    login(page, sam)
    for url in (f"/mentoring/matches/{match.pk}/", f"/mentoring/meetings/{meeting.pk}/concern/"):
        page.goto(url)
        assert_accessible(page)

    login(page, coordinator)
    for url in (
        "/mentoring/referrals/",
        f"/mentoring/referrals/{match.referral.pk}/",
        f"/mentoring/referrals/{match.referral.pk}/risk/",
        f"/mentoring/matches/{match.pk}/",
        f"/mentoring/meetings/{meeting.pk}/",
    ):
        page.goto(url)
        assert_accessible(page)
