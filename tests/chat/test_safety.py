"""Issue 14: chat that keeps people safe when no moderator is watching.

Blocked attempts kept for moderators, who may be in a group, sanctions that hold, and what the
member is told.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from chat import services
from chat.models import BlockedAttempt, Message

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
