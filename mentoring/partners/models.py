"""Partner referrals, information-sharing agreements, the register of disclosures, and the
release-day checklist."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.organisations import Organisation
from mentoring.choices import ContactPreference, Need
from mentoring.partners.choices import (
    ConsentHow,
    ConsentState,
    Direction,
    DisclosureChannel,
    LawfulBasis,
    PassedOn,
)

User = settings.AUTH_USER_MODEL


class PartnerReferral(models.Model):
    """A referral from a partner worker. It waits for the person: only when they agree (on
    Alongside, or with a coordinator by phone, in person or by letter) does it become a mentoring
    ``Referral``. ``risk_information`` is for coordinators only; on agreement it becomes a
    ``RiskNote``."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="partner_referrals_made"
    )
    # The person, once we know their account (linked by e-mail, or made when they agree).
    person = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_referrals_about",
    )
    referral = models.OneToOneField(
        "mentoring.Referral",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partner_referral",
    )
    name = models.CharField(_("their name"), max_length=80)
    email = models.EmailField(_("their e-mail address"), blank=True)
    phone = models.CharField(_("their phone number"), max_length=30, blank=True)
    contact_preference = models.CharField(
        _("best way to reach them"), max_length=20, choices=ContactPreference.choices
    )
    safe_contact = models.CharField(_("how to reach them safely"), max_length=300, blank=True)
    prison = models.CharField(_("prison"), max_length=120, blank=True)
    release_date = models.DateField(_("release date"), null=True, blank=True)
    needs = models.JSONField(_("wants help with"), default=list, blank=True)
    in_their_words = models.CharField(
        _("what they want help with, in their words"), max_length=500, blank=True
    )
    passed_on = models.JSONField(_("what they agreed to share"), default=list, blank=True)
    risk_information = models.TextField(_("risk information (coordinators only)"), blank=True)
    consent = models.CharField(
        max_length=20, choices=ConsentState.choices, default=ConsentState.WAITING
    )
    consent_how = models.CharField(max_length=20, choices=ConsentHow.choices, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Items the person agreed their referrer may see besides the status (ShareBack values).
    share_back = models.JSONField(default=list, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # Holds the partner's risk information: like RiskNote, the organisation's record, disclosed
    # on request. The person sees what was passed on, and can correct it, on their own page.
    personal_data_export = False

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Partner referral #{self.pk}"

    def get_needs_display(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels.get(need, need)) for need in self.needs]

    def get_passed_on_display(self) -> list[str]:
        labels = dict(PassedOn.choices)
        return [str(labels.get(item, item)) for item in self.passed_on]


class SharingAgreement(models.Model):
    """An information-sharing agreement with a partner organisation: the document both sides
    signed that says what is shared, why and how."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sharing_agreements"
    )
    title = models.CharField(_("title"), max_length=120)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")

    personal_data_export = False

    class Meta:
        ordering = ["organisation", "-starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"


class Disclosure(models.Model):
    """One entry in the information-sharing register: personal information about ``person``
    that went to or came from a partner organisation. Never written without a lawful basis."""

    person = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="disclosures"
    )
    partner_referral = models.ForeignKey(
        PartnerReferral,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disclosures",
    )
    direction = models.CharField(max_length=20, choices=Direction.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    partner_worker = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    what = models.CharField(_("what was shared"), max_length=300)
    lawful_basis = models.CharField(_("lawful basis"), max_length=30, choices=LawfulBasis.choices)
    agreement = models.ForeignKey(
        SharingAgreement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=20, choices=DisclosureChannel.choices)
    recorded_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    # Names an automatic disclosure (a status shown to a partner) so it is written once.
    key = models.CharField(max_length=80, blank=True)

    personal_data_links = ["person"]

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner_referral", "key"],
                condition=~models.Q(key=""),
                name="one_automatic_disclosure_per_key",
            ),
            models.CheckConstraint(
                condition=~models.Q(lawful_basis=""), name="disclosure_has_a_lawful_basis"
            ),
        ]

    def __str__(self) -> str:
        return f"Disclosure #{self.pk}"


class GateChecklist(models.Model):
    """Release-day planning for a referral with a release date. Matching and the gate meeting
    are read from the match itself; these two are ticked by a coordinator."""

    referral = models.OneToOneField(
        "mentoring.Referral", on_delete=models.CASCADE, related_name="gate_checklist"
    )
    contact_confirmed = models.BooleanField(_("phone or contact route confirmed"), default=False)
    appointments_known = models.BooleanField(_("first week's appointments known"), default=False)
    updated_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    personal_data_export = False

    def __str__(self) -> str:
        return f"Gate checklist for referral #{self.referral_id}"


class MentorIntro(models.Model):
    """A few lines a peer mentor writes about themselves, shown to a mentee choosing a mentor
    (with their chosen name; never a photo)."""

    mentor = models.OneToOneField(User, on_delete=models.CASCADE, related_name="mentor_intro")
    words = models.CharField(_("about me, in my own words"), max_length=400)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Intro of {self.mentor}"


class ShortlistAnswer(models.TextChoices):
    WAITING = "waiting", _("Waiting for the mentee")
    PICKED = "picked", _("The mentee chose a mentor")
    SOMEONE_ELSE = "someone_else", _("The mentee asked for someone else")
    COORDINATOR = "coordinator", _("The mentee asked the coordinator to choose")


class Shortlist(models.Model):
    """Two or three mentors a coordinator offers a mentee to choose from."""

    referral = models.ForeignKey(
        "mentoring.Referral", on_delete=models.CASCADE, related_name="shortlists"
    )
    mentors = models.ManyToManyField(User, related_name="+")
    offered_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    offered_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(
        max_length=20, choices=ShortlistAnswer.choices, default=ShortlistAnswer.WAITING
    )
    chosen = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    match = models.ForeignKey(
        "mentoring.Match", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    overdue_told_at = models.DateTimeField(null=True, blank=True)
    # The mentors the mentee would like asked, in their order: the one they chose first, then
    # who to ask next if that one does not answer in time. ``picks_closed``: they said that after
    # those, a coordinator should choose.
    picks = models.JSONField(default=list, blank=True)
    picks_closed = models.BooleanField(default=False)

    personal_data_export = False

    class Meta:
        ordering = ["-offered_at", "-id"]

    def __str__(self) -> str:
        return f"Shortlist #{self.pk}"


class NamedWorkerState(models.TextChoices):
    WAITING = "waiting", _("Waiting for your OK")
    AGREED = "agreed", _("You said yes")
    DECLINED = "declined", _("You said no")


class NamedWorker(models.Model):
    """A named worker at a local service on the mentee's "My people", added by her mentor. Shown
    as one of her people only once she agrees; gone with the service when it is removed."""

    service = models.ForeignKey(
        "mentoring.SuggestedService", on_delete=models.CASCADE, related_name="workers"
    )
    name = models.CharField(_("their name"), max_length=80)
    role = models.CharField(_("what they do there"), max_length=80)
    how_to_reach = models.CharField(_("how to reach them"), max_length=200)
    state = models.CharField(
        max_length=20, choices=NamedWorkerState.choices, default=NamedWorkerState.WAITING
    )
    suggested_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Named worker #{self.pk}"
