"""The directory of local services on a phone (390×844, DEBUG off), with JavaScript switched off:
a visitor picks what they need and where they live, and finds the service; a mentee finds the
one her mentor added on "My people". Nothing scrolls sideways; axe-core clean."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from mentoring.choices import SharedItem
from mentoring.models import SuggestedService
from mentoring.services import set_sharing
from tests.cms import factories
from tests.mentoring.factories import cleared_mentor, match_between

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _site():
    cache.clear()
    factories.ensure_site()  # an earlier transactional test may have flushed the database


def _width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_visitor_without_javascript_finds_a_service_by_need_and_area(
    browser, live_server, page, assert_accessible
):
    factories.service_area("Camden")
    housing = factories.local_service(
        "Market Street Housing Advice drop-in with a long name",
        needs=["housing"],
        areas=["Hackney"],
        website="https://example.org/a-very-long-address/for-housing-advice-in-hackney",
        address="The Hub, 12 Market Street, London E8",
    )
    factories.local_service("Clear Debt Advice Line", needs=["debt"], everywhere=True, areas=[])

    # Without JavaScript (an old phone, a data saver): the two filters are a plain form.
    # (Nothing here evaluates script in the page: with JavaScript off, Playwright cannot.)
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, base_url=live_server.url, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    visitor = context.new_page()
    visitor.goto("/site/local-services/")
    expect(visitor.get_by_role("heading", name="All local services")).to_be_visible()
    need, area = (
        visitor.get_by_label("What do you need help with?"),
        visitor.get_by_label("Where do you live?"),
    )
    need.select_option(label="Debt and money worries")
    area.select_option(label="Camden")
    visitor.get_by_role("button", name="Show services").click()
    expect(visitor.get_by_role("heading", name="1 service found")).to_be_visible()
    expect(visitor.get_by_role("link", name="Clear Debt Advice Line")).to_be_visible()
    expect(visitor.get_by_role("link", name="Market Street Housing Advice")).to_have_count(0)
    visitor.get_by_label("What do you need help with?").select_option(
        label="Housing and somewhere to stay"
    )
    visitor.get_by_label("Where do you live?").select_option(label="Hackney")
    visitor.get_by_role("button", name="Show services").click()
    visitor.get_by_role("link", name="Market Street Housing Advice").click()
    expect(visitor.get_by_text("The Hub, 12 Market Street, London E8")).to_be_visible()
    context.close()

    # The same pages fit a phone, and axe-core finds nothing serious.
    for url in (f"{factories.directory().url}?need=housing&area=hackney", housing.url):
        page.goto(url)
        assert _width(page) <= 390, url
        assert_accessible(page)


def test_a_mentee_sees_the_service_her_mentor_added_on_my_people(
    page, login, mentor, mentee, assert_accessible
):
    service = factories.local_service("Eastside Recovery Service", needs=["drugs_alcohol"])
    match_between(cleared_mentor(mentor), mentee)
    set_sharing(mentee=mentee, by=mentee, items=[SharedItem.LOCAL_SERVICES])
    SuggestedService.objects.create(mentee=mentee, service_id=service.pk, suggested_by=mentor)
    login(page, mentee)
    page.goto("/mentoring/my-people/")
    expect(page.get_by_role("link", name="Eastside Recovery Service", exact=True)).to_be_visible()
    assert _width(page) <= 390
    assert_accessible(page)
