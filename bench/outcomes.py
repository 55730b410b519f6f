"""Benchmark: the outcomes tables of the impact report over a year for 2,000 mentees.

    .venv/bin/python bench/outcomes.py          # server from DATABASE_URL, or local PostgreSQL

Creates a dedicated database (``bench_outcomes``) on the PostgreSQL server named by DATABASE_URL,
migrates it and fills it with bulk SQL: the impact benchmark's year (bench/impact.py: 2,000
referrals, matches, a meeting a fortnight), half the referrals with a release date, a monthly
"How things are" for every mentee (about 24,000) and a "how did it go?" from both people after
each meeting held. Then it times ``impact.outcomes`` (the selector and its tables; median of
several runs), checks the query count, and drops the database (BENCH_KEEP=1 keeps it). The last
line reads ``outcomes: mentees=2000 self_checks=<n> queries=4 outcomes_report_ms=<median>``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

RUNS = 7
BENCH_DB = "bench_outcomes"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._postgres import database_urls, recreate  # noqa: E402
from bench.impact import FILL_SQL as IMPACT_SQL  # noqa: E402
from bench.impact import MENTEES, MENTORS  # noqa: E402

OUTCOME_SQL = [
    # Half the referrals came out of prison three days after being referred.
    """
    UPDATE mentoring_referral SET release_date = (created_at + interval '3 days')::date
    WHERE id %% 2 = 0
    """,
    # A self-check a month for each mentee, from their referral to today; hope skipped by some.
    """
    INSERT INTO mentoring_response (person_id, questionnaire, version, match_id, phase,
        with_mentor, answers, words, started_at, completed_at)
    SELECT r.person_id, 'how-things-are', 1, NULL, 'regular', false,
           jsonb_build_object(
               'home', 1 + floor(random() * 5)::int,
               'money', 1 + floor(random() * 5)::int,
               'routine', 1 + floor(random() * 5)::int,
               'health', 1 + floor(random() * 5)::int,
               'drugs_alcohol', 1 + floor(random() * 5)::int,
               'people', 1 + floor(random() * 5)::int,
               'trouble', 1 + floor(random() * 5)::int,
               'work', 1 + floor(random() * 5)::int)
           || CASE WHEN random() < 0.8 THEN jsonb_build_object('hope', 1 + floor(random() * 5)::int)
                   ELSE '{}'::jsonb END,
           '{}'::jsonb, s.at, s.at + interval '10 minutes'
    FROM mentoring_referral r,
         generate_series(r.created_at, now() - interval '1 hour', interval '30 days') AS s(at)
    """,
    # Both people answer "how did it go?" after each meeting held.
    """
    INSERT INTO mentoring_meetingfeedback (meeting_id, person_id, face, line, created_at)
    SELECT mt.id, p.person_id, 1 + floor(random() * 3)::int, '', mt.starts_at + interval '2 hours'
    FROM mentoring_meeting mt JOIN mentoring_match m ON m.id = mt.match_id,
         LATERAL (VALUES (m.mentor_id), (m.mentee_id)) AS p(person_id)
    WHERE mt.status = 'held'
    """,
]


def run(database_url: str) -> tuple[float, int, int]:
    bench_url, maintenance_url = database_urls(database_url, BENCH_DB, "bench/outcomes.py")
    recreate(maintenance_url, BENCH_DB)
    try:
        os.environ["DATABASE_URL"] = bench_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from impact import outcomes
        from impact.selectors import Period

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.42)")  # the same data on every run
            for sql in [*IMPACT_SQL, *OUTCOME_SQL]:
                cursor.execute(sql, {"mentees": MENTEES, "mentors": MENTORS})
            for table in (
                "mentoring_referral",
                "mentoring_match",
                "mentoring_meeting",
                "mentoring_response",
                "mentoring_meetingfeedback",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("SELECT count(*) FROM mentoring_response")
            checks = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM mentoring_meetingfeedback")
            answers = cursor.fetchone()[0]
        sys.stdout.write(
            f"built {checks} self-checks and {answers} meeting answers "
            f"in {time.perf_counter() - started:.1f} s\n"
        )

        period = Period.last_twelve_months()

        def build():
            report = outcomes.outcomes_report(period)
            return report, outcomes.outcome_tables(report)

        build()  # warm the cache, as a running server would be
        with CaptureQueriesContext(connection) as queries:
            report, _tables = build()
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            build()
            timings.append((time.perf_counter() - start) * 1000)
        sys.stdout.write(
            f"people with two checks: {report.people_with_two_checks}; "
            f"ended well: {report.ended_well}; released: {report.released}; "
            f"runs (ms): {', '.join(f'{t:.0f}' for t in timings)}\n"
        )
        connection.close()
    finally:
        if not os.environ.get("BENCH_KEEP"):
            recreate(maintenance_url, BENCH_DB, drop_only=True)
    return statistics.median(timings), checks, len(queries)


def main() -> None:
    median, checks, queries = run(
        os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")
    )
    sys.stdout.write(
        f"outcomes: mentees={MENTEES} self_checks={checks} queries={queries} "
        f"outcomes_report_ms={median:.0f}\n"
    )


if __name__ == "__main__":
    main()
