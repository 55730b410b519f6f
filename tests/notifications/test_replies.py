"""Texts people send us: STOP and START, HELP, YES or NO to the text that asked, anything else
to the coordinators; only Twilio can post them."""

import datetime as dt

import pytest
from django.test import Client, TestCase
from django.utils import timezone
from twilio.request_validator import RequestValidator

from accounts.models import AuditEvent
from notifications import notify, sms
from notifications.inbound import _HANDLERS, keyword, register_reply_handler
from notifications.kinds import SMS
from notifications.models import InboundText, Notification
from notifications.render import sms_segments
from notifications.services import preferences_of
from tests.factories import person

pytestmark = pytest.mark.django_db

TOKEN = "test-auth-token"
PATH = "/me/notifications/sms/inbound/"
NUMBER = "+447400123456"


@pytest.fixture(autouse=True)
def _twilio(settings):
    settings.SITE_URL = "https://alongside.example.org"
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.ORGANISATION_PHONE = "0300 111 2222"


@pytest.fixture
def handlers():
    saved = dict(_HANDLERS)
    _HANDLERS.clear()
    yield _HANDLERS
    _HANDLERS.clear()
    _HANDLERS.update(saved)


_sids = iter(range(10**6))


def text_in(body, number=NUMBER, sid=None, token=TOKEN):
    params = {"From": number, "Body": body, "MessageSid": sid or f"SM{next(_sids):032d}"}
    signature = RequestValidator(token).compute_signature(
        f"https://alongside.example.org{PATH}", params
    )
    with TestCase.captureOnCommitCallbacks(execute=True):  # answers go after commit
        return Client().post(PATH, params, HTTP_X_TWILIO_SIGNATURE=signature)


def texting(user, phone=NUMBER):
    prefs = preferences_of(user)
    prefs.phone, prefs.phone_confirmed_at = phone, timezone.now()
    prefs.default_channels = [SMS]
    prefs.quiet_start, prefs.quiet_end = dt.time(23, 59), dt.time(0, 0)
    prefs.save()
    return prefs


def tell(user, key="k1"):
    return notify(
        to=user,
        kind="tests.any_channel",
        key=key,
        context={"url": "/me/", "sender_name": "Sam", "text": "Running late"},
    )


def replies_to(number=NUMBER):
    return [text.body for text in sms.outbox if text.to == number]


@pytest.mark.parametrize(
    ("body", "word"),
    [
        ("STOP", "STOP"),
        (" stop ", "STOP"),
        ("Unsubscribe", "STOP"),
        ("stopall", "STOP"),
        ("Quit.", "STOP"),
        ("start", "START"),
        ("help", "HELP"),
        ("Yes please", "YES"),
        ("y", "YES"),
        ("YES!", "YES"),
        ("N", "NO"),
        ("no thanks", "NO"),
        ("no I will be late, the bus broke down", None),
        ("Can you ring me", None),
        ("", None),
    ],
)
def test_keywords(body, word):
    assert keyword(body) == word


def test_stop_stops_every_text_at_once_and_start_brings_them_back(
    django_capture_on_commit_callbacks,
):
    someone = person()
    texting(someone)
    response = text_in("Stop")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/xml")
    assert b"<Response></Response>" in response.content
    assert replies_to() == [
        "You will get no more texts from Alongside. Text START to get them again."
    ]
    assert preferences_of(person_again(someone)).texts_stopped_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        tell(someone)
    assert len(sms.outbox) == 1  # nothing more texted: the notice went by e-mail instead
    text_in("START")
    assert preferences_of(person_again(someone)).texts_stopped_at is None
    with django_capture_on_commit_callbacks(execute=True):
        tell(someone, key="k2")
    assert replies_to()[-1].startswith("Alongside: you have a new message.")
    assert AuditEvent.objects.filter(subject=someone, action="notifications.texts_stopped").exists()


def person_again(user):
    return type(user).objects.get(pk=user.pk)


def test_help_answers_with_the_crisis_lines_and_the_coordinator(settings):
    someone = person()
    texting(someone)
    text_in("HELP")
    [answer] = replies_to()
    for line in settings.CRISIS_SUPPORT_LINES:
        assert line["phone"] in answer
    assert "0300 111 2222" in answer
    assert sms_segments(answer) == 1


def test_yes_goes_to_the_domain_that_asked(handlers, django_capture_on_commit_callbacks):
    answers = []

    def confirm(notification, word, person):
        answers.append((notification.pk, word, person.pk))
        return "Thanks, see you then."

    register_reply_handler("tests.any_channel", confirm)
    someone = person()
    texting(someone)
    with django_capture_on_commit_callbacks(execute=True):
        tell(someone, key="older")
    with django_capture_on_commit_callbacks(execute=True):
        [latest] = tell(someone, key="latest")
    text_in("yes please")
    assert answers == [(latest.pk, "YES", someone.pk)]
    assert replies_to()[-1] == "Thanks, see you then."
    latest.refresh_from_db()
    assert latest.done_at is not None
    text_in("Y")  # the next YES answers the one before
    assert answers[-1][0] == Notification.objects.get(key="older").pk


def test_no_without_a_text_that_asked_reaches_the_coordinators(handlers, coordinator):
    register_reply_handler("tests.any_channel", lambda n, w, p: "Cancelled.")
    someone = person(display_name="Jo Bloggs")
    texting(someone)
    text_in("NO", sid="SM" + "9" * 32)
    [notice] = Notification.objects.filter(recipient=coordinator)
    assert notice.kind == "notifications.text_reply" and notice.key == "SM" + "9" * 32
    assert "Jo Bloggs" in notice.title and '"NO"' in notice.body
    assert replies_to() == ["Thanks, we have passed your message on."]


def test_any_other_words_reach_the_coordinators_once(coordinator):
    someone = person(display_name="Jo Bloggs")
    texting(someone)
    sid = "SM" + "7" * 32
    text_in("Can you ring me after 3", sid=sid)
    text_in("Can you ring me after 3", sid=sid)  # Twilio retries the same message
    assert InboundText.objects.get(provider_ref=sid).sender == someone
    assert InboundText.objects.count() == 1
    assert Notification.objects.filter(recipient=coordinator).count() == 1
    assert replies_to() == ["Thanks, we have passed your message on."]


def test_an_unknown_number_is_kept_and_told_nothing(coordinator):
    someone = person(display_name="Jo Bloggs")
    texting(someone)
    text_in("yes", number="+447400999999")
    [inbound] = InboundText.objects.all()
    assert inbound.sender is None and inbound.from_number == "+447400999999"
    [notice] = Notification.objects.filter(recipient=coordinator)
    assert "+447400999999" in notice.title
    assert replies_to("+447400999999") == ["Thanks, we have passed your message on."]


@pytest.mark.parametrize("token", ["", "another-token"])
def test_an_unsigned_or_forged_text_is_refused_and_changes_nothing(token):
    someone = person()
    texting(someone)
    if token:
        response = text_in("STOP", token=token)
    else:
        response = Client().post(PATH, {"From": NUMBER, "Body": "STOP", "MessageSid": "SM1"})
    assert response.status_code == 403
    assert preferences_of(person_again(someone)).texts_stopped_at is None
    assert InboundText.objects.count() == 0 and sms.outbox == []


def test_yes_to_the_first_text_confirms_a_number_a_worker_typed(
    coordinator, django_capture_on_commit_callbacks
):
    from notifications.services import record_contact_preference

    someone = person()
    # No quiet hours, so the released text goes at once whatever the time of day of the run.
    prefs = preferences_of(someone)
    prefs.quiet_start = prefs.quiet_end = dt.time(0, 0)
    prefs.save()
    with django_capture_on_commit_callbacks(execute=True):
        record_contact_preference(
            user=someone, preference="text", by=coordinator, phone="07400 123456"
        )
    [invitation] = sms.outbox
    assert invitation.to == NUMBER
    assert invitation.body == (
        "Alongside: a worker added this number for you. Reply YES to get texts from us, or STOP."
    )
    prefs = preferences_of(person_again(someone))
    prefs.quiet_start, prefs.quiet_end = dt.time(23, 59), dt.time(0, 0)  # whatever the hour
    prefs.save()
    with django_capture_on_commit_callbacks(execute=True):
        [skipped] = tell(someone, key="while-unconfirmed")
    assert len(sms.outbox) == 1  # no text to a number the person has not confirmed
    text_in("Yes")
    assert preferences_of(person_again(someone)).phone_confirmed_at is not None
    bodies = replies_to()
    assert bodies[1].startswith("Thank you. You will get texts from Alongside")
    # The text skipped while the number was unconfirmed goes now, once.
    released = [b for b in bodies if b.startswith("Alongside: you have a new message.")]
    assert len(released) == 1 and f"/{skipped.pk}/" in released[0]
    text_in("Yes")
    assert len([b for b in replies_to() if b.startswith("Alongside: you have a new")]) == 1


def test_while_a_worker_typed_number_waits_for_yes_only_urgent_notices_go_by_e_mail(
    coordinator, django_capture_on_commit_callbacks
):
    from django.core import mail

    from notifications.services import record_contact_preference

    someone = person()
    prefs = preferences_of(someone)
    prefs.quiet_start = prefs.quiet_end = dt.time(0, 0)  # no quiet hours, whatever the hour
    prefs.save()
    with django_capture_on_commit_callbacks(execute=True):
        record_contact_preference(
            user=someone, preference="text", by=coordinator, phone="07400 123456"
        )
    someone = person_again(someone)
    with django_capture_on_commit_callbacks(execute=True):
        tell(someone, key="everyday")
    # They asked for texts: the text waits for their YES, and nothing goes by e-mail meanwhile.
    assert mail.outbox == [] and len(sms.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            to=someone,
            kind="tests.any_channel",
            key="urgent",
            urgent=True,
            context={"url": "/me/", "sender_name": "Sam", "text": "Urgent"},
        )
    assert [m.to for m in mail.outbox] == [[someone.email]]
