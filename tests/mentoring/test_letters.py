"""A letter to someone still inside: their mentor writes it from the match page and prints it;
the paper carries the mentee's name and prison and the charity's return address, never the
mentor's phone, e-mail or surname; the words are not kept."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import AuditEvent
from mentoring.choices import MatchStatus
from mentoring.partners import letters
from tests.mentoring.factories import cleared_mentor, match_between

pytestmark = pytest.mark.django_db

ADDRESS = "12 Mill Lane, Hackney, London E8 1AA"


@pytest.fixture(autouse=True)
def charity(settings):
    settings.ORGANISATION_NAME = "Mill Lane Mentors"
    settings.ORGANISATION_ADDRESS = ADDRESS


@pytest.fixture
def inside(match):
    match.referral.prison = "HMP Northshire"
    match.referral.release_date = timezone.localdate() + timedelta(days=12)
    match.referral.save()
    match.mentor.email = "sam.private@example.org"
    match.mentor.save()
    return match


def _text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_mentor_makes_a_printable_letter_from_the_match_page(client_of, inside, mentor):
    client = client_of(mentor)
    match_page = client.get(reverse("mentoring:match", args=[inside.pk])).content.decode()
    url = reverse("mentoring:partners:letter", args=[inside.pk])
    assert url in match_page
    page = client.get(url).content.decode()
    assert "I will be there" in page  # the plain-words template to start from
    assert "HMP Northshire" in page and "Mill Lane Mentors" in page

    body = "Hello Jay,\n\nI\u2019ll be at the gate \u2013 \u201csee you there\u201d.\n\nSam"
    text = _text(client.post(url, {"body": body}))
    assert "Jay Mentee" in text and "HMP Northshire" in text
    assert "Mill Lane Mentors" in text and "12 Mill Lane" in text and "E8 1AA" in text
    assert "at the gate" in text and "see you there" in text
    assert "Sam Mentor" not in text and "sam.private@example.org" not in text

    event = AuditEvent.objects.get(action="letter.made")
    assert event.actor == mentor and event.subject == inside.mentee
    assert "gate" not in event.summary  # what the letter says is not kept
    assert not AuditEvent.objects.filter(summary__contains="see you").exists()


def test_accents_and_curly_quotes_print_with_or_without_a_unicode_font(inside, monkeypatch):
    inside.mentee.display_name = "Zo\u00eb \u0141ukasz"
    inside.mentee.save()
    body = letters.clean_body("\u201cCze\u015b\u0107\u201d \u2014 it\u2019s me \U0001f600\x00")
    for font_paths in (letters.FONT_PATHS, []):
        monkeypatch.setattr(letters, "FONT_PATHS", font_paths)
        pdf = letters.letter_pdf(match=inside, body=body)
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert "Zo\u00eb" in text and "ukasz" in text and "it" in text


def test_a_coordinator_may_make_one_and_the_wrong_mentor_or_the_mentee_may_not(
    client_of, inside, coordinator, other_mentor, mentee
):
    url = reverse("mentoring:partners:letter", args=[inside.pk])
    assert client_of(coordinator).get(url).status_code == 200
    other_mentee_match = match_between(other_mentor, cleared_mentor())  # a mentor, not theirs
    assert other_mentee_match.mentor == other_mentor
    for someone in (other_mentor, mentee):
        assert client_of(someone).get(url).status_code == 404
        assert client_of(someone).post(url, {"body": "Hello"}).status_code == 404
    assert not AuditEvent.objects.filter(action="letter.made").exists()


def test_no_letter_once_released_or_when_the_match_is_not_under_way(client_of, inside, mentor):
    url = reverse("mentoring:partners:letter", args=[inside.pk])
    match_page = reverse("mentoring:match", args=[inside.pk])
    inside.referral.release_date = timezone.localdate()
    inside.referral.save()
    assert url not in client_of(mentor).get(match_page).content.decode()
    assert client_of(mentor).post(url, {"body": "Hello"}).status_code == 404

    inside.referral.release_date = timezone.localdate() + timedelta(days=3)
    inside.referral.save()
    inside.status = MatchStatus.PROPOSED
    inside.save()
    assert client_of(mentor).get(url).status_code == 404


def test_an_empty_letter_gets_a_plain_message(client_of, inside, mentor):
    url = reverse("mentoring:partners:letter", args=[inside.pk])
    response = client_of(mentor).post(url, {"body": "   "})
    assert response.status_code == 200 and "This field is required" in response.content.decode()
    assert not AuditEvent.objects.filter(action="letter.made").exists()
