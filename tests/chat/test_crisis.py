"""Crisis routing that never depends on who is online (issue 14): an item at the top of the queue,
the people on call told (the safeguarding leads when nobody is), escalation when nobody acts,
support lines for the poster, private check-ins, and a member's own break."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.hooks import run_daily
from accounts.roles import Role
from chat.models import (
    CheckIn,
    CheckInWording,
    CrisisItem,
    Membership,
    MessageState,
    ModerationAction,
    OnCallShift,
)
from chat.services import crisis, post_message, take_break
from notifications import notify
from notifications.models import Delivery, DeliveryStatus, Notification, Preferences
from notifications.services import preferences_of
from safeguarding.models import Concern
from tests.chat.conftest import make_room
from tests.factories import person

pytestmark = pytest.mark.django_db

CRISIS = "I have got the pills out and I want to overdose tonight"


def post(room, user, body):
    return post_message(room=room, author=user, body=body)


def on_call_now(user, room=None):
    now = timezone.now()
    return OnCallShift.objects.create(
        person=user, room=room, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=8)
    )


@pytest.fixture
def night_moderator(db):
    return person(Role.MODERATOR, display_name="Nia Nightshift")


# --- 1. The crisis item ---------------------------------------------------------------------------


def test_crisis_words_put_an_item_at_the_top_of_the_queue_in_plain_words(
    room, mentee, moderator, default_filters, client_of
):
    result = post(room, mentee, CRISIS)
    item = CrisisItem.objects.get()
    assert (item.person, item.message, item.room) == (mentee, result.message, room)

    page = client_of(moderator).get(reverse("chat:moderate", args=[room.pk])).content.decode()
    top = page.index("Someone may be in danger")
    assert top < page.index("Waiting for you")
    assert "Jay Mentee" in page[top:] and "want to overdose tonight" in page[top:]
    assert reverse("chat:crisis_item", args=[item.pk]) in page
    # The log speaks plainly: no raw codes.
    assert "crisis.alert" not in page
    assert "Crisis words: support lines shown, people on call told" in page


def test_the_crisis_item_page_shows_the_message_and_the_person_and_its_actions(
    room, mentee, moderator, default_filters, client_of
):
    post(room, mentee, CRISIS)
    item = CrisisItem.objects.get()
    page = client_of(moderator).get(reverse("chat:crisis_item", args=[item.pk])).content.decode()
    for words in (
        "Jay Mentee",
        "want to overdose tonight",
        "Nobody has picked this up yet",
        "I'm looking at this",
        "Check in privately",
        "Mark handled",
        "Raise a safeguarding concern now",
    ):
        assert words in page


def test_who_can_open_a_crisis_item(
    client, room, mentee, mentor, moderator, outsider, default_filters, client_of
):
    post(room, mentee, CRISIS)
    url = reverse("chat:crisis_item", args=[CrisisItem.objects.get().pk])
    assert client.get(url).status_code == 302  # log in first
    assert client_of(outsider).get(url).status_code == 404
    assert client_of(mentor).get(url).status_code == 404  # a member of the room, not a moderator
    assert client_of(mentee).get(url).status_code == 404  # the poster never sees the item
    other_rooms_moderator = person(Role.COORDINATOR)
    make_room(moderators=[other_rooms_moderator], name="Other")
    assert client_of(moderator).get(url).status_code == 200
    # The organisation's moderators and safeguarding leads can act on any item (a pair room has
    # no moderator of its own).
    assert client_of(person(Role.MODERATOR)).get(url).status_code == 200
    missing = reverse("chat:crisis_item", args=[999999])
    assert client_of(outsider).get(missing).status_code == 404


def test_a_pair_room_crisis_opens_an_item_for_the_organisation_on_call(
    mentee, mentor, night_moderator, safeguarding_lead, default_filters, client_of
):
    from chat.models import RoomKind

    on_call_now(night_moderator)
    pair = make_room(mentee, mentor, kind=RoomKind.PAIR, name="Sam and Jay")
    post(pair, mentee, CRISIS)
    item = CrisisItem.objects.get(room=pair)
    assert item.concern_id == Concern.objects.get().pk  # no moderator: a concern at once
    assert Notification.objects.get(kind="chat.crisis").recipient == night_moderator
    page = client_of(night_moderator).get(reverse("chat:crisis_items")).content.decode()
    assert reverse("chat:crisis_item", args=[item.pk]) in page


def test_a_second_crisis_message_joins_the_open_item_and_tells_nobody_twice(
    room, mentee, default_filters, safeguarding_lead
):
    post(room, mentee, CRISIS)
    post(room, mentee, "I really want to die")
    assert CrisisItem.objects.count() == 1
    assert Notification.objects.filter(kind="chat.crisis").count() == 1
    assert ModerationAction.objects.filter(action="crisis.alert").count() == 2


def test_claiming_and_handling_with_a_note(room, mentee, moderator, default_filters, client_of):
    post(room, mentee, CRISIS)
    item = CrisisItem.objects.get()
    alex = client_of(moderator)
    alex.post(reverse("chat:crisis_claim", args=[item.pk]))
    item.refresh_from_db()
    assert item.claimed_by == moderator
    alex.post(reverse("chat:crisis_handled", args=[item.pk]), {"note": "Spoke to Jay, safe now"})
    item.refresh_from_db()
    assert item.handled_by == moderator and item.note == "Spoke to Jay, safe now"
    page = alex.get(reverse("chat:moderate", args=[room.pk])).content.decode()
    assert "Open the crisis item" not in page  # handled: off the queue
    assert "Marked a crisis handled" in page and "Spoke to Jay, safe now" in page


def test_raising_a_concern_from_the_item(
    room, mentee, moderator, safeguarding_lead, default_filters, client_of
):
    post(room, mentee, CRISIS)
    item = CrisisItem.objects.get()
    client_of(moderator).post(
        reverse("chat:crisis_concern", args=[item.pk]), {"summary": "Jay talked of an overdose"}
    )
    concern = Concern.objects.get()
    assert (concern.subject, concern.raised_by) == (mentee, moderator)
    item.refresh_from_db()
    assert item.concern_id == concern.pk and item.claimed_by == moderator


def test_reports_and_held_messages_are_counted_apart(client_of, moderator, room, default_filters):
    newcomer = person(Role.MENTEE)
    Membership.objects.create(room=room, user=newcomer)
    assert post(room, newcomer, "hello everyone").message.state == MessageState.HELD
    items = client_of(moderator).get(reverse("accounts:today")).context["attention"]
    counts = {str(i.label): i.count for i in items}
    assert counts["Chat reports waiting"] == 0
    assert counts["Messages waiting for a moderator"] == 1


# --- 2. The people on call are told --------------------------------------------------------------


def test_the_moderator_on_call_is_told_urgently_and_discreetly(
    room,
    mentee,
    night_moderator,
    safeguarding_lead,
    default_filters,
    django_capture_on_commit_callbacks,
):
    on_call_now(night_moderator)
    with django_capture_on_commit_callbacks(execute=True):
        result = post(room, mentee, CRISIS)
    item = CrisisItem.objects.get()
    told = Notification.objects.get(kind="chat.crisis")
    assert told.recipient == night_moderator and told.urgent
    assert told.url == reverse("chat:crisis_item", args=[item.pk])
    assert not Notification.objects.filter(recipient=safeguarding_lead).exists()
    sent = [m for m in mail.outbox if m.to == [night_moderator.email]]
    assert [m.subject for m in sent] == ["Alongside: you have a new message"]
    assert "overdose" not in sent[0].body and result.message.body not in told.body


def test_a_rota_for_one_room_tells_that_rooms_people_only(
    room, mentee, moderator, night_moderator, default_filters
):
    other = make_room(name="Other group")
    on_call_now(night_moderator, room=other)
    on_call_now(moderator, room=room)
    post(room, mentee, CRISIS)
    assert [n.recipient for n in Notification.objects.filter(kind="chat.crisis")] == [moderator]


def test_with_nobody_on_call_the_safeguarding_leads_are_told(
    room, mentee, safeguarding_lead, default_filters
):
    long_ago = timezone.now() - timedelta(days=2)
    OnCallShift.objects.create(
        person=person(Role.MODERATOR), starts_at=long_ago, ends_at=long_ago + timedelta(hours=1)
    )
    post(room, mentee, CRISIS)
    told = Notification.objects.get(kind="chat.crisis")
    assert told.recipient == safeguarding_lead and told.urgent
    assert "Nobody is on call" in told.body


def test_the_crisis_notice_cannot_be_switched_off(night_moderator):
    from notifications import kinds

    for name in ("chat.crisis", "chat.check_in", "chat.crisis_escalated"):
        kind = kinds.get(name)
        assert kind.urgent and not kind.optional


def test_rota_page(client, client_of, coordinator, night_moderator, mentee):
    url = reverse("chat:on_call")
    assert client.get(url).status_code == 302
    assert client_of(mentee).get(url).status_code == 404
    page = client_of(coordinator).get(url)
    assert "Nobody is on call for the whole organisation just now" in page.content.decode()
    now = timezone.localtime()
    response = client_of(coordinator).post(
        url,
        {
            "person": night_moderator.pk,
            "starts_at": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + timedelta(hours=9)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    page = client_of(coordinator).get(url).content.decode()
    assert "On call for the whole organisation now:" in page and "Nia Nightshift" in page
    assert crisis.on_call(room=None, now=timezone.now()) == [night_moderator]
    bad = client_of(coordinator).post(
        url,
        {
            "person": mentee.pk,
            "starts_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert bad.status_code == 400  # a mentee cannot be on call


# --- 3. Escalation ------------------------------------------------------------------------------


def test_nobody_acts_within_15_minutes_so_a_concern_is_raised_and_the_leads_told(
    room, mentee, safeguarding_lead, night_moderator, default_filters
):
    on_call_now(night_moderator)
    posted = post(room, mentee, CRISIS).message.created_at
    item = CrisisItem.objects.get()
    assert crisis.escalate_due(now=posted + timedelta(minutes=14)) == 0
    assert not Concern.objects.exists()

    assert crisis.escalate_due(now=posted + timedelta(minutes=15)) == 1
    concern = Concern.objects.get()
    assert concern.raised_by is None and concern.subject == mentee
    assert concern.source_ref == f"auto:chat-crisis:{item.pk}"
    told = Notification.objects.get(kind="chat.crisis_escalated")
    assert told.recipient == safeguarding_lead and told.urgent
    assert ModerationAction.objects.filter(action="crisis.escalated").count() == 1

    assert crisis.escalate_due(now=posted + timedelta(minutes=30)) == 0  # once only
    assert Concern.objects.count() == 1


@pytest.mark.parametrize("act", ["claim", "handle", "check_in"])
def test_an_item_someone_acted_on_never_escalates(
    act, room, mentee, moderator, safeguarding_lead, default_filters
):
    posted = post(room, mentee, CRISIS).message.created_at
    item = CrisisItem.objects.get()
    if act == "claim":
        crisis.claim_crisis(item=item, by=moderator)
    elif act == "handle":
        crisis.handle_crisis(item=item, by=moderator)
    else:
        crisis.send_check_in(item=item, by=moderator, body="Are you safe?")
    assert crisis.escalate_due(now=posted + timedelta(hours=1)) == 0
    assert not Concern.objects.exists()
    assert not Notification.objects.filter(kind="chat.crisis_escalated").exists()


def test_the_daily_sweep_and_the_cron_command_both_escalate(
    room, mentee, mentor, safeguarding_lead, default_filters
):
    post(room, mentee, CRISIS)
    post(room, mentor, "I want to end it all")
    first, second = CrisisItem.objects.order_by("id")
    CrisisItem.objects.update(created_at=timezone.now() - timedelta(minutes=20))
    run_daily(timezone.now())
    first.refresh_from_db()
    assert first.escalated_at is not None
    call_command("escalate_crises", stdout=StringIO())
    assert Concern.objects.count() == 2


def test_the_escalation_task_is_deferred_to_when_it_falls_due(
    room, mentee, safeguarding_lead, default_filters, settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    from chat.tasks import escalate_crisis

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        posted = post(room, mentee, CRISIS).message.created_at
    item = CrisisItem.objects.get()
    deferred = [r for r in default_task_backend.results if r.task.name == escalate_crisis.name]
    assert [r.task.run_after for r in deferred] == [posted + timedelta(minutes=15)]
    assert deferred[0].kwargs == {"item_id": item.pk}
    # When it runs early (a clock skew) it does nothing; the sweep catches it later.
    assert escalate_crisis.call(item_id=item.pk) is False


# --- 4. Support lines ---------------------------------------------------------------------------


def test_the_poster_gets_every_support_line_without_javascript(
    room, mentee, default_filters, client_of, settings
):
    response = client_of(mentee).post(
        reverse("chat:room", args=[room.pk]), {"body": CRISIS}, follow=True
    )
    page = response.content.decode()
    assert 'id="chat-support" class="card card--alert" aria-labelledby="support-heading">' in page
    names = [line["name"] for line in settings.CRISIS_SUPPORT_LINES]
    assert {"Samaritans", "FRANK", "Shout"} <= set(names)
    for line in settings.CRISIS_SUPPORT_LINES:
        assert line["name"] in page and line["phone"] in page
    assert 'href="sms:85258"' in page and 'href="tel:03001236600"' in page


def test_a_calm_message_keeps_the_support_lines_tucked_away(room, mentee, client_of):
    response = client_of(mentee).post(
        reverse("chat:room", args=[room.pk]), {"body": "Good evening all"}, follow=True
    )
    assert 'aria-labelledby="support-heading" hidden>' in response.content.decode()


# --- 5. Private check-ins -----------------------------------------------------------------------


def test_the_pre_written_check_ins_are_there_and_moderators_can_change_them(
    client_of, moderator, mentee
):
    wordings = list(CheckInWording.objects.all())
    assert len(wordings) >= 3
    assert all("Are you safe" in w.body or "are you safe" in w.body.lower() for w in wordings)
    assert all("safeguarding lead" in w.body for w in wordings)  # no promise of secrecy
    url = reverse("chat:check_in_wordings")
    assert client_of(mentee).get(url).status_code == 404
    first = wordings[0]
    client_of(moderator).post(url, {"pk": first.pk, "label": "Safe?", "body": "Are you safe?"})
    first.refresh_from_db()
    assert (first.label, first.body) == ("Safe?", "Are you safe?")


def test_a_check_in_reaches_the_poster_and_their_answer_reaches_the_moderator(
    room, mentee, moderator, safeguarding_lead, outsider, default_filters, client_of
):
    post(room, mentee, CRISIS)
    item = CrisisItem.objects.get()
    alex = client_of(moderator)
    form = alex.get(reverse("chat:crisis_check_in", args=[item.pk])).content.decode()
    assert "We saw your message" in form  # pre-written words to start from
    alex.post(
        reverse("chat:crisis_check_in", args=[item.pk]),
        {"body": "We saw your message. Are you safe?"},
    )
    check_in = CheckIn.objects.get()
    told = Notification.objects.get(recipient=mentee, kind="chat.check_in")
    assert told.urgent and told.url == reverse("chat:check_in", args=[check_in.pk])
    assert "overdose" not in told.title

    url = reverse("chat:check_in", args=[check_in.pk])
    assert client_of(outsider).get(url).status_code == 404
    assert alex.get(url).status_code == 404  # the poster's own page
    jay = client_of(mentee)
    page = jay.get(url).content.decode()
    assert "We saw your message. Are you safe?" in page
    for answer in ("I&#x27;m safe", "I&#x27;m not safe", "Please call me"):
        assert answer in page
    assert "116 123" in page

    jay.post(url, {"reply": "call_me"})
    check_in.refresh_from_db()
    assert check_in.reply == "call_me"
    answered = Notification.objects.get(recipient=moderator, kind="chat.check_in_reply")
    assert "Please call me" in answered.title
    log = alex.get(reverse("chat:moderate", args=[room.pk])).content.decode()
    assert "Answered a private check-in" in log and "Please call me" in log
    assert not Concern.objects.exists()

    jay.post(url, {"reply": "not_safe"})
    assert Concern.objects.get().source_ref == f"auto:chat-check-in:{check_in.pk}"
    assert Notification.objects.filter(recipient=safeguarding_lead).exists()


def test_answering_in_words_needs_words(room, mentee, moderator, default_filters, client_of):
    post(room, mentee, CRISIS)
    check_in = crisis.send_check_in(item=CrisisItem.objects.get(), by=moderator, body="Safe?")
    url = reverse("chat:check_in", args=[check_in.pk])
    assert client_of(mentee).post(url, {"reply": "words", "words": " "}).status_code == 400
    client_of(mentee).post(url, {"reply": "words", "words": "Not great but OK"})
    check_in.refresh_from_db()
    assert check_in.reply_text == "Not great but OK"


def test_an_empty_answer_is_asked_again_not_a_server_error(
    room, mentee, moderator, default_filters, client_of
):
    # Found by tests/config/test_fuzz_forms.py: a POST with no fields was a 500.
    post(room, mentee, CRISIS)
    check_in = crisis.send_check_in(item=CrisisItem.objects.get(), by=moderator, body="Safe?")
    answer = client_of(mentee).post(reverse("chat:check_in", args=[check_in.pk]), {})
    assert answer.status_code == 400
    assert "Please choose an answer, or write one." in answer.content.decode()
    check_in.refresh_from_db()
    assert not check_in.reply


# --- 6. Taking a break ---------------------------------------------------------------------------


def test_a_break_from_all_chat_pauses_everything_but_urgent_notices(
    room, mentee, moderator, default_filters, client_of, django_capture_on_commit_callbacks
):
    client_of(mentee).post(
        reverse("chat:take_break", args=[room.pk]),
        {"minutes": 60 * 24 * 7, "everywhere": "on", "pause_notices": "on"},
    )
    paused = preferences_of(mentee).paused_until
    assert paused is not None and paused > timezone.now() + timedelta(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            to=mentee,
            kind="notifications.text_reply",
            key="x",
            context={"url": "/me/", "sender_name": "Sam", "text": "hi"},
        )
    assert Delivery.objects.get().status == DeliveryStatus.SKIPPED
    post(room, mentee, CRISIS)
    with django_capture_on_commit_callbacks(execute=True):
        crisis.send_check_in(item=CrisisItem.objects.get(), by=moderator, body="Are you safe?")
    urgent = Delivery.objects.get(notification__kind="chat.check_in")
    assert urgent.status == DeliveryStatus.SENT

    client_of(mentee).post(reverse("chat:end_break", args=[room.pk]))
    assert Preferences.objects.get(user=mentee).paused_until is None


def test_a_break_without_pausing_leaves_notifications_alone(room, mentee):
    take_break(user=mentee, room=room, minutes=60 * 24)
    assert preferences_of(mentee).paused_until is None
