"""Anonymous page cache (invalidated on publish/unpublish), query budget and page weight."""

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import PageCacheGeneration
from tests.cms import factories

pytestmark = pytest.mark.django_db


def test_second_anonymous_visit_is_served_from_cache(client):
    story = factories.story()
    assert client.get(story.url)["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(story.url)
    assert response["X-Page-Cache"] == "hit"
    # The cache generation: from the shared cache (Redis) when there is one, else one query.
    assert len(ctx.captured_queries) == (0 if settings.PAGE_CACHE_GENERATION_IN_CACHE else 1)
    assert "Content-Security-Policy" in response  # outer middleware still applies


def test_publish_and_unpublish_invalidate(client):
    story = factories.story(title="Before")
    client.get(story.url)
    story.title = "After"
    story.save_revision().publish()
    assert b"After" in client.get(story.url).content
    story.unpublish()
    assert client.get(story.url).status_code == 404


def test_signed_in_people_are_never_served_the_cache(client_of, mentee):
    story = factories.story()
    response = client_of(mentee).get(story.url)
    assert "X-Page-Cache" not in response
    assert response["Cache-Control"] == "no-store"


def test_story_page_query_budget(client, django_assert_num_queries):
    story = factories.story(content_note="mentions prison")
    story.image = factories.image()
    story.save_revision().publish()
    client.get(story.url)  # warm Wagtail's own caches (site root paths, renditions)
    PageCacheGeneration.bump()  # drop only the page cache
    # 1 cache generation (none with a shared cache), 2 site for the host, 3 the home (site
    # root), 4 the story's id and type by its path, 5 the story with its image, 6-7 view
    # restrictions (ancestors, then restrictions), 8 site settings, 9 themes. The budget
    # is 10.
    with django_assert_num_queries(8 if settings.PAGE_CACHE_GENERATION_IN_CACHE else 9):
        response = client.get(story.url)
    assert response["X-Page-Cache"] == "miss"


def test_story_page_weighs_under_60kb_gzipped(client):
    story = factories.story(content_note="mentions overdose")
    html = client.get(story.url).content
    total = len(gzip.compress(html))
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    assert assets
    for asset in assets:
        path = finders.find(asset.decode().removeprefix(settings.STATIC_URL))
        with open(path, "rb") as fh:
            total += len(gzip.compress(fh.read()))
    assert total < 60 * 1024, total


def test_open_graph_tags(client):
    story = factories.story()
    html = client.get(story.url).content.decode()
    assert '<meta property="og:title" content="Finding my feet">' in html
    assert '<meta property="og:type" content="article">' in html
    assert 'property="og:url" content="http' in html
