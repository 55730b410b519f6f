"""The notifications layer: one row per occasion, each channel once, discreet words, links that
open, quiet hours, fall-back."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from notifications import notify, sms
from notifications.delivery import _deliver, release_held
from notifications.kinds import EMAIL, SMS
from notifications.models import Delivery, DeliveryStatus, Notification
from notifications.render import sms_segments
from notifications.services import preferences_of
from notifications.sms import locmem
from tests.factories import person

pytestmark = pytest.mark.django_db

KIND = "tests.any_channel"
LONDON = ZoneInfo("Europe/London")


def tell(user, key="k1", **context):
    context = {"url": "/me/", "sender_name": "Sam", "text": "Running late", **context}
    return notify(to=user, kind=KIND, key=key, context=context)


def texting(user, phone="+447700900111"):
    prefs = preferences_of(user)
    prefs.phone, prefs.phone_confirmed_at = phone, timezone.now()
    prefs.default_channels = [SMS]
    prefs.quiet_start, prefs.quiet_end = dt.time(23, 59), dt.time(0, 0)
    prefs.save()
    return prefs


def links_in(text):
    return re.findall(r"https?://[^\s\"'<>]+", text)


def test_the_same_occasion_is_told_once(django_capture_on_commit_callbacks):
    someone = person()
    with django_capture_on_commit_callbacks(execute=True):
        first = tell(someone)
        again = tell(someone)
    with django_capture_on_commit_callbacks(execute=True):
        later = tell(someone)
    assert len(first) == 1 and again == [] and later == []
    assert Notification.objects.filter(recipient=someone).count() == 1
    assert len(mail.outbox) == 1


def test_email_is_discreet_with_plain_and_html_parts_and_an_absolute_link(
    django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://alongside.example.org"
    someone = person()
    with django_capture_on_commit_callbacks(execute=True):
        tell(someone)
    message = mail.outbox[0]
    assert message.subject == "Alongside: you have a new message"
    assert "Sam" not in message.subject + message.body
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    for link in links_in(message.body) + links_in(html):
        assert link.startswith("https://alongside.example.org/")


def test_show_details_names_what_it_is_about(django_capture_on_commit_callbacks):
    someone = person()
    prefs = preferences_of(someone)
    prefs.show_details = True
    prefs.save()
    with django_capture_on_commit_callbacks(execute=True):
        tell(someone)
    assert mail.outbox[0].subject == "Alongside: Sam sent a text"
    assert '"Running late"' in mail.outbox[0].body


def test_every_link_opens_for_the_person_and_asks_others_to_log_in(
    django_capture_on_commit_callbacks, settings, client_of
):
    settings.SITE_URL = "http://testserver"
    someone, other = person(), person()
    texting(someone)
    with django_capture_on_commit_callbacks(execute=True):
        tell(someone)
    prefs = preferences_of(someone)
    prefs.default_channels = [EMAIL]
    prefs.save()
    links = links_in(mail.outbox[-1].body) if mail.outbox else []
    links += links_in(sms.outbox[0].body)
    assert links
    for link in links:
        path = link.removeprefix("http://testserver")
        assert client_of(someone).get(path, follow=True).status_code == 200
        anonymous = Client().get(path)
        assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
        assert client_of(other).get(path).status_code in (200, 404)
    notification = Notification.objects.get(recipient=someone)
    assert client_of(other).get(f"/me/notifications/{notification.pk}/").status_code == 404
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_a_text_is_discreet_short_and_sent_once(django_capture_on_commit_callbacks):
    someone = person()
    texting(someone)
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = tell(someone)
    _deliver(notification, now=timezone.now())  # a second worker, or the task run twice
    assert len(sms.outbox) == 1
    text = sms.outbox[0]
    assert text.to == "+447700900111"
    assert text.body.startswith("Alongside: you have a new message. http")
    assert "Sam" not in text.body and sms_segments(text.body) == 1
    delivery = Delivery.objects.get(notification=notification, channel=SMS)
    assert delivery.status == DeliveryStatus.SENT and delivery.provider_ref == text.ref


def test_quiet_hours_hold_a_text_until_morning(django_capture_on_commit_callbacks):
    someone = person()
    prefs = texting(someone)
    prefs.quiet_start, prefs.quiet_end = dt.time(21, 0), dt.time(8, 0)
    prefs.save()
    night = dt.datetime(2026, 12, 1, 22, 30, tzinfo=LONDON)
    notification = tell(someone)[0]
    assert _deliver(notification, now=night) == {SMS: DeliveryStatus.HELD}
    assert sms.outbox == []
    assert release_held(now=night + dt.timedelta(hours=1)) == 0
    morning = dt.datetime(2026, 12, 2, 8, 0, tzinfo=LONDON)
    assert Delivery.objects.get(channel=SMS).not_before == morning
    assert release_held(now=morning) == 1
    assert len(sms.outbox) == 1
    assert release_held(now=morning) == 0


def test_an_urgent_text_is_sent_at_night(django_capture_on_commit_callbacks):
    someone = person()
    prefs = texting(someone)
    prefs.quiet_start, prefs.quiet_end = dt.time(21, 0), dt.time(8, 0)
    prefs.save()
    [notification] = notify(
        to=someone,
        kind=KIND,
        key="urgent",
        context={"url": "/me/", "sender_name": "Sam", "text": "x"},
        urgent=True,
    )
    night = dt.datetime(2026, 12, 1, 23, 30, tzinfo=LONDON)
    assert _deliver(notification, now=night) == {SMS: DeliveryStatus.SENT}


def test_a_failed_text_falls_back_to_email(django_capture_on_commit_callbacks):
    someone = person()
    texting(someone, phone="+447700900999")
    locmem.FAILING_NUMBERS.add("+447700900999")
    with django_capture_on_commit_callbacks(execute=True):
        [notification] = tell(someone)
    assert sms.outbox == []
    assert len(mail.outbox) == 1
    statuses = dict(notification.deliveries.values_list("channel", "status"))
    assert statuses == {SMS: DeliveryStatus.FAILED, EMAIL: DeliveryStatus.SENT}


def test_no_text_to_a_number_that_is_not_confirmed(django_capture_on_commit_callbacks):
    someone = person()
    prefs = texting(someone)
    prefs.phone_confirmed_at = None
    prefs.save()
    with django_capture_on_commit_callbacks(execute=True):
        tell(someone)
    assert sms.outbox == [] and len(mail.outbox) == 1


def test_inbox_header_count_and_marking_read(django_capture_on_commit_callbacks, client_of):
    someone = person()
    tell(someone, key="a")
    tell(someone, key="b")
    client = client_of(someone)
    page = client.get("/me/").content.decode()
    assert 'data-unread-count><span aria-hidden="true">2</span>' in page
    assert "Sam sent a text" in page  # the Today card
    inbox = client.get("/me/notifications/").content.decode()
    assert inbox.count("Sam sent a text") >= 2
    first = Notification.objects.filter(recipient=someone).first()
    client.post(f"/me/notifications/{first.pk}/read/")
    assert 'aria-hidden="true">1</span>' in client.get("/me/notifications/").content.decode()
    client.post("/me/notifications/read-all/")
    assert Notification.objects.filter(recipient=someone).unread().count() == 0
    assert "data-unread-count hidden" in client.get("/me/notifications/").content.decode()


def test_someone_elses_notification_cannot_be_marked(client_of):
    someone, other = person(), person()
    [notification] = tell(someone)
    assert client_of(other).post(f"/me/notifications/{notification.pk}/read/").status_code == 404
    assert Notification.objects.get(pk=notification.pk).read_at is None


def test_inbox_query_count_does_not_grow(client_of, django_assert_num_queries):
    someone = person()
    client = client_of(someone)
    for index in range(3):
        tell(someone, key=f"q{index}")
    client.get("/me/notifications/")
    # session, user, count, page of notices, unread count in the header, nav roles
    with django_assert_num_queries(6) as few:
        client.get("/me/notifications/")
    for index in range(3, 15):
        tell(someone, key=f"q{index}")
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/me/notifications/")
