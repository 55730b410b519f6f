"""Partner organisations (probation, prisons, drug and alcohol services, housing) and the people
who work for them on Alongside.

They live in ``accounts`` because several apps use them: mentoring takes referrals from partner
workers, and the cms directory of local services can list the same organisations.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    PROBATION = "probation", _("Probation")
    PRISON = "prison", _("Prison (resettlement team)")
    DRUG_ALCOHOL = "drug_alcohol", _("Drug and alcohol service")
    HOUSING = "housing", _("Housing")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    contact_name = models.CharField(_("contact's name"), max_length=80, blank=True)
    contact_email = models.EmailField(_("contact's e-mail address"), blank=True)
    contact_phone = models.CharField(_("contact's phone number"), max_length=30, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # The organisation's own record, not a person's.
    personal_data_export = False

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class PartnerWorkerQuerySet(models.QuerySet):
    def current(self):
        return self.filter(access_ended_at__isnull=True)


class PartnerWorker(models.Model):
    """A person who works for a partner organisation. Their access can be ended at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_worker"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="workers")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    access_ended_at = models.DateTimeField(null=True, blank=True)
    access_ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    personal_data_links = ["user"]
    objects = PartnerWorkerQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "user"]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"

    @property
    def has_access(self) -> bool:
        return self.access_ended_at is None
