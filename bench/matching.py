"""Benchmark: suggest mentors for one mentee out of 10,000 candidates, loaded from PostgreSQL.

Creates its own database on the server named by DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/bench_matching), fills it, measures, and drops it.

    .venv/bin/python bench/matching.py [--candidates 10000] [--runs 7]

Prints the median of several runs; the last line reads
``matching: candidates=10000 rank_ms=<median> total_ms=<median> queries=<n>``.
``rank_ms`` is ``matching.rank`` alone over every candidate (keeping the shortlist of 50);
``total_ms`` is ``services.suggestions_for``, what the coordinator's page does: load every
candidate, the mentee's facts and rules, rank, ask volunteering to clear the shortlist, rank it
again; ``queries`` is the number of SQL queries in one such run.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_matching"


def _server_url(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _recreate(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Unexpected database name: {name!r}")
    conninfo = _server_url(url, "postgres").replace("postgres://", "postgresql://", 1)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')


def _setup_django(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _person(model, **fields):
    person = model(**fields)
    person.set_unusable_password()  # no one logs in here, and hashing 10,000 would be slow
    return person


def _fill(count: int) -> object:
    """``count`` cleared peer mentors with varied profiles, and one referral to match."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import AVAILABILITY_SLOTS, LivedExperience, Profile, User
    from accounts.roles import Role
    from mentoring.choices import ContactPreference, Gender, Need
    from mentoring.models import MentorProfile, Referral
    from volunteering.models import (
        DBSCheck,
        Onboarding,
        Reference,
        Stage,
        TrainingCompletion,
        VolunteerRole,
    )

    rnd = random.Random(20261122)
    slots = [key for key, _label in AVAILABILITY_SLOTS]
    areas = ["Hackney", "Leeds", "Bristol", "Salford", "Cardiff", "Croydon", "Hull", "Luton"]
    languages = ["English", "Polish", "Urdu", "Somali", "Romanian", "Welsh", "Arabic"]
    interests = ["football", "cooking", "music", "fishing", "art", "gym", "walking", "chess"]
    today = timezone.localdate()
    earlier = today - timedelta(days=30)

    users = User.objects.bulk_create(
        _person(User, email=f"mentor{n}@bench.invalid", display_name=f"Mentor {n}")
        for n in range(count)
    )
    group = Group.objects.get_or_create(name=Role.PEER_MENTOR)[0]
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=group.pk) for user in users
    )
    Profile.objects.bulk_create(
        Profile(
            user=user,
            area=rnd.choice(areas),
            languages=["English", *rnd.sample(languages[1:], rnd.randint(0, 2))],
            interests=rnd.sample(interests, rnd.randint(0, 3)),
            lived_experience=rnd.sample(LivedExperience.values, rnd.randint(0, 4)),
            availability=rnd.sample(slots, rnd.randint(1, 8)),
        )
        for user in users
    )
    MentorProfile.objects.bulk_create(
        MentorProfile(
            user=user,
            places=rnd.randint(1, 3),
            gender=rnd.choice(Gender.values),
            helps_with=rnd.sample(Need.values, rnd.randint(1, 3)),
            released_on=today - timedelta(days=rnd.randint(100, 4000))
            if rnd.random() < 0.5
            else None,
        )
        for user in users
    )
    # What volunteering needs to clear a peer mentor (as tests.volunteering.factories.make_cleared).
    role = VolunteerRole.objects.get(slug="peer-mentor")
    Onboarding.objects.bulk_create(
        Onboarding(
            user=user,
            stage=Stage.ACTIVE,
            why="bench",
            interviewed_on=earlier,
            induction_completed_on=earlier,
            supervision_agreed_on=earlier,
        )
        for user in users
    )
    Reference.objects.bulk_create(
        Reference(volunteer=user, referee_name="Ref", received_on=earlier, satisfactory=True)
        for user in users
        for _ in range(role.references_required)
    )
    DBSCheck.objects.bulk_create(
        DBSCheck(
            volunteer=user,
            level=role.dbs_level,
            issued_on=earlier,
            certificate_number=f"{user.pk:012d}",
            recheck_due=today + timedelta(days=3 * 365),
        )
        for user in users
    )
    TrainingCompletion.objects.bulk_create(
        TrainingCompletion(user=user, course=course, completed_on=earlier)
        for course in role.required_courses.all()
        for user in users
    )
    mentee = _person(User, email="mentee@bench.invalid", display_name="Jay")
    mentee.save()
    Profile.objects.create(
        user=mentee,
        area="Hackney",
        languages=["English", "Polish"],
        interests=["football", "music"],
        lived_experience=[LivedExperience.PRISON, LivedExperience.DRUGS],
        availability=["tue-evening", "sat-morning", "wed-afternoon"],
    )
    return Referral.objects.create(
        person=mentee,
        referred_by=mentee,
        contact_preference=ContactPreference.TEXT,
        area="Hackney",
        needs=[Need.HOUSING, Need.WORK],
        wants_experience=[LivedExperience.RESIDENTIAL_REHAB],
        availability=["tue-evening", "sat-morning", "wed-afternoon"],
    )


def _analyze() -> None:
    """Give the planner statistics, as autovacuum would on a live database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _measure(referral, runs: int, expected: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mentoring import matching, selectors, services
    from mentoring.models import Referral

    rank_ms, total_ms, queries = [], [], set()
    for _ in range(runs):
        referral = Referral.objects.select_related("person__profile").get(pk=referral.pk)
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            top, others = services.suggestions_for(referral)
            total_ms.append((time.perf_counter() - start) * 1000)
        queries.add(len(captured.captured_queries))
        assert len(top) == 5 and len(others) == services.SHORTLIST - 5

        # Ranking alone: every candidate, the shortlist's reasons built.
        facts = selectors.mentee_facts(referral)
        candidates = selectors.load_candidates(check_clearance=False)
        assert len(candidates) == expected
        rules = selectors.rules_for(referral.person_id)
        start = time.perf_counter()
        matching.rank(facts, candidates, rules, limit=services.SHORTLIST)
        rank_ms.append((time.perf_counter() - start) * 1000)
    if len(queries) != 1:
        raise SystemExit(f"Query count changed between runs: {sorted(queries)}")
    return statistics.median(rank_ms), statistics.median(total_ms), queries.pop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("bench/matching.py needs a PostgreSQL DATABASE_URL.")
    url = _server_url(url, "bench_matching")
    _recreate(url)
    try:
        _setup_django(url)
        started = time.perf_counter()
        referral = _fill(args.candidates)
        _analyze()
        sys.stdout.write(
            f"filled {args.candidates} mentors in {time.perf_counter() - started:.1f} s\n"
        )
        rank_ms, total_ms, queries = _measure(referral, args.runs, args.candidates)
    finally:
        from django.db import connections

        connections.close_all()
        _recreate(url, drop_only=True)
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    sys.stdout.write(f"machine: {os.cpu_count()} processors, load average {load}\n")
    sys.stdout.write(
        f"matching: candidates={args.candidates} rank_ms={rank_ms:.1f} "
        f"total_ms={total_ms:.1f} queries={queries}\n"
    )


if __name__ == "__main__":
    main()
