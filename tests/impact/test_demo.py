"""seed_demo gives the impact report a year that tells a story; running it twice adds nothing."""

import io

import pytest
from django.core.management import call_command

from impact.selectors import Period, impact_report
from mentoring.models import Referral

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_a_year_of_history_once(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    referrals = Referral.objects.count()
    call_command("seed_demo", "--quiet", stdout=io.StringIO())
    assert Referral.objects.count() == referrals
    report = impact_report(Period.last_twelve_months())
    assert report.referrals >= 40
    assert report.matches_ended >= 10 and report.meetings_held > 100
    assert report.meetings_missed > 0 and report.goals_reached > 10
    assert report.volunteers >= 5 and report.pathway_applied == 2
    assert report.event_places > 0
