"""Partner actions: organisations and their workers, referrals from partners, the person's
consent, corrections, the information-sharing register and release-day planning.

Each function authorises (object-level), validates, changes state in one transaction, audits and
notifies after commit. PermissionDenied becomes a 404 in the views; ValidationError a plain message.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

import notifications
from accounts import audit
from accounts.models import User
from accounts.organisations import Organisation, OrganisationKind, PartnerWorker
from accounts.roles import Role
from accounts.services import end_all_sessions, set_password_link
from accounts.services import new_account as _new_account
from mentoring import services as mentoring_services
from mentoring.choices import ContactPreference, Need
from mentoring.models import Referral, RiskNote
from mentoring.partners.choices import (
    COORDINATOR_CONSENT_HOW,
    ConsentHow,
    ConsentState,
    Direction,
    DisclosureChannel,
    LawfulBasis,
    PartnerStatus,
    PassedOn,
    ShareBack,
)
from mentoring.partners.models import Disclosure, GateChecklist, PartnerReferral, SharingAgreement
from mentoring.partners.selectors import (
    coordinators,
    current_agreement,
    current_worker,
    partner_status,
)
from mentoring.partners.sharing import write_disclosure
from mentoring.permissions import is_coordinator


def _require_coordinator(by: User) -> None:
    if not is_coordinator(by):
        raise PermissionDenied


# --- Organisations and partner workers ----------------------------------------------------------


@transaction.atomic
def add_organisation(
    *,
    by: User,
    name: str,
    kind: str,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
) -> Organisation:
    _require_coordinator(by)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Please give the organisation's name.")})
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": _("Choose what kind of organisation it is.")})
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("There is already an organisation with this name.")})
    organisation = Organisation.objects.create(
        name=name[:120],
        kind=kind,
        contact_name=contact_name.strip()[:80],
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip()[:30],
    )
    audit.record(actor=by, action="organisation.added", target=organisation)
    return organisation


@transaction.atomic
def add_agreement(
    *,
    by: User,
    organisation: Organisation,
    title: str,
    starts_on: date,
    reference: str = "",
    ends_on: date | None = None,
) -> SharingAgreement:
    """Record an information-sharing agreement signed with ``organisation``."""
    _require_coordinator(by)
    if not (title or "").strip():
        raise ValidationError({"title": _("Please give the agreement's title.")})
    if ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    agreement = SharingAgreement.objects.create(
        organisation=organisation,
        title=title.strip()[:120],
        reference=(reference or "").strip()[:60],
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by=by,
    )
    audit.record(actor=by, action="sharing_agreement.added", target=agreement)
    return agreement


@transaction.atomic
def invite_partner_worker(
    *, by: User, organisation: Organisation, email: str, display_name: str
) -> PartnerWorker:
    """Make an account for a worker at ``organisation`` and e-mail them a link to choose a
    password. They must then set up two-step log-in, like every staff role."""
    _require_coordinator(by)
    email = (email or "").strip().lower()
    display_name = (display_name or "").strip()
    if not email:
        raise ValidationError({"email": _("Please give their work e-mail address.")})
    if not display_name:
        raise ValidationError({"display_name": _("Please give the name they go by.")})
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "Someone already has an account with this e-mail address. A partner "
                    "worker needs their own work account: please use their work address."
                )
            }
        )
    user = _new_account(email=email, display_name=display_name, role=Role.PARTNER)
    worker = PartnerWorker.objects.create(user=user, organisation=organisation, invited_by=by)
    # A work mailbox: the invitation's words (and its link) must be in the e-mail itself.
    prefs = notifications_prefs(user)
    prefs.show_details = True
    prefs.save(update_fields=["show_details", "updated_at"])
    audit.record(actor=by, action="partner.invited", target=worker, subject=user)
    notifications.notify(
        to=user,
        kind="partners.invitation",
        key=f"invitation:{worker.pk}",
        context={
            "url": reverse("accounts:today"),
            "organisation": organisation.name,
            "invited_by": by.display_name,
            "set_password_link": set_password_link(user),
        },
    )
    return worker


def notifications_prefs(user: User):
    from notifications.services import preferences_of

    return preferences_of(user)


@transaction.atomic
def end_partner_access(*, by: User, worker: PartnerWorker) -> PartnerWorker:
    """End a partner worker's access at once: the account stops, every session and socket ends.
    Their referrals stay (the people in them are ours to look after)."""
    _require_coordinator(by)
    worker = PartnerWorker.objects.select_for_update().select_related("user").get(pk=worker.pk)
    if worker.access_ended_at is not None:
        return worker
    worker.access_ended_at = timezone.now()
    worker.access_ended_by = by
    worker.save(update_fields=["access_ended_at", "access_ended_by"])
    user = worker.user
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.groups.remove(*Group.objects.filter(name=Role.PARTNER))
    user.forget_roles()
    end_all_sessions(user=user)
    audit.record(actor=by, action="partner.access_ended", target=worker, subject=user)
    return worker


def _referral_words(referral: PartnerReferral) -> str:
    parts = [_("name")]
    if referral.email or referral.phone or referral.safe_contact:
        parts.append(_("how to reach them"))
    if referral.prison or referral.release_date:
        parts.append(_("prison and release date"))
    if referral.needs or referral.in_their_words:
        parts.append(_("what they want help with"))
    if referral.risk_information:
        parts.append(_("risk information (coordinators only)"))
    return _("A referral for a peer mentor: %(parts)s") % {"parts": ", ".join(parts)}


# --- Referrals from partners --------------------------------------------------------------------


@transaction.atomic
def refer_from_partner(
    *,
    by: User,
    name: str,
    contact_preference: str,
    person_agreed: bool,
    email: str = "",
    phone: str = "",
    safe_contact: str = "",
    prison: str = "",
    release_date: date | None = None,
    needs: list[str] | None = None,
    in_their_words: str = "",
    passed_on: list[str] | None = None,
    risk_information: str = "",
) -> PartnerReferral:
    """A partner worker refers someone. Preconditions: ``by`` is a partner worker whose access
    has not ended; the person agreed the worker passes this on; their organisation has an
    information-sharing agreement in force. The referral waits for the person to agree."""
    worker = current_worker(by)
    if worker is None:
        raise PermissionDenied
    name = (name or "").strip()
    needs = list(needs or [])
    passed_on = list(passed_on or [])
    if not name:
        raise ValidationError({"name": _("Please give the person's name.")})
    if not person_agreed:
        raise ValidationError(
            {
                "person_agreed": _(
                    "Please ask the person first. We can only take a referral they agreed to."
                )
            }
        )
    if contact_preference not in ContactPreference.values:
        raise ValidationError({"contact_preference": _("Choose the best way to reach them.")})
    if contact_preference in (ContactPreference.PHONE, ContactPreference.TEXT) and not phone:
        raise ValidationError({"phone": _("Please give a phone number to call or text.")})
    if contact_preference == ContactPreference.EMAIL and not email:
        raise ValidationError({"email": _("Please give an e-mail address.")})
    if any(need not in Need.values for need in needs) or any(
        item not in PassedOn.values for item in passed_on
    ):
        raise ValidationError(_("Choose from the list."))
    agreement = current_agreement(worker.organisation)
    if agreement is None:
        raise ValidationError(
            _(
                "Your organisation has no information-sharing agreement with us in force, so "
                "we cannot take referrals yet. Please ask your manager to contact us."
            )
        )
    email = (email or "").strip().lower()
    # The partner is never told whether the person has an account; we link it quietly.
    person = (
        User.objects.filter(email__iexact=email, is_active=True)
        .exclude(groups__name=Role.PARTNER)
        .first()
        if email
        else None
    )
    referral = PartnerReferral.objects.create(
        organisation=worker.organisation,
        worker=by,
        person=person,
        name=name[:80],
        email=email,
        phone=(phone or "").strip()[:30],
        contact_preference=contact_preference,
        safe_contact=(safe_contact or "").strip()[:300],
        prison=(prison or "").strip()[:120],
        release_date=release_date,
        needs=needs,
        in_their_words=(in_their_words or "").strip()[:500],
        passed_on=passed_on,
        risk_information=(risk_information or "").strip()[:5000],
    )
    write_disclosure(
        person=person,
        organisation=worker.organisation,
        direction=Direction.FROM_PARTNER,
        what=_referral_words(referral),
        lawful_basis=LawfulBasis.CONSENT,
        channel=DisclosureChannel.PRODUCT,
        recorded_by=by,
        agreement=agreement,
        partner_referral=referral,
        partner_worker=by,
        key="referral",
    )
    audit.record(actor=by, action="partner_referral.made", target=referral, subject=person)
    notifications.notify(
        to=coordinators(),
        kind="partners.new_referral",
        key=f"partner_referral:{referral.pk}",
        context={
            "url": reverse("mentoring:partners:review", args=[referral.pk]),
            "organisation": worker.organisation.name,
        },
    )
    if person is not None:
        _tell_person(referral, person)
    return referral


def _tell_person(referral: PartnerReferral, person: User) -> None:
    notifications.notify(
        to=person,
        kind="partners.referred_you",
        key=f"partner_referral:{referral.pk}",
        context={
            "url": reverse("mentoring:partners:mine", args=[referral.pk]),
            "organisation": referral.organisation.name,
        },
    )


def _locked_referral(referral: PartnerReferral) -> PartnerReferral:
    return PartnerReferral.objects.select_for_update().get(pk=referral.pk)


@transaction.atomic
def record_consent(
    *,
    referral: PartnerReferral,
    by: User,
    agreed: bool,
    how: str,
    email: str = "",
) -> PartnerReferral:
    """The person says yes or no to being referred: themselves on Alongside (``how`` online),
    or a coordinator who spoke with them (phone, in person, letter). On yes the person gets a
    mentoring referral (and an account, with a link to choose a password, if they had none);
    on no the details are erased and the referral closes."""
    referral = _locked_referral(referral)
    if by.pk and referral.person_id == by.pk:
        if how != ConsentHow.ONLINE:
            raise ValidationError(_("Choose how the person agreed."))
    else:
        _require_coordinator(by)
        if how not in dict(COORDINATOR_CONSENT_HOW):
            raise ValidationError({"how": _("Choose how you spoke with them.")})
    if referral.consent != ConsentState.WAITING:
        raise ValidationError(_("This referral has already been answered."))
    referral.consent_how = how
    referral.consent_at = timezone.now()
    referral.consent_recorded_by = by
    if not agreed:
        referral.consent = ConsentState.DECLINED
        referral.closed_at = referral.consent_at
        # Said no: keep only what shows the partner it is closed.
        referral.risk_information = referral.in_their_words = referral.safe_contact = ""
        referral.phone, referral.needs = "", []
        referral.save()
        audit.record(actor=by, action="partner_referral.declined", target=referral)
        return referral
    person = referral.person
    made_account = False
    if person is None:
        email = (email or referral.email or "").strip().lower()
        if not email:
            raise ValidationError(
                {"email": _("Please give the person's e-mail address, so they can log in.")}
            )
        person = User.objects.filter(email__iexact=email).first()
        if person is not None and (not person.is_active or person.has_role(Role.PARTNER)):
            raise ValidationError({"email": _("This e-mail address cannot be used.")})
        if person is None:
            person = _new_account(email=email, display_name=referral.name, role=Role.MENTEE)
            made_account = True
        elif not person.has_role(Role.MENTEE):
            person.groups.add(Group.objects.get_or_create(name=Role.MENTEE)[0])
            person.forget_roles()
        referral.person = person
    elif not person.has_role(Role.MENTEE):
        person.groups.add(Group.objects.get_or_create(name=Role.MENTEE)[0])
        person.forget_roles()
    # Refer as the person (they agreed) or the coordinator; the partner is the referrer on record.
    mentoring_referral = mentoring_services.refer(
        person=person,
        by=by,
        contact_preference=referral.contact_preference,
        needs=referral.needs,
        prison=referral.prison,
        release_date=referral.release_date,
    )
    Referral.objects.filter(pk=mentoring_referral.pk).update(referred_by=referral.worker)
    if referral.risk_information:
        RiskNote.objects.create(
            referral=mentoring_referral, written_by=referral.worker, body=referral.risk_information
        )
        referral.risk_information = ""
    referral.referral = mentoring_referral
    referral.consent = ConsentState.AGREED
    referral.save()
    Disclosure.objects.filter(partner_referral=referral, person__isnull=True).update(person=person)
    audit.record(actor=by, action="partner_referral.agreed", target=referral, subject=person)
    if made_account:
        notifications.notify(
            to=person,
            kind="partners.account_ready",
            key=f"account:{referral.pk}",
            context={
                "url": reverse("mentoring:partners:mine", args=[referral.pk]),
                "organisation": referral.organisation.name,
            },
        )
    else:
        _tell_person(referral, person)
    if by.pk == person.pk:
        notifications.notify(
            to=coordinators(),
            kind="partners.person_agreed",
            key=f"agreed:{referral.pk}",
            context={"url": reverse("mentoring:partners:review", args=[referral.pk])},
        )
    return referral


CORRECTABLE = {"name", "phone", "safe_contact", "prison", "release_date", "needs", "in_their_words"}


@transaction.atomic
def correct_referral(*, referral: PartnerReferral, by: User, **fields) -> PartnerReferral:
    """The person corrects what their referrer passed on. Only the person it is about."""
    referral = _locked_referral(referral)
    if referral.person_id != by.pk:
        raise PermissionDenied
    unknown = set(fields) - CORRECTABLE
    if unknown:
        raise ValueError(f"Not correctable: {sorted(unknown)}")
    if any(need not in Need.values for need in fields.get("needs", [])):
        raise ValidationError(_("Choose from the list."))
    if "name" in fields and not (fields["name"] or "").strip():
        raise ValidationError({"name": _("Please give your name.")})
    for name, value in fields.items():
        setattr(referral, name, value.strip() if isinstance(value, str) else value)
    referral.save()
    if referral.referral_id:
        Referral.objects.filter(pk=referral.referral_id).update(
            needs=referral.needs, prison=referral.prison, release_date=referral.release_date
        )
    audit.record(actor=by, action="partner_referral.corrected", target=referral, subject=by)
    return referral


@transaction.atomic
def set_share_back(*, referral: PartnerReferral, by: User, items: list[str]) -> PartnerReferral:
    """The person chooses items (besides the status) that their referrer may see."""
    referral = _locked_referral(referral)
    if referral.person_id != by.pk:
        raise PermissionDenied
    if any(item not in ShareBack.values for item in items):
        raise ValidationError(_("Choose from the list."))
    referral.share_back = sorted(set(items))
    referral.save(update_fields=["share_back"])
    audit.record(
        actor=by,
        action="partner_referral.share_back",
        target=referral,
        subject=by,
        summary=",".join(referral.share_back),
    )
    return referral


@transaction.atomic
def show_to_partner(*, referral: PartnerReferral, by: User) -> dict:
    """What the referring worker may see now: the status, and the items the person chose. Each
    thing shown is written to the register once (a disclosure to the partner)."""
    worker = current_worker(by)
    if worker is None or referral.worker_id != by.pk:
        raise PermissionDenied
    from mentoring.partners.selectors import shared_items_for_partner

    status = partner_status(referral)
    items = shared_items_for_partner(referral)
    agreement = current_agreement(referral.organisation)
    shown = [("status", str(status), _status_words(status))]
    for item in items:
        shown.append((item["name"], item["value"], f"{item['label']}: {item['value']}"))
    for name, value, words in shown:
        key = f"shown:{name}:{value}"[:80]
        if not Disclosure.objects.filter(partner_referral=referral, key=key).exists():
            write_disclosure(
                person=referral.person,
                organisation=referral.organisation,
                direction=Direction.TO_PARTNER,
                what=words,
                lawful_basis=LawfulBasis.CONSENT,
                channel=DisclosureChannel.PRODUCT,
                recorded_by=None,
                agreement=agreement,
                partner_referral=referral,
                partner_worker=by,
                key=key,
            )
    return {"status": status, "items": items}


def _status_words(status: PartnerStatus) -> str:
    return _("The referral's status: %(s)s") % {"s": status.label}


@transaction.atomic
def show_statuses_to_partner(*, by: User) -> list[tuple[PartnerReferral, PartnerStatus]]:
    """The worker's referrals with their statuses, each status written to the register once.

    Queries: the worker (1), the referrals (1), what was shown before (1); then, only when
    something new is shown, the agreement (1) and one insert per new status.
    """
    worker = current_worker(by)
    if worker is None:
        raise PermissionDenied
    from mentoring.partners.selectors import referrals_by_worker

    rows = [(referral, partner_status(referral)) for referral in referrals_by_worker(by)]
    seen = set(
        Disclosure.objects.filter(
            partner_referral__worker=by, key__startswith="shown:status:"
        ).values_list("partner_referral_id", "key")
    )
    agreement = None
    for referral, status in rows:
        key = f"shown:status:{status}"
        if (referral.pk, key) in seen:
            continue
        agreement = agreement or current_agreement(worker.organisation)
        write_disclosure(
            person=referral.person,
            organisation=referral.organisation,
            direction=Direction.TO_PARTNER,
            what=_status_words(status),
            lawful_basis=LawfulBasis.CONSENT,
            channel=DisclosureChannel.PRODUCT,
            recorded_by=None,
            agreement=agreement,
            partner_referral=referral,
            partner_worker=by,
            key=key,
        )
    return rows


# --- Through the gate ---------------------------------------------------------------------------


@transaction.atomic
def tick_gate_checklist(
    *, referral: Referral, by: User, contact_confirmed: bool, appointments_known: bool
) -> GateChecklist:
    _require_coordinator(by)
    if referral.release_date is None:
        raise ValidationError(_("This referral has no release date."))
    checklist, _created = GateChecklist.objects.get_or_create(referral=referral)
    checklist.contact_confirmed = contact_confirmed
    checklist.appointments_known = appointments_known
    checklist.updated_by = by
    checklist.save()
    audit.record(
        actor=by, action="gate_checklist.changed", target=checklist, subject=referral.person
    )
    return checklist
