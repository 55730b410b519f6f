"""The on-call rota as weekly slots ("Mondays 18:00–23:00") beside one-off shifts: who is on call
now uses both, in the site's own time zone, across midnight and across the clock change.

The clock is fixed: ``timezone.now`` returns a chosen moment (one-off shifts and weekly slots are
asked about the same instant).
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from chat import crisis as read_side
from chat.models import ModerationAction, OnCallShift, Weekday, WeeklyOnCall
from chat.services import crisis, post_message
from notifications.models import Notification
from tests.chat.conftest import make_room
from tests.factories import person

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
CRISIS = "I have got the pills out and I want to overdose tonight"


def at(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def nia(db):
    return person(Role.MODERATOR, display_name="Nia Nightshift")


@pytest.fixture
def mo(db):
    return person(Role.MODERATOR, display_name="Mo Monday")


def test_a_weekly_slot_puts_someone_on_call_at_those_times_every_week(coordinator, mo, clock):
    crisis.add_weekly_slot(
        by=coordinator, person=mo, weekday=Weekday.MONDAY, starts=time(18), ends=time(23)
    )
    # 1 December 2025 and 8 June 2026 are Mondays (winter time and summer time).
    for monday in (at(2025, 12, 1, 18, 30), at(2026, 6, 8, 22, 59)):
        assert crisis.on_call(room=None, now=monday) == [mo]
    assert crisis.on_call(room=None, now=at(2025, 12, 1, 17, 59)) == []
    assert crisis.on_call(room=None, now=at(2025, 12, 1, 23, 0)) == []
    assert crisis.on_call(room=None, now=at(2025, 12, 2, 19, 0)) == []  # a Tuesday
    assert ModerationAction.objects.filter(action="on_call.added", subject=mo).exists()


def test_a_slot_ending_before_it_starts_runs_past_midnight(coordinator, nia):
    crisis.add_weekly_slot(
        by=coordinator, person=nia, weekday=Weekday.SUNDAY, starts=time(22), ends=time(2)
    )
    assert crisis.on_call(room=None, now=at(2025, 12, 7, 23, 30)) == [nia]  # Sunday night
    assert crisis.on_call(room=None, now=at(2025, 12, 8, 1, 59)) == [nia]  # Monday small hours
    assert crisis.on_call(room=None, now=at(2025, 12, 8, 2, 0)) == []
    assert crisis.on_call(room=None, now=at(2025, 12, 7, 1, 0)) == []  # Sunday's small hours


def test_who_is_on_call_now_uses_one_off_shifts_and_weekly_slots_together(
    coordinator, mo, nia, clock
):
    monday_evening = at(2025, 12, 1, 19)
    clock.set(monday_evening)
    crisis.add_weekly_slot(
        by=coordinator, person=mo, weekday=Weekday.MONDAY, starts=time(18), ends=time(23)
    )
    crisis.add_shift(
        by=coordinator,
        person=nia,
        starts_at=monday_evening - timedelta(hours=1),
        ends_at=monday_evening + timedelta(hours=1),
    )
    assert set(crisis.on_call(room=None, now=timezone.now())) == {mo, nia}
    # On call for the whole organisation at once, shown on the rota page.
    shifts, weekly, now_on_call = read_side.rota()
    assert [s.person for s in shifts] == [nia] and [w.person for w in weekly] == [mo]
    assert set(now_on_call) == {mo, nia}


def test_a_crisis_on_a_monday_evening_tells_the_weekly_moderator(
    room, mentee, mentor, mo, coordinator, safeguarding_lead, default_filters, clock
):
    crisis.add_weekly_slot(
        by=coordinator, person=mo, weekday=Weekday.MONDAY, starts=time(18), ends=time(23)
    )
    clock.set(at(2025, 12, 1, 20))
    post_message(room=room, author=mentee, body=CRISIS)
    assert [n.recipient for n in Notification.objects.filter(kind="chat.crisis")] == [mo]

    Notification.objects.all().delete()
    clock.set(at(2025, 12, 2, 20))  # Tuesday: nobody on call, so the leads are told
    post_message(room=room, author=mentor, body=CRISIS)
    told = [n.recipient for n in Notification.objects.filter(kind="chat.crisis")]
    assert told == [safeguarding_lead]


def test_a_weekly_slot_for_one_room_covers_that_room_only(coordinator, mo, room):
    other = make_room(name="Other group")
    crisis.add_weekly_slot(
        by=coordinator, person=mo, room=room, weekday=Weekday.MONDAY, starts=time(9), ends=time(17)
    )
    monday = at(2025, 12, 1, 12)
    assert crisis.on_call(room=room, now=monday) == [mo]
    assert crisis.on_call(room=other, now=monday) == []
    assert crisis.on_call(room=None, now=monday) == []


def test_only_rota_keepers_add_slots_and_only_for_people_who_can_be_on_call(
    coordinator, mentee, mo
):
    with pytest.raises(PermissionDenied):
        crisis.add_weekly_slot(by=mentee, person=mo, weekday=0, starts=time(9), ends=time(10))
    with pytest.raises(ValidationError):
        crisis.add_weekly_slot(
            by=coordinator, person=mentee, weekday=0, starts=time(9), ends=time(10)
        )
    with pytest.raises(ValidationError):
        crisis.add_weekly_slot(by=coordinator, person=mo, weekday=7, starts=time(9), ends=time(10))
    with pytest.raises(ValidationError):
        crisis.add_weekly_slot(by=coordinator, person=mo, weekday=0, starts=time(9), ends=time(9))
    assert not WeeklyOnCall.objects.exists()


def test_the_rota_page_adds_shows_and_removes_a_weekly_slot(client, client_of, coordinator, mo):
    url = reverse("chat:on_call")
    response = client_of(coordinator).post(
        url,
        {"kind": "weekly", "person": mo.pk, "weekday": "0", "starts": "18:00", "ends": "23:00"},
    )
    assert response.status_code == 302
    slot = WeeklyOnCall.objects.get()
    assert (slot.person, slot.weekday, slot.starts, slot.ends) == (mo, 0, time(18), time(23))
    page = client_of(coordinator).get(url).content.decode()
    assert "Mondays 18:00–23:00" in page
    assert not OnCallShift.objects.exists()

    bad = client_of(coordinator).post(
        url, {"kind": "weekly", "person": mo.pk, "weekday": "0", "starts": "6pm", "ends": ""}
    )
    assert bad.status_code == 400
    assert "Please give a time, like 18:00." in bad.content.decode()
    assert WeeklyOnCall.objects.count() == 1

    remove = reverse("chat:remove_weekly_slot", args=[slot.pk])
    assert client.post(remove).status_code == 302  # to the log-in page
    assert client_of(mo).post(remove).status_code == 302
    assert WeeklyOnCall.objects.exists() is False  # a moderator keeps the rota too
    assert client_of(coordinator).post(remove).status_code == 404
