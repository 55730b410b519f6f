"""Moderating from a phone (issue 14): many queue messages shown or hidden at once, an edited
message's earlier words and who reported it how often, the chair's raised hands, and what the
room page tells its JavaScript about the viewer."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from chat import services
from chat.models import (
    Membership,
    Message,
    MessageChange,
    MessageState,
    ModerationAction,
    Report,
    Room,
    Sanction,
)
from tests.chat.conftest import make_room
from tests.factories import person

pytestmark = pytest.mark.django_db


def held(room, author, body):
    return Message.objects.create(room=room, author=author, body=body, state=MessageState.HELD)


def say(room, author, body):
    return services.post_message(room=room, author=author, body=body).message


# --- Many at once -------------------------------------------------------------------------------


def test_approving_many_held_messages_is_one_call_each_logged_and_broadcast(
    room, mentee, mentor, moderator, layer, django_capture_on_commit_callbacks
):
    waiting = [held(room, mentee, f"held {n}") for n in range(3)]
    visible = say(room, mentor, "already shown")
    other_room = make_room(mentee, moderators=[moderator], name="Other group")
    elsewhere = held(other_room, mentee, "held elsewhere")
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.moderate_messages(
            room=room,
            by=moderator,
            message_ids=[m.pk for m in waiting] + [visible.pk, elsewhere.pk],
            action="approve",
        )
    assert sorted(m.pk for m in changed) == [m.pk for m in waiting]
    states = dict(Message.objects.values_list("pk", "state"))
    assert [states[m.pk] for m in waiting] == ["visible"] * 3
    assert states[elsewhere.pk] == "held"  # another room's message is left alone
    logged = ModerationAction.objects.filter(action="message.approve", actor=moderator)
    assert sorted(logged.values_list("message_id", flat=True)) == [m.pk for m in waiting]
    changes = [e for g, e in layer.sent if e["type"] == "chat.change"]
    assert sorted(e["message"] for e in changes) == [m.pk for m in waiting]
    assert all(g == f"room.{room.pk}" for g, e in layer.sent if e["type"] == "chat.change")
    assert MessageChange.objects.filter(room=room).count() == 3
    frames = [json.loads(e["frame"]) for e in changes]
    assert {f["message"]["body"] for f in frames} == {"held 0", "held 1", "held 2"}


def test_hiding_many_needs_a_reason_and_closes_their_reports(
    room, mentee, mentor, moderator, layer, django_capture_on_commit_callbacks
):
    first, second = say(room, mentee, "one"), say(room, mentee, "two")
    services.report_message(message=first, by=mentor, category="harassment")
    with pytest.raises(ValidationError):
        services.moderate_messages(
            room=room, by=moderator, message_ids=[first.pk, second.pk], action="hide"
        )
    assert Message.objects.filter(state="hidden").count() == 0
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_messages(
            room=room,
            by=moderator,
            message_ids=[first.pk, second.pk],
            action="hide",
            reason="Off topic",
        )
    assert set(Message.objects.values_list("state", flat=True)) == {"hidden"}
    assert not Report.objects.filter(resolved_at=None).exists()
    frames = [json.loads(e["frame"]) for g, e in layer.sent if e["type"] == "chat.change"]
    assert sorted(f["id"] for f in frames) == [first.pk, second.pk]
    assert {f["type"] for f in frames} == {"removed"}


def test_only_the_rooms_moderators_act_on_many(room, mentee, mentor):
    message = held(room, mentee, "wait")
    with pytest.raises(PermissionDenied):
        services.moderate_messages(room=room, by=mentor, message_ids=[message.pk], action="approve")
    message.refresh_from_db()
    assert message.state == "held"


def test_an_unknown_bulk_action_or_nothing_ticked_changes_nothing(room, mentee, moderator):
    message = held(room, mentee, "wait")
    for ids, action in (([message.pk], "delete"), ([], "approve")):
        with pytest.raises(ValidationError):
            services.moderate_messages(room=room, by=moderator, message_ids=ids, action=action)
    message.refresh_from_db()
    assert message.state == "held"


def test_the_queue_ticks_and_shows_many_by_http(client_of, room, mentee, mentor, moderator):
    waiting = [held(room, mentee, f"held {n}") for n in range(2)]
    alex = client_of(moderator)
    url = reverse("chat:moderate", args=[room.pk])
    page = alex.get(url).content.decode()
    assert "Select all" in page and 'form="bulk-form"' in page
    bulk = reverse("chat:moderate_bulk", args=[room.pk])
    response = alex.post(
        bulk, {"message": [str(m.pk) for m in waiting] + ["x"], "action": "approve"}
    )
    assert response.status_code == 302 and response["Location"] == url
    assert set(Message.objects.values_list("state", flat=True)) == {"visible"}
    assert "Done: 2 messages." in alex.get(url).content.decode()
    # Without a reason a hide changes nothing and says why, in plain words.
    alex.post(bulk, {"message": [str(m.pk) for m in waiting], "action": "hide"})
    assert set(Message.objects.values_list("state", flat=True)) == {"visible"}
    assert "Please say why" in alex.get(url).content.decode()
    # A member of the room gets the same 404 as anyone.
    assert (
        client_of(mentor).post(bulk, {"message": [waiting[0].pk], "action": "hide"}).status_code
        == 404
    )


# --- What the moderation page shows -------------------------------------------------------------


def test_the_moderator_sees_earlier_words_and_who_reported_how_often(
    client_of, room, mentee, mentor, moderator, settings
):
    settings.CHAT_REPORTS_TO_HIDE = 10
    message = say(room, mentee, "you are all idiots")
    services.edit_message(message=message, by=mentee, body="you are all lovely")
    other = say(room, mentee, "second")
    services.report_message(message=message, by=mentor, category="harassment")
    services.report_message(message=other, by=mentor, category="spam")
    services.report_message(message=message, by=moderator, category="other", reason="Rude")
    page = client_of(moderator).get(reverse("chat:moderate", args=[room.pk])).content.decode()
    assert "the earlier words" in page and "you are all idiots" in page
    assert "Reported 2 times:" in page
    assert "by Sam Mentor, who has made 2 reports here" in page
    assert "by Alex Moderator, their only report here" in page
    # On the room page too, for moderators only.
    room_url = reverse("chat:room", args=[room.pk])
    assert "you are all idiots" in client_of(moderator).get(room_url).content.decode()
    assert "you are all idiots" not in client_of(mentor).get(room_url).content.decode()


def test_approve_and_restore_need_no_reason_hide_does(client_of, room, mentee, moderator):
    message = held(room, mentee, "wait")
    alex = client_of(moderator)
    url = reverse("chat:moderate_message", args=[message.pk])
    alex.post(url, {"action": "approve", "reason": ""})
    message.refresh_from_db()
    assert message.state == "visible"
    alex.post(url, {"action": "hide", "reason": ""})
    message.refresh_from_db()
    assert message.state == "visible"
    alex.post(url, {"action": "hide", "reason": "Rude"})
    alex.post(url, {"action": "restore", "reason": ""})
    message.refresh_from_db()
    assert message.state == "visible"


# --- The room page tells its script who is looking ----------------------------------------------


def test_only_a_moderators_room_page_carries_the_moderation_controls(
    client_of, room, mentee, mentor, moderator
):
    say(room, mentee, "hello")
    services.mute_for_me(room=room, user=mentor, muted=mentee, on=True)
    url = reverse("chat:room", args=[room.pk])
    mod_page = client_of(moderator).get(url).content.decode()
    assert 'data-moderator="1"' in mod_page and "data-moderate-url=" in mod_page
    assert "Warn Jay Mentee" in mod_page
    member_page = client_of(mentor).get(url).content.decode()
    assert "data-moderator" not in member_page and "data-moderate-url" not in member_page
    assert f'data-muted="{mentee.pk}"' in member_page


def test_a_warning_from_the_room_page_goes_back_to_the_room(client_of, room, mentee, moderator):
    message = say(room, mentee, "hello")
    response = client_of(moderator).post(
        reverse("chat:sanction", args=[room.pk, mentee.pk]),
        {"level": "warning", "reason": "Be kind", "next": "room", "action": "hide"},
    )
    assert response["Location"] == reverse("chat:room", args=[room.pk])
    assert Sanction.objects.get(user=mentee).level == "warning"
    message.refresh_from_db()
    assert message.state == "visible"  # the warning only, not a hide


# --- Meeting mode: the chair's raised hands -----------------------------------------------------


@pytest.fixture
def meeting(room, moderator):
    return services.update_room_settings(
        room=room, by=moderator, reason="Weekly meeting", meeting_mode=True
    )


def test_a_raised_hand_is_broadcast_with_the_name_for_the_chairs_list(
    meeting, mentee, layer, django_capture_on_commit_callbacks
):
    membership = Membership.objects.get(room=meeting, user=mentee)
    with django_capture_on_commit_callbacks(execute=True):
        services.raise_hand(membership=membership, raised=True)
    assert (
        f"room.{meeting.pk}",
        {"type": "chat.hand", "user": mentee.pk, "name": "Jay Mentee", "raised": True},
    ) in layer.sent


def test_the_chair_sees_raised_hands_and_lowers_one_or_gives_the_word(
    client_of, meeting, mentee, mentor, moderator, layer, django_capture_on_commit_callbacks
):
    for who in (mentee, mentor):
        services.raise_hand(membership=Membership.objects.get(room=meeting, user=who), raised=True)
    url = reverse("chat:room", args=[meeting.pk])
    chair = client_of(moderator)
    page = chair.get(url).content.decode()
    assert "Raised hands" in page
    assert "Give Jay Mentee the word" in page and "Lower Sam Mentor's hand" in page
    # Members see no one's hands but their own button.
    assert "Give Jay Mentee the word" not in client_of(mentor).get(url).content.decode()

    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        chair.post(reverse("chat:lower_hand", args=[meeting.pk]), {"user": mentor.pk})
    assert not Membership.objects.get(room=meeting, user=mentor).hand_raised_at
    assert ("chat.hand", mentor.pk, False) in [
        (e["type"], e.get("user"), e.get("raised")) for g, e in layer.sent
    ]
    assert ModerationAction.objects.filter(action="room.hand_lowered", subject=mentor).exists()

    chair.post(reverse("chat:floor", args=[meeting.pk]), {"user": mentee.pk})
    meeting.refresh_from_db()
    assert meeting.floor_holder == mentee
    assert not Membership.objects.get(room=meeting, user=mentee).hand_raised_at
    assert "Nobody has a hand up just now." in chair.get(url).content.decode()


def test_only_the_chair_lowers_hands(client_of, meeting, mentee, mentor, moderator):
    services.raise_hand(membership=Membership.objects.get(room=meeting, user=mentee), raised=True)
    response = client_of(mentor).post(
        reverse("chat:lower_hand", args=[meeting.pk]), {"user": mentee.pk}
    )
    assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.lower_hand(room=meeting, by=mentor, user=mentee)
    assert Membership.objects.get(room=meeting, user=mentee).hand_raised_at is not None
    Room.objects.filter(pk=meeting.pk).update(meeting_mode=False)
    with pytest.raises(PermissionDenied):
        services.lower_hand(room=meeting, by=moderator, user=mentee)


def test_the_chairs_page_query_count_does_not_grow_with_raised_hands(
    client_of, meeting, moderator, django_assert_num_queries
):
    chair = client_of(moderator)
    url = reverse("chat:room", args=[meeting.pk])

    def raise_hands(n):
        for _ in range(n):
            someone = person(Role.MENTEE)
            Membership.objects.create(room=meeting, user=someone, hand_raised_at=timezone.now())

    raise_hands(1)
    chair.get(url)
    # The member's page (11, test_views) + the raised hands with their names (no messages
    # yet, so no earlier words to fetch).
    with django_assert_num_queries(12) as first:
        chair.get(url)
    raise_hands(5)
    with django_assert_num_queries(len(first.captured_queries)):
        assert chair.get(url).content.decode().count("the word</button>") == 6


def test_a_banned_person_is_not_offered_the_open_group_again(client_of, room, mentee, moderator):
    Room.objects.filter(pk=room.pk).update(is_open=True)
    services.sanction_member(room=room, user=mentee, by=moderator, level="ban", reason="threats")
    make_room(name="Open group", is_open=True)
    page = client_of(mentee).get(reverse("chat:rooms")).content.decode()
    assert "Open group" in page and "Thursday group" not in page
