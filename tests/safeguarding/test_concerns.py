"""One concern record: anyone with a role raises it, only safeguarding leads see it, all audited."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from safeguarding import services
from safeguarding.models import Concern, Source, Status, Urgency

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(mentor, mentee, safeguarding_lead):
    return services.raise_concern(
        raised_by=mentor,
        subject=mentee,
        summary="SENTINEL-worry: said he owes money to a dealer",
        source=Source.MEETING,
        source_ref="meeting:7",
    )


def test_raising_alerts_leads_by_email_without_saying_what_or_who(
    mentor, mentee, safeguarding_lead, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        concern = services.raise_concern(raised_by=mentor, subject=mentee, summary="SENTINEL-x")
    assert concern.status == Status.NEW and concern.subject_label == str(mentee)
    assert [m.to for m in mail.outbox] == [[safeguarding_lead.email]]
    assert "SENTINEL" not in mail.outbox[0].body
    assert mentee.display_name not in mail.outbox[0].body


def test_a_person_with_no_role_cannot_raise(outsider):
    with pytest.raises(PermissionDenied):
        services.raise_concern(raised_by=outsider, subject_label="Someone", summary="x")


def test_an_empty_concern_is_refused_in_plain_words(mentor):
    with pytest.raises(ValidationError) as error:
        services.raise_concern(raised_by=mentor, subject_label="Someone", summary="  ")
    assert "what happened" in str(error.value)
    assert not Concern.objects.exists()


def test_lead_sees_the_concern_on_the_home_page(client_of, concern, safeguarding_lead):
    response = client_of(safeguarding_lead).get(reverse("accounts:today"))
    assert "Look at new concerns" in response.content.decode()


@pytest.mark.parametrize("who", ["mentee", "mentor", "coordinator", "moderator", "outsider"])
def test_nobody_but_a_lead_can_open_a_concern(request, client_of, concern, who):
    user = request.getfixturevalue(who)
    for url in [
        reverse("safeguarding:list"),
        reverse("safeguarding:detail", args=[concern.pk]),
    ]:
        response = client_of(user).get(url)
        assert response.status_code == 404
        assert "SENTINEL" not in response.content.decode()
    post = client_of(user).post(
        reverse("safeguarding:update", args=[concern.pk, "close"]), {"outcome": "x"}
    )
    assert post.status_code == 404
    concern.refresh_from_db()
    assert concern.status == Status.NEW


def test_anonymous_is_sent_to_log_in(client, concern):
    response = client.get(reverse("safeguarding:detail", args=[concern.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_missing_concern_looks_the_same_as_a_forbidden_one(client_of, safeguarding_lead):
    assert (
        client_of(safeguarding_lead).get(reverse("safeguarding:detail", args=[999])).status_code
        == 404
    )


def test_every_view_by_a_lead_is_audited(client_of, concern, safeguarding_lead, mentee):
    client = client_of(safeguarding_lead)
    assert client.get(reverse("safeguarding:detail", args=[concern.pk])).status_code == 200
    client.get(reverse("safeguarding:detail", args=[concern.pk]))
    views = AuditEvent.objects.filter(action="viewed", target_id=str(concern.pk))
    assert views.count() == 2
    assert {event.actor for event in views} == {safeguarding_lead}
    assert {event.subject for event in views} == {mentee}


def test_lead_triages_records_actions_and_closes(client_of, concern, safeguarding_lead):
    client = client_of(safeguarding_lead)
    url = lambda step: reverse("safeguarding:update", args=[concern.pk, step])  # noqa: E731
    client.post(url("urgency"), {"urgency": Urgency.HIGH})
    client.post(url("assign"), {"assigned_to": safeguarding_lead.pk})
    client.post(url("action"), {"note": "Called him; referred to the debt advice service."})
    client.post(url("close"), {"outcome": "Safe; plan in place."})
    concern.refresh_from_db()
    assert concern.urgency == Urgency.HIGH
    assert concern.assigned_to == safeguarding_lead
    assert concern.actions.count() == 1
    assert concern.status == Status.CLOSED and concern.closed_at
    actions = set(
        AuditEvent.objects.filter(target_id=str(concern.pk)).values_list("action", flat=True)
    )
    assert {
        "concern.raised",
        "concern.urgency",
        "concern.assigned",
        "concern.action",
        "concern.closed",
    } <= actions


def test_closing_without_an_outcome_changes_nothing(client_of, concern, safeguarding_lead):
    response = client_of(safeguarding_lead).post(
        reverse("safeguarding:update", args=[concern.pk, "close"]), {"outcome": ""}, follow=True
    )
    assert "Please check what you entered" in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == Status.NEW


def test_raise_page_for_anyone_with_a_role(client_of, mentor, outsider, safeguarding_lead):
    url = reverse("safeguarding:raise")
    assert client_of(outsider).get(url).status_code == 404
    response = client_of(mentor).post(url, {"subject_label": "K", "summary": "Looked scared"})
    assert response.status_code == 302
    assert Concern.objects.get().raised_by == mentor


def test_concern_list_query_count_is_constant(
    client_of, safeguarding_lead, mentor, django_assert_num_queries
):
    client = client_of(safeguarding_lead)
    client.get(reverse("safeguarding:list"))
    # session, user, roles, authenticator check, count, page of concerns (assignee joined)
    services.raise_concern(raised_by=mentor, subject_label="A", summary="x")
    # + 1: the count of unread notifications in the header.
    with django_assert_num_queries(7):
        client.get(reverse("safeguarding:list"))
    for n in range(15):
        services.raise_concern(raised_by=mentor, subject_label=f"P{n}", summary="x")
    with django_assert_num_queries(7):
        client.get(reverse("safeguarding:list"))


def test_open_concerns_count_in_needs_you_today(client_of, concern, safeguarding_lead, mentee):
    response = client_of(safeguarding_lead).get(reverse("accounts:today"))
    items = {str(item.label): item.count for item in response.context["attention"]}
    assert items["Safeguarding concerns open"] == 1
    assert client_of(mentee).get(reverse("accounts:today")).context["attention"] == []
