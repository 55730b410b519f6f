"""Benchmark: the coordinators' monthly report over 1,000,000 hour entries for 2,000 volunteers.

    .venv/bin/python bench/reports.py            # server from DATABASE_URL, or local PostgreSQL

Creates a dedicated database (``bench_reports``) on the PostgreSQL server named by DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/bench_reports), migrates it, fills it with bulk SQL
(INSERT ... SELECT generate_series), times ``volunteering.selectors.monthly_report`` (median of
several runs) and drops the database (BENCH_KEEP=1 keeps it, to look at query plans). The last
line reads ``reports: rows=1000000 monthly_report_ms=<median> impact_report_ms=<median>
outcomes_report_ms=<median> by_source_ms=<median>`` (bench/impact.py and bench/outcomes.py,
each in its own database).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

VOLUNTEERS = 2_000
ENTRIES = 1_000_000
RUNS = 7
BENCH_DB = "bench_reports"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._postgres import database_urls, recreate  # noqa: E402

FILL_SQL = [
    # 2,000 volunteers.
    """
    INSERT INTO accounts_user (password, is_superuser, is_staff, is_active, date_joined, email,
                               display_name, pronouns)
    SELECT '!', false, false, true, now(), 'bench' || g || '@example.org', 'Volunteer ' || g, ''
    FROM generate_series(1, %(volunteers)s) AS g
    """,
    # 1,000,000 entries over two years: 85% approved, 10% waiting, 5% not approved.
    """
    WITH people AS (SELECT array_agg(id ORDER BY id) AS ids FROM accounts_user
                    WHERE email LIKE 'bench%%'),
         roles AS (SELECT array_agg(id ORDER BY id) AS ids FROM volunteering_volunteerrole)
    INSERT INTO volunteering_hoursentry (volunteer_id, role_id, worked_on, minutes, note, status,
                                         created_at)
    SELECT people.ids[1 + floor(random() * %(volunteers)s)::int],
           roles.ids[1 + floor(random() * cardinality(roles.ids))::int],
           current_date - floor(random() * 730)::int,
           30 + (g %% 10) * 27,
           '',
           CASE WHEN g %% 20 = 0 THEN 'rejected' WHEN g %% 10 = 1 THEN 'pending'
                ELSE 'approved' END,
           now()
    FROM generate_series(1, %(entries)s) AS g, people, roles
    """,
]


def main() -> None:
    original_url = os.environ.get("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}")
    bench_url, maintenance_url = database_urls(original_url, BENCH_DB, "bench/reports.py")
    recreate(maintenance_url, BENCH_DB)
    try:
        os.environ["DATABASE_URL"] = bench_url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from volunteering.selectors import monthly_report

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.42)")  # the same data on every run
            for sql in FILL_SQL:
                cursor.execute(sql, {"volunteers": VOLUNTEERS, "entries": ENTRIES})
            cursor.execute("VACUUM ANALYZE volunteering_hoursentry")
            cursor.execute("VACUUM ANALYZE accounts_user")
            cursor.execute("SELECT count(*) FROM volunteering_hoursentry")
            rows = cursor.fetchone()[0]
        sys.stdout.write(f"built {rows} entries in {time.perf_counter() - started:.1f} s\n")

        monthly_report()  # warm the cache, as a running server would be
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            report = monthly_report()
            timings.append((time.perf_counter() - start) * 1000)
        sys.stdout.write(
            f"volunteers in report: {len(report.by_volunteer)}; "
            f"approved hours: {report.total_hours}; "
            f"runs (ms): {', '.join(f'{t:.0f}' for t in timings)}\n"
        )
        connection.close()
    finally:
        if not os.environ.get("BENCH_KEEP"):
            recreate(maintenance_url, BENCH_DB, drop_only=True)
    # The impact report (issue 7) over a year for 2,000 mentees and 500 mentors, in a database
    # of its own (bench/impact.py), so the last line carries both figures.
    impact = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bench" / "impact.py")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DATABASE_URL": original_url},
    )
    impact_ms = impact.stdout.strip().splitlines()[-1].split("impact_report_ms=")[1]
    # The impact report's outcomes tables (issue 15), in a database of their own as well.
    outcomes = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "bench" / "outcomes.py")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DATABASE_URL": original_url},
    )
    last = outcomes.stdout.strip().splitlines()[-1]
    outcomes_ms = last.split("outcomes_report_ms=")[1].split()[0]
    # Who referred people (issue 16), timed by bench/outcomes.py on the same data.
    by_source_ms = last.split("by_source_ms=")[1].split()[0]
    sys.stdout.write(
        f"reports: rows={rows} monthly_report_ms={statistics.median(timings):.0f} "
        f"impact_report_ms={impact_ms} outcomes_report_ms={outcomes_ms} "
        f"by_source_ms={by_source_ms}\n"
    )


if __name__ == "__main__":
    main()
