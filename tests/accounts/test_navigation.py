"""Each role sees its own navigation; an anonymous visitor to a private page is sent to log in."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def nav_labels(response) -> list[str]:
    return [str(item.label) for item in response.context["nav_items"]()]


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("accounts:today"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_mentee_sees_today_and_profile_but_no_staff_links(client_of, mentee):
    response = client_of(mentee).get(reverse("accounts:today"))
    assert response.status_code == 200
    labels = nav_labels(response)
    assert "Today" in labels and "My profile" in labels
    assert "People and roles" not in labels
    assert "Safeguarding" not in labels


def test_coordinator_sees_people_and_roles(client_of, coordinator):
    labels = nav_labels(client_of(coordinator).get(reverse("accounts:today")))
    assert "People and roles" in labels
    assert "Safeguarding" not in labels


def test_safeguarding_lead_sees_safeguarding(client_of, safeguarding_lead):
    labels = nav_labels(client_of(safeguarding_lead).get(reverse("accounts:today")))
    assert "Safeguarding" in labels
    assert "People and roles" not in labels


@pytest.mark.parametrize("persona", ["involvement_lead", "admin_user"])
def test_involvement_leads_and_admins_find_the_website_editor_in_the_menu(
    client_of, request, persona
):
    client = client_of(request.getfixturevalue(persona))
    page = client.get(reverse("accounts:today")).content.decode()
    assert '<a href="/admin/">Edit the website</a>' in page
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("persona", ["mentee", "mentor", "volunteer", "coordinator", "moderator"])
def test_others_are_not_offered_the_website_editor(client_of, request, persona):
    page = client_of(request.getfixturevalue(persona)).get(reverse("accounts:today"))
    assert "Edit the website" not in nav_labels(page)
