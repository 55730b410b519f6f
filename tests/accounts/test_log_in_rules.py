"""Log-in paths: staff need two-step log-in; admin log-ins go through the same rate-limited flow."""

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.urls import reverse

from accounts.roles import Role
from accounts.services import session_group
from tests.factories import TEST_PASSWORD, person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role",
    [Role.COORDINATOR, Role.SAFEGUARDING_LEAD, Role.MODERATOR, Role.INVOLVEMENT_LEAD, Role.ADMIN],
)
def test_staff_without_an_authenticator_app_must_set_one_up(client_of, role):
    user = person(role, totp=False)
    response = client_of(user).get(reverse("accounts:today"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_members_are_not_asked_for_an_authenticator_app(client_of, mentee):
    assert client_of(mentee).get(reverse("accounts:today")).status_code == 200


def test_staff_log_in_asks_for_the_code_after_the_password(client, coordinator):
    response = client.post(
        reverse("account_login"), {"login": coordinator.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("accounts:today")).status_code == 302  # not logged in yet


def test_password_reset_does_not_skip_two_step_log_in(client, coordinator):
    # A reset never logs a person in (ACCOUNT_LOGIN_ON_PASSWORD_RESET is off), so the next log-in
    # still asks for the code.
    from django.conf import settings

    assert not getattr(settings, "ACCOUNT_LOGIN_ON_PASSWORD_RESET", False)


def test_repeated_wrong_passwords_lock_the_account_out(client, mentee):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": mentee.email, "password": "wrong"})
    response = client.post(
        reverse("account_login"), {"login": mentee.email, "password": TEST_PASSWORD}
    )
    assert response.status_code in {200, 429}
    assert client.get(reverse("accounts:today")).status_code == 302


@pytest.mark.parametrize("url", ["/django-admin/login/", "/admin/login/"])
def test_admin_log_ins_go_through_the_site_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_staff_session_ends_when_idle(client_of, coordinator, settings):
    client = client_of(coordinator)
    assert client.get(reverse("accounts:today")).status_code == 200
    session = client.session
    session["last_seen"] -= settings.STAFF_SESSION_IDLE_SECONDS + 1
    session.save()
    response = client.get(reverse("accounts:today"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_logging_out_closes_the_websockets_of_that_session(
    client_of, mentee, django_capture_on_commit_callbacks
):
    client = client_of(mentee)

    def log_out():
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("account_logout"))

    async def scenario():
        # One event loop throughout: the Redis pub/sub layer belongs to the loop that made it.
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(session_group(client.cookies["sessionid"].value), channel)
        await sync_to_async(log_out)()
        return await asyncio.wait_for(layer.receive(channel), timeout=5)

    assert async_to_sync(scenario)() == {"type": "session.ended"}
