"""Benchmark: the outcomes tables of the impact report over a year for 2,000 mentees.

    .venv/bin/python bench/outcomes.py          # server from DATABASE_URL, or local PostgreSQL

Creates a dedicated database (``bench_outcomes``) on the PostgreSQL server named by DATABASE_URL,
migrates it and fills it with bulk SQL: the impact benchmark's year (bench/impact.py: 2,000
referrals, matches, a meeting a fortnight), half the referrals with a release date, a monthly
"How things are" for every mentee (about 24,000) and a "how did it go?" from both people after
each meeting held; and who referred them (issue 16): a third by 50 workers of five partner
organisations, one of each kind (half of those through a partner referral the person agreed to),
most of the rest by a coordinator. Then it times ``impact.outcomes`` and ``impact.sources`` (each
selector and its tables; median of several runs), checks the query counts, and drops the
database (BENCH_KEEP=1 keeps it; BENCH_OUTCOMES_DB names it, default ``bench_outcomes``). The
last line reads ``outcomes: mentees=2000 self_checks=<n> queries=4 outcomes_report_ms=<median>
by_source_queries=2 by_source_ms=<median>``.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

RUNS = 7
BENCH_DB = os.environ.get("BENCH_OUTCOMES_DB", "bench_outcomes")

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

SOURCE_SQL = [
    # One partner organisation of each kind, and 50 workers, ten for each.
    """
    INSERT INTO accounts_organisation (name, kind, contact_name, contact_email, contact_phone,
                                       created_at)
    SELECT 'Bench ' || k, k, '', '', '', now()
    FROM unnest(ARRAY['probation', 'prison', 'drug_alcohol', 'housing', 'other']) AS k
    """,
    """
    INSERT INTO accounts_user (password, is_superuser, is_staff, is_active, date_joined, email,
                               display_name, pronouns)
    SELECT '!', false, false, true, now(), 'worker' || g || '@example.org', 'Worker ' || g, ''
    FROM generate_series(1, 50) AS g
    """,
    """
    WITH orgs AS (SELECT array_agg(id ORDER BY id) AS ids FROM accounts_organisation)
    INSERT INTO accounts_partnerworker (user_id, organisation_id, invited_at)
    SELECT u.id, orgs.ids[1 + u.id %% 5], now()
    FROM accounts_user u, orgs WHERE u.email LIKE 'worker%%'
    """,
    # A third of the referrals by a partner worker; the rest not self-referred by a coordinator
    # (the first mentor stands in), except one in ten of those, whose referrer is gone.
    """
    WITH workers AS (SELECT array_agg(user_id ORDER BY user_id) AS ids
                     FROM accounts_partnerworker),
         staff AS (SELECT min(id) AS id FROM accounts_user
                   WHERE email LIKE 'bench%%' AND id > %(mentees)s)
    UPDATE mentoring_referral r
    SET referred_by_id = CASE WHEN r.id %% 3 = 1 THEN workers.ids[1 + r.id %% 50]
                              WHEN r.id %% 30 = 2 THEN NULL ELSE staff.id END
    FROM workers, staff WHERE r.id %% 3 <> 0
    """,
    # Half the partner workers' referrals came through a partner referral the person agreed to.
    """
    INSERT INTO mentoring_partnerreferral (name, email, phone, contact_preference, safe_contact,
        prison, needs, in_their_words, passed_on, risk_information, consent, consent_how,
        consent_at, share_back, created_at, organisation_id, person_id, referral_id, worker_id)
    SELECT 'Someone', '', '', 'text', '', '', '[]', '', '[]', '', 'agreed', 'phone',
           r.created_at, '[]', r.created_at - interval '2 days', w.organisation_id, r.person_id,
           r.id, w.user_id
    FROM mentoring_referral r JOIN accounts_partnerworker w ON w.user_id = r.referred_by_id
    WHERE r.id %% 2 = 0
    """,
]


def run(database_url: str) -> tuple[float, int, int, float, int]:
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

        from impact import outcomes, sources
        from impact.selectors import Period

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.42)")  # the same data on every run
            for sql in [*IMPACT_SQL, *OUTCOME_SQL, *SOURCE_SQL]:
                cursor.execute(sql, {"mentees": MENTEES, "mentors": MENTORS})
            for table in (
                "mentoring_referral",
                "mentoring_match",
                "mentoring_meeting",
                "mentoring_response",
                "mentoring_meetingfeedback",
                "mentoring_partnerreferral",
                "accounts_partnerworker",
                "accounts_user",
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

        def by_source():
            found = sources.sources_report(period)
            return found, sources.source_tables(found)

        by_source()
        with CaptureQueriesContext(connection) as source_queries:
            found, (_chart, grid) = by_source()
        source_timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            by_source()
            source_timings.append((time.perf_counter() - start) * 1000)
        probation = found.figures("probation")
        sys.stdout.write(
            f"by source: {len(grid.rows) - 1} rows; probation referred {probation.referred}, "
            f"met {probation.met}; runs (ms): {', '.join(f'{t:.0f}' for t in source_timings)}\n"
        )
        sys.stdout.write(
            f"people with two checks: {report.people_with_two_checks}; "
            f"ended well: {report.ended_well}; released: {report.released}; "
            f"runs (ms): {', '.join(f'{t:.0f}' for t in timings)}\n"
        )
        connection.close()
    finally:
        if not os.environ.get("BENCH_KEEP"):
            recreate(maintenance_url, BENCH_DB, drop_only=True)
    return (
        statistics.median(timings),
        checks,
        len(queries),
        statistics.median(source_timings),
        len(source_queries),
    )


def main() -> None:
    median, checks, queries, source_median, source_queries = run(
        os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")
    )
    sys.stdout.write(
        f"outcomes: mentees={MENTEES} self_checks={checks} queries={queries} "
        f"outcomes_report_ms={median:.0f} by_source_queries={source_queries} "
        f"by_source_ms={source_median:.0f}\n"
    )


if __name__ == "__main__":
    main()
