"""Apps and PKCE for the SMART tests (a signed-in, verified user: ``tests.support.testing.verified``)."""

from __future__ import annotations

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlparse

import pytest
from django.urls import reverse
from oauth2_provider.models import get_application_model

REDIRECT = "https://app.example/callback"


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


@pytest.fixture
def app(db):
    Application = get_application_model()
    return Application.objects.create(
        name="Dagboek-app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
    )


def authorize_url(app, scope: str, challenge: str | None, method: str | None = "S256", state: str = "s1") -> str:
    params = {"response_type": "code", "client_id": app.client_id, "redirect_uri": REDIRECT, "scope": scope}
    params["state"] = state
    if challenge is not None:
        params["code_challenge"] = challenge
    if method is not None:
        params["code_challenge_method"] = method
    return reverse("oauth2_provider:authorize") + "?" + urlencode(params)


def form_data(response, **extra) -> dict:
    """The hidden fields of the authorize page's form, as the browser would post them."""
    form = response.context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    return data | extra


def code_from(response) -> str:
    assert response.status_code == 302, response.status_code
    location = urlparse(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    query = parse_qs(location.query)
    assert query["state"] == ["s1"]
    assert query["iss"] == ["http://testserver"]  # RFC 9207, as in the smart-configuration
    return query["code"][0]


def exchange(client, app, code: str, verifier: str | None):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": app.client_id}
    if verifier is not None:
        data["code_verifier"] = verifier
    return client.post(reverse("oauth2_provider:token"), data)
