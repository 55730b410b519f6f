"""allauth's pages in the site's layout and voice: "Log in", not "Sign In" (locale/en_GB and
templates/allauth/elements)."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from tests.factories import TEST_PASSWORD, person

pytestmark = pytest.mark.django_db

PO = Path(__file__).resolve().parents[2] / "locale" / "en_GB" / "LC_MESSAGES" / "django.po"

# Words allauth shows that are not ours.
NOT_OUR_WORDS = [
    "Sign In",
    "Sign in",
    "Sign Up",
    "Sign Out",
    "sign-in",
    "Remember Me",
    "Request Code",
    "Two-Factor",
    "two-factor",
    "Email Address",
    "Forgot Password",
    "Menu:",
    "Messages:",
]


def _entries():
    text = PO.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        ctx = re.search(r'^msgctxt "(.*)"$', block, re.M)
        mid = re.search(r'^msgid "(.*)"$', block, re.M)
        mstr = re.search(r'^msgstr "(.*)"$', block, re.M)
        if mid and mid.group(1) and mstr:  # (plural entries are checked by hand)
            unescape = lambda s: s.replace('\\"', '"').replace("\\n", "\n")  # noqa: E731
            yield (
                ctx.group(1) if ctx else None,
                unescape(mid.group(1)),
                unescape(mstr.group(1)),
            )


def test_the_compiled_words_match_the_po_file():
    """Fails when someone edits the .po and forgets `make messages`."""
    with translation.override("en-gb"):
        for ctx, msgid, msgstr in _entries():
            got = translation.pgettext(ctx, msgid) if ctx else translation.gettext(msgid)
            assert got == msgstr, f"{msgid!r}: run `make messages`"


def _assert_ours(response):
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="site-header"' in page, "not in the site's layout"
    assert "alongside.css" in page
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    main = re.sub(r"\s+", " ", main).replace("> ", ">").replace(" <", "<")
    for words in NOT_OUR_WORDS:
        assert words not in main, f"{words!r} on {response.request['PATH_INFO']}"
    return main


@pytest.mark.parametrize(
    "name",
    ["account_login", "account_signup", "account_request_login_code", "account_reset_password"],
)
def test_log_in_pages_speak_plainly(name):
    _assert_ours(Client().get(reverse(name)))


def test_the_log_in_page_says_log_in_and_keep_me_logged_in():
    main = _assert_ours(Client().get(reverse("account_login")))
    assert "<h1>Log in</h1>" in main
    assert "Send me a log-in code" in main
    assert "Join Alongside" in main
    assert '<label for="id_password">Password</label>' in main


def test_the_log_in_code_page_says_send_me_a_log_in_code():
    main = _assert_ours(Client().get(reverse("account_request_login_code")))
    assert "Send me a log-in code" in main


def test_a_wrong_password_is_told_plainly():
    mentee = person(Role.MENTEE)
    response = Client().post(
        reverse("account_login"), {"login": mentee.email, "password": "not it"}
    )
    main = re.sub(r"\s+", " ", response.content.decode())
    assert "That e-mail address and password do not match" in main


@pytest.mark.parametrize(
    "name",
    [
        "account_change_password",
        "account_email",
        "mfa_index",
        "usersessions_list",
        "account_logout",
    ],
)
def test_log_in_settings_speak_plainly(client_of, mentee, name):
    main = _assert_ours(client_of(mentee).get(reverse(name)))
    assert "Two-step log-in" in main or name == "account_logout"


def test_the_sessions_page_lists_where_you_are_logged_in(mentee):
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) " + "Chrome/131.0 " * 8)
    client.post(reverse("account_login"), {"login": mentee.email, "password": "x"})
    client.force_login(mentee)
    main = _assert_ours(client.get(reverse("usersessions_list")))
    assert "<h1>Where you are logged in</h1>" in main
    assert "<table" not in main


def test_a_staff_member_sets_up_two_step_log_in_in_plain_words(client_of):
    coordinator = person(Role.COORDINATOR, totp=False)
    client = client_of(coordinator)
    asked = _assert_ours(client.get(reverse("mfa_activate_totp"), follow=True))
    assert "Confirm it is you" in asked
    response = client.post(
        reverse("account_reauthenticate") + "?next=" + reverse("mfa_activate_totp"),
        {"password": TEST_PASSWORD},
        follow=True,
    )
    main = _assert_ours(response)
    assert "Set up your authenticator app" in main
    assert "Turn on" in main
