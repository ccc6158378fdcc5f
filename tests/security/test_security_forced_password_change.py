"""A password someone else set is replaced first, after the second factor (issue #11)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .helpers import current_code

PASSWORD = "test-wachtwoord-123"
CHANGE = reverse("accounts:password_change")
CASELOAD = reverse("workspace:caseload")


@pytest.mark.django_db
def test_second_factor_first_then_the_new_password_then_the_page(cast, client, require_2fa):
    cast.noor.must_change_password = True
    cast.noor.save(update_fields=["must_change_password"])
    device = TOTPDevice.objects.create(user=cast.noor, name="telefoon", confirmed=True)
    moment = timezone.now().replace(microsecond=0)
    moment -= dt.timedelta(seconds=moment.second % 30) - dt.timedelta(seconds=10)
    with time_machine.travel(moment, tick=False):
        client.post(reverse("accounts:login"), {"username": "noor", "password": PASSWORD})
        assert client.get(CASELOAD)["Location"].startswith(reverse("accounts:two_factor"))
        assert client.get(CHANGE)["Location"].startswith(reverse("accounts:two_factor"))  # not before the code
        client.post(reverse("accounts:two_factor"), {"token": current_code(device), "next": CASELOAD})
    assert client.get(CASELOAD)["Location"] == CHANGE
    new = "mijn-eigen-nieuwe-wachtwoord-5"
    client.post(CHANGE, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert client.get(CASELOAD).status_code == 200


@pytest.mark.django_db
def test_a_person_whose_password_was_set_for_them_changes_it_first(cast, client):
    cast.anna_user.must_change_password = True
    cast.anna_user.save(update_fields=["must_change_password"])
    client.force_login(cast.anna_user)
    assert client.get(reverse("workspace:portal_home"))["Location"] == CHANGE
    logout = client.post(reverse("accounts:logout"))
    assert logout["Location"] == reverse("accounts:login")  # logging out is always possible
