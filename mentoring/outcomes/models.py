"""Outcomes data. Answers about how things are, meeting feedback and milestones are about a
person's health and recovery: special-category data, kept only with their consent, each view of
them by someone else audited. Health of a match is computed (``mentoring.outcomes.health``), never
stored.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL

__all__ = [
    "ClockKind",
    "Face",
    "FreshStart",
    "MeetingFeedback",
    "MilestoneClock",
    "OutcomeSharing",
    "Phase",
    "Reflection",
    "Response",
    "ResumeWish",
]


class Phase(models.TextChoices):
    START = "start", _("At the start")
    REGULAR = "regular", _("Regular")
    LAST = "last", _("At the end")


class ResponseQuerySet(models.QuerySet):
    def completed(self):
        return self.filter(completed_at__isnull=False)


class Response(models.Model):
    """One person's answers to one questionnaire (defined in a file, named by ``questionnaire``).

    ``answers`` maps an item's key to the value chosen (a skipped item is absent); ``words`` maps
    an item's key to what the person wrote in their own words.
    """

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="outcome_responses")
    questionnaire = models.CharField(max_length=50)
    version = models.PositiveSmallIntegerField(default=1)
    match = models.ForeignKey(
        "mentoring.Match", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.REGULAR)
    with_mentor = models.BooleanField(_("answered with my mentor"), default=False)
    answers = models.JSONField(default=dict, blank=True)
    words = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = ResponseQuerySet.as_manager()
    personal_data_links = ("person",)

    class Meta:
        ordering = ["completed_at", "id"]
        indexes = [models.Index(fields=["questionnaire", "person", "completed_at"])]

    def __str__(self) -> str:
        return f"Answers #{self.pk}"


class OutcomeSharing(models.Model):
    """Which areas of "How things are" a mentee lets their mentor see (none until they choose)."""

    mentee = models.OneToOneField(User, on_delete=models.CASCADE, related_name="outcome_sharing")
    domains = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Self-check sharing of {self.mentee}"


class Face(models.IntegerChoices):
    POOR = 1, _("Not good")
    OK = 2, _("OK")
    GOOD = 3, _("Good")


class MeetingFeedback(models.Model):
    """ "How did it go?" after a meeting: three faces and an optional line, from each person."""

    meeting = models.ForeignKey("mentoring.Meeting", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    face = models.PositiveSmallIntegerField(
        choices=Face.choices, validators=[MinValueValidator(1), MaxValueValidator(3)]
    )
    line = models.CharField(_("anything to add (optional)"), max_length=280, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    personal_data_links = ("person",)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="one_feedback_per_person")
        ]

    def __str__(self) -> str:
        return f"Feedback #{self.pk}"


class Reflection(models.Model):
    """What each person says when a match ends or pauses."""

    match = models.ForeignKey("mentoring.Match", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    helped = models.TextField(_("What helped?"), max_length=1000, blank=True)
    change = models.TextField(_("What would you change?"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    personal_data_links = ("person",)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["match", "person"], name="one_reflection_per_person")
        ]

    def __str__(self) -> str:
        return f"Reflection #{self.pk}"


class ResumeWish(models.Model):
    """One of the two people of a paused match wants to start again; both, and it resumes."""

    match = models.ForeignKey("mentoring.Match", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    personal_data_links = ("person",)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["match", "person"], name="one_resume_wish_per_person")
        ]

    def __str__(self) -> str:
        return f"Wish to start again #{self.pk}"


class ClockKind(models.TextChoices):
    RECOVERY = "recovery", _("My recovery date")
    RELEASE = "release", _("My release date")


class MilestoneClock(models.Model):
    """A date a person counts from. Private: only they see it unless they share it."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="milestone_clocks")
    kind = models.CharField(max_length=10, choices=ClockKind.choices)
    started_on = models.DateField(_("the date"))
    shared_with_mentor = models.BooleanField(_("my mentor may see this"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_clock_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.person}"


class FreshStart(models.Model):
    """ "Starting again" after a lapse. The good days before it are kept, never reset."""

    clock = models.ForeignKey(MilestoneClock, on_delete=models.CASCADE, related_name="fresh_starts")
    on = models.DateField(_("starting again on"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"Starting again on {self.on}"
