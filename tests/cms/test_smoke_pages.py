import pytest

from tests.cms import factories

pytestmark = pytest.mark.django_db


def test_home_story_event_glossary_render(client):
    story = factories.story()
    event = factories.event()
    for url in ["/", "/stories/", story.url, "/events/", event.url, "/glossary/"]:
        response = client.get(url)
        assert response.status_code == 200, url
