"""A passkey, end to end, in real Chromium with a virtual authenticator (issue #11).

Chrome DevTools Protocol's WebAuthn domain gives the browser a software authenticator (CTAP2,
built in, with user verification), so the real ceremonies run: django-otp-webauthn's JavaScript
asks the browser, the browser asks the authenticator, the server checks the signature. WebAuthn
needs a secure context; ``http://localhost`` is one, so the live server is reached as localhost
and the relying-party ID is ``localhost``.
"""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from koers.accounts.enrolment import SESSION_KEY
from koers.audit import security

from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def passkey_settings(settings, live_server):
    assert live_server.url.startswith("http://localhost:"), live_server.url
    settings.KOERS_REQUIRE_2FA = True
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    return settings


def add_virtual_authenticator(page) -> tuple:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    answer = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, answer["authenticatorId"]


def open_enrolment_in_browser(page):
    """What an activation code does (koers.accounts.enrolment): open enrolment in this session."""
    (cookie,) = [c for c in page.context.cookies() if c["name"] == "sessionid"]
    session = SessionStore(session_key=cookie["value"])
    session[SESSION_KEY] = time.time() + 600
    session.save()


def events(user, event):
    return security.security_events().filter(user=user, detail__startswith=event).count()


def test_register_a_passkey_and_pass_the_second_factor_with_it(
    cast, new_page, log_in, log_out, problems, passkey_settings
):
    page = new_page()
    cdp, authenticator = add_virtual_authenticator(page)

    log_in(page, "noor")
    expect(page).to_have_url(re.compile(r"/account/tweestaps/instellen/"))  # the second factor is asked for

    # Without enrolment the page says what to do and offers no button.
    page.goto("/account/tweestaps/toegangssleutel/instellen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegangssleutel instellen")
    expect(page.get_by_role("button", name="Toegangssleutel toevoegen")).to_have_count(0)
    expect(page.get_by_text("activeringscode", exact=False)).to_be_visible()

    open_enrolment_in_browser(page)
    page.reload()
    expect(page.get_by_role("button", name="Toegangssleutel toevoegen")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Toegangssleutel toevoegen").click()
    expect(page.locator("#passkey-register-status-message")).to_have_attribute("data-status-enum", "success")
    assert WebAuthnCredential.objects.filter(user=cast.noor, confirmed=True).count() == 1
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1 and credentials[0]["rpId"] == "localhost"
    assert events(cast.noor, security.SECOND_FACTOR_ENROLLED) == 1

    # A new login: the password alone does not open the caseload; the passkey does.
    page.goto("/clienten/")
    log_out(page)
    log_in(page, "noor")
    page.goto("/clienten/")
    expect(page).to_have_url(re.compile(r"/account/tweestaps/"))
    page.get_by_role("link", name="Inloggen met een toegangssleutel (passkey)").click()
    expect(page).to_have_url(re.compile(r"/account/tweestaps/toegangssleutel/\?next=/clienten/$"))
    expect(page.get_by_role("button", name="Toegangssleutel gebruiken")).to_be_visible()
    assert axe_violations(page) == []
    with page.expect_navigation(url=re.compile(r"/clienten/$")):
        page.get_by_role("button", name="Toegangssleutel gebruiken").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert events(cast.noor, security.SECOND_FACTOR_VERIFIED) == 1
    assert events(cast.noor, security.SECOND_FACTOR_FAILED) == 0
    assert problems.csp_violations() == [], problems.csp_violations()
    assert problems.page_errors == []
