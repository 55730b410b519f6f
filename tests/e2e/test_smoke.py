import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_login_page_is_accessible_on_a_phone(page, assert_accessible):
    page.goto("/accounts/login/")
    assert page.get_by_role("heading", level=1).is_visible()
    assert_accessible(page)
