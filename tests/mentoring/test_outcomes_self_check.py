""" "How things are": saved only with consent, one question per screen, every view audited, and
the mentor sees only what the mentee shared, area by area."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, ConsentPurpose
from accounts.services import give_consent, has_consent
from mentoring.outcomes import selectors, services
from mentoring.outcomes.models import OutcomeSharing, Phase, Response
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def answered(mentee, answers, *, days_ago=0, words=None):
    """A completed self-check, as if done ``days_ago`` days ago."""
    give_consent(user=mentee, purpose=ConsentPurpose.OUTCOMES)
    response = services.start_questionnaire(person=mentee, by=mentee)
    for key, value in answers.items():
        services.answer_item(
            response=response, by=mentee, item=key, value=value, words=(words or {}).get(key, "")
        )
    services.finish_questionnaire(response=response, by=mentee)
    Response.objects.filter(pk=response.pk).update(
        completed_at=timezone.now() - timedelta(days=days_ago)
    )
    response.refresh_from_db()
    return response


def test_nothing_is_saved_without_consent(mentee):
    with pytest.raises(ValidationError) as caught:
        services.start_questionnaire(person=mentee, by=mentee)
    assert "we need your agreement" in caught.value.messages[0]
    assert not Response.objects.exists()


def test_agreeing_records_consent_and_the_answers_are_kept(mentee, match):
    response = services.start_questionnaire(person=mentee, by=mentee, agree=True, with_mentor=True)
    assert has_consent(mentee, ConsentPurpose.OUTCOMES)
    assert response.phase == Phase.START and response.with_mentor and response.match == match
    services.answer_item(response=response, by=mentee, item="home", value=4, words="My own room")
    services.answer_item(response=response, by=mentee, item="money", value=None)  # skipped
    services.finish_questionnaire(response=response, by=mentee)
    response.refresh_from_db()
    assert response.answers == {"home": 4}
    assert response.words == {"home": "My own room"}
    assert AuditEvent.objects.filter(action="outcomes.answered", subject=mentee).exists()
    # The next one in the same match is a regular check, not the start.
    assert services.start_questionnaire(person=mentee, by=mentee).phase == Phase.REGULAR


def test_taking_consent_back_erases_every_answer_at_once(client_of, mentee):
    answered(mentee, {"home": 3})
    unfinished = services.start_questionnaire(person=mentee, by=mentee)
    client_of(mentee).post(reverse("mentoring:outcomes:forget"))
    assert not has_consent(mentee, ConsentPurpose.OUTCOMES)
    assert not Response.objects.filter(person=mentee).exists()
    assert AuditEvent.objects.filter(action="outcomes.erased", subject=mentee).exists()
    with pytest.raises(ValidationError):
        services.answer_item(response=unfinished, by=mentee, item="home", value=3)


def test_answers_are_in_my_data_and_nobody_elses(mentee, other_mentee):
    from accounts.services import export_personal_data

    answered(mentee, {"home": 3}, words={"home": "SENTINEL-home"})
    mine = export_personal_data(user=mentee)
    assert mine["mentoring.how_things_are"][0]["words"] == {"home": "SENTINEL-home"}
    assert "SENTINEL-home" not in str(export_personal_data(user=other_mentee))


def test_a_charitys_own_measure_runs_through_the_same_engine(client_of, mentee, settings, tmp_path):
    from mentoring.outcomes import questionnaires

    (tmp_path / "tiny.yaml").write_text(
        "slug: tiny\ntitle: Tiny check\nlicence: Ours\n"
        "scales: {yn: [{value: 0, label: 'No'}, {value: 1, label: 'Yes'}]}\n"
        "domains: [{key: home, label: Home}]\n"
        "items: [{key: safe, domain: home, scale: yn, text: 'Do you feel safe at home?'}]\n"
    )
    settings.QUESTIONNAIRE_DIRS = [str(tmp_path)]
    questionnaires.load_all.cache_clear()
    try:
        client = client_of(mentee)
        url = reverse("mentoring:outcomes:questionnaire", args=["tiny"])
        assert "Tiny check" in client.get(url).content.decode()
        client.post(url, {"agree": "on", "with_mentor": "no"})
        response = Response.objects.get(person=mentee, questionnaire="tiny")
        step = reverse("mentoring:outcomes:step", args=[response.pk, 1])
        assert "Do you feel safe at home?" in client.get(step).content.decode()
        client.post(step, {"q-value": "1", "action": "next"})
        response.refresh_from_db()
        assert response.answers == {"safe": 1} and response.completed_at
        example = reverse("mentoring:outcomes:questionnaire", args=["example-measure"])
        assert client.get(example).status_code == 404  # enabled: false
    finally:
        questionnaires.load_all.cache_clear()


def test_nobody_else_answers_for_a_person(mentee, mentor):
    with pytest.raises(PermissionDenied):
        services.start_questionnaire(person=mentee, by=mentor, agree=True)
    response = services.start_questionnaire(person=mentee, by=mentee, agree=True)
    with pytest.raises(PermissionDenied):
        services.answer_item(response=response, by=mentor, item="home", value=3)


def test_an_answer_off_the_scale_is_refused(mentee):
    response = services.start_questionnaire(person=mentee, by=mentee, agree=True)
    with pytest.raises(ValidationError):
        services.answer_item(response=response, by=mentee, item="home", value=9)
    with pytest.raises(ValidationError):
        services.answer_item(response=response, by=mentee, item="nothing", value=3)


def test_one_question_a_screen_from_start_to_chart_without_javascript(client_of, mentee, match):
    client = client_of(mentee)
    page = client.get(reverse("mentoring:outcomes:start"))
    assert page.status_code == 200 and "I agree" in page.content.decode()
    refused = client.post(reverse("mentoring:outcomes:start"), {"with_mentor": "no"})
    assert "we need your agreement" in refused.content.decode()
    started = client.post(reverse("mentoring:outcomes:start"), {"agree": "on", "with_mentor": "no"})
    response = Response.objects.get(person=mentee)
    assert started["Location"] == reverse("mentoring:outcomes:step", args=[response.pk, 1])
    first = client.get(started["Location"])
    assert "How are things with where you live?" in first.content.decode()
    assert "Question 1 of 9" in first.content.decode()
    client.post(started["Location"], {"q-value": "2", "q-words": "Sofa surfing"})
    for number in range(2, 9):
        client.post(
            reverse("mentoring:outcomes:step", args=[response.pk, number]), {"action": "skip"}
        )
    done = client.post(
        reverse("mentoring:outcomes:step", args=[response.pk, 9]),
        {"q-value": "4", "action": "next"},
    )
    assert done["Location"] == reverse("mentoring:outcomes:mine")
    response.refresh_from_db()
    assert response.completed_at and response.answers == {"home": 2, "hope": 4}
    # Finished answers cannot be changed through the old address.
    assert client.get(started["Location"]).status_code == 404
    mine = client.get(done["Location"]).content.decode()
    assert "Home: Hard. In your words: “Sofa surfing”" in mine
    assert "<svg" in mine and "<table>" in mine


def test_the_journey_shows_what_got_better_and_harder_in_their_words(mentee):
    answered(mentee, {"home": 2, "money": 4}, days_ago=40)
    answered(mentee, {"home": 4, "money": 2}, words={"money": "Benefits stopped"})
    journey = selectors.journey_of(selectors.completed_self_checks(mentee.pk))
    assert [d.label for d in journey.better] == ["Home"]
    assert [(d.label, d.latest_words) for d in journey.harder] == [("Money", "Benefits stopped")]


def test_my_answers_page_is_audited_on_each_view_and_its_queries_are_pinned(
    client_of, mentee, django_assert_num_queries
):
    for days_ago in (90, 60, 30, 0):
        answered(mentee, {"home": 3, "hope": 4}, days_ago=days_ago)
    client = client_of(mentee)
    client.get(reverse("mentoring:outcomes:mine"))  # warm the session and roles
    before = AuditEvent.objects.filter(action="viewed", subject=mentee).count()
    # 1 session, 2 user, 3 roles, 4 the answers (all of them, one query), 5 the audit row,
    # 6 what is shared, 7 consent, 8 the unread notices count in the header. Four answers or
    # forty, the same.
    with django_assert_num_queries(8):
        page = client.get(reverse("mentoring:outcomes:mine"))
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="viewed", subject=mentee).count() == before + 1


def test_the_mentor_sees_only_the_areas_she_shared(client_of, mentee, mentor, match, outsider):
    answered(mentee, {"home": 4, "drugs_alcohol": 2}, words={"drugs_alcohol": "A bad week"})
    url = reverse("mentoring:outcomes:match_self_checks", args=[match.pk])
    page = client_of(mentor).get(url).content.decode()
    assert "has not shared any of this with you" in page
    assert "A bad week" not in page
    services.set_outcome_sharing(mentee=mentee, by=mentee, domains=["home"])
    page = client_of(mentor).get(url).content.decode()
    assert "Home: Really good" not in page and "Home: Good." in page
    assert "Drugs and alcohol" not in page and "A bad week" not in page
    assert AuditEvent.objects.filter(
        action="viewed", actor=mentor, subject=mentee, summary="how things are"
    ).exists()
    assert client_of(outsider).get(url).status_code == 404
    assert client_of(mentee).get(url).status_code == 404  # she has her own page


def test_the_mentor_sees_a_milestone_only_when_shared(client_of, mentee, mentor, match):
    url = reverse("mentoring:outcomes:match_self_checks", args=[match.pk])
    start = timezone.localdate() - timedelta(days=40)
    services.set_milestone_date(person=mentee, by=mentee, kind="recovery", started_on=start)
    assert "good days" not in client_of(mentor).get(url).content.decode()
    services.set_milestone_date(
        person=mentee, by=mentee, kind="recovery", started_on=start, shared_with_mentor=True
    )
    assert "40 good days in all" in client_of(mentor).get(url).content.decode()


def test_sharing_is_the_mentees_choice_through_her_page(client_of, mentee):
    client = client_of(mentee)
    client.post(reverse("mentoring:outcomes:sharing"), {"domains": ["home", "hope"]})
    assert OutcomeSharing.objects.get(mentee=mentee).domains == ["home", "hope"]
    with pytest.raises(ValidationError):
        services.set_outcome_sharing(mentee=mentee, by=mentee, domains=["secrets"])


def test_a_coordinator_sees_every_area_audited(client_of, coordinator, mentee, match):
    answered(mentee, {"drugs_alcohol": 2})
    url = reverse("mentoring:outcomes:match_self_checks", args=[match.pk])
    page = client_of(coordinator).get(url).content.decode()
    assert "Drugs and alcohol: Hard." in page
    assert AuditEvent.objects.filter(action="viewed", actor=coordinator, subject=mentee).exists()


def test_the_self_check_is_on_today_when_due_and_reminded_once_a_month(client_of, mentee, match):
    assert "Start “How things are”" in client_of(mentee).get("/me/").content.decode()
    now = timezone.now()
    assert services.remind_self_checks_due(now) == 1
    assert services.remind_self_checks_due(now) == 0  # the same month: never twice
    notice = Notification.objects.get(recipient=mentee, kind="mentoring.self_check_due")
    assert notice.url == "/mentoring/how-things-are/"
    answered(mentee, {"home": 3})
    assert not selectors.self_check_due(mentee)
    assert "Start “How things are”" not in client_of(mentee).get("/me/").content.decode()
    Response.objects.update(completed_at=now - timedelta(days=31))
    assert selectors.self_check_due(mentee)


def test_pages_refuse_people_who_are_not_mentees(client_of, mentor, outsider):
    for user in (mentor, outsider):
        assert client_of(user).get(reverse("mentoring:outcomes:start")).status_code == 404
        assert client_of(user).get(reverse("mentoring:outcomes:mine")).status_code == 404


def test_someone_elses_unfinished_answers_give_404(client_of, mentee, other_mentee):
    response = services.start_questionnaire(person=mentee, by=mentee, agree=True)
    url = reverse("mentoring:outcomes:step", args=[response.pk, 1])
    assert client_of(other_mentee).get(url).status_code == 404
    assert client_of(other_mentee).get(url.replace(str(response.pk), "999999")).status_code == 404
