"""The directory of local services: found by need and area, by site search, without N+1."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import hooks
from cms.models import LocalServicePage
from tests.cms import factories

pytestmark = pytest.mark.django_db


def _names(client, **params) -> list[str]:
    page = factories.directory()
    response = client.get(page.url, params)
    assert response.status_code == 200
    return [service.title for service in response.context["services"]]


def test_a_service_is_found_by_its_need_and_its_area_and_by_nothing_else(client):
    factories.service_area("Camden")
    factories.local_service("Market Street Housing Advice", needs=["housing"], areas=["Hackney"])

    assert _names(client, need="housing", area="hackney") == ["Market Street Housing Advice"]
    assert _names(client, need="housing", area="camden") == []
    assert _names(client, need="debt", area="hackney") == []
    assert _names(client) == ["Market Street Housing Advice"]  # no filter: everything


def test_a_service_for_everywhere_is_found_from_any_area(client):
    factories.service_area("Camden")
    factories.local_service("Debt Line", needs=["debt"], areas=[], everywhere=True)
    assert _names(client, need="debt", area="camden") == ["Debt Line"]
    assert _names(client, need="housing", area="camden") == []


def test_the_filters_work_as_a_plain_form_without_javascript(client):
    factories.local_service()
    html = client.get(factories.directory().url).content.decode()
    assert '<form method="get"' in html
    assert '<select name="need"' in html and '<select name="area"' in html
    assert 'type="submit"' in html
    assert "<script" not in html.split("<main", 1)[-1].split("</main>", 1)[0]


def test_a_service_nobody_published_is_not_listed(client):
    factories.local_service("Draft Service", publish=False)
    assert _names(client, need="housing") == []


def test_an_unknown_filter_value_shows_a_message_not_an_error(client):
    factories.local_service()
    response = client.get(factories.directory().url, {"need": "spaceships", "area": "mars"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_site_search_finds_a_service_by_its_name_and_by_what_it_helps_with(client):
    factories.local_service("Eastside Recovery Service", needs=["drugs_alcohol"])
    for words in ("Eastside Recovery", "treatment"):
        response = client.get(reverse("cms:search"), {"q": words})
        titles = [page.title for page in response.context["results"]]
        assert "Eastside Recovery Service" in titles, words


def test_the_service_page_says_how_to_reach_them(client):
    service = factories.local_service(
        address="12 Market Street, London E8",
        website="https://example.org/housing",
        self_referral=True,
        what_to_bring="Your release licence",
    )
    html = client.get(service.url).content.decode()
    assert 'href="tel:02079460001"' in html
    assert "12 Market Street, London E8" in html and "https://example.org/housing" in html
    assert "Yes: you can contact them yourself." in html
    assert "Your release licence" in html
    assert "Housing and somewhere to stay" in html and "Hackney" in html


def test_the_menu_link_opens_the_directory_with_its_filters(client):
    directory = factories.directory()
    response = client.get(reverse("cms:directory"), {"need": "housing"})
    assert response.status_code == 302 and response["Location"] == f"{directory.url}?need=housing"


def _count_queries(client, url) -> int:
    client.get(url)  # warm Wagtail's site and content-type caches
    from django.core.cache import caches

    caches["pages"].clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_directory_list_costs_the_same_queries_for_two_services_or_eight(client):
    for number in range(2):
        factories.local_service(f"Service {number}", needs=["housing", "debt"], areas=["Hackney"])
    url = factories.directory().url + "?need=housing&area=hackney"
    few = _count_queries(client, url)
    for number in range(2, 8):
        factories.local_service(
            f"Service {number}", needs=["housing", "work"], areas=["Hackney", f"Town {number}"]
        )
    assert _count_queries(client, url) == few
    # Pinned, whatever the number of services:
    # 1 the page cache's generation (none with a shared cache: Redis), 2 the site, 3 the home
    # page, 4-5 the page by its path and
    # then the page itself (HomePage.route), 6 its ancestors (Wagtail, for aliases), 7-8 view
    # restrictions (serving the page, and .public() on the list), 9 the area chosen (the form),
    # 10 the count, 11 the area list for the filter, 12 the services, 13 their needs,
    # 14 their areas.
    assert few == (13 if settings.PAGE_CACHE_GENERATION_IN_CACHE else 14)


def test_other_apps_get_services_for_a_need_and_an_area_written_in_their_own_words():
    factories.local_service("Market Street Housing Advice", needs=["housing"], areas=["Hackney"])
    factories.local_service("Camden Family Centre", needs=["family"], areas=["Camden"])
    found = hooks.local_services(needs=["housing", "family"], area="  hackney ")
    assert [service.name for service in found] == ["Market Street Housing Advice"]
    assert found[0].helps_with == ["Housing and somewhere to stay"] and found[0].areas == [
        "Hackney"
    ]
    assert hooks.local_services(needs=["debt"], area="Hackney") == []
    ids = list(LocalServicePage.objects.values_list("pk", flat=True))
    assert {s.name for s in hooks.local_services_by_id(ids)} == {
        "Market Street Housing Advice",
        "Camden Family Centre",
    }


def test_an_involvement_lead_writes_a_service_in_the_admin_with_needs_ticked(
    client_of, involvement_lead
):
    directory = factories.directory()
    hackney = factories.service_area("Hackney")
    client = client_of(involvement_lead)
    add = f"/admin/pages/add/cms/localservicepage/{directory.pk}/"
    form = client.get(add).content.decode()
    assert 'type="checkbox" name="needs" value="drugs_alcohol"' in form
    response = client.post(
        add,
        {
            "title": "Eastside Recovery Service",
            "slug": "eastside-recovery",
            "needs": ["drugs_alcohol", "health"],
            "areas": [hackney.pk],
            "phone": "020 7946 0422",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = LocalServicePage.objects.get(slug="eastside-recovery")
    draft = page.get_latest_revision_as_object()
    assert draft.need_values == ["drugs_alcohol", "health"]
    edit = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert re.search(r'<input[^>]*value="drugs_alcohol"[^>]*checked', edit)
    assert not re.search(r'<input[^>]*value="debt"[^>]*checked', edit)
    page.get_latest_revision().publish()  # a moderator approves it
    found = hooks.local_services(needs=["drugs_alcohol"], area="Hackney")
    assert [service.name for service in found] == ["Eastside Recovery Service"]
