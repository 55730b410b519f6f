"""Every page and action, per role: anonymous → log in, wrong person or role → 404, right → 200/302.

Each case names the fixtures it needs, builds its URL from them, and says who the right person is.
"""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent
from tests.volunteering.factories import RiskAssessmentFactory

pytestmark = pytest.mark.django_db

# name, url builder (fixtures -> url), fixtures, method, right person, wrong people
VOLUNTEER_PAGES = ["home", "my_training", "shifts", "my_hours", "my_record"]
COORDINATOR_PAGES = ["pipeline", "rota", "new_shift", "approvals", "reports", "reports_csv"]


def _login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", VOLUNTEER_PAGES + COORDINATOR_PAGES + ["apply"])
def test_anonymous_is_sent_to_log_in(client, name):
    assert _login_redirect(client.get(reverse(f"volunteering:{name}")))


@pytest.mark.parametrize("name", VOLUNTEER_PAGES)
def test_volunteer_pages_for_volunteers(client_of, event_helper, name):
    assert client_of(event_helper).get(reverse(f"volunteering:{name}")).status_code == 200


@pytest.mark.parametrize("name", VOLUNTEER_PAGES[1:])
def test_volunteer_pages_are_not_for_people_without_the_role(client_of, outsider, name):
    assert client_of(outsider).get(reverse(f"volunteering:{name}")).status_code in (404,)


def test_home_sends_someone_new_to_apply(client_of, mentee):
    response = client_of(mentee).get(reverse("volunteering:home"))
    assert response["Location"] == reverse("volunteering:apply")


@pytest.mark.parametrize("name", COORDINATOR_PAGES)
def test_coordinator_pages(client_of, coordinator, event_helper, name):
    assert client_of(coordinator).get(reverse(f"volunteering:{name}")).status_code == 200
    assert client_of(event_helper).get(reverse(f"volunteering:{name}")).status_code == 404


# Object pages and actions: (url name, kwargs from fixtures, method, who may, who may not)
OBJECT_CASES = [
    ("certificate", lambda f: {"pk": f["training_with_certificate"].pk}, "get", "owner"),
    ("shift", lambda f: {"pk": f["shift"].pk}, "get", "volunteer"),
    ("shift_sign_up", lambda f: {"pk": f["shift"].pk}, "post", "volunteer"),
    ("shift_withdraw", lambda f: {"pk": f["shift"].pk}, "post", "volunteer"),
    ("volunteer", lambda f: {"user_pk": f["applicant"].pk}, "get", "coordinator"),
    ("move_stage", lambda f: {"user_pk": f["applicant"].pk}, "post", "coordinator"),
    ("record_step", lambda f: {"user_pk": f["applicant"].pk}, "post", "coordinator"),
    ("add_reference", lambda f: {"user_pk": f["applicant"].pk}, "post", "coordinator"),
    (
        "reference_received",
        lambda f: {"user_pk": f["applicant"].pk, "pk": f["reference"].pk},
        "post",
        "coordinator",
    ),
    ("add_dbs_check", lambda f: {"user_pk": f["applicant"].pk}, "post", "coordinator"),
    ("add_training", lambda f: {"user_pk": f["applicant"].pk}, "post", "coordinator"),
    (
        "verify_training",
        lambda f: {"pk": f["training_with_certificate"].pk},
        "post",
        "coordinator",
    ),
    (
        "new_risk_assessment",
        lambda f: {"dbs_pk": f["disclosed_check"].pk},
        "get",
        "coordinator",
    ),
]
FIXTURES = ["training_with_certificate", "shift", "applicant", "disclosed_check", "reference"]


@pytest.fixture
def reference(applicant):
    from tests.volunteering.factories import ReferenceFactory

    return ReferenceFactory(volunteer=applicant, received_on=None, satisfactory=None)


@pytest.fixture
def objects(request):
    return {name: request.getfixturevalue(name) for name in FIXTURES}


@pytest.mark.parametrize(("name", "kwargs", "method", "who"), OBJECT_CASES)
def test_object_pages_and_actions(
    client,
    client_of,
    objects,
    event_helper,
    other_volunteer,
    coordinator,
    outsider,
    name,
    kwargs,
    method,
    who,
):
    url = reverse(f"volunteering:{name}", kwargs=kwargs(objects))

    assert _login_redirect(getattr(client, method)(url))
    wrong = [outsider] + ([other_volunteer] if who == "owner" else [])
    wrong += [event_helper] if who == "coordinator" else []
    for somebody in wrong:
        assert getattr(client_of(somebody), method)(url).status_code == 404, somebody
    right = coordinator if who == "coordinator" else event_helper
    assert getattr(client_of(right), method)(url).status_code in (200, 302)
    if who == "owner":
        assert client_of(coordinator).get(url).status_code == 200


def test_risk_assessment_is_for_its_author_only(client, client_of, disclosed_check, coordinator):
    from tests.factories import person

    author = coordinator
    colleague = person("coordinator", display_name="Another Coordinator")
    assessment = RiskAssessmentFactory(dbs_check=disclosed_check, assessor=author)
    url = reverse("volunteering:risk_assessment", args=[assessment.pk])

    assert _login_redirect(client.get(url))
    assert client_of(colleague).get(url).status_code == 404
    assert client_of(disclosed_check.volunteer).get(url).status_code == 404

    response = client_of(author).get(url)
    assert response.status_code == 200
    assert assessment.notes in response.content.decode()
    assert AuditEvent.objects.filter(
        actor=author, action="viewed", summary="risk assessment", subject=disclosed_check.volunteer
    ).exists()


def test_a_colleague_sees_the_decision_but_not_the_notes(client_of, disclosed_check, coordinator):
    from tests.factories import person

    colleague = person("coordinator", display_name="Another Coordinator")
    assessment = RiskAssessmentFactory(dbs_check=disclosed_check, assessor=coordinator)

    page = (
        client_of(colleague)
        .get(reverse("volunteering:volunteer", args=[disclosed_check.volunteer_id]))
        .content.decode()
    )

    assert "Approved: can do this role" in page
    assert assessment.notes not in page


def test_dbs_details_are_audited_each_view(client_of, coordinator, disclosed_check):
    url = reverse("volunteering:volunteer", args=[disclosed_check.volunteer_id])
    client = client_of(coordinator)
    client.get(url)
    client.get(url)

    assert (
        AuditEvent.objects.filter(actor=coordinator, action="viewed", summary="DBS details").count()
        == 2
    )
    assert disclosed_check.certificate_number in client.get(url).content.decode()


def test_volunteer_never_sees_dbs_details_of_others(client_of, event_helper, disclosed_check):
    assert (
        client_of(event_helper)
        .get(reverse("volunteering:volunteer", args=[disclosed_check.volunteer_id]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("name", ["my_hours", "my_training"])
def test_volunteer_forms_refuse_people_without_the_role(client, client_of, outsider, name):
    url = reverse(f"volunteering:{name}")
    assert _login_redirect(client.post(url, {}))
    assert client_of(outsider).post(url, {}).status_code == 404


def test_a_reference_of_another_person_is_404(client_of, coordinator, applicant, event_helper):
    from tests.volunteering.factories import ReferenceFactory

    theirs = ReferenceFactory(volunteer=event_helper)
    url = reverse("volunteering:reference_received", args=[applicant.pk, theirs.pk])
    assert client_of(coordinator).post(url, {}).status_code == 404


def test_a_shift_ics_is_for_volunteers_only(client, client_of, outsider, event_helper, shift):
    url = reverse("volunteering:shift_ics", args=[shift.pk])
    assert _login_redirect(client.get(url))
    assert client_of(outsider).get(url).status_code == 404
    response = client_of(event_helper).get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
