"""The SMART authorize page in real Chromium (issue #15): a care professional chooses a person with
the keyboard and allows; the app gets its code. No CSP violations, no script errors, no axe-core
WCAG 2.1 A/AA problems, in Dutch and in English."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from oauth2_provider.models import get_application_model
from playwright.sync_api import expect

from koers.smart.tests.conftest import REDIRECT, authorize_url, pkce

from .test_browser_journeys import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def app(db):
    Application = get_application_model()
    return Application.objects.create(
        name="Dagboek-app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
    )


def test_a_professional_allows_an_app_for_one_person(cast, app, page, log_in, problems):
    _verifier, challenge = pkce()
    log_in(page, "noor")
    page.goto(authorize_url(app, "launch/patient patient/*.read", challenge))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mag de app ‘Dagboek-app’ bij uw gegevens in Koers?")
    assert axe_violations(page) == []
    page.get_by_label("Over welke persoon?").select_option(label="Anna de Boer (" + f"{cast.anna.birth_date:%d-%m-%Y})")
    page.get_by_role("button", name="Toestaan").focus()
    # The app's address does not exist here: the redirect's answer is what counts, not its page.
    with page.expect_response(lambda r: "/o/authorize/" in r.url and r.request.method == "POST") as answer:
        page.keyboard.press("Enter")
    location = answer.value.headers["location"]
    assert location.startswith(REDIRECT) and parse_qs(urlsplit(location).query)["code"]
    assert problems.csp_violations() == [] and problems.page_errors == []


def test_the_page_in_english_is_clean_too(cast, app, page, log_in, problems):
    cast.anna_user.preferred_language = "en"
    cast.anna_user.save()
    _verifier, challenge = pkce()
    log_in(page, "anna")
    page.goto(authorize_url(app, "launch/patient patient/Observation.read offline_access", challenge))
    expect(page.get_by_role("heading", level=1)).to_have_text("May the app ‘Dagboek-app’ use your data in Koers?")
    expect(page.get_by_role("button", name="Deny")).to_be_visible()
    assert axe_violations(page) == []
    assert problems.csp_violations() == [] and problems.page_errors == []
