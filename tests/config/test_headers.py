"""Headers on every response, no server banner, and a websocket Origin check by scheme, host and
port together."""

import urllib.error
import urllib.request

import pytest
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.testing import WebsocketCommunicator
from django.urls import reverse

from config.asgi import SiteOriginValidator, site_origins
from tests.chat.servers import AsgiServer, shared_database_url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/static/css/alongside.css", "/no-such-page/"]
)
def test_permissions_policy_is_on_every_response(client, path):
    response = client.get(path)
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.mark.django_db
def test_permissions_policy_for_a_signed_in_person_too(client_of, mentee):
    response = client_of(mentee).get(reverse("accounts:today"))
    assert "camera=()" in response["Permissions-Policy"]


@pytest.mark.django_db(transaction=True)
def test_the_real_server_sends_no_server_banner():
    server = AsgiServer(database_url=shared_database_url())
    try:
        try:
            with urllib.request.urlopen(f"{server.url}/offline/", timeout=10) as response:  # noqa: S310 - our loopback server
                headers = response.headers
        except urllib.error.HTTPError as error:
            headers = error.headers
        assert "server" not in {name.lower() for name in headers}
        assert "camera=()" in headers["Permissions-Policy"]
    finally:
        server.stop()


class Accept(AsyncWebsocketConsumer):
    async def connect(self):
        await self.accept()


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://alongside.example"
    settings.CSRF_TRUSTED_ORIGINS = ["https://staff.alongside.example:8443"]
    return SiteOriginValidator(Accept.as_asgi(), origins=site_origins())


async def _connects(application, origin: bytes | None) -> bool:
    headers = [(b"origin", origin)] if origin is not None else []
    socket = WebsocketCommunicator(application, "/ws/chat/1/", headers=headers)
    connected, _code = await socket.connect()
    await socket.disconnect()
    return connected


@pytest.mark.parametrize(
    "origin",
    [b"https://alongside.example", b"https://alongside.example:443", b"https://ALONGSIDE.example",
     b"https://staff.alongside.example:8443"],
)  # fmt: skip
async def test_the_sites_own_origins_are_accepted(site, origin):
    assert await _connects(site, origin)


@pytest.mark.parametrize(
    "origin",
    [
        b"http://alongside.example",  # wrong scheme
        b"https://alongside.example:8443",  # wrong port
        b"https://staff.alongside.example",  # right host, wrong (default) port
        b"wss://alongside.example",
        b"https://alongside.example.evil.example",
        b"https://evil.example",
        b"null",
        b"https://alongside.example:99999",
        None,
    ],
)
async def test_other_origins_are_refused(site, origin):
    assert not await _connects(site, origin)
