"""Volunteering: roles, onboarding records, training, shifts and hours.

Whether someone is cleared for a role is never stored: ``volunteering.services.clearance`` works it
out from the records below and their expiry dates, so nobody has to remember to untick a flag.
"""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.dates import add_months
from accounts.storage import get_private_storage
from notifications.places import Place, PlaceStatus


class DBSLevel(models.TextChoices):
    NONE = "none", _("No DBS (criminal record) check needed")
    BASIC = "basic", _("Basic DBS check")
    STANDARD = "standard", _("Standard DBS check")
    ENHANCED = "enhanced", _("Enhanced DBS check")


# A higher level of check also covers the roles that need a lower one.
DBS_RANK = {DBSLevel.NONE: 0, DBSLevel.BASIC: 1, DBSLevel.STANDARD: 2, DBSLevel.ENHANCED: 3}


class TrainingCourse(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    accredited = models.BooleanField(_("accredited"), default=False)
    valid_for_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty if it never needs refreshing."),
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def expiry_for(self, completed_on: date) -> date | None:
        if self.valid_for_months is None:
            return None
        return add_months(completed_on, self.valid_for_months)


class VolunteerRole(models.Model):
    """Something a volunteer can do, and what they need before they do it."""

    slug = models.SlugField(unique=True)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    required_courses = models.ManyToManyField(
        TrainingCourse, blank=True, related_name="roles", verbose_name=_("training needed")
    )
    dbs_level = models.CharField(
        _("DBS (criminal record) check needed"),
        max_length=10,
        choices=DBSLevel.choices,
        default=DBSLevel.NONE,
    )
    references_required = models.PositiveSmallIntegerField(_("references needed"), default=0)
    induction_required = models.BooleanField(_("induction needed"), default=True)
    supervision_agreement_required = models.BooleanField(
        _("supervision agreement needed"), default=False
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Stage(models.TextChoices):
    """Where a person is in the onboarding pipeline. Coordinators move them along."""

    APPLIED = "applied", _("Applied")
    INTERVIEW = "interview", _("Interview")
    CHECKS = "checks", _("References and DBS check")
    INDUCTION = "induction", _("Induction")
    ACTIVE = "active", _("Volunteering")
    PAUSED = "paused", _("Paused")


PIPELINE_STAGES = [Stage.APPLIED, Stage.INTERVIEW, Stage.CHECKS, Stage.INDUCTION]


class OnboardingQuerySet(models.QuerySet):
    def in_pipeline(self):
        return self.filter(stage__in=PIPELINE_STAGES)


class Onboarding(models.Model):
    """One person's way in: their application and the steps that follow it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="onboarding"
    )
    stage = models.CharField(max_length=12, choices=Stage.choices, default=Stage.APPLIED)
    roles_wanted = models.ManyToManyField(
        VolunteerRole, blank=True, related_name="+", verbose_name=_("roles you are interested in")
    )
    why = models.TextField(_("why you want to volunteer"))
    availability = models.JSONField(_("when you are usually free"), default=list, blank=True)
    lived_experience_to_use = models.TextField(
        _("lived experience you are willing to draw on"), blank=True
    )
    applied_on = models.DateField(default=timezone.localdate)
    interviewed_on = models.DateField(_("interviewed on"), null=True, blank=True)
    interviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    induction_completed_on = models.DateField(_("induction completed on"), null=True, blank=True)
    supervision_agreed_on = models.DateField(
        _("supervision agreement signed on"), null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = OnboardingQuerySet.as_manager()

    # The links that make a row this person's own in their data export; the others ("by" links)
    # are staff actions and must not put the record in the coordinator's export.
    personal_data_links = ("user",)

    class Meta:
        ordering = ["applied_on", "id"]

    def __str__(self) -> str:
        return f"Onboarding of {self.user}"


class Reference(models.Model):
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_references"
    )
    referee_name = models.CharField(_("referee's name"), max_length=120)
    relationship = models.CharField(_("how they know the volunteer"), max_length=120, blank=True)
    requested_on = models.DateField(default=timezone.localdate)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    satisfactory = models.BooleanField(_("satisfactory"), null=True, blank=True)

    # The links that make a row this person's own in their data export; the others ("by" links)
    # are staff actions and must not put the record in the coordinator's export.
    personal_data_links = ("volunteer",)

    class Meta:
        ordering = ["requested_on", "id"]

    def __str__(self) -> str:
        return f"Reference from {self.referee_name}"


class DBSCheck(models.Model):
    """A DBS (criminal record) certificate seen by a coordinator.

    ``has_disclosure`` says only that the certificate shows something; what it shows is never
    stored here. A disclosure is weighed in a ``RiskAssessment`` for a role, by a named coordinator.
    """

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dbs_checks"
    )
    level = models.CharField(
        _("level"), max_length=10, choices=DBSLevel.choices[1:], default=DBSLevel.ENHANCED
    )
    issued_on = models.DateField(_("issue date"))
    certificate_number = models.CharField(_("certificate number"), max_length=12)
    update_service = models.BooleanField(
        _("subscribed to the DBS update service"),
        default=False,
        help_text=_("The certificate can be checked online, so it stays valid longer."),
    )
    recheck_due = models.DateField(
        _("re-check due"), help_text=_("The check no longer counts from this day.")
    )
    has_disclosure = models.BooleanField(
        _("the certificate discloses something"),
        default=False,
        help_text=_("If it does, a coordinator writes a risk assessment for each role."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    # The links that make a row this person's own in their data export; the others ("by" links)
    # are staff actions and must not put the record in the coordinator's export.
    personal_data_links = ("volunteer",)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("DBS check")

    def __str__(self) -> str:
        return f"{self.get_level_display()} of {self.issued_on}"


class RiskDecision(models.TextChoices):
    APPROVED = "approved", _("Approved: can do this role")
    NOT_APPROVED = "not_approved", _("Not approved for this role")


class RiskAssessment(models.Model):
    """A fair-chance decision: can this person do this role, given what their check disclosed?

    Only ``assessor`` can read ``notes``; every reading is audited. Other people see only the
    decision, through clearance.
    """

    dbs_check = models.ForeignKey(
        DBSCheck, on_delete=models.CASCADE, related_name="risk_assessments"
    )
    role = models.ForeignKey(VolunteerRole, on_delete=models.CASCADE, related_name="+")
    # If the coordinator's account is deleted the decision stands, and nobody can read the notes.
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(_("decision"), max_length=14, choices=RiskDecision.choices)
    notes = models.TextField(
        _("assessment"),
        help_text=_(
            "What was disclosed and how it relates to this role, what support or limits are "
            "agreed. Only you can read this."
        ),
    )
    decided_on = models.DateField(default=timezone.localdate)

    # The organisation's safeguarding record, disclosed on request, not in the self-service export.
    personal_data_export = False

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["dbs_check", "role"], name="one_assessment_per_role")
        ]

    def __str__(self) -> str:
        return f"Risk assessment for {self.role}"


def certificate_path(instance: TrainingCompletion, filename: str) -> str:
    # The server chooses the name: services pass "certificate.<type>" after checking the content,
    # so nothing the person typed reaches the file system.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"volunteering/certificates/{instance.user_id}/{secrets.token_hex(16)}{suffix}"


class CertificateField(models.FileField):
    """A FileField whose plain value is the stored file's name.

    The my-data export (accounts.services) writes ``value_from_object`` as JSON, which a FieldFile
    is not.
    """

    def value_from_object(self, obj):
        stored = super().value_from_object(obj)
        return stored.name if stored else ""


class TrainingCompletionQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verified_at__isnull=False)

    def valid_on(self, on: date):
        return (
            self.verified()
            .filter(completed_on__lte=on)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gt=on))
        )


class TrainingCompletion(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_completions"
    )
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    certificate = CertificateField(
        upload_to=certificate_path, blank=True, storage=get_private_storage
    )
    certificate_type = models.CharField(max_length=40, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    # Training a volunteer adds themselves counts once a coordinator has seen the proof.
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    objects = TrainingCompletionQuerySet.as_manager()

    # The links that make a row this person's own in their data export; the others ("by" links)
    # are staff actions and must not put the record in the coordinator's export.
    personal_data_links = ("user",)

    class Meta:
        ordering = ["-completed_on", "-id"]
        indexes = [models.Index(fields=["expires_on"])]

    def __str__(self) -> str:
        return f"{self.course} on {self.completed_on}"


# --- Shifts -------------------------------------------------------------------------------------


class ShiftQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now())

    def between(self, start, end):
        return self.filter(starts_at__gte=start, starts_at__lt=end)

    def with_taken_places(self):
        return self.annotate(
            taken=models.Count("signups", filter=Q(signups__status=PlaceStatus.BOOKED)),
            waiting=models.Count("signups", filter=Q(signups__status=PlaceStatus.WAITING)),
        )


class Shift(models.Model):
    role = models.ForeignKey(
        VolunteerRole, on_delete=models.PROTECT, related_name="shifts", verbose_name=_("role")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=160)
    places = models.PositiveSmallIntegerField(_("number of places"))
    notes = models.TextField(_("notes"), blank=True)
    # Shifts made together as a weekly series share this; each week is its own shift.
    series = models.UUIDField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ShiftQuerySet.as_manager()

    personal_data_export = False  # the rota, not anyone's personal data

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_it_starts"
            ),
            models.CheckConstraint(condition=Q(places__gte=1), name="shift_has_a_place"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.role} on {local:%a %d %b %H:%M}"

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class ShiftSignup(Place):
    """A place on a shift, or a spot on its waiting list (``notifications.places``)."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="signups")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shift_signups"
    )

    holder_field = "shift"
    person_field = "volunteer"
    status_labels = {PlaceStatus.BOOKED: _("Signed up"), PlaceStatus.CANCELLED: _("Withdrawn")}

    # The links that make a row this person's own in their data export; the others ("by" links)
    # are staff actions and must not put the record in the coordinator's export.
    personal_data_links = ("volunteer",)

    class Meta(Place.Meta):
        constraints = [
            models.UniqueConstraint(fields=["shift", "volunteer"], name="one_signup_per_shift")
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} for {self.shift}: {self.status_label}"


# --- Hours --------------------------------------------------------------------------------------


class HoursStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class MonthOf(models.Func):
    """The first day of a date's month, in SQL both databases accept in a generated column.

    (Django's TruncMonth casts to a timestamp with time zone on PostgreSQL, which is neither
    allowed in a generated column nor cheap over a million rows.)
    """

    output_field = models.DateField()
    arity = 1

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(DATE_TRUNC('month', ({sql})::timestamp))::date", params

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, 'start of month')", params


class HoursEntryQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=HoursStatus.APPROVED)

    def pending(self):
        return self.filter(status=HoursStatus.PENDING)

    def counted(self):
        """Entries that stand: approved or still waiting (a rejected one can be logged again)."""
        return self.exclude(status=HoursStatus.REJECTED)


class HoursEntry(models.Model):
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hours_entries"
    )
    role = models.ForeignKey(
        VolunteerRole, on_delete=models.PROTECT, related_name="+", verbose_name=_("role")
    )
    shift = models.ForeignKey(
        Shift,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hours_entries",
        verbose_name=_("shift"),
    )
    worked_on = models.DateField(_("date"))
    # Kept by the database from worked_on, so reports group by month without computing it.
    month = models.GeneratedField(
        expression=MonthOf("worked_on"), output_field=models.DateField(), db_persist=True
    )
    minutes = models.PositiveIntegerField(_("minutes"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=HoursStatus.choices, default=HoursStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = HoursEntryQuerySet.as_manager()

    # The links that make a row this person's own in their data export; the others ("by" links)
    # are staff actions and must not put the record in the coordinator's export.
    personal_data_links = ("volunteer",)

    class Meta:
        ordering = ["-worked_on", "-id"]
        verbose_name_plural = _("hours entries")
        indexes = [
            # Reports sum approved hours by month; the trailing columns let the database answer
            # from the index alone (key columns rather than INCLUDE, which SQLite lacks).
            models.Index(
                fields=["status", "month", "volunteer", "role", "minutes"],
                name="hours_report_idx",
            ),
            models.Index(fields=["volunteer", "worked_on"], name="hours_volunteer_day_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__gte=1, minutes__lte=24 * 60), name="hours_within_a_day"
            ),
            models.UniqueConstraint(
                fields=["volunteer", "shift"],
                condition=Q(shift__isnull=False) & ~Q(status="rejected"),
                name="hours_once_per_shift",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours_label} on {self.worked_on}"

    @property
    def hours_label(self) -> str:
        hours, minutes = divmod(self.minutes, 60)
        return f"{hours}h {minutes:02d}m" if minutes else f"{hours}h"
