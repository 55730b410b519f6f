"""Rooms, memberships, messages and moderation.

The database is the truth (TRUST.md 1): a message that reached any screen has a row here, and a
client that reconnects asks for every visible message after the last id it saw, and for every
change (approved, hidden, edited…) after the last change it saw.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MAX_BODY = 2000


class RoomKind(models.TextChoices):
    PEER_SUPPORT = "peer_support", _("Peer support group")
    SUPERVISION = "supervision", _("Supervision group")
    PAIR = "pair", _("Mentoring pair")


class RoomQuerySet(models.QuerySet):
    def for_member(self, user) -> RoomQuerySet:
        return self.filter(memberships__user=user)


class Room(models.Model):
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("what the group is for"), max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=RoomKind.choices, default=RoomKind.PEER_SUPPORT)
    is_open = models.BooleanField(
        _("anyone signed in may join"),
        default=False,
        help_text=_("Open groups are listed for everyone; closed groups only for their members."),
    )
    # A pair room belongs to one mentoring match. Mentoring's models are not imported here: the
    # match is named by its id alone (mentoring never imports chat, chat listens to its signals).
    match_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    locked = models.BooleanField(_("read-only"), default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    slow_mode_seconds = models.PositiveIntegerField(_("seconds between messages"), default=0)
    meeting_mode = models.BooleanField(default=False)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    floor_holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # House rules in plain words, agreed to on first joining an open group (blank: the default).
    agreement = models.TextField(_("house rules"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = RoomQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def group_name(self) -> str:
        return f"room.{self.pk}"

    @property
    def read_only(self) -> bool:
        return self.locked or self.closed_at is not None


class MemberRole(models.TextChoices):
    MEMBER = "member", _("Member")
    MODERATOR = "moderator", _("Moderator")


class Membership(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_memberships"
    )
    role = models.CharField(max_length=12, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)
    # Read position: the last message id this person has seen (unread = visible ids above it).
    last_read_id = models.BigIntegerField(default=0)
    muted_until = models.DateTimeField(null=True, blank=True)
    # Token bucket for the rate limit, and the time of the last post for slow mode. Kept in the
    # database so every server process applies the same limit.
    tokens = models.FloatField(default=0)
    tokens_at = models.DateTimeField(null=True, blank=True)
    last_posted_at = models.DateTimeField(null=True, blank=True)
    posted_count = models.PositiveIntegerField(default=0)
    hand_raised_at = models.DateTimeField(null=True, blank=True)
    # When the person agreed to the room's house rules (open groups ask on first joining).
    agreed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="chat_one_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.room}"

    @property
    def is_moderator(self) -> bool:
        return self.role == MemberRole.MODERATOR


class MessageState(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HELD = "held", _("Waiting for a moderator")
    HIDDEN = "hidden", _("Hidden by a moderator")
    DELETED = "deleted", _("Deleted")


class MessageQuerySet(models.QuerySet):
    def visible(self) -> MessageQuerySet:
        return self.filter(state=MessageState.VISIBLE)

    def shown_to(self, user, *, moderator: bool) -> MessageQuerySet:
        """What a person sees in a room's history: visible ones, plus their own held ones and
        their own hidden after reports (so they are told); moderators also see held and hidden
        ones (marked as such)."""
        if moderator:
            return self.exclude(state=MessageState.DELETED)
        return self.filter(
            Q(state=MessageState.VISIBLE)
            | Q(state=MessageState.HELD, author=user)
            | Q(state=MessageState.HIDDEN, hidden_by_reports=True, author=user)
        )


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages"
    )
    body = models.TextField(max_length=MAX_BODY)
    # Chosen by the sending client; a retry with the same id gets the same message back.
    client_id = models.CharField(max_length=64, blank=True)
    state = models.CharField(
        max_length=10, choices=MessageState.choices, default=MessageState.VISIBLE
    )
    held_reason = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_by_reports = models.BooleanField(default=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_id"],
                condition=~Q(client_id=""),
                name="chat_client_id_once_per_author",
            ),
        ]
        indexes = [models.Index(fields=["room", "state", "id"], name="chat_room_state_id")]

    def __str__(self) -> str:
        return f"message {self.pk} in room {self.room_id}"


class MessageRevision(models.Model):
    """Text a message had before an edit: moderators can read it."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"earlier text of message {self.message_id}"


class MessageChange(models.Model):
    """A message already in the room changed: approved or restored (now shown), hidden or deleted
    (now gone), or edited. Live sockets hear of it at once; a client that was away asks for the
    changes after the last one it saw, just as it asks for the messages after the last id.

    Changes in a room are written with the room's row locked, so their ids commit in order.
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["room", "id"], name="chat_change_room_id")]

    def __str__(self) -> str:
        return f"change {self.pk} to message {self.message_id}"


class ReportCategory(models.TextChoices):
    CONTACT = "contact", _("Sharing contact details or asking to meet")
    DEALING = "dealing", _("Offering or asking for drugs")
    HARASSMENT = "harassment", _("Unkind, bullying or threatening")
    WORRIED = "worried", _("I am worried about the person who wrote it")
    SPAM = "spam", _("Spam or advertising")
    OTHER = "other", _("Something else")


class Report(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(
        _("what kind of problem"),
        max_length=12,
        choices=ReportCategory.choices,
        default=ReportCategory.OTHER,
    )
    reason = models.CharField(_("what is wrong with it"), max_length=300, blank=True)
    # Whether it counted toward hiding the message (only members who have been in the room for a
    # while and have posted there count, so new accounts cannot silence someone together).
    counts = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "reporter"], name="chat_report_once"),
        ]

    def __str__(self) -> str:
        return f"report of message {self.message_id}"


class FilterAction(models.TextChoices):
    BLOCK = "block", _("Block the message")
    HOLD = "hold", _("Hold it for a moderator")
    SUPPORT = "support", _("Show the author support information")
    CRISIS = "crisis", _("Show support lines and alert moderators")


class WordFilter(models.Model):
    """A word or phrase moderators watch for, and what happens when a message contains it."""

    phrase = models.CharField(_("word or phrase"), max_length=80, unique=True)
    action = models.CharField(_("what happens"), max_length=10, choices=FilterAction.choices)
    note = models.CharField(_("why it is on the list"), max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "phrase"]

    def __str__(self) -> str:
        return self.phrase


class SanctionLevel(models.TextChoices):
    WARNING = "warning", _("Warning")
    MUTE = "mute", _("Timed mute")
    REMOVAL = "removal", _("Removed from the room")
    BAN = "ban", _("Banned from the room")


# The ladder moderators follow: the next step after the person's latest sanction in the room.
LADDER = [SanctionLevel.WARNING, SanctionLevel.MUTE, SanctionLevel.REMOVAL]


class SanctionQuerySet(models.QuerySet):
    def in_force(self, now=None) -> SanctionQuerySet:
        """Mutes, removals and bans not lifted and not run out (warnings are never in force)."""
        now = now or timezone.now()
        return self.filter(
            Q(until=None) | Q(until__gt=now),
            lifted_at=None,
            level__in=[SanctionLevel.MUTE, SanctionLevel.REMOVAL, SanctionLevel.BAN],
        )


class Sanction(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="sanctions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_sanctions"
    )
    level = models.CharField(max_length=10, choices=SanctionLevel.choices)
    reason = models.CharField(max_length=300)
    until = models.DateTimeField(null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Unmuted, unbanned or let back in by a moderator (the sanction stays on record).
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SanctionQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["room", "user"], name="chat_sanction_room_user")]

    def __str__(self) -> str:
        return f"{self.level} for {self.user}"

    @property
    def in_force(self) -> bool:
        if self.lifted_at is not None or self.level == SanctionLevel.WARNING:
            return False
        return self.until is None or self.until > timezone.now()


class Appeal(models.Model):
    """A member asks the room's moderators to look again at a sanction."""

    sanction = models.ForeignKey(Sanction, on_delete=models.CASCADE, related_name="appeals")
    text = models.TextField(_("why it should be looked at again"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"appeal of {self.sanction}"


class JoinRequest(models.Model):
    """Someone without a member role asks to join an open group; a moderator decides."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved = models.BooleanField(null=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "user"], condition=Q(decided_at=None), name="chat_one_open_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} asks to join {self.room}"


class BlockedAttempt(models.Model):
    """A message the filters refused: kept for moderators to review, then deleted
    (CHAT_BLOCKED_KEEP_DAYS, by the daily sweep)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="blocked_attempts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField()
    rule = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["created_at"], name="chat_blocked_created")]

    def __str__(self) -> str:
        return f"blocked message in room {self.room_id}"


class PersonalMute(models.Model):
    """A member stops seeing another member's messages (they collapse, for them only)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    muted = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "muted"], name="chat_one_personal_mute")
        ]

    def __str__(self) -> str:
        return f"{self.user} muted {self.muted}"


class ModerationAction(models.Model):
    """The room's moderation log: who did what, to whom or which message, and why."""

    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.CASCADE, related_name="moderation_log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=40)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor}"


class ChatBreak(models.Model):
    """A person taking a break from one room (room set) or from all chat (room empty)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_breaks"
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    until = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "room"], name="chat_one_break_per_room"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(room=None), name="chat_one_break_from_all"
            ),
        ]

    def __str__(self) -> str:
        return f"break for {self.user} until {self.until}"


# Crisis routing (items, on-call rota, check-ins) lives in its own module; importing it here makes
# its models part of the chat app.
from chat.crisis_models import (  # noqa: E402, F401
    CheckIn,
    CheckInReply,
    CheckInWording,
    CrisisItem,
    OnCallShift,
    Weekday,
    WeeklyOnCall,
)
