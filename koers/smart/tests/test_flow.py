"""The authorization code flow with PKCE, as a verified professional and as a person (issue #15)."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from koers.audit import security
from koers.smart.grants import grant_from_bearer
from koers.smart.tests.conftest import authorize_url, code_from, exchange, form_data, pkce
from tests.support.testing import verified
from tests.test_url_access import share_everything

pytestmark = pytest.mark.django_db


class Bearer:
    def __init__(self, token):
        self.headers = {"Authorization": f"Bearer {token}"}


def test_a_professional_chooses_a_person_of_their_care_team_and_the_token_says_so(cast, client, app):
    verifier, challenge = pkce()
    verified(client, cast.noor)
    page = client.get(authorize_url(app, "launch/patient patient/*.read", challenge))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dagboek-app" in html and "alleen van de gekozen persoon" in html and "10 minuten" in html
    choices = [value for value, _label in page.context["form"].fields["patient"].choices if value]
    assert cast.anna.pk in choices and cast.bas.pk in choices
    response = client.post(page.request["PATH_INFO"], form_data(page, allow="ja", patient=cast.anna.pk))
    code = code_from(response)
    token = exchange(Client(), app, code, verifier)
    assert token.status_code == 200, token.content
    body = token.json()
    assert body["patient"] == str(cast.anna.pk)
    assert body["scope"] == "launch/patient patient/*.read"
    assert "refresh_token" not in body  # no offline_access asked
    assert body["expires_in"] == 600
    grant = grant_from_bearer(Bearer(body["access_token"]))
    assert grant.user == cast.noor and grant.patient_id == cast.anna.pk and grant.system is None
    assert grant.allows("Observation", "read") and not grant.allows("Observation", "write")
    assert security.security_events().filter(detail__startswith="token_issued", object_id=str(cast.noor.pk)).exists()


def test_a_professional_cannot_choose_a_person_outside_their_care_team(cast, client, app):
    _verifier, challenge = pkce()
    verified(client, cast.cor)
    page = client.get(authorize_url(app, "launch/patient patient/*.read", challenge))
    assert cast.anna.pk not in [v for v, _l in page.context["form"].fields["patient"].choices]
    response = client.post(page.request["PATH_INFO"], form_data(page, allow="ja", patient=cast.anna.pk))
    assert response.status_code == 200  # the page again, with the error; no code
    assert response.context["form"].errors["patient"]


def test_a_person_gets_their_own_person_and_a_refresh_token_with_offline_access(cast, client, app):
    verifier, challenge = pkce()
    verified(client, cast.anna_user)
    page = client.get(authorize_url(app, "launch/patient patient/*.read offline_access", challenge))
    assert page.status_code == 200
    assert "uw eigen gegevens" in page.content.decode()
    assert 'name="patient"' not in page.content.decode()  # nothing to choose
    code = code_from(client.post(page.request["PATH_INFO"], form_data(page, allow="ja")))
    body = exchange(Client(), app, code, verifier).json()
    assert body["patient"] == str(cast.anna.pk)
    assert body["refresh_token"]
    refreshed = (
        Client()
        .post(
            reverse("oauth2_provider:token"),
            {"grant_type": "refresh_token", "refresh_token": body["refresh_token"], "client_id": app.client_id},
        )
        .json()
    )
    assert refreshed["patient"] == str(cast.anna.pk)
    assert grant_from_bearer(Bearer(body["access_token"])) is None  # the old access token is gone
    assert grant_from_bearer(Bearer(refreshed["access_token"])).patient_id == cast.anna.pk


def test_deny_sends_the_app_away_with_access_denied_and_is_logged(cast, client, app):
    _verifier, challenge = pkce()
    verified(client, cast.anna_user)
    page = client.get(authorize_url(app, "patient/*.read", challenge))
    response = client.post(page.request["PATH_INFO"], form_data(page))  # Weigeren: no allow
    assert response.status_code == 302 and "error=access_denied" in response["Location"]
    assert security.security_events().filter(detail__startswith="authorize_denied").count() == 1


@pytest.mark.parametrize(
    ("challenge_kind", "method"),
    [("none", None), ("plain", "plain"), ("s256", None)],
    ids=["none", "plain", "nomethod"],
)
def test_authorize_without_s256_pkce_is_refused(cast, client, app, challenge_kind, method):
    verifier, challenge = pkce()
    verified(client, cast.noor)
    sent = {"none": None, "plain": verifier, "s256": challenge}[challenge_kind]
    response = client.get(authorize_url(app, "user/*.read", sent, method=method))
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "error=" in response["Location"] and "code=" not in response["Location"]


def test_a_wrong_code_verifier_is_refused_and_logged(cast, client, app):
    _verifier, challenge = pkce()
    verified(client, cast.noor)
    page = client.get(authorize_url(app, "user/*.read", challenge))
    code = code_from(client.post(page.request["PATH_INFO"], form_data(page, allow="ja")))
    wrong, _c = pkce()
    assert exchange(Client(), app, code, wrong).status_code == 400
    assert exchange(Client(), app, code, None).status_code == 400
    assert security.security_events().filter(detail__startswith="token_refused").count() == 2


def test_an_unknown_scope_is_refused_before_the_page(cast, client, app):
    _verifier, challenge = pkce()
    verified(client, cast.noor)
    for scope in ("user/*.delete", "system/*.read", "patient/*.write", "user/Unknown.read"):
        response = client.get(authorize_url(app, scope, challenge))
        assert response.status_code == 302 and "error=invalid_scope" in response["Location"], scope


@override_settings(KOERS_REQUIRE_2FA=True)
def test_the_authorize_page_asks_for_the_second_factor_first(cast, client, app):
    _verifier, challenge = pkce()
    client.force_login(cast.noor)
    response = client.get(authorize_url(app, "user/*.read", challenge))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:two_factor"))


def test_the_authorize_page_asks_for_login_first(app):
    _verifier, challenge = pkce()
    response = Client().get(authorize_url(app, "user/*.read", challenge))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_authorize_page_in_english(cast, client, app):
    _verifier, challenge = pkce()
    verified(client, cast.anna_user)
    cast.anna_user.preferred_language = "en"
    cast.anna_user.save()
    page = client.get(
        authorize_url(app, "patient/Observation.read offline_access", challenge), HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert "May the app ‘Dagboek-app’ use your data in Koers?" in html
    assert "Allow" in html and "Deny" in html


def test_an_unknown_app_gets_a_plain_error_page_and_no_redirect(cast, client, app):
    _verifier, challenge = pkce()
    verified(client, cast.anna_user)
    url = authorize_url(app, "patient/*.read", challenge).replace(app.client_id, "nobody")
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Aanvraag van een app klopt niet" in html and "Er is niets gedeeld" in html
    assert "<script" not in html.split("<main", 1)[-1]


def test_a_relative_chooses_only_a_person_who_shares_with_them(cast, client, app):
    _verifier, challenge = pkce()
    verified(client, cast.rob)
    page = client.get(authorize_url(app, "launch/patient patient/*.read", challenge))
    assert [v for v, _l in page.context["form"].fields["patient"].choices if v] == []
    share_everything(cast.anna, cast.rob)
    page = client.get(authorize_url(app, "launch/patient patient/*.read", challenge))
    assert [v for v, _l in page.context["form"].fields["patient"].choices if v] == [cast.anna.pk]


def test_the_page_lets_its_form_redirect_to_the_app_and_nowhere_else(cast, client, app):
    """The browser checks the redirect after Toestaan against the page's CSP form-action."""
    _verifier, challenge = pkce()
    verified(client, cast.noor)
    page = client.get(authorize_url(app, "user/*.read", challenge))
    policy = page["Content-Security-Policy"]
    form_action = next(d for d in policy.split(";") if d.strip().startswith("form-action"))
    assert form_action.split()[1:] == ["'self'", "https://app.example"]


def test_an_app_cannot_skip_the_page(cast, client, app):
    verifier, challenge = pkce()
    verified(client, cast.noor)
    page = client.get(authorize_url(app, "user/*.read", challenge))
    code = code_from(client.post(page.request["PATH_INFO"], form_data(page, allow="ja")))
    assert exchange(Client(), app, code, verifier).status_code == 200  # a valid token for this app now
    again = client.get(authorize_url(app, "user/*.read", challenge) + "&approval_prompt=auto")
    assert again.status_code == 200 and "Toestaan" in again.content.decode()
