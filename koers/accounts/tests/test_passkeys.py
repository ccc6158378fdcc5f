"""Passkeys (django-otp-webauthn) behind Koers's enrolment gate (issue #11).

The full ceremony with a real authenticator is in tests/browser/test_browser_passkeys.py; here
the server-side rules: no registration without an open enrolment, no passkey-only login, failed
checks logged, the pages reachable before the second factor and free of inline script.
"""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from koers.accounts import enrolment
from koers.audit import security

pytestmark = pytest.mark.django_db

REGISTER_BEGIN = reverse("otp_webauthn:credential-registration-begin")
REGISTER_COMPLETE = reverse("otp_webauthn:credential-registration-complete")
AUTH_BEGIN = reverse("otp_webauthn:credential-authentication-begin")
AUTH_COMPLETE = reverse("otp_webauthn:credential-authentication-complete")
SETUP = reverse("accounts:passkey_setup")
VERIFY = reverse("accounts:passkey_verify")


def open_enrolment(client, *, seconds=600):
    session = client.session
    session[enrolment.SESSION_KEY] = time.time() + seconds
    session.save()


def test_registration_is_refused_without_an_open_enrolment(cast, login):
    client = login(cast.noor)
    for url in (REGISTER_BEGIN, REGISTER_COMPLETE):
        response = client.post(url, content_type="application/json", data={})
        assert response.status_code == 403, url
        assert response.json()["code"] == "enrolment_closed"
        assert "activeringscode" in response.json()["detail"]
    assert "otp_webauthn_register_state" not in client.session


def test_an_expired_enrolment_is_closed(cast, login):
    client = login(cast.noor)
    open_enrolment(client, seconds=-1)
    assert client.post(REGISTER_BEGIN).status_code == 403


def test_registration_starts_with_an_open_enrolment(cast, login, settings):
    client = login(cast.noor)
    open_enrolment(client)
    response = client.post(REGISTER_BEGIN)
    assert response.status_code == 200
    options = response.json()
    assert options["rp"]["id"] == settings.OTP_WEBAUTHN_RP_ID
    assert options["challenge"]
    assert "otp_webauthn_register_state" in client.session


def test_the_setup_page_offers_the_button_only_with_an_open_enrolment(cast, login):
    client = login(cast.noor)
    closed = client.get(SETUP).content.decode()
    assert "passkey-register-button" not in closed
    assert "activeringscode" in closed
    open_enrolment(client)
    opened = client.get(SETUP).content.decode()
    assert 'id="passkey-register-button"' in opened
    assert "django_otp_webauthn/otp_webauthn_register.js" in opened


def test_a_passkey_is_never_a_login_on_its_own(client):
    response = client.post(AUTH_BEGIN)
    assert response.status_code == 403
    assert response.json()["code"] == "passwordless_login_disabled"


def test_a_failed_passkey_check_is_a_security_event(cast, login):
    client = login(cast.noor)
    response = client.post(AUTH_COMPLETE, content_type="application/json", data={"id": "x"})
    assert response.status_code == 400
    (row,) = security.security_events().filter(detail__startswith=security.SECOND_FACTOR_FAILED)
    assert row.user == cast.noor and row.outcome == "failed"
    assert row.detail == "second_factor_failed: passkey: invalid_state"


def test_the_passkey_pages_are_reachable_before_the_second_factor(cast, login, settings):
    settings.KOERS_REQUIRE_2FA = True
    client = login(cast.noor)
    assert client.get(reverse("workspace:caseload")).status_code == 302  # the gate is on
    response = client.get(VERIFY, {"next": "/clienten/"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="passkey-verification-button"' in html
    assert '<input type="hidden" id="passkey-next" name="next" value="/clienten/">' in html
    assert '"nextFieldSelector": "#passkey-next"' in html  # not the language form's "next"
    assert client.post(AUTH_BEGIN).status_code == 200  # the ceremony can start


def test_the_passkey_script_needs_no_inline_script(cast, login):
    client = login(cast.noor)
    response = client.get(VERIFY)
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    # The configuration is a JSON data block, not a script; everything that runs is a file.
    assert '<script id="otp_webauthn_config" type="application/json">' in html
    assert '<script type="module" src="/static/django_otp_webauthn/otp_webauthn_auth.js">' in html


def test_an_outside_next_is_dropped(cast, login):
    client = login(cast.noor)
    html = client.get(VERIFY, {"next": "https://evil.example/"}).content.decode()
    assert '<input type="hidden" id="passkey-next" name="next" value="">' in html


def test_enrolment_opens_only_for_the_signed_in_account(cast, rf):
    request = rf.get("/")
    request.session = {}
    request.user = cast.noor
    with pytest.raises(ValueError):
        enrolment.enrolment_open(request, account=cast.gert)
    enrolment.enrolment_open(request, account=cast.noor)
    assert enrolment.enrolment_is_open(request)
    enrolment.enrolment_close(request)
    assert not enrolment.enrolment_is_open(request)
