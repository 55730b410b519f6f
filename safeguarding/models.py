from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    DIRECT = "direct", _("Raised on its own")
    MEETING = "meeting", _("A mentoring meeting")
    CHAT_MESSAGE = "chat_message", _("A chat message")
    SHIFT = "shift", _("A volunteering shift")
    REFERRAL = "referral", _("A referral")
    OTHER = "other", _("Something else")


class Urgency(models.TextChoices):
    NOT_SET = "not_set", _("Not decided yet")
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    IMMEDIATE = "immediate", _("Act today")


class Status(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("Being looked at")
    CLOSED = "closed", _("Closed")


class ConcernQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Status.CLOSED)

    def new(self):
        return self.filter(status=Status.NEW)


class Concern(models.Model):
    """One worry about a person's safety, whatever it came from.

    Only safeguarding leads see it (safeguarding.permissions). The person concerned never does.
    If that person's account is deleted, the record is kept (the organisation's duty of care) and
    ``subject_label`` keeps how they were known.
    """

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject_label = models.CharField(_("who it is about"), max_length=120)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.DIRECT)
    source_ref = models.CharField(max_length=80, blank=True)
    summary = models.TextField(_("what happened or what worries you"))
    urgency = models.CharField(max_length=12, choices=Urgency.choices, default=Urgency.NOT_SET)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ConcernQuerySet.as_manager()

    # Kept out of "My data": disclosed on a request to the safeguarding lead, case by case.
    personal_data_export = False

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Concern #{self.pk}"

    @property
    def raised_automatically(self) -> bool:
        """Raised by Alongside itself (see ``AUTOMATIC_REF``), not by a person."""
        return self.raised_by_id is None and self.source_ref.startswith(AUTOMATIC_REF)


# How a concern that no person raised marks its source_ref (e.g. "auto:message:12").
AUTOMATIC_REF = "auto:"


class ConcernAction(models.Model):
    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="actions")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(_("what was done"))

    personal_data_export = False

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Action on concern #{self.concern_id}"
