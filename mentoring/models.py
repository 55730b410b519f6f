"""Mentoring data: referrals, mentors' places, matches, meetings, goals and check-ins.

What a mentor may see of a mentee is decided by the mentee (``Sharing``), item by item; risk
information lives in its own record (``RiskNote``) that only coordinators open.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import AVAILABILITY_SLOTS
from mentoring.choices import (
    OPEN_MATCH_STATES,
    ContactPreference,
    EndReason,
    Gender,
    GoalStatus,
    MatchStatus,
    MeetingPlace,
    MeetingStatus,
    Need,
    PauseReason,
    ReferralStatus,
)

User = settings.AUTH_USER_MODEL


class MentorProfile(models.Model):
    """What the programme knows about a peer mentor to match them well.

    ``released_on`` and ``recovery_since`` serve the eligibility rule only (coordinators see them).
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="mentor_profile")
    places = models.PositiveSmallIntegerField(
        _("how many people they can mentor at once"),
        default=2,
        validators=[MinValueValidator(0), MaxValueValidator(6)],
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    helps_with = models.JSONField(_("can help with"), default=list, blank=True)
    released_on = models.DateField(_("released from prison on"), null=True, blank=True)
    recovery_since = models.DateField(_("in recovery since"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Mentoring details of {self.user}"


class ReferralQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=ReferralStatus.WAITING)


class Referral(models.Model):
    """Someone asking for a mentor, referred by a coordinator or by themselves."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="referrals")
    referred_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.WAITING
    )
    contact_preference = models.CharField(
        _("best way to get in touch"), max_length=20, choices=ContactPreference.choices
    )
    area = models.CharField(_("area"), max_length=80, blank=True)
    needs = models.JSONField(_("wants help with"), default=list, blank=True)
    prison = models.CharField(_("prison (if any)"), max_length=120, blank=True)
    release_date = models.DateField(_("release date (if any)"), null=True, blank=True)
    wants_experience = models.JSONField(_("wants a mentor who knows"), default=list, blank=True)
    wants_gender = models.CharField(
        _("wants a mentor who is"), max_length=20, choices=Gender.choices, blank=True
    )
    wants_language = models.CharField(_("wants a mentor who speaks"), max_length=40, blank=True)
    availability = models.JSONField(_("usually free"), default=list, blank=True)
    consent_to_share = models.BooleanField(_("agrees to share this with a mentor"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Referral #{self.pk} for {self.person}"

    @property
    def is_self_referral(self) -> bool:
        return self.referred_by_id == self.person_id

    def get_availability_display(self) -> list[str]:
        labels = dict(AVAILABILITY_SLOTS)
        return [str(labels.get(slot, slot)) for slot in self.availability]

    def get_needs_display(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels.get(need, need)) for need in self.needs]


class RiskNote(models.Model):
    """Risk information about a referred person. Coordinators only; every view is audited."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="risk_notes")
    written_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("risk information"))
    created_at = models.DateTimeField(default=timezone.now)

    # Organisation's record about its duty of care, disclosed on request, not in self-export.
    personal_data_export = False

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Risk note #{self.pk}"


class DoNotMatch(models.Model):
    """A pair a coordinator keeps apart (co-defendants, a known conflict). Members never see it."""

    mentor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    mentee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("why (coordinators only)"), max_length=200)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    personal_data_export = False

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentor", "mentee"], name="one_do_not_match_per_pair")
        ]

    def __str__(self) -> str:
        return f"Do not match #{self.pk}"


class NeverAgain(models.Model):
    """A mentee asked never to be matched with this mentor again."""

    mentee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["mentee", "mentor"], name="one_never_again_per_pair")
        ]

    def __str__(self) -> str:
        return f"Never again #{self.pk}"


# Reasons both people may read on a proposal (see Match.shared_reasons).
MEMBER_VISIBLE_FACTORS = frozenset({"availability", "language", "interests"})


class MatchQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_MATCH_STATES)

    def active(self):
        return self.filter(status=MatchStatus.ACTIVE)

    def visible_to_mentor(self, user):
        """Matches whose mentee a mentor may see: active or paused (history kept)."""
        return self.filter(mentor=user, status__in=[MatchStatus.ACTIVE, MatchStatus.PAUSED])


class Match(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="matches")
    mentor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentoring_as_mentor")
    mentee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentoring_as_mentee")
    status = models.CharField(
        max_length=20, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    proposed_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    # What the ranking said when the match was proposed, kept as the coordinator saw it.
    score = models.IntegerField(null=True, blank=True)
    # [{"factor": "language", "text": "Both speak Polish"}, ...]
    reasons = models.JSONField(default=list, blank=True)
    override_reason = models.CharField(_("why this mentor"), max_length=300, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.CharField(max_length=300, blank=True)

    objects = MatchQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            # One open match per mentee at a time; after an ending they can be matched again.
            models.UniqueConstraint(
                fields=["mentee"],
                condition=Q(status__in=OPEN_MATCH_STATES),
                name="one_open_match_per_mentee",
            )
        ]

    def __str__(self) -> str:
        return f"Match #{self.pk}"

    @property
    def reason_texts(self) -> list[str]:
        """Every reason: for coordinators."""
        return [reason["text"] for reason in self.reasons]

    @property
    def shared_reasons(self) -> list[str]:
        """Reasons the two people may see. Lived experience, needs and area stay out: they were
        given for matching only, and each person decides what to tell the other."""
        return [r["text"] for r in self.reasons if r.get("factor") in MEMBER_VISIBLE_FACTORS]


class MatchEvent(models.Model):
    """Every change of a match's state: its history, kept through pauses and endings."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=20, choices=MatchStatus.choices)
    reason = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=300, blank=True)
    by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.match} → {self.status}"

    def get_reason_display(self) -> str:
        labels = {**dict(PauseReason.choices), **dict(EndReason.choices)}
        return str(labels.get(self.reason, self.reason))


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(status=MeetingStatus.PLANNED, starts_at__gte=now or timezone.now())

    def for_person(self, user):
        return self.filter(Q(match__mentor=user) | Q(match__mentee=user))


class Meeting(models.Model):
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="meetings")
    starts_at = models.DateTimeField(_("when"))
    minutes = models.PositiveSmallIntegerField(_("how long (minutes)"), default=60)
    place_kind = models.CharField(
        _("how you will meet"), max_length=20, choices=MeetingPlace.choices
    )
    place = models.CharField(
        _("where"), max_length=200, blank=True, help_text=_("A place, a phone number or a link.")
    )
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    scheduled_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self) -> str:
        return f"Meeting #{self.pk}"

    @property
    def where(self) -> str:
        kind = self.get_place_kind_display()
        return f"{kind}: {self.place}" if self.place else str(kind)


class MeetingNote(models.Model):
    """The mentor's brief notes after a meeting. The mentee sees only ``agreed_actions``."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="note")
    written_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    notes = models.TextField(_("notes (you and coordinators)"), blank=True)
    agreed_actions = models.TextField(
        _("what you agreed to do (your mentee sees this)"), blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Notes on {self.meeting}"


class Goal(models.Model):
    mentee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentoring_goals")
    area = models.CharField(_("area"), max_length=20, choices=Need.choices)
    words = models.CharField(_("my goal, in my own words"), max_length=300)
    status = models.CharField(max_length=20, choices=GoalStatus.choices, default=GoalStatus.WORKING)
    reached_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "created_at", "id"]

    def __str__(self) -> str:
        return self.words

    @property
    def progress(self) -> int:
        """Percent of steps done: from counts annotated in SQL (selectors.goals_with_progress)
        when present, else from prefetched steps."""
        if self.status == GoalStatus.REACHED:
            return 100
        if hasattr(self, "steps_total"):
            total, done = self.steps_total, self.steps_done
        else:
            steps = list(self.steps.all())
            total, done = len(steps), sum(step.done for step in steps)
        return round(100 * done / total) if total else 0


class GoalStep(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    words = models.CharField(_("step"), max_length=200)
    # A local service the step is about (a page of the site's directory, as a plain id).
    service_id = models.PositiveIntegerField(null=True, blank=True)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.words


class CheckIn(models.Model):
    mentee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentoring_check_ins")
    feeling = models.PositiveSmallIntegerField(
        _("how are you doing? (1 is bad, 5 is great)"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    line = models.CharField(_("anything to add"), max_length=280, blank=True)
    hours_this_week = models.DecimalField(
        _("hours of groups, training or work this week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Check-in #{self.pk}"


class MenteeSettings(models.Model):
    """A mentee's choices: what their mentor may see, and an optional weekly activity target."""

    mentee = models.OneToOneField(User, on_delete=models.CASCADE, related_name="mentee_settings")
    shared = models.JSONField(_("what my mentor may see"), default=list, blank=True)
    weekly_hours_target = models.PositiveSmallIntegerField(
        _("weekly activity target (hours)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(60)],
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Settings of {self.mentee}"


class SuggestedService(models.Model):
    """A local service a mentor added to their mentee's "My people", with her agreement
    (``SharedItem.LOCAL_SERVICES``). The service is a page of the site's directory, kept as a
    plain id: mentoring never imports the site (cms), it asks through ``accounts.hooks``."""

    mentee = models.ForeignKey(User, on_delete=models.CASCADE, related_name="suggested_services")
    service_id = models.PositiveIntegerField()
    suggested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mentee", "service_id"], name="one_suggestion_each")
        ]

    def __str__(self) -> str:
        return f"Service {self.service_id} for {self.mentee_id}"


def new_feed_token() -> str:
    """Kept for migration 0001, which names it (the feed itself is notifications.CalendarFeed)."""
    return secrets.token_urlsafe(32)


from mentoring.outcomes.models import *  # noqa: E402, F403 - outcomes models, one app

# Partners and the gate keep their models in their own module; imported so Django sees them.
from mentoring.partners.models import (  # noqa: E402, F401
    Disclosure,
    GateChecklist,
    MentorIntro,
    NamedWorker,
    PartnerReferral,
    SharingAgreement,
    Shortlist,
)
