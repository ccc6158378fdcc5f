"""The idle timeout, told in advance and extendable (WCAG 2.1 success criterion 2.2.1, level A).

A signed-in session ends ``SESSION_COOKIE_AGE`` (30 minutes) after its last write
(``middleware.SessionRefreshMiddleware``). Without warning, a person writing a long consult
preparation on a phone, or a nurse called away mid-form, pressed "Bewaren" and found themselves
at the login page with the text gone; an htmx button swapped the login form into a card. Now:

- every signed-in page carries a dialog (``includes/session_dialog.html``) and ``koers/session.js``
  asks :func:`session_status` how long is left shortly before the end. Someone who typed or
  clicked in the last minutes is kept signed in quietly (:func:`session_extend`); anyone else is
  asked "Bent u er nog?" with one button that keeps them signed in (2.2.1 "Extend": a warning,
  at least 20 seconds, one simple action). When the session has ended the dialog says so, that
  what was typed is not stored yet and still on the page, and links to the login page and back.
- the status read does not count as activity: it never moves the end (``skip_refresh``), so a
  page left open does not keep itself signed in.
- an htmx request of a session that has ended gets ``401`` instead of a redirect to the login
  page (:class:`SignedOutMiddleware`); ``session.js`` opens the dialog's ended state.
- any other request of a session that has ended (no JavaScript, or the dialog missed) goes to a
  login page that says why, and, after a form was sent, that what was sent is not stored; after
  logging in it leads back to the page the form was on, not to the form's POST-only address.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from koers.access.decorators import no_person_data
from koers.lib import faults

# The warning comes this long before the end, never less than the 20 seconds WCAG asks for.
WARN_SECONDS = 120
# The login page's parameter that says why it was shown: a session ended, and whether a form was
# sent with it (what was sent is not stored). Anyone can set it; it only chooses a text.
ENDED_PARAMETER = "uitgelogd"
ENDED_PAGE, ENDED_FORM = "1", "verstuurd"


def warn_seconds() -> int:
    return max(20, min(WARN_SECONDS, settings.SESSION_COOKIE_AGE // 4))


def seconds_left(request) -> int:
    """How long this request's session has before it ends, as the session store will end it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    written = request.session.get(faults.REFRESHED_KEY)
    if not isinstance(written, int):  # a session from before the mark: the least it can have
        return settings.SESSION_COOKIE_AGE - settings.KOERS_SESSION_REFRESH_SECONDS
    return max(0, settings.SESSION_COOKIE_AGE - (int(time.time()) - written))


def skip_refresh(request) -> None:
    """This request is not the user's doing: ``SessionRefreshMiddleware`` leaves the end alone."""
    request.koers_skip_session_refresh = True


@no_person_data
@require_GET
def session_status(request):
    skip_refresh(request)
    return JsonResponse({"seconds_left": seconds_left(request)})


@no_person_data
@require_POST
def session_extend(request):
    if request.user.is_authenticated:
        request.session[faults.REFRESHED_KEY] = int(time.time())  # saved, with a new end
    return JsonResponse({"seconds_left": seconds_left(request)})


def _to_login(response) -> bool:
    if response.status_code != 302:
        return False
    login = reverse(settings.LOGIN_URL)
    return response.get("Location", "").split("?")[0] == login


def _session_ended(request) -> bool:
    """The browser sent a session cookie, and no session has that key (any more): it ended by the
    clock or was ended elsewhere. Signing out (this request flushed the session, so it is
    ``modified``; the response deletes the cookie) is not this."""
    session = getattr(request, "session", None)
    if session is None or settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return session.session_key is None and not session.modified


def _form_page(request) -> str | None:
    """The page a form was sent from (this site's ``Referer``), where the login should lead back."""
    referer = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(referer, {request.get_host()}, require_https=request.is_secure()):
        return None
    parts = urlsplit(referer)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _login_saying_why(request, response):
    login = urlsplit(response["Location"])
    query = dict(parse_qsl(login.query))
    sent = request.method == "POST"
    if sent and (page := _form_page(request)):
        query["next"] = page
    query[ENDED_PARAMETER] = ENDED_FORM if sent else ENDED_PAGE
    response["Location"] = f"{login.path}?{urlencode(query)}"
    return response


class SignedOutMiddleware:
    """A request whose session has ended, sent to the login page, learns why there.

    An htmx request answers 401, not the login page: htmx would swap the login form into the card
    or list that asked. The page stays as it was (with what the person typed), and ``session.js``
    says why nothing happened. Any other request goes to the login page with ``uitgelogd`` set,
    which the page turns into a status message; a form's ``next`` is the page it was sent from."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _to_login(response):
            return response
        if request.headers.get("HX-Request") == "true":
            answer = HttpResponse(status=401, content_type="text/plain; charset=utf-8")
            answer["X-Koers-Signed-Out"] = "1"
            return answer
        if _session_ended(request):
            return _login_saying_why(request, response)
        return response
