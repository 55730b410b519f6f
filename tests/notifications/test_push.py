"""Phone notifications (web push): a button on the preferences page (only with VAPID keys, only
with JavaScript), a CSRF-protected subscribe endpoint, and real encrypted pushes to a fake push
service on loopback; a push service that says the subscription is gone removes it."""

import base64
import datetime as dt
import json
import os

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from py_vapid import Vapid

from accounts.models import AuditEvent
from notifications import notify
from notifications.kinds import EMAIL, PUSH
from notifications.models import Delivery, DeliveryStatus, PushSubscription
from notifications.services import preferences_of
from tests.factories import person
from tests.notifications.fakes import http_service

pytestmark = pytest.mark.django_db

PAGE = "/me/notifications/preferences/"
ENDPOINT = "/me/notifications/preferences/push/"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture
def vapid(settings):
    key = Vapid()
    key.generate_keys()
    private = key.private_key.private_numbers().private_value.to_bytes(32, "big")
    public = key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    settings.VAPID_PRIVATE_KEY = b64url(private)
    settings.VAPID_PUBLIC_KEY = b64url(public)
    settings.VAPID_SUBJECT = "mailto:hello@alongside.example.org"
    return settings


def browser_keys():
    """What a browser makes when it subscribes: a P-256 key pair and a 16-byte secret."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return private, b64url(public), os.urandom(16)


def test_the_button_is_there_only_with_vapid_keys(client_of, settings):
    someone = person()
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    assert "Get notifications on this phone" not in client_of(someone).get(PAGE).content.decode()
    settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "BPublicKey", "private"
    page = client_of(someone).get(PAGE)
    html = page.content.decode()
    assert "Get notifications on this phone" in html
    assert "data-push hidden" in html  # shown by JavaScript only, where push works
    assert 'data-push-key="BPublicKey"' in html
    policy = page["Content-Security-Policy"]
    assert "connect-src 'self'" in policy and "worker-src 'self'" in policy
    assert "script-src 'self'" in policy and "http" not in policy


def test_subscribing_needs_log_in_and_the_csrf_token(client_of, vapid):
    _private, p256dh, auth = browser_keys()
    body = json.dumps(
        {
            "subscription": {
                "endpoint": "https://push.example.net/abc",
                "keys": {"p256dh": p256dh, "auth": b64url(auth)},
            }
        }
    )
    anonymous = Client().post(ENDPOINT, body, content_type="application/json")
    assert anonymous.status_code == 302
    someone = person()
    client = Client(enforce_csrf_checks=True)
    client.force_login(someone)
    assert client.post(ENDPOINT, body, content_type="application/json").status_code == 403
    token = client.get(PAGE).context["csrf_token"]
    response = client.post(
        ENDPOINT, body, content_type="application/json", HTTP_X_CSRFTOKEN=str(token)
    )
    assert response.status_code == 201
    [subscription] = PushSubscription.objects.filter(user=someone)
    assert subscription.endpoint == "https://push.example.net/abc"
    assert AuditEvent.objects.filter(subject=someone, action="notifications.push_on").exists()
    off = json.dumps({"unsubscribe": True, "endpoint": "https://push.example.net/abc"})
    client.post(ENDPOINT, off, content_type="application/json", HTTP_X_CSRFTOKEN=str(token))
    assert not PushSubscription.objects.filter(user=someone).exists()


def test_a_subscription_must_be_https_and_carry_keys(client_of, vapid):
    client = client_of(person())
    for bad in (
        {
            "subscription": {
                "endpoint": "http://push.example.net/abc",
                "keys": {"p256dh": "x", "auth": "y"},
            }
        },
        {"subscription": {"endpoint": "https://push.example.net/abc", "keys": {}}},
        ["not", "a", "subscription"],
    ):
        assert (
            client.post(ENDPOINT, json.dumps(bad), content_type="application/json").status_code
            == 400
        )
    assert client.post(ENDPOINT, "{", content_type="application/json").status_code == 400
    assert PushSubscription.objects.count() == 0


def test_a_notice_is_pushed_encrypted_to_the_phone_as_well_as_by_email(
    vapid, django_capture_on_commit_callbacks
):
    private, p256dh, auth = browser_keys()
    someone = person()
    prefs = preferences_of(someone)
    prefs.quiet_start, prefs.quiet_end = dt.time(23, 59), dt.time(0, 0)
    prefs.save()
    with http_service(lambda path, headers, body: (201, {})) as (url, received):
        PushSubscription.objects.create(
            user=someone, endpoint=f"{url}/push/abc", p256dh=p256dh, auth=b64url(auth)
        )
        with django_capture_on_commit_callbacks(execute=True):
            [notification] = notify(
                to=someone,
                kind="tests.any_channel",
                key="k1",
                context={"url": "/me/", "sender_name": "Sam", "text": "Running late"},
            )
    [(path, headers, body)] = received
    assert path == "/push/abc"
    assert headers["Content-Encoding"] == "aes128gcm"
    assert headers["Authorization"].startswith("vapid t=")
    assert b"Sam" not in body and b"new message" not in body  # encrypted on the way
    payload = json.loads(
        http_ece.decrypt(body, private_key=private, auth_secret=auth, version="aes128gcm")
    )
    assert payload["body"] == "You have a new message"  # discreet on a lock screen
    assert payload["url"].endswith(f"/me/notifications/{notification.pk}/")
    statuses = dict(notification.deliveries.values_list("channel", "status"))
    assert statuses == {EMAIL: DeliveryStatus.SENT, PUSH: DeliveryStatus.SENT}


def test_a_subscription_the_push_service_says_is_gone_is_removed(
    vapid, django_capture_on_commit_callbacks
):
    _private, p256dh, auth = browser_keys()
    someone = person()
    prefs = preferences_of(someone)
    prefs.channels = {"tests.any_channel": [EMAIL, PUSH]}
    prefs.quiet_start, prefs.quiet_end = dt.time(23, 59), dt.time(0, 0)
    prefs.save()
    with http_service(lambda path, headers, body: (410, {"reason": "gone"})) as (url, received):
        PushSubscription.objects.create(
            user=someone, endpoint=f"{url}/push/old", p256dh=p256dh, auth=b64url(auth)
        )
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                to=someone,
                kind="tests.any_channel",
                key="k1",
                context={"url": "/me/", "sender_name": "S", "text": "t"},
            )
    assert len(received) == 1
    assert not PushSubscription.objects.filter(user=someone).exists()
    assert Delivery.objects.get(channel=PUSH).status == DeliveryStatus.SKIPPED
    assert Delivery.objects.get(channel=EMAIL).status == DeliveryStatus.SENT
