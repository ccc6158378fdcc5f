"""Asymmetric client authentication for system clients: ``private_key_jwt`` (issue #15).

SMART Backend Services: a system client authenticates at ``/o/token/`` with
``client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer`` and a
``client_assertion``: a JWT it signed with its private key (RFC 7523 section 2.2). Koers checks
it against the public keys the client registered (``SystemClient.jwks``: a JWK Set stored with
the client; no JWKS URL is fetched).

No crypto of our own: PyJWT verifies the signature and the standard claims. Koers adds only the
rules around it, each a refusal (``AssertionRefused``, its reason for the security log):

- the header's ``alg`` is RS384 or ES384 (SMART's two), its ``kid`` names a registered key of the
  matching type (``none``, ``HS*``, RS256 and a key of the other type are refused);
- ``iss`` and ``sub`` are both the client's id, ``aud`` is the token endpoint's URL, ``exp`` is
  present, not past and at most five minutes ahead, ``jti`` is present;
- a ``jti`` is accepted once until its assertion expired (``ClientAssertionJti``: the database,
  so every app process sees it);
- clocks may differ by ``CLOCK_SKEW_SECONDS`` either way.

The token endpoint's URL comes from the token view (``token_url_from``): it is the one the
smart-configuration advertises, built from the same request. An assertion at any other endpoint
has no URL to match and is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from koers.smart.models import ClientAssertionJti, SystemClient

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHMS = {"RS384": "RSA", "ES384": "EC"}  # SMART Backend Services: alg -> the key type it needs
CLOCK_SKEW_SECONDS = 30
MAX_LIFETIME_SECONDS = 300  # exp at most five minutes ahead (SMART Backend Services)
MIN_RSA_BITS = 2048
MAX_KEYS = 10
EC_CURVE = "P-384"
_PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}
# Where the token view leaves the context for the validator: a WSGI environ key without the HTTP_
# prefix, so no client can send it as a header. DOT copies the environ into oauthlib's headers.
CONTEXT_KEY = "koers.smart.assertion_context"


class AssertionRefused(Exception):
    """Why an assertion (or a secret) was refused: a short reason for the log, never the JWT."""


@dataclass
class Context:
    """Shared between the token view and the validator for one request."""

    token_url: str
    refusal: str = ""


def context_from(request) -> Context | None:
    headers = getattr(request, "headers", None) or {}
    context = headers.get(CONTEXT_KEY)
    return context if isinstance(context, Context) else None


def carries_assertion(request) -> bool:
    return bool(_param(request, "client_assertion") or _param(request, "client_assertion_type"))


def _param(request, name: str):
    try:
        return getattr(request, name)
    except AttributeError:
        return None


def client_id_hint(assertion: str) -> str:
    """The client an assertion says it comes from (unverified): for the log only."""
    try:
        claims = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        return "?"
    sub = claims.get("sub")
    return sub[:100] if isinstance(sub, str) else "?"


def verify(request, load_application) -> SystemClient:
    """The system client an assertion authenticates, or ``AssertionRefused``.

    ``load_application`` is DOT's ``_load_application`` (it sets ``request.client``)."""
    if _param(request, "client_assertion_type") != ASSERTION_TYPE:
        raise AssertionRefused("unsupported client_assertion_type")
    assertion = _param(request, "client_assertion")
    if not assertion or not isinstance(assertion, str):
        raise AssertionRefused("no client_assertion")
    if _param(request, "client_secret") or _basic_auth(request):
        raise AssertionRefused("an assertion and a secret together")  # RFC 6749 2.3: one method
    context = context_from(request)
    if context is None:
        raise AssertionRefused("assertion at an endpoint other than /o/token/")
    try:
        header = jwt.get_unverified_header(assertion)
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        raise AssertionRefused("not a JWT") from None
    client_id = unverified.get("sub")
    if not isinstance(client_id, str) or not client_id:
        raise AssertionRefused("no sub")
    body_client_id = _param(request, "client_id")
    if body_client_id and body_client_id != client_id:
        raise AssertionRefused("client_id differs from sub")
    system = _system_client(client_id, request, load_application)
    key = _key_for(system, header)
    claims = _decode(assertion, key, header["alg"], client_id, context.token_url)
    _remember_jti(system, claims)
    request.client_id = client_id
    return system


def _basic_auth(request) -> bool:
    header = (getattr(request, "headers", None) or {}).get("Authorization", "")
    return isinstance(header, str) and header.split(" ", 1)[0].lower() == "basic"


def _system_client(client_id, request, load_application) -> SystemClient:
    application = load_application(client_id, request)
    if application is None:
        raise AssertionRefused("unknown client")
    system = SystemClient.objects.filter(application=application).first()
    if system is None or not system.has_keys:
        raise AssertionRefused("client has no registered keys")
    return system


def _key_for(system: SystemClient, header: dict):
    alg = header.get("alg")
    if alg not in ALGORITHMS:
        raise AssertionRefused(f"alg {str(alg)[:10]} not accepted")
    kid = header.get("kid")
    if not kid:
        raise AssertionRefused("no kid")
    found = [k for k in system.jwks["keys"] if k.get("kid") == kid]
    if not found:
        raise AssertionRefused("unknown kid")
    if found[0].get("kty") != ALGORITHMS[alg] or found[0].get("alg", alg) != alg:
        raise AssertionRefused(f"alg {alg} does not fit key {kid[:40]}")
    try:
        return jwt.PyJWK(found[0], algorithm=alg).key
    except jwt.PyJWTError:
        raise AssertionRefused("registered key unusable") from None


def _decode(assertion: str, key, alg: str, client_id: str, token_url: str) -> dict:
    try:
        claims = jwt.decode(
            assertion,
            key,
            algorithms=[alg],
            audience=token_url,
            issuer=client_id,
            subject=client_id,
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "jti"]},
        )
    except jwt.ExpiredSignatureError:
        raise AssertionRefused("expired") from None
    except jwt.InvalidAudienceError:
        raise AssertionRefused("aud is not the token endpoint") from None
    except jwt.InvalidIssuerError:
        raise AssertionRefused("iss is not sub") from None
    except jwt.MissingRequiredClaimError as error:
        raise AssertionRefused(f"no {error.claim}") from None
    except jwt.InvalidSignatureError:
        raise AssertionRefused("bad signature") from None
    except jwt.PyJWTError as error:
        raise AssertionRefused(f"invalid: {type(error).__name__}") from None
    if claims["exp"] > timezone.now().timestamp() + MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS:
        raise AssertionRefused("exp more than five minutes ahead")
    if not isinstance(claims["jti"], str) or not claims["jti"]:
        raise AssertionRefused("no jti")
    return claims


def _remember_jti(system: SystemClient, claims: dict) -> None:
    """Accept a jti once until its assertion expired; forget expired ones on the way."""
    now = timezone.now()
    ClientAssertionJti.objects.filter(expires_at__lt=now).delete()
    expires_at = datetime.fromtimestamp(claims["exp"], tz=UTC) + timedelta(seconds=CLOCK_SKEW_SECONDS)
    digest = hashlib.sha256(claims["jti"].encode("utf-8")).hexdigest()
    try:
        with transaction.atomic():
            ClientAssertionJti.objects.create(
                application_id=system.application_id, jti_hash=digest, expires_at=expires_at
            )
    except IntegrityError:
        raise AssertionRefused("jti used before") from None


def checked_jwks(jwks) -> dict:
    """A JWK Set fit for registration, or ``ValidationError``: public signing keys only, each with
    its own ``kid``; RSA of at least 2048 bits (RS384) or EC on P-384 (ES384)."""
    if not isinstance(jwks, dict) or not isinstance(jwks.get("keys"), list) or not jwks["keys"]:
        raise ValidationError(_('Geef een JWK Set: {"keys": [ ... ]} met minstens één sleutel.'))
    if len(jwks["keys"]) > MAX_KEYS:
        raise ValidationError(_("Geef hoogstens tien sleutels."))
    kids = set()
    for key in jwks["keys"]:
        _check_key(key)
        if key["kid"] in kids:
            raise ValidationError(_("Elke sleutel heeft een eigen kid."))
        kids.add(key["kid"])
    return {"keys": jwks["keys"]}


def _check_key(key) -> None:
    if not isinstance(key, dict) or not isinstance(key.get("kid"), str) or not key["kid"].strip():
        raise ValidationError(_("Elke sleutel heeft een kid nodig."))
    if _PRIVATE_MEMBERS & set(key):
        raise ValidationError(_("Dit is een geheime sleutel. Geef alleen de publieke sleutel."))
    alg = {"RSA": "RS384", "EC": "ES384"}.get(key.get("kty"))
    if alg is None:
        raise ValidationError(_("Alleen RSA- of EC-sleutels kunnen hier."))
    if key.get("alg", alg) != alg or key.get("use", "sig") != "sig":
        raise ValidationError(_("De sleutel moet voor ondertekenen met RS384 of ES384 zijn."))
    if alg == "ES384" and key.get("crv") != EC_CURVE:
        raise ValidationError(_("Een EC-sleutel moet de curve P-384 hebben."))
    try:
        public = jwt.PyJWK(key, algorithm=alg).key
    except (jwt.PyJWTError, ValueError, TypeError):
        raise ValidationError(_("Deze sleutel kan Koers niet lezen.")) from None
    if alg == "RS384" and public.key_size < MIN_RSA_BITS:
        raise ValidationError(_("Een RSA-sleutel moet minstens 2048 bits hebben."))
