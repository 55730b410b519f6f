"""Someone who signs up themself holds no role: Today shows them the ways in, and each opens."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_person_with_no_role_is_shown_where_to_start_and_every_link_opens(client_of, outsider):
    client = client_of(outsider)
    page = client.get(reverse("accounts:today")).content.decode()
    assert "Nothing needs you today" not in page
    assert "Where to start" in page
    links = {
        "Ask for a peer mentor": reverse("mentoring:refer_self"),
        "Apply to volunteer": reverse("volunteering:apply"),
        "Join a group": reverse("chat:rooms"),
        "Share your story": reverse("stories:share"),
        "Find an event": "/events/",
    }
    for label, url in links.items():
        assert f'<a href="{url}">{label}</a>' in page, label
    for url in links.values():
        assert client.get(url).status_code == 200, url


def test_people_with_a_role_do_not_get_the_start_card(client_of, mentee):
    page = client_of(mentee).get(reverse("accounts:today")).content.decode()
    assert "Where to start" not in page


def test_after_asking_for_a_mentor_the_card_stays_with_the_other_ways_in(client_of, outsider):
    from mentoring import services as mentoring

    referral = mentoring.refer(person=outsider, by=outsider, contact_preference="email")
    client = client_of(outsider)
    page = client.get(reverse("accounts:today")).content.decode()
    assert "Where to start" in page
    assert "Ask for a peer mentor" not in page
    link = reverse("mentoring:referral", args=[referral.pk])
    assert f'<a href="{link}">Your request for a peer mentor is with the coordinators</a>' in page
    for offer in ("Apply to volunteer", "Join a group", "Share your story", "Find an event"):
        assert offer in page, offer


def test_once_a_match_is_under_way_the_card_goes(client_of, outsider):
    from mentoring import services as mentoring
    from mentoring.choices import ReferralStatus
    from mentoring.models import Referral

    referral = mentoring.refer(person=outsider, by=outsider, contact_preference="email")
    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.MATCHED)
    page = client_of(outsider).get(reverse("accounts:today")).content.decode()
    assert "Where to start" not in page
