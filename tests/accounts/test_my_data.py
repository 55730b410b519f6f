"""My data: a person downloads only their own data; deleting an account leaves nothing behind."""

import json
import re

import pytest
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.core import mail
from django.db import models
from django.urls import reverse

from accounts import services
from accounts.models import AuditEvent, ConsentPurpose, User
from safeguarding.services import raise_concern
from tests.factories import TEST_PASSWORD, person

pytestmark = pytest.mark.django_db


def confirmed(client, user=None):
    """A client that has just given its password again (allauth's reauthentication)."""
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return client


@pytest.fixture
def confirmed_client_of(client_of):
    return lambda user: confirmed(client_of(user))


def test_anonymous_cannot_download_anything(client):
    response = client.get(reverse("accounts:my_data_download"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_download_holds_my_data_and_nobody_elses(confirmed_client_of, mentee, mentor):
    services.give_consent(user=mentee, purpose=ConsentPurpose.LIVED_EXPERIENCE)
    services.update_profile(user=mentee, by=mentee, area="Leeds", lived_experience=["prison"])
    services.update_profile(user=mentor, by=mentor, area="SENTINEL-mentor-area")

    response = confirmed_client_of(mentee).get(reverse("accounts:my_data_download"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["email"] == mentee.email
    assert data["profile"][0]["area"] == "Leeds"
    assert data["profile"][0]["lived_experience"] == ["prison"]
    assert data["consents"][0]["purpose"] == "lived_experience"
    body = response.content.decode()
    assert mentor.email not in body
    assert "SENTINEL-mentor-area" not in body


def test_there_is_no_way_to_ask_for_someone_elses_data(confirmed_client_of, mentee, mentor):
    # The download URL takes no id: whatever is asked, it answers with the requester's own data.
    response = confirmed_client_of(mentee).get(
        reverse("accounts:my_data_download") + f"?user={mentor.pk}"
    )
    assert mentor.email not in response.content.decode()


def _models_pointing_at_users():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                isinstance(field, models.ForeignKey | models.OneToOneField)
                and field.related_model is User
                and field.concrete
            ):
                yield model, field


def test_download_and_delete_first_ask_for_the_password(client_of, mentee):
    client = client_of(mentee)

    response = client.get(reverse("accounts:my_data_download"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(reverse("accounts:delete_account"), {"confirm": "DELETE"})
    assert response.status_code == 302
    assert User.objects.filter(pk=mentee.pk).exists()

    wrong = client.post(reverse("account_reauthenticate"), {"password": "not it"})
    assert wrong.status_code == 200
    assert client.get(reverse("accounts:my_data_download")).status_code == 302

    confirmed(client)
    response = client.get(reverse("accounts:my_data_download"))
    assert response.status_code == 200
    assert json.loads(response.content)["account"]["email"] == mentee.email


def test_someone_who_logs_in_by_code_needs_a_fresh_code(client, client_of):
    codey = person("mentee", email="codey@example.org")
    codey.set_unusable_password()
    codey.save()
    stale = client_of(codey)

    response = stale.get(reverse("accounts:my_data_download"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_request_login_code"))
    assert stale.get(reverse("accounts:today")).status_code == 302  # logged out

    client.post(reverse("account_request_login_code"), {"email": codey.email})
    code = re.search(r"^\s*([A-Z0-9-]{6,})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    response = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert response.status_code == 302
    response = client.get(reverse("accounts:my_data_download"))
    assert response.status_code == 200
    assert json.loads(response.content)["account"]["email"] == codey.email


def test_deleting_my_account_leaves_no_row_pointing_at_me(client, mentee, safeguarding_lead):
    services.give_consent(user=mentee, purpose=ConsentPurpose.LIVED_EXPERIENCE)
    services.update_profile(user=mentee, by=mentee, area="Hull", lived_experience=["prison"])
    concern = raise_concern(raised_by=safeguarding_lead, subject=mentee, summary="Worried")
    response = client.post(
        reverse("account_login"), {"login": mentee.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert UserSession.objects.filter(user=mentee).exists()
    pk = mentee.pk

    response = client.post(reverse("accounts:delete_account"), {"confirm": "DELETE"})
    # Asked for the password first; giving it carries on with the deletion.
    assert response.status_code == 302
    assert User.objects.filter(pk=pk).exists()
    response = client.post(response["Location"], {"password": TEST_PASSWORD}, follow=False)

    assert response.status_code == 200
    assert not User.objects.filter(pk=pk).exists()
    for model, field in _models_pointing_at_users():
        assert not model._default_manager.filter(**{field.attname: pk}).exists(), (
            f"{model._meta.label}.{field.name} still points at the deleted person"
        )
    # The organisation's records stay, without the link.
    concern.refresh_from_db()
    assert concern.subject is None and concern.subject_label
    assert AuditEvent.objects.filter(action="account.deleted").exists()
    assert client.get(reverse("accounts:today")).status_code == 302


def test_delete_needs_the_word_delete_and_changes_nothing_otherwise(confirmed_client_of, mentee):
    response = confirmed_client_of(mentee).post(
        reverse("accounts:delete_account"), {"confirm": "yes"}
    )
    assert response.status_code == 400
    assert "Type the word DELETE" in response.content.decode()
    assert User.objects.filter(pk=mentee.pk).exists()


def test_a_coordinators_download_holds_their_records_not_the_people_they_decided_for(
    confirmed_client_of, coordinator, mentee
):
    # A consent record is the mentee's; a role granted *by* the coordinator is not in the
    # coordinator's download (the audit trail is the organisation's record).
    services.give_consent(user=mentee, purpose=ConsentPurpose.LIVED_EXPERIENCE)
    services.grant_role(user=mentee, role="volunteer", by=coordinator)
    body = (
        confirmed_client_of(coordinator).get(reverse("accounts:my_data_download")).content.decode()
    )
    assert mentee.email not in body
    assert "lived_experience" not in body


def test_log_in_secrets_are_never_in_the_download(confirmed_client_of, coordinator):
    client = confirmed_client_of(coordinator)
    data = json.loads(client.get(reverse("accounts:my_data_download")).content)
    assert data["two_step_log_in"][0]["type"] == "totp"
    assert "data" not in data["two_step_log_in"][0]
    session_key = client.cookies["sessionid"].value
    assert session_key not in json.dumps(data)
