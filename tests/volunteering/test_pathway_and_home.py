"""The pathway from mentee to volunteer, the Today cards, navigation and demo content."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import hooks
from accounts.roles import Role
from notifications.places import PlaceStatus
from tests.volunteering.factories import TrainingCompletionFactory
from volunteering import services
from volunteering.models import Onboarding, ShiftSignup, Stage
from volunteering.selectors import pathway_events

pytestmark = pytest.mark.django_db


def card_titles(client) -> list[str]:
    return [str(card.title) for card in client.get(reverse("accounts:today")).context["cards"]]


def test_mentee_sees_want_to_volunteer_and_applies(client_of, mentee, role):
    client = client_of(mentee)
    assert "Want to volunteer?" in card_titles(client)

    response = client.post(
        reverse("volunteering:apply"),
        {"why": "To give back.", "roles": [role.pk], "availability": ["tue-evening"]},
    )

    assert response["Location"] == reverse("volunteering:home")
    onboarding = Onboarding.objects.get(user=mentee)
    assert onboarding.stage == Stage.APPLIED
    assert list(onboarding.roles_wanted.all()) == [role]
    assert "Want to volunteer?" not in card_titles(client)
    assert pathway_events(mentee) == [(timezone.localdate(), "Applied to volunteer")]


def test_apply_needs_a_reason(client_of, mentee):
    response = client_of(mentee).post(reverse("volunteering:apply"), {"why": ""})
    assert "Tell us a little about why." in response.content.decode()
    assert not Onboarding.objects.exists()


def test_applying_twice_is_refused(mentee):
    from django.core.exceptions import ValidationError

    services.apply_to_volunteer(user=mentee, why="x", availability=[])
    with pytest.raises(ValidationError, match="already applied"):
        services.apply_to_volunteer(user=mentee, why="y", availability=[])


def test_pathway_events_in_order(event_helper, past_shift):
    TrainingCompletionFactory(user=event_helper, completed_on=timezone.localdate() - timedelta(3))
    events = [label for _day, label in pathway_events(event_helper)]

    assert events[0] == "Applied to volunteer"
    assert "Completed induction" in events
    assert any(label.startswith("Completed training: ") for label in events)
    assert events[-1] == "First shift"


def test_coordinator_moves_someone_to_volunteering(client_of, coordinator, applicant):
    client_of(coordinator).post(
        reverse("volunteering:move_stage", args=[applicant.pk]), {"stage": Stage.ACTIVE}
    )
    applicant.forget_roles()
    assert applicant.has_role(Role.VOLUNTEER)


def test_coordinator_records_references_dbs_and_steps(client_of, coordinator, applicant):
    client = client_of(coordinator)
    today = timezone.localdate().isoformat()
    client.post(
        reverse("volunteering:record_step", args=[applicant.pk]), {"step": "induction", "on": today}
    )
    client.post(
        reverse("volunteering:add_reference", args=[applicant.pk]),
        {"referee_name": "Ms Smith", "relationship": "Key worker"},
    )
    reference = applicant.volunteer_references.get()
    client.post(
        reverse("volunteering:reference_received", args=[applicant.pk, reference.pk]),
        {"received_on": today, "satisfactory": "yes"},
    )
    response = client.post(
        reverse("volunteering:add_dbs_check", args=[applicant.pk]),
        {"level": "basic", "issued_on": today, "certificate_number": "12345"},
        follow=True,
    )
    assert "A DBS certificate number is 12 digits." in response.content.decode()
    client.post(
        reverse("volunteering:add_dbs_check", args=[applicant.pk]),
        {"level": "basic", "issued_on": today, "certificate_number": "0012 3456 7890"},
    )

    applicant.onboarding.refresh_from_db()
    assert applicant.onboarding.induction_completed_on == timezone.localdate()
    reference.refresh_from_db()
    assert reference.satisfactory is True
    assert applicant.dbs_checks.get().certificate_number == "001234567890"
    assert services.clearance(applicant, "event-helper").cleared


def test_coordinator_writes_a_risk_assessment(client_of, coordinator, disclosed_check):
    response = client_of(coordinator).post(
        reverse("volunteering:new_risk_assessment", args=[disclosed_check.pk]),
        {
            "role": disclosed_check.risk_assessments.model._meta.get_field("role")
            .related_model.objects.get(slug="peer-mentor")
            .pk,
            "decision": "approved",
            "notes": "Offence 12 years ago, unrelated to this role.",
        },
    )
    assessment = disclosed_check.risk_assessments.get()
    assert response["Location"] == reverse("volunteering:risk_assessment", args=[assessment.pk])
    assert assessment.assessor == coordinator


def test_volunteer_card_shows_next_shift_and_pending_hours(
    client_of, event_helper, shift, pending_entry
):
    ShiftSignup.objects.create(shift=shift, volunteer=event_helper, status=PlaceStatus.BOOKED)
    page = client_of(event_helper).get(reverse("accounts:today")).content.decode()
    assert "Next shift: Event helper" in page
    assert "Hours waiting for approval: 2 h 30 min" in page


def test_coordinator_card_counts(client_of, coordinator, pending_entry, applicant):
    page = client_of(coordinator).get(reverse("accounts:today")).content.decode()
    assert "1 hours entry waiting for approval" in page
    assert "1 person in the pipeline" in page


def test_nav_item_for_volunteers_and_coordinators(volunteer, coordinator, mentee):
    def labels(user):
        return [str(item.label) for item in hooks.nav_items(user)]

    assert "Volunteering" in labels(volunteer)
    assert "Volunteering" in labels(coordinator)
    assert "Volunteering" not in labels(mentee)


def test_seed_demo_is_idempotent(volunteer, mentor, coordinator, mentee):
    from volunteering.demo import seed

    personas = {
        Role.VOLUNTEER: volunteer,
        Role.PEER_MENTOR: mentor,
        Role.COORDINATOR: coordinator,
        Role.MENTEE: mentee,
    }
    seed(personas, io.StringIO())
    counts = (mentor.dbs_checks.count(), volunteer.hours_entries.count())
    seed(personas, io.StringIO())

    assert (mentor.dbs_checks.count(), volunteer.hours_entries.count()) == counts
    assert services.clearance(mentor, "peer-mentor").cleared
    assert volunteer.hours_entries.filter(status="pending").exists()


def test_printable_record(client_of, event_helper, pending_entry, coordinator):
    services.decide_hours(entry_ids=[pending_entry.pk], approve=True, by=coordinator)
    page = client_of(event_helper).get(reverse("volunteering:my_record")).content.decode()
    assert "2 h 30 min" in page
    assert "Volunteering record: Priya Volunteer" in page


def test_the_demo_volunteer_can_sign_up_for_an_upcoming_shift(
    client_of, volunteer, mentor, coordinator, mentee
):
    from volunteering.demo import seed
    from volunteering.models import Shift

    personas = {
        Role.VOLUNTEER: volunteer,
        Role.PEER_MENTOR: mentor,
        Role.COORDINATOR: coordinator,
        Role.MENTEE: mentee,
    }
    seed(personas, io.StringIO())
    upcoming = Shift.objects.filter(starts_at__gte=timezone.now())
    mine = [s for s in upcoming if services.clearance(volunteer, s.role).cleared]
    assert mine, "the demo volunteer is cleared for no role with an upcoming shift"
    response = client_of(volunteer).post(
        reverse("volunteering:shift_sign_up", args=[mine[0].pk]), follow=True
    )
    assert "You are not cleared" not in response.content.decode()
    assert ShiftSignup.objects.filter(
        shift=mine[0], volunteer=volunteer, status=PlaceStatus.BOOKED
    ).exists()
