"""Login through an OpenID Connect provider (DigiD through a broker), against a fake provider.

The protocol runs for real up to the network: Koers's start view stores state, nonce and a PKCE
verifier and sends the browser to the provider; the callback's ID token is a real signed JWT
(HS256 with the client secret) checked by mozilla-django-oidc, nonce included. Only the two HTTP
calls to the provider (token and userinfo endpoints) are replaced.
"""

from __future__ import annotations

import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from koers.accounts import enrolment
from koers.accounts.models import IdentityLink, User
from koers.audit import security

pytestmark = pytest.mark.django_db

ISSUER = "https://broker.example"
CLIENT_ID = "koers-test"
SECRET = "a-client-secret-that-is-long-enough-for-hs256"
SUBSTANTIAL = "http://eidas.europa.eu/LoA/substantial"
LOW = "http://eidas.europa.eu/LoA/low"
START = reverse("oidc:authenticate")
CALLBACK = reverse("oidc:callback")
CASELOAD = reverse("workspace:caseload")


@pytest.fixture
def oidc_on(settings):
    settings.KOERS_OIDC_ENABLED = True
    settings.KOERS_OIDC_PROVIDER_NAME = "DigiD"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "koers.accounts.oidc.KoersOIDCBackend"]
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{ISSUER}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{ISSUER}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{ISSUER}/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_JWKS_ENDPOINT = None
    settings.KOERS_OIDC_ASSURANCE_CLAIM = "acr"
    settings.KOERS_OIDC_ASSURANCE_VALUES = [SUBSTANTIAL, "http://eidas.europa.eu/LoA/high"]
    settings.KOERS_REQUIRE_2FA = True
    return settings


def provider_login(client, *, sub, claims=None, userinfo=None, nonce=None, audience=CLIENT_ID, start=None):
    """Walk the code flow with the fake provider; returns the callback's response."""
    started = start or client.get(START, {"next": CASELOAD})
    assert started.status_code == 302
    target = urlsplit(started["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{ISSUER}/authorize"
    query = {key: values[0] for key, values in parse_qs(target.query).items()}
    assert query["client_id"] == CLIENT_ID and query["code_challenge_method"] == "S256"  # PKCE
    now = int(time.time())
    id_token = jwt.encode(
        {
            "iss": ISSUER,
            "aud": audience,
            "sub": sub,
            "iat": now,
            "exp": now + 300,
            "nonce": nonce or query["nonce"],
            **(claims or {}),
        },
        SECRET,
        algorithm="HS256",
    )
    token = {"id_token": id_token, "access_token": "access", "token_type": "Bearer"}
    with (
        mock.patch.object(OIDCAuthenticationBackend, "get_token", return_value=token) as get_token,
        mock.patch.object(OIDCAuthenticationBackend, "get_userinfo", return_value={"sub": sub, **(userinfo or {})}),
    ):
        response = client.get(CALLBACK, {"code": "the-code", "state": query["state"]})
    if get_token.called:
        assert get_token.call_args.args[0]["code_verifier"]  # PKCE verifier sent with the code
    return response


def events(event, **filters):
    return security.security_events().filter(detail__startswith=event, **filters)


def link(user, sub="s-123"):
    return IdentityLink.objects.create(user=user, issuer=ISSUER, subject=sub, name="DigiD")


def test_off_unless_configured(client):
    assert client.get(START).status_code == 404
    assert client.get(CALLBACK, {"code": "x", "state": "y"}).status_code == 404
    assert "Inloggen met" not in client.get(reverse("accounts:login")).content.decode()


def test_the_login_page_offers_the_provider(client, oidc_on):
    html = client.get(reverse("accounts:login")).content.decode()
    assert "Inloggen met DigiD" in html
    assert f'href="{START}"' in html


def test_an_unknown_subject_is_refused_and_no_account_is_made(client, cast, oidc_on):
    users = User.objects.count()
    response = provider_login(client, sub="nobody-knows-me", claims={"acr": SUBSTANTIAL})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:oidc_failed")
    page = client.get(response["Location"])
    assert page.status_code == 403
    assert "geen account aan gekoppeld" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == users
    assert events(security.LOGIN_FAILED, outcome="refused").count() == 1


def test_a_linked_subject_logs_in_but_low_assurance_still_asks_for_the_second_factor(client, cast, oidc_on):
    link(cast.noor)
    response = provider_login(client, sub="s-123", claims={"acr": LOW})
    assert response.status_code == 302 and response["Location"] == CASELOAD
    assert client.session["_auth_user_id"] == str(cast.noor.pk)
    assert client.get(CASELOAD)["Location"].startswith(reverse("accounts:two_factor"))
    (row,) = events(security.LOGIN, user=cast.noor)
    assert row.detail == "login: oidc: DigiD"
    assert not events(security.SECOND_FACTOR_VERIFIED).exists()


def test_substantial_assurance_counts_as_the_second_factor(client, cast, oidc_on):
    link(cast.noor)
    provider_login(client, sub="s-123", claims={"acr": SUBSTANTIAL})
    assert client.get(CASELOAD).status_code == 200
    assert events(security.SECOND_FACTOR_VERIFIED, user=cast.noor).count() == 1


def test_the_assurance_claim_is_configurable(client, cast, oidc_on):
    oidc_on.KOERS_OIDC_ASSURANCE_CLAIM = "loa"
    oidc_on.KOERS_OIDC_ASSURANCE_VALUES = ["midden", "substantieel"]
    link(cast.noor)
    provider_login(client, sub="s-123", claims={"acr": SUBSTANTIAL, "loa": "basis"})
    assert client.get(CASELOAD).status_code == 302  # acr is not the configured claim; "basis" is too low
    client.logout()
    provider_login(client, sub="s-123", claims={"loa": "midden"})
    assert client.get(CASELOAD).status_code == 200


def test_assurance_in_userinfo_does_not_override_the_signed_token(client, cast, oidc_on):
    link(cast.noor)
    provider_login(client, sub="s-123", claims={"acr": LOW}, userinfo={"acr": SUBSTANTIAL})
    assert client.get(CASELOAD).status_code == 302


def test_a_token_for_another_client_is_refused(client, cast, oidc_on):
    link(cast.noor)
    response = provider_login(client, sub="s-123", claims={"acr": SUBSTANTIAL}, audience="someone-else")
    assert response["Location"] == reverse("accounts:oidc_failed")
    assert "_auth_user_id" not in client.session
    assert "kon niet worden gecontroleerd" in client.get(response["Location"]).content.decode()


def test_a_replayed_or_foreign_nonce_is_refused(client, cast, oidc_on):
    link(cast.noor)
    response = provider_login(client, sub="s-123", nonce="not-the-nonce-we-sent")
    assert response["Location"] == reverse("accounts:oidc_failed")
    assert "_auth_user_id" not in client.session


def test_a_verified_user_links_their_account(client, cast, oidc_on, login):
    client = login(cast.noor)
    session = client.session
    session[enrolment.SESSION_KEY] = time.time() + 600  # an activation code opened enrolment
    session.save()
    started = client.post(reverse("oidc:link"))
    assert started["Location"] == START
    provider_login(client, sub="new-sub", claims={"acr": LOW}, start=client.get(START))
    assert IdentityLink.objects.get(issuer=ISSUER, subject="new-sub").user == cast.noor
    assert events(security.SECOND_FACTOR_ENROLLED, user=cast.noor).count() == 1
    client.logout()
    provider_login(client, sub="new-sub")
    assert client.session["_auth_user_id"] == str(cast.noor.pk)


def test_a_password_alone_cannot_link_a_provider_account(client, cast, oidc_on, login):
    client = login(cast.anna_user)  # a person: no second factor asked by the middleware
    response = client.post(reverse("oidc:link"))
    assert response["Location"].startswith(reverse("accounts:two_factor"))
    assert "koers_oidc_link_for" not in client.session
    provider_login(client, sub="attackers-own-digid")
    assert not IdentityLink.objects.exists()


def test_a_subject_linked_to_someone_else_is_not_moved(client, cast, oidc_on, login):
    link(cast.gert, sub="shared")
    client = login(cast.anna_user)
    session = client.session
    session[enrolment.SESSION_KEY] = time.time() + 600
    session.save()
    client.post(reverse("oidc:link"))
    response = provider_login(client, sub="shared", start=client.get(START))
    assert response["Location"] == reverse("accounts:oidc_failed")
    assert "al aan een ander Koers-account gekoppeld" in client.get(response["Location"]).content.decode()
    assert IdentityLink.objects.get(subject="shared").user == cast.gert


def test_email_mode_links_a_verified_address_of_exactly_one_account(client, cast, oidc_on):
    oidc_on.KOERS_OIDC_ACCOUNT_CLAIM = "email"
    cast.noor.email = "noor@linde.example"
    cast.noor.save(update_fields=["email"])
    unverified = provider_login(client, sub="e-1", userinfo={"email": "noor@linde.example", "email_verified": False})
    assert unverified["Location"] == reverse("accounts:oidc_failed")
    provider_login(client, sub="e-1", userinfo={"email": "NOOR@linde.example", "email_verified": True})
    assert client.session["_auth_user_id"] == str(cast.noor.pk)
    assert IdentityLink.objects.get(subject="e-1").user == cast.noor


def test_rs256_tokens_are_checked_against_the_providers_published_keys(client, cast, oidc_on):
    """The production set-up: the broker signs with its private key, Koers fetches the JWKS."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    oidc_on.OIDC_RP_SIGN_ALGO = "RS256"
    oidc_on.OIDC_OP_JWKS_ENDPOINT = f"{ISSUER}/jwks"
    public = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    jwks = mock.Mock(status_code=200, json=mock.Mock(return_value={"keys": [{**public, "kid": "k1", "alg": "RS256"}]}))
    link(cast.noor)

    def signed_login(signing_key):
        started = client.get(START)
        query = {k: v[0] for k, v in parse_qs(urlsplit(started["Location"]).query).items()}
        now = int(time.time())
        claims = {"iss": ISSUER, "aud": CLIENT_ID, "sub": "s-123", "iat": now, "exp": now + 300}
        id_token = jwt.encode(
            {**claims, "nonce": query["nonce"], "acr": SUBSTANTIAL},
            signing_key,
            algorithm="RS256",
            headers={"kid": "k1"},
        )
        with (
            mock.patch("mozilla_django_oidc.auth.requests.get", return_value=jwks) as get,
            mock.patch.object(OIDCAuthenticationBackend, "get_token", return_value={"id_token": id_token}),
            mock.patch.object(OIDCAuthenticationBackend, "get_userinfo", return_value={"sub": "s-123"}),
        ):
            response = client.get(CALLBACK, {"code": "c", "state": query["state"]})
        assert get.call_args.args[0] == f"{ISSUER}/jwks"
        return response

    forged = signed_login(other)
    assert forged["Location"] == reverse("accounts:oidc_failed")
    assert "_auth_user_id" not in client.session
    signed_login(key)
    assert client.get(CASELOAD).status_code == 200
