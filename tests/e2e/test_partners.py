"""From a probation worker's referral to the first meeting at the prison gate, on a phone-sized
Chromium with DEBUG off, checked with axe-core on every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from mentoring.choices import MeetingPlace
from mentoring.models import Match, Meeting
from mentoring.partners.models import PartnerReferral
from tests.factories import person
from tests.mentoring.factories import cleared_mentor
from tests.mentoring.partner_factories import organisation, partner_worker

pytestmark = pytest.mark.django_db(transaction=True)


def test_partner_referral_to_gate(page, login, assert_accessible, settings):
    assert settings.DEBUG is False
    worker = partner_worker(organisation("Northshire Probation"), display_name="Pat")
    coordinator = person(Role.COORDINATOR, display_name="Dee")
    jay = person(Role.MENTEE, display_name="Jay", email="jay@example.org")
    sam = cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name="Sam"))
    release = timezone.localdate() + timedelta(days=1)

    # The probation worker refers Jay from Today, with a release date.
    login(page, worker)
    page.goto("/me/")
    assert_accessible(page)
    card = page.get_by_role("region", name="Your referrals")
    card.get_by_role("link", name="Refer someone").click()
    page.wait_for_url("**/mentoring/partners/refer/")
    assert_accessible(page)
    page.get_by_label("Their name").fill("Jay")
    page.get_by_label("Best way to reach them").select_option("email")
    page.get_by_label("E-mail address (if any)").fill("jay@example.org")
    page.get_by_label("How to reach them safely").fill("E-mail only, please")
    page.get_by_label("Prison (if they are in prison)").fill("HMP Northshire")
    page.get_by_label("Release date (if known)").fill(release.isoformat())
    page.get_by_label("Housing").check()
    page.get_by_label("Their prison and release date").check()
    page.get_by_label("I asked the person and they agreed").check()
    page.get_by_label("Risk information (only coordinators read this)").fill("Not near Town Rd")
    page.get_by_role("button", name="Send the referral").click()
    page.wait_for_url(re.compile(r"/mentoring/partners/my-referrals/\d+/$"))
    assert page.get_by_text("Waiting for the person").is_visible()
    assert_accessible(page)
    referral = PartnerReferral.objects.get()

    # Jay sees who referred him and what was passed on, and agrees.
    login(page, jay)
    page.goto("/me/notifications/")
    page.get_by_text("Northshire Probation referred you for a peer mentor").first.click()
    page.wait_for_url(f"**/mentoring/partners/referred/{referral.pk}/")
    assert page.get_by_text("Pat at Northshire Probation referred you").is_visible()
    assert page.get_by_text("Not near Town Rd").count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="Yes, I agree to be referred").click()
    page.wait_for_load_state()
    assert page.get_by_text("Thank you. We have saved your answer.").is_visible()

    # The coordinator sees Jay coming out tomorrow, and matches Sam.
    login(page, coordinator)
    page.goto("/mentoring/partners/coming-out-soon/")
    assert page.get_by_role("link", name="Jay").is_visible()
    assert page.get_by_text("Mentor matched before release").is_visible()
    assert_accessible(page)
    page.goto(f"/mentoring/partners/referrals/{referral.pk}/")
    assert page.get_by_text("Not near Town Rd").count() == 0  # now a risk note, behind a link
    assert_accessible(page)
    page.get_by_role("link", name="Find a mentor").click()
    page.get_by_role("button", name="Propose Sam").click()
    page.wait_for_url(re.compile(r"/matches/\d+/$"))
    match = Match.objects.get(mentee=jay)

    # Sam accepts; Jay says yes to meeting him.
    login(page, sam)
    page.goto(f"/mentoring/matches/{match.pk}/")
    page.get_by_role("button", name="Yes, I will").click()
    page.wait_for_load_state()
    login(page, jay)
    page.goto(f"/mentoring/matches/{match.pk}/")
    page.get_by_role("button", name="Yes, let's meet").click()
    page.wait_for_load_state()

    # Sam plans the first meeting: it is already at the gate, on release day, at the prison.
    login(page, sam)
    page.goto(f"/mentoring/matches/{match.pk}/meetings/new/")
    assert_accessible(page)
    assert page.get_by_label("Day").input_value() == release.isoformat()
    assert page.get_by_label("How you will meet").input_value() == MeetingPlace.PRISON_GATE
    assert page.get_by_label("Where").input_value() == "HMP Northshire"
    page.get_by_role("button", name="Plan it").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get(match=match)
    assert timezone.localtime(meeting.starts_at).date() == release
    assert meeting.place_kind == MeetingPlace.PRISON_GATE

    # Release day comes (the clock moves on), and Sam records that they met.
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    page.reload()
    page.get_by_label("What happened").select_option("held")
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_load_state()

    # The probation worker sees "First meeting held", and nothing more.
    login(page, worker)
    page.goto(f"/mentoring/partners/my-referrals/{referral.pk}/")
    assert page.get_by_text("First meeting held").is_visible()
    main = page.locator("main").inner_text()
    for private in ("Sam", "gate", "Not near Town Rd", "E-mail only"):
        assert private not in main
    assert_accessible(page)
    assert page.goto(f"/mentoring/matches/{match.pk}/").status == 404
