"""Local services on the mentee's "My people": suggested by her mentor from the site's directory,
only while she agrees, gone when she takes it back; a goal's step can link to one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mentoring.choices import SharedItem
from mentoring.models import GoalStep, SuggestedService
from tests.cms import factories as pages
from tests.mentoring.factories import cleared_mentor, match_between

pytestmark = pytest.mark.django_db


@pytest.fixture
def hackney_match(match):
    match.referral.needs = ["housing"]
    match.referral.area = "Hackney"
    match.referral.save()
    return match


@pytest.fixture
def housing(db):
    return pages.local_service(
        "Market Street Housing Advice", needs=["housing"], areas=["Hackney"], phone="020 7946 0181"
    )


def _agree(client, *items):
    client.post(reverse("mentoring:sharing"), {"items": list(items)})


def _add(client, match, service):
    return client.post(
        reverse("mentoring:match_suggest_service", args=[match.pk]), {"service": service.pk}
    )


def test_services_show_on_my_people_only_while_she_agrees(
    client_of, hackney_match, housing, mentor, mentee
):
    mentor_client, mentee_client = client_of(mentor), client_of(mentee)
    match_page = reverse("mentoring:match", args=[hackney_match.pk])
    people = reverse("mentoring:people")

    # Not asked: the mentor is offered nothing and cannot add anything.
    assert "Market Street Housing Advice" not in mentor_client.get(match_page).content.decode()
    _add(mentor_client, hackney_match, housing)
    assert not SuggestedService.objects.exists()
    page = mentee_client.get(people).content.decode()
    assert "Market Street Housing Advice" not in page
    assert "Choose what your mentor may see and do" in page

    # She agrees: her mentor sees a service for her area and needs, and adds it.
    _agree(mentee_client, SharedItem.NEEDS, SharedItem.LOCAL_SERVICES)
    page = mentor_client.get(match_page).content.decode()
    assert "Add Market Street Housing Advice to their people" in page
    response = _add(mentor_client, hackney_match, housing)
    assert response.status_code == 302
    page = mentee_client.get(people).content.decode()
    assert "Market Street Housing Advice" in page
    assert 'href="tel:02079460181"' in page

    # She takes it back: it is gone from her page, and from the mentor's.
    _agree(mentee_client, SharedItem.NEEDS)
    assert "Market Street Housing Advice" not in mentee_client.get(people).content.decode()
    assert "Market Street Housing Advice" not in mentor_client.get(match_page).content.decode()
    assert not SuggestedService.objects.exists()
    # Agreeing again later starts from an empty list, not from what was there before.
    _agree(mentee_client, SharedItem.LOCAL_SERVICES)
    assert "Market Street Housing Advice" not in mentee_client.get(people).content.decode()


def test_suggestions_are_for_her_area_and_her_needs(client_of, hackney_match, housing, mentee):
    pages.local_service("Camden Housing Line", needs=["housing"], areas=["Camden"])
    pages.local_service("Hackney Debt Advice", needs=["debt"], areas=["Hackney"])
    pages.local_service("Hackney Draft Service", needs=["housing"], publish=False)
    pages.local_service("National Housing Line", needs=["housing"], areas=[], everywhere=True)
    _agree(client_of(mentee), SharedItem.LOCAL_SERVICES)
    page = client_of(hackney_match.mentor).get(reverse("mentoring:match", args=[hackney_match.pk]))
    names = [service.name for service in page.context["services_suggested"]]
    assert names == ["Market Street Housing Advice", "National Housing Line"]


def test_only_her_own_mentor_adds_a_service(
    client_of, hackney_match, housing, mentee, coordinator, other_mentor
):
    _agree(client_of(mentee), SharedItem.LOCAL_SERVICES)
    for someone in (mentee, coordinator, other_mentor):
        assert _add(client_of(someone), hackney_match, housing).status_code == 404
    assert not SuggestedService.objects.exists()


def test_a_mentor_cannot_add_a_service_to_someone_elses_people(
    client_of, hackney_match, housing, mentor, other_mentee
):
    other = match_between(cleared_mentor(), other_mentee)
    _agree(client_of(other_mentee), SharedItem.LOCAL_SERVICES)
    assert _add(client_of(mentor), other, housing).status_code == 404
    assert not SuggestedService.objects.exists()


def test_a_goal_step_can_link_to_a_service_on_her_people(
    client_of, hackney_match, housing, mentor, mentee
):
    from mentoring.models import Goal

    goal = Goal.objects.create(mentee=mentee, area="housing", words="A room of my own")
    mentee_client = client_of(mentee)
    url = reverse("mentoring:goal", args=[goal.pk])
    assert 'name="service"' not in mentee_client.get(url).content.decode()  # nothing to link

    _agree(mentee_client, SharedItem.LOCAL_SERVICES)
    _add(client_of(mentor), hackney_match, housing)
    other = pages.local_service("Not On Her Page", needs=["housing"], areas=["Hackney"])
    refused = mentee_client.post(url, {"words": "Ask about a room", "service": other.pk})
    assert refused.status_code == 200 and not GoalStep.objects.exists()

    mentee_client.post(url, {"words": "Go to the drop-in on Monday", "service": housing.pk})
    step = GoalStep.objects.get()
    assert step.service_id == housing.pk
    page = mentee_client.get(url).content.decode()
    assert f'Go to the drop-in on Monday – <a href="{housing.url}">' in page


# --- She is told, she removes, she agrees to a named worker -------------------------------------


def _on_her_page(client_of, hackney_match, housing, mentor, mentee):
    from mentoring.models import SuggestedService

    _agree(client_of(mentee), SharedItem.NEEDS, SharedItem.LOCAL_SERVICES)
    _add(client_of(mentor), hackney_match, housing)
    return SuggestedService.objects.get()


def test_she_is_told_when_her_mentor_adds_a_service(
    client_of, hackney_match, housing, mentor, mentee
):
    from notifications.models import Notification

    _on_her_page(client_of, hackney_match, housing, mentor, mentee)
    told = Notification.objects.get(recipient=mentee, kind="partners.service_added")
    assert "Market Street Housing Advice" in told.body and "Sam Mentor" in told.body
    _add(client_of(mentor), hackney_match, housing)  # adding it again tells her nothing new
    assert Notification.objects.filter(kind="partners.service_added").count() == 1


def test_she_removes_a_service_herself_after_saying_she_is_sure(
    client_of, hackney_match, housing, mentor, mentee, other_mentee
):
    suggestion = _on_her_page(client_of, hackney_match, housing, mentor, mentee)
    people = reverse("mentoring:people")
    remove = reverse("mentoring:partners:remove_service", args=[suggestion.pk])
    assert remove in client_of(mentee).get(people).content.decode()
    page = client_of(mentee).get(remove).content.decode()
    assert "Remove Market Street Housing Advice from My people?" in page
    assert SuggestedService.objects.exists()  # asking is not removing
    # Nobody else removes it: not another mentee, not her mentor.
    for someone in (other_mentee, mentor):
        assert client_of(someone).post(remove).status_code == 404
    assert SuggestedService.objects.exists()

    response = client_of(mentee).post(remove)
    assert response.status_code == 302 and not SuggestedService.objects.exists()
    assert "Market Street Housing Advice" not in client_of(mentee).get(people).content.decode()
    assert client_of(mentee).post(remove).status_code == 404  # gone: nothing to remove twice


def _name_worker(client, match, suggestion, **fields):
    data = {
        "service": suggestion.pk,
        "name": "Kim Okafor",
        "role": "Housing officer",
        "how_to_reach": "Tuesday drop-in, desk 3",
        **fields,
    }
    return client.post(reverse("mentoring:partners:named_worker_new", args=[match.pk]), data)


def test_a_named_worker_is_one_of_her_people_only_once_she_agrees(
    client_of, hackney_match, housing, mentor, mentee
):
    from mentoring.partners.models import NamedWorker, NamedWorkerState
    from notifications.models import Notification

    suggestion = _on_her_page(client_of, hackney_match, housing, mentor, mentee)
    match_page = client_of(mentor).get(reverse("mentoring:match", args=[hackney_match.pk]))
    assert "Name a worker at Market Street Housing Advice" in match_page.content.decode()
    assert _name_worker(client_of(mentor), hackney_match, suggestion).status_code == 302
    worker = NamedWorker.objects.get()
    asked = Notification.objects.get(recipient=mentee, kind="partners.named_worker")
    assert asked.needs_answer

    people = reverse("mentoring:people")
    page = client_of(mentee).get(people).content.decode()
    assert "Waiting for your OK" in page and "Kim Okafor" in page
    assert page.count("<h2>Kim Okafor</h2>") == 0  # not yet one of her people
    mentor_page = client_of(mentor).get(reverse("mentoring:match", args=[hackney_match.pk]))
    assert "waiting for their OK" in mentor_page.content.decode()

    answer = reverse("mentoring:partners:named_worker_answer", args=[worker.pk])
    assert client_of(mentor).post(answer, {"answer": "yes"}).status_code == 404
    client_of(mentee).post(answer, {"answer": "yes"})
    worker.refresh_from_db()
    assert worker.state == NamedWorkerState.AGREED
    page = client_of(mentee).get(people).content.decode()
    assert "<h2>Kim Okafor</h2>" in page and "Waiting for your OK" not in page
    asked.refresh_from_db()
    assert asked.done_at is not None

    # Removing the service takes the worker named there with it.
    client_of(mentee).post(reverse("mentoring:partners:remove_service", args=[suggestion.pk]))
    assert not NamedWorker.objects.exists()
    assert "Kim Okafor" not in client_of(mentee).get(people).content.decode()


def test_she_can_say_no_to_a_named_worker(client_of, hackney_match, housing, mentor, mentee):
    from mentoring.partners.models import NamedWorker, NamedWorkerState

    suggestion = _on_her_page(client_of, hackney_match, housing, mentor, mentee)
    _name_worker(client_of(mentor), hackney_match, suggestion)
    worker = NamedWorker.objects.get()
    answer = reverse("mentoring:partners:named_worker_answer", args=[worker.pk])
    client_of(mentee).post(answer, {"answer": "no"})
    worker.refresh_from_db()
    assert worker.state == NamedWorkerState.DECLINED
    assert "Kim Okafor" not in client_of(mentee).get(reverse("mentoring:people")).content.decode()
    client_of(mentee).post(answer, {"answer": "yes"})  # answered already: no change
    worker.refresh_from_db()
    assert worker.state == NamedWorkerState.DECLINED


def test_only_her_own_mentor_names_a_worker_and_only_at_a_service_on_her_page(
    client_of, hackney_match, housing, mentor, mentee, other_mentor, coordinator, other_mentee
):
    from mentoring.partners.models import NamedWorker

    suggestion = _on_her_page(client_of, hackney_match, housing, mentor, mentee)
    for someone in (other_mentor, coordinator, mentee):
        assert _name_worker(client_of(someone), hackney_match, suggestion).status_code == 404
    # A service on another mentee's page is not one of hers to choose.
    other = match_between(cleared_mentor(), other_mentee)
    theirs = SuggestedService.objects.create(mentee=other_mentee, service_id=housing.pk)
    response = _name_worker(client_of(mentor), hackney_match, theirs)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    # Missing words get a plain message; nothing is saved.
    response = _name_worker(client_of(mentor), hackney_match, suggestion, name="")
    assert response.status_code == 200
    assert other.mentor != mentor and not NamedWorker.objects.exists()


def test_my_people_takes_the_same_queries_for_one_service_or_many(
    client_of, hackney_match, housing, mentor, mentee
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentoring.partners.models import NamedWorker

    suggestion = _on_her_page(client_of, hackney_match, housing, mentor, mentee)
    NamedWorker.objects.create(service=suggestion, name="A", role="B", how_to_reach="C")
    client = client_of(mentee)
    people = reverse("mentoring:people")
    client.get(people)  # warm caches (site, menus)
    with CaptureQueriesContext(connection) as one:
        client.get(people)
    for n in range(3):
        more = pages.local_service(f"Hackney Service {n}", needs=["housing"], areas=["Hackney"])
        row = SuggestedService.objects.create(mentee=mentee, service_id=more.pk)
        NamedWorker.objects.create(service=row, name=f"W{n}", role="R", how_to_reach="H")
    with CaptureQueriesContext(connection) as many:
        page = client.get(people).content.decode()
    assert "Hackney Service 2" in page and "W2" in page
    assert len(many) == len(one)
