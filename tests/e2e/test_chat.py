"""Live chat in Chromium at a phone's size: two people in one room see each other's messages live,
and a moderator's delete disappears from the other screen.

Django's live_server fixture speaks WSGI only, so this test serves the real ASGI application with
uvicorn in a subprocess, on a free loopback port, sharing this test's database.
"""

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.chat.conftest import make_room
from tests.chat.servers import AsgiServer, shared_database_url

pytestmark = pytest.mark.django_db(transaction=True)

XSS = '<img src=x onerror="alert(1)"> Hello from Sam'


@pytest.fixture
def server():
    running = AsgiServer(database_url=shared_database_url())
    yield running
    running.stop()


def open_as(browser, server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=server.url, service_workers="block"
    )
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": server.url}]
    )
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    return page


def test_two_people_chat_live_and_a_moderator_deletes(
    browser, server, mentee, mentor, moderator, assert_accessible
):
    room = make_room(mentee, mentor, moderators=[moderator])
    jay = open_as(browser, server, mentee)
    sam = open_as(browser, server, mentor)
    try:
        jay.goto(f"/chat/{room.pk}/")
        expect(jay.locator("#chat-status")).to_have_text("Live.")
        sam.goto(f"/chat/{room.pk}/")
        expect(sam.locator("#chat-status")).to_have_text("Live.")

        sam.get_by_label("Your message").fill(XSS)
        sam.get_by_role("button", name="Send").click()
        expect(sam.get_by_label("Your message")).to_have_value("")

        on_jays_screen = jay.locator("#chat-log li", has_text="Hello from Sam")
        expect(on_jays_screen).to_have_count(1)
        # Delivered as inert text: the markup shows as characters, no element, no dialog.
        expect(on_jays_screen.locator(".chat-msg__body")).to_contain_text(
            '<img src=x onerror="alert(1)">'
        )
        assert on_jays_screen.locator("img").count() == 0
        assert jay.dialogs == [] and sam.dialogs == []

        alex = open_as(browser, server, moderator)
        try:
            alex.goto(f"/chat/{room.pk}/")
            message = alex.locator("#chat-log li", has_text="Hello from Sam")
            message.locator("summary").click()
            message.get_by_label("Why (for the log)").fill("Testing the moderation tools")
            message.get_by_role("button", name="Delete message").click()
            expect(alex.locator("#chat-log li", has_text="Hello from Sam")).to_have_count(0)
        finally:
            alex.context.close()

        expect(on_jays_screen).to_have_count(0)
        assert_accessible(jay)
    finally:
        jay.context.close()
        sam.context.close()
