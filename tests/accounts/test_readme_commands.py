"""The README's commands work as written: `make run PORT=…` and `manage.py demo_code <e-mail>`."""

import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.core.management import CommandError, call_command

from accounts.demo import demo_totp_secret, ensure_personas
from accounts.roles import Role
from tests.factories import TEST_TOTP_SECRET, person

ROOT = Path(__file__).resolve().parents[2]


def _make_dry_run(*args, **env):
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "PORT", "MAKEFLAGS"}}
    out = subprocess.run(  # noqa: S603 - fixed arguments
        ["make", "-n", "run", *args],  # noqa: S607
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout


def test_make_run_serves_on_8000_and_points_site_url_there_by_default():
    lines = _make_dry_run()
    assert "SITE_URL=http://127.0.0.1:8000" in lines
    assert "runserver 127.0.0.1:8000" in lines


def test_make_run_on_another_port_moves_site_url_with_it():
    lines = _make_dry_run("PORT=8001")
    assert "runserver 127.0.0.1:8001" in lines
    assert "SITE_URL=http://127.0.0.1:8001" in lines
    assert ":8000" not in lines


def test_a_site_url_in_the_environment_wins():
    lines = _make_dry_run("PORT=8001", SITE_URL="https://alongside.example.org")
    assert "SITE_URL=https://alongside.example.org" in lines
    assert "runserver 127.0.0.1:8001" in lines


@pytest.mark.django_db
def test_demo_code_prints_the_demo_coordinators_current_code_with_debug_off(settings):
    assert not settings.DEBUG
    ensure_personas()
    out = StringIO()
    call_command("demo_code", "coordinator@alongside.example", stdout=out)
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert validate_totp_code(demo_totp_secret("coordinator@alongside.example"), code)


@pytest.mark.django_db
def test_demo_code_refuses_a_real_person():
    person(Role.COORDINATOR, email="real.coordinator@charity.org.uk")
    with pytest.raises(CommandError, match="not a demo staff person"):
        call_command("demo_code", "real.coordinator@charity.org.uk", stdout=StringIO())


@pytest.mark.django_db
def test_demo_code_refuses_a_demo_address_whose_app_was_not_set_up_by_seed_demo():
    # Someone on a real site who happens to use the demo address has their own secret.
    from allauth.mfa.models import Authenticator

    user = person(Role.COORDINATOR, email="coordinator@alongside.example", totp=False)
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(user, TEST_TOTP_SECRET)
    assert Authenticator.objects.filter(user=user).exists()
    with pytest.raises(CommandError, match="no demo person"):
        call_command("demo_code", "coordinator@alongside.example", stdout=StringIO())


@pytest.mark.django_db
def test_demo_code_refuses_when_nobody_was_seeded():
    with pytest.raises(CommandError, match="no demo person"):
        call_command("demo_code", "moderator@alongside.example", stdout=StringIO())


def test_manage_py_demo_code_runs_without_any_settings_in_the_environment(tmp_path):
    """As the README writes it: no DEBUG, no SECRET_KEY. Here no seed ran, so it says so."""
    keep = {"PATH", "HOME", "LANG", "PYTHONPATH"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    out = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "demo_code", "coordinator@alongside.example"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "ImproperlyConfigured" not in out.stderr
    assert "There is no demo person coordinator@alongside.example" in out.stderr
    assert "make run" in out.stderr
