"""Security events from Django's and django-axes' signals (issue #11).

Every login, logout, failed login, lockout and admin action becomes a row in the one append-only
access log (``koers.audit.security``). Connected in ``AccountsConfig.ready``. Password changes
and resets are written where they happen (``views.KoersPasswordChangeView``,
``password_reset``, ``admin``): Django sends no signal for them.

A row never holds a password, code or token; a failed login or lockout names the account it
concerns only when that account exists (the username typed is not written: it may be a
mistyped password).
"""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save

from koers.accounts.models import User
from koers.audit import security
from koers.audit.log import Outcome

_ADMIN_VERBS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


def _account(username) -> User | None:
    if not username:
        return None
    return User.objects.filter(username=username).first()


# A login through the identity provider is written by its callback view (koers.accounts.oidc),
# which names the provider; this receiver writes the password logins.
PROVIDER_BACKENDS = frozenset({"koers.accounts.oidc.KoersOIDCBackend"})


def on_logged_in(sender, request, user, **kwargs):
    if getattr(user, "backend", "") in PROVIDER_BACKENDS:
        return
    security.security_event(security.LOGIN, actor=user)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        security.security_event(security.LOGOUT, actor=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password by stars in ``credentials``; only the username is read.
    account = _account(credentials.get("username"))
    locked = bool(getattr(request, "axes_locked_out", False))
    security.security_event(
        security.LOGIN_FAILED,
        actor=None,
        subject=account,
        outcome=Outcome.REFUSED if locked else Outcome.FAILED,
        note="locked out" if locked else "",
    )


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    security.security_event(security.LOCKOUT, actor=None, subject=_account(username), outcome=Outcome.REFUSED)


def on_admin_log_entry(sender, instance: LogEntry, created, **kwargs):
    """Every admin action, with Django's own change message. Creating or changing an account is
    named as such (ACCOUNT_CREATED / ACCOUNT_CHANGED); everything else is ADMIN_ACTION."""
    if not created:
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    is_account = model is User
    if is_account and instance.action_flag == ADDITION:
        event = security.ACCOUNT_CREATED
    elif is_account and instance.action_flag == CHANGE:
        event = security.ACCOUNT_CHANGED
    else:
        event = security.ADMIN_ACTION
    label = model._meta.label if model is not None else "?"
    verb = _ADMIN_VERBS.get(instance.action_flag, "?")
    note = f"admin {verb} {label} #{instance.object_id}: {instance.get_change_message()}".strip().rstrip(":")
    security.security_event(
        event,
        actor=instance.user,
        subject_id=int(instance.object_id) if is_account and str(instance.object_id).isdigit() else None,
        note=note,
    )


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="koers.security.login")
    user_logged_out.connect(on_logged_out, dispatch_uid="koers.security.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="koers.security.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="koers.security.lockout")
    post_save.connect(on_admin_log_entry, sender=LogEntry, dispatch_uid="koers.security.admin")
