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
