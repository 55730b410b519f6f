"""Told, then answering, on a phone: a proposal reaches the mentor and then the mentee through
their notifications, each landing on the page where they answer. axe-core on every page."""

import re

import pytest

from accounts.roles import Role
from mentoring import services
from mentoring.choices import MatchStatus
from mentoring.models import Match
from tests.factories import person
from tests.mentoring.factories import cleared_mentor

pytestmark = pytest.mark.django_db(transaction=True)


def unread_in_header(page) -> str:
    badge = page.locator(".site-header__notices [data-unread-count]")
    assert badge.is_visible()
    return badge.locator("[aria-hidden=true]").inner_text().strip()


def test_a_proposal_told_to_the_mentor_then_the_mentee(page, login, assert_accessible):
    coordinator = person(Role.COORDINATOR, display_name="Dee")
    mentee = person(Role.MENTEE, display_name="Jay")
    sam = cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name="Sam"))
    referral = services.refer(person=mentee, by=coordinator, contact_preference="email")
    match = services.propose_match(referral=referral, mentor=sam, by=coordinator)

    # Sam sees one new notification in the header, opens it and lands where he answers.
    login(page, sam)
    page.goto("/me/")
    assert unread_in_header(page) == "1"
    assert_accessible(page)
    page.locator(".site-header__notices").click()
    page.wait_for_url(re.compile(r"/me/notifications/$"))
    assert_accessible(page)
    page.get_by_role("link", name="Someone could use your support").click()
    page.wait_for_url(re.compile(rf"/mentoring/matches/{match.pk}/$"))
    assert_accessible(page)
    page.get_by_role("button", name="Yes, I will").click()
    page.wait_for_load_state()
    assert Match.objects.get(pk=match.pk).status == MatchStatus.ACCEPTED

    # Jay was told she was put forward, and now that her mentor said yes: two new.
    login(page, mentee)
    page.goto("/me/")
    assert unread_in_header(page) == "2"
    page.locator(".site-header__notices").click()
    page.wait_for_url(re.compile(r"/me/notifications/$"))
    assert page.get_by_text("What happens next").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Meet your mentor").click()
    page.wait_for_url(re.compile(rf"/mentoring/matches/{match.pk}/$"))
    assert_accessible(page)
    assert unread_in_header(page) == "1"  # opening it marked it read
    page.get_by_role("button", name="Yes, let's meet").click()
    page.wait_for_load_state()
    assert Match.objects.get(pk=match.pk).status == MatchStatus.ACTIVE
    assert_accessible(page)
