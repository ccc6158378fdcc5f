"""The site's icon: every page names it, and /favicon.ico (asked for by browsers and PDF viewers
whatever the page says) leads to it instead of a 404 — in the demo a 404 page of ~89 kB and an
error in the browser's console on every first visit."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_favicon_ico_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("koers/favicon.svg")
    icon = finders.find("koers/favicon.svg")
    assert icon and open(icon, encoding="utf-8").read().startswith("<svg")


def test_every_page_names_the_icon(client, db):
    body = client.get(reverse("accounts:login")).content.decode()
    assert '<link rel="icon" href="/static/koers/favicon.svg" type="image/svg+xml">' in body
