"""A volunteer is told when a coordinator's step clears them for a role, once, with a link to
the shifts they can now take; the notice is on their Today."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from notifications.models import Notification
from tests.factories import person
from tests.volunteering.factories import ShiftFactory, make_cleared
from volunteering import services
from volunteering.models import Onboarding, Stage

pytestmark = pytest.mark.django_db


def cleared(kind_filter=None):
    return Notification.objects.filter(kind="volunteering.cleared", **(kind_filter or {}))


@pytest.fixture
def almost(db):
    """A volunteer with every record for "Event helper" but the induction."""
    somebody = person(Role.VOLUNTEER, display_name="Cleo")
    make_cleared(somebody, "event-helper")
    Onboarding.objects.filter(user=somebody).update(induction_completed_on=None)
    return somebody


def test_the_step_that_clears_them_tells_them_with_a_link_to_the_shifts(
    almost, coordinator, client_of
):
    ShiftFactory(starts_at=timezone.now() + timedelta(days=2), place="The Mill café")
    onboarding = Onboarding.objects.get(user=almost)
    services.record_step(
        onboarding=onboarding, step="induction", on=timezone.localdate(), by=coordinator
    )
    (told,) = cleared()
    assert told.recipient == almost
    assert told.title == "You can now take shifts as Event helper"
    assert told.url == reverse("volunteering:shifts")
    client = client_of(almost)
    today = client.get(reverse("accounts:today")).content.decode()
    assert "You can now take shifts as Event helper" in today
    assert "The Mill café" in client.get(told.url).content.decode()


def test_later_steps_do_not_tell_them_again(almost, coordinator):
    onboarding = Onboarding.objects.get(user=almost)
    today = timezone.localdate()
    services.record_step(onboarding=onboarding, step="induction", on=today, by=coordinator)
    services.record_step(onboarding=onboarding, step="supervision", on=today, by=coordinator)
    services.move_to_stage(onboarding=onboarding, stage=Stage.ACTIVE, by=coordinator)
    assert cleared().count() == 1


def test_a_step_that_leaves_something_missing_tells_nobody(almost, coordinator):
    onboarding = Onboarding.objects.get(user=almost)
    services.record_step(
        onboarding=onboarding, step="interview", on=timezone.localdate(), by=coordinator
    )
    assert not cleared().exists()


def test_an_applicant_with_every_record_is_told_when_they_are_made_a_volunteer(coordinator):
    applicant = person(display_name="Ash")  # applied, no role yet
    make_cleared(applicant, "event-helper")
    Onboarding.objects.filter(user=applicant).update(stage=Stage.INDUCTION)
    onboarding = Onboarding.objects.get(user=applicant)
    assert not cleared().exists()
    services.move_to_stage(onboarding=onboarding, stage=Stage.ACTIVE, by=coordinator)
    applicant.forget_roles()
    assert applicant.has_role(Role.VOLUNTEER)
    assert {n.recipient for n in cleared()} == {applicant}


def test_a_failing_step_tells_nobody(almost, coordinator):
    onboarding = Onboarding.objects.get(user=almost)
    with pytest.raises(Exception, match="future"):
        services.record_step(
            onboarding=onboarding,
            step="induction",
            on=timezone.localdate() + timedelta(days=1),
            by=coordinator,
        )
    assert not cleared().exists()
