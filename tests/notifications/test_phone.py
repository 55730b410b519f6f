"""A person adds their mobile number on the preferences page, confirms it with a texted code, and
can stop every text with one button. Works without JavaScript: plain forms."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from notifications import notify, sms
from notifications.kinds import SMS
from notifications.services import preferences_of
from tests.factories import person

pytestmark = pytest.mark.django_db

PAGE = "/me/notifications/preferences/"


def fresh(user):
    return preferences_of(type(user).objects.get(pk=user.pk))


def ask_code(client, phone="07400 123456"):
    return client.post("/me/notifications/preferences/phone/", {"phone": phone})


def texted_code():
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)


def test_anonymous_people_are_asked_to_log_in():
    for path in (
        PAGE,
        "/me/notifications/preferences/phone/",
        "/me/notifications/preferences/phone/confirm/",
        "/me/notifications/preferences/texts/",
    ):
        response = Client().post(path, {"phone": "07400 123456"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert sms.outbox == []


def test_a_number_is_confirmed_with_the_texted_code(client_of, django_capture_on_commit_callbacks):
    someone = person()
    client = client_of(someone)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_code(client, " 07400 123456 ")
    assert response.status_code == 302
    [text] = sms.outbox
    assert text.to == "+447400123456"
    assert text.body.startswith("Alongside: your code is ") and len(text.body) <= 160
    prefs = fresh(someone)
    assert prefs.phone == "+447400123456" and prefs.phone_confirmed_at is None
    assert texted_code() not in prefs.phone_code_hash  # only a hash is kept
    page = client.get(PAGE).content.decode()
    assert "07400 123456" in page and "not confirmed yet" in page
    assert "The code we texted you" in page
    response = client.post("/me/notifications/preferences/phone/confirm/", {"code": texted_code()})
    assert response.status_code == 302
    assert fresh(someone).phone_confirmed_at is not None
    assert "We text 07400 123456." in client.get(PAGE).content.decode()


def test_a_wrong_number_gets_a_plain_message(client_of):
    client = client_of(person())
    for wrong in ("020 7946 0000", "12345", "+33 6 12 34 56 78", ""):
        response = ask_code(client, wrong)
        assert response.status_code == 400
        page = response.content.decode()
        assert "Enter a UK mobile number, such as 07123 456789." in page or (
            "Enter your mobile number." in page
        )
    assert sms.outbox == []


def test_a_wrong_code_counts_and_five_wrong_tries_use_the_code_up(
    client_of, django_capture_on_commit_callbacks
):
    someone = person()
    client = client_of(someone)
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client)
    code = texted_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _try in range(5):
        response = client.post("/me/notifications/preferences/phone/confirm/", {"code": wrong})
        assert response.status_code == 400
    assert "tried too many times" in response.content.decode()
    response = client.post("/me/notifications/preferences/phone/confirm/", {"code": code})
    assert "tried too many times" in response.content.decode()
    assert fresh(someone).phone_confirmed_at is None


def test_a_code_runs_out_after_15_minutes(client_of, django_capture_on_commit_callbacks):
    someone = person()
    client = client_of(someone)
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client)
    prefs = fresh(someone)
    prefs.phone_code_sent_at = timezone.now() - dt.timedelta(minutes=16)
    prefs.save()
    response = client.post("/me/notifications/preferences/phone/confirm/", {"code": texted_code()})
    assert "run out" in response.content.decode()
    assert fresh(someone).phone_confirmed_at is None


def test_a_new_code_waits_a_minute(client_of, django_capture_on_commit_callbacks):
    someone = person()
    client = client_of(someone)
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client)
        again = ask_code(client)
    assert again.status_code == 400 and "Wait a minute" in again.content.decode()
    assert len(sms.outbox) == 1
    prefs = fresh(someone)
    prefs.phone_code_sent_at = timezone.now() - dt.timedelta(minutes=2)
    prefs.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert ask_code(client).status_code == 302
    assert len(sms.outbox) == 2


def test_stop_all_texts_and_start_again(client_of, django_capture_on_commit_callbacks):
    someone = person()
    prefs = preferences_of(someone)
    prefs.phone, prefs.phone_confirmed_at = "+447400123456", timezone.now()
    prefs.default_channels = [SMS]
    prefs.quiet_start, prefs.quiet_end = dt.time(23, 59), dt.time(0, 0)
    prefs.save()
    client = client_of(someone)
    assert "Stop all texts" in client.get(PAGE).content.decode()
    client.post("/me/notifications/preferences/texts/", {"texts": "stop"})
    assert "Start texts again" in client.get(PAGE).content.decode()
    context = {"url": "/me/", "sender_name": "Sam", "text": "x"}
    with django_capture_on_commit_callbacks(execute=True):
        notify(to=someone, kind="tests.any_channel", key="a", context=context)
    assert sms.outbox == []
    client.post("/me/notifications/preferences/texts/", {"texts": "start"})
    with django_capture_on_commit_callbacks(execute=True):
        notify(to=someone, kind="tests.any_channel", key="b", context=context)
    assert len(sms.outbox) == 1


def test_confirming_sends_the_texts_that_waited_for_it_once(
    client_of, django_capture_on_commit_callbacks
):
    someone = person()
    prefs = preferences_of(someone)
    prefs.default_channels = [SMS]
    prefs.quiet_start, prefs.quiet_end = dt.time(23, 59), dt.time(0, 0)
    prefs.save()
    context = {"url": "/me/", "sender_name": "Sam", "text": "x"}
    with django_capture_on_commit_callbacks(execute=True):
        [waiting] = notify(to=someone, kind="tests.any_channel", key="a", context=context)
        [read] = notify(to=someone, kind="tests.any_channel", key="b", context=context)
    client = client_of(someone)
    client.get(f"/me/notifications/{read.pk}/")  # already seen: no need to text it
    with django_capture_on_commit_callbacks(execute=True):
        ask_code(client)
    code = texted_code()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/me/notifications/preferences/phone/confirm/", {"code": code})
    released = [t.body for t in sms.outbox[1:]]
    assert len(released) == 1 and f"/{waiting.pk}/" in released[0]
