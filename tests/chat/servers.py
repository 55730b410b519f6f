"""Real servers for scale-out, fault and browser tests: ASGI server processes (uvicorn) on free
loopback ports, and a private redis-server this test run owns (never the shared one on 6379)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server on port {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on port {port} after {timeout}s")


def shared_database_url(application_name: str = "") -> str:
    """A URL for the database this test run uses, so a server process shares its rows."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    url = (
        f"postgres://{user}{password}@{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
        f"/{settings['NAME']}"
    )
    return f"{url}?application_name={application_name}" if application_name else url


class AsgiServer:
    """`uvicorn config.asgi:application` in a subprocess, with the test settings."""

    def __init__(self, *, database_url: str, redis_url: str = "", extra_env: dict | None = None):
        self.port = free_port()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "LOG_LEVEL": "WARNING",
            # The Origin check compares scheme, host and port: this server's own origin.
            "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{self.port}",
            **(extra_env or {}),
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
            [
                PYTHON,
                "-m",
                "uvicorn",
                "config.asgi:application",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--ws-max-size",
                str(64 * 1024),
                "--no-server-header",
                "--lifespan",
                "off",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_port(self.port, self.process)
        except RuntimeError:
            self.stop()
            raise

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws_url(self, room_id: int) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/chat/{room_id}/"

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.seek(0)
        output = self.log.read().decode(errors="replace")
        self.log.close()
        return output


class PrivateRedis:
    """A redis-server of our own, without persistence, that tests may stop and restart."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - a fixed command line
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--protected-mode",
                "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port, self.process)

    def stop(self) -> None:
        """Stop it the way the fault test means: `shutdown nosave`, then wait for the process."""
        if self.process and self.process.poll() is None:
            subprocess.run(  # noqa: S603 - a fixed command line
                [
                    shutil.which("redis-cli") or "/usr/bin/redis-cli",
                    "-p",
                    str(self.port),
                    "shutdown",
                    "nosave",
                ],
                capture_output=True,
                timeout=10,
                check=False,
            )
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def cookie_header(session_key: str) -> dict:
    return {"Cookie": f"sessionid={session_key}"}


def frames(raw_frames: list[str]) -> list[dict]:
    return [json.loads(f) for f in raw_frames]
