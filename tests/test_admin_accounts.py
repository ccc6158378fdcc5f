"""No back doors for administrators (issue #11): the admin shows staff accounts only, never
sets a person's password, and a password it sets must be replaced by its user at first login."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.models import User
from koers.audit.security import ADMIN_ACTION, PASSWORD_RESET_REQUESTED, security_events
from tests.security.test_security_login import PASSWORD, attempt

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "door-de-beheerder-gekozen-77"


@pytest.fixture
def admin_client(cast, client):
    client.force_login(cast.ada)
    return client


def change_url(user) -> str:
    return reverse("admin:accounts_user_change", args=[user.pk])


def page_url(page, user) -> str:
    name = "admin:auth_user_password_change" if page == "password_change" else f"admin:accounts_user_{page}"
    return reverse(name, args=[user.pk])


def test_person_and_relative_accounts_are_not_in_the_list_or_the_search(cast, admin_client):
    listing = admin_client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert change_url(cast.noor) in listing
    for hidden in (cast.anna_user, cast.bas_user, cast.rob):
        assert change_url(hidden) not in listing
    for term in ("anna", "de Boer", "Rob"):
        found = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": term}).content.decode()
        assert change_url(cast.anna_user) not in found and change_url(cast.rob) not in found
    filtered = admin_client.get(reverse("admin:accounts_user_changelist"), {"role__exact": "person"})
    assert change_url(cast.anna_user) not in filtered.content.decode()


@pytest.mark.parametrize("page", ["change", "password_change", "delete", "history"])
def test_the_pages_of_a_person_or_relative_account_answer_not_found(cast, admin_client, page):
    for hidden in (cast.anna_user, cast.rob):
        response = admin_client.get(page_url(page, hidden))
        assert response.status_code == 404, f"{page} of {hidden.role}"
        # As a word: "rob" is also in every page's "probeer" (base.html's htmx texts).
        assert not re.search(rf"\b{re.escape(hidden.username)}\b", response.content.decode()), hidden.username
    assert admin_client.get(page_url(page, cast.noor)).status_code == 200


def test_an_administrator_cannot_set_a_persons_password(cast, admin_client):
    before = cast.anna_user.password
    url = reverse("admin:auth_user_password_change", args=[cast.anna_user.pk])
    response = admin_client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 404
    cast.anna_user.refresh_from_db()
    assert cast.anna_user.password == before


def test_the_admin_offers_staff_roles_only(cast, admin_client):
    page = admin_client.get(reverse("admin:accounts_user_add")).content.decode()
    assert 'value="professional"' in page and 'value="administrator"' in page
    assert 'value="person"' not in page and 'value="relative"' not in page
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {"username": "nieuw", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "role": "person"},
    )
    assert response.status_code == 200  # the form is shown again with an error
    assert not User.objects.filter(username="nieuw").exists()


def test_a_password_an_administrator_set_is_replaced_at_first_login(cast, admin_client):
    url = reverse("admin:auth_user_password_change", args=[cast.noor.pk])
    response = admin_client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302
    cast.noor.refresh_from_db()
    assert cast.noor.must_change_password

    noor = Client()
    assert attempt(noor, "noor", NEW_PASSWORD).status_code == 302
    change = reverse("accounts:password_change")
    for page in (reverse("workspace:caseload"), "/", reverse("admin:index")):
        assert noor.get(page)["Location"] == change
    assert noor.get(reverse("workspace:caseload"), HTTP_HX_REQUEST="true")["HX-Redirect"] == change
    shown = noor.get(change)
    assert shown.status_code == 200
    assert "Een beheerder heeft uw wachtwoord ingesteld." in shown.content.decode()
    assert noor.get(reverse("health")).status_code == 200

    own = "mijn-eigen-wachtwoord-2026"
    noor.post(change, {"old_password": NEW_PASSWORD, "new_password1": own, "new_password2": own})
    cast.noor.refresh_from_db()
    assert not cast.noor.must_change_password
    assert noor.get(reverse("workspace:caseload")).status_code == 200


def test_an_account_the_administrator_creates_with_a_password_must_change_it(cast, admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nieuwe-collega",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
            "role": "professional",
            "organisation": cast.gp_practice.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="nieuwe-collega").must_change_password


def test_an_administrator_changing_their_own_password_is_not_forced_again(cast, admin_client):
    url = reverse("admin:auth_user_password_change", args=[cast.ada.pk])
    admin_client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    cast.ada.refresh_from_db()
    assert cast.ada.check_password(NEW_PASSWORD) and not cast.ada.must_change_password


def test_the_admin_sends_a_reset_link_instead_of_choosing_a_password(cast, admin_client):
    cast.noor.email = "noor@example.nl"
    cast.noor.save(update_fields=["email"])
    before = cast.noor.password
    response = admin_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "send_password_reset", "_selected_action": [cast.noor.pk, cast.gert.pk]},
        follow=True,
    )
    assert "1 link verstuurd." in response.content.decode()
    assert "1 account zonder e-mailadres of wachtwoord overgeslagen." in response.content.decode()
    assert [message.to for message in mail.outbox] == [["noor@example.nl"]]
    assert "/account/wachtwoord-herstellen/" in mail.outbox[0].body
    cast.noor.refresh_from_db()
    assert cast.noor.password == before and not cast.noor.must_change_password
    rows = security_events().filter(user=cast.ada, object_id=str(cast.noor.pk))
    assert {row.detail for row in rows} >= {
        f"{PASSWORD_RESET_REQUESTED}: by administrator",
        f"{ADMIN_ACTION}: send password reset",
    }


def test_a_persons_authenticator_is_not_listed_and_its_page_is_not_found(cast, admin_client):
    theirs = TOTPDevice.objects.create(user=cast.anna_user, name="telefoon anna", confirmed=True)
    ours = TOTPDevice.objects.create(user=cast.noor, name="telefoon noor", confirmed=True)
    listing = admin_client.get(reverse("admin:otp_totp_totpdevice_changelist")).content.decode()
    assert "telefoon noor" in listing and "telefoon anna" not in listing
    assert admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[theirs.pk])).status_code == 404
    page = admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[ours.pk]))
    assert page.status_code == 200
    assert ours.key not in page.content.decode()


def test_the_login_records_of_persons_are_not_shown(cast, admin_client):
    attempt(Client(REMOTE_ADDR="192.0.2.31"), "anna", "verkeerd-wachtwoord")
    attempt(Client(REMOTE_ADDR="192.0.2.32"), "noor", "verkeerd-wachtwoord")
    attempt(Client(), "anna", PASSWORD)
    attempt(Client(), "noor", PASSWORD)
    for model in ("accessattempt", "accesslog"):
        listing = admin_client.get(reverse(f"admin:axes_{model}_changelist")).content.decode()
        assert "noor" in listing, model
        assert "anna" not in listing, model
    assert "192.0.2.31" not in admin_client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()


def test_a_group_or_permission_id_no_row_can_have_is_an_invalid_choice(cast, admin_client):
    """Found by the bad-input walk (7 December 2026): a checkbox of groups or permissions posted
    with 99999999999999999999 answered 500 (Django's pk__in is not guarded as pk= is)."""
    huge = "99999999999999999999"
    response = admin_client.post(reverse("admin:auth_group_add"), {"name": "Nieuw", "permissions": [huge]})
    assert response.status_code == 200 and response.context["adminform"].form.errors["permissions"]
    from django.contrib.auth.models import Group

    assert not Group.objects.filter(name="Nieuw").exists()
    data = {
        "username": cast.gert.username, "first_name": "Gert", "last_name": "de Vries", "email": "",
        "is_active": "on", "groups": [huge], "role": cast.gert.role, "discipline": cast.gert.discipline,
        "organisation": cast.gert.organisation_id, "preferred_language": "nl",
        "date_joined_0": "01-12-2026", "date_joined_1": "10:00:00",
    }  # fmt: skip
    response = admin_client.post(change_url(cast.gert), data)
    assert response.status_code == 200 and response.context["adminform"].form.errors["groups"]


def test_the_admin_names_koers_own_tables_in_the_readers_language(cast, admin_client):
    """Bram opened the Dutch admin and read "Users" between "Organisaties" and "Teams": Koers's own
    account model had no Dutch name, so Django's English default showed. Every Koers model in the
    admin has a name of its own, in Dutch and in English."""
    nameless = [
        m._meta.label
        for m in admin.site._registry
        if m.__module__.startswith("koers.")
        and not {"verbose_name", "verbose_name_plural"} <= set(m._meta.original_attrs)
    ]
    assert nameless == []
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert "Gebruikers" in index and ">Users<" not in index
    with translation.override("en"):
        assert str(User._meta.verbose_name_plural) == "users"
