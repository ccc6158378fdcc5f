"""Security events in the same append-only log as person-data access (issue #11).

Logins, failed logins, lockouts, second-factor and password changes, account changes and admin
actions are written here as rows of ``AccessLogEntry`` with ``object_type == "security"``: one
log to keep, protect and verify (NEN 7513 asks for access *and* the events around it). The row
names the actor (who did it, ``None`` when nobody is signed in), the account it concerns
(``object_id``: the subject account's primary key, empty when unknown) and the event in
``detail`` as ``"<event>"`` or ``"<event>: <short note>"``. No person is linked: these rows are
about accounts, not about a person's care record.
"""

from __future__ import annotations

from koers.audit.log import Action, Outcome, Purpose, record
from koers.audit.models import AccessLogEntry

OBJECT_TYPE = "security"

# The events, by name (the first word of ``detail``).
LOGIN = "login"
LOGIN_FAILED = "login_failed"
LOCKOUT = "lockout"
LOGOUT = "logout"
SECOND_FACTOR_ENROLLED = "second_factor_enrolled"
SECOND_FACTOR_VERIFIED = "second_factor_verified"
SECOND_FACTOR_FAILED = "second_factor_failed"
SECOND_FACTOR_RESET = "second_factor_reset"
PASSWORD_CHANGED = "password_changed"  # nosec B105  # an event name, not a password
PASSWORD_RESET_REQUESTED = "password_reset_requested"  # nosec B105  # an event name, not a password
PASSWORD_RESET_DONE = "password_reset_done"  # nosec B105  # an event name, not a password
ACTIVATION_ISSUED = "activation_issued"
ACTIVATION_USED = "activation_used"
ACCOUNT_CREATED = "account_created"
ACCOUNT_CHANGED = "account_changed"
ADMIN_ACTION = "admin_action"
# API tokens (issue #15, koers.smart): issued (authorization code, refresh, client credentials or
# `koers api-token`), refused at the token endpoint (bad client, code, PKCE or scope), revoked, and
# an app's request turned down by the user on the authorize page.
TOKEN_ISSUED = "token_issued"  # nosec B105  # an event name, not a token
TOKEN_REFUSED = "token_refused"  # nosec B105  # an event name, not a token
TOKEN_REVOKED = "token_revoked"  # nosec B105  # an event name, not a token
AUTHORIZE_DENIED = "authorize_denied"

_ACTIONS = {
    LOGIN: Action.EXECUTE,
    LOGIN_FAILED: Action.EXECUTE,
    LOCKOUT: Action.EXECUTE,
    LOGOUT: Action.EXECUTE,
    SECOND_FACTOR_ENROLLED: Action.CREATE,
    SECOND_FACTOR_VERIFIED: Action.EXECUTE,
    SECOND_FACTOR_FAILED: Action.EXECUTE,
    SECOND_FACTOR_RESET: Action.DELETE,
    PASSWORD_CHANGED: Action.UPDATE,
    PASSWORD_RESET_REQUESTED: Action.EXECUTE,
    PASSWORD_RESET_DONE: Action.UPDATE,
    ACTIVATION_ISSUED: Action.CREATE,
    ACTIVATION_USED: Action.EXECUTE,
    ACCOUNT_CREATED: Action.CREATE,
    ACCOUNT_CHANGED: Action.UPDATE,
    ADMIN_ACTION: Action.EXECUTE,
    TOKEN_ISSUED: Action.CREATE,
    TOKEN_REFUSED: Action.EXECUTE,
    TOKEN_REVOKED: Action.DELETE,
    AUTHORIZE_DENIED: Action.EXECUTE,
}
EVENTS = frozenset(_ACTIONS)


def security_event(
    event: str,
    *,
    actor,
    subject=None,
    subject_id: int | None = None,
    outcome: str = Outcome.SUCCESS,
    note: str = "",
) -> AccessLogEntry:
    """Append one security event. ``actor`` may be ``None`` (nobody signed in); ``subject`` is the
    account the event concerns (defaults to the actor). ``note`` must hold no secret (no password,
    code or token) and no health data."""
    if event not in EVENTS:
        raise ValueError(f"unknown security event {event!r}")
    if subject is None and subject_id is None and actor is not None and getattr(actor, "is_authenticated", False):
        subject = actor
    target = subject.pk if subject is not None else subject_id
    return record(
        user=actor,
        action=_ACTIONS[event],
        object_type=OBJECT_TYPE,
        object_id="" if target is None else target,
        outcome=outcome,
        purpose=Purpose.ADMINISTRATION,
        detail=f"{event}: {note}" if note else event,
    )


def security_events(queryset=None):
    """The security rows of the log (newest first), for tests and the audit views."""
    base = AccessLogEntry.objects.all() if queryset is None else queryset
    return base.filter(object_type=OBJECT_TYPE)
