"""The one calendar: a private feed per person with their meetings, shifts and events, made,
replaced and turned off from one page, and "Add to my calendar" on every meeting, shift and event
page, all built by notifications.calendar."""

from __future__ import annotations

import importlib
import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from accounts.models import AuditEvent
from accounts.roles import Role
from cms.services import cancel_registration, register_for_event
from mentoring.choices import MatchStatus, MeetingPlace, MeetingStatus
from notifications import services
from notifications.models import CalendarFeed, Preferences
from tests.cms import factories as cms_factories
from tests.factories import person
from tests.mentoring.factories import cleared_mentor, match_between, meeting_of
from tests.volunteering.factories import ShiftFactory, make_cleared
from volunteering import services as volunteering

pytestmark = pytest.mark.django_db


def events_of(response) -> dict[str, object]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return {str(e["summary"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def feed_url(user) -> str:
    return reverse("calendar:feed", args=[services.new_calendar_address(user=user).token])


@pytest.fixture
def sam(db):
    """A peer mentor who also volunteers: meetings and shifts both."""
    mentor = cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name="Sam"))
    make_cleared(mentor, "event-helper")
    return mentor


@pytest.fixture
def jay(db):
    return person(Role.MENTEE, display_name="Jay")


@pytest.fixture
def pair(sam, jay):
    return match_between(sam, jay)


def test_a_persons_feed_has_their_meetings_shifts_and_events_and_nobody_elses(client, sam, pair):
    meeting_of(pair, place="The Mill café")
    shift = ShiftFactory(place="Community café")
    volunteering.sign_up(shift=shift, volunteer=sam)
    walk = cms_factories.event(title="Recovery walk", capacity=5)
    register_for_event(event=walk, user=sam)
    # Someone else's meeting, shift and event must not show.
    other = cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name="Lee"))
    make_cleared(other, "event-helper")
    meeting_of(match_between(other, person(Role.MENTEE, display_name="Ash")))
    volunteering.sign_up(shift=ShiftFactory(place="Somewhere else"), volunteer=other)
    register_for_event(event=cms_factories.event(title="Art group", capacity=5), user=other)
    # A shift Sam gave up and an event place Sam cancelled are no longer Sam's.
    given_up = ShiftFactory(place="Old hall")
    volunteering.sign_up(shift=given_up, volunteer=sam)
    volunteering.withdraw(shift=given_up, volunteer=sam)
    quiz = cms_factories.event(title="Quiz night", capacity=5)
    register_for_event(event=quiz, user=sam)
    cancel_registration(event=quiz, user=sam)

    events = events_of(client.get(feed_url(sam)))  # no log-in: the secret address is the key

    assert set(events) == {"Meeting with Jay", "Event helper", "Recovery walk"}
    assert str(events["Meeting with Jay"]["location"]) == "In person: The Mill café"
    assert str(events["Event helper"]["location"]) == "Community café"
    assert str(events["Recovery walk"]["url"]).endswith(walk.url)
    assert str(events["Meeting with Jay"]["status"]) == "CONFIRMED"


def test_the_mentee_sees_the_meeting_under_the_mentors_name(client, jay, pair):
    meeting_of(pair)
    assert set(events_of(client.get(feed_url(jay)))) == {"Meeting with Sam"}


def test_a_wrong_or_turned_off_address_is_refused(client, client_of, jay, pair):
    meeting_of(pair)
    url = feed_url(jay)
    assert client.get(reverse("calendar:feed", args=["guess"])).status_code == 404
    client_of(jay).post(reverse("calendar:settings"), {"action": "off"})
    assert not CalendarFeed.objects.exists()
    assert client.get(url).status_code == 404


def test_a_switched_off_account_has_no_feed(client, jay):
    url = feed_url(jay)
    jay.is_active = False
    jay.save(update_fields=["is_active"])
    assert client.get(url).status_code == 404


def test_the_page_gives_https_and_webcal_from_site_url_and_the_old_address_stops_only_on_renewal(
    client, client_of, jay, settings
):
    settings.SITE_URL = "https://alongside.example.org"
    page_of_jay = client_of(jay)
    first = page_of_jay.post(reverse("calendar:settings"), {"action": "new"}, follow=True)
    page = first.content.decode()
    assert "Your calendar address is ready." in page
    assert "stopped working" not in page
    old_path = reverse("calendar:feed", args=[CalendarFeed.objects.get(user=jay).token])
    assert f'href="webcal://alongside.example.org{old_path}"' in page
    assert f'value="https://alongside.example.org{old_path}"' in page
    assert "http://" not in page.split("<main", 1)[1]
    # Looking again does not replace it.
    page_of_jay.get(reverse("calendar:settings"))
    assert client.get(old_path).status_code == 200

    again = page_of_jay.post(reverse("calendar:settings"), {"action": "new"}, follow=True)

    assert "The old one has stopped working." in again.content.decode()
    new_path = reverse("calendar:feed", args=[CalendarFeed.objects.get(user=jay).token])
    assert new_path != old_path
    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200
    trail = AuditEvent.objects.filter(subject=jay, action__startswith="calendar.").order_by("pk")
    actions = list(trail.values_list("action", flat=True))
    assert actions == ["calendar.address_made", "calendar.address_replaced"]


def test_a_cancelled_meeting_shows_as_cancelled(client, jay, pair):
    meeting_of(pair, status=MeetingStatus.CANCELLED)
    (event,) = events_of(client.get(feed_url(jay))).values()
    assert str(event["status"]) == "CANCELLED"
    assert str(event["summary"]) == "Cancelled: Meeting with Sam"


def test_ended_matches_and_long_past_meetings_leave_the_feed(client, jay, sam):
    ended = match_between(sam, jay, status=MatchStatus.ENDED)
    meeting_of(ended)
    current = match_between(cleared_mentor(person(Role.PEER_MENTOR, display_name="Kim")), jay)
    meeting_of(current, in_hours=-24 * 40)
    meeting_of(current, in_hours=-24 * 7, place="Last week's café")
    (event,) = events_of(client.get(feed_url(jay))).values()
    assert str(event["location"]) == "In person: Last week's café"


def test_a_meeting_at_the_prison_gate_keeps_its_place_off_the_calendar_unless_asked(
    client, client_of, jay, pair
):
    meeting = meeting_of(pair, place_kind=MeetingPlace.PRISON_GATE, place="HMP Example")
    url = feed_url(jay)
    ics = reverse("mentoring:meeting_ics", args=[meeting.pk])
    for body in (client.get(url).content, client_of(jay).get(ics).content):
        assert b"prison" not in body.lower() and b"HMP" not in body
        assert b"Meeting with Sam" in body
    assert "discreet" in client_of(jay).get(reverse("calendar:settings")).content.decode()

    Preferences.objects.update_or_create(user=jay, defaults={"show_details": True})

    (event,) = events_of(client.get(url)).values()
    assert str(event["location"]) == "At the prison gate (release day): HMP Example"
    assert b"HMP Example" in client_of(jay).get(ics).content


def test_the_feed_costs_the_same_whatever_it_holds(client, sam, pair, django_assert_num_queries):
    url = feed_url(sam)
    for n in range(3):
        meeting_of(pair, in_hours=24 + n)
        volunteering.sign_up(shift=ShiftFactory(), volunteer=sam)
        register_for_event(event=cms_factories.event(title=f"Event {n}", capacity=5), user=sam)
    # 1 the address and its person, 2 the "show details" choice, 3 meetings, 4 shifts, 5 events;
    # Wagtail's site root paths (for the event pages' addresses) come from its cache after one
    # look-up: warm it first.
    client.get(url)
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 9


def test_the_addresses_from_before_the_one_calendar_keep_working_until_a_new_one(client, jay):
    feed = CalendarFeed.objects.create(user=jay, token="meetings-token", earlier_token="shifts")
    meetings = reverse("earlier_meetings_feed", args=[feed.token])
    shifts = reverse("earlier_shifts_feed", args=[feed.earlier_token])
    assert meetings == "/mentoring/calendar/meetings-token.ics"
    assert shifts == "/volunteering/calendar/shifts/shifts.ics"
    for url in (meetings, shifts, reverse("calendar:feed", args=["shifts"])):
        assert client.get(url).status_code == 200

    services.new_calendar_address(user=jay)

    for url in (meetings, shifts):
        assert client.get(url).status_code == 404


def test_the_migration_keeps_every_address_a_phone_has(jay, sam):
    migration = importlib.import_module("notifications.migrations.0003_calendar_feed")
    then = timezone.now() - timedelta(days=300)
    old = {
        "mentoring": [
            SimpleNamespace(user_id=jay.pk, token="jay-meetings", created_at=timezone.now()),
            SimpleNamespace(user_id=sam.pk, token="sam-meetings", created_at=timezone.now()),
        ],
        "volunteering": [SimpleNamespace(user_id=sam.pk, token="sam-shifts", created_at=then)],
    }

    class Apps:
        def get_model(self, app, name):
            if app == "notifications":
                return CalendarFeed
            rows = old[app]
            return SimpleNamespace(objects=SimpleNamespace(order_by=lambda *_: rows))

    migration.merge_the_two_feeds(Apps(), None)

    feeds = {f.user_id: f for f in CalendarFeed.objects.all()}
    assert (feeds[jay.pk].token, feeds[jay.pk].earlier_token) == ("jay-meetings", None)
    assert (feeds[sam.pk].token, feeds[sam.pk].earlier_token) == ("sam-meetings", "sam-shifts")
    assert feeds[sam.pk].created_at == then


# --- "Add to my calendar" on every meeting, shift and event page ---------------------------------


def _add_to_calendar_link(page: str) -> str:
    match = re.search(
        r'<a class="button button--secondary" href="([^"]+)">Add to my calendar', page
    )
    assert match, "no Add to my calendar link"
    return match.group(1)


def test_every_item_page_offers_an_ics_that_opens(client, client_of, sam, jay, pair):
    meeting = meeting_of(pair, place="The Mill café")
    shift = ShiftFactory(place="Community café")
    walk = cms_factories.event(title="Recovery walk", capacity=5)

    pages = [
        (client_of(jay), reverse("mentoring:meeting", args=[meeting.pk]), "Meeting with Sam"),
        (client_of(sam), reverse("volunteering:shift", args=[shift.pk]), "Event helper"),
        (client_of(sam), walk.url, "Recovery walk"),
        (client, walk.url, "Recovery walk"),  # an event is public
    ]
    for browser, url, title in pages:
        page = browser.get(url)
        assert page.status_code == 200
        link = _add_to_calendar_link(page.content.decode())
        (event,) = events_of(browser.get(link)).values()
        assert str(event["summary"]) == title


def test_a_meeting_ics_is_for_the_pair_and_coordinators_only(client, client_of, jay, pair):
    meeting = meeting_of(pair)
    url = reverse("mentoring:meeting_ics", args=[meeting.pk])
    assert client.get(url).status_code == 302  # to log in
    assert client_of(person(Role.MENTEE)).get(url).status_code == 404
    coordinator = person(Role.COORDINATOR)
    (event,) = events_of(client_of(coordinator).get(url)).values()
    assert str(event["summary"]) == "Jay and Sam meet"


def test_a_booked_online_event_says_how_to_join_to_the_person_with_a_place(client, client_of, jay):
    talk = cms_factories.event(
        title="Online talk", online=True, online_details="https://meet.example/abc", capacity=5
    )
    ics = reverse("cms:event_ics", args=[talk.pk])
    assert b"meet.example" not in client.get(ics).content
    register_for_event(event=talk, user=jay)
    assert b"meet.example" in client_of(jay).get(ics).content
    assert b"meet.example" in client.get(feed_url(jay)).content


def test_my_data_says_there_is_an_address_but_never_gives_it(jay):
    from accounts.services import export_personal_data, export_personal_data_json

    feed = services.new_calendar_address(user=jay)
    assert export_personal_data(user=jay)["calendar"] == [{"made_on": feed.created_at}]
    assert feed.token not in export_personal_data_json(user=jay)
