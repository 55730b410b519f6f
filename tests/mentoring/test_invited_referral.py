"""A coordinator refers someone who has no account yet: the account, the referral, its risk note
and the invitation are one action; the person chooses a password from the e-mailed link, logs in
and finds the referral on Today."""

import re
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from mentoring import services
from mentoring.models import Referral, RiskNote
from notifications import sms
from notifications.models import Notification
from tests.factories import person

pytestmark = pytest.mark.django_db

KEY_LINK = re.compile(r"(https?://\S+/accounts/password/reset/key/\S+/)")


@pytest.fixture(autouse=True)
def _empty_text_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def _refer_new(client, **extra):
    data = {
        "email": "Kim.New@Example.org",
        "display_name": "Kim",
        "contact_preference": "email",
        "needs": ["housing"],
        "risk": "SENTINEL-risk words",
        **extra,
    }
    return client.post(reverse("mentoring:referral_new"), data)


def test_a_new_person_gets_an_account_a_referral_and_an_invitation_that_lets_them_in(
    client_of, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://alongside.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        response = _refer_new(client_of(coordinator))
    kim = User.objects.get(email="kim.new@example.org")
    referral = Referral.objects.get(person=kim)
    assert response["Location"] == reverse("mentoring:suggestions", args=[referral.pk])
    assert kim.display_name == "Kim" and kim.has_role(Role.MENTEE)
    assert not kim.has_usable_password()
    assert RiskNote.objects.get(referral=referral).body == "SENTINEL-risk words"

    [invitation] = [m for m in mail.outbox if "password/reset/key" in m.body]
    assert invitation.to == ["kim.new@example.org"]
    assert invitation.subject == "Alongside: Your Alongside account is ready"
    assert "ask for a code" in invitation.body  # they may log in by an e-mailed code instead
    assert "SENTINEL" not in invitation.body
    link = KEY_LINK.search(invitation.body).group(1)
    assert link.startswith("https://alongside.example.org/accounts/password/reset/key/")

    # Kim opens the link (no log-in needed), chooses a password, then logs in with it.
    browser = Client()
    opened = browser.get(link.removeprefix("https://alongside.example.org"), follow=True)
    assert 'name="password1"' in opened.content.decode()
    form_url = opened.redirect_chain[-1][0]
    chosen = "a long way home 2026"
    browser.post(form_url, {"password1": chosen, "password2": chosen})
    kim.refresh_from_db()
    assert kim.has_usable_password()
    logged_in = browser.post(
        reverse("account_login"), {"login": "kim.new@example.org", "password": chosen}
    )
    assert logged_in["Location"] == reverse("accounts:today")
    today = browser.get(reverse("accounts:today")).content.decode()
    assert "You have been put forward for a mentor" in today
    assert "We are looking for the right mentor for you" in today


def test_the_invitation_goes_by_e_mail_even_when_they_want_texts(
    client_of, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _refer_new(client_of(coordinator), contact_preference="text", phone="07911 123456")
    kim = User.objects.get(email="kim.new@example.org")
    invitations = [m for m in mail.outbox if "password/reset/key" in m.body]
    assert [m.to for m in invitations] == [[kim.email]]
    # The rest follows what they asked for: a text to check the number, nothing else by e-mail.
    assert len(mail.outbox) == 1 and [t.to for t in sms.outbox] == ["+447911123456"]


def test_an_unknown_address_without_a_name_is_a_plain_message_and_changes_nothing(
    client_of, coordinator
):
    response = _refer_new(client_of(coordinator), display_name="")
    assert response.status_code == 200
    assert "Give the name they go by" in response.content.decode()
    assert not User.objects.filter(email="kim.new@example.org").exists()
    assert not Referral.objects.exists()


def test_a_closed_account_cannot_be_referred(client_of, coordinator):
    gone = person(display_name="Gone", email="gone@example.org")
    User.objects.filter(pk=gone.pk).update(is_active=False)
    response = _refer_new(client_of(coordinator), email="gone@example.org")
    assert "This e-mail address cannot be used" in response.content.decode()
    assert not Referral.objects.exists()


def test_an_existing_person_is_referred_without_a_new_account_or_an_invitation(
    coordinator, mentee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.refer(
            email=mentee.email.upper(), by=coordinator, contact_preference="email"
        )
    assert referral.person == mentee
    assert not Notification.objects.filter(kind="mentoring.invited").exists()


def test_only_a_coordinator_refers_by_e_mail_address(mentee):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.refer(email="kim@example.org", display_name="Kim", by=mentee)
    assert not User.objects.filter(email="kim@example.org").exists()


def test_a_failing_risk_note_leaves_no_account_no_referral_and_sends_nothing(
    client_of, coordinator, django_capture_on_commit_callbacks
):
    """One action, one transaction: the account, the referral and its risk note, or none."""
    client = client_of(coordinator)
    client.raise_request_exception = False
    with (
        mock.patch(
            "mentoring.services.referrals.add_risk_note", side_effect=RuntimeError("disk full")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _refer_new(client)
    assert response.status_code == 500
    assert not User.objects.filter(email="kim.new@example.org").exists()
    assert not Referral.objects.exists() and not RiskNote.objects.exists()
    assert not Notification.objects.exists() and mail.outbox == []
