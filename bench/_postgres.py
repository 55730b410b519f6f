"""A throwaway PostgreSQL database for a benchmark: made fresh, dropped after."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def database_urls(raw: str, name: str, script: str) -> tuple[str, str]:
    """The bench database's URL, and the maintenance database's, on ``raw``'s server."""
    parts = urlsplit(raw)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(f"{script} needs PostgreSQL: set DATABASE_URL=postgres://...")
    return (
        urlunsplit(parts._replace(path=f"/{name}")),
        urlunsplit(parts._replace(path="/postgres")),
    )


def recreate(maintenance_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{name}"')
