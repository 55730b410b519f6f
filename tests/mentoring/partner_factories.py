"""Partner organisations, their workers and their referrals, for tests."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from accounts.organisations import Organisation, OrganisationKind, PartnerWorker
from accounts.roles import Role
from mentoring.choices import ContactPreference
from mentoring.partners import services
from mentoring.partners.models import SharingAgreement
from tests.factories import person


def organisation(name="Northshire Probation", kind=OrganisationKind.PROBATION, agreement=True):
    org = Organisation.objects.create(name=name, kind=kind, contact_name="Pat Manager")
    if agreement:
        SharingAgreement.objects.create(
            organisation=org,
            title=f"{name} information-sharing agreement",
            starts_on=timezone.localdate() - timedelta(days=30),
        )
    return org


def partner_worker(org=None, **fields):
    org = org or organisation()
    fields.setdefault("display_name", "Pat Probation")
    user = person(Role.PARTNER, **fields)
    PartnerWorker.objects.create(user=user, organisation=org)
    return user


def partner_referral(worker, **fields):
    fields.setdefault("name", "Chris Person")
    fields.setdefault("contact_preference", ContactPreference.PHONE)
    fields.setdefault("phone", "07700900123")
    fields.setdefault("person_agreed", True)
    fields.setdefault("prison", "HMP Northshire")
    fields.setdefault("release_date", timezone.localdate() + timedelta(days=10))
    fields.setdefault("needs", ["housing", "recovery"])
    return services.refer_from_partner(by=worker, **fields)


def in_days(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)
