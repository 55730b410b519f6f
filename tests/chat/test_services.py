"""chat.services: what a member can post, what is held, and what moderators can do."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from accounts.roles import Role
from chat import services
from chat.models import (
    ChatBreak,
    CrisisItem,
    Membership,
    Message,
    MessageState,
    ModerationAction,
    Room,
    RoomKind,
    Sanction,
)
from chat.services import ChatError, post_message
from mentoring import signals
from safeguarding.models import Concern, Source
from tests.chat.conftest import make_room
from tests.factories import person

pytestmark = pytest.mark.django_db


def post(room, user, body, **kw):
    return post_message(room=room, author=user, body=body, **kw)


def test_member_posts_visible_message_broadcast_after_commit(
    room, mentee, layer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = post(room, mentee, "  Hello all  ")
        assert layer.sent == []  # nothing leaves before the commit
    assert result.message.body == "Hello all"
    assert result.message.state == MessageState.VISIBLE
    for callback in callbacks:
        callback()
    assert layer.sent == [
        (
            f"room.{room.pk}",
            services.message_event(result.message),
        )
    ]


def test_non_member_is_refused_and_nothing_saved(room, outsider, layer):
    with pytest.raises(ChatError) as refusal:
        post(room, outsider, "hi")
    assert refusal.value.code == "not_member"
    assert not Message.objects.exists()


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001, None, 42])
def test_empty_too_long_or_not_text_is_refused(room, mentee, body):
    with pytest.raises(ChatError):
        post(room, mentee, body)
    assert not Message.objects.exists()


def test_retry_with_same_client_id_returns_stored_message_once(
    room, mentee, layer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = post(room, mentee, "hello", client_id="abc-1")
        second = post(room, mentee, "hello", client_id="abc-1")
    assert second.duplicate and second.message.pk == first.message.pk
    assert Message.objects.count() == 1
    # Broadcast again, the same message (its first broadcast may have died with its process);
    # sockets that have it pass it over (tests/chat/test_consumers.py).
    assert [(g, e["type"], e["id"]) for g, e in layer.sent] == [
        (f"room.{room.pk}", "chat.message", first.message.pk)
    ] * 2


def test_retry_of_a_message_hidden_since_is_not_broadcast_again(
    room, mentee, moderator, layer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = post(room, mentee, "hello", client_id="abc-2")
    services.moderate_message(message=first.message, by=moderator, action="hide", reason="test")
    layer.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = post(room, mentee, "hello", client_id="abc-2")
    assert second.duplicate and second.message.pk == first.message.pk
    assert layer.types() == []


def test_flood_is_rate_limited(room, mentee, settings):
    settings.CHAT_RATE_BURST = 3
    for n in range(3):
        post(room, mentee, f"message {n}")
    with pytest.raises(ChatError) as refusal:
        post(room, mentee, "one too many")
    assert refusal.value.code == "rate_limited" and refusal.value.retry_after > 0
    assert Message.objects.count() == 3


def test_slow_mode_spaces_a_members_messages_but_not_a_moderators(room, mentee, moderator):
    Room.objects.filter(pk=room.pk).update(slow_mode_seconds=30)
    post(room, mentee, "first")
    with pytest.raises(ChatError) as refusal:
        post(room, mentee, "second")
    assert refusal.value.code == "slow_mode"
    post(room, moderator, "a")
    post(room, moderator, "b")


def test_muted_member_cannot_post_until_mute_ends(room, mentee, moderator):
    services.sanction_member(
        room=room, user=mentee, by=moderator, level="mute", reason="heated", minutes=10
    )
    with pytest.raises(ChatError) as refusal:
        post(room, mentee, "hello")
    assert refusal.value.code == "muted"
    Membership.objects.filter(user=mentee).update(muted_until=timezone.now() - timedelta(seconds=1))
    post(room, mentee, "hello again")


def test_locked_room_is_read_only_for_members(room, mentee, moderator):
    services.update_room_settings(room=room, by=moderator, reason="cooling off", locked=True)
    with pytest.raises(ChatError) as refusal:
        post(room, mentee, "hello")
    assert refusal.value.code == "read_only"
    post(room, moderator, "Back at six.")


def test_blocked_words_are_not_saved(room, mentee, default_filters):
    with pytest.raises(ChatError) as refusal:
        post(room, mentee, "Selling gear, cheap")
    assert refusal.value.code == "blocked"
    assert not Message.objects.exists()
    assert ModerationAction.objects.filter(action="message.blocked", subject=mentee).exists()


@pytest.mark.parametrize(
    "body",
    [
        "Anyone want to meet up after?",
        "call me on 07700 900123",
        "my email is jay.s@example.com",
        "I'm at 12 Acacia Road if you need me",
        "I'm near M1 1AE",
    ],
)
def test_meetups_and_contact_details_are_held(
    room, mentee, default_filters, layer, django_capture_on_commit_callbacks, body
):
    with django_capture_on_commit_callbacks(execute=True):
        result = post(room, mentee, body)
    assert result.message.state == MessageState.HELD
    assert "held" in result.notices
    # Never broadcast to the room: to its moderators' group alone, with why.
    assert [(group, event["type"]) for group, event in layer.sent] == [
        (services.moderators_group(room.pk), "chat.held")
    ]
    frame = json.loads(layer.sent[0][1]["frame"])
    assert frame["type"] == "held" and frame["message"]["reason"].startswith("held: ")


def test_support_line_numbers_are_not_mistaken_for_contact_details(room, mentee, default_filters):
    result = post(room, mentee, "Samaritans are on 116 123, FRANK on 0300 123 6600")
    assert result.message.state == MessageState.VISIBLE
    assert post(room, mentee, "or text 0300 123 6601").message.state == MessageState.HELD


def test_new_members_first_messages_are_held(room, default_filters):
    newcomer = person(Role.MENTEE)
    Membership.objects.create(room=room, user=newcomer)
    states = [post(room, newcomer, f"hi {n}").message.state for n in range(4)]
    assert states == ["held", "held", "held", "visible"]


def test_lapse_gets_support_and_never_a_sanction(room, mentee, default_filters):
    result = post(room, mentee, "I relapsed last night and I feel awful")
    assert result.message.state == MessageState.VISIBLE
    assert "support" in result.notices
    assert not Sanction.objects.exists()
    assert not ModerationAction.objects.filter(subject=mentee).exists()


def test_crisis_words_show_support_and_alert_moderators(
    room, mentee, moderator, default_filters, layer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = post(room, mentee, "I keep thinking about suicide")
    assert "crisis" in result.notices
    assert ModerationAction.objects.filter(action="crisis.alert", message=result.message).exists()
    assert (
        f"user.{moderator.pk}",
        {
            "type": "chat.alert",
            "room": room.pk,
            "message": result.message.pk,
            "url": f"/chat/crisis/{CrisisItem.objects.get().pk}/",
        },
    ) in layer.sent
    # Who is told when nobody is online (the on-call rota, then the safeguarding leads) is
    # tests/chat/test_crisis*.py's to show.


def test_crisis_words_in_a_pair_room_alert_the_safeguarding_leads_once_a_day(
    mentee,
    mentor,
    safeguarding_lead,
    client_of,
    default_filters,
    django_capture_on_commit_callbacks,
):
    pair = make_room(mentee, mentor, kind=RoomKind.PAIR, name="Sam and Jay")
    with django_capture_on_commit_callbacks(execute=True):
        result = post(pair, mentee, "I keep thinking about suicide")
    assert "crisis" in result.notices  # Jay is shown where to get help, as in any room
    concern = Concern.objects.get()
    assert (concern.subject, concern.raised_by, concern.source) == (
        mentee,
        None,
        Source.CHAT_MESSAGE,
    )
    assert "suicide" not in concern.summary  # the words stay in the chat
    assert [m.to for m in mail.outbox] == [[safeguarding_lead.email]]
    assert "suicide" not in mail.outbox[0].body and mentee.email not in mail.outbox[0].body
    page = client_of(safeguarding_lead).get(reverse("safeguarding:detail", args=[concern.pk]))
    assert "Alongside, automatically" in page.content.decode()

    post(pair, mentee, "still thinking about suicide")
    assert Concern.objects.count() == 1  # once a day per person and room, not per message


def test_moderators_edit_the_word_lists(room, mentee, moderator, mentor):
    services.save_word_filter(by=moderator, phrase="Bus Station", action="hold")
    assert post(room, mentee, "see you at the bus station").message.state == MessageState.HELD
    with pytest.raises(PermissionDenied):
        services.save_word_filter(by=mentor, phrase="x", action="hold")


def test_three_reports_hide_a_message_until_reviewed(
    room, mentee, mentor, moderator, layer, django_capture_on_commit_callbacks
):
    third = person(Role.MENTEE)
    Membership.objects.create(
        room=room, user=third, posted_count=5, joined_at=timezone.now() - timedelta(days=30)
    )
    message = post(room, mentee, "something unkind").message
    with django_capture_on_commit_callbacks(execute=True):
        services.report_message(message=message, by=mentor, reason="unkind")
        services.report_message(message=message, by=mentor, reason="again")  # same person: once
        services.report_message(message=message, by=moderator, reason="unkind")
        message.refresh_from_db()
        assert message.state == MessageState.VISIBLE
        services.report_message(message=message, by=third, reason="unkind")
    message.refresh_from_db()
    assert message.state == MessageState.HIDDEN
    removed = [e for g, e in layer.sent if g == f"room.{room.pk}" and e["type"] == "chat.change"]
    assert [json.loads(e["frame"]) for e in removed] == [
        {"type": "removed", "id": message.pk, "change": removed[0]["change"]}
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.moderate_message(
            message=message, by=moderator, action="restore", reason="fine on review"
        )
    message.refresh_from_db()
    assert message.state == MessageState.VISIBLE
    assert not message.reports.filter(resolved_at=None).exists()


def test_moderation_is_logged_and_audited_with_who_and_why(room, mentee, moderator):
    message = post(room, mentee, "hello").message
    services.moderate_message(message=message, by=moderator, action="delete", reason="off topic")
    entry = ModerationAction.objects.get(action="message.delete")
    assert (entry.actor, entry.subject, entry.reason) == (moderator, mentee, "off topic")
    assert AuditEvent.objects.filter(actor=moderator, action="chat.message.delete").exists()


def test_members_cannot_moderate(room, mentee, mentor):
    message = post(room, mentee, "hello").message
    with pytest.raises(PermissionDenied):
        services.moderate_message(message=message, by=mentor, action="hide", reason="x")
    with pytest.raises(ValidationError):
        services.moderate_message(message=message, by=mentor, action="hide", reason="")


def test_sanction_ladder_and_ban(
    room, mentee, moderator, layer, django_capture_on_commit_callbacks
):
    assert services.next_sanction(room=room, user=mentee) == "warning"
    services.sanction_member(
        room=room, user=mentee, by=moderator, level="warning", reason="language"
    )
    assert services.next_sanction(room=room, user=mentee) == "mute"
    services.sanction_member(
        room=room, user=mentee, by=moderator, level="mute", reason="again", minutes=30
    )
    assert services.next_sanction(room=room, user=mentee) == "removal"
    with django_capture_on_commit_callbacks(execute=True):
        services.sanction_member(
            room=room, user=mentee, by=moderator, level="ban", reason="dealing"
        )
    assert not Membership.objects.filter(room=room, user=mentee).exists()
    assert Sanction.objects.in_force().filter(room=room, user=mentee, level="ban").exists()
    assert (
        f"user.{mentee.pk}",
        {"type": "chat.kick", "room": room.pk, "reason": "ban"},
    ) in layer.sent
    Room.objects.filter(pk=room.pk).update(is_open=True)
    room.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.join_room(room=room, user=mentee)


def test_edit_within_five_minutes_keeps_old_text(room, mentee, mentor):
    message = post(room, mentee, "helo").message
    services.edit_message(message=message, by=mentee, body="hello")
    message.refresh_from_db()
    assert message.body == "hello" and message.edited_at
    assert list(message.revisions.values_list("body", flat=True)) == ["helo"]
    with pytest.raises(PermissionDenied):
        services.edit_message(message=message, by=mentor, body="hacked")
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=6))
    with pytest.raises(ChatError):
        services.edit_message(message=message, by=mentee, body="later")


def test_delete_own_message_only(room, mentee, mentor):
    message = post(room, mentee, "oops").message
    with pytest.raises(PermissionDenied):
        services.delete_own_message(message=message, by=mentor)
    services.delete_own_message(message=message, by=mentee)
    message.refresh_from_db()
    assert message.state == MessageState.DELETED


def test_meeting_mode_only_floor_and_chair_post(room, mentee, mentor, moderator):
    services.update_room_settings(room=room, by=moderator, reason="meeting", meeting_mode=True)
    membership = Membership.objects.select_related("room").get(room=room, user=mentee)
    with pytest.raises(ChatError) as refusal:
        post(room, mentee, "can I speak?")
    assert refusal.value.code == "not_your_turn"
    services.raise_hand(membership=membership, raised=True)
    services.give_floor(room=room, by=moderator, to=mentee)
    post(room, mentee, "thanks for having me")
    post(room, moderator, "thank you, Jay")
    with pytest.raises(ChatError):
        post(room, mentor, "me too")
    with pytest.raises(PermissionDenied):
        services.give_floor(room=room, by=mentor, to=mentor)


def test_pair_room_follows_the_match(mentor, mentee, django_capture_on_commit_callbacks):
    signals.match_activated.send(sender=None, match_id=7, mentor_id=mentor.pk, mentee_id=mentee.pk)
    room = Room.objects.get(match_id=7)
    assert room.kind == RoomKind.PAIR
    assert set(room.memberships.values_list("user_id", flat=True)) == {mentor.pk, mentee.pk}
    post(room, mentee, "hi Sam")  # no new-member hold in a private pair room
    signals.match_paused.send(sender=None, match_id=7, mentor_id=mentor.pk, mentee_id=mentee.pk)
    room.refresh_from_db()
    assert not room.read_only
    signals.match_ended.send(
        sender=None, match_id=7, mentor_id=mentor.pk, mentee_id=mentee.pk, reason="completed"
    )
    room.refresh_from_db()
    assert room.read_only
    with pytest.raises(ChatError):
        post(room, mentor, "bye")
    assert Message.objects.filter(room=room).count() == 1  # still readable
    with pytest.raises(ChatError) as refusal:
        signals.match_activated.send(
            sender=None, match_id=7, mentor_id=mentor.pk, mentee_id=mentee.pk
        )
        post(room, mentor, "call me 07700 900123")
    assert refusal.value.code == "boundaries"


def test_supervision_groups_take_peer_mentors_and_staff(coordinator, mentor, mentee):
    group = services.create_room(by=coordinator, name="Supervision", kind=RoomKind.SUPERVISION)
    services.add_member(room=group, user=mentor, by=coordinator)
    with pytest.raises(ValidationError):
        services.add_member(room=group, user=mentee, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.create_room(by=mentor, name="Mine")


def test_take_a_break_from_a_room_or_all_chat(room, mentee):
    services.take_break(user=mentee, room=room, minutes=60)
    assert services.on_break(mentee, room.pk)
    services.end_break(user=mentee, room=room)
    assert not services.on_break(mentee, room.pk)
    services.take_break(user=mentee, room=None, minutes=60 * 24)
    assert services.on_break(mentee, room.pk)
    assert ChatBreak.objects.filter(user=mentee, room=None).exists()
    with pytest.raises(ValidationError):
        services.take_break(user=mentee, room=None, minutes=5)


def test_moderator_raises_safeguarding_concern_from_message(room, mentee, moderator, mentor):
    message = post(room, mentee, "they said they'd hurt me").message
    concern = services.concern_from_message(
        message=message, by=moderator, summary="Threat mentioned"
    )
    assert concern.source == Source.CHAT_MESSAGE and concern.source_ref == f"message:{message.pk}"
    assert concern.subject == mentee
    with pytest.raises(PermissionDenied):
        services.concern_from_message(message=message, by=mentor, summary="x")
    assert Concern.objects.count() == 1
