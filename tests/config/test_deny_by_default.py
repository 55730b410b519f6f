"""Every page is private unless its view is marked public (login_not_required).

Walks every URL pattern of our apps, so a new page is covered the day it is added.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

OUR_APPS = {
    "accounts",
    "safeguarding",
    "volunteering",
    "mentoring",
    "chat",
    "stories",
    "cms",
    "config",
}


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def concrete(route: str) -> str:
    route = re.sub(r"<(?:int:|id:)?[a-z_]+>", "1", route)
    route = re.sub(r"<(?:slug|str|uuid|path):[a-z_]+>", "x", route)
    return "/" + route.lstrip("^").rstrip("$")


def our_routes():
    for route, callback in walk(get_resolver().url_patterns):
        module = getattr(callback, "__module__", "") or ""
        if module.split(".")[0] in OUR_APPS and "(?P" not in route and "^" not in route:
            yield route, callback


ROUTES = list(our_routes())


@pytest.mark.django_db
@pytest.mark.parametrize("route,callback", ROUTES, ids=[route for route, _cb in ROUTES])
def test_anonymous_visitor_is_sent_to_log_in(client, route, callback):
    response = client.get(concrete(route))
    if getattr(callback, "login_required", True) is False:
        assert response.status_code != 500
        return
    assert response.status_code == 302, route
    assert response["Location"].startswith(reverse("account_login")), route


def test_the_walk_finds_our_pages():
    routes = {route for route, _callback in our_routes()}
    assert "me/data/" in routes and "safeguarding/raise/" in routes
