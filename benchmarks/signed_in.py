"""A Django test client signed in as a professional with a verified second factor.

What a real login leaves in the session (``django_otp.login`` stores the device's
``persistent_id``), without the password and code checks: the benchmarks measure pages, not the
login. Import after ``django.setup()``.
"""

from __future__ import annotations


def verified_client(user, *, device_name: str = "benchmark", **client_kwargs):
    """A ``django.test.Client`` logged in as ``user`` with a confirmed TOTP device in the session."""
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name=device_name, defaults={"confirmed": True})
    client = Client(**client_kwargs)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id  # as django_otp.login stores it
    session.save()
    return client
