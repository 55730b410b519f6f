from django.db import models
from django.utils.translation import gettext_lazy as _


class PartnerStatus(models.TextChoices):
    """What a partner worker sees of a referral they made, and nothing more."""

    WAITING_FOR_PERSON = "waiting_for_person", _("Waiting for the person")
    RECEIVED = "received", _("Received")
    MATCHED = "matched", _("Matched")
    FIRST_MEETING_HELD = "first_meeting_held", _("First meeting held")
    CLOSED = "closed", _("Closed")


PARTNER_STATUS_HELP = {
    PartnerStatus.WAITING_FOR_PERSON: _(
        "We are asking the person whether they want a mentor. Nothing happens until they agree."
    ),
    PartnerStatus.RECEIVED: _("The person agreed. We are finding them a mentor."),
    PartnerStatus.MATCHED: _("The person has a peer mentor."),
    PartnerStatus.FIRST_MEETING_HELD: _("The person has met their mentor."),
    PartnerStatus.CLOSED: _("This referral is closed."),
}


class ConsentState(models.TextChoices):
    WAITING = "waiting", _("Waiting for the person")
    AGREED = "agreed", _("Agreed")
    DECLINED = "declined", _("Said no")


class ConsentHow(models.TextChoices):
    ONLINE = "online", _("On Alongside, themselves")
    PHONE = "phone", _("By phone, with a coordinator")
    IN_PERSON = "in_person", _("In person, with a coordinator")
    LETTER = "letter", _("By letter")


# How a coordinator may record that they spoke with the person.
COORDINATOR_CONSENT_HOW = [
    (ConsentHow.PHONE.value, ConsentHow.PHONE.label),
    (ConsentHow.IN_PERSON.value, ConsentHow.IN_PERSON.label),
    (ConsentHow.LETTER.value, ConsentHow.LETTER.label),
]


class PassedOn(models.TextChoices):
    """What the person agreed the partner worker may pass on to Alongside."""

    CONTACT = "contact", _("How to reach them")
    PRISON = "prison", _("Their prison and release date")
    NEEDS = "needs", _("What they want help with")


class ShareBack(models.TextChoices):
    """Items the person may agree, one by one, that their referrer is told (besides the status)."""

    MENTOR_NAME = "mentor_name", _("My mentor's chosen name")
    NEXT_MEETING = "next_meeting", _("The day of my next meeting with my mentor")


class Direction(models.TextChoices):
    FROM_PARTNER = "from_partner", _("From the partner to Alongside")
    TO_PARTNER = "to_partner", _("From Alongside to the partner")


class LawfulBasis(models.TextChoices):
    """The lawful basis under UK GDPR (the UK General Data Protection Regulation), article 6."""

    CONSENT = "consent", _("The person agreed (consent)")
    PUBLIC_TASK = "public_task", _("A public task of the partner, such as probation supervision")
    LEGITIMATE_INTERESTS = (
        "legitimate_interests",
        _("Legitimate interests: needed to support the person, weighed against their privacy"),
    )
    VITAL_INTERESTS = "vital_interests", _("To protect someone's life (vital interests)")
    LEGAL_OBLIGATION = "legal_obligation", _("The law requires it (legal obligation)")


LAWFUL_BASIS_PLAIN = {
    LawfulBasis.CONSENT: _("because you agreed"),
    LawfulBasis.PUBLIC_TASK: _("because it is part of their public job"),
    LawfulBasis.LEGITIMATE_INTERESTS: _("because it was needed to support you"),
    LawfulBasis.VITAL_INTERESTS: _("to keep someone safe from serious harm"),
    LawfulBasis.LEGAL_OBLIGATION: _("because the law required it"),
}


class DisclosureChannel(models.TextChoices):
    PRODUCT = "product", _("Through Alongside")
    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    MEETING = "meeting", _("Meeting")
    LETTER = "letter", _("Letter")
