"""A request whose form fields hold a NUL character is refused with a clear page, before any view.

PostgreSQL cannot store NUL (0x00) in text. Django's form fields refuse it, but several writes
take a value straight from the request into a service (a relative's crisis signs, a cohort's
name) or into the access log's refusal row (an object id), and answered 500 on PostgreSQL: the
bad-input walk found four (tests/test_every_page_links_and_bad_input.py). No one types NUL; it
arrives in pasted binary text or from a broken client. The answer is 400 with what to do, and
nothing is stored.
"""

from __future__ import annotations

from django.shortcuts import render

NUL = "\x00"
# The FHIR API and the OAuth endpoints check their own input and answer in their own format
# (an OperationOutcome, an OAuth error), which their clients read: an HTML page would not do.
OWN_FORMAT = ("/fhir/", "/o/")


def _holds_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(OWN_FORMAT):
            return self.get_response(request)
        if NUL in request.path or _holds_nul(request.GET) or (request.method == "POST" and _holds_nul(request.POST)):
            return render(request, "400_nul.html", status=400)
        return self.get_response(request)
