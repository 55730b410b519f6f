"""After ``seed_demo`` every demo role has something to do, on their Today (issue 12): a referral
waiting for a match (coordinator), a proposal to answer (Sam), a story to approve (Jay), shifts to
take (Priya, cleared as an event helper), a new concern (Marcus), a held message (Alex), a shared
story (Rosa). Running it twice adds none of them twice."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.demo import demo_email
from accounts.models import User
from accounts.roles import Role
from mentoring.choices import MatchStatus
from mentoring.models import Match, Referral
from stories.models import StoryPage
from volunteering.selectors import open_shifts_for

pytestmark = pytest.mark.django_db


def _today(client_of, role) -> str:
    person = User.objects.get(email=demo_email(role))
    response = client_of(person).get(reverse("accounts:today"))
    assert response.status_code == 200, role
    return response.content.decode()


def _words(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def test_every_demo_role_has_something_waiting_on_today(settings, client_of):
    settings.DEBUG = True
    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    call_command("seed_demo", "--quiet", stdout=io.StringIO())

    assert Referral.objects.waiting().exists()
    [proposal] = Match.objects.filter(status=MatchStatus.PROPOSED, mentor__display_name="Sam")
    assert proposal.mentee.display_name == "Chris"
    assert StoryPage.objects.filter(slug="learning-to-ask-for-help", live=False).count() == 1
    priya = User.objects.get(email=demo_email(Role.VOLUNTEER))
    assert open_shifts_for(priya)

    settings.DEBUG = False
    coordinator_today = _today(client_of, Role.COORDINATOR)
    assert re.search(r"[1-9]\d*</span> referrals waiting for a match", coordinator_today)
    assert "Mentoring Chris?" in _today(client_of, Role.PEER_MENTOR)
    assert "Your story is ready for you to read" in _today(client_of, Role.MENTEE)
    assert "Find a shift" in _today(client_of, Role.VOLUNTEER)
    shifts = client_of(priya).get(reverse("volunteering:shifts")).content.decode()
    assert "Community café, High St" in shifts
    # The staff roles too: a new concern, a held message, a story a member shared.
    assert "1 new · 1 open" in _words(_today(client_of, Role.SAFEGUARDING_LEAD))
    assert "1 message waits for a moderator" in _words(_today(client_of, Role.MODERATOR))
    lead_today = _today(client_of, Role.INVOLVEMENT_LEAD)
    assert "Stories waiting for you" in lead_today
    assert "What volunteering gave me back" in lead_today
