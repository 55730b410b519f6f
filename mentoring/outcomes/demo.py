"""Demo outcomes for ``manage.py seed_demo``: Jay has done "How things are" twice (home better,
money harder), shares Home with Sam, and counts a recovery date. Safe to run again."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import ConsentPurpose
from accounts.roles import Role
from accounts.services import give_consent
from mentoring.outcomes import questionnaires
from mentoring.outcomes.models import ClockKind, MilestoneClock, OutcomeSharing, Phase, Response

CHECKS = [
    (50, Phase.START, {"home": 2, "money": 3, "routine": 2, "health": 3, "hope": 3}, {}),
    (
        15,
        Phase.REGULAR,
        {"home": 4, "money": 2, "routine": 3, "health": 3, "hope": 4},
        {"home": "Got a room at the hostel", "money": "Waiting for my benefits"},
    ),
]


@transaction.atomic
def seed(personas: dict, stdout) -> None:
    jay = personas[Role.MENTEE]
    give_consent(user=jay, purpose=ConsentPurpose.OUTCOMES)
    if not Response.objects.filter(person=jay).exists():
        now = timezone.now()
        for days_ago, phase, answers, words in CHECKS:
            Response.objects.create(
                person=jay,
                questionnaire=questionnaires.SELF_CHECK,
                phase=phase,
                answers=answers,
                words=words,
                started_at=now - timedelta(days=days_ago),
                completed_at=now - timedelta(days=days_ago),
            )
    OutcomeSharing.objects.get_or_create(mentee=jay, defaults={"domains": ["home"]})
    MilestoneClock.objects.get_or_create(
        person=jay,
        kind=ClockKind.RECOVERY,
        defaults={"started_on": timezone.localdate() - timedelta(days=95)},
    )
    stdout.write('Outcomes: Jay has done "How things are" twice and shares Home with Sam.')
