"""Personas and the rules for tests that need PostgreSQL, Redis or Chromium.

Personas (STYLE.md 13): mentee, mentor, volunteer, coordinator, safeguarding_lead, moderator,
involvement_lead, admin_user, outsider (an account with no role). ``client_of(user)`` gives a
logged-in Django test client.

Tests marked ``postgres`` or ``redis`` are deselected (with a one-line note) when DATABASE_URL /
REDIS_URL do not point at one; browser tests skip when Debian's Chromium is missing. With CI=true
nothing may be skipped: a skip fails the run.
"""

import os
import shutil

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from tests.factories import person

CHROMIUM = "/usr/bin/chromium"


def _on_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _on_redis() -> bool:
    return bool(settings.REDIS_URL)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The test databases, and at the end the chat sockets' database threads closed first:
    PostgreSQL will not drop a database while they hold connections to it."""
    yield
    from chat.consumers import shutdown_db_pools

    shutdown_db_pools()


@pytest.fixture(autouse=True)
def _fresh_caches():
    # The database rolls back between tests but caches do not: start clean, so a page, a
    # rendition or a rate limit left by an earlier test never reaches this one.
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


def pytest_collection_modifyitems(config, items):
    keep, dropped = [], {"postgres": [], "redis": []}
    for item in items:
        if item.get_closest_marker("postgres") and not _on_postgres():
            dropped["postgres"].append(item)
        elif item.get_closest_marker("redis") and not _on_redis():
            dropped["redis"].append(item)
        else:
            keep.append(item)
        if item.get_closest_marker("browser") and not shutil.which(CHROMIUM):
            item.add_marker(pytest.mark.skip(reason="Debian's Chromium is not installed"))
    deselected = dropped["postgres"] + dropped["redis"]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = keep
        config._alongside_notes = [
            f"{len(dropped['postgres'])} test(s) need PostgreSQL (set DATABASE_URL); CI runs them",
            f"{len(dropped['redis'])} test(s) need Redis (set REDIS_URL); CI runs them",
        ]


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for note in getattr(config, "_alongside_notes", []):
        if not note.startswith("0 "):
            terminalreporter.write_line(f"note: {note}")


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CI", "").lower() != "true":
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(f"CI=true: {len(skipped)} test(s) skipped, which CI counts as failure")
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def client_of(db):
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def mentee(db):
    return person(Role.MENTEE, display_name="Jay Mentee")


@pytest.fixture
def mentor(db):
    return person(Role.PEER_MENTOR, Role.VOLUNTEER, display_name="Sam Mentor")


@pytest.fixture
def volunteer(db):
    return person(Role.VOLUNTEER, display_name="Priya Volunteer")


@pytest.fixture
def coordinator(db):
    return person(Role.COORDINATOR, display_name="Dee Coordinator")


@pytest.fixture
def safeguarding_lead(db):
    return person(Role.SAFEGUARDING_LEAD, display_name="Marcus Lead")


@pytest.fixture
def moderator(db):
    return person(Role.MODERATOR, display_name="Alex Moderator")


@pytest.fixture
def involvement_lead(db):
    return person(Role.INVOLVEMENT_LEAD, display_name="Rosa Involvement")


@pytest.fixture
def admin_user(db):
    user = person(Role.ADMIN, display_name="Ada Admin")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def outsider(db):
    return person(display_name="Olly Outsider")


@pytest.fixture
def clock(monkeypatch):
    """A fake clock: ``clock.set(moment)`` makes ``timezone.now()`` return it."""

    class Clock:
        moment = timezone.now()

        def set(self, moment):
            self.moment = moment

    fake = Clock()
    monkeypatch.setattr(timezone, "now", lambda: fake.moment)
    return fake
