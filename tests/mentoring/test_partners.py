"""Partners and the gate, as the people involved notice it: a partner worker refers someone, the
person agrees first, the partner sees only the status, every disclosure is in the register, and
release day is planned."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, User
from accounts.organisations import PartnerWorker
from accounts.roles import Role
from mentoring import services as mentoring_services
from mentoring.choices import MeetingPlace, MeetingStatus, ReferralStatus
from mentoring.models import CheckIn, Meeting, MeetingNote, Referral, RiskNote
from mentoring.partners import services, sharing
from mentoring.partners.choices import (
    ConsentHow,
    ConsentState,
    Direction,
    DisclosureChannel,
    LawfulBasis,
)
from mentoring.partners.models import Disclosure, PartnerReferral
from notifications.models import Notification
from tests.factories import TEST_PASSWORD, person
from tests.mentoring.factories import cleared_mentor
from tests.mentoring.partner_factories import (
    in_days,
    organisation,
    partner_referral,
    partner_worker,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return organisation()


@pytest.fixture
def worker(org):
    return partner_worker(org)


@pytest.fixture
def other_worker(org):
    return partner_worker(org, display_name="Other Worker")


def referred(worker, **fields):
    return partner_referral(worker, **fields)


def agree_by_phone(referral, coordinator, email="chris@example.org"):
    return services.record_consent(
        referral=referral, by=coordinator, agreed=True, how=ConsentHow.PHONE, email=email
    )


# --- 1. Partner workers -------------------------------------------------------------------------


def test_coordinator_invites_a_partner_worker_who_sets_a_password_then_two_step_log_in(
    client, client_of, coordinator, org, django_capture_on_commit_callbacks
):
    page = reverse("mentoring:partners:organisation", args=[org.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(coordinator).post(
            page, {"invite": "1", "display_name": "Robin", "email": "Robin@Probation.example"}
        )
    assert response.status_code == 302
    robin = User.objects.get(email="robin@probation.example")
    assert robin.has_role(Role.PARTNER) and robin.is_staff_role
    assert not robin.has_usable_password()
    assert PartnerWorker.objects.get(user=robin).organisation == org
    [email] = [m for m in mail.outbox if m.to == ["robin@probation.example"]]
    assert "Northshire Probation" in email.subject
    link = re.search(r"(http://\S+/accounts/password/reset/key/\S+/)", email.body).group(1)
    assert link.startswith("http")  # absolute: it opens from a mail program
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    response = client.post(form_url, {"password1": TEST_PASSWORD, "password2": TEST_PASSWORD})
    assert response.status_code == 302
    robin.refresh_from_db()
    assert robin.has_usable_password()
    # A staff role: nothing opens until two-step log-in is set up.
    response = client_of(robin).get(reverse("accounts:today"))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_only_coordinators_invite_and_an_existing_address_is_refused(
    client_of, coordinator, mentee, org
):
    page = reverse("mentoring:partners:organisation", args=[org.pk])
    assert client_of(mentee).get(page).status_code == 404
    response = client_of(coordinator).post(
        page, {"invite": "1", "display_name": "Jay", "email": mentee.email}
    )
    assert response.status_code == 200
    assert "their own work account" in response.content.decode()


def test_partner_today_shows_refer_someone_and_your_referrals(client_of, worker):
    referred(worker)
    body = client_of(worker).get(reverse("accounts:today")).content.decode()
    assert "Refer someone" in body and "Your referrals" in body
    assert "Chris Person" in body
    assert "Waiting for the person" not in body  # statuses are on their own pages (register)


def test_your_referrals_shows_each_status_once_in_the_register_with_pinned_queries(
    client_of, worker, coordinator, django_assert_num_queries
):
    first = referred(worker, name="First")
    referred(worker, name="Second")
    client = client_of(worker)
    page = reverse("mentoring:partners:referrals")
    body = client.get(page).content.decode()
    assert body.count("Waiting for the person") == 2
    assert Disclosure.objects.filter(direction=Direction.TO_PARTNER).count() == 2
    agree_by_phone(first, coordinator)
    for _n in range(3):
        referred(worker, name="More")
    client.get(page)
    # Session, user, roles, authenticator app (4); the worker record: middleware, view and
    # service (3); the referrals (1); what was shown before (1); the service's savepoint (2);
    # unread notices in the header (1); the audit row (1) -- and nothing per referral.
    with django_assert_num_queries(13):
        client.get(page)


def test_every_page_a_partner_opens_is_audited(client_of, worker):
    client = client_of(worker)
    client.get(reverse("accounts:today"))
    client.get(reverse("mentoring:partners:referrals"))
    seen = AuditEvent.objects.filter(actor=worker, action="partner.viewed")
    assert [e.summary for e in seen.order_by("id")] == [
        "GET /me/",
        "GET /mentoring/partners/my-referrals/",
    ]


def test_a_partner_whose_access_ended_is_refused_at_the_next_request(
    client_of, coordinator, worker
):
    client = client_of(worker)
    assert client.get(reverse("mentoring:partners:refer")).status_code == 200
    record = PartnerWorker.objects.get(user=worker)
    client_of(coordinator).post(reverse("mentoring:partners:end_access", args=[record.pk]))
    response = client.get(reverse("mentoring:partners:refer"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    again = client.post(
        reverse("account_login"), {"login": worker.email, "password": TEST_PASSWORD}
    )
    assert again["Location"] == reverse("account_inactive")
    worker.refresh_from_db()
    assert not worker.is_active


def test_ending_access_closes_open_sockets(coordinator, worker, django_capture_on_commit_callbacks):
    import asyncio

    from asgiref.sync import async_to_sync, sync_to_async
    from channels.layers import get_channel_layer

    def end_access():
        with django_capture_on_commit_callbacks(execute=True):
            services.end_partner_access(by=coordinator, worker=worker.partner_worker)

    async def scenario():
        # One event loop throughout: the Redis pub/sub layer belongs to the loop that made it.
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(f"user.{worker.pk}", channel)
        await sync_to_async(end_access)()
        return await asyncio.wait_for(layer.receive(channel), timeout=5)

    assert async_to_sync(scenario)() == {"type": "session.ended"}


# --- 2. The partner's referral form, and what the partner sees ----------------------------------


def test_partner_refers_in_one_step_and_coordinators_are_told(
    client_of, worker, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(worker).post(
            reverse("mentoring:partners:refer"),
            {
                "name": "Chris Person",
                "contact_preference": "phone",
                "phone": "07700900123",
                "safe_contact": "No voicemail, please",
                "prison": "HMP Northshire",
                "release_date": in_days(12).isoformat(),
                "needs": ["housing"],
                "passed_on": ["contact", "prison"],
                "person_agreed": "on",
                "risk_information": "RISK-SENTINEL: not near the town centre",
            },
        )
    referral = PartnerReferral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:partners:status", args=[referral.pk])
    assert referral.consent == ConsentState.WAITING and referral.referral is None
    assert Notification.objects.filter(recipient=coordinator, kind="partners.new_referral").exists()
    status_page = client_of(worker).get(response["Location"]).content.decode()
    assert "Waiting for the person" in status_page
    assert "RISK-SENTINEL" not in status_page
    review = client_of(coordinator).get(reverse("mentoring:partners:review", args=[referral.pk]))
    assert "RISK-SENTINEL" in review.content.decode()
    assert AuditEvent.objects.filter(
        actor=coordinator, action="viewed", target_id=str(referral.pk)
    ).exists()


def test_a_referral_needs_the_persons_agreement_and_an_agreement_in_force(client_of):
    worker = partner_worker(organisation("No Agreement Housing", agreement=False))
    with pytest.raises(ValidationError, match="information-sharing agreement"):
        partner_referral(worker)
    with pytest.raises(ValidationError, match="ask the person first"):
        partner_referral(partner_worker(organisation("Other Probation")), person_agreed=False)
    assert not PartnerReferral.objects.exists()


def test_the_wrong_partner_cannot_see_another_partners_referral(client_of, worker, other_worker):
    referral = referred(worker)
    page = reverse("mentoring:partners:status", args=[referral.pk])
    assert client_of(other_worker).get(page).status_code == 404
    missing = reverse("mentoring:partners:status", args=[referral.pk + 100])
    assert client_of(worker).get(missing).status_code == 404  # missing looks the same
    assert client_of(worker).get(page).status_code == 200


def test_the_partner_sees_only_the_status_never_notes_meetings_or_the_persons_words(
    client_of, worker, coordinator, mentor
):
    secret = f"SENTINEL-{uuid.uuid4()}"
    referral = referred(worker, in_their_words=f"{secret} words")
    agree_by_phone(referral, coordinator)
    referral.refresh_from_db()
    person_ = referral.person
    cleared_mentor(mentor)
    match = mentoring_services.propose_match(
        referral=referral.referral, mentor=mentor, by=coordinator
    )
    mentoring_services.answer_proposal(match=match, by=mentor, accept=True)
    mentoring_services.agree_to_match(match=match, by=person_)
    meeting = Meeting.objects.create(
        match=match,
        starts_at=timezone.now() - timedelta(hours=2),
        place_kind=MeetingPlace.PRISON_GATE,
        place=f"{secret} gate",
        status=MeetingStatus.HELD,
    )
    MeetingNote.objects.create(meeting=meeting, notes=f"{secret} note", agreed_actions=secret)
    CheckIn.objects.create(mentee=person_, feeling=2, line=f"{secret} check-in")
    body = client_of(worker).get(reverse("mentoring:partners:status", args=[referral.pk]))
    text = body.content.decode()
    assert "First meeting held" in text
    assert secret not in text and mentor.display_name not in text
    # The person chooses one item: then that item, and only it, shows.
    services.set_share_back(referral=referral, by=person_, items=["mentor_name"])
    text = client_of(worker).get(reverse("mentoring:partners:status", args=[referral.pk]))
    assert mentor.display_name in text.content.decode()
    assert secret not in text.content.decode()


# --- 3. The person's consent comes first --------------------------------------------------------


def test_the_person_with_an_account_is_told_sees_who_referred_them_agrees_and_corrects(
    client_of, worker, coordinator, django_capture_on_commit_callbacks
):
    chris = person(display_name="Chris", email="chris@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        referral = referred(worker, email="chris@example.org", risk_information="Risky")
    assert Notification.objects.filter(recipient=chris, kind="partners.referred_you").exists()
    page = reverse("mentoring:partners:mine", args=[referral.pk])
    body = client_of(chris).get(page).content.decode()
    assert "Pat Probation at Northshire Probation referred you" in body
    assert "HMP Northshire" in body and "Risky" not in body
    assert not Referral.objects.filter(person=chris).exists()
    with django_capture_on_commit_callbacks(execute=True):
        client_of(chris).post(page, {"answer": "yes"})
    referral.refresh_from_db()
    assert referral.consent == ConsentState.AGREED and referral.consent_how == ConsentHow.ONLINE
    mentoring_referral = referral.referral
    assert mentoring_referral.referred_by == worker and mentoring_referral.person == chris
    assert chris.has_role(Role.MENTEE)
    assert RiskNote.objects.get(referral=mentoring_referral).body == "Risky"
    assert Notification.objects.filter(
        recipient=coordinator, kind="partners.person_agreed"
    ).exists()
    new_day = in_days(20)
    client_of(chris).post(
        page,
        {
            "correct": "1",
            "name": "Chris",
            "prison": "HMP Northshire",
            "release_date": new_day.isoformat(),
            "needs": ["work"],
        },
    )
    mentoring_referral.refresh_from_db()
    assert mentoring_referral.release_date == new_day and mentoring_referral.needs == ["work"]


def test_someone_else_cannot_open_or_answer_the_persons_referral(client_of, worker, mentee):
    referral = referred(worker)
    page = reverse("mentoring:partners:mine", args=[referral.pk])
    assert client_of(mentee).get(page).status_code == 404
    assert client_of(mentee).post(page, {"answer": "yes"}).status_code == 404
    assert client_of(worker).get(page).status_code == 404


def test_a_coordinator_records_consent_by_phone_and_the_person_is_told_they_have_an_account(
    client_of, worker, coordinator, django_capture_on_commit_callbacks
):
    referral = referred(worker)
    page = reverse("mentoring:partners:review", args=[referral.pk])
    response = client_of(coordinator).post(page, {"agreed": "yes", "email": "c@example.org"})
    assert response.status_code == 200  # how they spoke is required
    assert not User.objects.filter(email="c@example.org").exists()
    with django_capture_on_commit_callbacks(execute=True):
        client_of(coordinator).post(
            page, {"agreed": "yes", "how": "letter", "email": "c@example.org"}
        )
    chris = User.objects.get(email="c@example.org")
    assert chris.has_role(Role.MENTEE) and chris.display_name == "Chris Person"
    assert Notification.objects.filter(recipient=chris, kind="partners.account_ready").exists()
    referral.refresh_from_db()
    assert referral.consent_how == ConsentHow.LETTER and referral.consent_recorded_by == coordinator
    assert referral.referral.status == ReferralStatus.WAITING
    with pytest.raises(ValidationError):
        services.record_consent(referral=referral, by=coordinator, agreed=True, how="online")


def test_when_the_person_says_no_the_details_go_and_the_partner_sees_closed(
    client_of, worker, coordinator
):
    referral = referred(worker, risk_information="Risky", in_their_words="My words")
    services.record_consent(referral=referral, by=coordinator, agreed=False, how=ConsentHow.PHONE)
    referral.refresh_from_db()
    assert referral.risk_information == "" and referral.in_their_words == ""
    assert referral.referral is None
    body = client_of(worker).get(reverse("mentoring:partners:status", args=[referral.pk]))
    assert "Closed" in body.content.decode()


# --- 4. The information-sharing register --------------------------------------------------------


def test_the_referral_and_each_status_shown_are_disclosures_in_the_register(
    client_of, worker, coordinator, org
):
    referral = referred(worker)
    [incoming] = Disclosure.objects.all()
    assert incoming.direction == Direction.FROM_PARTNER and incoming.lawful_basis == "consent"
    assert incoming.agreement.organisation == org and incoming.partner_worker == worker
    page = reverse("mentoring:partners:status", args=[referral.pk])
    client_of(worker).get(page)
    client_of(worker).get(page)  # the same status seen again is not a new disclosure
    agree_by_phone(referral, coordinator)
    client_of(worker).get(page)
    shown = Disclosure.objects.filter(direction=Direction.TO_PARTNER).order_by("id")
    assert [d.what for d in shown] == [
        "The referral's status: Waiting for the person",
        "The referral's status: Received",
    ]
    referral.refresh_from_db()
    assert {d.person for d in Disclosure.objects.all()} == {referral.person}


def test_a_disclosure_without_a_lawful_basis_is_refused(client_of, coordinator, mentee, org):
    response = client_of(coordinator).post(
        reverse("mentoring:partners:disclosure_new"),
        {
            "person": mentee.email,
            "organisation": org.pk,
            "direction": "to_partner",
            "what": "Told probation the first meeting went well",
            "channel": "phone",
            "at": "2026-11-30T10:00",
            "lawful_basis": "",
        },
    )
    assert response.status_code == 200
    assert "Please choose the lawful basis" in response.content.decode()
    assert not Disclosure.objects.exists()
    with pytest.raises(ValidationError):
        sharing.write_disclosure(
            person=mentee,
            organisation=org,
            direction=Direction.TO_PARTNER,
            what="Anything",
            lawful_basis="",
            channel=DisclosureChannel.PHONE,
            recorded_by=coordinator,
        )


def test_a_coordinator_records_a_phone_call_and_the_person_sees_their_register(
    client_of, coordinator, mentee, org
):
    response = client_of(coordinator).post(
        reverse("mentoring:partners:disclosure_new"),
        {
            "person": mentee.email,
            "organisation": org.pk,
            "direction": "to_partner",
            "what": "that the first meeting went well",
            "channel": "phone",
            "at": "2026-11-30T10:00",
            "lawful_basis": LawfulBasis.CONSENT,
            "agreement": org.sharing_agreements.get().pk,
        },
    )
    assert response.status_code == 302
    body = client_of(mentee).get(reverse("accounts:my_data")).content.decode()
    assert "Who we shared your information with" in body
    assert "We told Northshire Probation" in body and "because you agreed" in body
    assert "information-sharing agreement" in body
    other = person(Role.MENTEE)
    assert "Northshire" not in client_of(other).get(reverse("accounts:my_data")).content.decode()


def test_the_safeguarding_lead_sees_the_whole_register_and_no_one_else_does(
    client_of, worker, safeguarding_lead, coordinator, mentee
):
    referred(worker)
    page = reverse("mentoring:partners:register")
    body = client_of(safeguarding_lead).get(page).content.decode()
    assert "Information-sharing register" in body and "Northshire Probation" in body
    for someone in (coordinator, mentee):
        assert client_of(someone).get(page).status_code == 404


# --- 6. Through the gate ------------------------------------------------------------------------


def test_coming_out_soon_lists_releases_in_the_next_28_days_with_the_checklist(
    client_of, worker, coordinator
):
    soon = referred(worker, name="Soon")
    agree_by_phone(soon, coordinator, email="soon@example.org")
    later = referred(worker, name="Later", release_date=in_days(40))
    agree_by_phone(later, coordinator, email="later@example.org")
    page = reverse("mentoring:partners:coming_out")
    body = client_of(coordinator).get(page).content.decode()
    assert "Soon" in body and "Later" not in body
    assert "Mentor matched before release" in body and "First week" in body
    soon.refresh_from_db()
    client_of(coordinator).post(
        reverse("mentoring:partners:gate_checklist", args=[soon.referral.pk]),
        {"contact_confirmed": "on"},
    )
    assert soon.referral.gate_checklist.contact_confirmed
    assert not soon.referral.gate_checklist.appointments_known
    assert client_of(worker).get(page).status_code == 404


def test_the_first_meeting_defaults_to_the_gate_on_release_day(
    client_of, worker, coordinator, mentor
):
    referral = referred(worker)
    agree_by_phone(referral, coordinator)
    referral.refresh_from_db()
    cleared_mentor(mentor)
    match = mentoring_services.propose_match(
        referral=referral.referral, mentor=mentor, by=coordinator
    )
    mentoring_services.answer_proposal(match=match, by=mentor, accept=True)
    mentoring_services.agree_to_match(match=match, by=referral.person)
    form = client_of(mentor).get(reverse("mentoring:meeting_new", args=[match.pk])).context["form"]
    assert form.initial["day"] == referral.release_date.isoformat()
    assert form.initial["place_kind"] == MeetingPlace.PRISON_GATE
    assert form.initial["place"] == "HMP Northshire"


# --- 7. Reports by kind of referring organisation -----------------------------------------------


def test_the_organisations_page_sends_coordinators_to_the_report_by_who_referred(
    client_of, coordinator
):
    """One count of referrals by kind of organisation, with small numbers hidden: the impact
    report's (tests/impact/test_referral_sources.py); the partners page links to it."""
    client = client_of(coordinator)
    page = client.get(reverse("mentoring:partners:organisations")).content.decode()
    link = reverse("impact:report") + "#grid-by_source"
    assert f'href="{link}"' in page
    report = client.get(reverse("impact:report")).content.decode()
    assert 'id="grid-by_source"' in report


def test_coordinators_today_counts_partner_referrals_waiting_and_gates_not_booked(
    client_of, worker, coordinator
):
    referred(worker, name="Waiting")
    booked = referred(worker, name="Agreed")
    agree_by_phone(booked, coordinator)
    body = client_of(coordinator).get(reverse("accounts:today"))
    items = {item.label: item.count for item in body.context["attention"]}
    assert items["Partner referrals waiting for the person"] == 1
    assert items["Coming out soon with no meeting at the gate"] == 1
