"""Benchmark: the impact report over a year of data for 2,000 mentees and 500 mentors.

    .venv/bin/python bench/impact.py            # server from DATABASE_URL, or local PostgreSQL

Creates a dedicated database (``bench_impact``) on the PostgreSQL server named by DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/bench_impact), migrates it, fills it with bulk SQL
(INSERT ... SELECT generate_series): 2,000 referrals over the year, a match for 90% of them (a
fifth ended), a meeting a fortnight for each match (about 40,000), three goals each, 100 entries
of hours per mentor and 200 mentees who applied to volunteer. Then it times
``impact.selectors.impact_report`` (median of several runs) and drops the database (BENCH_KEEP=1
keeps it). The last line reads ``impact: mentees=2000 mentors=500 impact_report_ms=<median>``.
``run(database_url)`` returns the median for bench/reports.py.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

MENTEES = 2_000
MENTORS = 500
RUNS = 7
BENCH_DB = "bench_impact"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._postgres import database_urls, recreate  # noqa: E402

FILL_SQL = [
    # Mentees (ids 1..2000 in order of creation) then mentors.
    """
    INSERT INTO accounts_user (password, is_superuser, is_staff, is_active, date_joined, email,
                               display_name, pronouns)
    SELECT '!', false, false, true, now(), 'bench' || g || '@example.org', 'Person ' || g, ''
    FROM generate_series(1, %(mentees)s + %(mentors)s) AS g
    """,
    # A referral per mentee over the last year; a third referred themselves.
    """
    INSERT INTO mentoring_referral (person_id, referred_by_id, status, contact_preference, area,
        needs, prison, wants_experience, wants_gender, wants_language, availability,
        consent_to_share, created_at)
    SELECT u.id, CASE WHEN u.id %% 3 = 0 THEN u.id ELSE NULL END, 'matched', 'text', 'Hackney',
           '["housing"]', '', '[]', '', '', '[]', true,
           now() - (random() * 365) * interval '1 day'
    FROM accounts_user u WHERE u.email LIKE 'bench%%' ORDER BY u.id LIMIT %(mentees)s
    """,
    # A match for 90% of them, a fifth of those ended.
    """
    WITH mentors AS (SELECT array_agg(id ORDER BY id) AS ids FROM (
        SELECT id FROM accounts_user WHERE email LIKE 'bench%%' ORDER BY id OFFSET %(mentees)s
    ) m)
    INSERT INTO mentoring_match (referral_id, mentor_id, mentee_id, status, proposed_at, reasons,
        override_reason, activated_at, ended_at, end_reason, end_note)
    SELECT r.id, mentors.ids[1 + r.id %% %(mentors)s], r.person_id,
           CASE WHEN r.id %% 5 = 0 THEN 'ended' ELSE 'active' END,
           r.created_at + interval '5 days', '[]', '',
           r.created_at + interval '9 days',
           CASE WHEN r.id %% 5 = 0 THEN r.created_at + interval '120 days' END,
           CASE WHEN r.id %% 5 = 0 THEN (ARRAY['goals_met','moved_on','disengaged','custody'])
                [1 + r.id %% 4] ELSE '' END,
           ''
    FROM mentoring_referral r, mentors WHERE r.id %% 10 <> 0
    """,
    # A meeting a fortnight from the match until it ended (or today); one in seven missed.
    """
    INSERT INTO mentoring_meeting (match_id, starts_at, minutes, place_kind, place, status,
        created_at)
    SELECT m.id, s.at, 60, 'place', '', CASE WHEN random() < 0.14 THEN 'missed' ELSE 'held' END,
           s.at
    FROM mentoring_match m,
         generate_series(m.activated_at + interval '3 days',
                         least(coalesce(m.ended_at, now()), now()), interval '14 days') AS s(at)
    """,
    # Three goals per mentee, half reached.
    """
    INSERT INTO mentoring_goal (mentee_id, area, words, status, reached_on, created_at)
    SELECT r.person_id, (ARRAY['housing','work','recovery','family','health','money'])[1 + g],
           'A goal', CASE WHEN (r.id + g) %% 2 = 0 THEN 'reached' ELSE 'working' END,
           CASE WHEN (r.id + g) %% 2 = 0 THEN (r.created_at + interval '60 days')::date END,
           r.created_at
    FROM mentoring_referral r, generate_series(0, 2) AS g
    """,
    # 100 entries of hours per mentor over the year.
    """
    WITH roles AS (SELECT min(id) AS id FROM volunteering_volunteerrole)
    INSERT INTO volunteering_hoursentry (volunteer_id, role_id, worked_on, minutes, note, status,
                                         created_at)
    SELECT u.id, roles.id, current_date - (g * 3 + u.id %% 3)::int, 90 + (g %% 4) * 30, '',
           CASE WHEN g %% 10 = 0 THEN 'pending' ELSE 'approved' END, now()
    FROM (SELECT id FROM accounts_user WHERE email LIKE 'bench%%' ORDER BY id
          OFFSET %(mentees)s) u, generate_series(1, 100) AS g, roles
    """,
    # The pathway: 200 mentees applied to volunteer after their referral.
    """
    INSERT INTO volunteering_onboarding (user_id, stage, why, availability,
        lived_experience_to_use, applied_on, updated_at)
    SELECT r.person_id, CASE WHEN r.id %% 2 = 0 THEN 'active' ELSE 'applied' END, 'To give back',
           '[]', '', least((r.created_at + interval '90 days')::date, current_date), now()
    FROM mentoring_referral r WHERE r.id %% 10 = 1
    """,
]


def run(database_url: str) -> float:
    """Build the data in a fresh database on ``database_url``'s server; the median in ms."""
    bench_url, maintenance_url = database_urls(database_url, BENCH_DB, "bench/impact.py")
    recreate(maintenance_url, BENCH_DB)
    try:
        os.environ["DATABASE_URL"] = bench_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from impact.selectors import Period, impact_report

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.42)")  # the same data on every run
            for sql in FILL_SQL:
                cursor.execute(sql, {"mentees": MENTEES, "mentors": MENTORS})
            for table in (
                "mentoring_referral",
                "mentoring_match",
                "mentoring_meeting",
                "mentoring_goal",
                "volunteering_hoursentry",
                "volunteering_onboarding",
                "accounts_user",
            ):
                cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("SELECT count(*) FROM mentoring_meeting")
            meetings = cursor.fetchone()[0]
        sys.stdout.write(f"built {meetings} meetings in {time.perf_counter() - started:.1f} s\n")

        period = Period.last_twelve_months()
        impact_report(period)  # warm the cache, as a running server would be
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            report = impact_report(period)
            timings.append((time.perf_counter() - start) * 1000)
        sys.stdout.write(
            f"referrals: {report.referrals}; active matches: {report.active_matches}; "
            f"meetings held: {report.meetings_held}; hours: {report.volunteer_hours}; "
            f"runs (ms): {', '.join(f'{t:.0f}' for t in timings)}\n"
        )
        connection.close()
    finally:
        if not os.environ.get("BENCH_KEEP"):
            recreate(maintenance_url, BENCH_DB, drop_only=True)
    return statistics.median(timings)


def main() -> None:
    median = run(os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}"))
    sys.stdout.write(f"impact: mentees={MENTEES} mentors={MENTORS} impact_report_ms={median:.0f}\n")


if __name__ == "__main__":
    main()
