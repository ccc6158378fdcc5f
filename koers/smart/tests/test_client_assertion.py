"""SMART Backend Services with asymmetric client authentication (``private_key_jwt``, RFC 7523).

A system client registers its public keys (a JWKS, stored with the client), signs a short-lived
JWT with its private key (RS384 or ES384) and posts it as ``client_assertion`` to /o/token/. The
keys are made here, with ``cryptography``; the JWT is signed with PyJWT as a client would.
"""

from __future__ import annotations

import base64
import io
import json
import time
import uuid
from datetime import timedelta

import jwt
import pytest
import time_machine
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from oauth2_provider.models import get_application_model

from koers.audit import security
from koers.smart import assertions
from koers.smart.grants import grant_from_bearer
from koers.smart.models import ClientAssertionJti, SystemClient

pytestmark = pytest.mark.django_db
TOKEN_URL = "http://testserver/o/token/"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SECRET = "s3cret-of-the-export-service-" + "x" * 20


def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ec_key(curve=None):
    return ec.generate_private_key(curve or ec.SECP384R1())


def public_jwk(private_key, kid: str) -> dict:
    algorithm = RSAAlgorithm if isinstance(private_key, rsa.RSAPrivateKey) else ECAlgorithm
    jwk = algorithm.to_jwk(private_key.public_key(), as_dict=True)
    return jwk | {"kid": kid, "use": "sig"}


@pytest.fixture(scope="module")
def keys():
    """Made once per module: an RSA key is slow to make."""
    return {"rsa": rsa_key(), "ec": ec_key(), "other": rsa_key()}


@pytest.fixture
def system_client(cast, keys):
    Application = get_application_model()
    application = Application.objects.create(
        name="Regionale export",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=SECRET,
    )
    jwks = {"keys": [public_jwk(keys["rsa"], "rsa-1"), public_jwk(keys["ec"], "ec-1")]}
    return SystemClient.objects.create(application=application, organisation=cast.gp_practice, jwks=jwks)


def assertion(client_id, key, alg, kid, **changes) -> str:
    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": TOKEN_URL, "exp": now + 240, "jti": str(uuid.uuid4())}
    claims |= {name: value for name, value in changes.items() if value is not None}
    for name in [name for name, value in changes.items() if value is None]:
        claims.pop(name, None)
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid} if kid else None)


def post_token(signed: str, scope="system/*.read", **extra):
    data = {
        "grant_type": "client_credentials",
        "scope": scope,
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": signed,
    }
    return Client().post(reverse("oauth2_provider:token"), data | extra)


def refused_notes() -> list[str]:
    return [e.detail for e in security.security_events() if e.detail.startswith(security.TOKEN_REFUSED)]


@pytest.mark.parametrize(("key_name", "alg", "kid"), [("rsa", "RS384", "rsa-1"), ("ec", "ES384", "ec-1")])
def test_a_signed_assertion_gets_a_token_that_reads_fhir(system_client, keys, key_name, alg, kid):
    client_id = system_client.application.client_id
    response = post_token(assertion(client_id, keys[key_name], alg, kid))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["scope"] == "system/*.read" and "refresh_token" not in body
    grant = grant_from_bearer(type("R", (), {"headers": {"Authorization": f"Bearer {body['access_token']}"}})())
    assert grant.system == client_id and grant.user is None
    # The token works on the FHIR API: the organisation's bulk export is kicked off.
    kickoff = Client().get(
        f"/fhir/Group/{system_client.organisation_id}/$export",
        headers={
            "Prefer": "respond-async",
            "Accept": "application/fhir+json",
            "Authorization": f"Bearer {body['access_token']}",
        },
    )
    assert kickoff.status_code == 202, kickoff.content[:300]
    issued = [e.detail for e in security.security_events() if e.detail.startswith(security.TOKEN_ISSUED)]
    assert any(client_id in note for note in issued)


def test_a_client_id_in_the_body_must_match_the_assertion(system_client, keys):
    client_id = system_client.application.client_id
    ok = post_token(assertion(client_id, keys["rsa"], "RS384", "rsa-1"), client_id=client_id)
    assert ok.status_code == 200, ok.content
    other = post_token(assertion(client_id, keys["rsa"], "RS384", "rsa-1"), client_id="someone-else")
    assert other.status_code == 401


def _cases(client_id, keys):
    hs_key = "k" * 48
    return {
        "alg none": jwt.encode(
            {"iss": client_id, "sub": client_id, "aud": TOKEN_URL, "exp": int(time.time()) + 60, "jti": "n1"},
            None,
            algorithm="none",
            headers={"kid": "rsa-1"},
        ),
        "alg HS384": assertion(client_id, hs_key, "HS384", "rsa-1"),
        "alg RS256": assertion(client_id, keys["rsa"], "RS256", "rsa-1"),
        "alg of the other key type": assertion(client_id, keys["ec"], "ES384", "rsa-1"),
        "unknown kid": assertion(client_id, keys["rsa"], "RS384", "rsa-9"),
        "no kid": assertion(client_id, keys["rsa"], "RS384", None),
        "signed by another key": assertion(client_id, keys["other"], "RS384", "rsa-1"),
        "expired": assertion(client_id, keys["rsa"], "RS384", "rsa-1", exp=int(time.time()) - 120),
        "exp too far ahead": assertion(client_id, keys["rsa"], "RS384", "rsa-1", exp=int(time.time()) + 900),
        "no exp": assertion(client_id, keys["rsa"], "RS384", "rsa-1", exp=None),
        "aud mismatch": assertion(client_id, keys["rsa"], "RS384", "rsa-1", aud="https://elsewhere.example/token"),
        "iss is not sub": assertion(client_id, keys["rsa"], "RS384", "rsa-1", iss="someone-else"),
        "no jti": assertion(client_id, keys["rsa"], "RS384", "rsa-1", jti=None),
        "unknown client": assertion("no-such-client", keys["rsa"], "RS384", "rsa-1"),
        "not a jwt": "not.a.jwt",
    }


def test_every_bad_assertion_is_refused_and_logged(system_client, keys):
    client_id = system_client.application.client_id
    for case, signed in _cases(client_id, keys).items():
        response = post_token(signed)
        assert response.status_code == 401, (case, response.content)
        assert response.json()["error"] == "invalid_client", case
    notes = refused_notes()
    assert len(notes) == len(_cases(client_id, keys))
    assert all("invalid_client" in note for note in notes)
    assert any("unknown kid" in note for note in notes) and any("expired" in note for note in notes)
    assert not any("eyJ" in note for note in notes)  # never the assertion itself
    assert ClientAssertionJti.objects.count() == 0  # nothing remembered from a refused assertion


def test_a_wrong_assertion_type_is_refused(system_client, keys):
    signed = assertion(system_client.application.client_id, keys["rsa"], "RS384", "rsa-1")
    response = post_token(signed, client_assertion_type="urn:ietf:params:oauth:client-assertion-type:saml2-bearer")
    assert response.status_code == 401


def test_a_jti_is_used_once(system_client, keys):
    signed = assertion(system_client.application.client_id, keys["ec"], "ES384", "ec-1")
    assert post_token(signed).status_code == 200
    again = post_token(signed)
    assert again.status_code == 401
    assert any("jti" in note for note in refused_notes())
    assert ClientAssertionJti.objects.count() == 1


def test_a_used_jti_is_forgotten_only_after_it_expired(system_client, keys):
    client_id = system_client.application.client_id
    first = assertion(client_id, keys["ec"], "ES384", "ec-1", jti="same")
    assert post_token(first).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        # The old row is past its expiry and pruned; a new assertion may reuse the value.
        later = assertion(client_id, keys["ec"], "ES384", "ec-1", jti="same")
        assert post_token(later).status_code == 200
    assert ClientAssertionJti.objects.count() == 1


def test_small_clock_skew_is_accepted(system_client, keys):
    client_id = system_client.application.client_id
    signed = assertion(client_id, keys["rsa"], "RS384", "rsa-1", exp=int(time.time()) - 10)
    assert post_token(signed).status_code == 200  # 10 s late: inside CLOCK_SKEW_SECONDS


def test_a_client_with_keys_cannot_use_its_secret(system_client):
    basic = base64.b64encode(f"{system_client.application.client_id}:{SECRET}".encode()).decode()
    response = Client().post(
        reverse("oauth2_provider:token"),
        {"grant_type": "client_credentials", "scope": "system/*.read"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert response.status_code == 401
    assert any("secret" in note for note in refused_notes())


def test_an_assertion_with_a_secret_as_well_is_refused(system_client, keys):
    signed = assertion(system_client.application.client_id, keys["rsa"], "RS384", "rsa-1")
    assert post_token(signed, client_secret=SECRET).status_code == 401


def test_a_client_without_keys_cannot_send_an_assertion(system_client, keys):
    system_client.jwks = {}
    system_client.save()
    signed = assertion(system_client.application.client_id, keys["rsa"], "RS384", "rsa-1")
    assert post_token(signed).status_code == 401


def test_smart_configuration_lists_private_key_jwt():
    body = Client().get("/fhir/.well-known/smart-configuration").json()
    assert "private_key_jwt" in body["token_endpoint_auth_methods_supported"]
    assert body["token_endpoint_auth_signing_alg_values_supported"] == ["RS384", "ES384"]
    # Keys are for system clients only: an app for users (App Launch) still uses a secret or PKCE.
    assert "client-confidential-asymmetric" not in body["capabilities"]


# Registering keys: the JWKS is checked before it is stored.


def test_a_jwks_is_checked_before_it_is_stored(keys):
    good = {"keys": [public_jwk(keys["rsa"], "a"), public_jwk(keys["ec"], "b")]}
    assert assertions.checked_jwks(good) == good
    private = RSAAlgorithm.to_jwk(keys["rsa"], as_dict=True) | {"kid": "p"}
    bad = {
        "not a set": [public_jwk(keys["rsa"], "a")],
        "empty": {"keys": []},
        "no kid": {"keys": [RSAAlgorithm.to_jwk(keys["rsa"].public_key(), as_dict=True)]},
        "double kid": {"keys": [public_jwk(keys["rsa"], "a"), public_jwk(keys["ec"], "a")]},
        "private key": {"keys": [private]},
        "P-256": {"keys": [public_jwk(ec_key(ec.SECP256R1()), "c")]},
        "small RSA": {"keys": [public_jwk(rsa.generate_private_key(public_exponent=65537, key_size=1024), "s")]},
        "symmetric": {"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "o"}]},
        "wrong alg": {"keys": [public_jwk(keys["rsa"], "a") | {"alg": "RS256"}]},
        "encryption key": {"keys": [public_jwk(keys["rsa"], "a") | {"use": "enc"}]},
    }
    for case, jwks in bad.items():
        with pytest.raises(ValidationError):
            assertions.checked_jwks(jwks)
            pytest.fail(f"accepted: {case}")


def test_the_admin_form_checks_the_jwks(system_client):
    system_client.jwks = {"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "o"}]}
    with pytest.raises(ValidationError):
        system_client.full_clean()


def test_the_command_registers_rotates_and_shows_keys(system_client, keys, tmp_path):
    client_id = system_client.application.client_id
    new = {"keys": [public_jwk(keys["ec"], "ec-1"), public_jwk(keys["other"], "rsa-2")]}
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(new))
    out = io.StringIO()
    call_command("system-client-keys", client_id, "--jwks", str(path), stdout=out)
    system_client.refresh_from_db()
    assert [key["kid"] for key in system_client.jwks["keys"]] == ["ec-1", "rsa-2"]
    assert post_token(assertion(client_id, keys["other"], "RS384", "rsa-2")).status_code == 200
    assert post_token(assertion(client_id, keys["rsa"], "RS384", "rsa-1")).status_code == 401  # rotated out
    shown = io.StringIO()
    call_command("system-client-keys", client_id, stdout=shown)
    assert "ec-1" in shown.getvalue() and "rsa-2" in shown.getvalue()
    assert any(e.detail.startswith(security.ADMIN_ACTION) for e in security.security_events())


def test_the_command_refuses_a_bad_jwks(system_client, tmp_path):
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps({"keys": [{"kty": "oct", "k": "c2VjcmV0", "kid": "o"}]}))
    with pytest.raises(SystemExit):
        call_command("system-client-keys", system_client.application.client_id, "--jwks", str(path))
    system_client.refresh_from_db()
    assert [key["kid"] for key in system_client.jwks["keys"]] == ["rsa-1", "ec-1"]
