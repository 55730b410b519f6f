"""With DEBUG off (the test settings), every error is a page in the site's own words and layout,
with the crisis lines and a way back to Today."""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.config.error_urls")]


def assert_helpful(response, heading: str):
    body = response.content.decode()
    assert not settings.DEBUG
    assert heading in body
    assert 'href="/me/"' in body and "Go to Today" in body
    for line in settings.CRISIS_SUPPORT_LINES:
        assert line["name"] in body and line["phone"] in body
    assert "Traceback" not in body and "a bug" not in body


def test_a_missing_page_is_a_styled_404_with_help():
    response = Client().get("/site/no-such-page-here/")
    assert response.status_code == 404
    assert_helpful(response, "Page not found")
    assert "alongside.css" in response.content.decode()


def test_a_missing_page_keeps_the_menu_for_a_signed_in_person(client_of, mentee):
    response = client_of(mentee).get("/mentoring/matches/999999/")
    assert response.status_code == 404
    assert_helpful(response, "Page not found")
    assert "Log out" in response.content.decode()


def test_a_forbidden_page_is_a_styled_403():
    response = Client().get("/test-forbidden/")
    assert response.status_code == 403
    assert_helpful(response, "You cannot open this page")


def test_a_bad_request_is_a_styled_400():
    response = Client().get("/test-suspicious/")
    assert response.status_code == 400
    assert_helpful(response, "Something was wrong with that request")


def test_a_crash_is_a_styled_500_that_needs_no_request_context():
    response = Client(raise_request_exception=False).get("/test-boom/")
    assert response.status_code == 500
    assert_helpful(response, "Sorry, something went wrong")
    assert "alongside.css" in response.content.decode()


def test_the_500_page_still_answers_when_its_template_fails(monkeypatch):
    from config import errors

    def broken(*args, **kwargs):
        raise RuntimeError("template broke")

    monkeypatch.setattr(errors, "render_to_string", broken)
    response = errors.server_error(None)
    assert response.status_code == 500
    body = response.content.decode()
    assert "Sorry, something went wrong" in body
    assert settings.CRISIS_SUPPORT_LINES[0]["phone"] in body


def test_a_form_sent_without_its_check_is_a_plain_403(mentee):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentee)
    response = client.post("/me/profile/", {"display_name": "x"})
    assert response.status_code == 403
    assert_helpful(response, "Please try that again")
    assert "Nothing was saved" in response.content.decode()
    assert "CSRF" not in response.content.decode()
