"""Issue 14: chat that keeps people safe when no moderator is watching.

Blocked attempts kept for moderators, who may be in a group, sanctions that hold, and what the
member is told.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from chat import services
from chat.models import (
    BlockedAttempt,
    JoinRequest,
    Membership,
    Message,
    MessageState,
    ModerationAction,
)
from chat.permissions import membership_in
from tests.factories import person

pytestmark = pytest.mark.django_db


def post(room, user, body, **kw):
    return services.post_message(room=room, author=user, body=body, **kw)


# --- Blocked attempts ---------------------------------------------------------------------------


def test_a_blocked_message_is_kept_for_moderators_with_who_where_and_which_rule(
    room, mentee, moderator, client_of, default_filters
):
    with pytest.raises(services.ChatError) as refusal:
        post(room, mentee, "s3lling c0ke, dm me")
    assert refusal.value.code == "blocked"
    assert not Message.objects.filter(room=room).exists()
    kept = BlockedAttempt.objects.get()
    assert (kept.room, kept.author, kept.body) == (room, mentee, "s3lling c0ke, dm me")
    assert "word:selling coke" in kept.rule
    page = client_of(moderator).get(reverse("chat:moderate", args=[room.pk]))
    assert "s3lling c0ke, dm me" in page.content.decode()
    assert "Messages the filters stopped" in page.content.decode()


def test_a_blocked_edit_is_kept_too(room, mentee, default_filters):
    message = post(room, mentee, "hello all").message
    with pytest.raises(services.ChatError):
        services.edit_message(message=message, by=mentee, body="🍃❄️ for sale, dm")
    assert BlockedAttempt.objects.get().rule == "dealing:emoji"


def test_members_do_not_see_blocked_attempts(room, mentee, mentor, client_of, default_filters):
    with pytest.raises(services.ChatError):
        post(room, mentee, "selling coke")
    assert client_of(mentor).get(reverse("chat:moderate", args=[room.pk])).status_code == 404
    assert "selling coke" not in client_of(mentor).get(reverse("chat:room", args=[room.pk])).text


def test_blocked_attempts_are_deleted_after_the_keeping_time(room, mentee, settings):
    settings.CHAT_BLOCKED_KEEP_DAYS = 30
    old = BlockedAttempt.objects.create(room=room, author=mentee, body="x", rule="r")
    BlockedAttempt.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    recent = BlockedAttempt.objects.create(room=room, author=mentee, body="y", rule="r")
    from accounts.hooks import run_daily

    run_daily(timezone.now())
    assert list(BlockedAttempt.objects.all()) == [recent]


# --- Who may be in a group ----------------------------------------------------------------------


@pytest.fixture
def open_room(room):
    room.is_open = True
    room.save(update_fields=["is_open"])
    return room


def test_an_account_without_a_member_role_asks_and_a_moderator_decides(
    open_room, outsider, moderator, client_of
):
    client = client_of(outsider)
    page = client.get(reverse("chat:join", args=[open_room.pk])).content.decode()
    assert "Ask to join" in page and "House rules" in page
    assert (
        client.post(reverse("chat:join", args=[open_room.pk]), {"agreed": "on"}).status_code == 302
    )
    assert not Membership.objects.filter(room=open_room, user=outsider).exists()
    # Not in yet: the room's messages stay out of reach, page and history.
    assert client.get(reverse("chat:room", args=[open_room.pk])).status_code == 404
    assert client.get(reverse("chat:history", args=[open_room.pk])).status_code == 404
    request = JoinRequest.objects.get(room=open_room, user=outsider)
    queue = client_of(moderator).get(reverse("chat:moderate", args=[open_room.pk])).content.decode()
    assert "Asking to join" in queue and outsider.display_name in queue
    client_of(moderator).post(reverse("chat:decide_join", args=[request.pk]), {"approve": "1"})
    assert client.get(reverse("chat:room", args=[open_room.pk])).status_code == 200
    assert ModerationAction.objects.filter(action="member.request_approved").exists()


def test_a_declined_request_lets_nobody_in(open_room, outsider, moderator):
    request = services.ask_to_join(room=open_room, user=outsider, agreed=True)
    services.decide_join_request(request=request, by=moderator, approve=False)
    assert not Membership.objects.filter(room=open_room, user=outsider).exists()


def test_a_member_of_the_room_cannot_decide_join_requests(open_room, outsider, mentor, client_of):
    request = services.ask_to_join(room=open_room, user=outsider, agreed=True)
    answer = client_of(mentor).post(
        reverse("chat:decide_join", args=[request.pk]), {"approve": "1"}
    )
    assert answer.status_code == 404
    assert not Membership.objects.filter(room=open_room, user=outsider).exists()


def test_a_role_less_account_cannot_join_directly_or_read_by_socket(open_room, outsider):
    with pytest.raises(PermissionDenied):
        services.join_room(room=open_room, user=outsider, agreed=True)
    # A membership from before joining needed a role gives no access either.
    Membership.objects.create(room=open_room, user=outsider)
    assert membership_in(outsider, open_room.pk) is None


def test_joining_needs_agreement_to_the_house_rules(open_room):
    newcomer = person(Role.VOLUNTEER)
    with pytest.raises(ValidationError):
        services.join_room(room=open_room, user=newcomer)
    assert services.join_room(room=open_room, user=newcomer, agreed=True).agreed_at


def test_reports_from_new_accounts_do_not_hide_a_message(open_room, mentee, layer):
    message = post(open_room, mentee, "I think the group should meet on Fridays").message
    for _ in range(4):
        newcomer = person(Role.MENTEE)
        services.join_room(room=open_room, user=newcomer, agreed=True)
        services.report_message(message=message, by=newcomer, category="harassment")
    message.refresh_from_db()
    assert message.state == MessageState.VISIBLE
    assert message.reports.count() == 4  # kept for moderators all the same


# --- Sanctions that hold and are explained ------------------------------------------------------


def test_a_mute_holds_when_the_member_leaves_and_joins_again(open_room, mentee, moderator):
    services.sanction_member(
        room=open_room, user=mentee, by=moderator, level="mute", reason="cool off", minutes=60
    )
    services.leave_room(membership=Membership.objects.get(room=open_room, user=mentee))
    services.join_room(room=open_room, user=mentee, agreed=True)
    with pytest.raises(services.ChatError) as refusal:
        post(open_room, mentee, "back again")
    assert refusal.value.code == "muted"


def test_a_removed_member_rejoins_only_when_a_moderator_lets_them(
    open_room, mentee, moderator, client_of
):
    removal = services.sanction_member(
        room=open_room, user=mentee, by=moderator, level="removal", reason="shared a number"
    )
    with pytest.raises(PermissionDenied):
        services.join_room(room=open_room, user=mentee, agreed=True)
    # The moderation page lists it with a way back.
    page = client_of(moderator).get(reverse("chat:moderate", args=[open_room.pk])).text
    assert "Let back in" in page
    client_of(moderator).post(reverse("chat:lift_sanction", args=[open_room.pk, removal.pk]))
    removal.refresh_from_db()
    assert removal.lifted_at is not None
    services.join_room(room=open_room, user=mentee, agreed=True)
    assert ModerationAction.objects.filter(action="member.let_back_in", subject=mentee).exists()


def test_a_banned_member_gets_a_plain_page_and_can_ask_for_a_review(
    room, mentee, moderator, outsider, client_of
):
    ban = services.sanction_member(
        room=room, user=mentee, by=moderator, level="ban", reason="offered drugs"
    )
    answer = client_of(mentee).get(reverse("chat:room", args=[room.pk]))
    assert answer.status_code == 403
    assert "banned you from this group" in answer.text and "offered drugs" in answer.text
    # Anyone else still gets the plain 404.
    assert client_of(outsider).get(reverse("chat:room", args=[room.pk])).status_code == 404
    client_of(mentee).post(reverse("chat:appeal", args=[ban.pk]), {"text": "It was a joke"})
    assert (
        client_of(outsider).post(reverse("chat:appeal", args=[ban.pk]), {"text": "x"}).status_code
        == 404
    )
    log = ModerationAction.objects.get(action="sanction.appeal.ban")
    assert (log.actor, log.reason) == (mentee, "It was a joke")
    page = client_of(moderator).get(reverse("chat:moderate", args=[room.pk])).text
    assert "It was a joke" in page and "Unban" in page
    client_of(moderator).post(reverse("chat:lift_sanction", args=[room.pk, ban.pk]))
    assert client_of(mentee).get(reverse("chat:room", args=[room.pk])).status_code == 404


def test_a_warning_is_shown_to_its_member_with_its_reason(room, mentee, moderator, client_of):
    services.sanction_member(
        room=room, user=mentee, by=moderator, level="warning", reason="please be kind"
    )
    page = client_of(mentee).get(reverse("chat:room", args=[room.pk])).text
    assert "A warning" in page and "please be kind" in page
    assert "Ask for this to be looked at again" in page


def test_a_message_hidden_by_reports_tells_its_author_and_the_queue_says_so(
    room, mentee, mentor, moderator, client_of, settings
):
    settings.CHAT_REPORTS_TO_HIDE = 1
    message = post(room, mentee, "something sharp").message
    services.report_message(message=message, by=mentor, category="harassment")
    page = client_of(mentee).get(reverse("chat:room", args=[room.pk])).text
    assert "Other members reported this message" in page
    assert "something sharp" not in client_of(mentor).get(reverse("chat:room", args=[room.pk])).text
    queue = client_of(moderator).get(reverse("chat:moderate", args=[room.pk])).text
    assert "Hidden after reports" in queue and "Unkind, bullying or threatening" in queue


def test_approving_needs_no_reason_but_hiding_does(room, mentee, moderator, client_of, settings):
    settings.CHAT_NEW_MEMBER_HOLD = 100
    Membership.objects.filter(room=room, user=mentee).update(posted_count=0)
    held = post(room, mentee, "first words").message
    url = reverse("chat:moderate_message", args=[held.pk])
    client_of(moderator).post(url, {"action": "approve", "reason": ""})
    held.refresh_from_db()
    assert held.state == MessageState.VISIBLE
    client_of(moderator).post(url, {"action": "hide", "reason": ""})
    held.refresh_from_db()
    assert held.state == MessageState.VISIBLE


# --- Members' own tools -------------------------------------------------------------------------


def test_a_member_mutes_another_for_themselves_only(room, mentee, mentor, moderator, client_of):
    post(room, mentor, "a long story again")
    client = client_of(mentee)
    client.post(reverse("chat:mute_for_me", args=[room.pk, mentor.pk]), {"on": "1"})
    page = client.get(reverse("chat:room", args=[room.pk])).text
    assert "You muted this person: show the message" in page
    assert f"Unmute {mentor.display_name} for me" in page
    others = client_of(moderator).get(reverse("chat:room", args=[room.pk])).text
    assert "You muted this person" not in others and "a long story again" in others
    client.post(reverse("chat:mute_for_me", args=[room.pk, mentor.pk]), {"on": "0"})
    assert "You muted this person" not in client.get(reverse("chat:room", args=[room.pk])).text


def test_muting_someone_outside_the_room_is_404(room, mentee, outsider, client_of):
    answer = client_of(mentee).post(
        reverse("chat:mute_for_me", args=[room.pk, outsider.pk]), {"on": "1"}
    )
    assert answer.status_code == 404
