"""Response headers: Content Security Policy without 'unsafe-inline', no framing, no sniffing;
and pages that CSP would break (inline script, style or event handlers) do not exist."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice


def csp_directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.wsgi_request.path}"
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_safe_headers(response):
    path = response.wsgi_request.path
    directives = csp_directives(response)
    everything = [source for sources in directives.values() for source in sources]
    assert "'unsafe-inline'" not in everything, path
    assert "'unsafe-eval'" not in everything, path
    assert "*" not in everything and "http:" not in everything and "https:" not in everything, path
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert response.headers.get("X-Frame-Options") == "DENY", path
    assert response.headers.get("X-Content-Type-Options") == "nosniff", path
    assert response.headers.get("Referrer-Policy") == "same-origin", path


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"(href|src|action)\s*=\s*[\"']?\s*javascript:", re.IGNORECASE)


def assert_nothing_csp_would_block(response):
    html = response.content.decode()
    path = response.wsgi_request.path
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("style attribute", STYLE_ATTRIBUTE),
        ("<style> element", STYLE_ELEMENT),
        ("on…= event handler", EVENT_HANDLER),
        ("javascript: URL", JAVASCRIPT_URL),
    ):
        match = pattern.search(html)
        assert match is None, f"{path} has an {name} that CSP blocks: {match.group(0)[:120]!r}"


@pytest.mark.django_db
def test_login_page_headers(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert_safe_headers(response)
    assert_nothing_csp_would_block(response)


@pytest.mark.django_db
def test_pages_of_every_kind_carry_the_headers_and_no_inline_code(cast, client, settings):
    from tests.support.testing import make_full_record

    make_full_record(cast.anna, professional=cast.noor)
    client.force_login(cast.noor)
    for url in (
        reverse("workspace:caseload"),
        reverse("workspace:person", args=[cast.anna.pk]),
        reverse("accounts:password_change"),
        reverse("accounts:two_factor_setup"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_safe_headers(response)
        assert_nothing_csp_would_block(response)
    TOTPDevice.objects.filter(user=cast.noor).update(confirmed=True)
    response = client.get(reverse("accounts:two_factor"))
    assert_safe_headers(response)
    assert_nothing_csp_would_block(response)

    client.force_login(cast.anna_user)
    for url in (reverse("workspace:portal_home"), reverse("workspace:portal_log")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_safe_headers(response)
        assert_nothing_csp_would_block(response)

    missing = client.get("/bestaat-niet/")
    assert missing.status_code == 404
    assert_safe_headers(missing)


@pytest.mark.django_db
def test_the_lockout_page_carries_the_headers_too(cast, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("accounts:login"), {"username": "noor", "password": "fout"})
    assert response.status_code == 429
    assert_safe_headers(response)
    assert_nothing_csp_would_block(response)


@pytest.mark.django_db
def test_csrf_cookie_is_not_readable_by_scripts(client):
    response = client.get(reverse("accounts:login"))
    cookie = response.cookies.get("csrftoken")
    assert cookie is not None and cookie["httponly"] is True
    # htmx gets the token from the page instead:
    assert 'hx-headers=\'{"X-CSRFToken": "' in response.content.decode()


PERMISSIONS_POLICY = {"camera": "()", "microphone": "()", "geolocation": "()", "payment": "()", "usb": "()"}


def permissions(response) -> dict[str, str]:
    header = response.headers.get("Permissions-Policy", "")
    return dict(part.strip().split("=", 1) for part in header.split(",") if "=" in part)


@pytest.mark.django_db
def test_every_response_switches_off_browser_features_koers_does_not_use(cast, client):
    """Permissions-Policy: no camera, microphone, location, payment or USB for any page, so an
    injected script or a framed page cannot ask for them either."""
    for response in (client.get(reverse("accounts:login")), client.get("/bestaat-niet/")):
        assert PERMISSIONS_POLICY.items() <= permissions(response).items(), response.wsgi_request.path
    client.force_login(cast.anna_user)
    response = client.get(reverse("workspace:portal_home"))
    assert PERMISSIONS_POLICY.items() <= permissions(response).items()


@pytest.mark.django_db
def test_signed_in_pages_are_never_stored(cast, client):
    """After logout, the back button must not show a person's data from the cache."""
    client.force_login(cast.noor)
    for response in (
        client.get(reverse("workspace:caseload")),
        client.get(reverse("workspace:caseload"), headers={"HX-Request": "true"}),  # htmx partials too
        client.get("/bestaat-niet/"),
    ):
        control = response.headers.get("Cache-Control", "")
        assert "no-store" in control and "private" in control, (response.wsgi_request.path, control)
