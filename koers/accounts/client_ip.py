"""The client's address for login throttling (django-axes ``AXES_CLIENT_IP_CALLABLE``).

The same function the access log uses (``koers.lib.client_ip``): ``REMOTE_ADDR``, or behind the
proxies in ``KOERS_TRUSTED_PROXIES`` the first address in ``X-Forwarded-For`` from the right that
is not one of them. A made-up header from anyone else is ignored, so nobody escapes the lockout
by inventing addresses.
"""

from __future__ import annotations

from koers.lib.client_ip import client_ip

__all__ = ["client_ip"]
