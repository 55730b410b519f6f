"""Hours: logged with plain messages for bad entries, approved one by one or many at once."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from volunteering import selectors, services
from volunteering.models import HoursEntry, HoursStatus

pytestmark = pytest.mark.django_db


def log(volunteer, role, **overrides):
    fields = {"worked_on": timezone.localdate() - timedelta(days=1), "minutes": 120, "role": role}
    return services.log_hours(volunteer=volunteer, **(fields | overrides))


def test_logged_hours_wait_for_approval(event_helper, role):
    entry = log(event_helper, role)
    assert entry.status == HoursStatus.PENDING
    assert selectors.hours_totals(event_helper).pending_minutes == 120


def test_future_date_is_refused(event_helper, role):
    with pytest.raises(ValidationError, match="today or earlier"):
        log(event_helper, role, worked_on=timezone.localdate() + timedelta(days=1))
    assert not HoursEntry.objects.exists()


def test_more_than_a_day_is_refused(event_helper, role):
    log(event_helper, role, minutes=20 * 60)
    with pytest.raises(ValidationError, match="more than 24 hours on .* already logged 20 hours"):
        log(event_helper, role, minutes=5 * 60)
    assert HoursEntry.objects.count() == 1


def test_the_same_entry_twice_is_refused(event_helper, role):
    log(event_helper, role)
    with pytest.raises(ValidationError, match="already logged this time for Event helper"):
        log(event_helper, role)


def test_a_rejected_entry_can_be_logged_again(event_helper, role, coordinator):
    entry = log(event_helper, role)
    services.decide_hours(entry_ids=[entry.pk], approve=False, by=coordinator)
    assert log(event_helper, role).status == HoursStatus.PENDING


def test_a_held_shift_proposes_its_hours(client_of, event_helper, past_shift):
    page = client_of(event_helper).get(reverse("volunteering:my_hours") + f"?shift={past_shift.pk}")

    form = page.context["form"]
    assert form.initial["hours"] == 3 and form.initial["shift"] == past_shift.pk
    assert selectors.shifts_to_log(event_helper) == [past_shift]


def test_a_shift_is_logged_once(event_helper, past_shift):
    log(event_helper, past_shift.role, shift=past_shift, minutes=180)
    with pytest.raises(ValidationError, match="already logged hours for that shift"):
        log(event_helper, past_shift.role, shift=past_shift, minutes=170)
    assert selectors.shifts_to_log(event_helper) == []


def test_cannot_log_a_shift_someone_else_held(other_volunteer, past_shift):
    with pytest.raises(ValidationError, match="not signed up for that shift"):
        log(other_volunteer, past_shift.role, shift=past_shift)


def test_the_form_shows_a_plain_message_and_keeps_nothing(client_of, event_helper, role):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_of(event_helper).post(
        reverse("volunteering:my_hours"),
        {"worked_on": tomorrow.isoformat(), "hours": 2, "minutes": 0, "role": role.pk},
    )
    assert response.status_code == 200
    assert "You can only log hours for today or earlier." in response.content.decode()
    assert not HoursEntry.objects.exists()


@pytest.mark.parametrize(
    ("hours", "minutes", "message"),
    [(0, 0, "Enter how long you volunteered."), (25, 0, "less than or equal to 24")],
)
def test_the_form_checks_the_duration(client_of, event_helper, role, hours, minutes, message):
    response = client_of(event_helper).post(
        reverse("volunteering:my_hours"),
        {
            "worked_on": timezone.localdate().isoformat(),
            "hours": hours,
            "minutes": minutes,
            "role": role.pk,
        },
    )
    assert message in response.content.decode()


def test_coordinator_approves_many_at_once(client_of, coordinator, event_helper, role):
    first = log(event_helper, role, minutes=60)
    second = log(event_helper, role, minutes=90)
    third = log(event_helper, role, minutes=30)

    response = client_of(coordinator).post(
        reverse("volunteering:approvals"),
        {"entries": [first.pk, second.pk], "decision": "approve"},
    )

    assert response.status_code == 302
    assert selectors.hours_totals(event_helper).approved_minutes == 150
    third.refresh_from_db()
    assert third.status == HoursStatus.PENDING


def test_select_all_approves_every_entry_the_page_showed_and_no_other(
    client_of, coordinator, event_helper, role
):
    client = client_of(coordinator)
    first = log(event_helper, role, minutes=60)
    second = log(event_helper, role, minutes=90)
    page = client.get(reverse("volunteering:approvals")).content.decode()
    assert "Select all (2 entries)" in page
    arrived_since = log(event_helper, role, minutes=30, worked_on=timezone.localdate())

    client.post(
        reverse("volunteering:approvals"),
        {"all": "yes", "shown": [first.pk, second.pk], "decision": "approve"},
    )

    assert selectors.hours_totals(event_helper).approved_minutes == 150
    arrived_since.refresh_from_db()
    assert arrived_since.status == HoursStatus.PENDING


def test_coordinator_rejects_one(client_of, coordinator, pending_entry):
    client_of(coordinator).post(
        reverse("volunteering:approvals"), {"entries": [pending_entry.pk], "decision": "reject"}
    )
    pending_entry.refresh_from_db()
    assert pending_entry.status == HoursStatus.REJECTED
    assert pending_entry.decided_by == coordinator


def test_deciding_nothing_says_so(client_of, coordinator, pending_entry):
    response = client_of(coordinator).post(
        reverse("volunteering:approvals"), {"decision": "approve"}, follow=True
    )
    assert "Tick at least one entry." in response.content.decode()


def test_an_entry_is_decided_once(coordinator, pending_entry):
    assert services.decide_hours(entry_ids=[pending_entry.pk], approve=True, by=coordinator) == 1
    assert services.decide_hours(entry_ids=[pending_entry.pk], approve=False, by=coordinator) == 0
    pending_entry.refresh_from_db()
    assert pending_entry.status == HoursStatus.APPROVED


def test_volunteers_cannot_approve(event_helper, pending_entry):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.decide_hours(entry_ids=[pending_entry.pk], approve=True, by=event_helper)


def test_approvals_page_pins_its_queries(
    client_of, coordinator, event_helper, other_volunteer, role, django_assert_num_queries
):
    client = client_of(coordinator)
    log(event_helper, role)
    client.get(reverse("volunteering:approvals"))
    # Middleware as on every page: session, user, roles, authenticator check (4); pending
    # entries with people, roles, shifts (1).
    # + 1: the count of unread notifications in the header.
    with django_assert_num_queries(6):
        client.get(reverse("volunteering:approvals"))
    for days in range(2, 8):
        log(other_volunteer, role, worked_on=timezone.localdate() - timedelta(days=days))
    with django_assert_num_queries(6):
        response = client.get(reverse("volunteering:approvals"))
    assert len(response.context["pending"]) == 7


def test_my_hours_list_is_only_mine(client_of, event_helper, other_volunteer, role):
    theirs = log(other_volunteer, role)
    mine = log(event_helper, role, minutes=45)
    response = client_of(event_helper).get(reverse("volunteering:my_hours"))
    assert list(response.context["entries"]) == [mine]
    assert theirs not in response.context["entries"]


def test_hours_for_a_role_the_person_is_not_cleared_for_are_refused(client_of, volunteer, role):
    # Priya has applied but has no reference yet: not cleared as an event helper.
    with pytest.raises(ValidationError, match="only log hours for a role you are cleared for"):
        log(volunteer, role)
    response = client_of(volunteer).post(
        reverse("volunteering:my_hours"),
        {
            "worked_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "hours": 2,
            "minutes": 0,
            "role": role.pk,
        },
    )
    page = response.content.decode()
    assert "You can only log hours for a role you are cleared for" in page
    assert "not cleared for Event helper" in page
    assert not HoursEntry.objects.exists()


def test_hours_for_a_role_the_person_is_cleared_for_are_taken(event_helper, role):
    assert log(event_helper, role).status == HoursStatus.PENDING
