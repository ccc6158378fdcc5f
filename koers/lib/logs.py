"""Keep secrets and health hints out of the server's request logs.

A URL can carry what must not end up in a log file that operators, hosting staff and log
shippers read: the calendar feed's secret token (``/agenda/<token>.ics``), a measurement or
questionnaire code that says what someone is treated for (``/mijn/bijhouden/voices/``,
``/verloop/phq-9/``, ``?vragen=mood,anxiety``), a name typed into a filter (``?client=...``).
Django writes request paths to the ``django.server`` (runserver), ``django.request`` (every
4xx/5xx) and ``django.security.csrf`` loggers; :class:`RedactURLs`, set on those loggers in
``settings.LOGGING``, rewrites every URL in a record before any handler sees it:

- path: each URL parameter that is not a whole number (an id) becomes ``[redacted]``, found by
  resolving the path against Koers's own URLs, so a new ``<slug:...>`` or token route is
  covered without touching this module; a path that resolves to nothing (a typo, a scanner, a
  token of the wrong shape) keeps only its first segment;
- query string: every value becomes ``[redacted]`` unless its name is in :data:`SAFE_PARAMETERS`
  (paging and sorting), so a new parameter is redacted until someone decides it is harmless.

The reverse proxy in front of Koers writes its own access log: docs/security.md says how to
configure it the same way.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, quote, urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

REDACTED = "[redacted]"

# Query parameters whose values say nothing about a person: paging, sorting, toggles, periods.
SAFE_PARAMETERS = frozenset(
    {
        "pagina",
        "sorteer",
        "sorteer_op",
        "richting",
        "aandacht",
        "groeperen",
        "te_laat",
        "ook_ik",
        "ongedaan",
        "periode",
        "stap",
        "moment",
        "language",
    }
)

# A URL inside a log message: an optional scheme and host, then a path starting with "/",
# up to whitespace or a quote. It must start the message or follow a space, quote or colon,
# so "GET /a?b HTTP/1.1" and "Not Found: /a" match and "HTTP/1.1" does not.
_URL_IN_TEXT = re.compile(r"""(?:^|(?<=[\s"'(]))(?:https?://[^/\s"']+)?/[^\s"'<>]*""")


def redact_path(path: str) -> str:
    """``path`` with every non-numeric URL parameter replaced by ``[redacted]``."""
    if not path.startswith("/") or path.startswith(settings.STATIC_URL):
        return path  # static files name nothing about a person
    try:
        match = resolve(path)
    except Resolver404:
        return _first_segment_only(path)
    except Exception:  # an unusable URLconf must not stop logging: say nothing about the path
        return "/" + REDACTED
    secrets = [str(value) for value in match.kwargs.values() if not isinstance(value, int)]
    secrets += [str(value) for value in match.args if not isinstance(value, int)]
    for secret in sorted(filter(None, secrets), key=len, reverse=True):
        # The parameter is the last occurrence: fixed route words come before it.
        for candidate in (secret, quote(secret)):
            head, found, tail = path.rpartition(candidate)
            if found:
                path = head + REDACTED + tail
                break
    return path


def _first_segment_only(path: str) -> str:
    """An unknown path: its first segment says where it was aimed, the rest may be anything."""
    first, _slash, rest = path[1:].partition("/")
    return f"/{first}/{REDACTED}" if rest else path


def redact_query(query: str) -> str:
    """The query string with every value not in :data:`SAFE_PARAMETERS` replaced."""
    if not query:
        return query
    parts = []
    for name, value in parse_qsl(query, keep_blank_values=True):
        shown = value if name in SAFE_PARAMETERS else REDACTED
        parts.append(f"{quote(name, safe='')}={quote(shown, safe='[],')}")
    return "&".join(parts) if parts else REDACTED


def redact_url(url: str) -> str:
    """A URL (absolute, or a path with an optional query) with its secrets replaced."""
    parts = urlsplit(url)
    redacted = redact_path(parts.path or "/") if parts.path else ""
    if parts.query:
        redacted += "?" + redact_query(parts.query)
    if parts.scheme and parts.netloc:
        redacted = f"{parts.scheme}://{parts.netloc}{redacted}"
    return redacted


def redact_text(text: str) -> str:
    """Every URL in a log message redacted; the rest of the message as it was."""
    return _URL_IN_TEXT.sub(lambda match: redact_url(match.group(0)), text)


class RedactURLs(logging.Filter):
    """Rewrite a record's message with its URLs redacted (the record is changed, not dropped).

    The message is formatted once here and stored without arguments, so every handler after
    this filter (console, file, a log shipper) sees only the redacted text.

    A record is redacted once: logging configured twice in one process (``django.setup()`` again,
    e.g. by ``get_wsgi_application()``) leaves two of these filters on a logger, because
    ``dictConfig`` adds filters without removing the old ones. A second pass would read
    ``/agenda/[redacted].ics`` as an unknown path and cut it to ``/agenda/[redacted]``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, _DONE, False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken record: let logging report it as it would have
            return True
        record.msg = redact_text(message)
        record.args = None
        setattr(record, _DONE, True)
        return True


_DONE = "koers_redacted"
