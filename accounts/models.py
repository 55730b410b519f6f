from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.inputs import NAME_REFUSED, has_unsafe_characters
from accounts.roles import STAFF_ROLES, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person. They log in by e-mail and choose the name others see."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(
        _("name others see"),
        max_length=60,
        help_text=_("A first name or a nickname is fine."),
    )
    pronouns = models.CharField(_("pronouns"), max_length=30, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    objects = UserManager()

    class Meta:
        ordering = ["display_name", "id"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        # Every form that edits a person (the Django admin's too) refuses unsafe characters.
        super().clean()
        for name in ("display_name", "pronouns"):
            if has_unsafe_characters(getattr(self, name) or ""):
                raise ValidationError({name: NAME_REFUSED})

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name

    @cached_property
    def roles(self) -> frozenset[str]:
        """The person's roles, read once per request (one query)."""
        if not self.pk or not self.is_active:
            return frozenset()
        names = self.groups.filter(name__in=Role.values).values_list("name", flat=True)
        return frozenset(names)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_staff_role(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    def forget_roles(self) -> None:
        self.__dict__.pop("roles", None)


class LivedExperience(models.TextChoices):
    PRISON = "prison", _("Prison")
    YOUTH_CUSTODY = "youth_custody", _("Youth custody")
    PROBATION = "probation", _("Probation")
    RESIDENTIAL_REHAB = "residential_rehab", _("Residential rehab")
    COMMUNITY_TREATMENT = "community_treatment", _("Community drug or alcohol treatment")
    ALCOHOL = "alcohol", _("Alcohol")
    DRUGS = "drugs", _("Drugs")
    HOMELESSNESS = "homelessness", _("Homelessness")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    DOMESTIC_ABUSE = "domestic_abuse", _("Domestic abuse")
    FAMILY_SEPARATION = "family_separation", _("Time apart from children or family")
    CARE_LEAVER = "care_leaver", _("Growing up in care")
    GAMBLING = "gambling", _("Gambling")


DAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]
PARTS_OF_DAY = [
    ("morning", _("mornings")),
    ("afternoon", _("afternoons")),
    ("evening", _("evenings")),
]
AVAILABILITY_SLOTS = [
    (f"{day}-{part}", f"{day_label} {part_label}")
    for day, day_label in DAYS
    for part, part_label in PARTS_OF_DAY
]


class Profile(models.Model):
    """What a person tells us about themselves to be matched and supported well.

    ``lived_experience`` is special-category data: it is stored only while the person's consent
    for that purpose is on record (accounts.services.update_profile enforces it, and withdrawing
    the consent erases it).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    area = models.CharField(
        _("area"), max_length=80, blank=True, help_text=_("Town or part of town.")
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    lived_experience = models.JSONField(_("lived experience"), default=list, blank=True)
    availability = models.JSONField(_("when you are usually free"), default=list, blank=True)
    accessibility_needs = models.TextField(_("anything that helps you take part"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def clean(self) -> None:
        valid = set(LivedExperience.values)
        if any(theme not in valid for theme in self.lived_experience):
            raise ValidationError({"lived_experience": _("Choose from the list.")})
        slots = {key for key, _label in AVAILABILITY_SLOTS}
        if any(slot not in slots for slot in self.availability):
            raise ValidationError({"availability": _("Choose from the list.")})


class ConsentPurpose(models.TextChoices):
    LIVED_EXPERIENCE = (
        "lived_experience",
        _("Keep my lived experience to find the right people for me"),
    )
    EMAIL_UPDATES = "email_updates", _("Send me e-mail about events and news")
    OUTCOMES = "outcomes", _("Keep my answers about how things are going")


# The wording a person agreed to, by version. A new version needs new consent.
CONSENT_WORDING = {
    ConsentPurpose.LIVED_EXPERIENCE: (
        "2026-11",
        _(
            "I agree that Alongside keeps the parts of my story I tick below, so coordinators "
            "can introduce me to people who have been through similar things. Only coordinators "
            "and the matching see them. I can take this back at any time and they are deleted."
        ),
    ),
    ConsentPurpose.EMAIL_UPDATES: (
        "2026-11",
        _("I agree to get e-mail about events and news. I can stop it at any time."),
    ),
    ConsentPurpose.OUTCOMES: (
        "2026-12",
        _(
            "I agree that Alongside keeps my answers about how things are going (like home, "
            "money and health), so I can see what changes. I choose what my mentor sees. "
            "Coordinators see them to support me, and reports only show totals of 5 or more "
            "people. I can take this back at any time."
        ),
    ),
}


class ConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class ConsentRecord(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(max_length=40, choices=ConsentPurpose.choices)
    wording_version = models.CharField(max_length=20)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.wording_version})"


class AuditEvent(models.Model):
    """Who viewed or changed what, and about whom.

    Rows outlive the people in them: when an account is deleted its links here are cleared, and the
    event itself is kept so the organisation can still show what was done.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=60, db_index=True)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events_about",
        help_text="The person the record is about, if any.",
    )
    summary = models.CharField(max_length=200, blank=True)

    # The audit trail is the organisation's record, not the person's profile.
    personal_data_export = False

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


# Partner organisations and their workers live in their own module; imported so Django sees them.
from accounts.organisations import Organisation, PartnerWorker  # noqa: E402, F401
