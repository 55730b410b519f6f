"""Shifts: sign up, waiting list that promotes by itself, withdraw, never overbooked."""

import threading
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from notifications.models import Notification
from notifications.places import PlaceStatus
from tests.factories import person
from tests.volunteering.factories import ShiftFactory, make_cleared
from volunteering import selectors, services
from volunteering.models import Shift, ShiftSignup, VolunteerRole

pytestmark = pytest.mark.django_db


def cleared_people(count: int) -> list:
    people = [person(Role.VOLUNTEER) for _ in range(count)]
    for somebody in people:
        make_cleared(somebody, "event-helper")
    return people


def test_sign_up_takes_a_place_then_the_waiting_list(shift):
    first, second, third = cleared_people(3)

    assert services.sign_up(shift=shift, volunteer=first).status == PlaceStatus.BOOKED
    assert services.sign_up(shift=shift, volunteer=second).status == PlaceStatus.BOOKED
    assert services.sign_up(shift=shift, volunteer=third).status == PlaceStatus.WAITING


def test_withdrawing_promotes_the_longest_waiting(shift, django_capture_on_commit_callbacks):
    first, second, third, fourth = cleared_people(4)
    for somebody in (first, second, third, fourth):
        services.sign_up(shift=shift, volunteer=somebody)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.withdraw(shift=shift, volunteer=first)

    assert promoted.volunteer == third
    assert ShiftSignup.objects.get(shift=shift, volunteer=fourth).status == PlaceStatus.WAITING
    assert [m.to for m in mail.outbox] == [[third.email]]
    (notice,) = Notification.objects.filter(recipient=third, kind="volunteering.shift_place")
    assert notice.title.startswith("A place came up")


def test_leaving_the_waiting_list_promotes_nobody(shift):
    first, second, third = cleared_people(3)
    for somebody in (first, second, third):
        services.sign_up(shift=shift, volunteer=somebody)

    assert services.withdraw(shift=shift, volunteer=third) is None
    assert shift.signups.filter(status=PlaceStatus.BOOKED).count() == 2


def test_can_sign_up_again_after_withdrawing(shift, event_helper):
    services.sign_up(shift=shift, volunteer=event_helper)
    services.withdraw(shift=shift, volunteer=event_helper)

    assert services.sign_up(shift=shift, volunteer=event_helper).status == PlaceStatus.BOOKED


def test_not_twice(shift, event_helper):
    services.sign_up(shift=shift, volunteer=event_helper)
    with pytest.raises(ValidationError, match="already on this shift"):
        services.sign_up(shift=shift, volunteer=event_helper)


def test_only_people_cleared_for_the_role(volunteer):
    peer_shift = ShiftFactory(role=VolunteerRole.objects.get(slug="peer-mentor"))

    with pytest.raises(ValidationError, match="not cleared for Peer mentor yet: Induction"):
        services.sign_up(shift=peer_shift, volunteer=volunteer)
    assert not peer_shift.signups.exists()


def test_not_after_it_started(role, event_helper):
    started = ShiftFactory(role=role, starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ValidationError, match="already started"):
        services.sign_up(shift=started, volunteer=event_helper)


def test_volunteers_see_shifts_they_are_cleared_for(event_helper, shift):
    peer_shift = ShiftFactory(role=VolunteerRole.objects.get(slug="peer-mentor"))
    ShiftFactory(role=shift.role, starts_at=timezone.now() - timedelta(days=1))

    assert selectors.open_shifts_for(event_helper) == [shift]
    assert peer_shift not in selectors.open_shifts_for(event_helper)


def test_sign_up_page_shows_waiting_list_message(client_of, shift, event_helper):
    for somebody in cleared_people(2):
        services.sign_up(shift=shift, volunteer=somebody)

    response = client_of(event_helper).post(
        reverse("volunteering:shift_sign_up", args=[shift.pk]), follow=True
    )

    assert "you are on the waiting list" in response.content.decode()


def test_not_cleared_message_is_plain_and_changes_nothing(client_of, volunteer):
    peer_shift = ShiftFactory(role=VolunteerRole.objects.get(slug="peer-mentor"))
    response = client_of(volunteer).post(
        reverse("volunteering:shift_sign_up", args=[peer_shift.pk]), follow=True
    )
    assert "You are not cleared for Peer mentor yet" in response.content.decode()
    assert not peer_shift.signups.exists()


def test_weekly_series_keeps_local_time_across_the_clock_change(coordinator, role):
    # 22 March 2027 10:00 GMT; clocks go forward on 28 March.
    starts = timezone.make_aware(timezone.datetime(2027, 3, 22, 10, 0))
    shifts = services.create_shifts(
        role=role,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="Hub",
        places=3,
        repeat_weeks=2,
        by=coordinator,
    )

    assert [timezone.localtime(s.starts_at).hour for s in shifts] == [10, 10, 10]
    assert len({s.series for s in shifts}) == 1


def test_create_shift_refuses_bad_input(coordinator, role):
    starts = timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError, match="end after it starts"):
        services.create_shifts(
            role=role, starts_at=starts, ends_at=starts, place="x", places=1, by=coordinator
        )
    with pytest.raises(ValidationError, match="up to 26 weeks"):
        services.create_shifts(
            role=role,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            place="x",
            places=1,
            by=coordinator,
            repeat_weeks=52,
        )
    assert not Shift.objects.exists()


def test_coordinator_creates_a_repeating_shift_on_the_page(client_of, coordinator, role):
    day = timezone.localdate() + timedelta(days=2)
    response = client_of(coordinator).post(
        reverse("volunteering:new_shift"),
        {
            "role": role.pk,
            "day": day.isoformat(),
            "starts": "10:00",
            "ends": "13:00",
            "place": "Café",
            "places": 4,
            "repeat_weeks": 3,
        },
    )
    assert response.status_code == 302
    assert Shift.objects.count() == 4


def test_week_view_pins_its_queries(client_of, coordinator, role, django_assert_num_queries):
    def add_shifts(n):
        for i in range(n):
            shift = ShiftFactory(role=role, starts_at=timezone.now() + timedelta(hours=i + 1))
            for somebody in cleared_people(2):
                services.sign_up(shift=shift, volunteer=somebody)

    client = client_of(coordinator)
    add_shifts(1)
    client.get(reverse("volunteering:rota"))  # warm up the session and caches
    # Middleware: session, user, roles, authenticator check; then the page: shifts with places
    # taken, people on them.
    # + 1: the count of unread notifications in the header.
    with django_assert_num_queries(7):
        client.get(reverse("volunteering:rota"))
    add_shifts(3)
    with django_assert_num_queries(7):
        response = client.get(reverse("volunteering:rota"))
    assert response.status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_people_at_once_for_five_places():
    """20 threads sign up together for a 5-place shift: exactly 5 get a place, 15 wait."""
    role = VolunteerRole.objects.get(slug="event-helper")
    shift = ShiftFactory(role=role, places=5)
    people = cleared_people(20)
    start = threading.Barrier(20)
    errors = []

    def go(somebody):
        try:
            start.wait()
            services.sign_up(shift=shift, volunteer=somebody)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=go, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = list(shift.signups.values_list("status", flat=True))
    assert statuses.count(PlaceStatus.BOOKED) == 5
    assert statuses.count(PlaceStatus.WAITING) == 15


# --- A coordinator changes or cancels a shift --------------------------------------------------


def test_moving_a_shift_tells_everyone_on_it_and_waiting(
    shift, coordinator, django_capture_on_commit_callbacks
):
    first, second, third = cleared_people(3)
    for somebody in (first, second, third):
        services.sign_up(shift=shift, volunteer=somebody)
    later = shift.starts_at + timedelta(days=2)

    with django_capture_on_commit_callbacks(execute=True):
        services.update_shift(
            shift=shift,
            by=coordinator,
            starts_at=later,
            ends_at=later + timedelta(hours=2),
            place="The new hall",
            places=2,
        )

    notices = Notification.objects.filter(kind="volunteering.shift_changed")
    assert {n.recipient for n in notices} == {first, second, third}
    assert all("The new hall" in n.body for n in notices)
    assert "waiting list" in notices.get(recipient=third).body
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email, third.email])


def test_more_places_go_to_the_people_waiting(shift, coordinator):
    first, second, third = cleared_people(3)
    for somebody in (first, second, third):
        services.sign_up(shift=shift, volunteer=somebody)

    services.update_shift(
        shift=shift,
        by=coordinator,
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
        place=shift.place,
        places=3,
    )

    assert ShiftSignup.objects.get(volunteer=third).status == PlaceStatus.BOOKED
    assert Notification.objects.filter(recipient=third, kind="volunteering.shift_place").exists()
    # Nothing about the shift itself changed: nobody is told it changed.
    assert not Notification.objects.filter(kind="volunteering.shift_changed").exists()


def test_fewer_places_than_people_signed_up_is_refused(shift, coordinator):
    first, second = cleared_people(2)
    for somebody in (first, second):
        services.sign_up(shift=shift, volunteer=somebody)
    with pytest.raises(ValidationError, match="already have a place"):
        services.update_shift(
            shift=shift,
            by=coordinator,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            place=shift.place,
            places=1,
        )


def test_cancelling_a_shift_tells_everyone_and_promotes_nobody(
    client_of, shift, coordinator, django_capture_on_commit_callbacks
):
    first, second, third = cleared_people(3)
    for somebody in (first, second, third):
        services.sign_up(shift=shift, volunteer=somebody)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(coordinator).post(
            reverse("volunteering:cancel_shift", args=[shift.pk])
        )

    assert response.status_code == 302
    assert not Shift.objects.filter(pk=shift.pk).exists()
    notices = Notification.objects.filter(kind="volunteering.shift_changed")
    assert {n.recipient for n in notices} == {first, second, third}
    assert all("cancelled" in n.title for n in notices)
    assert not Notification.objects.filter(kind="volunteering.shift_place").exists()
    page = client_of(third).get(notices.get(recipient=third).url)
    assert page.status_code == 200


def test_only_coordinators_change_or_cancel_shifts(client, client_of, shift, event_helper):
    for name in ("change_shift", "cancel_shift"):
        url = reverse(f"volunteering:{name}", args=[shift.pk])
        assert reverse("account_login") in client.post(url)["Location"]
        assert client_of(event_helper).post(url).status_code == 404
    assert Shift.objects.filter(pk=shift.pk).exists()
    with pytest.raises(PermissionDenied):
        services.cancel_shift(shift=shift, by=event_helper)


def test_the_change_page_saves_a_new_time(client_of, shift, coordinator):
    client = client_of(coordinator)
    url = reverse("volunteering:change_shift", args=[shift.pk])
    assert client.get(url).status_code == 200
    day = timezone.localdate(shift.starts_at) + timedelta(days=1)
    response = client.post(
        url,
        {"day": day.isoformat(), "starts": "10:00", "ends": "12:00", "place": "Hall", "places": 2},
    )
    assert response.status_code == 302
    shift.refresh_from_db()
    assert timezone.localtime(shift.starts_at).hour == 10 and shift.place == "Hall"


def test_a_text_reply_no_gives_up_the_place_and_tells_the_coordinator(coordinator):
    from volunteering.notices import reply_to_shift_reminder

    tomorrow = timezone.localdate() + timedelta(days=1)
    soon = timezone.make_aware(datetime.combine(tomorrow, time(10, 0)))
    shift = ShiftFactory(starts_at=soon, ends_at=soon + timedelta(hours=2), places=1)
    shift.created_by = coordinator
    shift.save()
    first, second = cleared_people(2)
    services.sign_up(shift=shift, volunteer=first)
    services.sign_up(shift=shift, volunteer=second)  # waiting
    services.send_shift_reminders(now=timezone.now())
    reminder = Notification.objects.get(kind="volunteering.shift_reminder")

    assert reply_to_shift_reminder(reminder, "YES", first).startswith("Thank you")
    assert "told your coordinator" in reply_to_shift_reminder(reminder, "no", first)
    assert ShiftSignup.objects.get(volunteer=first).status == PlaceStatus.CANCELLED
    assert ShiftSignup.objects.get(volunteer=second).status == PlaceStatus.BOOKED
    told = Notification.objects.get(kind="volunteering.shift_withdrawn")
    assert told.recipient == coordinator and first.display_name in told.title
