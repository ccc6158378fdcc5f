from __future__ import annotations

from koers.audit import context


class RequestContextMiddleware:
    """Remember the client address of this request for the access log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # REMOTE_ADDR only: X-Forwarded-For is trivially forged unless a proxy is configured.
        token = context.set_for_request(request.META.get("REMOTE_ADDR", "")[:64])
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
