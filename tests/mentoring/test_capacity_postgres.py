"""A mentor's places hold when two coordinators propose at the same moment (PostgreSQL)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.roles import Role
from mentoring import services
from mentoring.choices import ContactPreference
from mentoring.models import Match
from tests.factories import person
from tests.mentoring.factories import cleared_mentor


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_proposals_for_the_last_place_only_one_wins(coordinator):
    mentor = cleared_mentor(places=1)
    referrals = [
        services.refer(
            person=person(Role.MENTEE), by=coordinator, contact_preference=ContactPreference.TEXT
        )
        for _ in range(4)
    ]
    barrier = threading.Barrier(len(referrals))
    outcomes = []

    def propose(referral):
        try:
            barrier.wait()
            services.propose_match(
                referral=referral, mentor=mentor, by=coordinator, override_reason="test"
            )
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=propose, args=(r,)) for r in referrals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full", "full", "full", "ok"]
    assert Match.objects.filter(mentor=mentor).count() == 1
