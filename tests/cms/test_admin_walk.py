"""An involvement lead walks every Wagtail admin URL they can discover and finds no data of
mentoring, volunteering, chat, safeguarding or accounts (other than their own account).

Generic on purpose: every model of those apps is probed by its admin URLs, so the test keeps
protecting when those apps grow models and admin screens.
"""

import re
import uuid
from collections import deque

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, reverse

from accounts.roles import Role
from safeguarding.models import Source
from safeguarding.services import raise_concern
from tests.cms import factories
from tests.factories import person

pytestmark = pytest.mark.django_db

PRIVATE_APPS = {"mentoring", "volunteering", "chat", "safeguarding", "accounts"}
SKIP = re.compile(r"/admin/(logout|account/(change_password|notification)|.*delete|.*unpublish)")
LINK = re.compile(r'(?:href|data-url|data-chooser-url|action)="(/admin/[^"#]*)"')
MENU_LINK = re.compile(r'"url": "(/admin/[^"#]*)"')  # the sidebar is JSON for its JavaScript
MAX_PAGES = 400


def _private_models():
    return [m for m in apps.get_models() if m._meta.app_label in PRIVATE_APPS]


def _probe_urls_for(model) -> list[str]:
    app, name = model._meta.app_label, model._meta.model_name
    urls = [
        f"/admin/snippets/{app}/{name}/",
        f"/admin/snippets/choose/{app}/{name}/",
        f"/admin/{app}/{name}/",
        f"/admin/{name}/",
        f"/django-admin/{app}/{name}/",
    ]
    for pattern in (f"wagtailsnippets_{app}_{name}:list", f"{name}:index", f"{name}:list"):
        try:
            urls.append(reverse(pattern))
        except NoReverseMatch:
            pass
    return urls


def _normalise(link: str) -> str:
    # Orderings, "next" and pagination add nothing; exports and searches do.
    path, _, query = link.partition("?")
    return link if query.startswith(("export=", "q=", "fields=")) else path


@pytest.fixture
def sentinels(involvement_lead):
    marker = f"SENTINEL-{uuid.uuid4().hex[:12]}"
    other = person(Role.MENTEE, display_name=f"{marker} person", email=f"{marker.lower()}@x.org")
    person(Role.PEER_MENTOR, display_name=f"{marker} mentor")
    raise_concern(
        raised_by=other,
        summary=f"{marker} concern",
        subject=other,
        subject_label="",
        source=Source.OTHER,
        source_ref="test:1",
    )
    story = factories.story(storyteller=other)
    story.title = "Second version"
    story.save_revision(user=involvement_lead)
    factories.event()
    factories.image()
    return marker, story


def test_involvement_lead_admin_exposes_no_private_data(client_of, involvement_lead, sentinels):
    marker, story = sentinels
    client = client_of(involvement_lead)
    revisions = list(story.revisions.order_by("id").values_list("id", flat=True))
    start = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{story.pk}/edit/",
        f"/admin/pages/{story.pk}/history/",
        f"/admin/pages/{story.pk}/revisions/compare/{revisions[0]}...{revisions[-1]}/",
        f"/admin/pages/{story.pk}/revisions/{revisions[0]}/view/",
        "/admin/reports/site-history/",
        "/admin/reports/locked/",
        "/admin/reports/aging-pages/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/choose-page/",
        "/admin/images/chooser/",
        "/admin/documents/chooser/",
        "/admin/api/main/pages/?fields=*",
        "/admin/api/main/images/?fields=*",
        "/admin/api/main/documents/?fields=*",
        "/admin/snippets/",
        "/admin/users/",
        "/admin/groups/",
        "/admin/settings/",
        "/admin/account/",
        "/admin/workflows/list/",
        "/admin/workflows/tasks/index/",
        "/admin/search/?q=SENTINEL",
        "/django-admin/",
    ]
    for model in _private_models():
        start.extend(_probe_urls_for(model))

    seen, queue, reached, shapes = set(), deque(start), [], {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen or SKIP.match(url):
            continue
        seen.add(url)
        response = client.get(url)
        raw = b"".join(response.streaming_content) if response.streaming else response.content
        body = raw.decode(errors="replace")
        assert marker not in body, f"{url} shows another person's or another app's data"
        if response.status_code != 200:
            continue
        reached.append(url)
        for model in _private_models():
            plural = str(model._meta.verbose_name_plural)
            assert f"/{model._meta.app_label}/{model._meta.model_name}/" not in body, (url, model)
            assert f">{plural}<" not in body.lower() or model._meta.app_label == "accounts", (
                url,
                plural,
            )
        if "html" in response.get("Content-Type", ""):
            for link in LINK.findall(body) + MENU_LINK.findall(body):
                link = _normalise(link.replace("&amp;", "&"))
                shape = re.sub(r"\d+", "N", link)
                if link not in seen and shapes.get(shape, 0) < 3:
                    shapes[shape] = shapes.get(shape, 0) + 1
                    queue.append(link)

    # The walk really went somewhere: pages, the story, images, snippets, reports.
    assert "/admin/" in reached and f"/admin/pages/{story.pk}/edit/" in reached
    assert any(u.startswith("/admin/images/") for u in reached)
    assert any(u.startswith("/admin/snippets/") for u in reached), "\n".join(reached)
    assert "/admin/users/" not in reached and "/admin/groups/" not in reached
    assert not any(u.startswith("/django-admin/") and u != "/django-admin/" for u in reached)
    assert len(reached) > 20, reached


def test_involvement_lead_sees_their_own_account(client_of, involvement_lead):
    response = client_of(involvement_lead).get("/admin/account/")
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["mentee", "mentor", "volunteer", "coordinator", "outsider"])
def test_other_roles_have_no_wagtail_admin(request, client_of, persona):
    user = request.getfixturevalue(persona)
    response = client_of(user).get("/admin/")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert not response["Location"].startswith("/admin/pages")


def test_moderator_reaches_the_admin(client_of, moderator):
    assert client_of(moderator).get("/admin/").status_code == 200
