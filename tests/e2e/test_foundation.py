"""A newcomer on a phone: sign up, verify by e-mail, log in, see the home page — all accessible."""

import re

import pytest
from django.core import mail

from accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def emailed_code() -> str:
    body = mail.outbox[-1].body
    found = re.search(r"^\s*([A-Z0-9-]{6,9})\s*$", body, re.MULTILINE)
    assert found, body
    return found.group(1)


def test_sign_up_verify_log_in_and_see_today(page, assert_accessible):
    mail.outbox.clear()
    page.goto("/accounts/signup/")
    assert_accessible(page)
    page.get_by_label("E-mail address").fill("newcomer@example.org")
    page.get_by_label("Name others see").fill("Kim")
    page.get_by_label("Password", exact=True).fill("a long walk home 2026")
    page.get_by_label("Password again").fill("a long walk home 2026")
    page.get_by_role("button", name="Join").click()

    # Verify the address with the code we e-mailed.
    page.wait_for_url("**/accounts/confirm-email/**")
    assert_accessible(page)
    page.get_by_label("Code").fill(emailed_code())
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/me/")
    assert page.get_by_role("heading", name="Hello, Kim").is_visible()
    assert User.objects.get(email="newcomer@example.org").display_name == "Kim"

    # Log out, then back in with the password.
    page.goto("/accounts/logout/")
    page.get_by_role("button", name="Log out").click()
    page.goto("/accounts/login/")
    page.get_by_label("E-mail address").fill("newcomer@example.org")
    page.get_by_label("Password", exact=True).fill("a long walk home 2026")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/me/")
    assert_accessible(page)

    # The menu holds this person's pages (and no staff pages).
    page.get_by_text("Menu").click()
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="My profile").is_visible()
    assert nav.get_by_role("link", name="People and roles").count() == 0
    page.get_by_role("link", name="My profile").click()
    assert_accessible(page)
    page.goto("/me/data/")
    assert_accessible(page)


def test_log_in_by_emailed_code(page, mentee):
    mail.outbox.clear()
    page.goto("/accounts/login/code/")
    page.get_by_label("E-mail address").fill(mentee.email)
    page.get_by_role("button", name="Send me a log-in code").click()
    page.get_by_label("Code").fill(emailed_code())
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/me/")
    assert page.get_by_role("heading", name=f"Hello, {mentee.display_name}").is_visible()


ANYONE = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/login/code/",
    "/accounts/password/reset/",
]
SIGNED_IN = [
    "/me/",
    "/me/profile/",
    "/me/data/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/accounts/2fa/",
    "/accounts/sessions/",
    "/accounts/logout/",
    "/mentoring/",
    "/mentoring/my-people/",
    "/volunteering/apply/",
    "/chat/",
    "/site/search/?q=DBS",
]


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_log_in_pages_and_settings_fit_a_phone_without_sideways_scrolling(
    page, login, outsider, assert_accessible
):
    for url in ANYONE:
        page.goto(url)
        assert _page_width(page) <= 390, url
    login(page, outsider)
    for url in SIGNED_IN:
        page.goto(url)
        assert _page_width(page) <= 390, url
    page.goto("/accounts/sessions/")
    assert page.get_by_role("heading", name="Where you are logged in").is_visible()
    assert_accessible(page)
