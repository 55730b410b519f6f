"""Installable on a phone's home screen, with a page for when the signal drops."""

import json

import pytest


@pytest.mark.django_db
def test_manifest_offline_page_and_service_worker_are_public(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    data = json.loads(manifest.content)
    assert data["display"] == "standalone" and data["start_url"] == "/me/"
    assert {icon["sizes"] for icon in data["icons"]} >= {"192x192", "512x512"}

    worker = client.get("/sw.js")
    assert worker.status_code == 200 and worker["Service-Worker-Allowed"] == "/"
    assert "/offline/" in worker.content.decode()

    offline = client.get("/offline/")
    assert offline.status_code == 200
    assert "You are offline" in offline.content.decode()
