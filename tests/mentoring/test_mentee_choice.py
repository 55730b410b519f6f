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
from mentoring.choices import ContactPreference, MatchStatus, ReferralStatus
from mentoring.models import Match, Referral
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


def _hours(n: float):
    return timezone.now() + timedelta(hours=n)


def _told(person, kind):
    return Notification.objects.filter(recipient=person, kind=kind)


def test_the_mentee_says_who_to_ask_next_on_their_choice_page(client_of, mentee, offered):
    shortlist, (ash, bo) = offered
    page = reverse("mentoring:partners:shortlist", args=[shortlist.pk])
    client_of(mentee).post(page, {"answer": "picked", "mentor": ash.pk})
    body = client_of(mentee).get(page).content.decode()
    assert "If Ash does not answer in time, who should we ask next?" in body
    client_of(mentee).post(page, {"answer": "next", "mentor": bo.pk})
    assert Shortlist.objects.get().picks == [ash.pk, bo.pk]
    body = client_of(mentee).get(page).content.decode()
    assert "we will ask Bo next" in body and "who should we ask next" not in body
    # Nobody else can be added: the list is used up; a stranger is refused.
    stranger = mentor_with_words("Cy", "Not on the list")
    client_of(mentee).post(page, {"answer": "next", "mentor": stranger.pk})
    assert Shortlist.objects.get().picks == [ash.pk, bo.pk]


def test_no_answer_in_time_asks_the_next_choice_then_tells_the_coordinators(
    client_of, mentee, coordinator, offered
):
    shortlist, (ash, bo) = offered
    choice.answer_shortlist(shortlist=shortlist, by=mentee, answer="picked", mentor=ash)
    choice.set_next_choice(shortlist=shortlist, by=mentee, mentor=bo)
    first = Match.objects.get(mentor=ash)

    assert choice.time_out_late_answers(_hours(47)) == 0  # still within the 48 hours
    assert choice.time_out_late_answers(_hours(49)) == 1
    first.refresh_from_db()
    assert first.status == MatchStatus.TIMED_OUT
    assert first.events.filter(status=MatchStatus.TIMED_OUT).exists()
    second = Match.objects.get(mentor=bo)
    assert second.status == MatchStatus.PROPOSED and second.mentee == mentee
    assert _told(bo, "mentoring.match_proposed").exists()  # that mentor is asked
    told = _told(mentee, "partners.choice_timed_out").get()
    assert "Ash did not answer in time, so we have asked Bo" in told.body
    assert _told(ash, "partners.proposal_lapsed").exists()
    assert _told(ash, "mentoring.match_proposed").get().done_at is not None  # off their Today
    assert not _told(coordinator, "partners.mentor_late").exists()
    assert choice.time_out_late_answers(_hours(49)) == 0  # safe to run twice
    # The notice that asked Ash still opens: the proposal, marked as not answered in time.
    page = client_of(ash).get(reverse("mentoring:match", args=[first.pk])).content.decode()
    assert "Mentor did not answer in time" in page and "Would you mentor" not in page

    # Bo does not answer either: no choice left, so the coordinators are told.
    assert choice.time_out_late_answers(_hours(49 + 49)) == 1
    second.refresh_from_db()
    assert second.status == MatchStatus.TIMED_OUT
    assert _told(coordinator, "partners.mentor_late").exists()
    last = _told(mentee, "partners.choice_timed_out").order_by("-id").first()
    assert "Bo did not answer in time" in last.body and "coordinator will be in touch" in last.body
    assert Referral.objects.get().status == ReferralStatus.WAITING
    assert not Match.objects.open().exists()


def test_a_no_from_the_chosen_mentor_asks_the_next_choice_at_once(mentee, coordinator, offered):
    shortlist, (ash, bo) = offered
    choice.answer_shortlist(shortlist=shortlist, by=mentee, answer="picked", mentor=ash)
    choice.set_next_choice(shortlist=shortlist, by=mentee, mentor=bo)
    first = Match.objects.get(mentor=ash)

    mentoring_services.answer_proposal(match=first, by=ash, accept=False)

    second = Match.objects.get(mentor=bo)
    assert second.status == MatchStatus.PROPOSED and second.mentee == mentee
    assert _told(bo, "mentoring.match_proposed").exists()
    told = _told(mentee, "partners.choice_declined").get()
    assert "Ash cannot be your mentor just now, so we have asked Bo" in told.body
    shortlist.refresh_from_db()
    assert (shortlist.chosen, shortlist.match) == (bo, second)

    # Bo says no too: nobody left, the mentee hears a coordinator will be in touch.
    mentoring_services.answer_proposal(match=second, by=bo, accept=False)
    last = _told(mentee, "partners.choice_declined").order_by("-id").first()
    assert "Bo cannot be your mentor just now" in last.body
    assert "coordinator will be in touch" in last.body
    assert _told(coordinator, "mentoring.proposal_answered").count() == 2
    assert not Match.objects.open().exists()
    assert Referral.objects.get().status == ReferralStatus.WAITING


def test_a_no_to_a_coordinators_own_proposal_asks_nobody_else(mentee, coordinator, offered):
    _shortlist, (ash, bo) = offered
    referral = Referral.objects.get()
    match = mentoring_services.propose_match(referral=referral, mentor=ash, by=coordinator)
    mentoring_services.answer_proposal(match=match, by=ash, accept=False)
    assert not Match.objects.filter(mentor=bo).exists()
    assert not _told(mentee, "partners.choice_declined").exists()


def test_with_no_next_choice_the_coordinators_are_told(mentee, coordinator, offered):
    shortlist, (ash, _bo) = offered
    choice.answer_shortlist(shortlist=shortlist, by=mentee, answer="picked", mentor=ash)
    choice.set_next_choice(shortlist=shortlist, by=mentee, mentor=None)  # a coordinator chooses
    assert choice.time_out_late_answers(_hours(49)) == 1
    assert Match.objects.count() == 1
    assert _told(coordinator, "partners.mentor_late").exists()


def test_a_mentor_who_answers_in_time_is_not_timed_out(mentee, offered):
    shortlist, (ash, bo) = offered
    choice.answer_shortlist(shortlist=shortlist, by=mentee, answer="picked", mentor=ash)
    choice.set_next_choice(shortlist=shortlist, by=mentee, mentor=bo)
    match = Match.objects.get()
    mentoring_services.answer_proposal(match=match, by=ash, accept=True)
    assert choice.time_out_late_answers(_hours(100)) == 0
    match.refresh_from_db()
    assert match.status == MatchStatus.ACCEPTED and Match.objects.count() == 1


def test_the_time_to_answer_is_a_setting_and_the_deferred_task_uses_the_clock(
    settings, monkeypatch, mentee, offered
):
    from mentoring.partners.tasks import time_out_choice

    settings.MENTOR_ANSWER_HOURS = 2
    shortlist, (ash, bo) = offered
    choice.answer_shortlist(shortlist=shortlist, by=mentee, answer="picked", mentor=ash)
    choice.set_next_choice(shortlist=shortlist, by=mentee, mentor=bo)
    later = _hours(3)
    assert time_out_choice.call(shortlist_id=shortlist.pk) is False  # not due yet
    monkeypatch.setattr(timezone, "now", lambda: later)  # three hours on
    assert time_out_choice.call(shortlist_id=shortlist.pk) is True
    assert Match.objects.get(mentor=bo).status == MatchStatus.PROPOSED


def test_a_next_choice_with_no_free_place_is_passed_over(mentee, coordinator, offered):
    shortlist, (ash, bo) = offered
    choice.answer_shortlist(shortlist=shortlist, by=mentee, answer="picked", mentor=ash)
    choice.set_next_choice(shortlist=shortlist, by=mentee, mentor=bo)
    cleared_mentor(bo, places=0)
    assert choice.time_out_late_answers(_hours(49)) == 1
    assert not Match.objects.filter(mentor=bo).exists()
    assert _told(coordinator, "partners.mentor_late").exists()


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
