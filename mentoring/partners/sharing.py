"""The information-sharing register: every disclosure to or from a partner organisation, with
what, with whom, when, by whom, the lawful basis and the information-sharing agreement.

``write_disclosure`` is the only way a row is written; it refuses a disclosure without a lawful
basis. Product flows call it as they share; coordinators call ``record_disclosure`` after a call.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import User
from accounts.organisations import Organisation
from mentoring.partners.choices import Direction, DisclosureChannel, LawfulBasis
from mentoring.partners.models import Disclosure, PartnerReferral, SharingAgreement
from mentoring.permissions import is_coordinator


def write_disclosure(
    *,
    person: User | None,
    organisation: Organisation,
    direction: str,
    what: str,
    lawful_basis: str,
    channel: str,
    recorded_by: User | None,
    agreement: SharingAgreement | None = None,
    partner_referral: PartnerReferral | None = None,
    partner_worker: User | None = None,
    at: datetime | None = None,
    key: str = "",
) -> Disclosure:
    """The one way a disclosure is written. No lawful basis, no disclosure."""
    if lawful_basis not in LawfulBasis.values:
        raise ValidationError(
            {
                "lawful_basis": _(
                    "Please choose the lawful basis for sharing this. Without one it cannot "
                    "be shared or recorded."
                )
            }
        )
    what = (what or "").strip()
    if not what:
        raise ValidationError({"what": _("Please say what was shared.")})
    if direction not in Direction.values:
        raise ValidationError({"direction": _("Choose who shared it with whom.")})
    if channel not in DisclosureChannel.values:
        raise ValidationError({"channel": _("Choose how it was shared.")})
    if agreement is not None and agreement.organisation_id != organisation.pk:
        raise ValidationError(
            {"agreement": _("That information-sharing agreement is with another organisation.")}
        )
    return Disclosure.objects.create(
        person=person,
        organisation=organisation,
        direction=direction,
        what=what[:300],
        lawful_basis=lawful_basis,
        channel=channel,
        recorded_by=recorded_by,
        agreement=agreement,
        partner_referral=partner_referral,
        partner_worker=partner_worker,
        at=at or timezone.now(),
        key=key,
    )


@transaction.atomic
def record_disclosure(
    *,
    by: User,
    person: User,
    organisation: Organisation,
    direction: str,
    what: str,
    lawful_basis: str,
    channel: str,
    at: datetime | None = None,
    agreement: SharingAgreement | None = None,
) -> Disclosure:
    """A coordinator records a disclosure made outside Alongside (a phone call, an e-mail)."""
    if not is_coordinator(by):
        raise PermissionDenied
    if at is not None and at > timezone.now():
        raise ValidationError({"at": _("A disclosure cannot be in the future.")})
    disclosure = write_disclosure(
        person=person,
        organisation=organisation,
        direction=direction,
        what=what,
        lawful_basis=lawful_basis,
        channel=channel,
        recorded_by=by,
        agreement=agreement,
        at=at,
    )
    audit.record(actor=by, action="disclosure.recorded", target=disclosure, subject=person)
    return disclosure
