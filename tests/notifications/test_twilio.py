"""Texts through Twilio's own library, against a fake Twilio on loopback; delivery reports that
only Twilio can sign."""

import base64
import datetime as dt

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from twilio.request_validator import RequestValidator

from notifications import notify
from notifications.kinds import SMS
from notifications.models import Delivery, DeliveryStatus
from notifications.services import preferences_of
from notifications.sms import SMSError
from notifications.sms import twilio as twilio_backend
from tests.factories import person
from tests.notifications.fakes import form, http_service

pytestmark = pytest.mark.django_db

SID = "AC" + "0" * 32
TOKEN = "test-auth-token"
STATUS_URL = "https://alongside.example.org/me/notifications/sms/status/"


@pytest.fixture
def twilio_settings(settings, monkeypatch):
    settings.SITE_URL = "https://alongside.example.org"
    settings.SMS_BACKEND = "notifications.sms.twilio.Backend"
    settings.TWILIO_ACCOUNT_SID = SID
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG" + "1" * 32
    settings.TWILIO_FROM_NUMBER = ""
    return settings


def accept(path, headers, body):
    return 201, {"sid": "SM" + "a" * 32, "status": "queued", "to": form(body)["To"]}


def texting(user, phone="+447400123456"):
    prefs = preferences_of(user)
    prefs.phone, prefs.phone_confirmed_at = phone, timezone.now()
    prefs.default_channels = [SMS]
    prefs.quiet_start, prefs.quiet_end = dt.time(23, 59), dt.time(0, 0)
    prefs.save()


def tell(user, key="k1"):
    return notify(
        to=user,
        kind="tests.any_channel",
        key=key,
        context={"url": "/me/", "sender_name": "Sam", "text": "Running late"},
    )


def test_a_notice_goes_through_twilio_with_a_status_callback(
    twilio_settings, monkeypatch, django_capture_on_commit_callbacks
):
    someone = person()
    texting(someone)
    with http_service(accept) as (url, received):
        monkeypatch.setattr(twilio_backend.Backend, "api_base_url", url)
        with django_capture_on_commit_callbacks(execute=True):
            [notification] = tell(someone)
    [(path, headers, body)] = received
    assert path == f"/2010-04-01/Accounts/{SID}/Messages.json"
    assert (
        headers["Authorization"] == "Basic " + base64.b64encode(f"{SID}:{TOKEN}".encode()).decode()
    )
    sent = form(body)
    assert sent["To"] == "+447400123456"
    assert sent["MessagingServiceSid"] == twilio_settings.TWILIO_MESSAGING_SERVICE_SID
    assert sent["StatusCallback"] == STATUS_URL
    assert sent["Body"].startswith(
        "Alongside: you have a new message. https://alongside.example.org/"
    )
    delivery = Delivery.objects.get(notification=notification, channel=SMS)
    assert delivery.status == DeliveryStatus.SENT and delivery.provider_ref == "SM" + "a" * 32


def test_a_from_number_is_used_without_a_messaging_service(twilio_settings, monkeypatch):
    twilio_settings.TWILIO_MESSAGING_SERVICE_SID = ""
    twilio_settings.TWILIO_FROM_NUMBER = "+447400000001"
    with http_service(accept) as (url, received):
        monkeypatch.setattr(twilio_backend.Backend, "api_base_url", url)
        twilio_backend.Backend().send(to="+447400123456", body="Hello")
    sent = form(received[0][2])
    assert sent["From"] == "+447400000001" and "MessagingServiceSid" not in sent
    assert "StatusCallback" not in sent


def test_twilio_refusing_a_text_falls_back_to_email(
    twilio_settings, monkeypatch, django_capture_on_commit_callbacks
):
    def refuse(path, headers, body):
        return 400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}

    someone = person()
    texting(someone)
    with http_service(refuse) as (url, _received):
        monkeypatch.setattr(twilio_backend.Backend, "api_base_url", url)
        with pytest.raises(SMSError, match="21211"):
            twilio_backend.Backend().send(to="+447400123456", body="Hello")
        with django_capture_on_commit_callbacks(execute=True):
            [notification] = tell(someone)
    statuses = dict(notification.deliveries.values_list("channel", "status"))
    assert statuses == {SMS: DeliveryStatus.FAILED, "email": DeliveryStatus.SENT}
    assert len(mail.outbox) == 1


def test_twilio_out_of_reach_is_an_sms_error(twilio_settings, monkeypatch):
    with http_service(accept) as (url, _received):
        pass  # stopped: nothing listens on that port any more
    monkeypatch.setattr(twilio_backend.Backend, "api_base_url", url)
    with pytest.raises(SMSError, match="Could not reach Twilio"):
        twilio_backend.Backend().send(to="+447400123456", body="Hello")


def signed_post(path, params, token=TOKEN):
    signature = RequestValidator(token).compute_signature(
        f"https://alongside.example.org{path}", params
    )
    return Client().post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)


def sent_text(user):
    [notification] = tell(user)
    delivery = Delivery.objects.create(
        notification=notification,
        channel=SMS,
        status=DeliveryStatus.SENT,
        provider_ref="SM" + "b" * 32,
    )
    return notification, delivery


def test_a_delivery_report_marks_the_text_delivered(twilio_settings):
    someone = person()
    _notification, delivery = sent_text(someone)
    path = "/me/notifications/sms/status/"
    params = {"MessageSid": delivery.provider_ref, "MessageStatus": "delivered"}
    assert signed_post(path, params).status_code == 204
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    # A late "sent" report never undoes "delivered".
    signed_post(path, {"MessageSid": delivery.provider_ref, "MessageStatus": "sent"})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED


def test_an_undelivered_text_falls_back_to_email_once(twilio_settings):
    someone = person()
    _notification, delivery = sent_text(someone)
    params = {
        "MessageSid": delivery.provider_ref,
        "MessageStatus": "undelivered",
        "ErrorCode": "30003",
    }
    signed_post("/me/notifications/sms/status/", params)
    signed_post("/me/notifications/sms/status/", params)  # Twilio retries
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "30003" in delivery.error
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("signature", [None, "forged", "wrong token"])
def test_an_unsigned_or_forged_report_is_refused_and_changes_nothing(twilio_settings, signature):
    someone = person()
    _notification, delivery = sent_text(someone)
    path = "/me/notifications/sms/status/"
    params = {"MessageSid": delivery.provider_ref, "MessageStatus": "failed"}
    if signature == "wrong token":
        response = signed_post(path, params, token="someone-elses-token")
    elif signature == "forged":
        response = Client().post(path, params, HTTP_X_TWILIO_SIGNATURE="bm90IGEgc2lnbmF0dXJl")
    else:
        response = Client().post(path, params)
    assert response.status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and mail.outbox == []


def test_a_signature_for_another_address_is_refused(twilio_settings):
    someone = person()
    _notification, delivery = sent_text(someone)
    params = {"MessageSid": delivery.provider_ref, "MessageStatus": "failed"}
    signature = RequestValidator(TOKEN).compute_signature(
        "https://elsewhere.example.org/me/notifications/sms/status/", params
    )
    response = Client().post(
        "/me/notifications/sms/status/", params, HTTP_X_TWILIO_SIGNATURE=signature
    )
    assert response.status_code == 403


def test_without_an_auth_token_every_report_is_refused(twilio_settings):
    someone = person()
    _notification, delivery = sent_text(someone)
    params = {"MessageSid": delivery.provider_ref, "MessageStatus": "failed"}
    twilio_settings.TWILIO_AUTH_TOKEN = ""
    assert signed_post("/me/notifications/sms/status/", params, token="").status_code == 403
