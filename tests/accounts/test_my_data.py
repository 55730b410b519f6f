"""My data: a person downloads only their own data; deleting an account leaves nothing behind."""

import json

import pytest
from allauth.usersessions.models import UserSession
from django.apps import apps
from django.db import models
from django.urls import reverse

from accounts import services
from accounts.models import AuditEvent, ConsentPurpose, User
from safeguarding.services import raise_concern
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_cannot_download_anything(client):
    response = client.get(reverse("accounts:my_data_download"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_download_holds_my_data_and_nobody_elses(client_of, mentee, mentor):
    services.give_consent(user=mentee, purpose=ConsentPurpose.LIVED_EXPERIENCE)
    services.update_profile(user=mentee, by=mentee, area="Leeds", lived_experience=["prison"])
    services.update_profile(user=mentor, by=mentor, area="SENTINEL-mentor-area")

    response = client_of(mentee).get(reverse("accounts:my_data_download"))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data["account"]["email"] == mentee.email
    assert data["accounts.Profile"][0]["area"] == "Leeds"
    assert data["accounts.Profile"][0]["lived_experience"] == ["prison"]
    assert data["accounts.ConsentRecord"][0]["purpose"] == "lived_experience"
    body = response.content.decode()
    assert mentor.email not in body
    assert "SENTINEL-mentor-area" not in body


def test_there_is_no_way_to_ask_for_someone_elses_data(client_of, mentee, mentor):
    # The download URL takes no id: whatever is asked, it answers with the requester's own data.
    response = client_of(mentee).get(reverse("accounts:my_data_download") + f"?user={mentor.pk}")
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


def test_export_covers_every_model_that_points_at_a_person():
    exported = {model for model, _links in services._personal_models()}
    for model, field in _models_pointing_at_users():
        if getattr(model, "personal_data_export", True):
            assert model in exported, f"{model._meta.label}.{field.name} is not in My data"


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


def test_delete_needs_the_word_delete_and_changes_nothing_otherwise(client_of, mentee):
    response = client_of(mentee).post(reverse("accounts:delete_account"), {"confirm": "yes"})
    assert response.status_code == 400
    assert "Type the word DELETE" in response.content.decode()
    assert User.objects.filter(pk=mentee.pk).exists()


def test_a_coordinators_download_holds_their_records_not_the_people_they_decided_for(
    client_of, coordinator, mentee
):
    # A consent record is the mentee's; a role granted *by* the coordinator is not in the
    # coordinator's download (the audit trail is the organisation's record).
    services.give_consent(user=mentee, purpose=ConsentPurpose.LIVED_EXPERIENCE)
    services.grant_role(user=mentee, role="volunteer", by=coordinator)
    body = client_of(coordinator).get(reverse("accounts:my_data_download")).content.decode()
    assert mentee.email not in body
    assert "lived_experience" not in body


def test_log_in_secrets_are_never_in_the_download(client_of, coordinator):
    data = json.loads(client_of(coordinator).get(reverse("accounts:my_data_download")).content)
    assert data["mfa.Authenticator"][0]["type"] == "totp"
    assert "data" not in data["mfa.Authenticator"][0]
