"""No secret and no health hint in the server's request logs (issue #11, "Headers, caches, logs").

A calendar feed token, a measurement or questionnaire code in a path, a search term or a code in
a query string must not reach the ``django.request``, ``django.security.csrf`` or
``django.server`` (runserver) logs: ``koers.lib.logs.RedactURLs`` rewrites them first.
"""

from __future__ import annotations

import io
import logging

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client

from koers.followup import services as followup_services
from koers.lib.logs import REDACTED, RedactURLs, redact_query, redact_text, redact_url

TOKEN = "Zk3v9Qe0bXw1yLmN7pRt5sUa2cVd8fGh"  # the shape of a feed token (token_urlsafe)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"/agenda/{TOKEN}.ics", "/agenda/[redacted].ics"),
        ("/mijn/bijhouden/voices/", "/mijn/bijhouden/[redacted]/"),
        ("/personen/12/bijhouden/afspraken/bp-sys/", "/personen/12/bijhouden/afspraken/[redacted]/"),
        (
            "/personen/12/vragenlijsten/verloop/phq-9/bespreken/",
            "/personen/12/vragenlijsten/verloop/[redacted]/bespreken/",
        ),
        (
            "/personen/12/bijhouden/invoeren/?vragen=mood,anxiety&moment=1",
            "/personen/12/bijhouden/invoeren/?vragen=[redacted]&moment=1",
        ),
        (
            "/personen/12/bijhouden/analyse/?item=voices&periode=30",
            "/personen/12/bijhouden/analyse/?item=[redacted]&periode=30",
        ),
        ("/clienten/?q=Jansen+1970&pagina=2&sorteer=naam", "/clienten/?q=[redacted]&pagina=2&sorteer=naam"),
        ("/werklijst/?client=de+Boer", "/werklijst/?client=[redacted]"),
        ("/account/inloggen/?next=/mijn/bijhouden/voices/", "/account/inloggen/?next=[redacted]"),
        ("https://koers.example.nl/mijn/bijhouden/voices/", "https://koers.example.nl/mijn/bijhouden/[redacted]/"),
    ],
)
def test_urls_lose_tokens_codes_and_search_terms(url, expected):
    assert redact_url(url) == expected


def test_ids_and_fixed_words_stay_readable():
    """Enough is left to debug with: the route, the record id, paging."""
    assert redact_url("/personen/12/bijhouden/waarde/7/weghalen/") == "/personen/12/bijhouden/waarde/7/weghalen/"
    assert redact_url("/clienten/?pagina=3") == "/clienten/?pagina=3"
    assert redact_url(settings.STATIC_URL + "css/koers.css") == settings.STATIC_URL + "css/koers.css"


def test_a_path_that_resolves_to_nothing_keeps_only_its_first_segment():
    """A token of the wrong shape, a typo or a scanner: no route says which part is secret."""
    assert redact_url("/agenda/kort-token.ics") == "/agenda/" + REDACTED
    assert redact_url("/mijn/bijhouden/stemmen/extra/deel/") == "/mijn/" + REDACTED
    assert redact_url("/onbekend/") == "/onbekend/"


def test_every_query_value_is_redacted_unless_known_to_be_harmless():
    assert redact_query("nieuwe_parameter=geheim") == "nieuwe_parameter=[redacted]"
    assert redact_query("ook_ik=1&ongedaan=1") == "ook_ik=1&ongedaan=1"
    assert redact_query("") == ""


def test_urls_inside_log_messages_are_found():
    runserver = f'"GET /agenda/{TOKEN}.ics?x=1 HTTP/1.1" 404 179'
    assert redact_text(runserver) == '"GET /agenda/[redacted].ics?x=[redacted] HTTP/1.1" 404 179'
    assert redact_text("Not Found: /mijn/bijhouden/voices/") == "Not Found: /mijn/bijhouden/[redacted]/"
    assert redact_text("Forbidden (CSRF cookie not set.): /mijn/bijhouden/voices/stoppen/") == (
        "Forbidden (CSRF cookie not set.): /mijn/bijhouden/[redacted]/stoppen/"
    )
    assert redact_text("no url here, HTTP/1.1 and 3/4") == "no url here, HTTP/1.1 and 3/4"


def test_the_filter_rewrites_the_record_and_keeps_it():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (f"/agenda/{TOKEN}.ics",), None
    )
    assert RedactURLs().filter(record) is True
    assert record.getMessage() == "Not Found: /agenda/[redacted].ics"
    assert record.args is None  # no handler can format the original argument again


@pytest.mark.parametrize("name", ["django.request", "django.security.csrf", "django.server"])
def test_the_settings_put_the_filter_on_the_request_loggers(name):
    assert any(isinstance(f, RedactURLs) for f in logging.getLogger(name).filters)


def test_runserver_keeps_its_own_output(name="django.server"):
    """Naming django.server in LOGGING must not silence runserver's request lines."""
    logger = logging.getLogger(name)
    assert logger.handlers and logger.propagate is False
    assert logger.isEnabledFor(logging.INFO)


def test_a_revoked_feed_token_does_not_reach_the_request_log(cast, caplog):
    _token, raw = followup_services.calendar_token_create(actor=cast.anna_user, person=cast.anna)
    followup_services.calendar_token_revoke(actor=cast.anna_user, person=cast.anna)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = Client().get(f"/agenda/{raw}.ics")
    assert response.status_code == 404
    messages = [r.getMessage() for r in caplog.records if r.name == "django.request"]
    assert messages == ["Not Found: /agenda/[redacted].ics"]
    assert raw not in caplog.text


def test_a_symptom_code_in_a_refused_post_does_not_reach_the_csrf_log(cast, caplog):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.anna_user)
    with caplog.at_level(logging.WARNING, logger="django.security.csrf"):
        response = client.post("/mijn/bijhouden/voices/stoppen/", {})
    assert response.status_code == 403
    messages = [r.getMessage() for r in caplog.records if r.name == "django.security.csrf"]
    assert messages and all("/mijn/bijhouden/[redacted]/stoppen/" in m for m in messages), messages
    assert "voices" not in caplog.text


def test_runserver_request_lines_are_redacted():
    """What ``koers runserver`` prints for a feed fetch and a search (its own handler and format)."""
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    logger = logging.getLogger("django.server")
    logger.addHandler(capture)
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)  # no socket: only its log line is used
    handler.request = None
    try:
        handler.log_message('"%s" %s %s', f"GET /agenda/{TOKEN}.ics HTTP/1.1", "200", "512")
        handler.log_message('"%s" %s %s', "GET /personen/4/bijhouden/invoeren/?vragen=voices HTTP/1.1", "200", "9")
        handler.log_message('"%s" %s %s', "GET /clienten/?q=de+Boer HTTP/1.1", "404", "9")
    finally:
        logger.removeHandler(capture)
    lines = stream.getvalue().splitlines()
    assert lines == [
        '"GET /agenda/[redacted].ics HTTP/1.1" 200 512',
        '"GET /personen/4/bijhouden/invoeren/?vragen=[redacted] HTTP/1.1" 200 9',
        '"GET /clienten/?q=[redacted] HTTP/1.1" 404 9',
    ]
    assert TOKEN not in stream.getvalue() and "voices" not in stream.getvalue() and "Boer" not in stream.getvalue()


def test_a_record_is_redacted_once_even_with_logging_configured_twice():
    """dictConfig run twice (django.setup() again, as get_wsgi_application() does) leaves two
    redaction filters on a logger; the second must not redact the redacted text again."""
    from koers.lib.logs import RedactURLs

    logger = logging.getLogger("koers.test.twice")
    stream = io.StringIO()
    capture = logging.StreamHandler(stream)
    logger.addHandler(capture)
    logger.addFilter(RedactURLs())
    logger.addFilter(RedactURLs())
    logger.propagate = False
    try:
        logger.warning("Not Found: %s", f"/agenda/{TOKEN}.ics")
    finally:
        logger.removeHandler(capture)
    assert stream.getvalue().strip() == "Not Found: /agenda/[redacted].ics"
