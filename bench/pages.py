"""Serve the public site with production settings and measure it on loopback.

What it does, in one run and against one server:

1. creates a dedicated PostgreSQL database (``DATABASE_URL``, default
   ``postgres://postgres@127.0.0.1:5432/bench_pages``) and starts a private redis-server (the
   shared cache), migrates, collects static files and loads the demo content; the database is
   dropped and Redis stopped at the end, whatever happens;
2. counts the queries an *uncached* anonymous story page needs and weighs it (HTML + CSS + JS,
   gzipped, images excluded), in a separate Django process with the same settings;
3. starts the production server as the README runs it, ``uvicorn config.asgi:application
   --workers 2`` (pages on a2wsgi's thread pool, persistent database connections), with DEBUG
   off, a generated SECRET_KEY and ``SECURE_SSL_REDIRECT=false``;
4. loads it with a bounded closed loop (CONNECTIONS keep-alive connections for SECONDS each
   target, asyncio, no third-party client): an anonymous story page, the home page and a plain
   Django view rendering a small template (``/site/ping/``).

The last line reads:
``pages: story_rps=… story_p99_ms=… story_queries=… story_kb=… home_rps=… plain_rps=… ratio=…``

Targets (issue 6): story_queries ≤ 10, story_kb < 60, ratio ≥ 0.5.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
HOST = "127.0.0.1"
STORY_PATH = "/stories/the-day-i-stopped-running/"


def _log(message: str) -> None:
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def _database_urls() -> tuple[str, str, str]:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_pages")
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "bench_pages"
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    return url, admin, name


def _admin_sql(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url.replace("postgres://", "postgresql://", 1)) as conn:
        conn.autocommit = True
        conn.execute(statement)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _env(database_url: str, redis_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DEBUG")}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="config.settings.base",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(60),
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS=f"{HOST},localhost",
        LOG_LEVEL="ERROR",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


SEED_AND_MEASURE = r"""
import gzip, json, re, sys
import django
django.setup()
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from accounts.demo import ensure_personas
from accounts.hooks import seed_demo

class Quiet:
    def write(self, text):
        sys.stderr.write(text + "\n")

seed_demo(ensure_personas(), Quiet())
client = Client(HTTP_HOST="127.0.0.1")
client.get("/")  # warm Wagtail's per-process caches (site root paths, renditions)
story_path = sys.argv[1]
with CaptureQueriesContext(connection) as ctx:
    response = client.get(story_path)
assert response.status_code == 200, response.status_code
assert response.get("X-Page-Cache") == "miss"
html = response.content
total = len(gzip.compress(html))
for asset in re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html):
    with staticfiles_storage.open(asset.decode()) as fh:
        total += len(gzip.compress(fh.read()))
print(json.dumps({"queries": len(ctx.captured_queries), "bytes": total}))
"""


async def _one_connection(path: str, port: int, deadline: float, latencies: list[float]) -> int:
    reader, writer = await asyncio.open_connection(HOST, port)
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAccept-Encoding: identity\r\n"
        "Connection: keep-alive\r\n\r\n"
    ).encode()
    errors = 0
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            if status != 200:
                errors += 1
                if errors == 1:
                    _log(f"bench: {path} answered {status}: {head[:300]!r}")
            latencies.append(time.perf_counter() - started)
    finally:
        writer.close()
    return errors


async def _load(path: str, port: int) -> tuple[float, float]:
    latencies: list[float] = []
    started = time.perf_counter()
    deadline = started + SECONDS
    errors = await asyncio.gather(
        *(_one_connection(path, port, deadline, latencies) for _ in range(CONNECTIONS))
    )
    elapsed = time.perf_counter() - started
    if sum(errors):
        raise RuntimeError(f"{path}: {sum(errors)} responses were not 200")
    p99 = statistics.quantiles(latencies, n=100)[98] * 1000 if len(latencies) > 100 else 0.0
    return len(latencies) / elapsed, p99


def _wait_until_up(port: int, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError("the server stopped while starting")
        try:
            with socket.create_connection((HOST, port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def main() -> None:
    database_url, admin_url, name = _database_urls()
    redis_port = _free_port()
    env = _env(database_url, f"redis://{HOST}:{redis_port}/0")
    _admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}"')
    _admin_sql(admin_url, f'CREATE DATABASE "{name}"')
    server = None
    redis = subprocess.Popen(  # the shared cache, as in production; keeps nothing on disk
        [shutil.which("redis-server") or "redis-server", "--port", str(redis_port)]
        + ["--bind", HOST, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(redis_port, redis)
        _log(f"bench: migrating {name} and collecting static files")
        _manage(env, "migrate", "--noinput")
        _manage(env, "collectstatic", "--noinput")
        _log("bench: loading demo content and measuring an uncached story page")
        measured = subprocess.run(
            [sys.executable, "-c", SEED_AND_MEASURE, STORY_PATH],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        figures = json.loads(measured.stdout.strip().splitlines()[-1])

        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "config.asgi:application",
                "--lifespan",
                "off",
                "--workers",
                "2",
                "--host",
                HOST,
                "--port",
                str(port),
                "--no-access-log",
                "--no-server-header",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        _wait_until_up(port, server)
        for path in (STORY_PATH, "/", "/site/ping/"):  # warm both workers
            asyncio.run(_load_briefly(path, port))
        _log(f"bench: {CONNECTIONS} connections, {SECONDS:.0f} s per page")
        story_rps, story_p99 = asyncio.run(_load(STORY_PATH, port))
        home_rps, _ = asyncio.run(_load("/", port))
        plain_rps, _ = asyncio.run(_load("/site/ping/", port))
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        redis.terminate()
        redis.wait(timeout=10)
        _admin_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    ratio = story_rps / plain_rps if plain_rps else 0.0
    sys.stdout.write(
        f"pages: story_rps={story_rps:.0f} story_p99_ms={story_p99:.1f} "
        f"story_queries={figures['queries']} story_kb={figures['bytes'] / 1024:.1f} "
        f"home_rps={home_rps:.0f} plain_rps={plain_rps:.0f} ratio={ratio:.2f}\n"
    )


async def _load_briefly(path: str, port: int) -> None:
    latencies: list[float] = []
    deadline = time.perf_counter() + 0.5
    await asyncio.gather(*(_one_connection(path, port, deadline, latencies) for _ in range(4)))


if __name__ == "__main__":
    main()
