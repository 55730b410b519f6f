"""Crisis routing: an item for every message with crisis words, who is on call, and check-ins.

Imported at the end of chat/models.py, so these are ordinary models of the chat app. A crisis must
reach someone whoever is online: the item waits at the top of the moderation queue, the people on
call are told through notifications, and an item nobody acts on is escalated to the safeguarding
leads (chat.services.crisis).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CrisisItemQuerySet(models.QuerySet):
    def open(self) -> CrisisItemQuerySet:
        return self.filter(handled_at=None)

    def unacted(self) -> CrisisItemQuerySet:
        """Nobody has claimed or handled it yet: it escalates when it has waited too long."""
        return self.filter(handled_at=None, claimed_at=None)


class CrisisItem(models.Model):
    """Someone may be in danger: crisis words in a message. One open item per person and room;
    later crisis messages from them while it is open join it (the moderation log has each one)."""

    room = models.ForeignKey("chat.Room", on_delete=models.CASCADE, related_name="crisis_items")
    message = models.ForeignKey(
        "chat.Message", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_crisis_items"
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # The safeguarding concern raised about it (by a moderator, automatically, or at escalation).
    concern_id = models.PositiveIntegerField(null=True, blank=True)

    objects = CrisisItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "person"],
                condition=Q(handled_at=None),
                name="chat_one_open_crisis_per_person_and_room",
            ),
        ]
        indexes = [models.Index(fields=["handled_at", "claimed_at", "created_at"])]

    def __str__(self) -> str:
        return f"crisis item {self.pk} in room {self.room_id}"

    @property
    def status(self) -> str:
        if self.handled_at:
            return _("Handled")
        if self.claimed_at:
            return _("Someone is looking at this")
        return _("Nobody has picked this up yet")


class OnCallShift(models.Model):
    """Someone is on call for crisis items from ``starts_at`` until ``ends_at``: for one room, or
    for the whole organisation when ``room`` is empty."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_on_call"
    )
    room = models.ForeignKey(
        "chat.Room", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="chat_on_call_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.person} on call"


class Weekday(models.IntegerChoices):
    # Python's datetime.weekday(): Monday is 0.
    MONDAY = 0, _("Mondays")
    TUESDAY = 1, _("Tuesdays")
    WEDNESDAY = 2, _("Wednesdays")
    THURSDAY = 3, _("Thursdays")
    FRIDAY = 4, _("Fridays")
    SATURDAY = 5, _("Saturdays")
    SUNDAY = 6, _("Sundays")


class WeeklyOnCall(models.Model):
    """Someone is on call every week on ``weekday`` from ``starts`` until ``ends`` (local time),
    for one room or for the whole organisation when ``room`` is empty. A slot that ends at or
    before its start runs past midnight ("Fridays 22:00–02:00" ends on Saturday)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_weekly_on_call"
    )
    room = models.ForeignKey(
        "chat.Room", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    weekday = models.PositiveSmallIntegerField(_("every"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["weekday", "starts", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(ends=models.F("starts")), name="chat_weekly_on_call_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="chat_weekly_on_call_weekday"
            ),
        ]
        indexes = [models.Index(fields=["weekday"], name="chat_weekly_on_call_day")]

    def __str__(self) -> str:
        return f"{self.person} on call {self.get_weekday_display()}"

    @property
    def overnight(self) -> bool:
        return self.ends <= self.starts

    def covers(self, local) -> bool:
        """Whether the slot covers ``local`` (an aware datetime in the site's time zone)."""
        day, at = local.weekday(), local.time()
        if not self.overnight:
            return day == self.weekday and self.starts <= at < self.ends
        # Past midnight: the evening of its own day, or the small hours of the next.
        return (day == self.weekday and at >= self.starts) or (
            day == (self.weekday + 1) % 7 and at < self.ends
        )


class CheckInWording(models.Model):
    """A pre-written private check-in a moderator can send (and change before sending). Moderators
    edit the list; the first ones follow the National Suicide Prevention Alliance's guidance."""

    label = models.CharField(_("short name"), max_length=80)
    body = models.TextField(_("the words"), max_length=1000)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class CheckInReply(models.TextChoices):
    SAFE = "safe", _("I'm safe")
    NOT_SAFE = "not_safe", _("I'm not safe")
    CALL_ME = "call_me", _("Please call me")
    WORDS = "words", _("Wrote back")


class CheckIn(models.Model):
    """A moderator's private message to the person, and the person's reply."""

    item = models.ForeignKey(CrisisItem, on_delete=models.CASCADE, related_name="check_ins")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_check_ins"
    )
    body = models.TextField(max_length=1000)
    sent_at = models.DateTimeField(default=timezone.now)
    reply = models.CharField(max_length=10, choices=CheckInReply.choices, blank=True)
    reply_text = models.TextField(max_length=1000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"check-in {self.pk}"
