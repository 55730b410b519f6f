"""A partner worker reaches only their own few pages: every URL of the site and every websocket
is walked as a partner worker, and any door that opens outside the list below fails the test."""

from __future__ import annotations

import re

import pytest
from channels.db import database_sync_to_async
from django.urls import get_resolver, reverse

import notifications
from tests.chat.conftest import make_room
from tests.chat.test_consumers import Socket
from tests.config.test_deny_by_default import walk
from tests.mentoring.partner_factories import organisation, partner_referral, partner_worker

# What a partner worker may open: their referral form, their referrals and each one's status,
# and the basics every signed-in person has (Today, profile, notifications, My data).
PARTNER_PAGES = {
    "me/",
    "me/profile/",
    "me/data/",
    "me/data/download/",
    "me/notifications/",
    "me/notifications/<id:pk>/",
    "me/notifications/<id:pk>/read/",
    "me/notifications/read-all/",
    "me/notifications/preferences/",
    "mentoring/partners/refer/",
    "mentoring/partners/my-referrals/",
    "mentoring/partners/my-referrals/<id:pk>/",
}
# Log-in, log-out, two-step log-in set-up and password change (allauth), and the app shell.
LOG_IN_MACHINERY = ("accounts/",)
APP_SHELL = {"manifest.webmanifest", "sw.js", "offline/"}


def sample_path(route: str, pk: int = 1) -> str:
    """A path that the route matches (or nearly: a near miss must be refused all the same)."""
    path = route.replace("^", "").replace("$", "")
    path = re.sub(r"<(?:int|id):[a-z_]+>", str(pk), path)
    path = re.sub(r"<(?:slug|str|uuid|path)?:?[a-z_]+>", "x", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)
    path = re.sub(r"\([^)]*\)\*?", "x", path)
    path = path.replace(".*", "x").replace("\\.", ".").replace("\\", "")
    return "/" + path


ROUTES = sorted({route for route, _callback in walk(get_resolver().url_patterns)})


@pytest.fixture
def partner_world(db, django_capture_on_commit_callbacks):
    worker = partner_worker(organisation())
    referral = partner_referral(worker)
    with django_capture_on_commit_callbacks(execute=False):
        [notice] = notifications.notify(
            to=worker, kind="partners.new_referral", key="walk", context={"url": "/me/"}
        )
    return worker, {"mentoring/partners/my-referrals/<id:pk>/": referral.pk}, notice.pk


@pytest.mark.django_db
def test_a_partner_worker_is_refused_everywhere_but_their_own_pages(client_of, partner_world):
    worker, own_ids, notice_pk = partner_world
    client = client_of(worker)
    opened = []
    for route in ROUTES:
        if route.startswith(LOG_IN_MACHINERY) or route in APP_SHELL:
            continue
        if route in PARTNER_PAGES:
            pk = own_ids.get(route, notice_pk)
            response = client.get(sample_path(route, pk))
            assert response.status_code in (200, 302, 405), route  # open to them
            continue
        for method in ("get", "post"):
            path = sample_path(route)
            response = getattr(client, method)(path)
            if response.status_code == 301 and response["Location"] == path + "/":
                response = getattr(client, method)(path + "/")  # Django's APPEND_SLASH first
            refused = response.status_code == 404 or (
                response.status_code == 302
                and response["Location"].startswith(reverse("account_login"))
            )
            if not refused:
                opened.append(f"{method.upper()} {route} -> {response.status_code}")
    assert opened == []


def test_the_walk_covers_the_whole_site():
    assert "django-admin/" in ROUTES and "admin/" in ROUTES
    assert "mentoring/referrals/<id:pk>/risk/" in ROUTES and "chat/" in ROUTES
    assert PARTNER_PAGES <= set(ROUTES)


@pytest.mark.django_db(transaction=True)
async def test_a_partner_worker_gets_no_websocket_even_when_added_to_a_room(moderator):
    worker = await database_sync_to_async(partner_worker)()
    room = await database_sync_to_async(make_room)(worker, moderators=[moderator])
    async with Socket(worker, room) as ws:
        assert not ws.connected  # refused at connect: no frame type ("send", "resume",
    # "read", "ping") can reach the consumer.


@pytest.mark.django_db
def test_the_navigation_offers_a_partner_worker_only_open_doors(client_of):
    worker = partner_worker(organisation())
    body = client_of(worker).get(reverse("accounts:today")).content.decode()
    nav = body.split("<nav", 1)[1].split("</nav>", 1)[0]
    links = set(re.findall(r'href="(/[^"]*)"', nav))
    assert "/mentoring/partners/refer/" in links and "/mentoring/partners/my-referrals/" in links
    client = client_of(worker)
    assert [link for link in links if client.get(link).status_code == 404] == []
