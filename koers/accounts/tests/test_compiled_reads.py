"""What every signed-in request reads — the session, the user, the second-factor device — is read by
queries compiled once per process (issue #18, "Speed"), and reads exactly what Django and
django-otp read: an expired session is no session, an inactive user no user, and only the user's
own confirmed device verifies them."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db.models.sql.compiler import SQLCompiler
from django.test import Client, RequestFactory
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from koers.accounts.backends import KoersModelBackend
from koers.accounts.middleware import OTPMiddleware
from koers.lib.faults import SessionStore
from tests.support.testing import verified


def otp_user(user, persistent_id: str):
    """``request.user`` as the OTP middleware leaves it, for a session naming ``persistent_id``."""
    request = RequestFactory().get("/gezond")
    request.session = SessionStore()
    request.session["otp_device_id"] = persistent_id
    request.user = user
    OTPMiddleware(lambda request: None)(request)
    return request.user, request.session


@pytest.mark.django_db
def test_a_signed_in_request_builds_no_sql_for_session_user_or_device(cast):
    client = verified(Client(), cast.noor)
    assert client.get("/gezond").status_code == 200  # compiles them, if no test did before
    with mock.patch.object(SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql) as as_sql:
        assert client.get("/gezond").status_code == 200
    assert as_sql.call_count == 0, "Django's ORM built SQL for the session, the user or the device"


@pytest.mark.django_db
def test_the_users_own_confirmed_device_verifies_and_no_other(cast):
    own = TOTPDevice.objects.create(user=cast.noor, name="app", confirmed=True)
    codes = StaticDevice.objects.create(user=cast.noor, name="backup", confirmed=True)
    unconfirmed = TOTPDevice.objects.create(user=cast.noor, name="new", confirmed=False)
    someone_elses = TOTPDevice.objects.create(user=cast.anna_user, name="app", confirmed=True)
    for device in (own, codes):
        user, session = otp_user(cast.noor, device.persistent_id)
        assert user.is_verified() and user.otp_device == device
        assert session["otp_device_id"] == device.persistent_id
    for device in (unconfirmed, someone_elses):
        user, session = otp_user(cast.noor, device.persistent_id)
        assert not user.is_verified() and user.otp_device is None
        assert "otp_device_id" not in session, "django-otp drops a device that does not count"
    for persistent_id in ("otp_totp.totpdevice/999999", "otp_totp.totpdevice/abc", "otp_totp.totpdevice/"):
        user, _ = otp_user(cast.noor, persistent_id)
        assert not user.is_verified(), persistent_id


@pytest.mark.django_db
def test_a_legacy_device_id_is_read_as_django_otp_reads_it(cast):
    own = TOTPDevice.objects.create(user=cast.noor, name="app", confirmed=True)
    user, _ = otp_user(cast.noor, f"django_otp.plugins.otp_totp.models.TOTPDevice/{own.pk}")
    assert user.is_verified() and user.otp_device == own


@pytest.mark.django_db
def test_a_signed_out_request_reads_no_device(cast):
    user, _ = otp_user(AnonymousUser(), "otp_totp.totpdevice/1")
    assert not user.is_verified()


@pytest.mark.django_db
def test_the_backend_reads_an_active_user_with_their_organisation_and_no_one_else(cast, django_assert_num_queries):
    backend = KoersModelBackend()
    with django_assert_num_queries(1):
        user = backend.get_user(cast.noor.pk)
        assert user == cast.noor and user.organisation == cast.noor.organisation
    assert backend.get_user(str(cast.noor.pk)) == cast.noor
    assert backend.get_user(999_999) is None
    assert backend.get_user("not a number") is None
    cast.noor.is_active = False
    cast.noor.save(update_fields=["is_active"])
    assert backend.get_user(cast.noor.pk) is None


@pytest.mark.django_db
def test_an_expired_or_unknown_session_is_no_session(cast):
    store = SessionStore()
    store["kept"] = "yes"
    store.create()
    key = store.session_key
    assert SessionStore(key).load() == {"kept": "yes"}
    later = timezone.now() + dt.timedelta(seconds=store.get_expiry_age() + 1)
    with time_machine.travel(later, tick=False):
        expired = SessionStore(key)
        assert expired.load() == {} and expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None
