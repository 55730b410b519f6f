"""Demo partners: a probation service with an information-sharing agreement, the demo partner
worker in it, and one referral waiting for the person (idempotent)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.organisations import Organisation, OrganisationKind, PartnerWorker
from accounts.roles import Role
from mentoring.choices import ContactPreference
from mentoring.partners.choices import Direction, DisclosureChannel, LawfulBasis
from mentoring.partners.models import PartnerReferral, SharingAgreement
from mentoring.partners.selectors import current_agreement
from mentoring.partners.sharing import write_disclosure


def seed(personas: dict, stdout) -> None:
    worker = personas.get(Role.PARTNER)
    if worker is None:
        return
    organisation, _created = Organisation.objects.get_or_create(
        name="Northshire Probation Service",
        defaults={"kind": OrganisationKind.PROBATION, "contact_name": "Team manager"},
    )
    SharingAgreement.objects.get_or_create(
        organisation=organisation,
        title="Northshire probation and Alongside information-sharing agreement",
        defaults={"starts_on": timezone.localdate() - timedelta(days=90), "reference": "ISA-01"},
    )
    PartnerWorker.objects.get_or_create(user=worker, defaults={"organisation": organisation})
    if not PartnerReferral.objects.filter(worker=worker).exists():
        referral = PartnerReferral.objects.create(
            organisation=organisation,
            worker=worker,
            name="Lee",
            contact_preference=ContactPreference.IN_PERSON,
            safe_contact="Through the resettlement team on the wing",
            prison="HMP Northshire",
            release_date=timezone.localdate() + timedelta(days=14),
            needs=["housing", "recovery"],
            passed_on=["prison", "needs"],
        )
        write_disclosure(  # as the product does: the referral is a disclosure from the partner
            person=None,
            organisation=organisation,
            direction=Direction.FROM_PARTNER,
            what="A referral for a peer mentor: name, prison and release date, needs",
            lawful_basis=LawfulBasis.CONSENT,
            channel=DisclosureChannel.PRODUCT,
            recorded_by=worker,
            agreement=current_agreement(organisation),
            partner_referral=referral,
            partner_worker=worker,
            key="referral",
        )
    stdout.write("Partners: a probation service, its worker Pat, and a referral waiting.\n")
