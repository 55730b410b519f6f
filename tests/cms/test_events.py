"""Registration: who may, places never exceeded, the waiting list moves up, reminders, iCal."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.hooks import run_daily
from accounts.roles import Role
from cms import services
from cms.models import EventRegistration
from notifications.models import Notification
from notifications.places import PlaceStatus
from tests.cms import factories
from tests.factories import person

pytestmark = pytest.mark.django_db


def _register_url(event):
    return reverse("cms:event_register", args=[event.pk])


def _cancel_url(event):
    return reverse("cms:event_cancel", args=[event.pk])


def test_anonymous_is_sent_to_log_in(client):
    event = factories.event()
    response = client.post(_register_url(event))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert b"Log in to book a place" in client.get(event.url).content


@pytest.mark.parametrize(
    ("audience", "allowed", "refused"),
    [
        ("anyone", ["mentee", "outsider", "mentor"], []),
        ("members", ["mentee", "mentor", "coordinator"], ["outsider"]),
        ("peer_mentors", ["mentor"], ["mentee", "outsider", "volunteer"]),
    ],
)
def test_who_may_register(request, client_of, audience, allowed, refused):
    event = factories.event(audience=audience, capacity=10)
    for name in allowed:
        user = request.getfixturevalue(name)
        assert client_of(user).post(_register_url(event)).status_code == 302, name
        assert EventRegistration.objects.filter(event=event, user=user).exists(), name
    for name in refused:
        user = request.getfixturevalue(name)
        assert client_of(user).post(_register_url(event)).status_code == 404, name
        assert not EventRegistration.objects.filter(event=event, user=user).exists(), name


def test_register_twice_is_one_registration(client_of, mentee):
    event = factories.event()
    client = client_of(mentee)
    client.post(_register_url(event))
    client.post(_register_url(event))
    assert EventRegistration.objects.filter(event=event).count() == 1


def test_unpublished_event_is_404(client_of, mentee):
    event = factories.event(live=False)
    assert client_of(mentee).post(_register_url(event)).status_code == 404


def test_full_event_puts_people_on_the_waiting_list_and_promotes_on_cancel(
    client_of, django_capture_on_commit_callbacks
):
    event = factories.event(capacity=1)
    first, second, third = (person(Role.MENTEE) for _ in range(3))
    for user in (first, second, third):
        client_of(user).post(_register_url(event))
    statuses = dict(EventRegistration.objects.values_list("user_id", "status"))
    assert statuses == {first.pk: "booked", second.pk: "waiting", third.pk: "waiting"}
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client_of(first).post(_cancel_url(event))
    statuses = dict(EventRegistration.objects.values_list("user_id", "status"))
    assert statuses == {first.pk: "cancelled", second.pk: "booked", third.pk: "waiting"}
    assert [m.to for m in mail.outbox] == [[second.email]]
    (notice,) = Notification.objects.filter(kind="cms.event_place")
    assert notice.recipient == second and notice.url == event.url
    assert client_of(second).get(notice.url).status_code == 200

    # Cancelling a waiting-list place promotes nobody.
    client_of(third).post(_cancel_url(event))
    assert EventRegistration.objects.filter(status="booked").count() == 1


def test_event_page_shows_my_place(client_of, mentee):
    event = factories.event()
    client = client_of(mentee)
    assert b"Book a place" in client.get(event.url).content
    client.post(_register_url(event))
    page = client.get(event.url)
    assert b"You have a place" in page.content
    assert page["Cache-Control"] == "no-store"


def test_started_event_refuses_registration(mentee):
    event = factories.event()
    event.start = timezone.now() - timedelta(minutes=5)
    event.save_revision().publish()
    with pytest.raises(services.RegistrationError):
        services.register_for_event(event=event, user=mentee)


def test_reminders_go_the_day_before_once(mentee, mentor, django_capture_on_commit_callbacks):
    tomorrow = factories.event(title="Tomorrow's walk", days=1, capacity=1)
    later = factories.event(title="Next week", days=7)
    services.register_for_event(event=tomorrow, user=mentee)
    services.register_for_event(event=tomorrow, user=mentor)  # waiting list: no reminder
    services.register_for_event(event=later, user=mentee)
    mail.outbox.clear()
    now = tomorrow.start - timedelta(days=1)
    for _ in range(2):  # safe to run twice
        with django_capture_on_commit_callbacks(execute=True):
            run_daily(now)
    assert [m.to for m in mail.outbox] == [[mentee.email]]
    (notice,) = Notification.objects.filter(kind="cms.event_reminder")
    assert (notice.recipient, notice.title) == (mentee, "Tomorrow: Tomorrow's walk")
    assert notice.url == tomorrow.url


def test_ical_for_one_event_and_the_feed(client):
    event = factories.event(title="Festival of strengths")
    factories.event(title="Not yet", live=False)
    one = client.get(reverse("cms:event_ics", args=[event.pk]))
    assert one.status_code == 200 and one["Content-Type"].startswith("text/calendar")
    assert b"SUMMARY:Festival of strengths" in one.content
    feed = client.get(reverse("cms:events_ics")).content
    assert b"Festival of strengths" in feed and b"Not yet" not in feed


def test_attendee_list_and_csv_for_coordinators_only(
    client, client_of, coordinator, involvement_lead, mentee, django_assert_num_queries
):
    event = factories.event(capacity=5)
    services.register_for_event(event=event, user=mentee)
    for name in ("attendees", "attendees_csv"):
        url = reverse(f"cms:event_{name}", args=[event.pk])
        assert client.get(url).status_code == 302
        assert client_of(mentee).get(url).status_code == 404
        assert client_of(involvement_lead).get(url).status_code == 404
        response = client_of(coordinator).get(url)
        assert response.status_code == 200
        assert mentee.display_name.encode() in response.content
    url = reverse("cms:event_attendees", args=[event.pk])
    coordinator_client = client_of(coordinator)
    coordinator_client.get(url)

    def count():
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            coordinator_client.get(url)
        return len(ctx.captured_queries)

    before = count()
    for _ in range(4):
        services.register_for_event(event=event, user=person(Role.MENTEE))
    assert count() == before  # no query per attendee


def test_csv_defuses_formulas(client_of, coordinator):
    event = factories.event()
    sneaky = person(Role.MENTEE, display_name="=HYPERLINK(1)")
    services.register_for_event(event=event, user=sneaky)
    body = client_of(coordinator).get(reverse("cms:event_attendees_csv", args=[event.pk])).content
    assert b"'=HYPERLINK(1)" in body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_capacity_never_exceeded_under_concurrency():
    factories.ensure_site()  # another transactional test may have flushed the migrated site
    event = factories.event(capacity=3)
    people = [person(Role.MENTEE) for _ in range(12)]
    barrier = threading.Barrier(len(people))
    errors = []

    def register(user):
        try:
            barrier.wait()
            services.register_for_event(event=event, user=user)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(user,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    registered = EventRegistration.objects.filter(event=event, status=PlaceStatus.BOOKED)
    assert registered.count() == 3
    assert EventRegistration.objects.filter(event=event, status="waiting").count() == 9


def test_an_editor_cannot_set_fewer_places_than_people_have():
    from django.core.exceptions import ValidationError

    event = factories.event(capacity=2)
    for somebody in (person(Role.MENTEE), person(Role.MENTEE)):
        services.register_for_event(event=event, user=somebody)
    event.capacity = 1
    with pytest.raises(ValidationError, match="2 people already have a place"):
        event.full_clean()


def test_publishing_with_more_places_gives_them_to_the_people_waiting_longest(
    django_capture_on_commit_callbacks,
):
    event = factories.event(capacity=1)
    first, second, third = (person(Role.MENTEE) for _ in range(3))
    for somebody in (first, second, third):
        services.register_for_event(event=event, user=somebody)
    event.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()

    statuses = dict(EventRegistration.objects.values_list("user_id", "status"))
    assert statuses == {first.pk: "booked", second.pk: "booked", third.pk: "waiting"}
    told = Notification.objects.filter(kind="cms.event_place")
    assert list(told.values_list("recipient_id", flat=True)) == [second.pk]


def test_a_deleted_event_tells_everyone_on_it(django_capture_on_commit_callbacks):
    event = factories.event(capacity=1)
    booked, waiting = person(Role.MENTEE), person(Role.MENTEE)
    for somebody in (booked, waiting):
        services.register_for_event(event=event, user=somebody)
    with django_capture_on_commit_callbacks(execute=True):
        event.delete()

    told = Notification.objects.filter(kind="cms.event_cancelled")
    assert set(told.values_list("recipient_id", flat=True)) == {booked.pk, waiting.pk}
    assert not Notification.objects.filter(kind="cms.event_place").exists()
