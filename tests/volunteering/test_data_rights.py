"""My data: a volunteer's export includes their volunteering records; deleting an account works."""

import json

import pytest

from accounts.services import delete_account, export_personal_data_json
from tests.volunteering.factories import RiskAssessmentFactory
from volunteering.models import RiskAssessment

pytestmark = pytest.mark.django_db


def test_export_includes_training_with_its_certificate(training_with_certificate, pending_entry):
    data = json.loads(export_personal_data_json(user=training_with_certificate.user))

    (row,) = data["volunteering.training"]
    assert row["certificate"] == training_with_certificate.certificate.name
    assert row["course_title"] == training_with_certificate.course.title
    assert data["volunteering.hours"][0]["minutes"] == 150


def test_risk_assessments_are_not_in_anyone_s_export(disclosed_check, coordinator):
    assessment = RiskAssessmentFactory(dbs_check=disclosed_check, assessor=coordinator)
    for person in (coordinator, disclosed_check.volunteer):
        assert assessment.notes not in export_personal_data_json(user=person)


def test_deleting_an_assessor_keeps_the_decision(disclosed_check, coordinator):
    assessment = RiskAssessmentFactory(dbs_check=disclosed_check, assessor=coordinator)

    delete_account(user=coordinator)

    kept = RiskAssessment.objects.get(pk=assessment.pk)
    assert kept.assessor is None and kept.decision == "approved"


def test_deleting_a_volunteer_removes_their_records(event_helper, pending_entry, past_shift):
    delete_account(user=event_helper)
    assert not type(pending_entry).objects.exists()
