"""A crisis at night with no moderator online, in a phone-sized Chromium (DEBUG off, as in
production): the member posts about an overdose and sees every support line; the moderator on
call is told on their phone, opens the crisis item and checks in privately; the member reads the
check-in and answers with one tap; the moderator is told. axe-core on every page visited."""

import datetime as dt
import importlib
import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from chat.models import CheckInWording, CrisisItem
from chat.services import install_default_filters
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.services import preferences_of
from tests.chat.conftest import make_room
from tests.factories import person

pytestmark = pytest.mark.django_db(transaction=True)


def seed_check_in_wordings():
    # A transactional test empties the tables the migrations seeded; put the wordings back.
    if not CheckInWording.objects.exists():
        migration = importlib.import_module("chat.migrations.0005_check_in_wordings")
        for n, (label, body) in enumerate(migration.WORDINGS):
            CheckInWording.objects.create(label=label, body=body, position=n)


def test_a_crisis_at_night_reaches_the_moderator_on_call(page, login, assert_accessible):
    assert not settings.DEBUG
    install_default_filters()
    seed_check_in_wordings()
    jay = person(Role.MENTEE, display_name="Jay")
    daytime_moderator = person(Role.MODERATOR, display_name="Alex")  # offline, not on call
    nia = person(Role.MODERATOR, display_name="Nia")
    room = make_room(jay, moderators=[daytime_moderator], name="Thursday group")
    now = timezone.now()
    nia_shift = {"starts_at": now - timedelta(hours=2), "ends_at": now + timedelta(hours=8)}
    from chat.models import OnCallShift

    OnCallShift.objects.create(person=nia, **nia_shift)
    # It is night for Nia: her quiet hours cover every minute, yet a crisis still reaches her.
    prefs = preferences_of(nia)
    prefs.quiet_start, prefs.quiet_end = dt.time(0, 0), dt.time(23, 59)
    prefs.save()

    # Jay posts. Nobody is online; the page itself lists every support line.
    login(page, jay)
    page.goto(f"/chat/{room.pk}/")
    assert_accessible(page)
    page.get_by_label("Your message").fill(
        "Can't do this any more. I've got enough gear to overdose and I'm going to tonight"
    )
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"support=1"))
    support = page.locator("#chat-support")
    expect(support).to_be_visible()
    for line in settings.CRISIS_SUPPORT_LINES:
        expect(support).to_contain_text(line["name"])
        expect(support).to_contain_text(line["phone"])
    assert_accessible(page)

    item = CrisisItem.objects.get()
    told = Notification.objects.get(recipient=nia, kind="chat.crisis")
    assert told.urgent
    assert Delivery.objects.get(notification=told, channel="email").status == DeliveryStatus.SENT

    # Nia's phone: the unread count in the header, and the notice on her Today page.
    login(page, nia)
    page.goto("/me/")
    expect(page.locator(".site-header [data-unread-count]")).to_contain_text("1")
    expect(
        page.get_by_role("link", name="Someone may be in danger in Thursday group")
    ).to_be_visible()
    assert_accessible(page)
    page.goto("/me/notifications/")
    assert_accessible(page)
    page.get_by_role("link", name="Someone may be in danger in Thursday group").click()
    page.wait_for_url(f"**/chat/crisis/{item.pk}/")
    expect(page.get_by_text("I've got enough gear to overdose")).to_be_visible()
    expect(page.get_by_text("Nobody has picked this up yet")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="I'm looking at this").click()
    expect(page.locator("#crisis-status")).to_have_text("Someone is looking at this")
    page.get_by_role("link", name="Check in privately").click()
    expect(page.get_by_label("Your private message")).to_contain_text("Are you safe right now?")
    assert_accessible(page)
    page.get_by_label("Your private message").fill(
        "Hi Jay, it's Nia, one of the moderators. We saw your message. Are you safe right now?"
    )
    page.get_by_role("button", name="Send the check-in").click()
    page.wait_for_url(f"**/chat/crisis/{item.pk}/")
    expect(page.get_by_text("No answer yet.")).to_be_visible()

    # Jay sees it, privately, and answers with one tap.
    login(page, jay)
    page.goto("/me/")
    expect(page.locator(".site-header [data-unread-count]")).to_contain_text("1")
    assert_accessible(page)
    page.get_by_role("link", name="A moderator has sent you a private message").first.click()
    expect(page.get_by_text("We saw your message. Are you safe right now?")).to_be_visible()
    expect(page.get_by_role("main").get_by_role("link", name="116 123")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="I'm safe", exact=True).click()
    expect(page.get_by_text("You answered: I'm safe")).to_be_visible()
    assert_accessible(page)

    # Nia is told, and sees the answer on the item.
    assert Notification.objects.filter(recipient=nia, kind="chat.check_in_reply").exists()
    login(page, nia)
    page.goto(f"/chat/crisis/{item.pk}/")
    expect(page.get_by_text("Their answer: I'm safe")).to_be_visible()
    assert_accessible(page)
