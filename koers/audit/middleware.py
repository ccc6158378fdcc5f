from __future__ import annotations

from koers.audit import context
from koers.lib import faults
from koers.lib.client_ip import client_ip


class RequestContextMiddleware:
    """Remember the client address of this request for the access log, and watch whether a change
    of this request is committed (``koers.lib.faults.Writes``, for the 503 page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # REMOTE_ADDR, or behind KOERS_TRUSTED_PROXIES the address they saw: a header from anyone
        # else is trivially forged. The same address django-axes throttles.
        token = context.set_for_request((client_ip(request) or "")[:64])
        request.koers_writes, watching = faults.watch_writes()
        try:
            return self.get_response(request)
        finally:
            faults.stop_watching(watching)
            context.reset(token)
