"""Clearance is worked out from the records and their expiry; each gap has its own plain reason."""

from datetime import date, timedelta

import pytest

from accounts.roles import Role
from tests.factories import person
from tests.volunteering.factories import (
    DBSCheckFactory,
    OnboardingFactory,
    ReferenceFactory,
    RiskAssessmentFactory,
    TrainingCompletionFactory,
    make_cleared,
)
from volunteering.models import DBSCheck, DBSLevel, Reference, RiskDecision, TrainingCompletion
from volunteering.services import Clearance, clearance, clearances

pytestmark = pytest.mark.django_db

DAY = date(2026, 11, 22)


@pytest.fixture
def cleared(volunteer):
    make_cleared(volunteer, on=DAY)
    return volunteer


def test_make_cleared_clears_for_peer_mentor(cleared):
    result = clearance(cleared, "peer-mentor", on=DAY)

    assert result.cleared
    assert "Cleared: enhanced DBS check until 21 November 2029" in result.reasons
    assert "Cleared: 2 references received" in result.reasons
    assert "Cleared: induction completed on 23 October 2026" in result.reasons
    assert "Cleared: Peer mentor training until 23 October 2029" in result.reasons
    # The training runs out before the DBS check does.
    assert result.expires_on == date(2029, 10, 23)


@pytest.mark.parametrize("slug", ["group-facilitator", "event-helper", "gate-companion"])
def test_make_cleared_works_for_every_seeded_role(volunteer, slug):
    make_cleared(volunteer, slug, on=DAY)

    assert clearance(volunteer, slug, on=DAY).cleared


def test_role_can_be_given_as_an_object(cleared):
    from volunteering.models import VolunteerRole

    role = VolunteerRole.objects.get(slug="peer-mentor")
    assert clearance(cleared.pk, role, on=DAY) == clearance(cleared, "peer-mentor", on=DAY)


def test_nobody_starts_cleared(volunteer):
    result = clearance(volunteer, "peer-mentor", on=DAY)

    assert result == Clearance(
        cleared=False,
        reasons=(
            "Induction not completed yet",
            "Supervision agreement not signed yet",
            "Needs 2 references; 0 received so far",
            "No DBS (criminal record) check on record; this role needs an enhanced check",
            "Needs training: Peer mentor training",
        ),
        expires_on=None,
    )


def test_expired_dbs_check_says_when(cleared):
    DBSCheck.objects.filter(volunteer=cleared).update(recheck_due=date(2026, 3, 3))

    result = clearance(cleared, "peer-mentor", on=DAY)

    assert not result.cleared
    assert result.reasons == ("DBS check expired on 3 March 2026",)


def test_clearance_runs_out_on_the_recheck_day(cleared):
    due = date(2027, 5, 4)
    DBSCheck.objects.filter(volunteer=cleared).update(recheck_due=due)

    assert clearance(cleared, "peer-mentor", on=due - timedelta(days=1)).cleared
    assert clearance(cleared, "peer-mentor", on=DAY).expires_on == due
    assert not clearance(cleared, "peer-mentor", on=due).cleared
    assert (
        "Cleared: enhanced DBS check until 4 May 2027" in clearance(cleared, "peer-mentor").reasons
    )


def test_lower_level_check_is_not_enough(cleared):
    DBSCheck.objects.filter(volunteer=cleared).update(level=DBSLevel.BASIC)

    assert clearance(cleared, "peer-mentor", on=DAY).reasons == (
        "The DBS check on record is not enough; this role needs an enhanced check",
    )
    # ...but it does for a role needing less.
    make_cleared(cleared, "event-helper", on=DAY)
    assert clearance(cleared, "event-helper", on=DAY).cleared


def test_missing_reference(cleared):
    Reference.objects.filter(volunteer=cleared).first().delete()

    assert clearance(cleared, "peer-mentor", on=DAY).reasons == (
        "Needs 2 references; 1 received so far",
    )


def test_unsatisfactory_or_future_references_do_not_count(cleared):
    first, second = Reference.objects.filter(volunteer=cleared)
    first.satisfactory = False
    first.save()
    second.received_on = DAY + timedelta(days=1)
    second.save()

    assert clearance(cleared, "peer-mentor", on=DAY).reasons == (
        "Needs 2 references; 0 received so far",
    )


def test_missing_induction(cleared):
    cleared.onboarding.induction_completed_on = None
    cleared.onboarding.save()

    assert clearance(cleared, "peer-mentor", on=DAY).reasons == ("Induction not completed yet",)


def test_expired_training_says_when(cleared):
    TrainingCompletion.objects.filter(user=cleared).update(expires_on=date(2026, 6, 1))

    assert clearance(cleared, "peer-mentor", on=DAY).reasons == (
        "Peer mentor training expired on 1 June 2026",
    )


def test_refresher_course_replaces_the_expired_one(cleared):
    old = TrainingCompletion.objects.get(user=cleared)
    old.expires_on = date(2026, 6, 1)
    old.save()
    TrainingCompletionFactory(user=cleared, course=old.course, completed_on=date(2026, 10, 1))

    assert clearance(cleared, "peer-mentor", on=DAY).cleared


def test_clearance_is_for_a_day(cleared):
    """Records dated after the day asked about do not count yet."""
    assert not clearance(cleared, "peer-mentor", on=DAY - timedelta(days=31)).cleared


# --- Fair chance: a disclosure needs a risk assessment, not a clean record ------------------------


@pytest.fixture
def disclosed(cleared):
    DBSCheck.objects.filter(volunteer=cleared).update(has_disclosure=True)
    return cleared


def test_disclosure_waits_for_a_risk_assessment(disclosed):
    assert clearance(disclosed, "peer-mentor", on=DAY).reasons == (
        "Waiting for a coordinator's risk assessment for Peer mentor",
    )


def test_approved_risk_assessment_clears(disclosed, coordinator):
    RiskAssessmentFactory(
        dbs_check=DBSCheck.objects.get(volunteer=disclosed),
        assessor=coordinator,
        decided_on=DAY - timedelta(days=1),
    )

    result = clearance(disclosed, "peer-mentor", on=DAY)

    assert result.cleared
    assert (
        "Cleared: enhanced DBS check until 21 November 2029, with a risk assessment for Peer mentor"
        in result.reasons
    )
    # Nothing of what was written reaches the reasons.
    assert not any("conviction" in reason for reason in result.reasons)


def test_risk_assessment_is_for_one_role(disclosed, coordinator):
    RiskAssessmentFactory(
        dbs_check=DBSCheck.objects.get(volunteer=disclosed),
        assessor=coordinator,
        decided_on=DAY - timedelta(days=1),
    )
    make_cleared(disclosed, "gate-companion", on=DAY)
    DBSCheck.objects.filter(volunteer=disclosed).update(has_disclosure=True)

    assert clearance(disclosed, "peer-mentor", on=DAY).cleared
    assert clearance(disclosed, "gate-companion", on=DAY).reasons == (
        "Waiting for a coordinator's risk assessment for Meet at the gate companion",
    )


def test_not_approved_risk_assessment_says_so(disclosed, coordinator):
    RiskAssessmentFactory(
        dbs_check=DBSCheck.objects.get(volunteer=disclosed),
        assessor=coordinator,
        decision=RiskDecision.NOT_APPROVED,
        decided_on=date(2026, 11, 1),
    )

    assert clearance(disclosed, "peer-mentor", on=DAY).reasons == (
        "The risk assessment on 1 November 2026 did not approve Peer mentor",
    )


def test_a_newer_clean_check_clears_without_assessment(disclosed):
    DBSCheckFactory(
        volunteer=disclosed,
        issued_on=date(2026, 11, 1),
        recheck_due=date(2029, 11, 1),
        has_disclosure=False,
    )

    assert clearance(disclosed, "peer-mentor", on=DAY).cleared


# --- Many people at once -------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_clearances_use_a_fixed_number_of_queries(django_assert_num_queries, count):
    people = [person(Role.VOLUNTEER) for _ in range(count)]
    for somebody in people[::2]:
        make_cleared(somebody, on=DAY)
    OnboardingFactory(user=people[1])

    # role, its courses, onboarding, references, DBS checks, risk assessments, training
    with django_assert_num_queries(7):
        results = clearances(people, "peer-mentor", on=DAY)

    assert [results[p.pk].cleared for p in people] == [i % 2 == 0 for i in range(count)]


def test_clearances_of_nobody(db):
    assert clearances([], "peer-mentor", on=DAY) == {}


def test_unknown_role_slug_is_an_error(volunteer):
    from volunteering.models import VolunteerRole

    with pytest.raises(VolunteerRole.DoesNotExist):
        clearance(volunteer, "astronaut")


def test_reference_factory_makes_a_received_reference(volunteer):
    ReferenceFactory(volunteer=volunteer)
    assert Reference.objects.filter(volunteer=volunteer, satisfactory=True).count() == 1
