"""The mentee's choice: two or three mentors, in their own words; pick, someone else, or the
coordinator chooses; the chosen mentor is asked and must answer in time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import profile_for
from mentoring import services as mentoring_services
from mentoring.choices import ContactPreference, MatchStatus
from mentoring.models import Match
from mentoring.partners import choice
from mentoring.partners.models import MentorIntro, Shortlist, ShortlistAnswer
from notifications.models import Notification
from tests.factories import person
from tests.mentoring.factories import cleared_mentor

pytestmark = pytest.mark.django_db


def mentor_with_words(name, words):
    mentor = cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name=name))
    MentorIntro.objects.create(mentor=mentor, words=words)
    profile = profile_for(mentor)
    profile.area = "SECRET-AREA"
    profile.save()
    return mentor


@pytest.fixture
def offered(mentee, coordinator):
    referral = mentoring_services.refer(
        person=mentee, by=coordinator, contact_preference=ContactPreference.TEXT
    )
    mentors = [
        mentor_with_words("Ash", "I came out in 2019. I like football."),
        mentor_with_words("Bo", "Two years clean. I cook a lot."),
    ]
    return choice.offer_shortlist(referral=referral, by=coordinator, mentors=mentors), mentors


def test_the_mentee_reads_chosen_names_and_own_words_only_and_picks_one(
    client_of, mentee, coordinator, offered
):
    shortlist, (ash, bo) = offered
    assert Notification.objects.filter(recipient=mentee, kind="partners.shortlist").exists()
    page = reverse("mentoring:partners:shortlist", args=[shortlist.pk])
    body = client_of(mentee).get(page).content.decode()
    assert "Ash" in body and "I like football" in body and "I cook a lot" in body
    assert "SECRET-AREA" not in body and "<img" not in body.split("<main", 1)[1]
    client_of(mentee).post(page, {"answer": "picked", "mentor": bo.pk})
    match = Match.objects.get(mentee=mentee)
    assert match.mentor == bo and match.status == MatchStatus.PROPOSED
    body = client_of(mentee).get(page).content.decode()
    assert "We have asked Bo" in body


def test_someone_else_or_the_coordinator_chooses_tells_the_coordinator(
    client_of, mentee, coordinator, offered
):
    shortlist, _mentors = offered
    page = reverse("mentoring:partners:shortlist", args=[shortlist.pk])
    client_of(mentee).post(page, {"answer": "someone_else"})
    shortlist.refresh_from_db()
    assert shortlist.answer == ShortlistAnswer.SOMEONE_ELSE
    assert not Match.objects.exists()
    assert Notification.objects.filter(
        recipient=coordinator, kind="partners.shortlist_answered"
    ).exists()


def test_only_the_mentee_sees_their_shortlist_and_only_listed_mentors_can_be_picked(
    client_of, mentee, other_mentee, offered
):
    shortlist, _mentors = offered
    page = reverse("mentoring:partners:shortlist", args=[shortlist.pk])
    assert client_of(other_mentee).get(page).status_code == 404
    stranger = mentor_with_words("Cy", "Not on the list")
    client_of(mentee).post(page, {"answer": "picked", "mentor": stranger.pk})
    assert not Match.objects.exists()


def test_a_shortlist_has_two_or_three_mentors_who_wrote_about_themselves(mentee, coordinator):
    referral = mentoring_services.refer(
        person=mentee, by=coordinator, contact_preference=ContactPreference.TEXT
    )
    ash = mentor_with_words("Ash", "Hello")
    with pytest.raises(ValidationError, match="two or three"):
        choice.offer_shortlist(referral=referral, by=coordinator, mentors=[ash])
    quiet = cleared_mentor(person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name="Quiet"))
    with pytest.raises(ValidationError, match="has not written"):
        choice.offer_shortlist(referral=referral, by=coordinator, mentors=[ash, quiet])


def test_a_chosen_mentor_who_does_not_answer_in_time_is_flagged_to_the_coordinator(
    mentee, coordinator, offered
):
    shortlist, (ash, _bo) = offered
    choice.answer_shortlist(shortlist=shortlist, by=mentee, answer="picked", mentor=ash)
    now = timezone.now()
    assert choice.tell_coordinators_of_late_answers(now) == 0
    later = now + timedelta(days=choice.ANSWER_DAYS, hours=1)
    assert choice.tell_coordinators_of_late_answers(later) == 1
    assert choice.tell_coordinators_of_late_answers(later) == 0  # told once
    assert Notification.objects.filter(recipient=coordinator, kind="partners.mentor_late").exists()
    assert Shortlist.objects.get().overdue_told_at is not None


def test_a_mentor_writes_their_few_lines(client_of, mentor, mentee):
    page = reverse("mentoring:partners:intro")
    client_of(mentor).post(page, {"words": "I walk a lot."})
    assert MentorIntro.objects.get(mentor=mentor).words == "I walk a lot."
    assert client_of(mentee).get(page).status_code == 404


def test_the_coordinator_offers_a_shortlist_from_the_suggestions(client_of, mentee, coordinator):
    referral = mentoring_services.refer(
        person=mentee, by=coordinator, contact_preference=ContactPreference.TEXT
    )
    ash, bo = mentor_with_words("Ash", "A"), mentor_with_words("Bo", "B")
    page = reverse("mentoring:partners:shortlist_new", args=[referral.pk])
    assert "Ash" in client_of(coordinator).get(page).content.decode()
    response = client_of(coordinator).post(page, {"mentors": [ash.pk, bo.pk]})
    assert response.status_code == 302
    assert set(Shortlist.objects.get().mentors.all()) == {ash, bo}
    assert client_of(mentee).get(page).status_code == 404
