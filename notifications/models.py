from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.kinds import CHANNELS


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def waiting_for_answer(self):
        return self.filter(needs_answer=True, done_at__isnull=True)


class Notification(models.Model):
    """One thing a person is told, once: unique on (recipient, kind, key).

    The row is the person's inbox entry; ``Delivery`` rows record each other channel it went by.
    ``title`` and ``body`` hold the detailed words for the inbox (behind log-in); texts, push and
    e-mail subjects are discreet unless the person chose to see details.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60)
    key = models.CharField(max_length=120)
    context = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, help_text="Where the person acts (a path on this site).")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    action = models.CharField(max_length=80, blank=True)
    urgent = models.BooleanField(default=False)
    needs_answer = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"], name="one_notification_per_kind_and_key"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key} for #{self.recipient_id}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    HELD = "held", _("Held until morning")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Could not be sent")
    SKIPPED = "skipped", _("Not sent")


class Delivery(models.Model):
    """A notification sent by one channel: e-mail, text message or push. One per channel."""

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=[(c, c) for c in CHANNELS])
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    not_before = models.DateTimeField(null=True, blank=True)
    provider_ref = models.CharField(max_length=80, blank=True, db_index=True)
    segments = models.PositiveSmallIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]
        indexes = [models.Index(fields=["status", "not_before"])]

    def __str__(self) -> str:
        return f"{self.channel} {self.status} for notification #{self.notification_id}"


def default_channels() -> list[str]:
    return ["email"]


def default_quiet_start() -> dt.time:
    return dt.time(21, 0)


def default_quiet_end() -> dt.time:
    return dt.time(8, 0)


class Preferences(models.Model):
    """How a person wants to be told. Made with defaults the first time it is needed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences"
    )
    show_details = models.BooleanField(
        _("show details in texts, phone notifications and e-mail subjects"), default=False
    )
    # The channels used for every kind the person has not chosen for one by one.
    default_channels = models.JSONField(default=default_channels, blank=True)
    # kind name -> the channels the person chose for it (besides the inbox).
    channels = models.JSONField(default=dict, blank=True)
    quiet_start = models.TimeField(_("quiet from"), default=default_quiet_start)
    quiet_end = models.TimeField(_("quiet until"), default=default_quiet_end)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    phone_confirmed_at = models.DateTimeField(null=True, blank=True)
    # When we texted a number someone else typed in, asking the person to reply YES.
    phone_invited_at = models.DateTimeField(null=True, blank=True)
    phone_code_hash = models.CharField(max_length=128, blank=True)
    phone_code_sent_at = models.DateTimeField(null=True, blank=True)
    phone_code_attempts = models.PositiveSmallIntegerField(default=0)
    texts_stopped_at = models.DateTimeField(null=True, blank=True)
    paused_until = models.DateTimeField(
        null=True, blank=True, help_text="Taking a break: only urgent notices until then."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "preferences"
        indexes = [models.Index(fields=["phone"])]

    def __str__(self) -> str:
        return f"Notice preferences of #{self.user_id}"

    @property
    def can_text(self) -> bool:
        return bool(self.phone and self.phone_confirmed_at and not self.texts_stopped_at)


class PushSubscription(models.Model):
    """A browser's web-push endpoint, given when the person switches phone notifications on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=500, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Push subscription of #{self.user_id}"


class InboundText(models.Model):
    """A text message someone sent us, kept so a coordinator can read and answer it."""

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inbound_texts",
    )
    from_number = models.CharField(max_length=20)
    body = models.TextField()
    provider_ref = models.CharField(max_length=80, unique=True)
    received_at = models.DateTimeField(default=timezone.now)
    handled_as = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"Text from #{self.sender_id} at {self.received_at:%Y-%m-%d %H:%M}"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's private calendar address (their meetings, shifts and events, for their phone).

    The token is its only key. Making a new address replaces the token, and the old address stops.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    # Before there was one calendar, mentoring and volunteering each gave out an address; a person
    # who had both keeps the second one working (it serves this one feed) until they make a new
    # address, so no phone stops updating on the day the two were merged.
    earlier_token = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    personal_data_export = False  # a secret, not something to hand out in a file

    def __str__(self) -> str:
        return f"Calendar of #{self.user_id}"
