"""Two-factor authentication (TOTP, django-otp) for everyone.

Codes are computed from the device's key with django_otp's own TOTP, exactly as an
authenticator app would. Binding an app needs an enrolment code from someone else
(``tests/security/test_security_enrolment.py`` covers the codes themselves).
"""

from __future__ import annotations

import base64
import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts import activation

from .helpers import code_for_step, current_code

TWO_FACTOR = reverse("accounts:two_factor")
SETUP = reverse("accounts:two_factor_setup")
CASELOAD = reverse("workspace:caseload")
PASSWORD = "test-wachtwoord-123"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="telefoon", confirmed=True)


def log_in_with_password(client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "password login failed"
    return client


def open_enrolment(client, user, *, by):
    """A colleague (``by``) hands ``user`` an enrolment code; ``user``, signed in, types it."""
    code, _row = activation.activation_issue(actor=by, account=user, purpose="enrolment", channel="in_person")
    response = client.post(reverse("accounts:two_factor_code"), {"code": code})
    assert response.status_code == 302 and urlsplit(response["Location"]).path == SETUP, "enrolment did not open"
    return client


def next_of(location: str) -> str:
    return parse_qs(urlsplit(location).query).get("next", [""])[0]


@pytest.fixture
def frozen_now():
    """A fixed moment in the middle of a 30-second TOTP step, so codes do not roll over mid-test."""
    moment = timezone.now().replace(microsecond=0)
    moment -= dt.timedelta(seconds=moment.second % 30) - dt.timedelta(seconds=10)
    with time_machine.travel(moment, tick=False) as traveller:
        yield traveller


@pytest.mark.django_db
def test_professional_without_a_device_sets_up_the_app_and_confirms_with_a_real_code(
    cast, client, require_2fa, frozen_now
):
    log_in_with_password(client, "noor")

    response = client.get(CASELOAD)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == TWO_FACTOR
    assert next_of(response["Location"]) == CASELOAD

    response = client.get(response["Location"])  # no device yet: to the setup, next carried along
    assert urlsplit(response["Location"]).path == SETUP
    assert next_of(response["Location"]) == CASELOAD

    closed = client.get(response["Location"])  # a password alone binds nothing
    assert "accounts/two_factor_closed.html" in [t.name for t in closed.templates]
    open_enrolment(client, cast.noor, by=cast.gert)

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tweestapsverificatie instellen" in html
    assert '<svg role="img" aria-label="QR-code om Koers aan uw app toe te voegen"' in html
    assert "<?xml" not in html
    device = TOTPDevice.objects.get(user=cast.noor)
    assert device.confirmed is False
    assert "issuer=Koers" in device.config_url
    typed_secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert page.context["secret"].replace(" ", "") == typed_secret  # what apps accept when typed
    assert client.get(f"{SETUP}?next={CASELOAD}").context["secret"] == page.context["secret"]  # same on reload

    response = client.post(f"{SETUP}?next={CASELOAD}", {"token": current_code(device), "next": CASELOAD})
    assert response.status_code == 302
    assert response["Location"] == CASELOAD
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get(CASELOAD).status_code == 200
    assert TOTPDevice.objects.filter(user=cast.noor).count() == 1


@pytest.mark.django_db
def test_a_wrong_code_gives_a_clear_message_and_changes_nothing(cast, client, require_2fa, frozen_now):
    log_in_with_password(client, "noor")
    open_enrolment(client, cast.noor, by=cast.gert)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=cast.noor)
    wrong = code_for_step(device, 20)  # a real code, but from ten minutes away

    response = client.post(SETUP, {"token": wrong})
    assert response.status_code == 200
    assert "Deze code klopt niet. Scan de QR-code opnieuw en probeer het nog eens." in response.content.decode()
    assert 'role="alert"' in response.content.decode()  # the error summary is announced
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get(CASELOAD).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["", "12345", "1234567", "abcdef", "<script>1</script>"])
def test_a_malformed_code_asks_for_six_digits(cast, client, require_2fa, token):
    log_in_with_password(client, "noor")
    confirmed_device(cast.noor)
    response = client.post(TWO_FACTOR, {"token": token})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vul de 6 cijfers uit uw app in." in html
    assert "<script>1</script>" not in html


@pytest.mark.django_db
def test_login_with_a_confirmed_device_asks_for_the_code(cast, client, require_2fa, frozen_now):
    device = confirmed_device(cast.noor)
    log_in_with_password(client, "noor")
    response = client.get(CASELOAD)
    assert urlsplit(response["Location"]).path == TWO_FACTOR
    assert client.get(response["Location"]).status_code == 200
    assert client.get(SETUP)["Location"].startswith(TWO_FACTOR)  # no second app without the first

    wrong = client.post(TWO_FACTOR, {"token": code_for_step(device, 20), "next": CASELOAD})
    assert "Deze code klopt niet. Probeer het opnieuw met de nieuwste code uit uw app." in wrong.content.decode()

    frozen_now.shift(dt.timedelta(seconds=2))  # django-otp waits 1 s after one failure
    code = current_code(device)
    response = client.post(TWO_FACTOR, {"token": f"{code[:3]} {code[3:]}", "next": CASELOAD})  # as apps show it
    assert response["Location"] == CASELOAD
    assert client.get(CASELOAD).status_code == 200


@pytest.mark.django_db
def test_repeated_wrong_codes_are_slowed_down_with_a_message(cast, client, require_2fa, frozen_now):
    device = confirmed_device(cast.noor)
    log_in_with_password(client, "noor")
    for _ in range(3):
        client.post(TWO_FACTOR, {"token": code_for_step(device, 20)})
    response = client.post(TWO_FACTOR, {"token": current_code(device)})  # right code, but too soon
    assert response.status_code == 200
    assert "U heeft te vaak een verkeerde code ingevuld" in response.content.decode()
    assert client.get(CASELOAD).status_code == 302

    frozen_now.shift(dt.timedelta(seconds=10))
    response = client.post(TWO_FACTOR, {"token": current_code(device)})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(cast, client, require_2fa, frozen_now):
    device = confirmed_device(cast.noor)
    code = current_code(device)
    log_in_with_password(client, "noor")
    assert client.post(TWO_FACTOR, {"token": code}).status_code == 302

    other = log_in_with_password(type(client)(), "noor")  # someone who watched the code being typed
    response = other.post(TWO_FACTOR, {"token": code})
    assert response.status_code == 200
    assert other.get(CASELOAD).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_next_after_the_code_stays_on_site(cast, client, require_2fa, frozen_now, target):
    device = confirmed_device(cast.noor)
    log_in_with_password(client, "noor")
    response = client.post(f"{TWO_FACTOR}?next={target}", {"token": current_code(device), "next": target})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_every_page_needs_the_second_factor_for_staff(cast, client, require_2fa):
    from tests.support.testing import make_full_record

    make_full_record(cast.anna, professional=cast.noor)
    pages = [
        "/",
        CASELOAD,
        f"{CASELOAD}?q=Anna&aandacht=1",
        reverse("workspace:person", args=[cast.anna.pk]),
        reverse("accounts:password_change"),
        "/beheer/",
        "/pagina-die-niet-bestaat/",
    ]
    for user in (cast.noor, cast.mia, cast.ada):
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 302, f"{user} reached {url} without a second factor"
            assert urlsplit(response["Location"]).path == TWO_FACTOR
            assert next_of(response["Location"]) == url
        response = client.post(reverse("workspace:caseload"))
        assert response.status_code == 302 and response["Location"].startswith(TWO_FACTOR)


@pytest.mark.django_db
def test_what_staff_may_reach_before_the_second_factor(cast, client, require_2fa):
    client.force_login(cast.noor)
    assert client.get(TWO_FACTOR).status_code == 302  # to the setup: no device yet
    assert client.get(SETUP).status_code == 200
    assert client.get(reverse("health")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "en", "next": SETUP}).status_code == 302
    assert client.post(reverse("accounts:logout")).status_code == 302


@pytest.mark.django_db
def test_htmx_requests_are_sent_to_the_code_page_as_a_whole(cast, client, require_2fa):
    client.force_login(cast.noor)
    response = client.get(CASELOAD, {"q": "Anna"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert urlsplit(response["HX-Redirect"]).path == TWO_FACTOR


@pytest.mark.django_db
def test_people_and_relatives_are_asked_for_a_second_factor_too(cast, client, require_2fa):
    """Issue #11: a person reads their record only with a second factor (eIDAS "substantieel")."""
    from tests.support.testing import make_full_record

    make_full_record(cast.anna, professional=cast.noor)
    for user, pages in (
        (cast.anna_user, [reverse("workspace:portal_home"), reverse("workspace:portal_log"), "/"]),
        (cast.rob, ["/"]),
    ):
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 302, f"{user} reached {url} without a second factor"
            assert urlsplit(response["Location"]).path == TWO_FACTOR


@pytest.mark.django_db
def test_a_person_binds_an_app_with_a_code_from_the_care_team_and_then_reads_their_record(
    cast, client, require_2fa, frozen_now
):
    log_in_with_password(client, "anna")
    open_enrolment(client, cast.anna_user, by=cast.noor)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=cast.anna_user)
    response = client.post(SETUP, {"token": current_code(device)})
    assert response.status_code == 302
    assert client.get(reverse("workspace:portal_home")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["anna", "noor", "rob"])
def test_whoever_set_up_an_app_is_asked_for_it_even_when_not_required(cast, client, settings, frozen_now, username):
    """Issue #11: "a client who set up an authenticator is never asked for it"."""
    settings.KOERS_REQUIRE_2FA = False
    user = {"anna": cast.anna_user, "noor": cast.noor, "rob": cast.rob}[username]
    device = confirmed_device(user)
    log_in_with_password(client, username)
    response = client.get("/")
    assert response.status_code == 302 and urlsplit(response["Location"]).path == TWO_FACTOR
    response = client.post(TWO_FACTOR, {"token": current_code(device), "next": "/"})
    assert response["Location"] == "/"
    assert client.get("/").status_code in (200, 302)
    assert not client.get("/").get("Location", "").startswith(TWO_FACTOR)


@pytest.mark.django_db
def test_without_the_requirement_professionals_go_straight_in(cast, client, settings):
    settings.KOERS_REQUIRE_2FA = False
    client.force_login(cast.noor)
    assert client.get(CASELOAD).status_code == 200


@pytest.mark.django_db
def test_someone_with_another_kind_of_factor_is_asked_for_it_not_sent_to_bind_an_app(cast, client, require_2fa):
    """A passkey (or any other django-otp device) counts as a factor: no detour to the app setup."""
    from django_otp.plugins.otp_static.models import StaticDevice

    StaticDevice.objects.create(user=cast.noor, name="ander", confirmed=True)
    log_in_with_password(client, "noor")
    response = client.get(TWO_FACTOR)
    assert response.status_code == 200
    assert response.context["form"] is None
    assert client.get(CASELOAD).status_code == 302
