"""Activation codes and enrolment out of band (issue #11).

A code is single use, expires, is revoked by a newer one, is throttled per session and per
account, and a wrong code answers exactly like a code of an unknown account. Binding a second
factor needs an open enrolment from a redeemed code; a reset code removes the old factors.
Every issue, use, bind, failure and reset is a security event.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts import activation
from koers.accounts.models import ActivationCode, User
from koers.audit import security
from koers.people import services as people_services

from .helpers import current_code

ACTIVATE = reverse("accounts:activate")
CODE_PAGE = reverse("accounts:two_factor_code")
SETUP = reverse("accounts:two_factor_setup")
TWO_FACTOR = reverse("accounts:two_factor")
PASSWORD = "test-wachtwoord-123"
NEW_PASSWORD = "een-eigen-Wachtwoord-42"


def register_with_account(actor, username="dirk.visser", channel="letter", **extra):
    person, (code, row) = people_services.person_register(
        actor=actor,
        given_name="Dirk",
        family_name="Visser",
        birth_date=dt.date(1950, 2, 3),
        username=username,
        channel=channel,
        **extra,
    )
    return person, code, row


def activate(client, username, code, password=NEW_PASSWORD, second=None):
    data = {"username": username, "code": code, "new_password1": password, "new_password2": second or password}
    return client.post(ACTIVATE, data)


def main_part(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def events(name, **filters):
    return security.security_events().filter(detail__startswith=name, **filters)


def log_in(client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def frozen_now():
    moment = timezone.now().replace(microsecond=0)
    moment -= dt.timedelta(seconds=moment.second % 30) - dt.timedelta(seconds=10)
    with time_machine.travel(moment, tick=False) as traveller:
        yield traveller


# --- the code itself ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_code_is_typable_random_and_stored_only_as_a_hash(cast):
    _person, code, row = register_with_account(cast.noor)
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}", code)
    plain = code.replace("-", "")
    assert plain not in row.code_hash and len(row.code_hash) == 64
    assert row.code_hash == activation.code_hash(code.lower().replace("-", " "))  # typed sloppily: same code
    other = activation.activation_issue(actor=cast.gert, account=cast.noor, purpose="enrolment", channel="letter")[0]
    assert other != code
    lifetime = row.expires_at - row.created_at
    assert abs(lifetime - dt.timedelta(days=settings.KOERS_ACTIVATION_DAYS["letter"])) < dt.timedelta(seconds=5)


@pytest.mark.django_db
def test_the_person_activates_with_the_code_chooses_a_password_and_binds_an_app(cast, client, frozen_now):
    person, code, _row = register_with_account(cast.noor)
    account = person.user
    link = reverse("accounts:activate_link", args=[code.replace("-", "")])
    page = client.get(link)
    assert page.status_code == 200 and code in page.content.decode()  # the link fills in the code
    assert ActivationCode.objects.get(account=account).used_at is None  # a GET uses nothing (mail scanners)

    response = activate(client, "Dirk.Visser", code)
    assert response.status_code == 302 and response["Location"] == SETUP
    account.refresh_from_db()
    assert account.check_password(NEW_PASSWORD)
    assert ActivationCode.objects.get(account=account).used_at is not None
    assert int(client.session["_auth_user_id"]) == account.pk

    setup = client.get(SETUP)  # the enrolment is open: the QR code is shown
    assert "qr_svg" in setup.context
    device = TOTPDevice.objects.get(user=account)
    assert client.post(SETUP, {"token": current_code(device)}).status_code == 302
    assert events(security.SECOND_FACTOR_ENROLLED, object_id=str(account.pk)).count() == 1
    assert events(security.ACTIVATION_USED, object_id=str(account.pk), outcome="success").count() == 1
    assert "koers_enrolment_until" not in client.session  # closed once bound


@pytest.mark.django_db
def test_a_code_works_once(cast, client):
    _person, code, _row = register_with_account(cast.noor)
    assert activate(client, "dirk.visser", code).status_code == 302
    again = activate(Client(), "dirk.visser", code, password="nog-een-Ander-wachtwoord-7")
    assert again.status_code == 200
    assert "Deze code is al gebruikt of vervangen" in again.content.decode()


@pytest.mark.django_db
def test_a_code_expires(cast, client):
    _person, code, row = register_with_account(cast.noor, channel="in_person")
    with time_machine.travel(row.expires_at + dt.timedelta(seconds=1), tick=False):
        response = activate(client, "dirk.visser", code)
    assert response.status_code == 200
    assert "Deze code is verlopen" in response.content.decode()
    row.refresh_from_db()
    assert row.used_at is None and not row.account.has_usable_password()


@pytest.mark.django_db
def test_a_new_code_revokes_the_older_one(cast, client):
    person, old, _row = register_with_account(cast.noor)
    new, _new_row = activation.activation_issue(
        actor=cast.noor, account=person.user, purpose="activation", channel="in_person"
    )
    response = activate(client, "dirk.visser", old)
    assert "Deze code is al gebruikt of vervangen" in response.content.decode()
    assert activate(client, "dirk.visser", new).status_code == 302


@pytest.mark.django_db
def test_a_weak_password_is_refused_and_the_code_stays_usable(cast, client):
    _person, code, row = register_with_account(cast.noor)
    response = activate(client, "dirk.visser", code, password="12345678")
    assert response.status_code == 200
    assert 'id="id_new_password1_error"' in response.content.decode()
    row.refresh_from_db()
    assert row.used_at is None
    mismatch = activate(client, "dirk.visser", code, second="iets-anders-Heel-anders-9")
    assert "De twee wachtwoorden zijn niet hetzelfde" in mismatch.content.decode()
    assert activate(client, "dirk.visser", code).status_code == 302


@pytest.mark.django_db
def test_a_wrong_code_and_an_unknown_account_get_the_same_answer(cast):
    _person, code, _row = register_with_account(cast.noor)
    wrong = "ABCD-EFGH-JKLM" if code != "ABCD-EFGH-JKLM" else "MLKJ-HGFE-DCBA"
    wrong_code = activate(Client(), "dirk.visser", wrong)
    unknown_user = activate(Client(), "niemand.bekend", wrong)
    right_code_other_user = activate(Client(), "anna", code)
    assert wrong_code.status_code == unknown_user.status_code == right_code_other_user.status_code == 200
    expected = main_part(wrong_code)
    assert main_part(unknown_user).replace("niemand.bekend", "dirk.visser") == expected
    assert main_part(right_code_other_user).replace("anna", "dirk.visser").replace(code, wrong) == expected
    assert "Deze gebruikersnaam en deze code horen niet bij elkaar" in expected
    assert events(security.ACTIVATION_USED, outcome="refused").count() == 3


@pytest.mark.django_db
def test_wrong_codes_are_throttled_per_session(cast, client, settings):
    _person, code, _row = register_with_account(cast.noor)
    for number in range(settings.KOERS_ACTIVATION_FAILURE_LIMIT):
        activate(client, f"iemand{number}", "ABCD-EFGH-JKLM")  # spread over names: the session counts
    response = activate(client, "dirk.visser", code)  # even the right code is refused now
    assert "U heeft te vaak een verkeerde code ingevuld" in response.content.decode()
    later = timezone.now() + dt.timedelta(minutes=settings.KOERS_ACTIVATION_COOLOFF_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        assert activate(client, "dirk.visser", code).status_code == 302


@pytest.mark.django_db
def test_wrong_codes_for_one_account_from_many_sessions_kill_its_code(cast, settings):
    _person, code, row = register_with_account(cast.noor)
    for _attempt in range(settings.KOERS_ACTIVATION_FAILURE_LIMIT):
        activate(Client(), "dirk.visser", "ABCD-EFGH-JKLM")
    row.refresh_from_db()
    assert row.failures == settings.KOERS_ACTIVATION_FAILURE_LIMIT
    response = activate(Client(), "dirk.visser", code)
    assert "Deze gebruikersnaam en deze code horen niet bij elkaar" in response.content.decode()
    assert not row.account.has_usable_password()


# --- enrolment out of band -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_setup_page_binds_nothing_and_shows_no_secret_without_an_open_enrolment(cast, client, require_2fa):
    log_in(client, "noor")
    page = client.get(SETUP)
    assert page.status_code == 200
    html = page.content.decode()
    assert "accounts/two_factor_closed.html" in [t.name for t in page.templates]
    assert "<svg" not in html and "otpauth" not in html and "secret" not in page.context
    assert "Vraag een collega of de beheerder" in html
    assert not TOTPDevice.objects.filter(user=cast.noor).exists()
    posted = client.post(SETUP, {"token": "123456"})
    assert "accounts/two_factor_closed.html" in [t.name for t in posted.templates]
    assert not TOTPDevice.objects.filter(user=cast.noor).exists()


@pytest.mark.django_db
def test_an_enrolment_is_for_one_account_and_closes_after_fifteen_minutes(cast, client, require_2fa):
    code, _row = activation.activation_issue(actor=cast.gert, account=cast.noor, purpose="enrolment", channel="letter")
    cor = log_in(Client(), "cor")
    response = cor.post(CODE_PAGE, {"code": code})  # Cor cannot use Noor's code
    assert "Deze gebruikersnaam en deze code horen niet bij elkaar" in response.content.decode()

    log_in(client, "noor")
    response = client.post(CODE_PAGE, {"code": code})
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == SETUP
    assert "qr_svg" in client.get(SETUP).context
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=16), tick=False):
        assert "accounts/two_factor_closed.html" in [t.name for t in client.get(SETUP).templates]


@pytest.mark.django_db
def test_an_activation_code_does_not_open_an_enrolment_for_a_signed_in_user(cast, client):
    person, code, _row = register_with_account(cast.noor)
    person.user.set_password(PASSWORD)
    person.user.save()
    log_in(client, "dirk.visser")
    response = client.post(CODE_PAGE, {"code": code})
    assert response.status_code == 200
    assert "accounts/two_factor_closed.html" in [t.name for t in client.get(SETUP).templates]


@pytest.mark.django_db
def test_a_lost_phone_is_reset_with_a_code_from_a_colleague(cast, client, require_2fa, frozen_now):
    old = TOTPDevice.objects.create(user=cast.noor, name="oude telefoon", confirmed=True)
    code, _row = activation.activation_issue(actor=cast.gert, account=cast.noor, purpose="reset", channel="in_person")
    log_in(client, "noor")
    assert urlsplit(client.get("/")["Location"]).path == TWO_FACTOR
    assert CODE_PAGE in client.get(TWO_FACTOR).content.decode()  # "lost your phone? I have a code"

    response = client.post(CODE_PAGE, {"code": code})
    assert response["Location"] == SETUP
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert events(security.SECOND_FACTOR_RESET, object_id=str(cast.noor.pk), user=cast.noor).count() == 1
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=cast.noor)
    assert client.post(SETUP, {"token": current_code(device)}).status_code == 302
    assert client.get(reverse("workspace:caseload")).status_code == 200


@pytest.mark.django_db
def test_a_wrong_authenticator_code_is_a_security_event(cast, client, require_2fa, frozen_now):
    TOTPDevice.objects.create(user=cast.noor, name="telefoon", confirmed=True)
    log_in(client, "noor")
    client.post(TWO_FACTOR, {"token": "000000"})
    assert events(security.SECOND_FACTOR_FAILED, user=cast.noor, outcome="failed").count() == 1


# --- who hands out codes -------------------------------------------------------------------------


@pytest.mark.django_db
def test_nobody_issues_a_code_for_themself_or_outside_their_organisation(cast):
    for actor, account in (
        (cast.noor, cast.noor),
        (cast.sam, cast.noor),  # another organisation
        (cast.pieter, cast.gert),
        (cast.anna_user, cast.noor),
        (cast.rob, cast.anna_user),
        (cast.ada, cast.anna_user),  # the administrator holds no person's account
        (cast.mia, cast.anna_user),  # a manager is not in a care team
    ):
        with pytest.raises(activation.IssueRefused):
            activation.activation_issue(actor=actor, account=account, purpose="enrolment", channel="letter")
    assert not ActivationCode.objects.exists()


@pytest.mark.django_db
def test_an_activation_code_never_replaces_the_password_of_an_account_in_use(cast, client):
    """An activation code sets a password: for an account someone uses, that would be a takeover."""
    for actor, account in ((cast.gert, cast.noor), (cast.noor, cast.anna_user)):
        with pytest.raises(activation.IssueRefused):
            activation.activation_issue(actor=actor, account=account, purpose="activation", channel="in_person")
    person, code, _row = register_with_account(cast.noor)
    person.user.set_password(PASSWORD)  # say an administrator set one in the meantime
    person.user.save()
    response = activate(client, "dirk.visser", code)
    assert "Deze code is al gebruikt of vervangen" in response.content.decode()
    person.user.refresh_from_db()
    assert person.user.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_colleague_issues_a_code_on_the_colleagues_page(cast, client):
    client.force_login(cast.gert)
    listing = client.get(reverse("accounts:colleagues")).content.decode()
    assert "noor" in listing and "gert" not in listing.split("<tbody>")[1] and "pieter" not in listing
    url = reverse("accounts:colleague_code", args=[cast.noor.pk])
    response = client.post(url, {"purpose": "reset", "channel": "in_person"})
    assert response.status_code == 200
    code = response.context["code"]
    assert code and code in response.content.decode()
    row = ActivationCode.objects.get(account=cast.noor)
    assert row.issued_by == cast.gert and row.purpose == "reset"
    assert events(security.ACTIVATION_ISSUED, user=cast.gert, object_id=str(cast.noor.pk)).count() == 1

    client.force_login(cast.sam)  # another organisation: as if Noor did not exist
    assert client.get(url).status_code == 404
    assert client.post(url, {"purpose": "reset", "channel": "in_person"}).status_code == 404
    client.force_login(cast.noor)
    assert client.get(reverse("accounts:colleague_code", args=[cast.noor.pk])).status_code == 404
    client.force_login(cast.anna_user)
    assert client.get(reverse("accounts:colleagues")).status_code == 404
    assert ActivationCode.objects.count() == 1


@pytest.mark.django_db
def test_the_care_team_hands_a_person_a_new_code_and_never_sees_a_password(cast, client):
    client.force_login(cast.noor)
    url = reverse("people:portal_code", args=[cast.anna.pk])
    page = client.get(url)
    assert page.status_code == 200 and "anna" in page.content.decode()
    response = client.post(url, {"purpose": "enrolment", "channel": "letter"})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["code"] in html and "Uw code voor Koers" in html
    assert "wachtwoord:" not in html.lower()
    row = ActivationCode.objects.get(account=cast.anna_user)
    assert row.purpose == "enrolment" and row.issued_by == cast.noor

    client.force_login(cast.sam)
    assert client.post(url, {"purpose": "reset", "channel": "letter"}).status_code == 404
    assert ActivationCode.objects.count() == 1


@pytest.mark.django_db
def test_registering_in_person_shows_the_code_but_no_password(cast, client):
    client.force_login(cast.noor)
    data = {"given_name": "Dirk", "family_name": "Visser", "birth_date": "1950-02-03", "gender": "male"}
    data |= {"portal_account": "on", "username": "dirk.visser", "channel": "in_person"}
    response = client.post(reverse("people:register"), data)
    html = response.content.decode()
    assert "Geef deze code persoonlijk door" in html
    assert "wachtwoord:" not in html.lower()
    assert not ActivationCode.objects.get(account__username="dirk.visser").account.has_usable_password()


@pytest.mark.django_db
def test_the_new_pages_carry_the_headers_and_no_inline_code(cast, client):
    from .test_security_headers import assert_nothing_csp_would_block, assert_safe_headers

    _person, code, _row = register_with_account(cast.noor)
    pages = [client.get(ACTIVATE), client.get(reverse("accounts:activate_link", args=[code.replace("-", "")]))]
    client.force_login(cast.gert)
    pages += [
        client.get(SETUP),
        client.get(CODE_PAGE),
        client.get(reverse("accounts:colleagues")),
        client.get(reverse("accounts:colleague_code", args=[cast.noor.pk])),
        client.post(reverse("accounts:colleague_code", args=[cast.noor.pk]), {"purpose": "reset", "channel": "letter"}),
    ]
    client.force_login(cast.noor)
    pages.append(client.get(reverse("people:portal_code", args=[cast.anna.pk])))
    for response in pages:
        assert response.status_code == 200, response.wsgi_request.path
        assert_safe_headers(response)
        assert_nothing_csp_would_block(response)


@pytest.mark.django_db
def test_an_e_mail_that_cannot_be_sent_says_so_and_shows_no_code(cast, client, monkeypatch):
    import smtplib

    def refuse(*args, **kwargs):
        raise smtplib.SMTPException("no server")

    monkeypatch.setattr(activation, "send_mail", refuse)
    cast.noor.email = "noor@example.org"
    cast.noor.save()
    client.force_login(cast.gert)
    url = reverse("accounts:colleague_code", args=[cast.noor.pk])
    response = client.post(url, {"purpose": "enrolment", "channel": "email"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "De e-mail kon niet worden verstuurd" in html and 'role="alert"' in html
    assert not re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", html)


@pytest.mark.django_db
def test_an_administrator_sees_every_colleague_with_their_organisation(cast, client):
    """Bram (beheerder, no organisation of his own) read "Collega's van uw organisatie" above every
    professional of every organisation, with no way to tell Noor's practice from Sam's team. An
    administrator's list says it holds everyone and names each one's organisation."""
    admin = User.objects.create_superuser("bram", "bram@example.org", "x-long-enough-password")
    client.force_login(admin)
    page = client.get(reverse("accounts:colleagues")).content.decode()
    assert "van uw organisatie" not in page
    assert "Alle zorgverleners en managers" in page
    rows = page.split("<tbody>")[1]
    for account in (cast.noor, cast.sam):
        assert account.organisation.name in rows
    client.force_login(cast.gert)  # a colleague: only their own organisation, no column
    assert "van uw organisatie" in client.get(reverse("accounts:colleagues")).content.decode()
