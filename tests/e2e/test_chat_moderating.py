"""Moderating from a phone, in Chromium at 390×844 (issue 14): a moderator's open room page gets the
moderation controls on messages that arrive live, and a new member's held message arrives live
for the moderators (only) to approve; a member's personal mute folds live messages too, and the
chair of a meeting sees raised hands arrive and gives the word.

As tests/e2e/test_chat.py: the real ASGI application served by uvicorn in a subprocess.
"""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from chat import services
from chat.models import MemberRole, Membership, Message, MessageState
from tests.chat.conftest import make_room
from tests.e2e.test_chat import open_as, server  # noqa: F401 - the fixture
from tests.factories import person

pytestmark = pytest.mark.django_db(transaction=True)


def live(page, room):
    page.goto(f"/chat/{room.pk}/")
    expect(page.locator("#chat-status")).to_have_text("Live.")


def send(page, text):
    page.get_by_label("Your message").fill(text)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_label("Your message")).to_have_value("")


def test_a_moderator_hides_a_live_message_without_reloading(
    browser,
    server,  # noqa: F811
    mentee,
    mentor,
    moderator,
    assert_accessible,
):
    room = make_room(mentee, mentor, moderators=[moderator])
    jay = open_as(browser, server, mentee)
    alex = open_as(browser, server, moderator)
    sam = open_as(browser, server, mentor)
    try:
        live(alex, room)
        live(sam, room)
        live(jay, room)
        send(jay, "Has anyone tried the new allotment scheme")

        on_alexs_screen = alex.locator(
            "#chat-log li", has_text="Has anyone tried the new allotment"
        )
        expect(on_alexs_screen).to_have_count(1)
        on_alexs_screen.locator("summary").click()
        expect(on_alexs_screen.get_by_role("button", name="Hide")).to_be_visible()
        expect(on_alexs_screen.get_by_role("button", name="Warn Jay Mentee")).to_be_visible()
        assert_accessible(alex)

        # Members get the member's menu on a live message, never the moderator's.
        on_sams_screen = sam.locator("#chat-log li", has_text="Has anyone tried the new allotment")
        expect(on_sams_screen).to_have_count(1)
        on_sams_screen.locator("summary").click()
        expect(on_sams_screen.get_by_role("link", name="Report")).to_be_visible()
        assert on_sams_screen.get_by_role("button", name="Hide").count() == 0
        assert on_sams_screen.get_by_label("Why (for the log)").count() == 0

        on_alexs_screen.get_by_label("Why (for the log)").fill("Off topic for this group")
        on_alexs_screen.get_by_role("button", name="Hide").click()
        expect(on_sams_screen).to_have_count(0)  # gone for the member, live
        message = Message.objects.get(body__startswith="Has anyone tried")
        assert message.state == MessageState.HIDDEN

        # A warning from a live message, too.
        send(jay, "Sorry, I won't do it again")
        again = alex.locator("#chat-log li", has_text="Sorry, I won't")
        expect(again).to_have_count(1)
        again.locator("summary").click()
        again.get_by_label("Why (for the log)").fill("Please keep contact details private")
        again.get_by_role("button", name="Warn Jay Mentee").click()
        expect(alex).to_have_url(f"{server.url}/chat/{room.pk}/")
        jay.reload()
        expect(jay.get_by_text("Please keep contact details private")).to_be_visible()
    finally:
        for page in (jay, alex, sam):
            page.context.close()


def test_a_new_members_held_message_reaches_the_moderators_live_and_one_approves_it(
    browser,
    server,  # noqa: F811
    mentee,
    mentor,
    moderator,
    assert_accessible,
):
    room = make_room(mentor, moderators=[moderator])
    Membership.objects.create(room=room, user=mentee)  # Jay has just joined: nothing posted yet
    kim = person(Role.MODERATOR, display_name="Kim Moderator")
    Membership.objects.create(room=room, user=kim, role=MemberRole.MODERATOR)
    jay = open_as(browser, server, mentee)
    alex = open_as(browser, server, moderator)
    kims_page = open_as(browser, server, kim)
    sam = open_as(browser, server, mentor)
    words = "Hello everyone, I have just come out and want to say hi"
    try:
        for page in (alex, kims_page, sam, jay):
            live(page, room)
        send(jay, words)
        expect(jay.locator("#chat-status")).to_have_text(
            "Thanks. A moderator will look at your message before others see it."
        )

        # Alex's open room page shows it at once, marked, with why and the two controls.
        on_alexs_screen = alex.locator("#chat-log li", has_text=words)
        expect(on_alexs_screen).to_have_count(1)
        expect(on_alexs_screen).to_contain_text("Waiting for a moderator")
        expect(on_alexs_screen).to_contain_text("held: a new member's first messages")
        expect(on_alexs_screen.get_by_role("button", name="Approve")).to_be_visible()
        expect(on_alexs_screen.get_by_role("button", name="Hide")).to_be_visible()
        assert_accessible(alex)
        on_kims_screen = kims_page.locator("#chat-log li", has_text=words)
        expect(on_kims_screen).to_contain_text("Waiting for a moderator")
        # Members see nothing of it; its author only their own "a moderator will look" note.
        assert sam.locator("#chat-log li", has_text=words).count() == 0
        assert jay.locator("#chat-log li", has_text=words).count() == 0

        on_alexs_screen.get_by_role("button", name="Approve").click()
        expect(alex).to_have_url(f"{server.url}/chat/{room.pk}/")
        approved = alex.locator("#chat-log li", has_text=words)
        expect(approved).to_have_count(1)
        expect(approved).not_to_contain_text("Waiting for a moderator")
        assert Message.objects.get(body=words).state == MessageState.VISIBLE

        # The member's page shows it now, live; so does its author's.
        expect(sam.locator("#chat-log li", has_text=words)).to_have_count(1)
        expect(jay.locator("#chat-log li", has_text=words)).to_have_count(1)
        # Kim's copy became an ordinary message where it was: one copy, no Approve left.
        expect(on_kims_screen).to_have_count(1)
        expect(on_kims_screen).not_to_contain_text("Waiting for a moderator")
        assert on_kims_screen.get_by_role("button", name="Approve").count() == 0
        on_kims_screen.locator("summary").click()
        expect(on_kims_screen.get_by_role("button", name="Hide")).to_be_visible()
        assert_accessible(sam)
    finally:
        for page in (jay, alex, kims_page, sam):
            page.context.close()


def test_a_person_muted_for_me_stays_folded_when_they_post_live(
    browser,
    server,  # noqa: F811
    mentee,
    mentor,
    moderator,
    assert_accessible,
):
    room = make_room(mentee, mentor, moderators=[moderator])
    services.mute_for_me(room=room, user=mentor, muted=mentee, on=True)
    jay = open_as(browser, server, mentee)
    sam = open_as(browser, server, mentor)
    try:
        live(sam, room)
        live(jay, room)
        send(jay, "Live words from Jay")
        folded = sam.locator("#chat-log li", has_text="You muted this person")
        expect(folded).to_have_count(1)
        body = folded.locator(".chat-msg__body")
        expect(body).to_be_hidden()
        folded.get_by_text("You muted this person: show the message").click()
        expect(body).to_have_text("Live words from Jay")
        assert_accessible(sam)
        # Jay's own screen is not folded.
        expect(jay.locator("#chat-log li", has_text="Live words from Jay")).to_have_count(1)
        assert jay.locator("#chat-log .chat-msg__muted").count() == 0
    finally:
        jay.context.close()
        sam.context.close()


def test_the_chair_sees_a_hand_go_up_live_and_gives_the_word(
    browser,
    server,  # noqa: F811
    mentee,
    mentor,
    moderator,
    assert_accessible,
):
    room = make_room(mentee, mentor, moderators=[moderator])
    services.update_room_settings(
        room=room, by=moderator, reason="Weekly meeting", meeting_mode=True
    )
    alex = open_as(browser, server, moderator)
    jay = open_as(browser, server, mentee)
    try:
        live(alex, room)
        expect(alex.get_by_text("Nobody has a hand up just now.")).to_be_visible()
        live(jay, room)
        jay.get_by_role("button", name="Raise my hand").click()
        expect(jay.get_by_role("button", name="Lower my hand")).to_be_visible()
        expect(jay.locator("#chat-status")).to_have_text("Live.")

        hands = alex.locator("#raised-hands li")
        expect(hands).to_have_count(1)
        expect(hands.first).to_contain_text("Jay Mentee")
        expect(alex.get_by_text("Nobody has a hand up just now.")).to_be_hidden()
        assert_accessible(alex)

        alex.get_by_role("button", name="Give Jay Mentee the word").click()
        expect(alex.locator("#raised-hands li")).to_have_count(0)
        room.refresh_from_db()
        assert room.floor_holder_id == mentee.pk
        assert not Membership.objects.get(room=room, user=mentee).hand_raised_at
        expect(jay.locator("#chat-status")).to_have_text("You have the floor.")
    finally:
        alex.context.close()
        jay.context.close()
