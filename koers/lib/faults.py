"""The error page when the database cannot be used: down, restarting, read-only or full.

Django's ``handler500`` (set in ``koers/urls.py``) is called for any exception a view or a
middleware did not handle, with the exception still in ``sys.exc_info()``. When that exception
says the database is unavailable rather than that Koers has a bug, the answer is a plain Dutch
503 page with ``Retry-After``: the person may simply try again, because every service writes in
one transaction (tests/test_fault_injection.py) — a failed request stored nothing, not half of
it. Unless a change of the request had committed before the database went away (``Writes``):
then the page says that it was stored, and not to do it again. Django has already logged the
exception with its traceback (logger ``django.request``); the page shows none. The page is
rendered without a request context, so it needs no database itself.
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar, Token
from functools import partial

from django.contrib.sessions.backends import db as db_sessions
from django.contrib.sessions.backends.base import UpdateError
from django.core.exceptions import SuspiciousOperation
from django.db import InterfaceError, InternalError, OperationalError, transaction
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils import timezone

from koers.lib.compiled import compiled

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# Where django.contrib.messages' SessionStorage keeps the flash messages in the session.
MESSAGES_KEY = "_messages"
# When the session was last written, in epoch seconds: noted whenever it is written
# (``koers.accounts.middleware.SessionRefreshMiddleware``), so it changes beside every message.
REFRESHED_KEY = "koers_session_refreshed"
# PostgreSQL's SQLSTATE for "cannot execute … in a read-only transaction" (psycopg raises it as an
# InternalError; a lost connection, a restart or a full disk arrive as OperationalError).
READ_ONLY_SQLSTATE = "25006"


def database_unavailable(error: BaseException | None) -> bool:
    """True for errors of the database being unreachable, read-only or full — not of a bug."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    if isinstance(error, InternalError):
        return getattr(error.__cause__, "sqlstate", None) == READ_ONLY_SQLSTATE
    return False


def unavailable(*, stored: bool = False) -> HttpResponse:
    """The 503 page; ``stored``: the one that says the request's change was stored after all."""
    response = HttpResponse(loader.get_template("503.html").render({"stored": stored}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: 503 with a retry-safe message when the database is unavailable, else 500.

    When a change of this request was committed before the database went away (``Writes``), the
    503 page says that it was stored, so that the person does not do it a second time."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable(stored=change_stored(request))
    return HttpResponseServerError(loader.get_template(template_name).render())


def change_stored(request) -> bool:
    """Whether a change made by this request had been committed (``Writes``)."""
    writes = getattr(request, "koers_writes", None)
    return writes is not None and writes.committed


class Writes:
    """Whether a change made by this request has been committed.

    The access log writes a row for every change of a person's data in the change's own
    transaction (NEN 7513); ``note_write`` (called by ``koers.audit.log`` for such a row) sets
    ``committed`` once that transaction commits, and a rolled-back one never sets it. Watched per
    web request (``koers.audit.middleware.RequestContextMiddleware`` keeps it on the request as
    ``koers_writes``), so that the 503 page tells the truth when the database goes away between
    a committed change and its answer: an htmx card that reads and logs after the change, or a
    session that cannot be written (tests/test_faults_database.py)."""

    __slots__ = ("committed",)

    def __init__(self):
        self.committed = False

    def _commit(self) -> None:
        self.committed = True


_watched: ContextVar[Writes | None] = ContextVar("koers_writes", default=None)


def watch_writes() -> tuple[Writes, Token]:
    writes = Writes()
    return writes, _watched.set(writes)


def stop_watching(token: Token) -> None:
    _watched.reset(token)


def note_write(using: str) -> None:
    """A change is being written on ``using``: mark the watched request once it commits."""
    writes = _watched.get()
    if writes is not None and not writes.committed:
        transaction.on_commit(partial(Writes._commit, writes), using=using)


class SessionStore(db_sessions.SessionStore):
    """Django's database sessions (``SESSION_ENGINE = "koers.lib.faults"``), for a database that
    cannot be written.

    ``koers.accounts.middleware.SessionRefreshMiddleware`` renews the session's expiry once a
    minute. When the database refuses that write (read-only, full, gone) Django answers 400
    ("session interrupted"), so a signed-in user could not even read a page that writes nothing.
    Here a session that only needed its refresh (``refresh_only``), was not changed, or only got a
    flash message (the write it confirms is committed already: a 503 would make the person enter it
    again) simply keeps its old state for this response; any other change that cannot be stored
    (signing in, say) raises the database's error, which answers the 503 page.
    Django's own ``SessionMiddleware`` stays in place (its deploy checks look for it by name).
    """

    def _get_session_from_db(self):
        """Django's read of the session row, compiled once per process (``koers.lib.compiled``;
        building and compiling the query was most of its cost on every request)."""
        try:
            found = compiled(
                lambda p: SessionStore.get_model_class().objects.filter(session_key=p.key, expire_date__gt=p.now),
                key=self.session_key,
                now=timezone.now(),
            )
        except SuspiciousOperation as error:  # as Django's own read
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            found = []
        if not found:
            self._session_key = None
            return None
        return found[0]

    def load(self):
        data = super().load()
        self._as_loaded = dict(data)  # what changed, when the write is refused (``_only_a_message``)
        return data

    def _only_a_message(self) -> bool:
        """Whether the one change since loading is the flash message (``messages.success`` after a
        write that has been committed already), with the note of when the session was written.
        Losing that message is better than a 503 page that tells the person their saved entry
        failed, so that they enter it again."""
        before = getattr(self, "_as_loaded", None)
        if before is None:
            return False
        now = self._get_session()
        changed = {key for key in set(before) | set(now) if before.get(key) != now.get(key)}
        return changed <= {MESSAGES_KEY, REFRESHED_KEY}

    def save(self, must_create=False):
        try:
            super().save(must_create=must_create)
        except UpdateError as error:
            cause = error.__context__
            if not database_unavailable(cause):
                raise
            if self.modified and not getattr(self, "refresh_only", False) and not self._only_a_message():
                raise cause from cause.__cause__  # the driver error with its SQLSTATE stays the cause
            logger.warning("session not stored (its expiry, or a message only): the database refused the write")
