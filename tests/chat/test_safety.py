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
