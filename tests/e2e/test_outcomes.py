""" "How things are" on a phone (390×844, DEBUG off): a mentee starts from Today, answers one
question per screen (skipping some), sees her chart, chooses what to share, and her mentor sees
only that. axe-core on every page."""

import re

import pytest

from accounts.roles import Role
from tests.factories import person
from tests.mentoring.factories import cleared_mentor, match_between

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mentee_does_how_things_are_on_a_phone_and_shares_one_area(
    page, login, assert_accessible, settings
):
    assert settings.DEBUG is False
    mentor = cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name="Sam"))
    jay = person(Role.MENTEE, display_name="Jay")
    match = match_between(mentor, jay)

    login(page, jay)
    page.goto("/me/")
    assert_accessible(page)
    page.get_by_role("link", name="Start “How things are”").click()
    page.wait_for_url(re.compile(r"/mentoring/how-things-are/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Start").click()
    # Nothing is kept without her agreement: she is asked for it in plain words.
    assert page.get_by_text("we need your agreement").is_visible()
    page.get_by_label("I agree").check()
    page.get_by_label("Me, with my mentor").check()
    page.get_by_role("button", name="Start").click()

    page.wait_for_url(re.compile(r"/how-things-are/\d+/1/$"))
    assert page.get_by_text("Question 1 of 9").is_visible()
    assert_accessible(page)
    page.get_by_label("Good", exact=True).check()
    page.get_by_label("In your own words (optional)").fill("My own room at last")
    page.get_by_role("button", name="Next").click()
    page.wait_for_url(re.compile(r"/2/$"))
    page.get_by_label("Hard", exact=True).check()
    page.get_by_role("button", name="Next").click()
    for number in range(3, 9):
        page.wait_for_url(re.compile(rf"/{number}/$"))
        if number == 5:  # drugs and alcohol
            assert page.get_by_role("heading", name="How are things with drugs and alcohol?")
            page.get_by_label("Really hard").check()
            page.get_by_label("In your own words (optional)").fill("A bad week")
            page.get_by_role("button", name="Next").click()
        else:
            page.get_by_role("button", name="Skip this question").click()
    page.wait_for_url(re.compile(r"/9/$"))
    page.get_by_label("OK", exact=True).check()
    page.get_by_role("button", name="Save my answers").click()

    page.wait_for_url(re.compile(r"/how-things-are/mine/$"))
    assert page.get_by_text("Saved. Thank you").is_visible()
    assert page.get_by_role("img", name="Home: Good.").is_visible()
    assert page.get_by_text("In your words: “My own room at last”").is_visible()
    assert_accessible(page)
    page.get_by_text("Home as a table").click()
    assert page.get_by_role("cell", name="Good", exact=True).is_visible()

    page.get_by_role("link", name="Choose what my mentor sees").click()
    assert_accessible(page)
    page.get_by_label("Home").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("Your mentor sees this from now on.").is_visible()

    # Sam sees Home, and nothing she kept to herself.
    login(page, mentor)
    page.goto(f"/mentoring/matches/{match.pk}/")
    page.get_by_role("link", name="How things are (what they chose to share)").click()
    page.wait_for_url(re.compile(r"/how-things-are/$"))
    assert page.get_by_role("img", name="Home: Good.").is_visible()
    body = page.content()
    assert "Drugs and alcohol" not in body and "A bad week" not in body
    assert "Money" not in body
    assert_accessible(page)
