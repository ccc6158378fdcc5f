"""Every login, logout, failed login, lockout, password change and admin action is a security
event in the one access log (issue #11), naming who did it, which account it concerns and how
it ended, and never the password."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from koers.accounts.models import Organisation, User
from koers.audit import security
from koers.audit.models import AccessLogEntry
from tests.security.test_security_login import LOGOUT, PASSWORD, attempt

pytestmark = pytest.mark.django_db

WRONG = "verkeerd-wachtwoord"


def rows(event):
    named = Q(detail=event) | Q(detail__startswith=f"{event}: ")
    return list(security.security_events().filter(named).order_by("pk"))


def summary(row) -> tuple:
    return (row.user_id, row.object_id, row.outcome)


def no_secret_anywhere(*secrets):
    for row in AccessLogEntry.objects.all():
        text = " ".join(str(value) for value in row.__dict__.values())
        for secret in secrets:
            assert secret not in text


def test_login_and_logout(cast, client):
    attempt(client, "noor", PASSWORD)
    client.post(LOGOUT)
    assert [summary(row) for row in rows(security.LOGIN)] == [(cast.noor.pk, str(cast.noor.pk), "success")]
    assert [summary(row) for row in rows(security.LOGOUT)] == [(cast.noor.pk, str(cast.noor.pk), "success")]
    assert rows(security.LOGIN)[0].client_address == "127.0.0.1"


def test_a_failed_login_names_the_existing_account_and_never_the_password(cast, client):
    attempt(client, "noor", WRONG)
    attempt(client, "niemand-bekend", WRONG)
    assert [summary(row) for row in rows(security.LOGIN_FAILED)] == [
        (None, str(cast.noor.pk), "failed"),
        (None, "", "failed"),
    ]
    no_secret_anywhere(WRONG, "niemand-bekend")


def test_a_lockout_names_the_account_and_is_refused(cast):
    client = Client(REMOTE_ADDR="192.0.2.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "noor", WRONG)
    attempt(client, "noor", PASSWORD)  # refused while locked: the right password is not let in
    lockouts = rows(security.LOCKOUT)
    assert lockouts and {summary(row) for row in lockouts} == {(None, str(cast.noor.pk), "refused")}
    assert lockouts[0].client_address == "192.0.2.7"
    assert rows(security.LOGIN) == []
    assert summary(rows(security.LOGIN_FAILED)[-1]) == (None, str(cast.noor.pk), "refused")
    no_secret_anywhere(WRONG, PASSWORD)


def test_a_password_change(cast, client):
    client.force_login(cast.noor)
    new = "een-nieuw-wachtwoord-99"
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert [summary(row) for row in rows(security.PASSWORD_CHANGED)] == [(cast.noor.pk, str(cast.noor.pk), "success")]
    no_secret_anywhere(new, PASSWORD)


@pytest.fixture
def admin_client(cast, client):
    client.force_login(cast.ada)
    return client


def test_admin_changes_to_an_account(cast, admin_client):
    url = reverse("admin:accounts_user_change", args=[cast.noor.pk])
    page = admin_client.get(url)
    data = {key: value for key, value in page.context["adminform"].form.initial.items() if value is not None}
    data.update(
        {
            "username": "noor",
            "first_name": "Noortje",
            "last_name": "Bakker",
            "role": "professional",
            "discipline": "practice_nurse",
            "organisation": cast.gp_practice.pk,
            "is_active": "on",
            "last_login_0": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "09:00:00",
            "groups": [],
            "user_permissions": [],
        }
    )
    for key in ("is_staff", "is_superuser", "last_login", "date_joined", "password", "team", "must_change_password"):
        data.pop(key, None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    changed = rows(security.ACCOUNT_CHANGED)
    assert [summary(row) for row in changed] == [(cast.ada.pk, str(cast.noor.pk), "success")]
    assert "accounts.User" in changed[0].detail and "First name" in changed[0].detail

    new = "door-ada-gekozen-wachtwoord-1"
    admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "nieuw",
            "password1": new,
            "password2": new,
            "usable_password": "true",
            "role": "manager",
            "organisation": cast.gp_practice.pk,
        },
    )
    created = User.objects.get(username="nieuw")
    assert [summary(row) for row in rows(security.ACCOUNT_CREATED)] == [(cast.ada.pk, str(created.pk), "success")]
    no_secret_anywhere(new)


def test_every_other_admin_action(cast, admin_client):
    admin_client.post(reverse("admin:accounts_organisation_add"), {"name": "Praktijk Noord", "kind": "gp_practice"})
    made = Organisation.objects.get(name="Praktijk Noord")
    admin_client.post(reverse("admin:accounts_organisation_delete", args=[made.pk]), {"post": "yes"})
    actions = rows(security.ADMIN_ACTION)
    assert [row.user_id for row in actions] == [cast.ada.pk, cast.ada.pk]
    assert actions[0].detail.startswith(f"admin_action: admin added accounts.Organisation #{made.pk}")
    assert actions[1].detail.startswith(f"admin_action: admin deleted accounts.Organisation #{made.pk}")


def test_deleting_several_at_once_is_one_event_each(cast, admin_client):
    first = Organisation.objects.create(name="Eén", kind="other")
    second = Organisation.objects.create(name="Twee", kind="other")
    response = admin_client.post(
        reverse("admin:accounts_organisation_changelist"),
        {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Organisation.objects.filter(pk__in=[first.pk, second.pk]).exists()
    deleted = {row.detail for row in rows(security.ADMIN_ACTION)}
    assert deleted == {
        f"admin_action: admin deleted accounts.Organisation #{first.pk}",
        f"admin_action: admin deleted accounts.Organisation #{second.pk}",
    }
